"""Accepting requests in tests without going through HTTP."""

from __future__ import annotations

from mailer.acceptance import accept
from mailer.models import SendRequest
from mailer.schemas import MailRequestIn


def request_body(**overrides) -> dict:
    body = {"senderAddress": "shop@company.com", "senderName": "Shop", "title": "Hello",
            "body": "<p>Hello</p>", "recipients": [{"address": "a@example.com"}]}
    body.update(overrides)
    return body


def accepted_request(project, **overrides) -> SendRequest:
    return accept(project, MailRequestIn.model_validate(request_body(**overrides))).send_request


def recipients(count: int, domain: str = "example.com", **extra) -> list[dict]:
    return [{"address": f"user{n:06d}@{domain}", **extra} for n in range(count)]


def sent_request(project, **overrides) -> SendRequest:
    """Accepted, prepared and delivered in this process (to the relay the settings name)."""
    from mailer import delivery
    from mailer.tasks import prepare_request

    send_request = accepted_request(project, **overrides)
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    delivery.deliver(send_request.pk)
    send_request.refresh_from_db()
    return send_request


def delivered_to(address: str):
    """The sandbox messages that reached an address, oldest first."""
    from console.models import SandboxMessage

    return [m for m in SandboxMessage.objects.order_by("id") if address in m.rcpt_tos]


def sent_html(message) -> str:
    """The HTML part exactly as sent (the Sandbox's view of it is sanitised)."""
    from email import message_from_bytes, policy

    parsed = message_from_bytes(bytes(message.raw), policy=policy.default)
    return parsed.get_body(preferencelist=("html",)).get_content()
