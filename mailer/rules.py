"""The sending rules of DESIGN §6 that more than one entrance checks (the API, the console, the
reads): the limits, how a date and time is given, and the exception that refuses a request."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _

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
    is the API's error code when it is not 77102 (e.g. 77103 for a resource that is gone).
    The message is in the active language (gettext), but for the field name it starts with."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


def refused(field: str, message: str, code: str | None = None) -> Refused:
    """A refusal about `field`: "field: message". The field is the reference's name, never
    translated (composer.field_of and the forms read it back); `message` is translated."""
    return Refused(f"{field}: {message}", code)


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
            raise refused(f"{name}DateTime", _("use the form %(form)s")
                          % {"form": "yyyy-MM-dd HH:mm"}) from None
        parsed = naive.replace(tzinfo=zoneinfo.ZoneInfo(time_zone))
    if utc is not None:
        try:
            return datetime.fromtimestamp(utc / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise refused(f"{name}Utc", _("not a valid time in epoch milliseconds")) from None
    return parsed


def check_reservation(when: datetime | None, now: datetime, field: str) -> datetime | None:
    """A reservation is in the future and at most 30 days ahead."""
    if when is None:
        return None
    if when <= now:
        raise refused(field, _("the reservation time is in the past"))
    if when > now + MAX_RESERVATION_AHEAD:
        raise refused(field, _("a reservation can be at most %(days)d days ahead")
                      % {"days": MAX_RESERVATION_AHEAD.days})
    return when
