"""Open tracking: a signed image per recipient; its first load marks exactly that recipient."""

from __future__ import annotations

import re

from django.test import Client

from mailer.models import Recipient, SendRequest
from mailer.tracking import PIXEL
from tests.mailer.factories import delivered_to, sent_html, sent_request


def _pixel_path(address: str) -> str:
    html = delivered_to(address)[0].content().html
    return re.search(r'<img src="https?://[^/"]+(/o/[^"]+\.gif)"', html)[1]


def test_opening_marks_exactly_that_recipient_once(sink, project):
    done = sent_request(project, recipients=[{"address": "kim@example.com"},
                                             {"address": "lee@example.com"}])
    path = _pixel_path("kim@example.com")
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif" and response.content == PIXEL
    kim = Recipient.objects.get(send_request=done, address="kim@example.com")
    first_open = kim.opened_at
    assert first_open is not None
    assert Recipient.objects.get(send_request=done, address="lee@example.com").opened_at is None
    Client().get(path)
    kim.refresh_from_db()
    assert kim.opened_at == first_open
    assert SendRequest.objects.get(pk=done.pk).opened_count == 1


def test_every_recipient_has_its_own_image(sink, project):
    sent_request(project, recipients=[{"address": "kim@example.com"},
                                      {"address": "lee@example.com"}])
    assert _pixel_path("kim@example.com") != _pixel_path("lee@example.com")


def test_a_forged_image_url_records_nothing_and_reveals_nothing(sink, project):
    done = sent_request(project, recipients=[{"address": "kim@example.com"}])
    pk = Recipient.objects.get(send_request=done).pk
    response = Client().get(f"/o/{pk}:forged.gif")
    assert response.status_code == 200 and response.content == PIXEL
    assert Recipient.objects.get(pk=pk).opened_at is None


def test_the_image_is_only_in_the_html(sink, project):
    sent_request(project, recipients=[{"address": "kim@example.com"}])
    content = delivered_to("kim@example.com")[0].content()
    assert "/o/" in content.html and "/o/" not in content.text


def test_a_general_mail_has_no_image(sink, project):
    sent_request(project, individual=False, recipients=[{"address": "kim@example.com"},
                                                        {"address": "lee@example.com"}])
    assert "/o/" not in delivered_to("kim@example.com")[0].content().html


def test_the_image_goes_inside_the_body(sink, project):
    sent_request(project, recipients=[{"address": "kim@example.com"}],
                 body="<html><body><p>Hi</p></body></html>")
    assert re.search(r"<p>Hi</p><img [^>]+></body></html>",
                     sent_html(delivered_to("kim@example.com")[0]))


def test_link_tokens_are_the_signer_s_own():
    from mailer.links import RecipientLink

    link = RecipientLink("outbound.test-links", "unsubscribe")
    assert [link.token(pk) for pk in (1, 42, 10**12)] == [
        link.signer.sign(str(pk)) for pk in (1, 42, 10**12)]
    assert link.recipient(link.token(42)) == 42
