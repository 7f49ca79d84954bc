"""Per-user language and time zone; the API's language (x-ncp-lang) and its error bodies for
responses made outside the API views; the console's middleware kept off the API's path."""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import get_resolver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxMiddleware

from console.api import (
    MULTIPART_PREFIXES,
    api_language,
    authentication_failed,
    error_response,
    signed_caller,
)
from console.models import Profile
from console.numbers import ascii_digits
from console.signature import SignatureError

API_PREFIX = "/api/v1/"
# The API reference and its OpenAPI document are readable without a key.
PUBLIC_API_PATHS = ("/api/v1/docs", "/api/v1/openapi.json")


def is_signed_api(request: HttpRequest) -> bool:
    """A call to the signed API: no session, cookie, CSRF token or signed-in user takes part."""
    return request.path_info.startswith(API_PREFIX) and request.path_info not in PUBLIC_API_PATHS


def console_only(middleware_class: type) -> type:
    """`middleware_class` for every request but the signed API's, which skip it (sessions,
    CSRF, messages and the like cost about a millisecond a call and do nothing for them). A
    subclass, so that Django's and django-axes' checks still find the middleware."""

    class ConsoleOnly(middleware_class):
        def __call__(self, request: HttpRequest) -> HttpResponse:
            if is_signed_api(request):
                return self.get_response(request)
            return super().__call__(request)

    def process_view(self, request, view, args, kwargs):
        if is_signed_api(request):
            return None
        return middleware_class.process_view(self, request, view, args, kwargs)

    def process_exception(self, request, exception):
        if is_signed_api(request):
            return None
        return middleware_class.process_exception(self, request, exception)

    def process_template_response(self, request, response):
        if is_signed_api(request):
            return response
        return middleware_class.process_template_response(self, request, response)

    # Django registers the hooks a middleware has: the wrapper keeps exactly those.
    for hook in (process_view, process_exception, process_template_response):
        if hasattr(middleware_class, hook.__name__):
            setattr(ConsoleOnly, hook.__name__, hook)
    ConsoleOnly.__name__ = ConsoleOnly.__qualname__ = f"ConsoleOnly{middleware_class.__name__}"
    return ConsoleOnly


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


def _json_has_nul(body: bytes) -> bool:
    """JSON can carry NUL only as the escape \\u0000, its backslash not itself escaped (an even
    number of backslashes before it); found at the speed of a byte search."""
    at = body.find(b"\\u0000")
    while at >= 0:
        start = at
        while start > 0 and body[start - 1] == ord("\\"):
            start -= 1
        if (at - start) % 2 == 0:
            return True
        at = body.find(b"\\u0000", at + 1)
    return False


def _nul_in(value: object, where: str) -> str | None:
    """The dotted path (as the API's validation errors give it) of the first string of parsed
    JSON holding NUL, or None."""
    if isinstance(value, str):
        return (where or "request") if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return where or "request"
        found = _nul_in(item, f"{where}.{key}" if where else str(key))
        if found is not None:
            return found
    return None


def nul_field(request: HttpRequest, multipart: bool) -> str | None:
    """Where a request holds a NUL character: the path, a query parameter, a header or a field
    of its JSON body. PostgreSQL cannot store or even compare text with NUL in it, and no
    parameter of the API may hold one."""
    if "\x00" in request.path:
        return "path"
    try:
        query = request.GET.lists()
    except SuspiciousOperation:
        return None  # too many parameters: the API answers that
    for name, values in query:
        if "\x00" in name:
            return "query"
        if any("\x00" in value for value in values):
            return name
    for name, value in request.headers.items():
        if "\x00" in value:
            return name
    if multipart or request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    try:
        body = request.body
    except RequestDataTooBig:
        return None  # answered 413 by the API
    if not _json_has_nul(body):
        return None
    try:
        return _nul_in(json.loads(body), "")
    except ValueError:
        return None  # not JSON: the endpoint says so


class ApiErrorMiddleware:
    """Give /api/v1 the API's error bodies where Django or ninja would answer in HTML or text:
    unknown paths, wrong methods, wrong media types and bodies too large; and refuse a NUL
    character anywhere in a request before any view reads it."""

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
        field = nul_field(request, self._multipart(request))
        if field is not None:
            return self._unsigned(request) or error_response(
                400, f"{field}: " + _("must not contain NUL characters"))
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
    def _multipart(request: HttpRequest) -> bool:
        return request.path.rstrip("/").startswith(
            tuple(API_PREFIX.rstrip("/") + prefix for prefix in MULTIPART_PREFIXES))

    @classmethod
    def _too_large(cls, request: HttpRequest) -> HttpResponse | None:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not ascii_digits(length):
            return None
        multipart = cls._multipart(request)
        if multipart and int(length) > settings.API_MAX_UPLOAD_BYTES:
            return error_response(413, _("The upload is too large"))
        if not multipart and int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
            return error_response(413, _("The request body is larger than %(n)s MB")
                                  % {"n": limit_mb})
        return None


# The console's middleware in settings.MIDDLEWARE, each kept off the signed API's path.
ConsoleSessionMiddleware = console_only(SessionMiddleware)
ConsoleLocaleMiddleware = console_only(LocaleMiddleware)
ConsoleCommonMiddleware = console_only(CommonMiddleware)
ConsoleCsrfViewMiddleware = console_only(CsrfViewMiddleware)
ConsoleAuthenticationMiddleware = console_only(AuthenticationMiddleware)
ConsoleMessageMiddleware = console_only(MessageMiddleware)
ConsoleXFrameOptionsMiddleware = console_only(XFrameOptionsMiddleware)
ConsoleHtmxMiddleware = console_only(HtmxMiddleware)
ConsoleUserPreferencesMiddleware = console_only(UserPreferencesMiddleware)
