"""Health of the parts Outbound runs on: web, database, Redis, Celery worker and beat."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy as _

from console.celery import app
from console.heartbeat import last_beat, redis_client

# Beat ticks at least every CELERY_BEAT_MAX_LOOP_INTERVAL seconds; allow a few missed ticks.
BEAT_STALE_SECONDS = 30


@dataclass(frozen=True)
class Check:
    name: str
    label: str
    up: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Check("database", _("Database"), True, connection.vendor)
    except Exception as exc:
        return Check("database", _("Database"), False, str(exc)[:200])


def check_redis() -> Check:
    try:
        redis_client().ping()
        return Check("redis", _("Redis"), True, settings.REDIS_URL.split("@")[-1])
    except Exception as exc:
        return Check("redis", _("Redis"), False, str(exc)[:200])


def check_worker() -> Check:
    try:
        replies = app.control.ping(timeout=1.0, limit=1)
    except Exception as exc:
        return Check("worker", _("Worker"), False, str(exc)[:200])
    if replies:
        names = ", ".join(name for reply in replies for name in reply)
        return Check("worker", _("Worker"), True, names)
    return Check("worker", _("Worker"), False, _("no worker answered within 1 second"))


def check_beat() -> Check:
    try:
        value = last_beat()
    except Exception as exc:
        return Check("beat", _("Beat"), False, str(exc)[:200])
    if value is None:
        return Check("beat", _("Beat"), False, _("beat has not ticked"))
    age = time.time() - value
    if age > BEAT_STALE_SECONDS:
        return Check("beat", _("Beat"), False, _("last tick %d s ago") % age)
    return Check("beat", _("Beat"), True, _("last tick %d s ago") % max(age, 0))


def all_checks() -> list[Check]:
    web = Check("web", _("Web"), True, _("answering"))
    return [web, check_database(), check_redis(), check_worker(), check_beat()]
