"""The rollups kept by the real beat and worker while mail is sent — sends to several domains,
bounces, a temporary failure retried, opens, an unsubscribe, a cancellation and a worker killed
with SIGKILL mid-send — equal the rollups rebuilt from history, and the raw recipient table."""

from __future__ import annotations

import os
import signal
from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mailer import lifecycle
from mailer.models import FINAL_STATUSES, Recipient, SendRequest
from mailer.tracking import record_open
from mailer.unsubscribe import unsubscribe_url
from stats import rollups
from stats.models import Basis, DailyCounts, DailyUsage, ResultCounts, Watermark
from tests.integration.conftest import stop, wait_for
from tests.integration.test_delivery import FAST, SIM, _post, sink  # noqa: F401 - the fixture

pytestmark = pytest.mark.integration


def _snapshot() -> dict:
    return {
        "daily": sorted(DailyCounts.objects.exclude(
            requested=0, sent=0, opened=0, unsubscribed=0).values_list(
            "project_id", "basis", "day", "template_id", "requested", "sent", "opened",
            "unsubscribed")),
        "results": sorted(ResultCounts.objects.exclude(count=0).values_list(
            "project_id", "day", "domain", "result_code", "count")),
        "usage": sorted(DailyUsage.objects.values_list("project_id", "day", "counted")),
    }


def _all_final(*requests) -> bool:
    for send_request in requests:
        send_request.refresh_from_db()
    return all(r.status in FINAL_STATUSES for r in requests)


def test_rollups_kept_under_faults_equal_a_rebuild(api, sink, worker_factory,  # noqa: F811
                                                   beat_factory):
    env = {"EMAIL_URL": f"smtp://127.0.0.1:{sink}", "MAILER_LEASE_SECONDS": "5",
           "STATS_ROLLUP_SECONDS": "1", "STATS_ROLLUP_MARGIN_SECONDS": "2", **FAST}
    victim = worker_factory(**env)
    beat = beat_factory(**env)
    big = _post(api, recipients=[{"address": f"user{n}@d{n % 7}.example"}
                                 for n in range(6000)])
    simulated = _post(api, advertising=True, recipients=[
        {"address": f"{kind}@{SIM}"} for kind in ("success", "bounce", "blocked", "tempfail",
                                                   "ooto")])
    later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    scheduled = _post(api, reservationDateTime=later,
                      recipients=[{"address": "early@example.com"},
                                  {"address": "late@example.com"}])
    wait_for(lambda: Recipient.objects.filter(send_request=big, settled_at__isnull=False)
             .count() >= 1500, 120, "1,500 recipients settled")
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(10)
    worker_factory(**env)
    wait_for(lambda: _all_final(big, simulated), 300, "the sends finishing")
    wait_for(lambda: (scheduled.refresh_from_db() or scheduled.status == "R"), 60,
             "the scheduled request ready")
    lifecycle.cancel(SendRequest.objects.get(pk=scheduled.pk))
    opened = Recipient.objects.filter(send_request=big, address__endswith="@d1.example")[:9]
    for recipient in opened:
        record_open(recipient.pk)
    ad = Recipient.objects.get(send_request=simulated, address=f"success@{SIM}")
    record_open(ad.pk)
    Client().post("/" + unsubscribe_url(ad.pk).split("://", 1)[-1].split("/", 1)[1])
    # The beat's runs catch up with all of it (2 s of margin, a run a second).
    done = timezone.now()
    wait_for(lambda: Watermark.objects.filter(moment__gt=done).exists(), 60,
             "the rollups catching up")
    stop(beat)
    incremental = _snapshot()
    mark = Watermark.objects.get().moment

    # The raw table says the same.
    today = timezone.localdate()
    counted = DailyCounts.objects.filter(basis=Basis.REQUEST, day=today)
    settled = Recipient.objects.filter(settled_at__lt=mark)
    codes = Counter(settled.values_list("result_code", flat=True))
    assert sum(r.count for r in ResultCounts.objects.all()) == sum(codes.values()) == 6007
    assert sum(r.opened for r in counted) == 10
    assert sum(r.unsubscribed for r in counted) == 1
    assert sum(r.requested for r in counted) == 6007
    assert codes["CANCELED_MAIL"] == 2
    assert DailyUsage.objects.get(day=today).counted == 6005  # the 2 cancelled given back

    rollups.rebuild(mark + rollups.MARGIN)
    assert Watermark.objects.get().moment == mark
    assert _snapshot() == incremental
