"""Celery tasks of the mailer: thin, named, keyword-only ids; the work is in the modules."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from console import jobs
from mailer import bulk_file, chores, delivery, preparation, template_library
from mailer.models import BulkSendFile, SendRequest, Status, TemplateExport, TemplateImport


@shared_task(name=preparation.PREPARE_TASK)
def prepare_request(*, request_pk: int) -> None:
    send_request = SendRequest.objects.select_related("project").filter(pk=request_pk).first()
    if send_request is None or send_request.status != Status.PREPARING:
        return
    preparation.prepare(send_request)


@shared_task(name=preparation.PREPARE_SMALL_TASK)
def prepare_small_requests() -> None:
    """Small requests in batches, each delivered here once prepared (no task of its own)."""
    cache.delete(preparation.SMALL_FLAG)  # what is accepted from now on sends the next message
    full = True
    while full:  # a batch short of SMALL_BATCH took everything accepted before the delete
        batch, full = preparation.prepare_small(timezone.now())
        if batch:
            delivery.deliver_together(batch)


@shared_task(name=delivery.DELIVER_TASK)
def deliver_request(*, request_pk: int) -> None:
    delivery.deliver(request_pk)


@shared_task(name="mailer.sweep")
def sweep() -> None:
    """The periodic chores (mailer/chores.py)."""
    chores.run_all(timezone.now())


@shared_task(name=TemplateExport.TASK)
def build_template_export(*, job_id: int) -> None:
    template_library.build_export(job_id)


@shared_task(name=TemplateImport.TASK)
def run_template_import(*, job_id: int) -> None:
    template_library.run_import(job_id)


@shared_task(name=BulkSendFile.TASK)
def check_bulk_send_file(*, job_id: int) -> None:
    bulk_file.check(job_id)


@shared_task(name="mailer.sweep_jobs")
def sweep_jobs() -> None:
    """The mailer's jobs on the job kit (template exports and imports, bulk-send files):
    retried, failed, nudged, expired."""
    jobs.sweep(TemplateExport)
    jobs.sweep(TemplateImport)
    jobs.sweep(BulkSendFile)
