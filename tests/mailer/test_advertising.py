"""Advertising mail over real SMTP: prefix, footer, RFC 8058 headers, the one-click
unsubscribe, and the next advertising request skipping the address."""

from __future__ import annotations

import re

from django.test import Client

from console.models import SandboxMessage
from mailer.models import Recipient, Status, Unsubscriber
from mailer.result_codes import ResultCode
from tests.mailer.factories import delivered_to, sent_request

AD = {"advertising": True, "title": "Spring sale", "body": "<p>Everything 30% off.</p>"}


def test_an_advertising_mail_arrives_with_prefix_footer_and_headers(sink, project):
    sent_request(project, recipients=[{"address": "kim@example.com"}], **AD)
    message = delivered_to("kim@example.com")[0]
    content = message.content()
    headers = dict(content.headers)
    assert headers["Subject"] == "(광고) Spring sale"
    assert "[수신거부]" in content.html  # Korean: the project's default recipient language
    url = headers["List-Unsubscribe"].strip("<>")
    assert url in content.html
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "본 메일은 수신에 동의하신 분께 발송되는 광고 메일입니다" in content.text
    assert f"[[수신거부]]({url})" in content.text
    assert "<p" not in content.text and "<a" not in content.text


def test_the_basic_notice_is_in_the_project_s_recipient_language(sink, project):
    from mailer.models import MailerSettings

    MailerSettings.objects.create(project=project, recipient_language="ja")
    sent_request(project, recipients=[{"address": "kim@example.com"}], **AD)
    text = delivered_to("kim@example.com")[0].content().text
    assert "本メールは、受信に同意された方にお送りしている広告メールです" in text
    assert "[受信拒否]" in text and "본 메일은" not in text
    MailerSettings.objects.filter(project=project).update(recipient_language="en")
    sent_request(project, recipients=[{"address": "lee@example.com"}], **AD)
    text = delivered_to("lee@example.com")[0].content().text
    assert "This is an advertising mail sent to those who agreed to receive it" in text
    assert "[Unsubscribe]" in text


def test_a_custom_unsubscribe_message_replaces_the_basic_one(sink, project):
    sent_request(project, recipients=[{"address": "kim@example.com"}], **AD,
                 useBasicUnsubscribeMsg=False,
                 unsubscribeMessage="<p>No more? <a href='#{UNSUBSCRIBE_URL}'>Leave</a></p>")
    html = delivered_to("kim@example.com")[0].content().html
    assert "No more?" in html and "수신거부" not in html
    assert re.search(r'href="http://[^"]+/u/[^"]+"[^>]*>Leave', html)


def test_the_body_may_place_the_unsubscribe_message_itself(sink, project):
    body = "<div>#{UNSUBSCRIBE_MESSAGE}</div><p>Top of the offer</p>"
    sent_request(project, recipients=[{"address": "kim@example.com"}],
                 **{**AD, "body": body})
    html = delivered_to("kim@example.com")[0].content().html
    assert html.index("수신거부") < html.index("Top of the offer")
    assert html.count("본 메일은") == 1


def test_one_click_unsubscribe_then_the_next_advertising_mail_is_not_sent(sink, project):
    sent_request(project, recipients=[{"address": "kim@example.com"}], **AD)
    url = dict(delivered_to("kim@example.com")[0].content().headers)["List-Unsubscribe"]
    path = re.sub(r"^<https?://[^/]+", "", url).rstrip(">")
    # What a mail client does for RFC 8058: a POST without any cookie or CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    unsubscriber = Unsubscriber.objects.get(project=project)
    assert (unsubscriber.address, unsubscriber.is_reg_by_manager) == ("kim@example.com", False)

    before = SandboxMessage.objects.count()
    later = sent_request(project, recipients=[{"address": "kim@example.com"},
                                              {"address": "lee@example.com"}], **AD)
    codes = dict(Recipient.objects.filter(send_request=later).values_list("address", "result_code"))
    assert codes == {"kim@example.com": ResultCode.UNSUBSCRIBE_ADDRESS,
                     "lee@example.com": ResultCode.MAIL_SENT}
    assert SandboxMessage.objects.count() == before + 1
    assert later.status == Status.SENT


def test_a_request_whose_recipients_all_unsubscribed_ends_u(sink, project):
    Unsubscriber.objects.create(project=project, address="kim@example.com")
    done = sent_request(project, recipients=[{"address": "Kim@Example.com"}], **AD)
    assert done.status == Status.UNSUBSCRIBED
    assert not delivered_to("Kim@Example.com")


def test_regular_mail_still_reaches_an_unsubscribed_address(sink, project):
    Unsubscriber.objects.create(project=project, address="kim@example.com")
    done = sent_request(project, recipients=[{"address": "kim@example.com"}])
    assert done.status == Status.SENT
    assert len(delivered_to("kim@example.com")) == 1


def test_the_unsubscribe_page_asks_before_acting(sink, project, client):
    sent_request(project, recipients=[{"address": "kim@example.com"}], **AD)
    url = dict(delivered_to("kim@example.com")[0].content().headers)["List-Unsubscribe"]
    path = re.sub(r"^<https?://[^/]+", "", url).rstrip(">")
    page = client.get(path)
    assert page.status_code == 200
    assert b"kim@example.com" in page.content and b'method="post"' in page.content
    assert not Unsubscriber.objects.exists()


def test_a_tampered_token_is_refused(sink, project):
    sent_request(project, recipients=[{"address": "kim@example.com"}], **AD)
    url = dict(delivered_to("kim@example.com")[0].content().headers)["List-Unsubscribe"]
    path = re.sub(r"^<https?://[^/]+", "", url).rstrip(">")
    pk, _colon, signature = path.removeprefix("/u/").rstrip("/").partition(":")
    other = Client().post(f"/u/{int(pk) + 1}:{signature}/")
    assert other.status_code == 404
    assert not Unsubscriber.objects.exists()


def test_a_batch_of_small_requests_skips_the_unsubscribed_in_its_advertising_only(
        sink, project, enqueued):
    from mailer.tasks import prepare_small_requests
    from tests.factories import make_project
    from tests.mailer.factories import accepted_request

    other = make_project("other")
    Unsubscriber.objects.create(project=project, address="kim@example.com")
    advertised = accepted_request(project, recipients=[{"address": "Kim@Example.com"},
                                                       {"address": "lee@example.com"}], **AD)
    regular = accepted_request(project, recipients=[{"address": "kim@example.com"}])
    elsewhere = accepted_request(other, recipients=[{"address": "kim@example.com"}], **AD)
    prepare_small_requests.apply()
    codes = dict(Recipient.objects.filter(send_request=advertised).values_list(
        "address", "result_code"))
    assert codes == {"Kim@Example.com": ResultCode.UNSUBSCRIBE_ADDRESS,
                     "lee@example.com": ResultCode.MAIL_SENT}
    for sent in (regular, elsewhere):  # regular mail, and another project's list
        assert Recipient.objects.get(send_request=sent).result_code == ResultCode.MAIL_SENT
