"""Bodies as the screens show them: the preview document (console.sanitize.mail_document) of a
body of any type, and a body carried over from one body type (Editor, HTML, TEXT) to another."""

from __future__ import annotations

from html import escape

from console.sanitize import clean_html, mail_document
from mailer.mime import html_to_text, text_as_html
from mailer.models import BodyType


def preview_document(body: str, body_type: str, footer: str = "") -> str:
    """The body as a recipient would see it, sanitised, in the preview document whose policy
    loads nothing from elsewhere (no remote image tells a sender the preview was opened)."""
    html = f"<pre>{escape(body)}</pre>" if body_type == BodyType.TEXT else clean_html(body)
    if footer:
        html += clean_html(footer)  # apart, so that an unclosed tag of the body cannot hide it
    return mail_document(html)


def switch_body(data, new_type: str):
    """Form data with the body carried over to another body type."""
    data = data.copy()
    old_type, body = data.get("body_type_was") or BodyType.EDITOR, data.get("body", "")
    if new_type == BodyType.TEXT and old_type != BodyType.TEXT:
        body = html_to_text(body).strip()
    elif new_type != BodyType.TEXT and old_type == BodyType.TEXT:
        body = text_as_html(body)
    data["body"], data["body_type"] = body, new_type
    return data
