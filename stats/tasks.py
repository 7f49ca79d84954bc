"""Celery tasks of the statistics: the rollups read what landed, on a short beat schedule."""

from __future__ import annotations

from celery import shared_task

from stats import rollups


@shared_task(name="stats.advance_rollups")
def advance_rollups() -> dict[str, int]:
    return rollups.advance()
