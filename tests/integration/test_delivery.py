"""The send pipeline through real processes: API → Redis → Celery worker → SMTP on loopback,
with the database as the source of truth. Faults under a send (workers killed, Redis flushed,
the relay down…) are in tests/faults."""

from __future__ import annotations

from collections import Counter

import pytest

from console.models import SandboxMessage
from console.sink import start_sink, stop_sink
from mailer.models import FINAL_STATUSES, Recipient, SendRequest, Status
from mailer.result_codes import ResultCode
from tests.factories import free_port
from tests.integration.conftest import wait_for
from tests.scripted_smtp import Script, ScriptedServer

pytestmark = pytest.mark.integration
SIM = "simulator.outbound.test"
FAST = {"MAILER_RETRY_BASE_SECONDS": "0.5", "MAILER_SWEEP_SECONDS": "1",
        "MAILER_PREPARE_STALL_SECONDS": "3"}


@pytest.fixture
def sink(transactional_db):
    port = free_port()
    controller = start_sink("127.0.0.1", port)
    yield port
    stop_sink(controller)


def _post(api, **body) -> SendRequest:
    payload = {"senderAddress": "shop@company.com", "senderName": "상점", "title": "Hi ${n}",
               "body": "<p>Hello #{RECIPIENT_NAME}, ${n}</p>", "parameters": {"n": "1"},
               "recipients": [{"address": "a@example.com"}]}
    payload.update(body)
    response = api.post("/api/v1/mails", payload)
    assert response.status_code == 201, response.content
    return SendRequest.objects.get(request_id=response.json()["requestId"])


def _finished(send_request: SendRequest, timeout: float) -> SendRequest:
    def done() -> bool:
        send_request.refresh_from_db()
        return send_request.status in FINAL_STATUSES

    wait_for(done, timeout, f"request {send_request.request_id} finishing")
    return send_request


def _codes(send_request) -> Counter:
    return Counter(Recipient.objects.filter(send_request=send_request)
                   .values_list("result_code", flat=True))


def test_a_worker_delivers_individual_and_general_requests(api, sink, worker_factory):
    worker_factory(EMAIL_URL=f"smtp://127.0.0.1:{sink}")
    individual = _post(api, recipients=[
        {"address": "kim@example.com", "name": "김민수", "parameters": {"n": "7"}},
        {"address": f"bounce@{SIM}"}, {"address": f"success@{SIM}", "name": "鈴木"}])
    general = _post(api, individual=False, body="<p>Hi all ${n}</p>", recipients=[
        *[{"address": f"to{n}@example.com"} for n in range(31)],
        {"address": "cc@example.com", "type": "C"}, {"address": "bcc@example.com", "type": "B"}])

    individual = _finished(individual, 60)
    assert individual.status == Status.PARTIALLY_FAILED
    assert dict(Recipient.objects.filter(send_request=individual).values_list(
        "address", "result_code")) == {"kim@example.com": ResultCode.MAIL_SENT,
                                       f"bounce@{SIM}": ResultCode.MAILBOX_ERROR,
                                       f"success@{SIM}": ResultCode.MAIL_SENT}
    kim = SandboxMessage.objects.get(rcpt_tos=["kim@example.com"]).content()
    assert dict(kim.headers)["Subject"] == "Hi 7"
    assert dict(kim.headers)["To"] == "김민수 <kim@example.com>"
    assert kim.html.startswith("<p>Hello 김민수, 7</p><img src=")  # and the tracking image
    assert kim.text.strip() == "Hello 김민수, 7"

    general = _finished(general, 60)
    assert general.status == Status.SENT
    assert (general.mail_count, general.recipient_count) == (2, 33)
    assert _codes(general) == {ResultCode.MAIL_SENT: 33}
    first = next(m for m in SandboxMessage.objects.filter(subject="Hi 1")
                 if "cc@example.com" in m.rcpt_tos)
    assert "bcc@example.com" in first.rcpt_tos
    assert b"bcc@example.com" not in bytes(first.raw)


def test_a_relay_answering_451_for_a_while_is_retried_until_it_recovers(api, worker_factory):
    script = Script(data_replies=["451 4.3.0 Busy, try later", "451 4.3.0 Busy, try later",
                                  "250 2.0.0 Ok"])
    with ScriptedServer(script) as relay:
        worker_factory(EMAIL_URL=f"smtp://127.0.0.1:{relay.port}", **FAST)
        send_request = _post(api)
        seen = set()

        def settled() -> bool:
            recipient = Recipient.objects.filter(send_request=send_request).first()
            seen.add(recipient.result_code if recipient else None)
            return recipient is not None and recipient.result_code == ResultCode.MAIL_SENT

        wait_for(settled, 60, "the recipient to be sent")
    recipient = Recipient.objects.get(send_request=send_request)
    assert ResultCode.RESENDING_MAIL in seen
    assert (recipient.attempts, recipient.retry_count) == (3, 2)
    assert _finished(send_request, 30).status == Status.SENT


def test_a_relay_that_never_recovers_ends_in_resend_mail_fail(api, worker_factory):
    with ScriptedServer(Script(data_replies=["451 4.3.0 Busy"])) as relay:
        worker_factory(EMAIL_URL=f"smtp://127.0.0.1:{relay.port}",
                       MAILER_RETRY_MAX_ATTEMPTS="3", **FAST)
        send_request = _finished(_post(api), 60)
    recipient = Recipient.objects.get(send_request=send_request)
    assert (recipient.result_code, recipient.attempts) == (ResultCode.RESEND_MAIL_FAIL, 3)
    assert recipient.last_attempt_code == ResultCode.RECEIVE_MAIL_SERVICE_ABNORMAL
    assert send_request.status == Status.FAILED
