"""Bad input on /api/v1 is a 400 with the API's error body, never a 500: NUL characters anywhere
in a request (PostgreSQL cannot store or compare them), integers out of range, and multipart
bodies Django cannot read."""

from __future__ import annotations

import pytest

from console.signature import signed_headers
from tests.mailer.factories import accepted_request

PERIOD = {"startUtc": "0", "endUtc": "1"}
# (method, path, the other parameters it needs, the parameter given a NUL)
QUERY_PARAMETERS = [
    *[("get", "/api/v1/mails/requests", PERIOD, name)
      for name in ("title", "recipientAddress", "senderAddress", "requestId", "mailId",
                   "dispatchType", "sendStatus", "sort")],
    ("get", "/api/v1/mails/requests", {"endUtc": "1"}, "startDateTime"),
    *[("get", "/api/v1/mails/requests/20260101000000000001/mails", {}, name)
      for name in ("recipientAddress", "title", "mailId")],
    ("get", "/api/v1/unsubscribers", {}, "emailAddress"),
    ("get", "/api/v1/unsubscribers", {}, "startDateTime"),
    ("get", "/api/v1/send-block", {}, "targetAddress"),
    ("get", "/api/v1/config", {}, "type"),
    ("get", "/api/v1/template", {}, "isUse"),
    ("delete", "/api/v1/address-book/recipient-groups", {}, "groupName"),
    ("delete", "/api/v1/address-book/recipient-groups/address/empty", {}, "groupName"),
]
PAGED = [
    ("/api/v1/mails/requests", PERIOD),
    ("/api/v1/mails/requests/20260101000000000001/mails", {}),
    ("/api/v1/unsubscribers", {}),
    ("/api/v1/send-block", {"targetAddress": "someone@example.com"}),
    ("/api/v1/template/export", {}),
]
TOO_LARGE = "99999999999999999999"
BIGINT_MAX = "9223372036854775807"


def _error(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    return response.json()["error"]


def _raw(api, method: str, path: str):
    """A call the way gunicorn passes it: the path as sent (RAW_URI) beside the decoded one, so
    the signature over %00 matches and the NUL reaches the view."""
    headers = signed_headers(method.upper(), path, api.access_key, api.secret)
    return getattr(api.client, method)(path, headers=headers, RAW_URI=path)


def _multipart(api, path: str, body: bytes, content_type: str):
    headers = signed_headers("POST", path, api.access_key, api.secret)
    return api.client.post(path, data=body, content_type=content_type, headers=headers)


def _part(name: str, data: bytes = b"hello") -> bytes:
    return (f'--b\r\nContent-Disposition: form-data; name="fileList"; filename="{name}"\r\n'
            f"Content-Type: text/plain\r\n\r\n").encode() + data + b"\r\n"


# NUL characters

@pytest.mark.parametrize(("method", "path", "params", "name"), QUERY_PARAMETERS)
def test_it_refuses_a_nul_in_any_query_parameter(api, method, path, params, name):
    response = getattr(api, method)(path, params={**params, name: "a\x00b"})
    assert _error(response) == {"errorCode": "77102",
                                "message": f"{name}: must not contain NUL characters"}


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/v1/files/%00"),
    ("delete", "/api/v1/files/a%00b"),
    ("get", "/api/v1/mails/requests/%00/status"),
    ("get", "/api/v1/mails/requests/%00/mails"),
    ("post", "/api/v1/mails/requests/%00/cancel"),
    ("get", "/api/v1/mails/%00"),
    ("get", "/api/v1/template/%00"),
])
def test_it_refuses_a_nul_in_the_path(api, method, path):
    assert _error(_raw(api, method, path)) == {
        "errorCode": "77102", "message": "path: must not contain NUL characters"}


@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("post", "/api/v1/template", {"templateName": "welcome", "title": "Hi", "body": "a\x00b",
                                  "senderAddress": "news@example.com"}, "body"),
    ("post", "/api/v1/unsubscribers", {"blockedReceivers": ["a@example.com", "b\x00"]},
     "blockedReceivers.1"),
    ("delete", "/api/v1/address-book/recipient-groups/address",
     {"groupName": "vip\x00", "emailAddresses": ["a@example.com"]}, "groupName"),
    ("post", "/api/v1/address-book", {"groups": [{"groupName": "vip",
                                                  "emailAddresses": ["a\x00@example.com"]}]},
     "groups.0.emailAddresses.0"),
])
def test_it_refuses_a_nul_in_a_json_body_naming_the_field(api, method, path, body, field):
    response = getattr(api, method)(path, body)
    assert _error(response)["message"] == f"{field}: must not contain NUL characters"


def test_an_escaped_backslash_before_u0000_is_text_not_nul(api):
    body = {"templateName": "welcome", "title": "Hi", "body": "C:\\u0000 is a folder",
            "senderAddress": "news@example.com"}
    response = api.post("/api/v1/template", body)
    assert response.status_code == 201, response.content
    assert response.json()["body"] == "C:\\u0000 is a folder"


def test_it_refuses_a_nul_in_a_header(api):
    body = {"senderAddress": "news@example.com", "title": "Hi", "body": "Hello",
            "recipients": [{"address": "kim@example.com"}]}
    response = api.post("/api/v1/mails", body, headers={"Idempotency-Key": "a\x00b"})
    assert _error(response)["message"] == "Idempotency-Key: must not contain NUL characters"


def test_an_access_key_with_a_nul_is_unknown(client, db):
    path = "/api/v1/address-book"
    response = client.get(path, headers=signed_headers("GET", path, "AK\x00", "secret"))
    assert _error(response, 401)["details"] == "Unknown access key"


def test_an_unsigned_request_with_a_nul_is_still_401_first(client, db):
    response = client.get("/api/v1/mails/requests", {"title": "\x00"})
    assert _error(response, 401)["errorCode"] == "200"


# Integers out of range

@pytest.mark.parametrize(("path", "params"), PAGED)
@pytest.mark.parametrize(("name", "value"), [
    ("page", TOO_LARGE), ("page", BIGINT_MAX), ("page", "-1"), ("size", TOO_LARGE),
    ("size", "0"),
])
def test_every_paged_endpoint_refuses_a_page_out_of_range(api, path, params, name, value):
    error = _error(api.get(path, params={**params, name: value}))
    assert error["errorCode"] == "77102" and error["message"].startswith(f"{name}: ")


@pytest.mark.parametrize(("path", "params"), [
    ("/api/v1/mails/requests", {"startUtc": "0", "endUtc": TOO_LARGE}),
    ("/api/v1/mails/requests", {"startUtc": "-1", "endUtc": "1"}),
    ("/api/v1/mails/requests", {**PERIOD, "templateSid": TOO_LARGE}),
    ("/api/v1/unsubscribers", {"endUtc": "253402300800000"}),
    ("/api/v1/template/export/" + TOO_LARGE, {}),
    ("/api/v1/template/" + TOO_LARGE, {}),
])
def test_it_refuses_integers_out_of_range(api, path, params):
    assert _error(api.get(path, params=params))["errorCode"] == "77102"


@pytest.mark.parametrize("path", ["/api/v1/mails/requests", "/api/v1/unsubscribers"])
@pytest.mark.parametrize("text", ["0001-01-01 00:00", "9999-12-31 23:59"])
def test_it_refuses_a_date_time_beyond_what_it_can_store(api, path, text):
    error = _error(api.get(path, params={"startDateTime": text, "endUtc": "1"}))
    assert error["message"] == ("startDateTime: must be between 1970-01-01 00:00 UTC and "
                                "9999-12-30 23:59 UTC")


def test_the_largest_ids_are_not_found_rather_than_refused(api):
    error = _error(api.get(f"/api/v1/template/{BIGINT_MAX}"))
    assert error["errorCode"] == "77103"


def test_a_period_within_the_bounds_is_listed(api, project):
    accepted_request(project)
    response = api.get("/api/v1/mails/requests",
                       params={"startUtc": "0", "endUtc": "253402214399999"})
    assert response.status_code == 200 and response.json()["totalElements"] == 1


def test_the_openapi_document_declares_the_bounds(client, db):
    document = client.get("/api/v1/openapi.json").json()

    def bounds(path: str, method: str, name: str) -> tuple:
        for parameter in document["paths"][path][method]["parameters"]:
            if parameter["name"] == name:
                schema = parameter["schema"]
                schema = next((s for s in schema.get("anyOf", [schema]) if "maximum" in s),
                              schema)
                return schema.get("minimum"), schema.get("maximum")
        raise AssertionError(f"{name} is not a parameter of {method} {path}")

    assert bounds("/api/v1/mails/requests", "get", "endUtc") == (0, 253402214399999)
    assert bounds("/api/v1/mails/requests", "get", "templateSid") == (0, 2**63 - 1)
    assert bounds("/api/v1/unsubscribers", "get", "startUtc") == (0, 253402214399999)
    assert bounds("/api/v1/template/{template_sid}", "get", "template_sid") == (0, 2**63 - 1)
    assert bounds("/api/v1/template/export", "get", "page") == (0, 2**31 - 1)


# Multipart bodies

@pytest.mark.parametrize("path", ["/api/v1/files", "/api/v1/template/import"])
@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=",
                                          'multipart/form-data; boundary=""'])
def test_it_refuses_multipart_without_a_boundary(api, path, content_type):
    response = _multipart(api, path, _part("a.txt") + b"--b--\r\n", content_type)
    assert _error(response) == {
        "errorCode": "77102",
        "message": "Content-Type: multipart/form-data needs a boundary parameter"}


@pytest.mark.parametrize("path", ["/api/v1/files", "/api/v1/template/import"])
def test_it_refuses_a_file_name_of_a_thousand_characters(api, path):
    body = _part("a" * 996 + ".txt") + b"--b--\r\n"
    response = _multipart(api, path, body, "multipart/form-data; boundary=b")
    assert _error(response)["message"] == ("fileList: a file name is too long: the headers of "
                                           "a part can be at most 1,024 bytes")


def test_it_refuses_more_files_than_django_reads(api):
    body = b"".join(_part(f"f{n}.txt") for n in range(101)) + b"--b--\r\n"
    response = _multipart(api, "/api/v1/files", body, "multipart/form-data; boundary=b")
    assert _error(response)["message"] == "fileList: at most 100 files in one request"


def test_it_refuses_a_multipart_body_it_cannot_read(api):
    body = b"--b\r\nContent-Disposition: form-data; name=\"fileList\"; filename=\"a.txt\"\r\n" \
        b"Content-Transfer-Encoding: base64\r\n\r\n@@@\r\n--b--\r\n"
    response = _multipart(api, "/api/v1/files", body, "multipart/form-data; boundary=b")
    assert _error(response)["message"].startswith(
        "The multipart/form-data body cannot be read: ")
