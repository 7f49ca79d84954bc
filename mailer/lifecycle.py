"""What can happen to a request after it was accepted: reservations coming due, send now,
cancel (DESIGN §4), and the monthly sending limit it was counted against."""

from __future__ import annotations

import contextlib
import logging
import zoneinfo
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from console.models import Project
from mailer.models import (
    Mail,
    MailerSettings,
    MonthlyUsage,
    Recipient,
    SendRequest,
    Status,
    final_status,
)
from mailer.result_codes import ResultCode

logger = logging.getLogger(__name__)

SEND_NOW_WINDOW = timedelta(days=30)
PENDING_CODES = ("", ResultCode.RESENDING_MAIL)


class Refused(Exception):
    """The action is not possible in the request's status; the message says why."""


# The monthly limit ----------------------------------------------------------------------------

def usage_month(project: Project, moment: datetime) -> date:
    local = moment.astimezone(zoneinfo.ZoneInfo(project.time_zone))
    return local.date().replace(day=1)


def count_against_limit(project: Project, count: int, moment: datetime) -> None:
    """Add `count` recipients to this month's usage, or raise Refused if that would pass the
    project's limit. One conditional UPDATE in the usual case."""
    month = usage_month(project, moment)
    for _attempt in range(2):
        if MonthlyUsage.objects.filter(project=project, month=month,
                                       accepted__lte=F("limit") - count).update(
                accepted=F("accepted") + count):
            return
        usage = MonthlyUsage.objects.filter(project=project, month=month).first()
        if usage is not None:
            raise Refused(
                f"the monthly sending limit of {usage.limit:,} recipients would be passed: "
                f"{usage.accepted:,} accepted this month, this request has {count:,}")
        limit = MailerSettings.for_project(project.pk).monthly_limit
        # Created meanwhile by another request: count again.
        with contextlib.suppress(IntegrityError), transaction.atomic():
            MonthlyUsage.objects.create(project=project, month=month, limit=limit)
    raise Refused("the monthly usage could not be counted; try again")


def give_back_count(project: Project, count: int, moment: datetime) -> None:
    MonthlyUsage.objects.filter(project=project, month=usage_month(project, moment),
                                accepted__gte=count).update(accepted=F("accepted") - count)


def give_back(send_request: SendRequest, count: int) -> None:
    """Return recipients that will not be sent to the month the request was counted in."""
    count = min(count, send_request.counted_recipients)
    if count <= 0:
        return
    give_back_count(send_request.project, count, send_request.created)
    SendRequest.objects.filter(pk=send_request.pk).update(
        counted_recipients=F("counted_recipients") - count)


def set_monthly_limit(project: Project, limit: int) -> None:
    settings_row, _created = MailerSettings.objects.get_or_create(project=project)
    settings_row.monthly_limit = limit
    settings_row.save(update_fields=["monthly_limit"])
    MonthlyUsage.objects.filter(project=project,
                                month=usage_month(project, timezone.now())).update(limit=limit)


# Send now and reservations ---------------------------------------------------------------------

def _dispatch(send_request_pk: int, now: datetime) -> bool:
    """R → I: the mails become claimable and the workers are nudged."""
    from mailer.delivery import finish_if_done, nudge_delivery

    with transaction.atomic():
        moved = SendRequest.objects.filter(pk=send_request_pk, status=Status.READY).update(
            status=Status.SENDING, dispatched_at=now)
        if not moved:
            return False
        Mail.objects.filter(request_id=send_request_pk, status=Status.READY).update(
            status=Status.SENDING, next_attempt_at=now)
    if not finish_if_done(send_request_pk):
        from django.conf import settings

        nudge_delivery(send_request_pk, settings.MAILER_DELIVERY_TASKS)
    return True


def send_now(send_request: SendRequest) -> None:
    """Send a Ready request at once, whatever its reservation or confirmation said."""
    if send_request.status != Status.READY:
        raise Refused(f"only a request that is ready to send can be sent now; this one is "
                      f"{send_request.get_status_display().lower()}")
    now = timezone.now()
    if send_request.ready_at and now - send_request.ready_at > SEND_NOW_WINDOW:
        raise Refused("a request that became ready more than 30 days ago cannot be sent now")
    if not _dispatch(send_request.pk, now):
        raise Refused("the request is no longer ready to send")


def dispatch_due_reservations(now: datetime | None = None) -> list[int]:
    """Reservations whose time has come (also those that came due while the service was
    down: they go now, and dispatched_at shows how late)."""
    now = now or timezone.now()
    due = SendRequest.objects.filter(status=Status.READY, confirm_and_send=False,
                                     reservation_at__lte=now).values_list("pk", flat=True)
    return [pk for pk in due if _dispatch(pk, now)]


# Cancel -----------------------------------------------------------------------------------------

def cancel(send_request: SendRequest) -> int:
    """Cancel a request that is preparing, ready or sending; return how many recipients will
    not be sent. Sent recipients keep their result; mails on their way (leased by a worker)
    finish, and anything they would retry is cancelled when recorded."""
    if send_request.status not in (Status.PREPARING, Status.READY, Status.SENDING):
        raise Refused(f"a request that is {send_request.get_status_display().lower()} "
                      "cannot be cancelled")
    now = timezone.now()
    with transaction.atomic():
        moved = SendRequest.objects.filter(
            pk=send_request.pk, status__in=[Status.PREPARING, Status.READY, Status.SENDING],
        ).update(status=Status.CANCELLED, cancelled_at=now, payload=None)
        if not moved:
            raise Refused("the request finished meanwhile")
        cancelled = cancel_waiting_mails(send_request.pk, now)
    was_preparing = send_request.status == Status.PREPARING
    # A request cancelled while preparing never sends anything: all of it goes back.
    give_back(send_request, send_request.counted_recipients if was_preparing else cancelled)
    return cancelled


def cancel_waiting_mails(send_request_pk: int, now: datetime) -> int:
    """Cancel the mails of a cancelled request that no worker holds; their recipients that
    were not sent become CANCELED_MAIL. Returns the number of recipients cancelled."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    mails = Mail.objects.filter(request_id=send_request_pk,
                                status__in=[Status.READY, Status.SENDING]).filter(free)
    mail_ids = list(mails.values_list("pk", flat=True))
    if not mail_ids:
        return 0
    cancelled = Recipient.objects.filter(mail_id__in=mail_ids,
                                         result_code__in=PENDING_CODES).update(
        result_code=ResultCode.CANCELED_MAIL)
    Mail.objects.filter(pk__in=mail_ids).update(status=Status.CANCELLED, lease_until=None,
                                                lease_token="")
    # A general mail that had reached some of its recipients before: its own final status.
    mixed = set(Recipient.objects.filter(mail_id__in=mail_ids).exclude(
        result_code=ResultCode.CANCELED_MAIL).values_list("mail_id", flat=True))
    for mail_id in mixed:
        codes: dict[str, int] = {}
        for code in Recipient.objects.filter(mail_id=mail_id).values_list("result_code",
                                                                          flat=True):
            codes[code] = codes.get(code, 0) + 1
        Mail.objects.filter(pk=mail_id).update(status=final_status(codes))
    return cancelled
