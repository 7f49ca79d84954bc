from __future__ import annotations

import pytest

from mailer.substitution import (
    CompiledText,
    Unresolved,
    merged_parameters,
    metadata_values,
    stringify,
    unknown_metadata,
)

META = metadata_values(recipient_name="홍길동", recipient_address="hong@example.com",
                       sender_name="", sender_address="shop@example.com",
                       unsubscribe_url="https://x/u/1/", unsubscribe_message="bye")


def test_it_fills_user_and_metadata_tags():
    text = CompiledText.compile("Hello #{RECIPIENT_NAME}, event ${SEQ} from #{SENDER_ADDRESS}")
    assert text.render({"SEQ": "3"}, META) == "Hello 홍길동, event 3 from shop@example.com"


def test_recipient_parameters_override_request_parameters():
    values = merged_parameters({"GRADE": "SILVER", "SEQ": "1"}, {"GRADE": "GOLD"})
    assert values == {"GRADE": "GOLD", "SEQ": "1"}


def test_an_empty_sender_name_becomes_empty_text():
    assert CompiledText.compile("[#{SENDER_NAME}]").render({}, META) == "[]"


def test_an_unresolved_user_tag_raises():
    with pytest.raises(Unresolved) as info:
        CompiledText.compile("Dear ${NAME}").render({}, META)
    assert info.value.tag == "${NAME}"


def test_an_unknown_metadata_tag_raises():
    with pytest.raises(Unresolved):
        CompiledText.compile("#{FAVOURITE_COLOUR}").render({}, META)


def test_a_preview_keeps_unresolved_tags():
    assert CompiledText.compile("a ${X} b").render({}, META, strict=False) == "a ${X} b"


def test_values_are_inserted_as_given():
    text = CompiledText.compile("<p>${HTML}</p>")
    assert text.render({"HTML": "<b>bold</b> & ${NOT_A_TAG}"}, META) == \
        "<p><b>bold</b> & ${NOT_A_TAG}</p>"


def test_text_without_tags_is_returned_as_is():
    text = CompiledText.compile("plain $ # { } text")
    assert not text.has_tags
    assert text.render({}, {}) == "plain $ # { } text"


def test_it_lists_the_tags():
    text = CompiledText.compile("${A} ${B} #{RECIPIENT_NAME} ${A}")
    assert text.user_tags() == {"A", "B"}
    assert text.metadata_tags() == {"RECIPIENT_NAME"}


def test_numbers_and_booleans_are_written_as_json_writes_them():
    assert stringify({"n": 3, "f": 1.5, "b": True, "s": "x"}) == {
        "n": "3", "f": "1.5", "b": "true", "s": "x"}


def test_it_finds_unknown_metadata_names():
    assert unknown_metadata("#{RECIPIENT_NAME} #{NOPE}", "#{SENDER_NAME}") == {"NOPE"}
