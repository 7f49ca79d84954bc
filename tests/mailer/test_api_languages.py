"""The API's refusals speak the language of x-ncp-lang: each message goes through gettext in
the language the request activated, while the field name it starts with (the reference's, which
the console reads back) stays as it is in every language.

The Korean and Japanese catalogues are still being written, so the translations here are made up
for the test: either gettext of a module is replaced by a fake that records the active language,
or the active catalogue's own gettext is given a few entries."""

from __future__ import annotations

from unittest import mock

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from mailer import composer
from mailer.acceptance import accept
from mailer.models import SendRequest
from mailer.rules import MAX_TITLE_BYTES, Refused
from mailer.schemas import MailRequestIn

URL = "/api/v1/mails"
LANGUAGES = [("ko-KR", "ko"), ("ja-JP", "ja"), ("en-US", "en"), (None, "en"), ("fr-FR", "en")]


def _body(**overrides) -> dict:
    body = {"senderAddress": "no_reply@company.com", "title": "Hello", "body": "<p>Hi</p>",
            "recipients": [{"address": "hong@example.com", "type": "R"}], "individual": True}
    body.update(overrides)
    return body


def _headers(header: str | None) -> dict:
    return {"x-ncp-lang": header} if header else {}


def _message(response, code: str = "77102") -> str:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["errorCode"] == code
    return error["message"]


class Recording:
    """A stand-in for gettext: marks what it translated and notes the active language."""

    def __init__(self) -> None:
        self.languages: list[str] = []

    def __call__(self, message: str) -> str:
        self.languages.append(translation.get_language())
        return "번역:" + message


@pytest.mark.parametrize(("header", "language"), LANGUAGES)
def test_a_refused_send_is_answered_in_the_language_of_x_ncp_lang(api, header, language):
    fake = Recording()
    with mock.patch("mailer.acceptance._", side_effect=fake):
        response = api.post(URL, _body(title="x" * (MAX_TITLE_BYTES + 1)), headers=_headers(header))
    assert _message(response) == (f"title: 번역:at most {MAX_TITLE_BYTES} bytes, "
                                  f"not {MAX_TITLE_BYTES + 1}")
    assert fake.languages == [language]
    assert not SendRequest.objects.exists()


@pytest.mark.parametrize(("change", "prefix"), [
    ({"senderAddress": "not an address"}, "senderAddress: "),
    ({"title": "two\nlines"}, "title: "),
    ({"recipients": [{"address": "a@b@c"}]}, "recipients[0].address: "),
    ({"recipients": [{"address": "ok@example.com", "name": "n" * 70}]}, "recipients[0].name: "),
    ({"recipients": None}, "recipients: "),
    ({"title": None, "body": None}, "title, body: "),
    ({"attachFileIds": ["no-such-file"]}, "attachFileIds: "),
    ({"recipients": None, "recipientGroupFilter": {"groups": ["nobody"]}},
     "recipientGroupFilter.groups: "),
])
@pytest.mark.parametrize("header", ["ko-KR", "ja-JP", "en-US"])
def test_the_field_name_stays_the_references_in_every_language(api, change, prefix, header):
    with mock.patch("mailer.acceptance._", side_effect=lambda s: "번역:" + s), \
            mock.patch("mailer.files._", side_effect=lambda s: "번역:" + s):
        message = _message(api.post(URL, _body(**change), headers=_headers(header)))
    assert message.startswith(prefix + "번역:"), message


@pytest.mark.parametrize("header", ["ko-KR", "ja-JP"])
def test_the_shared_rules_are_translated_too(api, header):
    with mock.patch("mailer.rules._", side_effect=lambda s: "번역:" + s):
        past = _message(api.post(URL, _body(reservationDateTime="2020-01-01 10:00"),
                                 headers=_headers(header)))
        malformed = _message(api.post(URL, _body(reservationDateTime="tomorrow"),
                                      headers=_headers(header)))
    assert past == "reservationDateTime: 번역:the reservation time is in the past"
    assert malformed == "reservationDateTime: 번역:use the form yyyy-MM-dd HH:mm"


KOREAN = {
    "at most %(n)d bytes, not %(given)d": "최대 %(n)d바이트까지 가능합니다(입력: %(given)d바이트)",
    "There is no request %(id)s": "요청 %(id)s이(가) 없습니다",
    "The resource was not found": "리소스를 찾을 수 없습니다",
}


@pytest.fixture
def korean(monkeypatch):
    """The Korean catalogue, with the entries above (the real gettext looks them up)."""
    catalogue = trans_real.translation("ko")
    original = catalogue.gettext
    monkeypatch.setattr(catalogue, "gettext", lambda s: KOREAN.get(s) or original(s))


def test_django_gettext_answers_from_the_active_catalogue(api, korean):
    body = _body(title="x" * (MAX_TITLE_BYTES + 1))
    korean_answer = _message(api.post(URL, body, headers={"x-ncp-lang": "ko-KR"}))
    english_answer = _message(api.post(URL, body, headers={"x-ncp-lang": "en-US"}))
    assert korean_answer == "title: 최대 500바이트까지 가능합니다(입력: 501바이트)"
    assert english_answer == "title: at most 500 bytes, not 501"


def test_not_found_is_translated(api, korean):
    response = api.get("/api/v1/mails/requests/12345/status", headers={"x-ncp-lang": "ko-KR"})
    assert _message(response, "77103") == "요청 12345이(가) 없습니다"
    response = api.get("/api/v1/mails/requests/12345/status", headers={"x-ncp-lang": "en-US"})
    assert _message(response, "77103") == "There is no request 12345"


def test_the_apis_own_validation_messages_are_translated(api):
    with mock.patch("console.api._", side_effect=lambda s: "번역:" + s):
        response = api.get("/api/v1/mails/requests",
                           {"startUtc": 0, "endUtc": 1, "sort": "nothing,asc"},
                           headers={"x-ncp-lang": "ja-JP"})
    assert _message(response).startswith("sort: 번역:unknown property 'nothing'")


def test_a_translated_refusal_still_finds_its_form_field(project):
    """composer.field_of tells CC from BCC by "(type C)" and "(type B)", which are
    placeholders of the message: a translation keeps them."""
    fake = {"at most %(n)d CC recipients %(type)s, not %(given)d":
            "참조 %(type)s는 최대 %(n)d명(입력: %(given)d명)",
            "at most %(n)d BCC recipients %(type)s, not %(given)d":
            "숨은 참조 %(type)s는 최대 %(n)d명(입력: %(given)d명)"}
    for kind, field in (("C", "cc"), ("B", "bcc")):
        data = MailRequestIn.model_validate(_body(individual=False, recipients=[
            {"address": "to@example.com", "type": "R"},
            *[{"address": f"c{i}@example.com", "type": kind} for i in range(31)]]))
        with translation.override("ko"), \
                mock.patch("mailer.acceptance._", side_effect=lambda s: fake.get(s, s)), \
                pytest.raises(Refused) as refused:
            accept(project, data)
        assert str(refused.value).startswith("recipients: ")
        assert "최대 30명" in str(refused.value)
        assert composer.field_of(refused.value, composer.GENERAL) == field


@pytest.mark.parametrize("language", ["ko", "ja"])
def test_the_console_shows_a_refusal_in_the_operators_language(client, sender, project,
                                                               enqueued, language):
    """The composer goes through the same acceptance: its refusal is translated in the language
    the operator chose, and still lands beside the field it names."""
    from console.models import Profile

    Profile.objects.update_or_create(user=sender, defaults={"language": language})
    client.force_login(sender)
    form = {"classification": "regular", "use_basic_unsubscribe": "on",
            "sender_address": "shop@example.com", "title": "가" * 200, "body_type": "HTML",
            "body": "<p>Hello</p>", "send_type": "individual", "recipients": "a@example.com",
            "and_filter": "false", "send": "1"}
    fake = Recording()
    with mock.patch("mailer.acceptance._", side_effect=fake):
        response = client.post(f"/projects/{project.slug}/send/", form)
    page = response.content.decode()
    assert response.status_code == 200
    assert fake.languages == [language]
    at = page.index('id="id_title"')
    beside = page[page.rindex('<div class="field', 0, at):]
    assert "번역:at most 500 bytes, not 600" in beside[:beside.index("</ul>")]
    assert not SendRequest.objects.exists() and not enqueued
