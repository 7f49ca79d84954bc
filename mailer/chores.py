"""The mailer's periodic chores, run by the `mailer.sweep` task every MAILER_SWEEP_SECONDS: each
finds work that would otherwise wait forever (a nudge lost to a broker restart or a worker
crash, a reservation coming due, something expired) and does it or nudges it again.
Each takes the current time and returns how many things it handled."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef

from console.dispatch import enqueue, first_in_a_while
from mailer import delivery, files, lifecycle, preparation, suppression
from mailer.models import WAITING_MAIL_STATUSES, IdempotencyKey, Mail, SendRequest, Status

logger = logging.getLogger(__name__)


def _nudge_once(kind: str, request_pk: int) -> bool:
    """True the first time in a while: the sweep does not flood the queue with one request."""
    return first_in_a_while(f"nudge:{kind}:{request_pk}", settings.MAILER_SWEEP_SECONDS * 2)


def renudge_preparations(now: datetime) -> int:
    """Requests whose preparation never started or stopped reporting are prepared again (from
    where it stopped)."""
    nudged = 0
    for pk in preparation.stalled_requests(now):
        if _nudge_once("prepare", pk):
            enqueue(preparation.PREPARE_TASK, request_pk=pk)
            nudged += 1
    return nudged


def renudge_deliveries(now: datetime) -> int:
    """Requests with due mails that nobody holds get a delivery task."""
    nudged = 0
    for pk in delivery.due_requests(now):
        if _nudge_once("deliver", pk):
            delivery.nudge(pk)
            nudged += 1
    return nudged


def finish_idle_requests(now: datetime) -> int:
    """Sending requests with no mail left waiting take their final status."""
    waiting = Mail.objects.filter(send_request=OuterRef("pk"), status__in=WAITING_MAIL_STATUSES)
    idle = SendRequest.objects.filter(status=Status.SENDING).exclude(Exists(waiting))
    return sum(delivery.finish_if_done(pk) for pk in idle.values_list("pk", flat=True))


def dispatch_due_reservations(now: datetime) -> int:
    return len(lifecycle.dispatch_due_reservations(now))


def cancel_leftovers(now: datetime) -> int:
    return lifecycle.cancel_leftovers(now)


def expire_send_blocks(now: datetime) -> int:
    return suppression.expire_blocks(now)


def forget_unused_files(now: datetime) -> int:
    return files.forget_unused(now)


def forget_idempotency_keys(now: datetime) -> int:
    """Idempotency keys are remembered for 24 hours."""
    deleted, _by_model = IdempotencyKey.objects.filter(
        created__lt=now - IdempotencyKey.LIFETIME).delete()
    return deleted


CHORES: tuple[Callable[[datetime], int], ...] = (
    renudge_preparations, renudge_deliveries, finish_idle_requests, dispatch_due_reservations,
    cancel_leftovers, expire_send_blocks, forget_unused_files, forget_idempotency_keys,
)


def run_all(now: datetime) -> dict[str, int]:
    """Every chore once; one that fails is logged and does not keep the others from running."""
    done = {}
    for chore in CHORES:
        try:
            done[chore.__name__] = chore(now)
        except Exception:
            logger.exception("mailer chore %s failed", chore.__name__)
    return done
