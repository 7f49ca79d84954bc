"""Signature v2 authentication of the /api/v1 endpoints, compatible with the cloud mailer's clients.

String to sign: METHOD + " " + path_with_query + "\\n" + timestamp + "\\n" + access_key,
HMAC-SHA256 with the secret key, Base64. The timestamp (epoch milliseconds) must be within five
minutes of the server's clock.

This module needs no database: clients and benchmarks import `signed_headers` from it. The check
of an incoming request against the stored keys is console.api.authenticate.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from django.http import HttpRequest

TIMESTAMP_HEADER = "x-ncp-apigw-timestamp"
ACCESS_KEY_HEADER = "x-ncp-iam-access-key"
SIGNATURE_HEADER = "x-ncp-apigw-signature-v2"
WINDOW_MS = 5 * 60 * 1000


class SignatureError(Exception):
    """The request is not authenticated; the message goes to the error body's details."""


def sign(method: str, path_with_query: str, timestamp: str, access_key: str, secret: str) -> str:
    message = f"{method} {path_with_query}\n{timestamp}\n{access_key}"
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_headers(
    method: str, path_with_query: str, access_key: str, secret: str, timestamp: str | None = None
) -> dict[str, str]:
    """The three headers a client sends; used by the tests, the benchmarks and the docs."""
    timestamp = timestamp or str(int(time.time() * 1000))
    return {
        TIMESTAMP_HEADER: timestamp,
        ACCESS_KEY_HEADER: access_key,
        SIGNATURE_HEADER: sign(method, path_with_query, timestamp, access_key, secret),
    }


def _wsgi_text(value: str) -> str:
    """WSGI gives the bytes of the request line as latin-1 text; the client wrote UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def raw_path_with_query(request: HttpRequest) -> str:
    """The path and query exactly as the client sent them, where the server tells us."""
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    if raw:
        return _wsgi_text(raw)
    query = _wsgi_text(request.META.get("QUERY_STRING", ""))
    # A regional base path was rewritten to /api/v1 (console.middleware): sign what was sent.
    path = request.META.get("OUTBOUND_ORIGINAL_PATH", request.path)
    return path + (f"?{query}" if query else "")
