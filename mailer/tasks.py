"""Celery tasks of the mailer: thin, named, keyword-only ids; the work is in the modules."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from mailer import delivery, files, lifecycle, preparation, suppression
from mailer.models import IdempotencyKey, Mail, SendRequest, Status

logger = logging.getLogger(__name__)


@shared_task(name="mailer.prepare_request")
def prepare_request(*, request_pk: int) -> None:
    send_request = SendRequest.objects.select_related("project").filter(pk=request_pk).first()
    if send_request is None or send_request.status != Status.PREPARING:
        return
    preparation.prepare(send_request)


@shared_task(name="mailer.deliver_request")
def deliver_request(*, request_pk: int) -> None:
    delivery.deliver(request_pk)


def _nudge_once(kind: str, request_pk: int) -> bool:
    """True the first time in a while: the sweeper does not flood the queue with one request."""
    try:
        return cache.add(f"nudge:{kind}:{request_pk}", 1, settings.MAILER_SWEEP_SECONDS * 2)
    except Exception:
        return True


@shared_task(name="mailer.sweep")
def sweep() -> None:
    """Find work whose nudge was lost (worker crash, Redis flushed) and nudge it again."""
    now = timezone.now()
    stalled = now - timedelta(seconds=settings.MAILER_PREPARE_STALL_SECONDS)
    for pk in SendRequest.objects.filter(status=Status.PREPARING, created__lt=stalled).filter(
        Q(prepare_heartbeat__isnull=True) | Q(prepare_heartbeat__lt=stalled)
    ).values_list("pk", flat=True):
        if _nudge_once("prepare", pk):
            prepare_request.delay(request_pk=pk)

    due = Mail.objects.filter(status=Status.SENDING, next_attempt_at__lte=now,
                              request__status=Status.SENDING).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    for pk in due.values_list("request_id", flat=True).distinct():
        if _nudge_once("deliver", pk):
            delivery.nudge_delivery(pk)

    waiting = Mail.objects.filter(request=OuterRef("pk"),
                                  status__in=[Status.READY, Status.SENDING])
    for pk in SendRequest.objects.filter(status=Status.SENDING).exclude(
            Exists(waiting)).values_list("pk", flat=True):
        delivery.finish_if_done(pk)

    lifecycle.dispatch_due_reservations(now)
    # Mails of a cancelled request that were on their way when it was cancelled.
    for send_request in SendRequest.objects.filter(status=Status.CANCELLED).filter(
            Exists(waiting)):
        lifecycle.give_back(send_request, lifecycle.cancel_waiting_mails(send_request.pk, now))
    suppression.expire_blocks(now)
    files.forget_unused(now)
    IdempotencyKey.objects.filter(created__lt=now - IdempotencyKey.LIFETIME).delete()
