"""The /api/v1 NinjaAPI: signature-v2 authentication, the error bodies and the routers of the apps.

Errors follow the cloud mailer: {"error": {"errorCode": "77102", "message": "…"}}; authentication
failures answer 401 {"error": {"errorCode": "200", "message": "Authentication Failed",
"details": "…"}}.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security.base import AuthBase

from console.models import Membership
from console.signature import ApiCaller, SignatureError, authenticate

logger = logging.getLogger(__name__)

# errorCode by HTTP status, as in the cloud mailer's API reference.
ERROR_CODES = {400: "77102", 403: "77201", 404: "77103", 405: "77001", 413: "77102",
               415: "77002", 500: "77303"}


class ApiError(Exception):
    """Raise from an endpoint to answer with the error body."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or ERROR_CODES.get(status, "77102")
        self.message = message


class NotFound(ApiError):
    def __init__(self, message: str = "The resource was not found") -> None:
        super().__init__(400, message, "77103")


def error_response(status: int, message: str, code: str | None = None) -> JsonResponse:
    body = {"error": {"errorCode": code or ERROR_CODES.get(status, "77102"), "message": message}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def authentication_failed(details: str) -> JsonResponse:
    body = {"error": {"errorCode": "200", "message": "Authentication Failed", "details": details}}
    return JsonResponse(body, status=401)


class SignatureV2(AuthBase):
    """ninja auth: the x-ncp-* headers; request.auth becomes an ApiCaller."""

    openapi_type = "apiKey"
    openapi_name = "x-ncp-apigw-signature-v2"
    openapi_in = "header"

    def __call__(self, request: HttpRequest) -> ApiCaller:
        return authenticate(request)


def caller(request: HttpRequest, role: str = Membership.Role.VIEWER) -> ApiCaller:
    """The authenticated caller, refused with 403 77201 if its role is below `role`."""
    who: ApiCaller = request.auth  # type: ignore[attr-defined]
    if not who.membership.allows(role):
        raise ApiError(403, f"The key's owner has the {who.membership.role} role; "
                            f"this needs {role}")
    return who


def _describe_validation_error(errors: list[dict[str, Any]]) -> str:
    messages = []
    for error in errors[:5]:
        loc = [str(p) for p in error.get("loc", ())
               if p not in ("body", "query", "path", "payload")]
        field = ".".join(loc) or "request"
        messages.append(f"{field}: {error.get('msg', 'is not valid')}")
    return "; ".join(messages)


api = NinjaAPI(
    title="Outbound API",
    version="1",
    description="Compatible with the Cloud Outbound Mailer API v1. "
    "Authenticate with the x-ncp-iam-access-key, x-ncp-apigw-timestamp and "
    "x-ncp-apigw-signature-v2 headers.",
    urls_namespace="api",
    auth=SignatureV2(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(SignatureError)
def _signature_error(request: HttpRequest, exc: SignatureError) -> HttpResponse:
    return authentication_failed(str(exc))


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return authentication_failed("Missing or invalid authentication headers")


@api.exception_handler(AuthorizationError)
def _authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return error_response(403, "No permission")


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.message, exc.code)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(400, _describe_validation_error(exc.errors))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(400, "The resource was not found", "77103")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(exc.status_code, exc.message)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(413, "The request body is too large")


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return error_response(500, "Internal server error")


api.add_router("/address-book", "addressbook.api.router")
