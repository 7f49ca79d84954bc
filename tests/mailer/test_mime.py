from __future__ import annotations

from email import message_from_bytes, policy

from mailer.mime import (
    EncodedAttachment,
    MessageParts,
    build_message,
    encode_words,
    format_address,
    html_to_text,
)


def _parse(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def _parts(**overrides) -> MessageParts:
    values = {
        "sender_address": "no_reply@company.com", "sender_name": "관리자",
        "to": [("홍길동", "hong@example.com")], "subject": "등급 변경 안내 — 会員ランクのお知らせ",
        "html": "<p>안녕하세요 <b>홍길동</b>님</p>", "text": "안녕하세요 홍길동님\n",
        "message_id": "<20261122000000000001.1@mail.example.com>",
    }
    values.update(overrides)
    return MessageParts(**values)


def test_it_encodes_korean_and_japanese_subjects_and_names():
    message = _parse(build_message(_parts()))
    assert message["Subject"] == "등급 변경 안내 — 会員ランクのお知らせ"
    assert message["From"].addresses[0].display_name == "관리자"
    assert message["To"].addresses[0].display_name == "홍길동"
    assert message["To"].addresses[0].addr_spec == "hong@example.com"


def test_it_keeps_every_header_line_short_and_ascii():
    raw = build_message(_parts(subject="가" * 160))
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert max(len(line) for line in head.split(b"\r\n")) <= 78


def test_it_sends_html_with_a_text_alternative():
    message = _parse(build_message(_parts()))
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("html",)).get_content() == "<p>안녕하세요 <b>홍길동</b>님</p>"
    assert message.get_body(("plain",)).get_content() == "안녕하세요 홍길동님\n"


def test_it_uses_crlf_everywhere():
    raw = build_message(_parts(html="line1\nline2", text="a\nb"))
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_it_sets_message_id_date_and_references():
    raw = build_message(_parts(references="<first@example.com> <second@example.com>"))
    message = _parse(raw)
    assert message["Message-ID"] == "<20261122000000000001.1@mail.example.com>"
    assert message["References"] == "<first@example.com> <second@example.com>"
    assert message["Date"].datetime is not None
    assert message["MIME-Version"] == "1.0"


def test_it_lists_cc_but_never_bcc():
    raw = build_message(_parts(to=[("", "a@example.com"), ("", "b@example.com")],
                               cc=[("Carol", "c@example.com")]))
    message = _parse(raw)
    assert [a.addr_spec for a in message["To"].addresses] == ["a@example.com", "b@example.com"]
    assert message["Cc"].addresses[0].addr_spec == "c@example.com"
    assert b"Bcc" not in raw


def test_it_quotes_names_with_specials():
    assert format_address('Kim "CS", Lee', "k@example.com") == \
        '"Kim \\"CS\\", Lee" <k@example.com>'
    assert format_address("", "k@example.com") == "k@example.com"


def test_it_strips_newlines_from_headers():
    raw = build_message(_parts(subject="Hi\r\nBcc: victim@example.com"))
    assert b"\r\nBcc:" not in raw


def test_it_attaches_files_with_korean_names_byte_for_byte():
    payload = bytes(range(256)) * 40
    attachment = EncodedAttachment.encode("견적서 2026.pdf", "application/pdf", payload)
    message = _parse(build_message(_parts(attachments=[attachment])))
    assert message.get_content_type() == "multipart/mixed"
    (part,) = list(message.iter_attachments())
    assert part.get_filename() == "견적서 2026.pdf"
    assert part.get_content_type() == "application/pdf"
    assert part.get_payload(decode=True) == payload


def test_encoded_words_never_split_a_character():
    words = encode_words("😀" * 40).split("\r\n ")
    assert all(len(word) <= 75 for word in words)


def test_html_to_text_keeps_lines_links_and_tags():
    text = html_to_text("<p>Hello #{RECIPIENT_NAME}!</p><p>Event ${SEQ}<br/>"
                        "<a href='#{UNSUBSCRIBE_URL}'>Unsubscribe</a> "
                        "<a href='https://example.com/x'>site</a></p><script>x()</script>")
    assert text == ("Hello #{RECIPIENT_NAME}!\n\nEvent ${SEQ}\n[Unsubscribe](#{UNSUBSCRIBE_URL}) "
                    "[site](https://example.com/x)\n")


def test_html_to_text_unescapes_entities():
    assert html_to_text("<p>5 &lt; 6 &amp; caf&eacute;</p>") == "5 < 6 & café\n"
