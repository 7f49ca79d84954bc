"""How a statistics table reads on screen (the Excel file keeps the raw values). The body of a
table is built here in one pass: a year of days is 365 rows, and a template loop with a filter
per cell cost more than the queries behind the page (benchmark B6)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from django import template
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class _Numbers:
    """Numbers grouped and pointed as the active language writes them."""

    def __init__(self) -> None:
        self.thousands = get_format("THOUSAND_SEPARATOR")
        self.point = get_format("DECIMAL_SEPARATOR")

    def __call__(self, value) -> str:
        if value is None:
            return "-"
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return f"{value:,}".replace(",", self.thousands)
        if isinstance(value, float):
            whole, _dot, fraction = f"{value:,.1f}".partition(".")
            return f"{whole.replace(',', self.thousands)}{self.point}{fraction}"
        if isinstance(value, date):
            return value.isoformat()
        return str(value)


def is_number(value) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


@register.filter
def cell(value) -> str:
    return _Numbers()(value)


@register.simple_tag
def table_rows(rows: Sequence[Sequence], links: Sequence[str | None] = ()) -> SafeString:
    """`<tr>`s of a table: the first cell a drill-down link when the row has one, numbers
    right-aligned."""
    show = _Numbers()
    links = list(links) or [None] * len(rows)
    out = []
    for row, link in zip(rows, links, strict=False):
        key = escape(show(row[0]))
        first = key
        if link:
            url = escape(link)
            first = (f'<a class="drill" href="{url}" hx-get="{url}" hx-target="#stats" '
                     f'hx-swap="outerHTML" hx-push-url="true" data-drill="{key}">{key}</a>')
        cells = [f'<tr data-key="{key}"><td>{first}</td>']
        for value in row[1:]:
            text = escape(show(value))
            cells.append(f'<td class="num">{text}</td>' if is_number(value) else f"<td>{text}</td>")
        cells.append("</tr>")
        out.append("".join(cells))
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
