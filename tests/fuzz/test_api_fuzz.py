"""Schemathesis against /api/v1/openapi.json, in process: every operation, a bounded number of
generated requests (valid and invalid), each signed like a real client signs it. Whatever is
sent, the API never answers 5xx, every error is the documented error body with the code its
status documents, every answer conforms to the operation's documented responses (status, media
type, body schema) and schema-invalid input is refused. A scripted run on rows that exist checks
every operation's success answer the same way, and the last tests keep fixed the 500s that the
property tests found.

The schema is read from the Django application itself; the requests go through its WSGI handler
with werkzeug's client, so the middleware and the signature check run as under gunicorn.
"""

from __future__ import annotations

import json
import time
from urllib.parse import quote

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from werkzeug import Client

from console.signature import ACCESS_KEY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signed_headers
from mailer.models import SendRequest
from mailer.tasks import prepare_request
from tests.factories import make_api_key
from tests.mailer.factories import accepted_request

# Bounded for CI: the whole file takes about 30 s on two cores.
MAX_EXAMPLES = 15

application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    application,
    # The same examples on every run; no generated signature headers (the client signs).
    config=schemathesis.Config.from_dict({
        "generation": {"deterministic": True, "with-security-parameters": False},
    }),
)
# The error codes of each status, as DESIGN §7 gives them from the reference.
DOCUMENTED_CODES = {400: {"77101", "77102", "77103"}, 401: {"200"}, 403: {"77201"},
                    404: {"77103"}, 405: {"77001"}, 413: {"77102"}, 415: {"77002"}}
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.negative_data_rejection,
]
# Not positive_data_acceptance: the schema cannot say what the reference's rules refuse with a
# documented 400 (one of startUtc and startDateTime, IDs of rows that exist, address and name
# syntax), so schema-valid requests are often rightly refused; test_real_data_is_answered_as_
# documented sends requests that must succeed. Not ignored_auth: it re-sends through the same
# client, which signs (tests/console/test_api.py and test_signature.py cover unsigned ones).


class SigningClient(Client):
    """werkzeug's test client, signing each request as it goes out: over the method and the
    request URI it sends, query string included. The environ gets the URI the way gunicorn
    passes it (RAW_URI with the query; werkzeug's own leaves the query out when it is given
    apart from the path)."""

    def __init__(self, app, access_key: str, secret: str) -> None:
        super().__init__(app)
        self.access_key = access_key
        self.secret = secret

    def run_wsgi_app(self, environ, buffered=False):
        uri = environ["RAW_URI"].partition("?")[0]
        if environ.get("QUERY_STRING"):
            uri += "?" + environ["QUERY_STRING"]
        environ["RAW_URI"] = environ["REQUEST_URI"] = uri
        sent = uri.encode("latin-1").decode("utf-8")  # WSGI text is the bytes as latin-1
        headers = signed_headers(environ["REQUEST_METHOD"], sent, self.access_key, self.secret)
        for name in (TIMESTAMP_HEADER, ACCESS_KEY_HEADER, SIGNATURE_HEADER):
            environ["HTTP_" + name.upper().replace("-", "_")] = headers[name]
        return super().run_wsgi_app(environ, buffered)


@pytest.fixture
def signing_client(project, owner):
    """A client of the project's admin; the project has a request to read."""
    accepted_request(project)
    key, secret = make_api_key(project, owner)
    # As Django's test client does: the handler's signals must not close the connection that
    # holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield SigningClient(application, key.access_key, secret)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def assert_documented_error(response) -> None:
    """An error answer is {"error": {"errorCode", "message"[, "details"]}} with the code of
    its status (401: the reference's "Authentication Failed" body)."""
    if response.status_code < 400:
        return
    assert response.headers["content-type"][0].startswith("application/json"), response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) <= {"errorCode", "message", "details"}, error
    assert isinstance(error.get("message"), str) and error["message"], error
    assert error["errorCode"] in DOCUMENTED_CODES[response.status_code], error
    if response.status_code == 401:
        assert error["message"] == "Authentication Failed" and error["details"], error


@schema.parametrize()
# One client per operation, shared by its examples (what they write stays in the test's
# transaction); each example is a request through the whole stack and PostgreSQL.
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_it_answers_every_request_as_documented(case, signing_client):
    response = case.call_and_validate(session=signing_client, checks=CHECKS)
    assert response.status_code < 500
    assert_documented_error(response)


def _answer(client, method: str, path: str, **case) -> dict:
    """One call built by schemathesis from the operation, checked like the generated ones, that
    must succeed: generated data rarely names rows that exist, these calls do."""
    response = schema["/api/v1" + path][method].Case(**case).call_and_validate(
        session=client, checks=CHECKS)
    assert 200 <= response.status_code < 300, response.text
    return response.json()


def test_real_data_is_answered_as_documented(signing_client):
    """Every operation's success answer, on rows that exist, conforms to its schema."""
    now = int(time.time() * 1000)
    category = _answer(signing_client, "POST", "/category", body={"categoryName": "fuzz"})
    empty = _answer(signing_client, "POST", "/category", body={"categoryName": "empty"})
    by_category = {"path_parameters": {"category_sid": category["sid"]}}
    _answer(signing_client, "PUT", "/category/{category_sid}/name-location", **by_category,
            body={"categoryName": "fuzzed"})
    template = {"templateName": "welcome", "title": "Hi #{RECIPIENT_NAME}", "body": "<p>Hi</p>",
                "senderAddress": "shop@example.com", "senderName": "Shop"}
    created = _answer(signing_client, "POST", "/template",
                      body={**template, "categorySid": category["sid"]})
    by_template = {"path_parameters": {"template_sid": created["sid"]}}
    _answer(signing_client, "GET", "/template/{template_sid}", **by_template)
    _answer(signing_client, "PUT", "/template/{template_sid}", **by_template,
            body={**template, "description": "changed"})
    _answer(signing_client, "PUT", "/template/{template_sid}/name-location", **by_template,
            body={"templateName": "welcome2", "parentSid": empty["sid"]})
    _answer(signing_client, "DELETE", "/template/{template_sid}", **by_template)
    _answer(signing_client, "PUT", "/template/{template_sid}/restoration", **by_template)
    _answer(signing_client, "GET", "/template", query={"isUse": "true"})
    _answer(signing_client, "DELETE", "/category/{category_sid}",
            path_parameters={"category_sid": _answer(
                signing_client, "POST", "/category", body={"categoryName": "gone"})["sid"]})

    files = _answer(signing_client, "POST", "/files", media_type="multipart/form-data",
                    body={"fileList": [b"%PDF-1.4 quote"]})
    by_files = {"path_parameters": {"temp_request_id": files["tempRequestId"]}}
    _answer(signing_client, "GET", "/files/{temp_request_id}", **by_files)
    _answer(signing_client, "DELETE", "/files/{temp_request_id}", **by_files)

    mail = {"senderAddress": "shop@example.com", "title": "Hello ${NAME}", "body": "<p>Hi</p>",
            "parameters": {"NAME": "you"}, "recipients": [
                {"address": "a@example.com", "name": "A", "type": "R"},
                {"address": "c@example.com", "type": "C"}]}
    sent = _answer(signing_client, "POST", "/mails", body=mail)
    ready = _answer(signing_client, "POST", "/mails", body={**mail, "confirmAndSend": True})
    reserved = _answer(signing_client, "POST", "/mails",
                       body={**mail, "reservationUtc": now + 3_600_000})
    for accepted in (sent, ready, reserved):
        prepare_request.apply(kwargs={"request_pk": SendRequest.objects.get(
            request_id=accepted["requestId"]).pk})
    by_request = {"path_parameters": {"request_id": sent["requestId"]}}
    _answer(signing_client, "GET", "/mails/requests",
            query={"startUtc": now - 60_000, "endUtc": now + 60_000})
    _answer(signing_client, "GET", "/mails/requests/{request_id}/status", **by_request)
    mails = _answer(signing_client, "GET", "/mails/requests/{request_id}/mails", **by_request)
    _answer(signing_client, "GET", "/mails/{mail_id}",
            path_parameters={"mail_id": mails["content"][0]["mailId"]})
    _answer(signing_client, "POST", "/mails/requests/{request_id}/send",
            path_parameters={"request_id": ready["requestId"]})
    _answer(signing_client, "POST", "/mails/requests/{request_id}/cancel",
            path_parameters={"request_id": reserved["requestId"]})

    _answer(signing_client, "POST", "/config", body={"type": "SEND_BLOCK_TIME", "value": "200"})
    _answer(signing_client, "GET", "/config", query={"type": "SEND_BLOCK_TIME"})
    _answer(signing_client, "GET", "/send-block", query={"targetAddress": "a@example.com"})
    export = _answer(signing_client, "POST", "/template/export/request")
    _answer(signing_client, "GET", "/template/export")
    assert export["sid"]


# What the property tests (tests/fuzz/test_properties.py) found, and the same isdigit() mistake
# in the mail ID, over HTTP: each was a 500.
LONGER_WHEN_STORED = "x@" + ".".join(["İ" * 63] * 3) + ".com"  # "İ" lower-cases to 2 letters


def test_a_mail_id_of_other_digits_is_not_found(signing_client):
    response = signing_client.get("/api/v1/mails/" + quote("²" * 28))
    assert response.status_code == 400
    assert response.get_json()["error"]["errorCode"] == "77103"


@pytest.mark.parametrize(("timestamp", "details"), [
    ("²", "x-ncp-apigw-timestamp must be epoch milliseconds"),  # isdigit(), not int()
    ("9" * 5000, "The timestamp is more than 5 minutes away from the server time"),
])
def test_a_timestamp_int_cannot_read_is_an_authentication_failure(signing_client, timestamp,
                                                                  details):
    # An unsigned client: these headers are sent as they are.
    response = Client(application).get("/api/v1/address-book", headers={
        TIMESTAMP_HEADER: timestamp, ACCESS_KEY_HEADER: signing_client.access_key,
        SIGNATURE_HEADER: "x"})
    assert response.status_code == 401
    assert response.get_json()["error"]["details"] == details


def test_an_address_longer_once_stored_is_ignored(signing_client):
    response = signing_client.post("/api/v1/unsubscribers", content_type="application/json",
                                   data=json.dumps({"blockedReceivers": [LONGER_WHEN_STORED]}))
    assert response.status_code == 201
    assert response.get_json() == {"count": 0, "requestCount": 1, "ignoreCount": 1}
