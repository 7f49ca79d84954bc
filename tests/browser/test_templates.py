"""Manage templates in Chromium: categories (one nested), a template in each body style with
the packaged editor, preview, move, delete and restore, export, delete for good, import, and the
template found back; a screenshot of each step."""

from __future__ import annotations

import json

import pytest

from console.models import Membership
from mailer.models import Template, TemplateCategory
from tests.factories import PASSWORD, add_member, make_project, make_user

pytestmark = pytest.mark.browser


def _log_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/projects/acme/mails/")


def _create_category(page, name):
    page.fill("#new-category-name", name)
    page.click(".ab-create button")
    page.wait_for_selector(f'#category-tree a[data-category="{name}"].current')


def _fill_template(page, name, body_type):
    page.get_by_label("Template name").fill(name)
    page.get_by_label("Sender address").fill("shop@example.com")
    page.get_by_label("Sender name").fill("Shop")
    page.get_by_label("Subject").fill(f"Hello from {name}")
    if body_type != "EDITOR":
        page.check(f"input[name=body_type][value={body_type}]")
        page.click("button[name=switch_body_type]")
        page.wait_for_selector(f"input[name=body_type][value={body_type}]:checked")
        page.get_by_label("Body", exact=True).fill("<p>Body of ${NAME}</p>" if body_type == "HTML"
                                       else "Plain body for ${NAME}")
    else:
        editor = page.frame_locator(".tox-edit-area iframe").locator("body")
        editor.click()
        editor.type("Written in the editor for ")
        page.keyboard.press("Control+B")
        editor.type("${NAME}")


def test_it_walks_manage_templates(page, live_server, transactional_db, worker_factory,
                                   screenshot, tmp_path):
    worker_factory()
    project = make_project("acme")
    add_member(project, make_user("alice"), Membership.Role.ADMIN)
    page.on("dialog", lambda dialog: dialog.accept())
    _log_in(page, live_server)
    page.click("[data-nav=templates]")
    page.wait_for_selector("#empty-state")
    screenshot("empty")

    _create_category(page, "news")
    _create_category(page, "weekly")  # inside news, the category selected
    weekly = TemplateCategory.objects.get(name="weekly")
    assert weekly.parent.name == "news"
    screenshot("categories")

    for name, body_type in (("editor-mail", "EDITOR"), ("html-mail", "HTML"),
                            ("text-mail", "TEXT")):
        page.click("#register-template")
        page.wait_for_selector("#template-form")
        _fill_template(page, name, body_type)
        page.click("#preview-button")
        frame = page.frame_locator("#preview-card iframe")
        expected = {"EDITOR": "Written in the editor", "HTML": "Body of",
                    "TEXT": "Plain body for"}[body_type]
        assert expected in frame.locator("body").inner_text()
        screenshot(f"form-{body_type.lower()}")
        page.click("#save-template")
        page.wait_for_selector(f'#templates tr[data-template="{name}"]')
    editor_mail = Template.objects.get(name="editor-mail")
    assert "<strong>${NAME}</strong>" in editor_mail.body and editor_mail.category == weekly
    assert Template.objects.get(name="text-mail").body_type == "TEXT"
    screenshot("listed")

    # Move html-mail to the root, then delete and restore it.
    page.click('#templates a:has-text("html-mail")')
    page.select_option("#move-category", label="(No category)")
    page.click("#template-detail button:has-text('Move')")
    page.wait_for_selector('#category-tree a[data-category="root"].current')
    assert Template.objects.get(name="html-mail").category is None
    page.click("#template-detail button:has-text('Delete')")
    page.wait_for_selector('#templates tr[data-template="html-mail"]', state="detached")
    page.click('#category-tree a[data-category="deleted"]')
    page.click('#templates a:has-text("html-mail")')
    screenshot("deleted")
    page.click("#template-detail button:has-text('Restore')")
    page.wait_for_selector('#template-detail h2:has-text("html-mail")')
    assert Template.objects.get(name="html-mail").deleted is None

    # Export everything, download the file.
    page.click("#template-files")
    page.wait_for_selector("#files-dialog[open]")
    page.click("#export-all")
    page.wait_for_selector("#export-list a:has-text('Download')", timeout=30_000)
    screenshot("exported")
    with page.expect_download() as download:
        page.click("#export-list a:has-text('Download')")
    exported = tmp_path / "templates.json"
    download.value.save_as(exported)
    assert len(json.loads(exported.read_text())["templates"]) == 3
    page.click("#files-dialog .panel-head button")

    # Delete text-mail for good, import the file, find it back in its category.
    page.goto(f"{live_server.url}/projects/acme/templates/?category={weekly.pk}")
    page.click('#templates a:has-text("text-mail")')
    page.click("#template-detail button:has-text('Delete')")
    page.click('#category-tree a[data-category="deleted"]')
    page.click('#templates a:has-text("text-mail")')
    page.click("#template-detail button:has-text('Delete permanently')")
    page.wait_for_selector('#templates tr[data-template="text-mail"]', state="detached")
    Template.objects.exclude(name="text-mail").delete()  # keep the import free of name clashes
    page.click("#template-files")
    page.wait_for_selector("#files-dialog[open]")
    page.set_input_files("#files-dialog input[type=file]", str(exported))
    page.click("#import-file")
    page.wait_for_selector("#import-list tr[data-status=done]", timeout=30_000)
    screenshot("imported")
    page.goto(f"{live_server.url}/projects/acme/templates/?category={weekly.pk}")
    page.wait_for_selector('#templates tr[data-template="text-mail"]')
    page.click('#templates a:has-text("text-mail")')
    assert "Plain body for" in page.frame_locator("#template-detail iframe").locator(
        "body").inner_text()
    screenshot("found-back")
    frame = page.locator("#template-detail iframe")
    frame.scroll_into_view_if_needed()
    frame.screenshot(path=str(screenshot("found-back").with_name(
        "test_it_walks_manage_templates-found-back-content.png")))
