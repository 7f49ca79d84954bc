"""Per-user language and time zone; the API's language (x-ncp-lang) and its error bodies for
responses made outside the API views."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver
from django.utils import timezone, translation

from console.api import MULTIPART_PREFIXES, api_language, error_response
from console.models import Profile

API_PREFIX = "/api/v1/"


class UserPreferencesMiddleware:
    """Activate the signed-in user's language and time zone (the project's zone is applied by
    the project views when the user has none)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.profile = None
        if request.user.is_authenticated:
            request.profile = Profile.for_user(request.user)
            if request.profile.language:
                translation.activate(request.profile.language)
                request.LANGUAGE_CODE = translation.get_language()
            if request.profile.time_zone:
                timezone.activate(zoneinfo.ZoneInfo(request.profile.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ApiLanguageMiddleware:
    """The API answers in the language of x-ncp-lang (ko-KR, ja-JP, en-US the default; any
    other falls back to English), whatever the browser or a session says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        with translation.override(api_language(request)):
            return self.get_response(request)


class ApiErrorMiddleware:
    """Give /api/v1 the API's error bodies where Django or ninja would answer in HTML or text:
    unknown paths, wrong methods, wrong media types and bodies too large."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # The URL roots load the API root, which says which paths take multipart bodies.
        get_resolver().url_patterns  # noqa: B018

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        refused = self._refuse_media_type(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 404:
            return error_response(404, f"No API endpoint at {request.path}")
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            replaced = error_response(405, f"Method {request.method} is not allowed; use {allowed}")
            replaced["Allow"] = allowed
            return replaced
        return response

    @staticmethod
    def _refuse_media_type(request: HttpRequest) -> HttpResponse | None:
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        length = request.META.get("CONTENT_LENGTH") or "0"
        if request.path.rstrip("/").startswith(
                tuple(API_PREFIX.rstrip("/") + prefix for prefix in MULTIPART_PREFIXES)):
            if length.isdigit() and int(length) > settings.API_MAX_UPLOAD_BYTES:
                return error_response(413, "The upload is too large")
            if content_type != "multipart/form-data":
                return error_response(415, "Send the files as multipart/form-data")
            return None
        if length.isdigit() and int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
            return error_response(413, f"The request body is larger than {limit_mb} MB")
        if content_type == "application/json" or (not content_type and length in ("", "0")):
            return None
        if content_type.endswith("+json"):
            return None
        return error_response(415, f"Unsupported media type {content_type or '(none)'}; "
                                   "send application/json")
