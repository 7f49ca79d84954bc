"""Every preview of mail HTML on the mailer's screens (View content, the template list and form,
the composer) blocks remote loads; View content loads remote images for one view when asked."""

from __future__ import annotations

import pytest

from mailer import template_library as library
from mailer.models import Recipient
from mailer.tasks import prepare_request
from tests.mail_html import BLOCKING, LOADING, TRACKER, TRACKING_MAIL, frame_document, remote_urls
from tests.mailer.factories import accepted_request


@pytest.fixture
def content_url(project) -> str:
    send_request = accepted_request(project, body=TRACKING_MAIL,
                                    recipients=[{"address": "ann@example.com"}])
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    return f"/projects/{project.slug}/mails/{send_request.request_id}00000001/content/"


def _assert_blocks_remote_loads(page: str) -> None:
    document = frame_document(page)
    assert "default-src 'none'" in document and BLOCKING in document
    assert remote_urls(document) == [TRACKER]


def test_view_content_blocks_every_remote_load_and_says_so(owner_client, content_url):
    page = owner_client.get(content_url).content.decode()
    _assert_blocks_remote_loads(page)
    recipient = Recipient.objects.get()
    notice = page[page.index('id="remote-images"'):page.index("<iframe")]
    assert "Remote images in this mail were blocked" in notice and "Load remote images" in notice
    assert f'href="{content_url}?recipient={recipient.pk}&amp;remote=1"' in notice
    assert "hx-get" not in notice  # the whole page: a plain link


def test_view_content_loads_remote_images_when_asked(owner_client, content_url):
    page = owner_client.get(content_url, {"remote": "1"}).content.decode()
    document = frame_document(page)
    assert LOADING in document and BLOCKING not in document
    assert remote_urls(document) == [TRACKER]  # the styles still load nothing
    assert 'id="remote-images"' not in page


def test_view_content_swaps_the_dialog_for_htmx(owner_client, content_url):
    recipient = Recipient.objects.get()
    remote_url = f"{content_url}?recipient={recipient.pk}&amp;remote=1"
    dialog = owner_client.get(content_url, {"recipient": recipient.pk},
                              HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{remote_url}" hx-target="#dialog"' in dialog
    swapped = owner_client.get(content_url, {"recipient": recipient.pk, "remote": "1"},
                               HTTP_HX_REQUEST="true").content.decode()
    assert 'id="content-dialog"' in swapped and "<html" not in swapped
    assert LOADING in frame_document(swapped)


def test_an_outsider_cannot_load_remote_images(client, outsider, content_url):
    client.force_login(outsider)
    assert client.get(content_url, {"remote": "1"}).status_code == 404


def test_view_content_refuses_post(owner_client, content_url):
    assert owner_client.post(f"{content_url}?remote=1").status_code == 405


def test_the_template_preview_blocks_remote_loads(owner_client, project):
    page = owner_client.post(f"/projects/{project.slug}/templates/preview/", {
        "title": "News", "body_type": "HTML", "body": TRACKING_MAIL}).content.decode()
    _assert_blocks_remote_loads(page)


def test_the_template_list_blocks_remote_loads(owner_client, project):
    template = library.create_template(project, None, library.TemplateFields(
        name="news", title="News", body=TRACKING_MAIL, sender_address="shop@example.com"))
    page = owner_client.get(f"/projects/{project.slug}/templates/",
                            {"template": template.pk}).content.decode()
    _assert_blocks_remote_loads(page)


def test_the_composer_preview_blocks_remote_loads(owner_client, project):
    page = owner_client.post(f"/projects/{project.slug}/send/preview/", {
        "classification": "advertisement", "title": "Sale", "body_type": "HTML",
        "body": TRACKING_MAIL, "use_basic_unsubscribe": "on"}).content.decode()
    _assert_blocks_remote_loads(page)
