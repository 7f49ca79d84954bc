"""Signature v2 authentication of the /api/v1 endpoints, compatible with the cloud mailer's clients.

String to sign: METHOD + " " + path_with_query + "\\n" + timestamp + "\\n" + access_key,
HMAC-SHA256 with the secret key, Base64. The timestamp (epoch milliseconds) must be within five
minutes of the server's clock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from console.models import ApiKey, Membership, Project

TIMESTAMP_HEADER = "x-ncp-apigw-timestamp"
ACCESS_KEY_HEADER = "x-ncp-iam-access-key"
SIGNATURE_HEADER = "x-ncp-apigw-signature-v2"
WINDOW_MS = 5 * 60 * 1000
LAST_USED_RESOLUTION = timedelta(minutes=1)


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


def raw_path_with_query(request: HttpRequest) -> str:
    """The path and query exactly as the client sent them, where the server tells us."""
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    if raw:
        return raw
    query = request.META.get("QUERY_STRING", "")
    return request.path + (f"?{query}" if query else "")


@dataclass(frozen=True)
class ApiCaller:
    """Who is calling: the key, its project and the owner's membership (for role checks)."""

    key: ApiKey
    project: Project
    membership: Membership


def authenticate(request: HttpRequest, now_ms: int | None = None) -> ApiCaller:
    headers = request.headers
    timestamp = headers.get(TIMESTAMP_HEADER, "")
    access_key = headers.get(ACCESS_KEY_HEADER, "")
    signature = headers.get(SIGNATURE_HEADER, "")
    missing = [
        name
        for name, value in (
            (TIMESTAMP_HEADER, timestamp),
            (ACCESS_KEY_HEADER, access_key),
            (SIGNATURE_HEADER, signature),
        )
        if not value
    ]
    if missing:
        raise SignatureError(f"Missing header: {', '.join(missing)}")
    if not timestamp.isdigit():
        raise SignatureError(f"{TIMESTAMP_HEADER} must be epoch milliseconds")
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    if abs(now_ms - int(timestamp)) > WINDOW_MS:
        raise SignatureError("The timestamp is more than 5 minutes away from the server time")

    key = (
        ApiKey.objects.select_related("project", "user")
        .filter(access_key=access_key)
        .first()
    )
    if key is None:
        raise SignatureError("Unknown access key")
    if key.revoked is not None:
        raise SignatureError("The access key has been revoked")
    secret = key.secret
    if secret is None:
        raise SignatureError("The access key can no longer be verified; issue a new one")
    expected = sign(request.method or "GET", raw_path_with_query(request), timestamp,
                    access_key, secret)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise SignatureError("The signature does not match")
    membership = Membership.objects.filter(project=key.project, user=key.user).first()
    if membership is None or not key.user.is_active:
        raise SignatureError("The key's owner is no longer a member of the project")

    now = timezone.now()
    if key.last_used is None or now - key.last_used > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used=now)
    return ApiCaller(key=key, project=key.project, membership=membership)
