"""Celery tasks of the address book: thin, named, keyword-only ids; the work is in imports.py."""

from __future__ import annotations

from celery import shared_task

from addressbook import imports
from addressbook.models import AddressImport


@shared_task(name=AddressImport.TASK)
def run_import(*, job_id: int) -> None:
    imports.run(job_id)


@shared_task(name="addressbook.sweep_imports")
def sweep_imports() -> None:
    imports.sweep()
