"""Paging of the console's lists without counting (a COUNT over millions of rows would cost more
than the page): one row more than the page is read, which says whether there is a next page.

`page_of` pages by number (short lists). `keyset_page` pages long lists newest first by a
cursor — the time and primary key of the last row shown — so a deep page costs what the first
does. The `_pager.html` partial shows the links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

from console.numbers import ascii_digits

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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


@dataclass(frozen=True)
class Cursor:
    """A position in a list ordered by (time, pk) descending: `<epoch microseconds>-<pk>`."""

    moment: datetime
    pk: int

    def __str__(self) -> str:
        span = self.moment - EPOCH
        micros = (span.days * 86_400 + span.seconds) * 1_000_000 + span.microseconds
        return f"{micros}-{self.pk}"

    @classmethod
    def parse(cls, text: str) -> Cursor | None:
        micros, _dash, pk = text.partition("-")
        digits = ascii_digits(micros) and ascii_digits(pk)
        if not digits or len(micros) > 17 or len(pk) > 18:
            return None
        return cls(EPOCH + timedelta(microseconds=int(micros)), int(pk))


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    older: Cursor | None  # where the next (older) page starts, if there is one
    newer: Cursor | None  # where the previous (newer) page ends, if this is not the first

    def context(self) -> dict:
        return {"rows": self.rows, "older": self.older, "newer": self.newer}


def keyset_page(queryset: QuerySet, field: str, size: int, *, after: Cursor | None = None,
                before: Cursor | None = None) -> KeysetPage:
    """The rows older than `after` (or, with `before`, the page just newer than it), newest
    first by (`field`, pk)."""
    if before is not None:
        # The redundant bound lets the index range start at the cursor (PostgreSQL does not
        # read an OR of the two conditions as one).
        newer = queryset.filter(**{f"{field}__gte": before.moment}).filter(
            Q(**{f"{field}__gt": before.moment}) | Q(**{field: before.moment, "pk__gt": before.pk}))
        found = list(newer.order_by(field, "pk")[:size + 1])
        rows = found[:size][::-1]
        more_newer = len(found) > size
        return KeysetPage(rows, _cursor(rows[-1], field) if rows else before,
                          _cursor(rows[0], field) if rows and more_newer else None)
    older = queryset
    if after is not None:
        older = queryset.filter(**{f"{field}__lte": after.moment}).filter(
            Q(**{f"{field}__lt": after.moment}) | Q(**{field: after.moment, "pk__lt": after.pk}))
    found = list(older.order_by(f"-{field}", "-pk")[:size + 1])
    rows = found[:size]
    return KeysetPage(rows, _cursor(rows[-1], field) if len(found) > size else None,
                      _cursor(rows[0], field) if rows and after is not None else None)


def _cursor(row, field: str) -> Cursor:
    return Cursor(getattr(row, field), row.pk)
