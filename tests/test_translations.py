"""The catalogues: every message translated into Korean and Japanese, the catalogues as
makemessages would make them from the code today, and no text of a template left out of them."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

BASE = Path(settings.BASE_DIR)
LANGUAGES = ("ko", "ja")
MAKEMESSAGES = {"no_location": True, "no_obsolete": True, "verbosity": 0,
                "ignore_patterns": [".venv", "var", "tests", "bench", "node_modules"]}
# Words that are the same in every language: the product, protocols, formats, codes.
SAME_EVERYWHERE = re.compile(
    r"^(unset|Outbound|API|CONSOLE|HTML|TEXT|CSV|XLSX|JSON|DKIM|SMTP|SPF|DMARC|TXT|ID|OK|"
    r"[A-Z][A-Z0-9_]+|v\d+|https?://\S+|[\w.+-]+@[\w.-]+|\S+\.(xlsx|csv|json|eml))$")
# Between words: spaces and the punctuation of the screens (middle dot, dashes, arrows, marks).
PUNCTUATION = re.compile("[\\s|/()\\[\\]:,.;+\\-%#\"'\u00b7\u2013\u2014\u2022\u00d7\u2715"
                         "\u203a\u2039\u2192\u2190\u2026]+")
TRANSLATED_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "hx-confirm")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(BASE / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    catalogue = _catalogue(language)
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"{len(missing)} messages have no {language} translation: {missing[:10]}"
    assert not fuzzy, f"{len(fuzzy)} {language} translations are fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_current(language):
    folder = BASE / "locale" / language / "LC_MESSAGES"
    compiled = polib.mofile(str(folder / "django.mo"))
    written = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0, ""))
               for e in _catalogue(language).translated_entries()}
    built = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0, "")) for e in compiled}
    assert written == {key: value for key, value in built.items() if key[1]}, \
        f"locale/{language}/LC_MESSAGES/django.mo is stale: run manage.py compilemessages"


def test_the_catalogues_hold_exactly_the_messages_of_the_code(tmp_path, settings, monkeypatch):
    """makemessages, run on a copy of the sources and catalogues (it writes into any `locale`
    folder it finds), would add or drop nothing."""
    if shutil.which("xgettext") is None:
        if os.environ.get("REQUIRE_GETTEXT") == "1":
            pytest.fail("GNU gettext is not installed (apt-get install gettext)")
        pytest.skip("needs GNU gettext")
    copy = tmp_path / "project"
    shutil.copytree(BASE, copy, ignore=shutil.ignore_patterns(
        ".venv", "var", ".git", "node_modules", "tests", "bench", "__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=list(LANGUAGES), **MAKEMESSAGES)
    for language in LANGUAGES:
        fresh = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        ids = {(e.msgctxt, e.msgid, e.msgid_plural) for e in fresh if not e.obsolete}
        committed = {(e.msgctxt, e.msgid, e.msgid_plural) for e in _catalogue(language)
                     if not e.obsolete}
        assert ids - committed == set(), f"not in the {language} catalogue: run makemessages"
        assert committed - ids == set(), f"stale in the {language} catalogue: run makemessages"


class _Text(HTMLParser):
    """The text and the translated attributes of a template with its tags taken out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style", "pre", "code"):
            self.skipping += 1
        for name, value in attrs:
            if name in TRANSLATED_ATTRIBUTES and value:
                self.found.append(value)

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style", "pre", "code") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.found.append(data)


def _untranslated(source: str) -> list[str]:
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    source = re.sub(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", " ", source,
                    flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    parser = _Text()
    parser.feed(source)
    left = []
    for text in parser.found:
        for piece in re.split(PUNCTUATION, text):
            if re.search(r"[^\W\d_]", piece) and not SAME_EVERYWHERE.match(piece):
                left.append(text.strip())
                break
    return left


def test_no_template_text_is_left_untranslated():
    offenders = {}
    for path in sorted((BASE / "templates").rglob("*.html")):
        found = _untranslated(path.read_text())
        if found:
            offenders[str(path.relative_to(BASE))] = found[:5]
    assert not offenders, f"text not marked for translation: {offenders}"


def test_the_check_finds_plain_text():
    assert _untranslated("<p>Hello {{ name }}</p>") == ["Hello"]
    assert _untranslated('<a title="Close">✕</a>') == ["Close"]
    assert _untranslated('<p>{% translate "Hello" %} · API {{ x }}</p>') == []
    assert _untranslated("{% blocktranslate %}Hello {{ n }}{% endblocktranslate %}") == []
