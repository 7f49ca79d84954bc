"""Celery tasks of the address book: thin, named, keyword-only ids; the work is in imports.py."""

from __future__ import annotations

from celery import shared_task

from addressbook import imports


@shared_task(name="addressbook.run_import")
def run_import(*, import_id: int) -> None:
    imports.run(import_id)


@shared_task(name="addressbook.sweep_imports")
def sweep_imports() -> None:
    imports.sweep()
