"""The one way domain code asks for background work: enqueue a task by its name.

Tasks live in the apps' `tasks` modules, which import the domain modules; a domain module that
needs "do this next" calls `enqueue("mailer.deliver_request", request_pk=…)` instead of importing
a task, so no module imports its own caller. The message is sent once the surrounding
transaction commits (at once outside one), so a worker never looks for a row it cannot see yet.
Messages are only nudges: every piece of work is found again by a periodic chore if one is lost.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from console.celery import app


def enqueue(task: str, *, countdown: float | None = None, copies: int = 1,
            **kwargs: int | str) -> None:
    """Send `copies` messages for the task named `task` with these keyword arguments (ids)."""

    def send() -> None:
        for _ in range(max(copies, 1)):
            app.send_task(task, kwargs=kwargs, countdown=countdown)

    transaction.on_commit(send)


def enqueue_once(task: str, *, flag: str, seconds: float, countdown: float | None = None) -> None:
    """One message for the task named `task` (no arguments) while one sent earlier is still
    waiting: the task deletes `flag` (a cache key) when it starts, so the work committed before
    that is its to find, and what commits after sends the next message. With a `countdown` the
    task starts that much later, and finds what was committed in the meantime too. The flag
    expires after `seconds` in case the message is lost; a periodic chore finds the work again
    either way."""

    def send() -> None:
        if first_in_a_while(flag, seconds):
            app.send_task(task, kwargs={}, countdown=countdown)

    transaction.on_commit(send)


def first_in_a_while(flag: str, seconds: float) -> bool:
    """Set the cache key `flag` for `seconds` unless it is set: True if this call set it. With
    Redis down, True (what follows, a message, will fail the same way)."""
    try:
        return cache.add(flag, 1, seconds)
    except Exception:
        return True
