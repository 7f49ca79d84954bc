"""Preparation: expand a request's recipients (its list, or the AND/OR combination of groups)
into Mail and Recipient rows, in chunks that commit with the progress, so a crashed worker's
successor resumes where it stopped and a cancel stops it between chunks.

Recipients that must not be sent to are settled here: send-blocked addresses
(SEND_BLOCK_ADDRESS) and those whose tags cannot all be resolved (CONTENT_HAS_TAG_FORM).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from addressbook.addresses import normalise_address
from addressbook.combination import combine_groups
from console.bulk import allocate_ids, insert_rows, refresh_statistics
from console.dispatch import enqueue
from mailer import delivery
from mailer.models import (
    Mail,
    Recipient,
    RecipientType,
    SendBlock,
    SendRequest,
    Status,
    Unsubscriber,
    final_status,
)
from mailer.result_codes import ResultCode
from mailer.substitution import CompiledText, unknown_metadata

logger = logging.getLogger(__name__)

CHUNK = 5000
GENERAL_BATCH = 30  # To addresses per mail in a general send
ANALYZE_AFTER = 10_000  # recipients: refresh the planner's statistics after a larger request


class Cancelled(Exception):
    """The request left status P while a chunk was being saved."""


def _source(send_request: SendRequest, cursor: int) -> Iterator[tuple[int, list[dict]]]:
    """(cursor after the chunk, recipients of the chunk), from `cursor` on."""
    if send_request.recipient_group_filter:
        spec = send_request.recipient_group_filter
        addresses = combine_groups(send_request.project, spec["groups"],
                                   and_filter=spec["andFilter"]).order_by("id")
        while True:
            rows = list(addresses.filter(id__gt=cursor).values_list("id", "address")[:CHUNK])
            if not rows:
                return
            cursor = rows[-1][0]
            yield cursor, [{"address": address, "type": "R"} for _id, address in rows]
    else:
        recipients = send_request.recipients_payload()
        while cursor < len(recipients):
            chunk = recipients[cursor:cursor + CHUNK]
            cursor += len(chunk)
            yield cursor, chunk


class TagCheck:
    """Which tags a recipient cannot fill: decided once per request, checked per recipient."""

    def __init__(self, send_request: SendRequest) -> None:
        title = CompiledText.compile(send_request.title)
        body = CompiledText.compile(send_request.body)
        self.user_tags = title.user_tags() | body.user_tags()
        self.unknown_metadata = unknown_metadata(send_request.title, send_request.body)
        self.request_parameters = set(send_request.parameters)

    def resolvable(self, recipient: dict) -> bool:
        if self.unknown_metadata:
            return False
        missing = self.user_tags - self.request_parameters
        return not missing or missing <= set(recipient.get("parameters") or ())


def _blocked(addresses: list[str], now: datetime) -> set[str]:
    """Addresses on the send-block list, which every project shares."""
    return set(SendBlock.objects.filter(address__in_array=addresses, blocked_until__gt=now)
               .values_list("address", flat=True))


def _unsubscribed(send_request: SendRequest, addresses: list[str]) -> set[str]:
    """Addresses that unsubscribed from the project: only advertising mail skips them."""
    if not send_request.advertising:
        return set()
    return set(Unsubscriber.objects.filter(project=send_request.project,
                                           address__in_array=addresses)
               .values_list("address", flat=True))


def _mail_groups(send_request: SendRequest, chunk: list[dict]) -> list[list[dict]]:
    if send_request.individual:
        return [[recipient] for recipient in chunk]
    to = [r for r in chunk if r["type"] == RecipientType.TO]
    groups = [to[i:i + GENERAL_BATCH] for i in range(0, len(to), GENERAL_BATCH)]
    copies = [r for r in chunk if r["type"] != RecipientType.TO]
    if groups and copies:
        groups[0] = groups[0] + copies  # CC and BCC go on the first mail only
    return groups


MAIL_FIELDS = ["id", "send_request", "seq", "status", "next_attempt_at", "lease_token", "attempts",
               "redelivered"]
RECIPIENT_FIELDS = ["project", "send_request", "mail", "requested_at", "address", "name", "type",
                    "parameters", "result_code", "last_attempt_code", "reply_text", "attempts",
                    "received", "possible_duplicate", "settled_at"]


def _save_chunk(send_request: SendRequest, chunk: list[dict], next_seq: int, mail_status: str,
                tags: TagCheck, now: datetime) -> int:
    """Create the chunk's mails and recipients (COPY); return how many mails were created."""
    keys = {id(r): normalise_address(r["address"]) for r in chunk}
    blocked = _blocked(list(keys.values()), now)
    unsubscribed = _unsubscribed(send_request, list(keys.values()))
    groups = _mail_groups(send_request, chunk)
    mail_ids = allocate_ids(Mail, len(groups))
    mails, recipients = [], []
    for offset, (mail_id, group) in enumerate(zip(mail_ids, groups, strict=True)):
        settled = {}
        for recipient in group:
            key = keys[id(recipient)]
            if key in unsubscribed:
                settled[id(recipient)] = ResultCode.UNSUBSCRIBE_ADDRESS
            elif key in blocked:
                settled[id(recipient)] = ResultCode.SEND_BLOCK_ADDRESS
            elif not tags.resolvable(recipient):
                settled[id(recipient)] = ResultCode.CONTENT_HAS_TAG_FORM
        if len(settled) == len(group):
            status = final_status(Counter(settled.values()))
        else:
            status = mail_status
        mails.append((mail_id, send_request.pk, next_seq + offset, status, now, "", 0, False))
        for recipient in group:
            recipients.append((
                send_request.project_id, send_request.pk, mail_id, send_request.created,
                recipient["address"], recipient.get("name") or "", recipient["type"],
                recipient.get("parameters"), settled.get(id(recipient), ""), "", "", 0, False,
                False, now if id(recipient) in settled else None,
            ))
    insert_rows(Mail, MAIL_FIELDS, mails)
    insert_rows(Recipient, RECIPIENT_FIELDS, recipients)
    return len(mails)


def prepare(send_request: SendRequest) -> None:
    """Prepare a request in status P, from where any earlier attempt stopped."""
    now = timezone.now()
    # Take the preparation over, unless another worker is at it (its heartbeat is fresh).
    stalled = now - timedelta(seconds=settings.MAILER_PREPARE_STALL_SECONDS)
    taken = SendRequest.objects.filter(pk=send_request.pk, status=Status.PREPARING).filter(
        Q(prepare_heartbeat__isnull=True) | Q(prepare_heartbeat__lt=stalled)
    ).update(prepare_heartbeat=now)
    if not taken:
        return
    send_request.refresh_from_db()
    will_wait = send_request.confirm_and_send or (
        send_request.reservation_at is not None and send_request.reservation_at > now)
    mail_status = Status.READY if will_wait else Status.SENDING
    tags = TagCheck(send_request)
    cursor = send_request.prepare_cursor
    next_seq = send_request.mail_count + 1
    try:
        # Lists were de-duplicated on acceptance; a group combination yields distinct addresses.
        for new_cursor, chunk in _source(send_request, cursor):
            with transaction.atomic():
                created = _save_chunk(send_request, chunk, next_seq, mail_status, tags,
                                      timezone.now()) if chunk else 0
                # The cursor doubles as an optimistic lock: a successor that took over moved it.
                moved = SendRequest.objects.filter(pk=send_request.pk, status=Status.PREPARING,
                                                   prepare_cursor=cursor).update(
                    prepare_cursor=new_cursor,
                    prepared_recipients=F("prepared_recipients") + len(chunk),
                    mail_count=F("mail_count") + created,
                    prepare_heartbeat=timezone.now(),
                )
                if not moved:
                    raise Cancelled
            next_seq += created
            cursor = new_cursor
    except Cancelled:
        logger.info("request %s: preparation stopped (cancelled or taken over)",
                    send_request.request_id)
        return
    send_request.refresh_from_db(fields=["prepared_recipients"])
    if send_request.prepared_recipients >= ANALYZE_AFTER:
        refresh_statistics(Mail, Recipient)
    finish_preparation(send_request, will_wait)


def finish_preparation(send_request: SendRequest, will_wait: bool) -> bool:
    """P → R (waiting for a reservation or a confirmation) or P → I, which starts delivery."""
    if not SendRequest.objects.filter(pk=send_request.pk).finish_preparation(
            wait=will_wait, now=timezone.now()):
        return False
    if not will_wait:
        delivery.start(send_request.pk)
    return True


PREPARE_TASK = "mailer.prepare_request"


def start(send_request: SendRequest) -> None:
    """Ask a worker to prepare a request just accepted (once the acceptance commits)."""
    enqueue(PREPARE_TASK, request_pk=send_request.pk)


def stalled_requests(now: datetime) -> list[int]:
    """Requests in status P whose preparation never started or stopped reporting (its worker
    died, or the nudge was lost)."""
    stalled = now - timedelta(seconds=settings.MAILER_PREPARE_STALL_SECONDS)
    return list(SendRequest.objects.filter(status=Status.PREPARING, created__lt=stalled).filter(
        Q(prepare_heartbeat__isnull=True) | Q(prepare_heartbeat__lt=stalled)
    ).values_list("pk", flat=True))
