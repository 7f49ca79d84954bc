"""Per-user language and time zone; the API's language (x-ncp-lang) and its error bodies for
responses made outside the API views."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from console.api import (
    MULTIPART_PREFIXES,
    api_language,
    authentication_failed,
    error_response,
    signed_caller,
)
from console.models import Profile
from console.signature import SignatureError

API_PREFIX = "/api/v1/"
# The API reference and its OpenAPI document are readable without a key.
PUBLIC_API_PATHS = ("/api/v1/docs", "/api/v1/openapi.json")


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


REGIONAL_API_PREFIXES = ("/api/v1-sgn/", "/api/v1-jpn/")
ORIGINAL_PATH = "OUTBOUND_ORIGINAL_PATH"


class RegionalApiMiddleware:
    """The reference's regional base paths (/api/v1-sgn/…, /api/v1-jpn/…) answer like
    /api/v1/…; the signature is still checked over the path as it was sent."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for prefix in REGIONAL_API_PREFIXES:
            if request.path_info.startswith(prefix):
                request.META[ORIGINAL_PATH] = request.path
                request.path_info = API_PREFIX + request.path_info[len(prefix):]
                request.path = request.path_info
                break
        return self.get_response(request)


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
        if not request.path.startswith(API_PREFIX) or request.path in PUBLIC_API_PATHS:
            return self.get_response(request)
        too_large = self._too_large(request)
        if too_large is not None:
            return self._unsigned(request) or too_large
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code in (404, 405):
            unsigned = self._unsigned(request)
            if unsigned is not None:
                return unsigned
        if response.status_code == 404:
            return error_response(404, _("No API endpoint at %(path)s") % {"path": request.path})
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            replaced = error_response(405, _("Method %(method)s is not allowed; use %(allowed)s")
                                      % {"method": request.method, "allowed": allowed})
            replaced["Allow"] = allowed
            return replaced
        return response

    @staticmethod
    def _unsigned(request: HttpRequest) -> HttpResponse | None:
        """401 before anything else is judged: the answer for a request without a valid
        signature, whatever else is wrong with it."""
        try:
            signed_caller(request)
        except SignatureError as error:
            return authentication_failed(str(error))
        return None

    @staticmethod
    def _too_large(request: HttpRequest) -> HttpResponse | None:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit():
            return None
        multipart = request.path.rstrip("/").startswith(
            tuple(API_PREFIX.rstrip("/") + prefix for prefix in MULTIPART_PREFIXES))
        if multipart and int(length) > settings.API_MAX_UPLOAD_BYTES:
            return error_response(413, _("The upload is too large"))
        if not multipart and int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
            return error_response(413, _("The request body is larger than %(n)s MB")
                                  % {"n": limit_mb})
        return None
