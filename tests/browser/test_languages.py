"""Every screen in English, Korean and Japanese, in Chromium: the language chosen with the switch
on the page, each screen visited and photographed, and no line of it left in English where the
catalogue has a translation. The recipients' pages follow the project's recipient language."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings

from mailer.models import MailerSettings, Recipient, Template
from mailer.tasks import prepare_request
from mailer.unsubscribe import unsubscribe_url
from tests.browser.conftest import sign_in
from tests.mailer.factories import accepted_request

pytestmark = pytest.mark.browser
SCREENS = [
    "mails/", "mails/?tab=recipient", "send/", "templates/", "templates/new/",
    "templates/files/", "address-book/", "address-book/register/", "statistics/",
    "statistics/?tab=send", "statistics/?tab=domain", "statistics/?tab=code",
    "statistics/?tab=limit", "unsubscribers/", "send-block/", "settings/", "settings/members/",
    "settings/api-keys/", "settings/sending/", "settings/domains/", "sandbox/",
]
WORDS = {"en": "Mailing list", "ko": "요청별 목록", "ja": "リクエスト別リスト"}


def _english_lines(language: str) -> set[str]:
    """The English messages that have a different translation in `language`."""
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES"
                                 / "django.po"))
    return {entry.msgid for entry in catalogue.translated_entries()
            if entry.msgstr and entry.msgstr != entry.msgid and "%" not in entry.msgid
            and len(entry.msgid) > 3}


@pytest.fixture
def data(project, owner):
    Template.objects.create(project=project, name="welcome", title="Hello",
                            body="<p>Hello</p>", sender_address="shop@company.com")
    sent = accepted_request(project, advertising=True, recipients=[{"address": "a@example.com"}])
    prepare_request.apply(kwargs={"request_pk": sent.pk})
    return sent


def _visible_lines(page) -> list[str]:
    return [line.strip() for line in page.inner_text("body").splitlines() if line.strip()]


@pytest.mark.parametrize("language", ["en", "ko", "ja"])
def test_every_screen_in_each_language(page, live_server, project, owner, data, language,
                                       screenshot):
    sign_in(page, live_server, owner, project)
    page.click("#language-switch summary")
    page.click(f"#language-switch button[value={language}]")
    page.wait_for_selector(f"html[lang={language}]")
    english = _english_lines(language) if language != "en" else set()
    left: dict[str, list[str]] = {}
    for screen in SCREENS:
        page.goto(f"{live_server.url}/projects/{project.slug}/{screen}")
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language, screen
        name = screen.strip("/").replace("/", "-").replace("?tab=", "-") or "home"
        screenshot(f"{language}-{name}")
        untranslated = [line for line in _visible_lines(page) if line in english]
        if untranslated:
            left[screen] = untranslated[:5]
    assert not left, f"English left on the {language} screens: {left}"
    page.goto(f"{live_server.url}/projects/{project.slug}/mails/")
    assert WORDS[language] in page.inner_text("body") or language == "en"


@pytest.mark.parametrize("language, words", [("ko", "수신 거부"), ("ja", "受信拒否"),
                                             ("en", "Unsubscribe")])
def test_the_unsubscribe_page_is_in_the_recipients_language(page, live_server, project, data,
                                                            language, words, screenshot):
    MailerSettings.objects.update_or_create(project=project,
                                            defaults={"recipient_language": language})
    recipient = Recipient.objects.get(send_request=data)
    path = unsubscribe_url(recipient.pk).split("://", 1)[-1].split("/", 1)[1]
    page.goto(f"{live_server.url}/{path}")
    assert page.locator("html").get_attribute("lang") == language
    assert words in page.inner_text("h2")
    screenshot(f"unsubscribe-{language}")
    page.click("button[type=submit]")
    page.wait_for_selector("h2")
    screenshot(f"unsubscribed-{language}")
    recipient.refresh_from_db()
    assert recipient.unsubscribed_at is not None
