"""The built-in SMTP sink over real SMTP on loopback, and its mailbox simulator."""

from __future__ import annotations

import smtplib
import socket
import time
from email.message import EmailMessage

import pytest
from django.core.mail import EmailMultiAlternatives, get_connection

from console.models import SandboxMessage
from console.sink import start_sink, stop_sink
from tests.factories import free_port

SIM = "simulator.outbound.test"


@pytest.fixture
def sink(transactional_db):
    port = free_port()
    controller = start_sink("127.0.0.1", port)
    yield port
    stop_sink(controller)


def _message(to: str, subject: str = "Hello", message_id: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "sender@example.com"
    message["To"] = to
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    message.set_content("Plain body")
    return message


def test_django_s_smtp_backend_delivers_to_the_sandbox(sink, project):
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend",
                                host="127.0.0.1", port=sink, use_tls=False, timeout=5)
    mail = EmailMultiAlternatives(
        "안녕하세요 — 테스트", "Text part", "보내는이 <sender@example.com>",
        ["customer@example.com"], connection=connection,
        headers={SandboxMessage.PROJECT_HEADER: project.slug},
    )
    mail.attach_alternative("<p>HTML <b>part</b></p>", "text/html")
    mail.attach("보고서.txt", "report", "text/plain")
    assert mail.send() == 1

    stored = SandboxMessage.objects.get()
    assert stored.project == project
    assert stored.subject == "안녕하세요 — 테스트"
    assert stored.rcpt_tos == ["customer@example.com"]
    content = stored.content()
    assert "<b>part</b>" in content.html
    assert content.text.strip() == "Text part"
    assert [(a.filename, a.payload) for a in content.attachments] == [("보고서.txt", b"report")]


def test_mail_sent_with_django_s_backend_shows_in_the_sandbox_inbox(sink, project, client):
    from tests.factories import add_member, make_user

    member = make_user("reader")
    add_member(project, member)
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend",
                                host="127.0.0.1", port=sink, use_tls=False, timeout=5)
    EmailMultiAlternatives("Order 42 shipped", "text", "shop@example.com",
                           ["buyer@example.com"], connection=connection,
                           headers={SandboxMessage.PROJECT_HEADER: project.slug}).send()
    client.force_login(member)
    inbox = client.get(f"/projects/{project.slug}/sandbox/").content.decode()
    assert "Order 42 shipped" in inbox
    message = SandboxMessage.objects.get()
    detail = client.get(f"/projects/{project.slug}/sandbox/{message.pk}/").content.decode()
    assert "buyer@example.com" in detail


def test_it_files_untagged_mail_under_no_project(sink):
    with smtplib.SMTP("127.0.0.1", sink, timeout=5) as smtp:
        smtp.send_message(_message("someone@example.com"))
    assert SandboxMessage.objects.get().project is None


def test_success_is_accepted(sink):
    with smtplib.SMTP("127.0.0.1", sink, timeout=5) as smtp:
        refused = smtp.send_message(_message(f"success@{SIM}"))
    assert refused == {}
    assert SandboxMessage.objects.filter(rcpt_tos=[f"success@{SIM}"]).count() == 1


def test_bounce_is_refused_with_550_5_1_1(sink):
    with smtplib.SMTP("127.0.0.1", sink, timeout=5) as smtp:
        smtp.ehlo()
        smtp.mail("sender@example.com")
        code, reply = smtp.rcpt(f"bounce@{SIM}")
    assert code == 550
    assert reply.startswith(b"5.1.1")


def test_blocked_is_refused_with_554_5_7_1(sink):
    with smtplib.SMTP("127.0.0.1", sink, timeout=5) as smtp:
        smtp.ehlo()
        smtp.mail("sender@example.com")
        code, reply = smtp.rcpt(f"blocked@{SIM}")
    assert code == 554
    assert reply.startswith(b"5.7.1")


def test_bounce_refuses_only_its_own_recipient(sink):
    with smtplib.SMTP("127.0.0.1", sink, timeout=5) as smtp:
        refused = smtp.send_message(_message(f"success@{SIM}, bounce@{SIM}"))
    assert list(refused) == [f"bounce@{SIM}"]
    assert SandboxMessage.objects.get().rcpt_tos == [f"success@{SIM}"]


def test_tempfail_answers_451_once_then_accepts(sink):
    message = _message(f"tempfail@{SIM}", message_id="<retry-1@example.com>")
    with smtplib.SMTP("127.0.0.1", sink, timeout=5) as smtp:
        with pytest.raises(smtplib.SMTPDataError) as info:
            smtp.send_message(message)
        assert info.value.smtp_code == 451
        assert smtp.send_message(message) == {}
    assert SandboxMessage.objects.count() == 1


def test_tempfail_plus_n_fails_n_times(sink):
    message = _message(f"tempfail+2@{SIM}", message_id="<retry-2@example.com>")
    codes = []
    with smtplib.SMTP("127.0.0.1", sink, timeout=5) as smtp:
        for _ in range(3):
            try:
                smtp.send_message(message)
                codes.append(250)
            except smtplib.SMTPDataError as error:
                codes.append(error.smtp_code)
    assert codes == [451, 451, 250]


def test_slow_delays_the_data_reply_past_the_client_timeout(sink):
    with smtplib.SMTP("127.0.0.1", sink, timeout=0.5) as smtp:  # noqa: SIM117
        with pytest.raises((socket.timeout, TimeoutError, smtplib.SMTPServerDisconnected)):
            smtp.send_message(_message(f"slow+2@{SIM}"))


def test_slow_answers_after_the_delay(sink):
    with smtplib.SMTP("127.0.0.1", sink, timeout=5) as smtp:
        started = time.monotonic()
        assert smtp.send_message(_message(f"slow+1@{SIM}")) == {}
    assert time.monotonic() - started >= 1


def test_ooto_accepts_and_sends_an_auto_reply(sink, project):
    message = _message(f"ooto@{SIM}", subject="Invoice")
    message[SandboxMessage.PROJECT_HEADER] = project.slug
    with smtplib.SMTP("127.0.0.1", sink, timeout=5) as smtp:
        assert smtp.send_message(message) == {}
    reply = SandboxMessage.objects.get(subject="Automatic reply: Invoice")
    assert reply.rcpt_tos == ["sender@example.com"]
    assert reply.project == project
    assert b"Auto-Submitted: auto-replied" in bytes(reply.raw)


def test_it_accepts_korean_and_japanese_addresses_with_smtputf8(sink):
    with smtplib.SMTP("127.0.0.1", sink, timeout=5) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("smtputf8")
        refused = smtp.sendmail("sender@example.com", ["사용자@example.com"],
                                _message("사용자@example.com").as_bytes(),
                                mail_options=["SMTPUTF8"])
    assert refused == {}
