from __future__ import annotations

from types import SimpleNamespace

import pytest
from ninja import Schema
from pydantic import ValidationError

from console.api import Out
from console.signature import signed_headers
from tests.factories import make_api_key


@pytest.fixture
def headers_for(project, owner):
    key, secret = make_api_key(project, owner)

    def sign(method: str, path: str) -> dict[str, str]:
        return signed_headers(method, path, key.access_key, secret)

    return sign


def test_it_answers_an_unknown_path_with_the_error_body(client, headers_for):
    path = "/api/v1/no-such-thing"
    response = client.get(path, headers=headers_for("GET", path))
    assert response.status_code == 404
    assert response.json()["error"]["errorCode"] == "77103"


@pytest.mark.parametrize(("method", "path", "body", "content_type"), [
    ("get", "/api/v1/no-such-thing", None, None),
    ("put", "/api/v1/address-book", "{}", "application/json"),
    ("post", "/api/v1/address-book", "a=b", "text/plain"),
    ("post", "/api/v1/address-book", "{broken", "application/json"),
    ("put", "/api/v1/files/abc", "x", "text/plain"),
])
def test_an_unsigned_request_is_401_before_anything_else(client, db, method, path, body,
                                                         content_type):
    extra = {"data": body, "content_type": content_type} if body is not None else {}
    response = getattr(client, method)(path, **extra)
    assert response.status_code == 401
    assert response.json()["error"] == {"errorCode": "200", "message": "Authentication Failed",
                                         "details": "Missing header: x-ncp-apigw-timestamp, "
                                                    "x-ncp-iam-access-key, "
                                                    "x-ncp-apigw-signature-v2"}


def test_an_undeclared_method_on_an_upload_path_is_405(client, headers_for):
    path = "/api/v1/files/abc"
    response = client.put(path, data="x", content_type="text/plain",
                          headers=headers_for("PUT", path))
    assert response.status_code == 405
    assert response.json()["error"]["errorCode"] == "77001"


def test_the_regional_base_paths_answer_like_v1(client, headers_for):
    for base in ("/api/v1-sgn", "/api/v1-jpn"):
        path = f"{base}/address-book"
        response = client.get(path, headers=headers_for("GET", path))
        assert response.status_code == 200, base
        assert response.json() == {"totalAddressCount": 0, "groups": []}


def test_it_answers_a_wrong_method_with_77001(client, headers_for):
    path = "/api/v1/address-book"
    response = client.put(path, data="{}", content_type="application/json",
                          headers=headers_for("PUT", path))
    assert response.status_code == 405
    assert response.json()["error"]["errorCode"] == "77001"
    assert "GET" in response["Allow"]


def test_it_answers_a_non_json_body_with_415(client, headers_for):
    path = "/api/v1/address-book"
    response = client.post(path, data="a=b", content_type="text/plain",
                           headers=headers_for("POST", path))
    assert response.status_code == 415
    assert response.json()["error"]["errorCode"] == "77002"


def test_it_answers_a_body_over_the_limit_with_413(client, headers_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    path = "/api/v1/address-book"
    response = client.post(path, data="[" + "1," * 1000 + "1]", content_type="application/json",
                           headers=headers_for("POST", path))
    assert response.status_code == 413
    assert "error" in response.json()


def test_it_serves_the_openapi_document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert "/api/v1/address-book" in document["paths"]


def test_it_serves_the_api_reference_without_a_cdn(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn.jsdelivr" not in response.content
    assert b"/static/ninja/" in response.content


def test_it_needs_no_csrf_token_for_signed_requests(headers_for):
    from django.test import Client

    path = "/api/v1/address-book"
    response = Client(enforce_csrf_checks=True).get(path, headers=headers_for("GET", path))
    assert response.status_code == 200


def test_the_console_middleware_stays_off_the_signed_api(client, headers_for, owner):
    """Sessions, CSRF, the signed-in user and X-Frame-Options are the console's: a signed API
    call passes without them, even from a browser that is signed in."""
    client.force_login(owner)
    path = "/api/v1/address-book"
    response = client.get(path, headers=headers_for("GET", path))
    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "user")
    assert "X-Frame-Options" not in response
    console_page = client.get("/projects/")
    assert console_page.wsgi_request.user == owner
    assert console_page["X-Frame-Options"] == "SAMEORIGIN"
    docs = client.get("/api/v1/docs")
    assert docs["X-Frame-Options"] == "SAMEORIGIN"


def test_an_answer_schema_reads_a_dict_as_ninja_s_own_schema_does():
    """console.api.Out hands a complete dict to pydantic directly; whatever else it is given
    (a model-like object, a dict short of a field, a schema with resolvers) goes through ninja's
    getter as before, with the same results and the same errors."""
    class Plain(Schema):
        code: str
        count: int
        when: str | None

    class Fast(Out):
        code: str
        count: int
        when: str | None

    class Resolved(Out):
        code: str

        @staticmethod
        def resolve_code(obj) -> str:
            return obj["raw"].upper()

    complete = {"code": "S", "count": 2, "when": None, "extra": "ignored"}
    assert Fast.model_validate(complete).model_dump() == (
        Plain.model_validate(complete).model_dump())
    row = SimpleNamespace(code="S", count=2, when="today")
    assert Fast.model_validate(row).model_dump() == {"code": "S", "count": 2, "when": "today"}
    for wrong in ({"code": "S", "count": 2}, {"code": "S", "count": "two", "when": None}):
        with pytest.raises(ValidationError) as fast:
            Fast.model_validate(wrong)
        with pytest.raises(ValidationError) as plain:
            Plain.model_validate(wrong)
        assert [e["type"] for e in fast.value.errors()] == [
            e["type"] for e in plain.value.errors()]
    assert Resolved.model_validate({"raw": "s", "code": "ignored"}).code == "S"


def test_the_answers_renderer_writes_what_json_dumps_would():
    """FastJSONRenderer (orjson) reads back as ninja's JSONRenderer does, dates, decimals and
    lazy text included, and gives way to json.dumps for what orjson refuses."""
    import json
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from django.utils.translation import gettext_lazy
    from ninja.renderers import JSONRenderer

    from console.api import FastJSONRenderer

    data = {"when": datetime(2026, 12, 3, 19, 48, 22, 123456, tzinfo=UTC),
            "day": date(2026, 12, 3), "amount": Decimal("1.50"), "text": gettext_lazy("Sent"),
            "name": "받는 사람 受信者", "rows": [{"n": 1, "none": None, "yes": True}],
            "pair": (1, 2)}
    fast, plain = FastJSONRenderer(), JSONRenderer()
    assert json.loads(fast.render(None, data, response_status=200)) == json.loads(
        plain.render(None, data, response_status=200))
    wide = {"n": 2 ** 70, 3: "int key"}
    assert json.loads(fast.render(None, wide, response_status=200)) == {"n": 2 ** 70,
                                                                        "3": "int key"}
