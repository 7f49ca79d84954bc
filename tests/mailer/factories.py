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
    return accept(project, MailRequestIn.model_validate(request_body(**overrides))).request


def recipients(count: int, domain: str = "example.com", **extra) -> list[dict]:
    return [{"address": f"user{n:06d}@{domain}", **extra} for n in range(count)]
