"""Celery tasks of the mailer: thin, named, keyword-only ids; the work is in the modules."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from mailer import chores, delivery, preparation
from mailer.models import SendRequest, Status


@shared_task(name=preparation.PREPARE_TASK)
def prepare_request(*, request_pk: int) -> None:
    send_request = SendRequest.objects.select_related("project").filter(pk=request_pk).first()
    if send_request is None or send_request.status != Status.PREPARING:
        return
    preparation.prepare(send_request)


@shared_task(name=delivery.DELIVER_TASK)
def deliver_request(*, request_pk: int) -> None:
    delivery.deliver(request_pk)


@shared_task(name="mailer.sweep")
def sweep() -> None:
    """The periodic chores (mailer/chores.py)."""
    chores.run_all(timezone.now())
