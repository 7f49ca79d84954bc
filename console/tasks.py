"""Celery tasks of the console: building exports and sweeping them (thin; see exports.py)."""

from __future__ import annotations

from celery import shared_task

from console import exports
from console.models import Export


@shared_task(name=Export.TASK)
def build_export(*, job_id: int) -> None:
    exports.build(job_id)


@shared_task(name="console.sweep_exports")
def sweep_exports() -> None:
    exports.sweep()
