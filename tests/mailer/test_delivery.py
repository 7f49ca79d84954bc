"""Delivery in-process against the built-in sink over real SMTP: content, outcomes, retries,
leases. (tests/integration/ runs the same through real worker processes.)"""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from console.models import SandboxMessage
from mailer import delivery, preparation
from mailer.models import Mail, Recipient, SendBlock, SendRequest, Status, Unsubscriber
from mailer.result_codes import ResultCode, classify_error
from mailer.tasks import prepare_request
from tests.mailer.factories import accepted_request, recipients, sent_request
from tests.scripted_smtp import ScriptedServer

SIM = "simulator.outbound.test"

EXAMPLE_1 = {
    "senderAddress": "no_reply@company.com", "senderName": "administrator",
    "title": "Notification for event ${SEQ}.",
    "body": "Hello #{RECIPIENT_NAME}! Conducting a custom appreciation event ${SEQ}... <br/> "
            "<a href='#{UNSUBSCRIBE_URL}' target='_blank'>Unsubscribe</a>",
    "parameters": {"SEQ": "3"},
    "recipients": [{"address": "hongildong@naver_.com", "name": "Hong Gil Dong", "type": "R"},
                   {"address": "chulsoo@daum_.net", "name": "Kim Chul Soo", "type": "R"}],
    "individual": True,
}
EXAMPLE_2 = {
    "senderAddress": "no_reply@company.com", "senderName": "administrator",
    "title": "Hello, #{RECIPIENT_NAME}. We are notifying you of a change in your grade.",
    "body": "Your grade has been changed from ${BEFORE_GRADE} to ${AFTER_GRADE}. <br/> "
            "<a href='#{UNSUBSCRIBE_URL}' target='_blank'>Unsubscribe</a>",
    "recipients": [
        {"address": "hongildong@naver_.com", "name": "Hong Gil Dong", "type": "R",
         "parameters": {"BEFORE_GRADE": "SILVER", "AFTER_GRADE": "GOLD"}},
        {"address": "chulsoo@daum_.net", "name": "Kim Chul Soo", "type": "R",
         "parameters": {"BEFORE_GRADE": "BRONZE", "AFTER_GRADE": "SILVER"}}],
    "individual": True,
}


def _send(project, **body) -> SendRequest:
    return sent_request(project, **body)


def _delivered(address: str) -> list[SandboxMessage]:
    return [m for m in SandboxMessage.objects.order_by("id") if address in m.rcpt_tos]


def _codes(send_request) -> dict[str, str]:
    return dict(Recipient.objects.filter(send_request=send_request).values_list("address",
                                                                           "result_code"))


def test_the_first_seed_example_personalises_the_metadata(sink, project):
    done = _send(project, **EXAMPLE_1)
    assert done.status == Status.SENT
    assert done.send_started_at and done.finished_at and done.send_duration is not None
    hong = _delivered("hongildong@naver_.com")[0].content()
    kim = _delivered("chulsoo@daum_.net")[0].content()
    assert dict(hong.headers)["Subject"] == "Notification for event 3."
    assert dict(kim.headers)["Subject"] == "Notification for event 3."
    hong_url = re.search(r"href=\"?'?([^'\" >]+/u/[^'\" >]+)", hong.html)[1]
    assert hong.html.startswith("Hello Hong Gil Dong! Conducting a custom appreciation event 3...")
    assert kim.html.startswith("Hello Kim Chul Soo! Conducting a custom appreciation event 3...")
    assert hong_url not in kim.html
    assert "Hello Hong Gil Dong! Conducting a custom appreciation event 3..." in hong.text


def test_the_second_seed_example_personalises_each_recipient(sink, project):
    _send(project, **EXAMPLE_2)
    hong = _delivered("hongildong@naver_.com")[0].content()
    kim = _delivered("chulsoo@daum_.net")[0].content()
    assert dict(hong.headers)["Subject"] == (
        "Hello, Hong Gil Dong. We are notifying you of a change in your grade.")
    assert dict(kim.headers)["Subject"] == (
        "Hello, Kim Chul Soo. We are notifying you of a change in your grade.")
    assert hong.html.startswith("Your grade has been changed from SILVER to GOLD.")
    assert kim.html.startswith("Your grade has been changed from BRONZE to SILVER.")


def test_the_unsubscribe_link_of_a_mail_works_for_its_recipient(sink, project, client):
    _send(project, **EXAMPLE_1)
    html = _delivered("chulsoo@daum_.net")[0].content().html
    path = re.search(r"https?://[^/]+(/u/[^'\" >]+)", html)[1]
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    assert Unsubscriber.objects.get(project=project).address == "chulsoo@daum_.net"


def test_a_tampered_unsubscribe_link_is_refused(sink, project, client):
    _send(project, **EXAMPLE_1)
    html = _delivered("chulsoo@daum_.net")[0].content().html
    path = re.search(r"https?://[^/]+(/u/[^'\" >]+)", html)[1]
    tampered = path.replace("/u/", "/u/9")
    assert client.post(tampered).status_code == 404
    assert not Unsubscriber.objects.exists()


def test_it_builds_correct_mime_for_korean_and_japanese(sink, project):
    subject = "주문이 발송되었습니다 — ご注文の商品を発送しました"
    _send(project, senderName="쇼핑몰 お店", title=subject,
          recipients=[{"address": "kim@example.com", "name": "김민수"}],
          referencesHeader="<order-42@shop.example.com>")
    message = _delivered("kim@example.com")[0]
    parsed = message.content()
    headers = dict(parsed.headers)
    assert headers["Subject"] == subject
    assert headers["From"] == "쇼핑몰 お店 <shop@company.com>"
    assert headers["To"] == "김민수 <kim@example.com>"
    assert headers["References"] == "<order-42@shop.example.com>"
    assert re.fullmatch(r"<\d{20}\.1@[\w.\-]+>", headers["Message-ID"])
    assert parsed.text.strip() == "Hello"
    assert message.project == project  # tagged for this project's Sandbox inbox


def test_every_mail_has_its_own_message_id(sink, project):
    done = _send(project, recipients=recipients(3))
    ids = {m.message_id for m in SandboxMessage.objects.all()}
    assert len(ids) == 3
    assert all(done.request_id in message_id for message_id in ids)


def test_a_general_send_shows_to_and_cc_and_hides_bcc(sink, project):
    rows = [*recipients(35), {"address": "cc@example.com", "type": "C", "name": "Carol"},
            {"address": "bcc@example.com", "type": "B"}]
    done = _send(project, individual=False, recipients=rows)
    assert done.status == Status.SENT
    messages = list(SandboxMessage.objects.order_by("id"))
    assert len(messages) == 2
    first = next(m for m in messages if "cc@example.com" in m.rcpt_tos)
    assert "bcc@example.com" in first.rcpt_tos
    headers = dict(first.content().headers)
    assert "Carol <cc@example.com>" in headers["Cc"]
    assert "bcc@example.com" not in bytes(first.raw).decode()
    assert len(first.rcpt_tos) == 32


def test_the_simulator_outcomes_land_as_result_codes(sink, project):
    rows = [{"address": f"{name}@{SIM}"} for name in ("success", "bounce", "blocked", "ooto",
                                                       "nxdomain", "disconnect")]
    done = _send(project, recipients=rows)
    assert _codes(done) == {
        f"success@{SIM}": ResultCode.MAIL_SENT, f"bounce@{SIM}": ResultCode.MAILBOX_ERROR,
        f"blocked@{SIM}": ResultCode.SECURITY_AND_POLICY_ERROR,
        f"ooto@{SIM}": ResultCode.MAIL_SENT,
        f"nxdomain@{SIM}": ResultCode.NONEXISTENT_DOMAIN_ADDRESS,
        f"disconnect@{SIM}": ResultCode.CONNECTION_ERROR,
    }
    assert done.status == Status.PARTIALLY_FAILED
    bounced = Recipient.objects.get(address=f"bounce@{SIM}")
    assert bounced.reply_code == 550
    assert bounced.reply_text.startswith("5.1.1")
    assert not bounced.received
    sent = Recipient.objects.get(address=f"success@{SIM}")
    assert sent.received and sent.received_at is not None and sent.attempts == 1


def test_a_hard_failure_blocks_the_address_for_later_sends(sink, project):
    _send(project, recipients=[{"address": f"bounce@{SIM}"}])
    block = SendBlock.objects.get(project=project, address=f"bounce@{SIM}")
    assert block.blocked_until > timezone.now() + timedelta(hours=167)
    before = SandboxMessage.objects.count()
    later = _send(project, recipients=[{"address": f"bounce@{SIM}"}, {"address": "ok@ex.com"}])
    assert _codes(later)[f"bounce@{SIM}"] == ResultCode.SEND_BLOCK_ADDRESS
    assert SandboxMessage.objects.count() == before + 1


def test_a_temporary_failure_is_retried_until_sent(sink, project, settings):
    settings.MAILER_RETRY_BASE_SECONDS = 60
    done = _send(project, recipients=[{"address": f"tempfail@{SIM}"}])
    recipient = Recipient.objects.get(send_request=done)
    assert recipient.result_code == ResultCode.RESENDING_MAIL
    assert recipient.last_attempt_code == ResultCode.RECEIVE_MAIL_SERVICE_ABNORMAL
    mail = Mail.objects.get(send_request=done)
    assert mail.status == Status.SENDING
    assert mail.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert done.status == Status.SENDING

    Mail.objects.filter(pk=mail.pk).update(next_attempt_at=timezone.now())
    delivery.deliver(done.pk)
    recipient.refresh_from_db()
    done.refresh_from_db()
    assert recipient.result_code == ResultCode.MAIL_SENT
    assert (recipient.attempts, recipient.retry_count) == (2, 1)
    assert done.status == Status.SENT


def test_retries_run_out_as_resend_mail_fail(sink, project, settings):
    settings.MAILER_RETRY_MAX_ATTEMPTS = 3
    done = _send(project, recipients=[{"address": f"tempfail+99@{SIM}"}])
    for _ in range(2):
        Mail.objects.filter(send_request=done).update(next_attempt_at=timezone.now())
        delivery.deliver(done.pk)
    recipient = Recipient.objects.get(send_request=done)
    done.refresh_from_db()
    assert (recipient.result_code, recipient.attempts) == (ResultCode.RESEND_MAIL_FAIL, 3)
    assert done.status == Status.FAILED


def test_retries_also_end_after_the_maximum_age(sink, project, settings):
    settings.MAILER_RETRY_MAX_AGE_HOURS = 1
    done = _send(project, recipients=[{"address": f"tempfail+99@{SIM}"}])
    Recipient.objects.filter(send_request=done).update(
        first_attempt_at=timezone.now() - timedelta(hours=2))
    Mail.objects.filter(send_request=done).update(next_attempt_at=timezone.now())
    delivery.deliver(done.pk)
    assert Recipient.objects.get(send_request=done).result_code == ResultCode.RESEND_MAIL_FAIL


def test_a_slow_server_is_read_timed_out(sink, project, settings):
    settings.EMAIL_TIMEOUT = 1
    done = _send(project, recipients=[{"address": f"slow+3@{SIM}"}])
    assert _codes(done)[f"slow+3@{SIM}"] == ResultCode.READ_TIMED_OUT
    assert done.status == Status.FAILED


def test_a_claim_leases_mails_to_one_worker(sink, project):
    send_request = accepted_request(project, recipients=recipients(5))
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    first = delivery.claim(send_request.pk, "worker-a", 3)
    second = delivery.claim(send_request.pk, "worker-b", 10)
    assert len(first) == 3 and len(second) == 2
    assert not {m.pk for m in first} & {m.pk for m in second}
    assert delivery.claim(send_request.pk, "worker-c", 10) == []


def test_an_expired_lease_is_claimed_again_and_marked(sink, project):
    send_request = accepted_request(project, recipients=recipients(1))
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    (stolen,) = delivery.claim(send_request.pk, "dead-worker", 10)
    Mail.objects.filter(pk=stolen.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    (again,) = delivery.claim(send_request.pk, "live-worker", 10)
    assert again.pk == stolen.pk and again.redelivered
    delivery.deliver(send_request.pk)  # the live worker's lease is still valid: nothing to do
    assert Recipient.objects.get(send_request=send_request).result_code == ""
    Mail.objects.filter(pk=stolen.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    delivery.deliver(send_request.pk)
    recipient = Recipient.objects.get(send_request=send_request)
    assert recipient.result_code == ResultCode.MAIL_SENT
    assert recipient.possible_duplicate


def test_a_worker_that_lost_its_lease_does_not_record(sink, project):
    send_request = accepted_request(project, recipients=recipients(1))
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    (mail,) = delivery.claim(send_request.pk, "slow-worker", 10)
    Mail.objects.filter(pk=mail.pk).update(lease_token="someone-else")
    sent = classify_error("unknown", "late")
    delivery.record(send_request, "slow-worker", [(mail, {mail.recipients[0].pk: sent})], [])
    assert Recipient.objects.get(send_request=send_request).result_code == ""


def test_a_request_that_is_not_sending_is_left_alone(sink, project):
    send_request = accepted_request(project, recipients=recipients(1), confirmAndSend=True)
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    delivery.deliver(send_request.pk)
    assert not SandboxMessage.objects.exists()


def test_an_unresolved_tag_is_not_sent(sink, project):
    done = _send(project, recipients=[{"address": "a@example.com"}], body="${MISSING}")
    assert _codes(done)["a@example.com"] == ResultCode.CONTENT_HAS_TAG_FORM
    assert not SandboxMessage.objects.exists()


def test_mail_to_a_real_relay_does_not_name_the_project(transactional_db, project, settings):
    """X-Outbound-Project is for the built-in sink's Sandbox inbox only: real recipients must
    not learn the tenant's internal name."""
    with ScriptedServer() as relay:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", relay.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        _send(project, recipients=[{"address": "kim@example.com"}])
        (_sender, _rcpts, raw), = relay.script.received
    assert b"X-Outbound-Project" not in raw
    assert b"X-Outbound-Request-ID" in raw


def test_every_hard_bounce_of_the_guide_send_blocks_the_address(sink, project):
    """554 5.7.1 (SECURITY_AND_POLICY_ERROR) is one of the guide's hard bounces."""
    done = _send(project, recipients=[{"address": "blocked@simulator.outbound.test"},
                                      {"address": "tempfail+9@simulator.outbound.test"}])
    codes = dict(Recipient.objects.filter(send_request=done).values_list("address",
                                                                         "result_code"))
    assert codes["blocked@simulator.outbound.test"] == ResultCode.SECURITY_AND_POLICY_ERROR
    assert list(SendBlock.objects.values_list("address", flat=True)) == [
        "blocked@simulator.outbound.test"]  # a temporary failure blocks nothing


def test_a_request_gets_as_many_delivery_tasks_as_it_has_claims(project, monkeypatch, settings):
    settings.MAILER_DELIVERY_TASKS, settings.MAILER_CLAIM_SIZE = 4, 100
    nudged = {}
    monkeypatch.setattr(delivery, "nudge", lambda pk, tasks=1, countdown=None:
                        nudged.__setitem__(pk, tasks))
    sizes = {"one": 1, "two claims": 150, "many": 1000}
    requests = {}
    for name, count in sizes.items():
        requests[name] = accepted_request(project, recipients=recipients(count))
        prepare_request.apply(kwargs={"request_pk": requests[name].pk})
    assert {name: nudged[r.pk] for name, r in requests.items()} == {
        "one": 1, "two claims": 2, "many": 4}


def test_requests_delivered_together_keep_their_own_outcomes(sink, project, settings,
                                                             enqueued):
    from tests.factories import make_project

    settings.MAILER_CLAIM_SIZE = 2  # claims and flushes that mix the requests' mails
    other_project = make_project("other")
    sent = accepted_request(project, recipients=recipients(3))
    bounced = accepted_request(other_project, recipients=[{"address": f"bounce@{SIM}"}])
    retried = accepted_request(project, recipients=[{"address": f"tempfail@{SIM}"}])
    batch = preparation.prepare_small(timezone.now())
    assert not batch.full
    delivery.deliver_together(batch.to_deliver)

    statuses = dict(SendRequest.objects.values_list("pk", "status"))
    assert statuses == {sent.pk: Status.SENT, bounced.pk: Status.FAILED,
                        retried.pk: Status.SENDING}
    assert set(_codes(sent).values()) == {ResultCode.MAIL_SENT}
    assert SendBlock.objects.get(address=f"bounce@{SIM}").project == other_project
    assert _codes(retried) == {f"tempfail@{SIM}": ResultCode.RESENDING_MAIL}
    assert enqueued[-1][0] == delivery.DELIVER_TASK  # the retry has a task of its own
    assert enqueued[-1][1] == {"request_pk": retried.pk}


def test_a_mail_that_cannot_be_built_between_others_fails_alone(sink, project):
    """The batch goes out pipelined, one envelope behind the previous message: a mail left out
    in the middle must not shift the others' outcomes."""
    done = _send(project, individual=True, body="<p>${GRADE}</p>",
                 recipients=[{"address": "a@example.com", "parameters": {"GRADE": "GOLD"}},
                             {"address": "b@example.com"},
                             {"address": "c@example.com", "parameters": {"GRADE": "SILVER"}}])
    assert _codes(done) == {"a@example.com": ResultCode.MAIL_SENT,
                            "b@example.com": ResultCode.CONTENT_HAS_TAG_FORM,
                            "c@example.com": ResultCode.MAIL_SENT}
    assert b"SILVER" in _delivered("c@example.com")[0].raw
