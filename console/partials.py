"""Which template an htmx request gets: one fragment of the page ({% partialdef %}), except a
history restore and a boosted link or form (hx-boost, the confirmed actions), which need the
whole page like a plain request."""

from __future__ import annotations

from django.http import HttpRequest


def page_or_fragment(request: HttpRequest, template: str, fragment: str) -> str:
    if request.htmx and not request.htmx.history_restore_request and not request.htmx.boosted:
        return f"{template}#{fragment}"
    return template
