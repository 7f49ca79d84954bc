"""The Sandbox message blocks remote loads, and loads remote images for one view when asked."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from console.models import Project, SandboxMessage
from tests.mail_html import BLOCKING, LOADING, TRACKER, TRACKING_MAIL, frame_document, remote_urls


def _stored(project, html=TRACKING_MAIL) -> SandboxMessage:
    message = EmailMessage()
    message["Subject"] = "Our news"
    message.set_content("Hello there")
    message.add_alternative(html, subtype="html")
    raw = message.as_bytes()
    return SandboxMessage.objects.create(project=project, mail_from="shop@example.com",
                                         rcpt_tos=["customer@example.com"], subject="Our news",
                                         raw=raw, size=len(raw))


def _url(item, query="") -> str:
    return f"/projects/{item.project.slug}/sandbox/{item.pk}/{query}"


def test_it_blocks_every_remote_load_and_says_so(owner_client, project):
    item = _stored(project)
    page = owner_client.get(_url(item)).content.decode()
    document = frame_document(page)
    assert "default-src 'none'" in document and BLOCKING in document
    assert remote_urls(document) == [TRACKER]
    notice = page[page.index('id="remote-images"'):page.index("<iframe")]
    assert "Remote images in this mail were blocked" in notice
    assert f'href="{_url(item, "?remote=1")}"' in notice and "Load remote images" in notice


def test_it_loads_remote_images_when_asked(owner_client, project):
    item = _stored(project)
    page = owner_client.get(_url(item, "?remote=1")).content.decode()
    document = frame_document(page)
    assert LOADING in document and BLOCKING not in document
    assert remote_urls(document) == [TRACKER]  # the styles still load nothing
    assert 'id="remote-images"' not in page


def test_the_choice_swaps_the_detail_for_htmx(owner_client, project):
    item = _stored(project)
    page = owner_client.get(_url(item), HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{_url(item, "?remote=1")}" hx-target="#message-detail"' in page
    swapped = owner_client.get(_url(item, "?remote=1"), HTTP_HX_REQUEST="true")
    assert b'id="message-detail"' in swapped.content and b"<html" not in swapped.content
    assert LOADING in frame_document(swapped.content.decode())


def test_it_says_nothing_of_mail_without_remote_images(owner_client, project):
    item = _stored(project, html='<p>Hi</p><img src="data:image/gif;base64,R0lGODlh" alt="">')
    page = owner_client.get(_url(item)).content.decode()
    assert 'id="remote-images"' not in page and BLOCKING in frame_document(page)


@pytest.mark.parametrize("query", ["", "?remote=1"])
def test_an_outsider_cannot_read_it(client, project, outsider, query):
    item = _stored(project)
    client.force_login(outsider)
    assert client.get(_url(item, query)).status_code == 404
    other = _stored(Project.objects.get(name="other"))
    assert client.get(_url(other, query)).status_code == 200


def test_it_refuses_post(owner_client, project):
    assert owner_client.post(_url(_stored(project), "?remote=1")).status_code == 405
