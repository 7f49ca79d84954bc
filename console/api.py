"""What every /api/v1 endpoint shares: signature-v2 authentication, the caller and its role, the
error bodies, Spring pages, date objects and list parameters. The API root that mounts the
apps' routers is console/api_root.py (project wiring).

Errors follow the cloud mailer: {"error": {"errorCode": "77102", "message": "…"}}; authentication
failures answer 401 {"error": {"errorCode": "200", "message": "Authentication Failed",
"details": "…"}}.
"""

from __future__ import annotations

import hmac
import logging
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import unquote

import orjson
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFilesSent
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MAX_TOTAL_HEADER_SIZE, MultiPartParserError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.pagination import PaginationBase
from ninja.renderers import JSONRenderer
from ninja.schema import DjangoGetter
from ninja.security.base import AuthBase
from pydantic import model_validator

from console.models import ApiKey, Membership, Project
from console.numbers import ascii_digits
from console.signature import (
    ACCESS_KEY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WINDOW_MS,
    SignatureError,
    raw_path_with_query,
    sign,
)

logger = logging.getLogger(__name__)

LAST_USED_RESOLUTION = timedelta(minutes=1)

# errorCode by HTTP status, as in the cloud mailer's API reference.
ERROR_CODES = {400: "77102", 403: "77201", 404: "77103", 405: "77001", 413: "77102",
               415: "77002", 500: "77303"}


class ApiError(Exception):
    """Raise from an endpoint to answer with the error body."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.http_status = status
        self.code = code or ERROR_CODES.get(status, "77102")
        self.message = message


class NotFound(ApiError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(400, message or _("The resource was not found"), "77103")


def error_response(status: int, message: str, code: str | None = None) -> JsonResponse:
    body = {"error": {"errorCode": code or ERROR_CODES.get(status, "77102"), "message": message}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def authentication_failed(details: str) -> JsonResponse:
    body = {"error": {"errorCode": "200", "message": "Authentication Failed", "details": details}}
    return JsonResponse(body, status=401)


@dataclass(frozen=True)
class ApiCaller:
    """Who is calling: the key, its project and the owner's membership (for role checks)."""

    key: ApiKey
    project: Project
    membership: Membership


def _key_query() -> str:
    key, project, membership = ApiKey._meta, Project._meta, Membership._meta
    user = ApiKey._meta.get_field("user").related_model._meta
    # Table names come from the models' metadata; the access key is a query parameter.
    return (
        f'SELECT k.id, k.project_id, k.user_id, k.encrypted_secret, k.revoked, k.last_used, '  # noqa: S608
        f'p.name, p.slug, p.time_zone, p.language, m.role, u.is_active '
        f'FROM "{key.db_table}" k JOIN "{project.db_table}" p ON p.id = k.project_id '
        f'JOIN "{user.db_table}" u ON u.id = k.user_id '
        f'LEFT JOIN "{membership.db_table}" m ON m.project_id = k.project_id '
        f"AND m.user_id = k.user_id WHERE k.access_key = %s"
    )


def _aware(value: datetime | str | None) -> datetime | None:
    """A timestamp read with a raw cursor (SQLite gives naive UTC text) as an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


class KeyRows:
    """What _find_key read, kept by each process for API_KEY_CACHE_SECONDS: under load a
    process answers many calls a second with the same key, and the key's query was a round trip
    and a four-table plan on every one of them.

    Saving or deleting a key, a project, a membership or a user empties it in the process that
    did so; in the others the entry ages out. Unknown keys are never kept, so made-up keys can't
    fill it, and it holds rows, not models: each call builds its own instances."""

    LIMIT = 1000

    def __init__(self) -> None:
        self.rows: dict[str, tuple[float, tuple]] = {}

    def get(self, access_key: str) -> tuple | None:
        found = self.rows.get(access_key)
        if found is not None and time.monotonic() - found[0] < settings.API_KEY_CACHE_SECONDS:
            return found[1]
        return None

    def put(self, access_key: str, row: tuple) -> None:
        if len(self.rows) >= self.LIMIT:
            self.rows.clear()
        self.rows[access_key] = (time.monotonic(), row)

    def forget(self, access_key: str) -> None:
        self.rows.pop(access_key, None)

    def clear(self, **_signal: Any) -> None:
        self.rows.clear()


key_rows = KeyRows()
for _model in (ApiKey, Project, Membership, get_user_model()):
    post_save.connect(key_rows.clear, sender=_model, dispatch_uid=f"key_rows.{_model.__name__}")
    post_delete.connect(key_rows.clear, sender=_model, dispatch_uid=f"key_rows.d{_model.__name__}")


def _find_key(access_key: str) -> tuple[ApiKey, Project, str | None, bool] | None:
    """Every API call starts here: the key, its project, the owner's role and whether the owner
    may still sign in, in one hand-written query (the ORM's version costs several times more),
    or from what this process read of it a moment ago (KeyRows)."""
    if "\x00" in access_key:  # no key has one, and PostgreSQL refuses it in a query
        return None
    row = key_rows.get(access_key)
    if row is None:
        with connection.cursor() as cursor:
            cursor.execute(_key_query(), [access_key])
            row = cursor.fetchone()
        if row is None:
            return None
        key_rows.put(access_key, row)
    (key_id, project_id, user_id, encrypted, revoked, last_used, name, slug, time_zone,
     language, role, user_active) = row
    project = Project(id=project_id, name=name, slug=slug, time_zone=time_zone,
                      language=language)
    key = ApiKey(id=key_id, project=project, user_id=user_id, access_key=access_key,
                 encrypted_secret=encrypted, revoked=revoked, last_used=_aware(last_used))
    return key, project, role, bool(user_active)


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
        raise SignatureError(_("Missing header: %(headers)s") % {"headers": ", ".join(missing)})
    if not ascii_digits(timestamp):
        raise SignatureError(_("%(header)s must be epoch milliseconds")
                             % {"header": TIMESTAMP_HEADER})
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    # Epoch milliseconds have 13 digits until 2286; int() refuses thousands of them.
    if len(timestamp) > 20 or abs(now_ms - int(timestamp)) > WINDOW_MS:
        raise SignatureError(_("The timestamp is more than %(n)d minutes away from the server "
                               "time") % {"n": WINDOW_MS // 60_000})

    row = _find_key(access_key)
    if row is None:
        raise SignatureError(_("Unknown access key"))
    key, project, role, user_active = row
    if key.revoked is not None:
        raise SignatureError(_("The access key has been revoked"))
    secret = key.secret
    if secret is None:
        raise SignatureError(_("The access key can no longer be verified; issue a new one"))
    # Clients sign the path and query as they send them; some sign them before percent-encoding
    # non-ASCII characters (groupName=20대): either form is the same request.
    raw = raw_path_with_query(request)
    signed = {raw, unquote(raw)}
    if not any(hmac.compare_digest(sign(request.method or "GET", path, timestamp, access_key,
                                        secret).encode(), signature.encode())
               for path in sorted(signed)):
        raise SignatureError(_("The signature does not match"))
    if role is None or not user_active:
        raise SignatureError(_("The key's owner is no longer a member of the project"))
    membership = Membership(project=project, user_id=key.user_id, role=role)

    now = timezone.now()
    if key.last_used is None or now - key.last_used > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used=now)
        key_rows.forget(access_key)  # read again next time, with the new last_used
    return ApiCaller(key=key, project=project, membership=membership)


def signed_caller(request: HttpRequest) -> ApiCaller:
    """authenticate(), once per request (the middleware may have asked already)."""
    found = getattr(request, "_api_caller", None)
    if found is None:
        found = request._api_caller = authenticate(request)
    return found


def _media_type(request: HttpRequest) -> str:
    return request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()


def _has_body(request: HttpRequest) -> bool:
    length = request.META.get("CONTENT_LENGTH") or "0"
    return not ascii_digits(length) or int(length) > 0


def _has_boundary(request: HttpRequest) -> bool:
    _type, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
    return bool(params.get("boundary"))


class SignatureV2(AuthBase):
    """ninja auth: the x-ncp-* headers, checked before anything else of the request; then the
    media type the operation reads (JSON, or multipart for uploads): 415 77002 otherwise.
    request.auth becomes an ApiCaller."""

    openapi_type = "apiKey"
    openapi_name = "x-ncp-apigw-signature-v2"
    openapi_in = "header"

    def __init__(self, *, multipart: bool = False) -> None:
        super().__init__()
        self.multipart = multipart

    def __call__(self, request: HttpRequest) -> ApiCaller:
        who = signed_caller(request)
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and _has_body(request):
            media_type = _media_type(request)
            if self.multipart and media_type != "multipart/form-data":
                raise ApiError(415, _("Send the files as %(type)s")
                               % {"type": "multipart/form-data"})
            if self.multipart and not _has_boundary(request):
                raise ApiError(400, "Content-Type: " + _("%(type)s needs a boundary parameter")
                               % {"type": "multipart/form-data"})
            if not self.multipart and not (media_type == "application/json"
                                           or media_type.endswith("+json")):
                raise ApiError(415, _("Unsupported media type %(given)s; send %(type)s")
                               % {"given": media_type or _("(none)"),
                                  "type": "application/json"})
        return who


def caller(request: HttpRequest, role: str = Membership.Role.VIEWER) -> ApiCaller:
    """The authenticated caller, refused with 403 77201 if its role is below `role`."""
    who: ApiCaller = request.auth  # type: ignore[attr-defined]
    if not who.membership.allows(role):
        raise ApiError(403, _("The key's owner has the %(role)s role; this needs %(needed)s")
                       % {"role": who.membership.role, "needed": role})
    return who


def _describe_validation_error(errors: list[dict[str, Any]]) -> str:
    messages = []
    for error in errors[:5]:
        loc = [str(p) for p in error.get("loc", ())
               if p not in ("body", "query", "path", "payload")]
        field = ".".join(loc) or "request"  # a field name, like the others: not translated
        # pydantic's own messages ("msg") are English only; Outbound's are translated.
        message = error.get("msg") or _("is not valid")
        if error.get("type") == "string_pattern_mismatch" and "x00" in message:
            message = _("must not contain NUL characters")
        messages.append(f"{field}: {message}")
    return "; ".join(messages)


class ErrorDetail(Schema):
    errorCode: str
    message: str


class ErrorOut(Schema):
    """{"error": {"errorCode": "77102", "message": "…"}}"""

    error: ErrorDetail


class AuthenticationFailedDetail(Schema):
    errorCode: Literal["200"]
    message: Literal["Authentication Failed"]
    details: str


class AuthenticationFailedOut(Schema):
    error: AuthenticationFailedDetail


# The error answers every operation may give (the reference's status table), documented in the
# OpenAPI document on every operation.
ERROR_ANSWERS = {
    400: ("ErrorOut", "77101 login information, 77102 bad request (malformed, mistyped or "
                      "refused by a rule), 77103 the resource does not exist"),
    401: ("AuthenticationFailedOut", "The signature headers are missing or wrong"),
    403: ("ErrorOut", "77201 the key's owner has no permission for this"),
    404: ("ErrorOut", "77103 no such endpoint"),
    405: ("ErrorOut", "77001 the method is not supported here"),
    413: ("ErrorOut", "77102 the request body is too large"),
    415: ("ErrorOut", "77002 the media type is not supported here"),
    500: ("ErrorOut", "77303 internal server error"),
}


class FastJSONRenderer(JSONRenderer):
    """Answers written by orjson (a page of twenty send requests: 10 µs, against 130 µs for
    json.dumps), with what orjson leaves to others (dates, decimals, lazy text) given to ninja's
    own encoder, so that they read as before. What orjson refuses (an integer wider than 64
    bits, a key that is not text) goes through json.dumps whole."""

    OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        try:
            return orjson.dumps(data, default=self.encoder_class().default, option=self.OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(request, data, response_status=response_status)


class OutboundApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorOut, AuthenticationFailedOut):
            definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(definition.pop("$defs", {}))
            components[model.__name__] = definition
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, (model, description) in ERROR_ANSWERS.items():
                    if status in responses:
                        continue
                    responses.setdefault(str(status), {
                        "description": description,
                        "content": {"application/json": {
                            "schema": {"$ref": f"#/components/schemas/{model}"}}}})
        return schema


def make_api() -> NinjaAPI:
    """The /api/v1 NinjaAPI with its authentication and error bodies, without routers (the API
    root, console/api_root.py, mounts the apps' routers)."""
    api = OutboundApi(
        title="Outbound API",
        version="1",
        description="Compatible with the Cloud Outbound Mailer API v1. "
        "Authenticate with the x-ncp-iam-access-key, x-ncp-apigw-timestamp and "
        "x-ncp-apigw-signature-v2 headers.",
        urls_namespace="api",
        auth=SignatureV2(),
        renderer=FastJSONRenderer(),
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    api.add_exception_handler(SignatureError, _signature_error)
    api.add_exception_handler(AuthenticationError, _authentication_error)
    api.add_exception_handler(AuthorizationError, _authorization_error)
    api.add_exception_handler(ApiError, _api_error)
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(RequestDataTooBig, _too_big)
    api.add_exception_handler(TooManyFilesSent, _too_many_files)
    api.add_exception_handler(SuspiciousOperation, _suspicious)
    api.add_exception_handler(MultiPartParserError, _unreadable_multipart)
    api.add_exception_handler(Exception, _unexpected)
    return api


# Paths under /api/v1 whose endpoints take multipart/form-data instead of JSON.
MULTIPART_PREFIXES: set[str] = set()


def multipart_path(path: str) -> None:
    """A path under /api/v1 that reads multipart bodies, within a JSON router."""
    MULTIPART_PREFIXES.add(path)


def mount(api: NinjaAPI, prefix: str, router, *, multipart: bool = False) -> None:
    """Mount an app's router; a multipart one (uploads) reads multipart/form-data bodies,
    up to API_MAX_UPLOAD_BYTES, where every other reads JSON."""
    if multipart:
        router.auth = SignatureV2(multipart=True)
        MULTIPART_PREFIXES.add(prefix)
    api.add_router(prefix, router)


def _signature_error(request: HttpRequest, exc: SignatureError) -> HttpResponse:
    return authentication_failed(str(exc))


def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return authentication_failed(_("Missing or invalid authentication headers"))


def _authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return error_response(403, _("No permission"))


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.http_status, exc.message, exc.code)


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(400, _describe_validation_error(exc.errors))


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(400, _("The resource was not found"), "77103")


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(exc.status_code, exc.message)


def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(413, _("The request body is too large"))


def _too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
    return error_response(400, "fileList: " + _("at most %(max)d files in one request")
                          % {"max": settings.DATA_UPLOAD_MAX_NUMBER_FILES})


def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """Django refused the request as malformed (too many fields, …): the client's fault."""
    return error_response(400, _("The request cannot be read: %(reason)s") % {"reason": exc})


def _unreadable_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    if "header size" in str(exc):  # Django caps each part's headers, the file name among them
        return error_response(400, "fileList: " + _("a file name is too long: the headers of "
                                                    "a part can be at most %(n)s bytes")
                              % {"n": f"{MAX_TOTAL_HEADER_SIZE:,}"})
    return error_response(400, _("The %(type)s body cannot be read: %(reason)s")
                          % {"type": "multipart/form-data", "reason": exc})


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return error_response(500, _("Internal server error"))


# Shapes shared by the apps' endpoints: Spring pages, date objects, list parameters.

MAX_PAGE_SIZE = 1000


def split_list(values: list[str] | None) -> list[str]:
    """Repeated and comma-separated list parameters alike: ?a=1&a=2 and ?a=1,2."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def date_object(moment, time_zone: str) -> dict | None:
    """{utc, formattedDate, formattedDateTime} in the project's time zone."""
    if moment is None:
        return None
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    return {
        "utc": int(moment.timestamp() * 1000),
        "formattedDate": local.strftime("%Y-%m-%d"),
        "formattedDateTime": f"{local:%Y-%m-%d %H:%M:%S} {local.microsecond // 1000:03d}",
    }


MAX_PAGE = 2**31 - 1
# Bounds of the integers the API reads in queries and paths, declared on their schemas (so the
# OpenAPI document gives them): an ID fits a bigint column (SQLite cannot even bind a larger
# one), a time in epoch milliseconds is shown as a date in any time zone (a day before
# datetime's year-9999 end).
MAX_SID = 2**63 - 1
MAX_EPOCH_MS = int(datetime(9999, 12, 31, tzinfo=UTC).timestamp() * 1000) - 1
Sid = Annotated[int, Field(ge=0, le=MAX_SID)]
EpochMillis = Annotated[int, Field(ge=0, le=MAX_EPOCH_MS)]


def within_epoch_range(moment: datetime, field: str) -> datetime:
    """A time given as text held to EpochMillis' bounds too (year 1 in Seoul is before what
    SQLite can store in UTC)."""
    if not 0 <= moment.timestamp() * 1000 <= MAX_EPOCH_MS:
        first = datetime.fromtimestamp(0, UTC)
        last = datetime.fromtimestamp(MAX_EPOCH_MS / 1000, UTC)
        raise ApiError(400, f"{field}: " + _("must be between %(first)s and %(last)s")
                       % {"first": f"{first:%Y-%m-%d %H:%M} UTC",
                          "last": f"{last:%Y-%m-%d %H:%M} UTC"})
    return moment


class Out(Schema):
    """An answer's schema that takes a dict with every field by name as it is: ninja's Schema
    reads each object, a plain dict included, through its DjangoGetter, which costs a page of 20
    rows about 2 ms. Anything else (a model row, a dict short of a field) and a schema with
    resolve_ methods still go that way."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values, handler, info):
        if (type(values) is dict and not cls._ninja_resolvers
                and values.keys() >= cls.model_fields.keys()):
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))


class SortOut(Out):
    """Spring's Sort.Order, as the reference's Sort type lists it."""

    direction: Literal["ASC", "DESC"]
    property: str
    ignoreCase: bool
    nullHandling: Literal["NATIVE", "NULLS_FIRST", "NULLS_LAST"]
    ascending: bool
    descending: bool


@dataclass(frozen=True)
class Listing:
    """What a paginated endpoint may return instead of a queryset: its rows, perhaps a cheaper
    way to their total than counting them (a rollup, a count kept with them), and perhaps how a
    page of them becomes what the schema reads, when that needs what the endpoint found."""

    rows: Any
    total: Callable[[], int] | None = None
    page_rows: Callable[[list], list] | None = None


class SpringPagination(PaginationBase):
    """ninja pagination in the Spring Data shape the cloud mailer's clients read: query `page`
    (0-based), `size` (10) and `sort=property,asc|desc` (repeatable), answered with `content[]`,
    totalElements, totalPages, numberOfElements, first, last, number, size, sort[].

    Each endpoint names its sortable properties (API name → model field) and its default order.
    An endpoint that knows its total without counting its rows, or turns a page of rows into
    what its schema reads (for what is cheaper to look up for a page at once than row by row),
    returns a Listing.
    """

    class Input(Schema):
        page: int = Field(0, ge=0, le=MAX_PAGE)
        size: int = Field(10, ge=1, le=MAX_PAGE_SIZE)
        sort: list[str] = Field(default_factory=list)

    class Output(Out):
        content: list[Any]
        totalElements: int
        totalPages: int
        numberOfElements: int
        first: bool
        last: bool
        number: int
        size: int
        sort: list[SortOut]

    items_attribute = "content"

    def __init__(self, *, sort_fields: dict[str, str], default_sort: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sort_fields = sort_fields
        self.default_sort = default_sort

    def parse_sort(self, values: list[str]) -> list[tuple[str, str]]:
        """sort=property,asc|desc → [(property, ASC|DESC)], properties of this endpoint."""
        result = []
        for value in values:
            prop, _comma, direction = value.partition(",")
            prop, direction = prop.strip(), (direction.strip() or "asc").lower()
            if prop not in self.sort_fields:
                allowed = ", ".join(sorted(self.sort_fields))
                raise ApiError(400, "sort: " + _("unknown property %(given)s; use one of "
                                                 "%(allowed)s")
                               % {"given": repr(prop), "allowed": allowed})
            if direction not in ("asc", "desc"):
                raise ApiError(400, "sort: " + _("the direction is %(asc)s or %(desc)s")
                               % {"asc": "asc", "desc": "desc"})
            result.append((prop, direction.upper()))
        return result or self.default_sort

    def paginate_queryset(self, queryset, pagination: Input, request: HttpRequest,
                          **params: Any) -> dict:
        sort = self.parse_sort(pagination.sort)
        page, size = pagination.page, pagination.size
        ordering = [("-" if direction == "DESC" else "") + self.sort_fields[prop]
                    for prop, direction in sort]
        listing = queryset if isinstance(queryset, Listing) else Listing(queryset)
        total = listing.total() if listing.total else listing.rows.count()
        rows = list(listing.rows.order_by(*ordering, "-pk")[page * size:(page + 1) * size])
        total_pages = (total + size - 1) // size
        return {
            "content": listing.page_rows(rows) if listing.page_rows else rows,
            "totalElements": total,
            "totalPages": total_pages,
            "numberOfElements": len(rows),
            "first": page == 0,
            "last": page >= total_pages - 1,
            "number": page,
            "size": size,
            "sort": [{"direction": direction, "property": prop, "ignoreCase": False,
                      "nullHandling": "NATIVE", "ascending": direction == "ASC",
                      "descending": direction == "DESC"} for prop, direction in sort],
        }


class DateOut(Out):
    """A date as the reference gives it (NesDateTime)."""

    utc: int
    formattedDate: str
    formattedDateTime: str


class LabelledCode(Out):
    """The reference's {label, code} objects (EmailStatus, RequesterType, …)."""

    label: str
    code: str


def caller_time_zone(context: dict) -> str:
    """The time zone dates are formatted in: the calling project's (for schema resolvers)."""
    return context["request"].auth.project.time_zone


def api_language(request: HttpRequest) -> str:
    """x-ncp-lang: ko-KR, ja-JP or (default) en-US → ko, ja, en."""
    value = request.headers.get("x-ncp-lang", "").lower()
    if value.startswith("ko"):
        return "ko"
    if value.startswith("ja"):
        return "ja"
    return "en"
