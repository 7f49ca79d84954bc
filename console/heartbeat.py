"""Beat's heartbeat in Redis: written by the scheduler on every tick, read by the health page."""

from __future__ import annotations

import redis
from django.conf import settings

BEAT_HEARTBEAT_KEY = "outbound:beat:heartbeat"


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def record_beat_heartbeat(now: float) -> None:
    redis_client().set(BEAT_HEARTBEAT_KEY, str(now), ex=3600)


def last_beat() -> float | None:
    """When beat last ticked (epoch seconds), or None if it has not."""
    value = redis_client().get(BEAT_HEARTBEAT_KEY)
    return None if value is None else float(value)
