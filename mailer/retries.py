"""When a temporary failure is tried again (DESIGN §4 step 5): exponential backoff from
MAILER_RETRY_BASE_SECONDS, a "retry in N seconds" hint in the reply winning, and when to give up
(MAILER_RETRY_MAX_ATTEMPTS attempts or MAILER_RETRY_MAX_AGE_HOURS since the first)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.conf import settings

from mailer.result_codes import Outcome

_RETRY_HINT = re.compile(
    r"(?:retry|try again)\D{0,30}?(\d{1,6})\s*(s|sec|secs|seconds?|m|min|mins|minutes?)\b", re.I)


def retry_delay(attempts: int, outcomes: list[Outcome]) -> float:
    """Seconds until the next attempt, capped at MAILER_RETRY_MAX_DELAY_SECONDS."""
    hints = []
    for outcome in outcomes:
        match = _RETRY_HINT.search(outcome.reply_text or "")
        if match:
            unit = 60 if match[2].lower().startswith("m") else 1
            hints.append(int(match[1]) * unit)
    exponential = settings.MAILER_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    delay = max(hints) if hints else exponential
    return float(min(max(delay, 1), settings.MAILER_RETRY_MAX_DELAY_SECONDS))


def gives_up(attempts: int, first_attempt_at: datetime, now: datetime) -> bool:
    """Whether a recipient that failed temporarily has had its last attempt."""
    max_age = timedelta(hours=settings.MAILER_RETRY_MAX_AGE_HOURS)
    return attempts >= settings.MAILER_RETRY_MAX_ATTEMPTS or now - first_attempt_at >= max_age
