"""The template and category API with the request examples of the reference's pages."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from console.models import Membership
from mailer.models import Template, TemplateCategory, TemplateExport, TemplateImport
from mailer.tasks import build_template_export, run_template_import
from tests.factories import ApiClient, add_member, make_api_key, make_user

CREATE = {"categorySid": 252, "templateName": "membershipTemplate",
          "description": "Example of creating a template", "title": "[EN] Naver Cloud Platform",
          "body": "Congratulations on your membership.", "senderAddress": "admin@master.com",
          "senderName": "Admin", "isUse": True}


def _put(api, path: str, body: dict | None = None):
    from console.signature import signed_headers

    headers = signed_headers("PUT", path, api.access_key, api.secret)
    return api.client.put(path, data=json.dumps(body or {}), content_type="application/json",
                          headers=headers)


@pytest.fixture
def category(api):
    answer = api.post("/api/v1/category", {"categoryName": "testCategory", "parentSid": -1})
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_it_creates_a_category_and_a_template_in_it(api, category):
    assert category["parentSid"] == -1 and category["name"] == "testCategory"
    answer = api.post("/api/v1/template", {**CREATE, "categorySid": category["sid"]})
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["name"] == "membershipTemplate"
    assert created["category"] == category
    assert created["createDate"]["formattedDate"]
    again = api.get(f"/api/v1/template/{created['sid']}").json()
    assert again == created


def test_the_structure_nests_categories_and_templates(api, category):
    child = api.post("/api/v1/category", {"categoryName": "child",
                                          "parentSid": category["sid"]}).json()
    api.post("/api/v1/template", {**CREATE, "categorySid": child["sid"]})
    api.post("/api/v1/template", {**CREATE, "templateName": "loose", "categorySid": "-1",
                                  "isUse": False})
    tree = api.get("/api/v1/template").json()["contents"]
    top = tree[0]
    assert (top["name"], top["isCategory"], top["parentSid"]) == ("testCategory", True, -1)
    assert top["subCategoris"][0]["templates"][0]["name"] == "membershipTemplate"
    assert tree[1]["name"] == "loose" and tree[1]["subCategoris"] is None
    in_use = api.get("/api/v1/template", {"isUse": "true"}).json()["contents"]
    assert [node["name"] for node in in_use] == ["testCategory"]


def test_it_updates_moves_deletes_and_restores(api, category):
    sid = api.post("/api/v1/template", {**CREATE, "categorySid": -1}).json()["sid"]
    updated = _put(api, f"/api/v1/template/{sid}", {
        "templateName": "membershipTemplateKR", "title": "[KO] Naver Cloud Platform",
        "body": "회원 가입을 환영합니다.", "senderAddress": "admin@master.com",
        "senderName": "Admin", "isUse": True}).json()
    assert (updated["name"], updated["description"]) == ("membershipTemplateKR", None)
    moved = _put(api, f"/api/v1/template/{sid}/name-location",
                 {"templateName": "AD Template".replace(" ", "_"),
                  "parentSid": category["sid"], "lowerSid": 999}).json()
    assert moved["category"]["sid"] == category["sid"] and moved["name"] == "AD_Template"
    deleted = api.delete(f"/api/v1/template/{sid}")
    assert deleted.status_code == 200
    assert api.get(f"/api/v1/template/{sid}").json()["error"]["errorCode"] == "77103"
    restored = _put(api, f"/api/v1/template/{sid}/restoration")
    assert restored.status_code == 200 and restored.json()["sid"] == sid


def test_a_category_is_deleted_only_when_empty(api, category):
    api.post("/api/v1/template", {**CREATE, "categorySid": category["sid"]})
    refused = api.delete(f"/api/v1/category/{category['sid']}")
    assert refused.status_code == 400 and "not empty" in refused.json()["error"]["message"]
    empty = api.post("/api/v1/category", {"categoryName": "empty"}).json()
    assert api.delete(f"/api/v1/category/{empty['sid']}").json() == empty
    assert not TemplateCategory.objects.filter(pk=empty["sid"]).exists()


def test_a_category_is_renamed_and_moved(api, category):
    other = api.post("/api/v1/category", {"categoryName": "other"}).json()
    answer = _put(api, f"/api/v1/category/{other['sid']}/name-location",
                  {"categoryName": "renamed", "parentSid": category["sid"]}).json()
    assert answer == {"sid": other["sid"], "parentSid": category["sid"], "name": "renamed"}
    looped = _put(api, f"/api/v1/category/{category['sid']}/name-location",
                  {"parentSid": other["sid"]})
    assert looped.status_code == 400


@pytest.mark.parametrize(("change", "field"), [
    ({"templateName": "has space"}, "templateName"),
    ({"templateName": "x" * 101}, "templateName"),
    ({"description": "가" * 101}, "description"),  # 303 bytes
    ({"title": ""}, "title"), ({"title": "가" * 167}, "title"),  # 501 bytes
    ({"senderName": "가" * 24}, "senderName"),  # 72 bytes
    ({"senderAddress": "nobody"}, "senderAddress"),
    ({"categorySid": 987654}, "categorySid"),
    ({"isUse": "yes"}, "isUse"),
])
def test_it_refuses_what_breaks_the_reference_s_limits(api, change, field):
    answer = api.post("/api/v1/template", {**CREATE, "categorySid": -1, **change})
    assert answer.status_code == 400
    assert answer.json()["error"]["errorCode"] == "77102"
    assert field in answer.json()["error"]["message"]
    assert not Template.objects.exists()


def test_a_name_is_unique_among_templates_not_deleted(api):
    api.post("/api/v1/template", {**CREATE, "categorySid": -1})
    again = api.post("/api/v1/template", {**CREATE, "categorySid": -1})
    assert again.status_code == 400 and "exists" in again.json()["error"]["message"]


def test_it_exports_lists_downloads_and_imports(api, project, category):
    api.post("/api/v1/template", {**CREATE, "categorySid": category["sid"]})
    sid = api.post("/api/v1/template/export/request").json()["sid"]
    listed = api.get("/api/v1/template/export").json()
    assert listed["content"][0]["statusCode"] == {"label": "Pending", "code": "R"}
    build_template_export.apply(kwargs={"job_id": sid})
    row = api.get("/api/v1/template/export", {"size": 5, "page": 0}).json()["content"][0]
    assert row["statusCode"]["code"] == "C" and row["downloadUrl"].endswith(
        f"/api/v1/template/export/{sid}")
    download = api.get(f"/api/v1/template/export/{sid}")
    assert download.status_code == 200
    document = json.loads(b"".join(download.streaming_content))
    assert document["templates"][0]["category"] == ["testCategory"]

    Template.objects.all().delete()
    from console.signature import signed_headers

    upload = SimpleUploadedFile("template.json", json.dumps(document).encode())
    path = "/api/v1/template/import"
    answer = api.client.post(path, {"fileList": upload},
                             headers=signed_headers("POST", path, api.access_key, api.secret))
    assert answer.status_code == 201, answer.content
    run_template_import.apply(kwargs={"job_id": answer.json()["sid"]})
    assert TemplateImport.objects.get().status == TemplateImport.Status.DONE
    assert Template.objects.get().category.name == "testCategory"


def test_a_viewer_reads_but_does_not_write(client, project, api, category):
    viewer = make_user("api-viewer")
    add_member(project, viewer, Membership.Role.VIEWER)
    key, secret = make_api_key(project, viewer)
    as_viewer = ApiClient(client, key.access_key, secret)
    assert as_viewer.get("/api/v1/template").status_code == 200
    assert as_viewer.post("/api/v1/template", {**CREATE, "categorySid": -1}).status_code == 403
    assert as_viewer.post("/api/v1/template/export/request").status_code == 200
    assert TemplateExport.objects.count() == 1


def test_a_deleted_or_unused_template_cannot_be_sent(api):
    sid = api.post("/api/v1/template", {**CREATE, "categorySid": -1, "isUse": False}).json()["sid"]
    body = {"templateSid": sid, "recipients": [{"address": "a@example.com"}]}
    unused = api.post("/api/v1/mails", body)
    assert unused.status_code == 400 and "not in use" in unused.json()["error"]["message"]
    api.delete(f"/api/v1/template/{sid}")
    deleted = api.post("/api/v1/mails", body)
    assert deleted.json()["error"]["errorCode"] == "77103"
