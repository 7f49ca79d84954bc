"""The Manage templates screen: tree, list, form with its rules, preview, move, delete and
restore, categories, and the export / import dialog with the job kit."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mailer import template_library as library
from mailer.models import BodyType, Template, TemplateCategory, TemplateExport, TemplateImport
from mailer.tasks import build_template_export, run_template_import


def url(project, rest: str = "") -> str:
    return f"/projects/{project.slug}/templates/{rest}"


FORM = {"category": "-1", "name": "welcome", "description": "Sent after sign-up",
        "sender_name": "Shop", "sender_address": "shop@example.com", "title": "Hello #{NAME}",
        "body_type": "HTML", "body": "<p>Hello ${NAME}</p>", "is_use": "on"}


def _template(project, name="welcome", category=None, **change) -> Template:
    return library.create_template(project, category, library.TemplateFields(
        **{"name": name, "title": "Hi", "body": "<p>Hi</p>",
           "sender_address": "shop@example.com", **change}))


def test_it_shows_the_tree_and_the_templates_of_a_category(owner_client, project):
    news = library.create_category(project, "news", None)
    weekly = library.create_category(project, "weekly", news)
    _template(project, "in-weekly", weekly)
    _template(project, "loose")
    page = owner_client.get(url(project)).content.decode()
    assert 'data-category="news"' in page and 'data-category="weekly"' in page
    assert 'data-template="in-weekly"' in page and 'data-template="loose"' in page
    listed = owner_client.get(url(project), {"category": weekly.pk}).content.decode()
    assert '<tr data-template="in-weekly"' in listed and '<tr data-template="loose"' not in listed


def test_it_creates_a_template_and_shows_errors_beside_their_fields(owner_client, project):
    response = owner_client.post(url(project, "new/"), FORM)
    assert response.status_code == 302
    created = Template.objects.get()
    assert (created.name, created.body_type, created.category) == ("welcome", "HTML", None)
    bad = owner_client.post(url(project, "new/"), {**FORM, "name": "has space",
                                                   "title": "가" * 200,
                                                   "sender_address": "nobody"})
    body = bad.content.decode()
    assert bad.status_code == 200 and Template.objects.count() == 1
    assert body.count("has-error") >= 1 and "Hangul" in body
    again = owner_client.post(url(project, "new/"), FORM)
    assert "exists already" in again.content.decode()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "가" * 167, "1 to 500 bytes"),
    ("description", "가" * 101, "at most 300 bytes"),
    ("sender_name", "가" * 24, "at most 69 bytes"),
    ("sender_address", "nobody", "not a valid mail address"),
])
def test_each_limit_is_shown_beside_its_field(owner_client, project, field, value, message):
    body = owner_client.post(url(project, "new/"), {**FORM, field: value}).content.decode()
    assert message in body
    error_at = body.index(message)
    assert body.rfind(f'name="{field}"', 0, error_at) > body.rfind('<div class="field', 0,
                                                                   error_at)


def test_the_editor_is_the_packaged_tinymce(owner_client, project):
    page = owner_client.get(url(project, "new/")).content.decode()
    assert "/static/tinymce/tinymce.min.js" in page and "cdn" not in page.lower()
    text = owner_client.post(url(project, "new/"), {**FORM, "body_type": "TEXT",
                                                    "body_type_was": "HTML",
                                                    "switch_body_type": "1"}).content.decode()
    assert "tinymce.min.js" not in text and "Hello ${NAME}" in text  # the body became text


def test_the_preview_is_sanitised_and_loads_nothing_remote(owner_client, project):
    response = owner_client.post(url(project, "preview/"), {
        "title": "Hi", "body_type": "HTML",
        "body": '<p onclick="x()">Hi</p><script>alert(1)</script><img src="https://t.example/x">'})
    page = response.content.decode()
    assert "sandbox" in page and "default-src &#x27;none&#x27;" in page
    assert "alert(1)" not in page and "onclick" not in page


def test_it_moves_deletes_restores_and_purges(owner_client, project):
    news = library.create_category(project, "news", None)
    template = _template(project)
    owner_client.post(url(project, f"{template.pk}/move/"), {"category": news.pk})
    template.refresh_from_db()
    assert template.category == news
    owner_client.post(url(project, f"{template.pk}/delete/"))
    template.refresh_from_db()
    assert template.deleted is not None
    deleted_view = owner_client.get(url(project), {"deleted": "on"}).content.decode()
    assert 'data-template="welcome"' in deleted_view
    owner_client.post(url(project, f"{template.pk}/restore/"))
    template.refresh_from_db()
    assert template.deleted is None
    refused = owner_client.post(url(project, f"{template.pk}/purge/"), follow=True)
    assert "only a deleted template" in refused.content.decode()
    owner_client.post(url(project, f"{template.pk}/delete/"))
    owner_client.post(url(project, f"{template.pk}/purge/"))
    assert not Template.objects.exists()


def test_categories_are_created_renamed_moved_and_deleted_only_empty(owner_client, project):
    owner_client.post(url(project, "categories/"), {"name": "news", "parent": "-1"})
    news = TemplateCategory.objects.get()
    owner_client.post(url(project, "categories/"), {"name": "weekly", "parent": news.pk})
    weekly = TemplateCategory.objects.get(name="weekly")
    assert weekly.parent == news
    owner_client.post(url(project, f"categories/{weekly.pk}/"), {"name": "monthly",
                                                                 "parent": "-1"})
    weekly.refresh_from_db()
    assert (weekly.name, weekly.parent) == ("monthly", None)
    _template(project, category=news)
    refused = owner_client.post(url(project, f"categories/{news.pk}/delete/"), follow=True)
    assert "not empty" in refused.content.decode()
    owner_client.post(url(project, f"categories/{weekly.pk}/delete/"))
    assert list(TemplateCategory.objects.values_list("name", flat=True)) == ["news"]


def test_export_and_import_run_on_the_job_kit(owner_client, project):
    news = library.create_category(project, "news", None)
    _template(project, category=news, body_type=BodyType.TEXT, body="Plain")
    dialog = owner_client.post(url(project, "files/export/"), HTTP_HX_REQUEST="true",
                               HTTP_HX_TARGET="dialog").content.decode()
    assert dialog.lstrip().startswith("<dialog open")
    job = TemplateExport.objects.get()
    assert f'id="export-{job.pk}"' in dialog and 'hx-trigger="every 2s"' in dialog
    build_template_export.apply(kwargs={"job_id": job.pk})
    row = owner_client.get(url(project, f"files/export/{job.pk}/"),
                           HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in row and "/download/" in row
    document = json.loads(b"".join(owner_client.get(
        url(project, f"files/export/{job.pk}/download/")).streaming_content))
    assert document["templates"][0]["bodyType"] == "TEXT"

    Template.objects.all().delete()
    upload = SimpleUploadedFile("t.json", json.dumps(document).encode())
    owner_client.post(url(project, "files/import/"), {"file": upload})
    run_template_import.apply(kwargs={"job_id": TemplateImport.objects.get().pk})
    assert Template.objects.get().category == news


@pytest.mark.parametrize(("content", "message"), [
    (b"not json at all", "not a template export"),
    (json.dumps({"type": "something else", "templates": []}).encode(), "not a template export"),
    (json.dumps({"type": "outbound-templates", "version": 1, "templates": [
        {"name": "ok", "title": "Hi", "body": "b", "senderAddress": "a@example.com"},
        {"name": "bad name!", "title": "Hi", "body": "b", "senderAddress": "a@example.com"},
        {"name": "long", "title": "가" * 200, "body": "b", "senderAddress": "a@example.com"},
    ]}).encode(), "Template 2 (bad name!): name"),
])
def test_a_bad_import_file_imports_nothing_and_says_why(owner_client, project, content,
                                                        message):
    owner_client.post(url(project, "files/import/"), {"file": SimpleUploadedFile("t.json",
                                                                                 content)})
    job = TemplateImport.objects.get()
    run_template_import.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == TemplateImport.Status.FAILED and message in job.error
    assert not Template.objects.exists()
    dialog = owner_client.get(url(project, "files/")).content.decode()
    assert "Nothing was imported." in dialog


def test_a_viewer_sees_but_cannot_change(client, project, viewer):
    _template(project)
    client.force_login(viewer)
    page = client.get(url(project)).content.decode()
    assert "Register template" not in page
    assert client.post(url(project, "new/"), FORM).status_code == 403
    assert client.post(url(project, "categories/"), {"name": "x"}).status_code == 403
    assert client.post(url(project, "files/export/")).status_code == 302  # viewers download


def test_an_outsider_finds_nothing(client, project, outsider):
    template = _template(project)
    client.force_login(outsider)
    assert client.get(url(project)).status_code == 404
    assert client.post(url(project, f"{template.pk}/delete/")).status_code == 404
