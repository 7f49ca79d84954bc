"""Numbers given as text (query parameters, form fields, headers): str.isdigit() also takes
digits int() refuses ("²"), and int() takes numbers no column holds — both were 500s."""

from __future__ import annotations

MAX_KEY_DIGITS = 18  # every 18-digit number fits a bigint primary key


def ascii_digits(text: str) -> bool:
    """Only the digits 0 to 9, at least one."""
    return text.isascii() and text.isdigit()


def primary_key(text: str) -> int | None:
    """The text as a primary key, or None if it cannot be one."""
    return int(text) if ascii_digits(text) and len(text) <= MAX_KEY_DIGITS else None
