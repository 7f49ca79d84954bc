"""Send requests counted by the hour (migration 0013's triggers, mailer.request_counts): the
count of any period equals counting its rows, whichever way the rows came, moved or went."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections
from hypothesis import given, settings
from hypothesis import strategies as st

from mailer.models import RequestHourCount, SendRequest, Tool
from mailer.request_counts import requests_in_period, whole_hours
from tests.factories import make_project
from tests.mailer.factories import accepted_request

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="the counts are kept by PostgreSQL triggers")

BASE = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
# Minutes from BASE: on the hour, just before and after it, and inside hours.
MINUTES = [0, 1, 59, 60, 61, 119, 120, 150, 240, 241, 600, 601]


def _rows(project, minutes: list[float], first: int = 0) -> list[SendRequest]:
    made = [SendRequest(project=project, request_id=f"{n:020d}", tool=Tool.API,
                        created=BASE + timedelta(minutes=m))
            for n, m in enumerate(minutes, start=project.pk * 1000 + first)]
    return SendRequest.objects.bulk_create(made)


def _counted(project, start, end) -> int:
    return SendRequest.objects.filter(project=project, created__gte=start,
                                      created__lte=end).count()


def _hours(project) -> dict[datetime, int]:
    return {row.hour: row.count for row in RequestHourCount.objects.filter(project=project)
            if row.count}


def test_whole_hours_are_those_inside_the_period():
    assert whole_hours(BASE, BASE + timedelta(hours=3)) == (BASE, BASE + timedelta(hours=3))
    assert whole_hours(BASE, BASE + timedelta(hours=3) - timedelta(microseconds=1)) == (
        BASE, BASE + timedelta(hours=3))  # the last microsecond ends the third hour
    assert whole_hours(BASE, BASE + timedelta(hours=3) - timedelta(microseconds=2)) == (
        BASE, BASE + timedelta(hours=2))
    assert whole_hours(BASE + timedelta(seconds=1), BASE + timedelta(hours=3)) == (
        BASE + timedelta(hours=1), BASE + timedelta(hours=3))
    assert whole_hours(BASE + timedelta(minutes=5), BASE + timedelta(minutes=55)) is None


def test_it_keeps_the_hours_of_rows_inserted_together(project):
    _rows(project, MINUTES)
    assert _hours(project) == {BASE: 3, BASE + timedelta(hours=1): 3,
                               BASE + timedelta(hours=2): 2, BASE + timedelta(hours=4): 2,
                               BASE + timedelta(hours=10): 2}


def test_it_keeps_the_hours_of_accepted_requests(project):
    for _ in range(3):
        accepted_request(project)
    assert sum(_hours(project).values()) == 3 == requests_in_period(
        project, BASE, datetime.now(UTC) + timedelta(days=1))


@pytest.mark.parametrize(("start", "end"), [
    (0, 600), (0, 601), (1, 600), (1, 59), (59, 61), (60, 120), (-10, 1000), (61, 240.5),
    (0.5, 119.99), (150, 150), (700, 800), (-100, -1),
])
def test_it_counts_a_period_as_its_rows_do(project, start, end):
    other = make_project("other")
    _rows(project, MINUTES)
    _rows(other, MINUTES[::2])
    start_at, end_at = BASE + timedelta(minutes=start), BASE + timedelta(minutes=end)
    assert requests_in_period(project, start_at, end_at) == _counted(project, start_at, end_at)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(minutes=st.lists(st.integers(0, 24 * 60), max_size=30),
       start=st.integers(-60, 25 * 60), length=st.integers(0, 26 * 60))
def test_it_counts_any_period_as_its_rows_do(minutes, start, length):
    project = make_project("hypothesis")
    try:
        _rows(project, [m + 0.25 * (m % 3) for m in minutes])
        start_at = BASE + timedelta(minutes=start)
        end_at = start_at + timedelta(minutes=length)
        assert requests_in_period(project, start_at, end_at) == _counted(project, start_at,
                                                                        end_at)
    finally:
        project.delete()


def test_it_moves_a_row_whose_time_changes(project):
    first, *_rest = _rows(project, [0, 1, 2])
    SendRequest.objects.filter(pk=first.pk).update(created=BASE + timedelta(hours=5))
    assert _hours(project) == {BASE: 2, BASE + timedelta(hours=5): 1}
    first.refresh_from_db()
    first.save()  # a whole-row save that writes the same time moves nothing
    assert _hours(project) == {BASE: 2, BASE + timedelta(hours=5): 1}


def test_it_moves_a_row_to_another_project(project):
    other = make_project("other")
    first, _second = _rows(project, [0, 61])
    SendRequest.objects.filter(pk=first.pk).update(project=other)
    assert _hours(project) == {BASE + timedelta(hours=1): 1}
    assert _hours(other) == {BASE: 1}


def test_it_takes_deleted_rows_off(project):
    _rows(project, MINUTES)
    SendRequest.objects.filter(project=project, created__lt=BASE + timedelta(hours=2)).delete()
    assert _hours(project) == {BASE + timedelta(hours=2): 2, BASE + timedelta(hours=4): 2,
                               BASE + timedelta(hours=10): 2}
    SendRequest.objects.filter(project=project).first().delete()
    assert sum(_hours(project).values()) == 5


def test_a_project_goes_with_its_counts(project):
    _rows(project, MINUTES)
    project.delete()
    assert not RequestHourCount.objects.exists()


def test_truncating_the_requests_empties_the_counts(project):
    _rows(project, MINUTES)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's transaction defers them
        cursor.execute("TRUNCATE mailer_sendrequest CASCADE")
    assert not RequestHourCount.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_are_all_counted():
    project = make_project("concurrent")
    errors = []

    def insert(thread: int) -> None:
        try:
            for n in range(25):
                SendRequest.objects.create(project=project, request_id=f"9{thread:02d}{n:017d}",
                                           tool=Tool.API, created=BASE + timedelta(seconds=n))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=insert, args=(t,)) for t in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _hours(project) == {BASE: 150}
    assert requests_in_period(project, BASE - timedelta(days=1), BASE + timedelta(days=1)) == 150


def test_recount_counts_rows_the_triggers_did_not_see(project):
    """Rows written with the triggers off (session_replication_role = replica, as a bulk load
    may) are not counted until recount()."""
    from django.core.management import call_command

    _rows(project, [0, 1])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        _rows(make_project("loaded"), [0])
        _rows(project, [60, 61, 62], first=100)
        cursor.execute("RESET session_replication_role")
    assert _hours(project) == {BASE: 2}
    call_command("recount_requests", stdout=io.StringIO())
    assert _hours(project) == {BASE: 2, BASE + timedelta(hours=1): 3}
    assert requests_in_period(project, BASE, BASE + timedelta(hours=2)) == 5
