"""The contract with the published API v1 reference: every operation is called the way its page's
example calls it (bodies and queries sent as they are), and its answer is checked against the
fields, types and status the reference gives (tests/contract/reference.py is the transcription,
conformance.py the check). Error answers are checked against the reference's status table.

importTemplate is the one operation without a page in the reference."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from addressbook import book
from addressbook.models import RecipientGroup
from console.signature import signed_headers
from mailer import template_library
from mailer.models import (
    Mail,
    Recipient,
    SendBlock,
    SendBlockHistory,
    SendRequest,
    Status,
    Unsubscriber,
    format_mail_id,
)
from mailer.result_codes import ResultCode
from mailer.tasks import build_template_export, prepare_request
from tests.contract.conformance import conforms
from tests.contract.reference import COMMON, OPERATIONS
from tests.mailer.factories import accepted_request

# importTemplate has no page the reference shows (tests/mailer/test_api_templates.py covers it).
CONTRACT = [name for name in OPERATIONS if name != "importTemplate"]
SEED_WITHOUT_TEMPLATE = {  # seeds/004, "Create without template", sent as it is
    "senderAddress": "no_reply@company.com", "title": "Hello, ${customer_name}.",
    "body": "Your grade has been changed from ${BEFORE_GRADE} to ${AFTER_GRADE}.",
    "recipients": [
        {"address": "hongildong@naver_.com", "name": "Gildong Hong", "type": "R",
         "parameters": {"customer_name": "Gildong Hong", "BEFORE_GRADE": "SILVER",
                        "AFTER_GRADE": "GOLD"}},
        {"address": "chulsoo@daum_.net", "name": None, "type": "R",
         "parameters": {"customer_name": "Chulsoo", "BEFORE_GRADE": "BRONZE",
                        "AFTER_GRADE": "SILVER"}}],
    "individual": True, "advertising": False}


def _example(operation: str, index: int = 0):
    """The page's example, without the "…" the reference writes in its lists."""
    example = OPERATIONS[operation]["request_examples"][index]
    if isinstance(example, dict):
        return json.loads(json.dumps(example, default=lambda _: None).replace(", null", ""))
    return example


class Api:
    """Signed calls with a path and query exactly as given (the signature is over them)."""

    def __init__(self, client, key, secret) -> None:
        self.client, self.key, self.secret = client, key, secret

    def __call__(self, method: str, path: str, query: str = "", body=None, **extra):
        full = f"/api/v1{path}" + (f"?{query}" if query else "")
        headers = signed_headers(method.upper(), full, self.key, self.secret)
        multipart = isinstance(body, dict) and any(isinstance(v, SimpleUploadedFile)
                                                   for v in body.values())
        if multipart or (body is not None and not isinstance(body, dict | list)):
            return getattr(self.client, method.lower())(full, data=body, headers=headers,
                                                        **extra)
        if body is not None:
            extra = {"data": json.dumps(body), "content_type": "application/json"}
        elif method.lower() in ("post", "put") and not extra:
            extra = {"data": b"", "content_type": "application/json"}  # no body at all
        return getattr(self.client, method.lower())(full, headers=headers, **extra)


@pytest.fixture
def call(client, api):
    return Api(client, api.access_key, api.secret)


@pytest.fixture
def world(project, call):
    """What the examples talk about: a finished request, groups 10대 / 남자 / 20대 with
    addresses, unsubscribers, a send-block history for test01@ncp-mail.com, an upload."""
    send_request = accepted_request(project, recipients=[
        {"address": "a@example.com", "name": "Kim"}, {"address": "b@example.com"}])
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    first, second = Recipient.objects.filter(send_request=send_request).order_by("id")
    now = timezone.now()
    Recipient.objects.filter(pk=first.pk).update(result_code=ResultCode.MAIL_SENT,
                                                 received=True, received_at=now, attempts=1)
    Recipient.objects.filter(pk=second.pk).update(result_code=ResultCode.MAILBOX_ERROR,
                                                  attempts=1, reply_code=550,
                                                  reply_text="5.1.1 unknown")
    Mail.objects.filter(pk=first.mail_id).update(status=Status.SENT, sent_at=now)
    Mail.objects.filter(pk=second.mail_id).update(status=Status.FAILED)
    SendRequest.objects.filter(pk=send_request.pk).update(status=Status.PARTIALLY_FAILED,
                                                          send_started_at=now,
                                                          requester_ip="203.0.113.9")
    for name in ("10대", "남자", "20대"):
        group = RecipientGroup.objects.create(project=project, name=name)
        book.register(project, ["xxx@naver.com", "xxx@daum.net", "a@naver.com",
                                "b@daum.net"], [group])
    Unsubscriber.objects.create(project=project, address="xxx@naver.com",
                                created=datetime(2019, 1, 1, tzinfo=UTC))
    SendBlock.objects.create(project=project, address="test01@ncp-mail.com",
                             blocked_until=now + timedelta(hours=168),
                             result_code=ResultCode.RECIPIENT_ADDRESS_ERROR)
    SendBlockHistory.objects.create(project=project, address="test01@ncp-mail.com",
                                    action="C", requester="PROJECT",
                                    result_code=ResultCode.RECIPIENT_ADDRESS_ERROR,
                                    reply_text="550 5.1.1 User unknown")
    upload = call("post", "/files", body={"fileList": SimpleUploadedFile("test.txt", b"hi")})
    assert upload.status_code == 201, upload.content
    category = template_library.create_category(project, "worldCategory", None)
    empty = template_library.create_category(project, "emptyCategory", None)
    fields = template_library.TemplateFields(
        name="worldTemplate", title="[EN] Naver Cloud Platform",
        body="Congratulations on your membership.", sender_address="admin@master.com",
        sender_name="Admin", description="Example of creating a template")
    template = template_library.create_template(project, category, fields)
    deleted = template_library.create_template(project, category, template_library.TemplateFields(
        **{**vars(fields), "name": "deletedTemplate"}))
    template_library.delete_template(deleted)
    export = template_library.request_export(project, None, [])
    build_template_export.apply(kwargs={"job_id": export.pk})
    return {"request": send_request, "temp": upload.json()["tempRequestId"],
            "mail_id": format_mail_id(send_request.request_id, 1), "category": category.pk,
            "empty_category": empty.pk, "template": template.pk, "deleted": deleted.pk,
            "export": export.pk}


def _calls(world) -> dict:
    """How each operation's example is sent in this project: the bodies and queries as the
    pages give them, only the IDs (of requests, templates, categories) the world's."""
    request_id, mail_id, temp = world["request"].request_id, world["mail_id"], world["temp"]
    now = int(timezone.now().timestamp() * 1000)
    period = f"startUtc={now - 3_600_000}&endUtc={now + 3_600_000}"
    return {
        "createMailRequest": ("post", "/mails", "", SEED_WITHOUT_TEMPLATE),
        "getMailRequestList": ("get", "/mails/requests", period, None),
        "getMailRequestStatus": ("get", f"/mails/requests/{request_id}/status", "", None),
        "getMailList": ("get", f"/mails/requests/{request_id}/mails",
                        _example("getMailList"), None),
        "getMail": ("get", f"/mails/{mail_id}", "", None),
        "createFile": ("post", "/files", "",
                       {"fileList": SimpleUploadedFile("test.txt", b"hello")}),
        "getFile": ("get", f"/files/{temp}", "", None),
        "deleteFile": ("delete", f"/files/{temp}", "", None),
        "createAddressBook": ("post", "/address-book", "", _example("createAddressBook")),
        "getAddressBook": ("get", "/address-book", "", None),
        "deleteAddressBook": ("delete", "/address-book", "", None),
        "deleteAddress": ("delete", "/address-book/address", "", _example("deleteAddress")),
        "deleteRecipientGroup": ("delete", "/address-book/recipient-groups",
                                 _example("deleteRecipientGroup"), None),
        "deleteRecipientGroupRelation": ("delete", "/address-book/recipient-groups/address", "",
                                         _example("deleteRecipientGroupRelation")),
        "deleteRecipientGroupRelationEmpty": ("delete",
                                              "/address-book/recipient-groups/address/empty",
                                              _example("deleteRecipientGroupRelationEmpty"),
                                              None),
        "getUnsubscribers": ("get", "/unsubscribers", _example("getUnsubscribers"), None),
        "registerUnsubscribers": ("post", "/unsubscribers", "",
                                  _example("registerUnsubscribers")),
        "deleteUnsubscribers": ("delete", "/unsubscribers", "", _example("deleteUnsubscribers")),
        "getSendBlockList": ("get", "/send-block", _example("getSendBlockList"), None),
        "createConfig": ("post", "/config", "", _example("createConfig")),
        "getConfig": ("get", "/config", _example("getConfig"), None),
        "getTemplateStructure": ("get", "/template", _example("getTemplateStructure"), None),
        "getTemplate": ("get", f"/template/{world['template']}", "", None),
        "createTemplate": ("post", "/template", "", {
            **_example("createTemplate"), "categorySid": world["category"]}),
        "updateTemplate": ("put", f"/template/{world['template']}", "",
                           _example("updateTemplate")),
        "deleteTemplate": ("delete", f"/template/{world['template']}", "", None),
        "restoreTemplate": ("put", f"/template/{world['deleted']}/restoration", "", None),
        "updateTemplateLocationOrName": ("put", f"/template/{world['template']}/name-location",
                                         "", {**_example("updateTemplateLocationOrName"),
                                              "parentSid": world["category"]}),
        "createCategory": ("post", "/category", "", _example("createCategory")),
        "updateCategoryLocationOrName": ("put",
                                         f"/category/{world['empty_category']}/name-location",
                                         "", _example("updateCategoryLocationOrName")),
        "deleteCategory": ("delete", f"/category/{world['empty_category']}", "", None),
        "createTemplateExportRequest": ("post", "/template/export/request", "", None),
        "getTemplateExportRequestList": ("get", "/template/export",
                                         _example("getTemplateExportRequestList"), None),
        "exportTemplate": ("get", f"/template/export/{world['export']}", "", None),
    }


def _send(call, spec):
    method, path, query, body = spec
    return call(method, path, query, body=body)


def test_every_operation_of_the_reference_is_in_the_contract(world):
    assert sorted(_calls(world)) == sorted(CONTRACT)


@pytest.mark.parametrize("operation", CONTRACT)
def test_the_reference_s_example_gets_the_documented_answer(call, world, operation):
    response = _send(call, _calls(world)[operation])
    documented = OPERATIONS[operation]["response_status"] or (
        201 if operation == "createMailRequest" else 200)
    if operation == "exportTemplate":  # a file to download
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert json.loads(b"".join(response.streaming_content))["templates"]
        return
    assert response.status_code == documented, response.content[:500]
    assert conforms(operation, response.json()) == []


def test_the_examples_do_what_their_pages_say(call, world, project):
    """Not only the shape: the address-book and unsubscriber examples act on what they name."""
    calls = _calls(world)
    _send(call, calls["createAddressBook"])
    from addressbook.models import AddressImport
    from addressbook.tasks import run_import

    for pk in AddressImport.objects.values_list("pk", flat=True):
        run_import.apply(kwargs={"job_id": pk})
    assert _send(call, calls["deleteRecipientGroupRelation"]).json()["groups"][0][
        "addressCount"] == 2  # 10대 lost a@naver.com and b@daum.net
    _send(call, calls["registerUnsubscribers"])
    assert Unsubscriber.objects.filter(project=project).count() == 2
    answer = _send(call, calls["deleteUnsubscribers"]).json()
    assert answer == {"count": 2, "requestCount": 2, "ignoreCount": 0}
    history = _send(call, calls["getSendBlockList"]).json()
    assert history["content"][0]["sendResultCode"] == "RECIPIENT_ADDRESS_ERROR"
    assert _send(call, calls["createConfig"]).json()["value"] == "180"


# The error answers of the reference's status table.

ERROR_CODES = {row["code"]: row["http"] for row in COMMON["status_codes"] if row["code"]}


def _error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content[:300]
    error = response.json()["error"]
    assert error["errorCode"] == code and error["message"]
    assert ERROR_CODES.get(int(code), status) == status


def test_a_malformed_or_mistyped_body_is_77102(call, world):
    _error(call("post", "/address-book", body="{nope", content_type="application/json"),
           400, "77102")
    _error(call("post", "/address-book", body={"groups": "10대"}), 400, "77102")
    _error(call("post", "/unsubscribers", body={"blockedReceivers": [1, 2]}), 400, "77102")
    _error(call("post", "/mails", body={**SEED_WITHOUT_TEMPLATE, "individual": "yes"}),
           400, "77102")


def test_an_unknown_resource_is_77103(call, world):
    _error(call("get", "/mails/requests/20000101000000000000/status"), 400, "77103")
    _error(call("get", "/files/nothing-here"), 400, "77103")


def test_a_viewer_writing_is_77201(client, project, viewer):
    from tests.factories import make_api_key

    key, secret = make_api_key(project, viewer)
    _error(Api(client, key.access_key, secret)("post", "/unsubscribers",
                                               body={"blockedReceivers": ["a@b.com"]}),
           403, "77201")


def test_a_method_the_reference_has_not_is_77001(call, world):
    _error(call("put", "/address-book", body={}), 405, "77001")
    _error(call("put", f"/files/{world['temp']}", body="x", content_type="text/plain"),
           405, "77001")


def test_a_media_type_the_reference_has_not_is_77002(call, world):
    _error(call("post", "/address-book", body="groups=x", content_type="text/plain"),
           415, "77002")
    _error(call("post", "/files", body="{}", content_type="application/json"), 415, "77002")


def test_an_unsigned_call_is_refused_with_401(client, world):
    response = client.get("/api/v1/address-book")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Authentication Failed"


def test_the_openapi_document_describes_every_answer(client, world):
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = {str(code) for code in operation["responses"]}
            assert {"400", "401", "403", "405", "415", "500"} <= codes, (method, path)
            success = [c for c in codes if c.startswith("2")]
            assert success, (method, path)
            for code in success:
                content = operation["responses"][code].get("content", {})
                assert "schema" in content.get("application/json", {}), (method, path, code)


def _operations(client, with_body: bool = False) -> list[tuple[str, str]]:
    """(method, path) of every operation of the OpenAPI document (those that read a body)."""
    document = client.get("/api/v1/openapi.json").json()
    return [(method, path.replace("{request_id}", "20000101000000000000")
             .replace("{mail_id}", "2000010100000000000000000001")
             .replace("{temp_request_id}", "nothing"))
            for path, operations in document["paths"].items()
            for method, operation in operations.items()
            if not with_body or "requestBody" in operation]


@pytest.mark.parametrize("body", ["{broken", "[]", '{"groups": 5, "emailAddresses": {},'
                                  ' "blockedReceivers": "x", "recipients": [1], "type": 7}',
                                  "\x00\xff", '"just a string"'])
def test_every_endpoint_answers_a_bad_body_with_a_4xx_error_body(client, call, world, body):
    operations = _operations(client, with_body=True)
    assert len(operations) >= 8
    for method, path in operations:
        path = path.removeprefix("/api/v1")
        content_type = "multipart/form-data; boundary=x" if path.startswith("/files") \
            else "application/json"
        response = call(method, path, body=body, content_type=content_type)
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
        assert "error" in response.json(), (method, path)


def test_every_endpoint_answers_an_oversized_body_with_413(client, call, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    settings.API_MAX_UPLOAD_BYTES = 100
    for method, path in _operations(client):
        if method == "get":
            continue
        response = call(method, path.removeprefix("/api/v1"), body="x" * 500,
                        content_type="application/json")
        assert response.status_code == 413, (method, path, response.status_code)
        assert response.json()["error"]["errorCode"] == "77102"
