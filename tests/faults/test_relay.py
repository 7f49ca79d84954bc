"""The SMTP relay down for a minute in the middle of a send, then back (DESIGN §4 step 5, §10):
while it refuses connections every waiting recipient is retried with backoff, none given up; once
it answers again the send finishes. Only a mail whose whole message was out when the relay went
away may fail for good (CONNECTION_ERROR: it may have been delivered, so it is not sent again)."""

from __future__ import annotations

import time

import pytest

from mailer.models import Recipient, SendRequest, Status
from mailer.result_codes import ResultCode
from tests.faults.conftest import FAST
from tests.faults.ledger import IN_FLIGHT_FAILURES, post, sent_so_far, settle, wait_final
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration
RELAY_DOWN_SECONDS = 60
RECIPIENTS = 3000


def test_the_relay_down_for_a_minute_delays_the_send_and_loses_nothing(
        api, sink, worker_factory, beat_factory):
    # Backoff from 2 s, at most 8 s apart: about ten attempts while the relay is away.
    env = {"EMAIL_URL": sink.url, **FAST, "MAILER_RETRY_BASE_SECONDS": "2",
           "MAILER_RETRY_MAX_DELAY_SECONDS": "8", "MAILER_RETRY_MAX_ATTEMPTS": "30"}
    worker = worker_factory(**env)
    beat_factory(**env)
    send_request = post(api, RECIPIENTS)
    wait_for(lambda: sent_so_far(send_request) >= 500, 60, "500 recipients sent")

    sink.stop()
    down_at = time.monotonic()
    assert sent_so_far(send_request) < RECIPIENTS, "the send finished before the relay went"
    recipients = Recipient.objects.filter(send_request=send_request)
    wait_for(lambda: recipients.filter(result_code=ResultCode.RESENDING_MAIL).exists(), 20,
             "recipients waiting for a retry")
    time.sleep(max(0, RELAY_DOWN_SECONDS - (time.monotonic() - down_at)))
    retried = recipients.filter(attempts__gte=3).count()
    assert SendRequest.objects.get(pk=send_request.pk).status == Status.SENDING
    given_up = recipients.exclude(result_code__in=["", ResultCode.MAIL_SENT,
                                                   ResultCode.RESENDING_MAIL,
                                                   *IN_FLIGHT_FAILURES])
    assert not given_up.exists(), "a recipient was given up while the relay was down"
    assert retried > 0, "nobody was tried again while the relay was down"

    sink.start()
    back_at = time.monotonic()
    wait_final([send_request], 120, worker)
    figures = settle("relay-down-a-minute", [send_request], relay_lost=True)
    # A mail that failed in flight may still have reached the relay: why it is not sent again.
    assert figures.delivered >= RECIPIENTS - figures.failed_in_flight
    assert figures.failed_in_flight <= 2  # at most the mails in flight, one a delivery task
    assert time.monotonic() - back_at < 30  # the retries were at most 8 s apart
