"""The rollups: what a known workload gives, counted incrementally (each fact once, whenever the
runs happen) and rebuilt from history to the same figures."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from stats import rollups
from stats.models import Basis, DailyCounts, DailyUsage, ResultCounts, Watermark
from tests.stats.conftest import Workload, catch_up


def _snapshot() -> dict:
    return {
        "daily": sorted(DailyCounts.objects.values_list(
            "project_id", "basis", "day", "template_id", "requested", "sent", "opened",
            "unsubscribed")),
        "results": sorted(ResultCounts.objects.values_list(
            "project_id", "day", "domain", "result_code", "count")),
        "usage": sorted(DailyUsage.objects.values_list("project_id", "day", "counted")),
    }


def _totals(basis: str) -> tuple[int, int, int, int]:
    found = DailyCounts.objects.filter(basis=basis).aggregate(
        r=Sum("requested"), s=Sum("sent"), o=Sum("opened"), u=Sum("unsubscribed"))
    return found["r"] or 0, found["s"] or 0, found["o"] or 0, found["u"] or 0


def test_a_known_workload_gives_known_figures(workload):
    workload.run()
    catch_up()
    expected = Workload
    assert _totals(Basis.REQUEST) == (expected.requested, expected.sent, expected.opened,
                                      expected.unsubscribed)
    assert _totals(Basis.SEND) == (0, expected.sent, expected.opened, expected.unsubscribed)
    today = timezone.localdate()
    assert set(DailyCounts.objects.values_list("day", flat=True)) == {today}
    for name, figures in expected.by_template.items():
        template = getattr(workload, name.lower())
        row = DailyCounts.objects.get(basis=Basis.REQUEST, template_id=template.pk)
        assert (row.requested, row.sent, row.opened, row.unsubscribed) == figures
    assert {(r.domain, r.result_code): r.count for r in ResultCounts.objects.all()} == \
        expected.results
    assert DailyUsage.objects.get(day=today).counted == expected.usage


def test_incremental_runs_at_any_moment_equal_a_rebuild(workload):
    workload.run(between=lambda step: catch_up())
    catch_up()
    incremental = _snapshot()
    assert incremental["daily"], "something was counted"
    call_command("rebuild_stats", stdout=open("/dev/null", "w"))  # noqa: SIM115
    catch_up()
    assert _snapshot() == incremental


def test_nothing_is_counted_twice_and_the_margin_waits_for_commits(workload):
    workload.run()
    now = timezone.now()
    rollups.advance(now)  # everything is younger than the margin: nothing read yet
    assert not DailyCounts.objects.exists()
    assert Watermark.objects.get().moment == now - rollups.MARGIN
    catch_up()
    first = _snapshot()
    catch_up()
    rollups.advance(timezone.now() + timedelta(minutes=5))
    assert _snapshot() == first


def test_the_lag_is_how_far_behind_the_watermark_is(db):
    assert rollups.lag() is None
    now = timezone.now()
    rollups.advance(now)
    assert rollups.lag(now) == rollups.MARGIN


def test_projects_of_one_time_zone_are_counted_each_once(workload, project):
    from tests.factories import make_project
    from tests.mailer.factories import accepted_request

    others = [make_project(f"other-{n}") for n in range(3)]
    for other in others:
        other.time_zone = project.time_zone
        other.save()
        accepted_request(other, recipients=[{"address": "x@example.com"}])
    workload.run()
    catch_up()
    expected = Workload
    assert _totals(Basis.REQUEST)[1:] == (expected.sent, expected.opened, expected.unsubscribed)
    mine = DailyCounts.objects.filter(project=project, basis=Basis.REQUEST)
    assert sum(row.requested for row in mine) == expected.requested
    assert sum(r.count for r in ResultCounts.objects.filter(project=project)) == \
        sum(expected.results.values())
