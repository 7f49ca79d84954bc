"""Bodies as the screens show them: the sanitised preview document that loads nothing from
elsewhere, and a body carried over from one body type (Editor, HTML, TEXT) to another."""

from __future__ import annotations

from html import escape

from console.sanitize import clean_html
from mailer.mime import html_to_text, text_as_html
from mailer.models import BodyType


def preview_document(body: str, body_type: str, footer: str = "") -> str:
    """The body as a recipient would see it, sanitised, for a sandboxed frame whose own policy
    loads nothing from elsewhere (no remote image tells a sender the preview was opened)."""
    html = f"<pre>{escape(body)}</pre>" if body_type == BodyType.TEXT else clean_html(body)
    if footer:
        html += clean_html(footer)
    return ('<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"
            f"<body style=\"font-family: sans-serif\">{html}</body>")


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
