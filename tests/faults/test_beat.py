"""Celery beat stopped while reservations come due, then started again (DESIGN §4): nothing
sends a reservation without the sweep, and nothing is lost without it either — the sweep that
runs once beat is back dispatches every reservation that came due meanwhile, once, and
`dispatched_at` shows how late."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from mailer.models import SendRequest, Status
from tests.faults.conftest import FAST
from tests.faults.ledger import post, settle, wait_final
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration
LEAD_SECONDS = 4


def test_reservations_due_while_beat_was_stopped_go_out_once_when_it_is_back(
        api, sink, worker_factory, beat_factory):
    env = {"EMAIL_URL": sink.url, **FAST}
    worker_factory(**env)
    beat = beat_factory(**env)
    due_ms = int((time.time() + LEAD_SECONDS) * 1000)
    send_requests = [post(api, 300, prefix=f"r{n}-", reservationUtc=due_ms) for n in range(3)]
    pks = [r.pk for r in send_requests]
    waiting = SendRequest.objects.filter(pk__in=pks, status=Status.READY)
    wait_for(lambda: waiting.count() == 3, 30, "the reservations prepared")

    beat.terminate()
    beat.wait(20)
    time.sleep(LEAD_SECONDS + 3)  # due, and three sweeps missed
    assert waiting.count() == 3  # nothing else dispatches a reservation

    beat_factory(**env)
    wait_final(send_requests, 60)
    settle("beat-stopped-with-reservations-due", send_requests)
    for send_request in SendRequest.objects.filter(pk__in=pks):
        assert send_request.dispatched_at >= send_request.reservation_at + timedelta(seconds=3)
