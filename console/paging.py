"""Paging of the console's lists without counting: one row more than the page is read, which
says whether there is a next page (a COUNT over millions of rows would cost more than the page).
The `_pager.html` partial shows the links."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Page:
    rows: list
    number: int  # 1-based
    has_next: bool

    def context(self) -> dict:
        return {"rows": self.rows, "page": self.number, "has_next": self.has_next}


def page_of(queryset: QuerySet, number: int | None, size: int) -> Page:
    """Page `number` (1 when None) of an ordered queryset."""
    number = number or 1
    found = list(queryset[(number - 1) * size:number * size + 1])
    return Page(found[:size], number, len(found) > size)
