"""The sending rules of DESIGN §6 that more than one entrance checks (the API, the console, the
reads): the limits, how a date and time is given, and the exception that refuses a request."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

MAX_TITLE_BYTES = 500
MAX_SENDER_NAME_BYTES = 69
MAX_RECIPIENT_NAME_CHARS = 69
MAX_BODY_BYTES = 500 * 1024
MAX_CC = 30
MAX_BCC = 30
MAX_RESERVATION_AHEAD = timedelta(days=30)
MAX_UNSUBSCRIBE_MESSAGE_BYTES = 10 * 1024
ADVERTISING_PREFIX = "(광고)"
DATE_TIME_FORMAT = "%Y-%m-%d %H:%M"  # yyyy-MM-dd HH:mm, as the reference writes it


class Refused(Exception):
    """The request or action breaks a rule; the message says which, naming the field. `code`
    is the API's error code when it is not 77102 (e.g. 77103 for a resource that is gone)."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


def byte_length(text: str) -> int:
    """Lengths the reference gives in bytes are counted in UTF-8."""
    return len(text.encode("utf-8"))


def parse_moment(utc: int | None, text: str | None, time_zone: str,
                 name: str) -> datetime | None:
    """A time given as `{name}Utc` (epoch milliseconds) or `{name}DateTime` (yyyy-MM-dd HH:mm
    in the project's time zone): the Utc form wins when both are given, a malformed value of
    either is refused, and None when neither is given."""
    parsed = None
    if text is not None:
        try:
            naive = datetime.strptime(text.strip(), DATE_TIME_FORMAT)
        except ValueError:
            raise Refused(f"{name}DateTime: use the form yyyy-MM-dd HH:mm") from None
        parsed = naive.replace(tzinfo=zoneinfo.ZoneInfo(time_zone))
    if utc is not None:
        try:
            return datetime.fromtimestamp(utc / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise Refused(f"{name}Utc: not a valid time in epoch milliseconds") from None
    return parsed


def check_reservation(when: datetime | None, now: datetime, field: str) -> datetime | None:
    """A reservation is in the future and at most 30 days ahead."""
    if when is None:
        return None
    if when <= now:
        raise Refused(f"{field}: the reservation time is in the past")
    if when > now + MAX_RESERVATION_AHEAD:
        raise Refused(f"{field}: a reservation can be at most 30 days ahead")
    return when
