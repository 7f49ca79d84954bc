"""A worker stopped with one SIGTERM in the middle of a send (systemd's stop, `make run`'s
Ctrl-C): its warm shutdown lets the running deliveries finish their time slice, so every mail
they claimed is sent and recorded, no lease is left to expire, and the next worker sends the rest
without anybody marked as a possible duplicate."""

from __future__ import annotations

import signal
from collections import Counter

import pytest

from console.models import SandboxMessage
from mailer.models import FINAL_STATUSES, Mail, Recipient, SendRequest, Status
from mailer.result_codes import ResultCode
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration
RECIPIENTS = 2000
SLICE_SECONDS = 4


def _post(api, count: int) -> SendRequest:
    response = api.post("/api/v1/mails", {
        "senderAddress": "shop@company.com", "title": "Hi", "body": "<p>Hello</p>",
        "recipients": [{"address": f"user{n:05d}@example.com"} for n in range(count)]})
    assert response.status_code == 201, response.content
    return SendRequest.objects.get(request_id=response.json()["requestId"])


def _sent_so_far(send_request: SendRequest) -> int:
    return Recipient.objects.filter(send_request=send_request).exclude(result_code="").count()


def test_a_worker_stopped_mid_send_leaves_no_lease_behind(api, sink, own_redis, worker_factory):
    env = {"REDIS_URL": own_redis.url, "EMAIL_URL": f"smtp://127.0.0.1:{sink}",
           "MAILER_TIME_SLICE_SECONDS": str(SLICE_SECONDS)}
    worker = worker_factory(**env)
    send_request = _post(api, RECIPIENTS)
    wait_for(lambda: _sent_so_far(send_request) >= 200, 60, "200 recipients sent")

    worker.send_signal(signal.SIGTERM)  # to the main process only, as systemd's KillMode=mixed
    assert worker.wait(SLICE_SECONDS + 20) == 0
    stopped_at = _sent_so_far(send_request)
    assert stopped_at < RECIPIENTS, "the send finished before the worker was stopped"
    mails = Mail.objects.filter(send_request=send_request)
    assert not mails.filter(lease_until__isnull=False).exists()  # nothing waits for a lease
    assert not mails.exclude(lease_token="").exists()

    worker_factory(**env)  # takes the hand-over nudge the stopped one left in the queue

    def finished() -> bool:
        send_request.refresh_from_db()
        return send_request.status in FINAL_STATUSES

    wait_for(finished, 60, "the request finishing")
    assert send_request.status == Status.SENT
    recipients = Recipient.objects.filter(send_request=send_request)
    assert Counter(recipients.values_list("result_code", flat=True)) == {
        ResultCode.MAIL_SENT: RECIPIENTS}
    assert not recipients.filter(possible_duplicate=True).exists()
    assert not mails.filter(redelivered=True).exists()
    deliveries: Counter = Counter()
    for rcpt_tos in SandboxMessage.objects.values_list("rcpt_tos", flat=True):
        deliveries.update(rcpt_tos)
    assert len(deliveries) == RECIPIENTS
    assert set(deliveries.values()) == {1}
