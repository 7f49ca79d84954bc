"""Log lines: a request ID on every line of a web request and of the tasks it caused, structured
lines (key=value text, or JSON with LOG_FORMAT=json), and expected refusals on one line.

The ID comes from the request's X-Request-ID header (a proxy's, or a client's), or is made here;
it goes back in the response's X-Request-ID header, and to every task the request enqueues in a
Celery message header, so the worker's lines for that task carry it too (wired in
console/celery.py). Lines outside any request or such task show "-".
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the settings' LOGGING: nothing of Django's at import time
    from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# The Celery message header; custom headers become attributes of the task's request.
TASK_HEADER = "outbound_request_id"
NONE = "-"
# What is accepted from outside: no spaces, quotes or control characters in a log line.
ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,64}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def accepted_request_id(value: str | None) -> str:
    """The caller's request ID when it is a plain token, else a new one."""
    if value and ACCEPTED.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Binds the request ID for the request's lines and answers it in X-Request-ID."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Kept on the request too: Django logs a 4xx/5xx answer after the middleware returned.
        request.x_request_id = accepted_request_id(request.headers.get(HEADER))
        token = request_id.set(request.x_request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = request.x_request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (on the handler, so it sees every logger's lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        value = request_id.get()
        if value is None:
            value = getattr(getattr(record, "request", None), "x_request_id", None)
        record.request_id = value or NONE
        return True


class RefusalFilter(logging.Filter):
    """A 4xx answer (403 permission denied, 404, 400 bad input) is the product working, not a
    failure: Django's one line stays, the traceback it attaches to some of them goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for a log collector."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", NONE),
            "message": record.getMessage(),
        }
        if isinstance(getattr(record, "status_code", None), int):
            line["status"] = record.status_code
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def add_to_task_headers(headers: dict | None) -> None:
    """Before a task message is published: pass the current request ID along."""
    current = request_id.get()
    if headers is not None and current is not None:
        headers.setdefault(TASK_HEADER, current)


def bind_task(task_request) -> Token | None:
    """When a task starts: its lines carry the request ID of the request that caused it."""
    value = getattr(task_request, TASK_HEADER, None)
    if value is None:  # Task.apply() keeps the headers apart
        value = (getattr(task_request, "headers", None) or {}).get(TASK_HEADER)
    return request_id.set(value) if value else None


def unbind_task(token: Token | None) -> None:
    if token is not None:
        request_id.reset(token)
