"""Building the MIME message of one mail, fast.

The structure is always the same: multipart/alternative (text, HTML), inside multipart/mixed when
there are attachments. Headers are RFC 2047 encoded (UTF-8, Base64 encoded words), bodies are 7bit
when they are short-lined ASCII and Base64 otherwise, lines end in CRLF. Attachments are encoded
once per request and reused for every mail.
"""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass, field
from email.utils import formatdate
from functools import lru_cache
from html import escape, unescape

from inscriptis import get_text
from inscriptis.model.config import ParserConfig

CRLF = b"\r\n"
_ENCODED_WORD_BYTES = 42  # → 56 Base64 characters: a word of 68, a "Subject: " line of 77
_ATOM_SAFE = re.compile(r"^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$")


def _no_newlines(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ")


def encode_words(text: str) -> str:
    """RFC 2047 encoded words for non-ASCII text, folded so each word stays under 75 chars."""
    data = text.encode("utf-8")
    words = []
    start = 0
    while start < len(data):
        end = start + _ENCODED_WORD_BYTES
        # Back to the start of a character: a word holds whole characters (0b10xxxxxx continues).
        while end < len(data) and data[end] & 0xC0 == 0x80:
            end -= 1
        words.append(data[start:end])
        start = end
    return "\r\n ".join(f"=?UTF-8?B?{base64.b64encode(w).decode()}?=" for w in words)


def _as_is(text: str) -> bool:
    """ASCII that a mail client shows as written: "=?" could start what it decodes as an
    encoded word ("=?UTF-8?B?…?=" would be shown as other text)."""
    return text.isascii() and "=?" not in text


def header_text(value: str) -> str:
    """An unstructured header value (Subject): as is when plain ASCII, encoded words otherwise."""
    value = _no_newlines(value)
    if _as_is(value) and len(value) <= 900:
        return value
    return encode_words(value)


def format_address(name: str, address: str) -> str:
    """`Name <address>` with the display name quoted or encoded as needed."""
    name = _no_newlines(name or "").strip()
    if not name:
        return f"<{address}>" if not address.isascii() else address
    if not _as_is(name):
        return f"{encode_words(name)} <{address}>"
    if _ATOM_SAFE.match(name):
        return f"{name} <{address}>"
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{address}>'


@lru_cache(maxsize=64)
def _sender(name: str, address: str) -> str:
    """The From address, the same in every mail of a request: formatted once."""
    return format_address(name, address)


def _fold_address_list(addresses: list[str]) -> str:
    return ",\r\n ".join(addresses)


def _body(content: str, subtype: str) -> bytes:
    data = content.replace("\r\n", "\n").replace("\r", "\n")
    if data.isascii() and all(len(line) <= 990 for line in data.split("\n")):
        return (
            f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: 7bit\r\n\r\n"
        ).encode() + data.encode().replace(b"\n", CRLF)
    encoded = base64.encodebytes(data.encode("utf-8")).replace(b"\n", CRLF)
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode() + encoded


@dataclass(frozen=True)
class EncodedAttachment:
    """A MIME part ready to be placed in any number of messages."""

    filename: str
    content_type: str
    size: int
    part: bytes

    @classmethod
    def encode(cls, filename: str, content_type: str, payload: bytes) -> EncodedAttachment:
        maintype = content_type if "/" in content_type else "application/octet-stream"
        if filename.isascii() and '"' not in filename and "\\" not in filename:
            disposition = f'attachment; filename="{filename}"'
            type_name = f'; name="{filename}"'
        else:
            # RFC 2231 for the standard, plus the encoded-word name older clients read.
            from urllib.parse import quote

            disposition = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
            type_name = f'; name="{encode_words(filename)}"'.replace("\r\n ", " ")
        headers = (
            f"Content-Type: {maintype}{type_name}\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: {disposition}\r\n\r\n"
        ).encode()
        body = base64.encodebytes(payload).replace(b"\n", CRLF)
        return cls(filename, maintype, len(payload), headers + body)


@dataclass
class MessageParts:
    sender_address: str
    sender_name: str
    to: list[tuple[str, str]]
    subject: str
    html: str
    text: str
    message_id: str
    cc: list[tuple[str, str]] = field(default_factory=list)
    references: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    attachments: list[EncodedAttachment] = field(default_factory=list)


def _boundary() -> str:
    return f"=_outbound_{secrets.token_hex(12)}"


def build_message(parts: MessageParts) -> bytes:
    """The message as bytes with CRLF line ends, ready for SMTP DATA."""
    lines = [
        f"From: {_sender(parts.sender_name, parts.sender_address)}",
        f"To: {_fold_address_list([format_address(n, a) for n, a in parts.to])}"
        if parts.to else "To: undisclosed-recipients:;",
    ]
    if parts.cc:
        lines.append(f"Cc: {_fold_address_list([format_address(n, a) for n, a in parts.cc])}")
    lines += [
        f"Subject: {header_text(parts.subject)}",
        f"Date: {formatdate(localtime=False)}",
        f"Message-ID: {parts.message_id}",
    ]
    if parts.references:
        lines.append(f"References: {_no_newlines(parts.references)}")
    for name, value in parts.headers:
        lines.append(f"{name}: {_no_newlines(value)}")
    lines.append("MIME-Version: 1.0")

    alternative = _boundary()
    alternative_body = b"".join([
        f"--{alternative}\r\n".encode(), _body(parts.text, "plain"), CRLF,
        f"--{alternative}\r\n".encode(), _body(parts.html, "html"), CRLF,
        f"--{alternative}--\r\n".encode(),
    ])
    alternative_type = f'Content-Type: multipart/alternative;\r\n boundary="{alternative}"'
    if not parts.attachments:
        head = "\r\n".join([*lines, alternative_type]).encode("utf-8")
        return head + CRLF + CRLF + alternative_body

    mixed = _boundary()
    chunks = [
        "\r\n".join([*lines, f'Content-Type: multipart/mixed;\r\n boundary="{mixed}"']).encode(),
        CRLF + CRLF,
        f"--{mixed}\r\n{alternative_type}\r\n\r\n".encode(), alternative_body, CRLF,
    ]
    for attachment in parts.attachments:
        chunks += [f"--{mixed}\r\n".encode(), attachment.part, CRLF]
    chunks.append(f"--{mixed}--\r\n".encode())
    return b"".join(chunks)


# Links are kept, written [text](url), so a plain-text reader can still follow them,
# #{UNSUBSCRIBE_URL} included.
_TEXT_CONFIG = ParserConfig(display_links=True)


def html_to_text(html: str) -> str:
    """A readable plain-text alternative of an HTML body (tags ${…} and #{…} survive), by
    inscriptis (computed once per request, not per mail)."""
    if "<" not in html:
        return unescape(html)
    return get_text(html, _TEXT_CONFIG).strip() + "\n"


def text_as_html(text: str) -> str:
    """A body written as plain text (TEXT), as the HTML that is sent: a paragraph a line."""
    return "".join(f"<p>{escape(line) or '&nbsp;'}</p>" for line in text.splitlines())
