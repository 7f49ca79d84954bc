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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from addressbook.addresses import normalise_address
from addressbook.combination import combine_groups
from console.bulk import allocate_ids, insert_rows, refresh_statistics, update_rows
from console.dispatch import enqueue, enqueue_once
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


def _blocked(addresses: set[str], now: datetime) -> set[str]:
    """Addresses on the send-block list, which every project shares."""
    return set(SendBlock.objects.filter(address__in_array=addresses, blocked_until__gt=now)
               .values_list("address", flat=True))


def _unsubscribed(send_request: SendRequest, addresses: set[str]) -> set[str]:
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


@dataclass
class _Settling:
    """What a chunk's recipients are checked against, looked up once for one or many chunks."""

    blocked: set[str]
    unsubscribed: set[str]


def _chunk_rows(send_request: SendRequest, groups: list[list[dict]], mail_ids: list[int],
                next_seq: int, mail_status: str, tags: TagCheck, keys: dict[int, str],
                settling: _Settling, now: datetime) -> tuple[list[tuple], list[tuple]]:
    """The rows of a chunk's mails and recipients, the recipients that must not be sent to
    settled already."""
    mails, recipients = [], []
    for offset, (mail_id, group) in enumerate(zip(mail_ids, groups, strict=True)):
        settled = {}
        for recipient in group:
            key = keys[id(recipient)]
            if key in settling.unsubscribed:
                settled[id(recipient)] = ResultCode.UNSUBSCRIBE_ADDRESS
            elif key in settling.blocked:
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
    return mails, recipients


def _save_chunk(send_request: SendRequest, chunk: list[dict], next_seq: int, mail_status: str,
                tags: TagCheck, now: datetime) -> int:
    """Create the chunk's mails and recipients (COPY); return how many mails were created."""
    keys = {id(r): normalise_address(r["address"]) for r in chunk}
    addresses = set(keys.values())
    settling = _Settling(_blocked(addresses, now), _unsubscribed(send_request, addresses))
    groups = _mail_groups(send_request, chunk)
    mails, recipients = _chunk_rows(send_request, groups, allocate_ids(Mail, len(groups)),
                                    next_seq, mail_status, tags, keys, settling, now)
    insert_rows(Mail, MAIL_FIELDS, mails)
    insert_rows(Recipient, RECIPIENT_FIELDS, recipients)
    return len(mails)


def _will_wait(send_request: SendRequest, now: datetime) -> bool:
    """Whether the request waits in R (a reservation to come, or a confirmation) once prepared."""
    return send_request.confirm_and_send or (
        send_request.reservation_at is not None and send_request.reservation_at > now)


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
    will_wait = _will_wait(send_request, now)
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
PREPARE_SMALL_TASK = "mailer.prepare_small_requests"
# A request of a few listed recipients is prepared with the others accepted meanwhile, in one
# transaction, and delivered by the task that prepared it: one message and a handful of
# statements for a batch instead of two tasks and some twenty statements a request.
SMALL_REQUEST = 100  # recipients
SMALL_BATCH = 200  # requests a transaction
SMALL_FLAG = "mailer:prepare-small-queued"
SMALL_FLAG_SECONDS = 5
# The batch task starts this long after the first request that asks for it, so that under load
# a batch holds the requests of a fifth of a second and not the two or three of a round trip.
SMALL_GATHER_SECONDS = 0.2


def start(send_request: SendRequest) -> None:
    """Ask a worker to prepare a request just accepted (once the acceptance commits)."""
    if send_request.recipient_group_filter is None and (
            send_request.recipient_count <= SMALL_REQUEST):
        enqueue_once(PREPARE_SMALL_TASK, flag=SMALL_FLAG, seconds=SMALL_FLAG_SECONDS,
                     countdown=SMALL_GATHER_SECONDS)
    else:
        enqueue(PREPARE_TASK, request_pk=send_request.pk)


def _take_small(now: datetime) -> list[SendRequest]:
    """Small requests nobody is preparing, with their recipients, this worker's from now on."""
    small = Q(status=Status.PREPARING, prepare_heartbeat__isnull=True,
              recipient_group_filter__isnull=True, recipient_count__lte=SMALL_REQUEST)
    with transaction.atomic():
        pks = list(SendRequest.objects.select_for_update(skip_locked=True).filter(small)
                   .order_by("id").values_list("id", flat=True)[:SMALL_BATCH])
        if not pks:
            return []
        SendRequest.objects.filter(pk__in=pks).update(prepare_heartbeat=now)
    return list(SendRequest.objects.select_related("project").defer(None).filter(pk__in=pks)
                .order_by("id"))


def _unsubscribed_by_project(batch: list[SendRequest], chunks: dict[int, list[dict]],
                             keys: dict[int, str]) -> dict[int, set[str]]:
    """_unsubscribed() for a batch: one query a project with advertising requests in it."""
    advertising: dict[int, tuple[SendRequest, set[str]]] = {}
    for send_request in batch:
        if send_request.advertising:
            _first, addresses = advertising.setdefault(send_request.project_id,
                                                       (send_request, set()))
            addresses.update(keys[id(rec)] for rec in chunks[send_request.pk])
    return {project_id: _unsubscribed(first, addresses)
            for project_id, (first, addresses) in advertising.items()}


class SmallBatch(NamedTuple):
    to_deliver: list[SendRequest]  # went out (P → I) with a mail to send
    full: bool  # SMALL_BATCH were taken: more may be waiting


def prepare_small(now: datetime) -> SmallBatch:
    """Prepare a batch of small requests in one transaction; the caller delivers the ones that
    went out with a mail to send."""
    taken = _take_small(now)
    if not taken:
        return SmallBatch([], full=False)
    with transaction.atomic():
        # Locked against a cancel until the batch commits; one cancelled meanwhile is left out.
        still = set(SendRequest.objects.select_for_update().filter(
            pk__in=[r.pk for r in taken], status=Status.PREPARING).values_list("pk", flat=True))
        batch = [r for r in taken if r.pk in still]
        chunks = {r.pk: r.recipients_payload()[r.prepare_cursor:] for r in batch}
        keys = {id(rec): normalise_address(rec["address"])
                for chunk in chunks.values() for rec in chunk}
        blocked = _blocked(set(keys.values()), now)
        unsubscribed = _unsubscribed_by_project(batch, chunks, keys)
        groups = {r.pk: _mail_groups(r, chunks[r.pk]) for r in batch}
        mail_ids = iter(allocate_ids(Mail, sum(len(g) for g in groups.values())))
        mails, recipients, progress, waiting = [], [], [], {True: [], False: []}
        to_deliver: list[SendRequest] = []
        for send_request in batch:
            chunk = chunks[send_request.pk]
            will_wait = _will_wait(send_request, now)
            settling = _Settling(blocked, unsubscribed.get(send_request.project_id, set())
                                 if send_request.advertising else set())
            ids = [next(mail_ids) for _group in groups[send_request.pk]]
            rows = _chunk_rows(send_request, groups[send_request.pk], ids,
                               send_request.mail_count + 1,
                               Status.READY if will_wait else Status.SENDING,
                               TagCheck(send_request), keys, settling, now)
            mails += rows[0]
            recipients += rows[1]
            progress.append((send_request.pk, send_request.prepare_cursor + len(chunk),
                             send_request.prepared_recipients + len(chunk),
                             send_request.mail_count + len(ids)))
            waiting[will_wait].append(send_request.pk)
            if any(row[3] == Status.SENDING for row in rows[0]):
                to_deliver.append(send_request)
        insert_rows(Mail, MAIL_FIELDS, mails)
        insert_rows(Recipient, RECIPIENT_FIELDS, recipients)
        update_rows(SendRequest, ["prepare_cursor", "prepared_recipients", "mail_count"],
                    progress)
        for will_wait, pks in waiting.items():
            if pks:
                SendRequest.objects.filter(pk__in=pks).finish_preparation(wait=will_wait,
                                                                          now=now)
    # Every recipient of these was settled already (blocked, unsubscribed, a tag missing).
    delivery.finish_done(sorted(set(waiting[False]) - {r.pk for r in to_deliver}))
    return SmallBatch(to_deliver, full=len(taken) == SMALL_BATCH)


def stalled_requests(now: datetime) -> list[int]:
    """Requests in status P whose preparation never started or stopped reporting (its worker
    died, or the nudge was lost)."""
    stalled = now - timedelta(seconds=settings.MAILER_PREPARE_STALL_SECONDS)
    return list(SendRequest.objects.filter(status=Status.PREPARING, created__lt=stalled).filter(
        Q(prepare_heartbeat__isnull=True) | Q(prepare_heartbeat__lt=stalled)
    ).values_list("pk", flat=True))
