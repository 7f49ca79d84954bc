"""Unsubscribe links and messages: a signed token per recipient, so nobody can unsubscribe on
behalf of another recipient."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import reverse

_SALT = "outbound.unsubscribe"


def unsubscribe_token(recipient_pk: int) -> str:
    return signing.Signer(salt=_SALT).sign(str(recipient_pk))


def recipient_from_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


@lru_cache(maxsize=8)
def _url_around_token(base_url: str) -> tuple[str, str]:
    path = reverse("unsubscribe", kwargs={"token": "TOKEN"})
    before, _token, after = path.partition("TOKEN")
    return f"{base_url}{before}", after


def unsubscribe_url(recipient_pk: int) -> str:
    # Called once per mail sent: the URL is assembled around the token, not reversed each time.
    before, after = _url_around_token(settings.PUBLIC_BASE_URL)
    return f"{before}{unsubscribe_token(recipient_pk)}{after}"


def basic_unsubscribe_message(url: str) -> str:
    """The basic footer of advertising mail, in Korean and English."""
    return (
        '<p style="font-size:12px;color:#666">'
        "본 메일은 수신에 동의하신 분께 발송되는 광고 메일입니다. "
        f'수신을 원하지 않으시면 <a href="{url}" target="_blank">[수신거부]</a>를 클릭하세요.<br>'
        "This is an advertising mail sent to those who agreed to receive it. "
        f'If you no longer wish to receive it, <a href="{url}" target="_blank">unsubscribe</a>.'
        "</p>"
    )
