"""What can happen to a request after it was accepted (DESIGN §4): reservations coming due, send
now and cancel. Each is a status change of the model layer; this module decides when one is
allowed and what follows it (the workers nudged, the unsent recipients given back to the limit).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mailer import delivery
from mailer.models import (
    OPEN_STATUSES,
    WAITING_MAIL_STATUSES,
    Mail,
    Recipient,
    SendRequest,
    Status,
    final_status,
)
from mailer.monthly_limit import give_back
from mailer.result_codes import PENDING_CODES, ResultCode
from mailer.rules import Refused

logger = logging.getLogger(__name__)

SEND_NOW_WINDOW = timedelta(days=30)

def _dispatch(send_request_pk: int, now: datetime) -> bool:
    """R → I: the mails become claimable and the workers are nudged."""
    with transaction.atomic():
        if not SendRequest.objects.filter(pk=send_request_pk).dispatch(now):
            return False
        Mail.objects.filter(send_request_id=send_request_pk).dispatch(now)
    delivery.start(send_request_pk)
    return True


def send_now(send_request: SendRequest) -> None:
    """Send a Ready request at once, whatever its reservation or confirmation said."""
    if send_request.status != Status.READY:
        raise Refused(_("only a request that is ready to send can be sent now; this one is "
                        "%(status)s") % {"status": _status(send_request)})
    now = timezone.now()
    if send_request.ready_at and now - send_request.ready_at > SEND_NOW_WINDOW:
        raise Refused(_("a request that became ready more than %(days)d days ago cannot be sent "
                        "now") % {"days": SEND_NOW_WINDOW.days})
    if not _dispatch(send_request.pk, now):
        raise Refused(_("the request is no longer ready to send"))


def _status(send_request: SendRequest) -> str:
    """The request's status as a message names it (its label, in the active language)."""
    return str(send_request.get_status_display()).lower()


def dispatch_due_reservations(now: datetime | None = None) -> list[int]:
    """Reservations whose time has come (also those that came due while the service was
    down: they go now, and dispatched_at shows how late)."""
    now = now or timezone.now()
    due = SendRequest.objects.filter(status=Status.READY, confirm_and_send=False,
                                     reservation_at__lte=now).values_list("pk", flat=True)
    return [pk for pk in due if _dispatch(pk, now)]


def cancel(send_request: SendRequest) -> int:
    """Cancel a request that is preparing, ready or sending; return how many recipients will
    not be sent. Sent recipients keep their result; mails on their way (leased by a worker)
    finish, and anything they would retry is cancelled when recorded."""
    if send_request.status not in OPEN_STATUSES:
        raise Refused(_("a request that is %(status)s cannot be cancelled")
                      % {"status": _status(send_request)})
    now = timezone.now()
    with transaction.atomic():
        if not SendRequest.objects.filter(pk=send_request.pk).cancel(now):
            raise Refused(_("the request finished meanwhile"))
        cancelled = cancel_waiting_mails(send_request.pk, now)
    was_preparing = send_request.status == Status.PREPARING
    # A request cancelled while preparing never sends anything: all of it goes back.
    give_back(send_request, send_request.counted_recipients if was_preparing else cancelled)
    return cancelled


def cancel_scheduled_mail(mail: Mail) -> int:
    """[Cancel scheduled send] of one mail of a scheduled request that is still waiting for its
    time: the mail and its recipients are cancelled (and given back to the monthly limit); the
    request goes out without it, or is cancelled when it was its last mail waiting."""
    send_request = mail.send_request
    if send_request.status != Status.READY or send_request.reservation_at is None:
        raise Refused(_("only a mail of a scheduled request that is ready to send can have its "
                        "scheduled send cancelled"))
    now = timezone.now()
    with transaction.atomic():
        if not Mail.objects.filter(pk=mail.pk, status=Status.READY).cancel():
            raise Refused(_("the mail is no longer waiting for its scheduled time"))
        cancelled = _cancel_recipients([mail.pk])
        if not Mail.objects.filter(send_request_id=send_request.pk,
                                   status=Status.READY).exists():
            SendRequest.objects.filter(pk=send_request.pk).cancel(now)
    give_back(send_request, cancelled)
    return cancelled


def _cancel_recipients(mail_ids: list[int]) -> int:
    """The recipients of these mails that were not sent become CANCELED_MAIL, a final result
    (stamped for the statistics); how many."""
    return Recipient.objects.filter(mail_id__in=mail_ids, result_code__in=PENDING_CODES).update(
        result_code=ResultCode.CANCELED_MAIL, settled_at=timezone.now())


def cancel_waiting_mails(send_request_pk: int, now: datetime) -> int:
    """Cancel the mails of a cancelled request that no worker holds; their recipients that
    were not sent become CANCELED_MAIL. Returns the number of recipients cancelled."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    mails = Mail.objects.filter(send_request_id=send_request_pk,
                                status__in=WAITING_MAIL_STATUSES).filter(free)
    mail_ids = list(mails.values_list("pk", flat=True))
    if not mail_ids:
        return 0
    cancelled = _cancel_recipients(mail_ids)
    # A general mail that had reached some of its recipients before gets its own final status.
    mixed = set(Recipient.objects.filter(mail_id__in=mail_ids).exclude(
        result_code=ResultCode.CANCELED_MAIL).values_list("mail_id", flat=True))
    codes: dict[int, Counter[str]] = {mail_id: Counter() for mail_id in mixed}
    for mail_id, code in Recipient.objects.filter(mail_id__in=mixed).values_list(
            "mail_id", "result_code"):
        codes[mail_id][code] += 1
    for mail_id, counts in codes.items():
        Mail.objects.filter(pk=mail_id).move(Status.SENDING, final_status(counts),
                                             lease_until=None, lease_token="")
    Mail.objects.filter(pk__in=[pk for pk in mail_ids if pk not in mixed]).cancel()
    return cancelled


def cancel_leftovers(now: datetime) -> int:
    """Chore: mails of cancelled requests that were on their way when the request was
    cancelled, cancelled once their worker let go of them; their recipients given back."""
    waiting = Mail.objects.filter(send_request=OuterRef("pk"), status__in=WAITING_MAIL_STATUSES)
    total = 0
    for send_request in SendRequest.objects.filter(status=Status.CANCELLED).filter(
            Exists(waiting)):
        count = cancel_waiting_mails(send_request.pk, now)
        give_back(send_request, count)
        total += count
    return total
