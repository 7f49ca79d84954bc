"""Signed per-recipient links in mail (unsubscribe, open tracking): the token names the
recipient and is signed, so nobody acts on behalf of another recipient."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import reverse


class RecipientLink:
    """Tokens and absolute URLs of one kind of link (one salt, one URL pattern)."""

    def __init__(self, salt: str, url_name: str) -> None:
        self.signer = signing.Signer(salt=salt)
        self.url_name = url_name

    def token(self, recipient_pk: int) -> str:
        return self.signer.sign(str(recipient_pk))

    def recipient(self, token: str) -> int | None:
        try:
            return int(self.signer.unsign(token))
        except (signing.BadSignature, ValueError):
            return None

    def url(self, recipient_pk: int) -> str:
        # Called once per mail sent: the URL is assembled around the token, not reversed.
        before, after = _around_token(self.url_name, settings.PUBLIC_BASE_URL)
        return f"{before}{self.token(recipient_pk)}{after}"


@lru_cache(maxsize=16)
def _around_token(url_name: str, base_url: str) -> tuple[str, str]:
    before, _token, after = reverse(url_name, kwargs={"token": "TOKEN"}).partition("TOKEN")
    return f"{base_url}{before}", after
