"""Sanitising mail HTML for display in the console (always inside a sandboxed iframe too)."""

from __future__ import annotations

import nh3

_ATTRIBUTES = {
    "*": {"style", "class", "align", "valign", "width", "height", "bgcolor", "color", "dir",
          "lang", "title"},
    "a": {"href", "target", "name"},
    "img": {"src", "alt", "border"},
    "table": {"border", "cellpadding", "cellspacing"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "font": {"face", "size"},
}
_TAGS = nh3.ALLOWED_TAGS | {"font", "style"}


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        clean_content_tags={"script"},
        url_schemes={"http", "https", "mailto", "cid", "data"},
        link_rel="noopener noreferrer",
    )
