"""Celery tasks of the console: building exports and sweeping them (thin; see exports.py)."""

from __future__ import annotations

from celery import shared_task

from console import exports


@shared_task(name="console.build_export")
def build_export(*, export_id: int) -> None:
    exports.build(export_id)


@shared_task(name="console.sweep_exports")
def sweep_exports() -> None:
    exports.sweep()
