"""Delivery: claim a batch of a request's due mails with a lease, render and send each over the
reused SMTP connection, record the outcomes in bulk, schedule retries, finish the request.

The database is the source of truth; a Celery message only says "look at request X". A claim is
a conditional UPDATE (SELECT … FOR UPDATE SKIP LOCKED where the database has it) that gives the
worker a lease; results are written only while the lease is still this worker's. A mail whose
lease expired (its worker died) is claimed again and marked `redelivered`, and its recipients
`possible_duplicate`: its first attempt may have reached the relay. Nothing else is sent twice.
No database transaction is open while SMTP talks.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from console.bulk import update_rows
from console.models import SandboxMessage
from mailer import files
from mailer.domains import SigningFailed, signer_for
from mailer.lifecycle import give_back
from mailer.mime import EncodedAttachment, MessageParts, build_message, html_to_text
from mailer.models import (
    Mail,
    MailerSettings,
    Recipient,
    RecipientType,
    SendBlock,
    SendBlockHistory,
    SendRequest,
    Status,
    final_status,
)
from mailer.result_codes import HARD_FAILURES, Outcome, ResultCode, classify_error
from mailer.smtp import RelayConnection, RelaySettings
from mailer.substitution import CompiledText, Unresolved, merged_parameters, metadata_values
from mailer.tracking import with_pixel
from mailer.unsubscribe import unsubscribe_footer, unsubscribe_message, unsubscribe_url

logger = logging.getLogger(__name__)

PENDING_CODES = ("", ResultCode.RESENDING_MAIL)
_RETRY_HINT = re.compile(
    r"(?:retry|try again)\D{0,30}?(\d{1,6})\s*(s|sec|secs|seconds?|m|min|mins|minutes?)\b", re.I)


@dataclass
class ClaimedRecipient:
    pk: int
    address: str
    name: str
    type: str
    parameters: dict | None
    result_code: str
    attempts: int
    first_attempt_at: datetime | None
    possible_duplicate: bool

    @property
    def pending(self) -> bool:
        return self.result_code in PENDING_CODES


@dataclass
class ClaimedMail:
    pk: int
    seq: int
    attempts: int
    redelivered: bool
    sent_at: datetime | None
    recipients: list[ClaimedRecipient] = field(default_factory=list)

    @property
    def pending(self) -> list[ClaimedRecipient]:
        return [r for r in self.recipients if r.pending]


def claim(request_pk: int, token: str, size: int) -> list[ClaimedMail]:
    """Lease up to `size` due mails of a request that is sending."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Mail.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(request_id=request_pk, request__status=Status.SENDING, status=Status.SENDING,
                    next_attempt_at__lte=now)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .order_by("next_attempt_at", "id")
            .values_list("id", "seq", "attempts", "lease_until", "redelivered", "sent_at")[:size]
        )
        if not rows:
            return []
        ids = [row[0] for row in rows]
        Mail.objects.filter(id__in=ids).update(
            lease_until=now + timedelta(seconds=settings.MAILER_LEASE_SECONDS),
            lease_token=token, attempts=F("attempts") + 1,
        )
        expired = [row[0] for row in rows if row[3] is not None]
        if expired:
            Mail.objects.filter(id__in=expired).update(redelivered=True)
    mails = {
        pk: ClaimedMail(pk, seq, attempts + 1, redelivered or lease is not None, sent_at)
        for pk, seq, attempts, lease, redelivered, sent_at in rows
    }
    for values in Recipient.objects.filter(mail_id__in=ids).order_by("id").values_list(
        "mail_id", "id", "address", "name", "type", "parameters", "result_code", "attempts",
        "first_attempt_at", "possible_duplicate",
    ):
        mails[values[0]].recipients.append(ClaimedRecipient(*values[1:]))
    return [mails[pk] for pk in ids]


class RequestRenderer:
    """A request's content compiled once; renders each mail's message.

    Advertising mail gets the unsubscribe footer (unless the body places #{UNSUBSCRIBE_MESSAGE}
    itself) and the RFC 8058 List-Unsubscribe headers; an individual mail gets its recipient's
    tracking image; attachments are encoded once; mail from a sending domain is DKIM-signed.
    """

    def __init__(self, send_request: SendRequest, *, for_sending: bool = True) -> None:
        request = self.request = send_request
        body = request.body
        self.footer = unsubscribe_footer(request.use_basic_unsubscribe_msg,
                                         request.unsubscribe_message)
        self.text_footer = html_to_text(self.footer).strip()
        if request.advertising and "#{UNSUBSCRIBE_MESSAGE}" not in body:
            body = f"{body}\n#{{UNSUBSCRIBE_MESSAGE}}"
        self.title = CompiledText.compile(request.title)
        self.html = CompiledText.compile(body)
        self.text = CompiledText.compile(html_to_text(body))
        self.parameters = request.parameters or {}
        self.headers = [
            (SandboxMessage.PROJECT_HEADER, request.project.slug),
            ("X-Outbound-Request-ID", request.request_id),
        ]
        self.attachments: list[EncodedAttachment] = []
        self.sign = None
        if for_sending:
            self.attachments = [
                EncodedAttachment.encode(f.file_name, f.content_type, files.read(f))
                for f in files.attachments_for(request.project, request.attach_file_ids)
            ]
            self.sign = signer_for(request.project_id, request.sender_address)

    def message_id(self, mail: ClaimedMail) -> str:
        return f"<{self.request.request_id}.{mail.seq}@{settings.MESSAGE_ID_DOMAIN}>"

    def values(self, recipient) -> tuple[dict[str, str], dict[str, str]]:
        """User and metadata tag values for a recipient (a general send has request values
        only)."""
        request = self.request
        if not request.individual or recipient is None:
            return self.parameters, {}
        url = unsubscribe_url(recipient.pk)
        metadata = metadata_values(
            recipient_name=recipient.name, recipient_address=recipient.address,
            sender_name=request.sender_name, sender_address=request.sender_address,
            unsubscribe_url=url, unsubscribe_message=unsubscribe_message(self.footer, url),
        )
        return merged_parameters(self.parameters, recipient.parameters), metadata

    def render(self, mail: ClaimedMail) -> bytes:
        """The message, signed if the sender's domain has a DKIM key (SigningFailed if that
        fails)."""
        request = self.request
        to = [(r.name, r.address) for r in mail.recipients if r.type == RecipientType.TO]
        cc = [(r.name, r.address) for r in mail.recipients if r.type == RecipientType.CC]
        first = mail.recipients[0]
        user, metadata = self.values(first)
        html = self.html.render(user, metadata)
        headers = list(self.headers)
        if request.individual:
            html = with_pixel(html, first.pk)
            if request.advertising:
                headers += [("List-Unsubscribe", f"<{metadata['UNSUBSCRIBE_URL']}>"),
                            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
        text_metadata = metadata
        if "UNSUBSCRIBE_URL" in metadata:
            text_metadata = {**metadata, "UNSUBSCRIBE_MESSAGE": unsubscribe_message(
                self.text_footer, metadata["UNSUBSCRIBE_URL"])}
        parts = MessageParts(
            sender_address=request.sender_address, sender_name=request.sender_name,
            to=to, cc=cc, subject=self.title.render(user, metadata), html=html,
            text=self.text.render(user, text_metadata), message_id=self.message_id(mail),
            references=request.references_header, headers=headers,
            attachments=self.attachments,
        )
        message = build_message(parts)
        return self.sign(message) if self.sign else message

    def preview_title(self, recipient) -> str:
        return self.title.render(*self.values(recipient), strict=False)

    def preview_body(self, recipient) -> str:
        return self.html.render(*self.values(recipient), strict=False)


_connections: dict[RelaySettings, RelayConnection] = {}


def relay_connection() -> RelayConnection:
    """This process's connection to the relay, opened on first use and kept for the next mails."""
    relay = RelaySettings.from_settings()
    connection = _connections.get(relay)
    if connection is None:
        for old in _connections.values():
            old.close()
        _connections.clear()
        connection = _connections[relay] = RelayConnection(relay)
    return connection


def send_mail(connection: RelayConnection, renderer: RequestRenderer,
              mail: ClaimedMail) -> dict[int, Outcome]:
    """One attempt at one mail: an Outcome for each of its pending recipients."""
    pending = mail.pending
    try:
        message = renderer.render(mail)
    except Unresolved as unresolved:
        failed = Outcome(ResultCode.CONTENT_HAS_TAG_FORM, False, None,
                         f"no value for {unresolved.tag}")
        return {r.pk: failed for r in pending}
    except SigningFailed as error:
        failed = classify_error("dkim", str(error))
        return {r.pk: failed for r in pending}
    except Exception as error:  # a bug or bad data must not stop the batch
        logger.exception("could not build mail %s", mail.pk)
        failed = classify_error("mime", str(error))
        return {r.pk: failed for r in pending}
    by_address = connection.send(renderer.request.sender_address,
                                 [r.address for r in pending], message)
    return {r.pk: by_address[r.address] for r in pending}


def retry_delay(attempts: int, outcomes: list[Outcome]) -> float:
    """Exponential backoff from MAILER_RETRY_BASE_SECONDS; a "retry in N seconds" in the reply
    wins. Capped at MAILER_RETRY_MAX_DELAY_SECONDS."""
    hints = []
    for outcome in outcomes:
        match = _RETRY_HINT.search(outcome.reply_text or "")
        if match:
            unit = 60 if match[2].lower().startswith("m") else 1
            hints.append(int(match[1]) * unit)
    exponential = settings.MAILER_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    delay = max(hints) if hints else exponential
    return float(min(max(delay, 1), settings.MAILER_RETRY_MAX_DELAY_SECONDS))


MAIL_RESULT_FIELDS = ["status", "lease_until", "lease_token", "sent_at", "next_attempt_at"]
RECIPIENT_RESULT_FIELDS = ["result_code", "last_attempt_code", "reply_code", "reply_text",
                           "attempts", "first_attempt_at", "received", "received_at",
                           "possible_duplicate"]


@dataclass
class _Recorded:
    """Rows to write: (pk, *values) in the order of the *_RESULT_FIELDS."""

    mails: list[tuple] = field(default_factory=list)
    recipients: list[tuple] = field(default_factory=list)
    blocks: list[SendBlock] = field(default_factory=list)
    cancelled: int = 0


def _settle_mail(mail: ClaimedMail, outcomes: dict[int, Outcome], now: datetime,
                 block_until: datetime, project_id: int, out: _Recorded,
                 cancelled: bool) -> None:
    max_age = timedelta(hours=settings.MAILER_RETRY_MAX_AGE_HOURS)
    retrying: list[Outcome] = []
    codes: dict[str, int] = {}
    any_sent = False
    for recipient in mail.recipients:
        if not recipient.pending:
            codes[recipient.result_code] = codes.get(recipient.result_code, 0) + 1
            continue
        outcome = outcomes[recipient.pk]
        attempts = recipient.attempts + 1
        first = recipient.first_attempt_at or now
        if outcome.sent:
            code = ResultCode.MAIL_SENT
            any_sent = True
        elif outcome.temporary and cancelled:
            code = ResultCode.CANCELED_MAIL  # the request was cancelled while this was out
            out.cancelled += 1
        elif outcome.temporary and (attempts >= settings.MAILER_RETRY_MAX_ATTEMPTS
                                    or now - first >= max_age):
            code = ResultCode.RESEND_MAIL_FAIL
        elif outcome.temporary:
            code = ResultCode.RESENDING_MAIL
            retrying.append(outcome)
        else:
            code = outcome.code
            if code in HARD_FAILURES:
                out.blocks.append(SendBlock(
                    project_id=project_id, address=recipient.address.strip().lower(),
                    blocked_at=now, blocked_until=block_until, result_code=code,
                    reply_text=outcome.reply_text[:500]))
        codes[code] = codes.get(code, 0) + 1
        out.recipients.append((
            recipient.pk, code, outcome.code, outcome.reply_code,
            (outcome.reply_text or "")[:500], attempts, first, outcome.sent,
            now if outcome.sent else None, recipient.possible_duplicate or mail.redelivered,
        ))
    sent_at = now if any_sent else mail.sent_at
    if retrying:
        retry_at = now + timedelta(seconds=retry_delay(mail.attempts, retrying))
        out.mails.append((mail.pk, Status.SENDING, None, "", sent_at, retry_at))
    else:
        out.mails.append((mail.pk, final_status(codes), None, "", sent_at, now))


def record(send_request: SendRequest, token: str,
           results: list[tuple[ClaimedMail, dict[int, Outcome]]],
           still_claimed: list[int], send_block_hours: int | None = None) -> None:
    """Write a batch of outcomes, for the mails whose lease is still ours; extend the lease of
    the claimed mails not sent yet. The request's status is read each time: a cancel turns
    what would be retried into CANCELED_MAIL."""
    now = timezone.now()
    if send_block_hours is None:
        send_block_hours = MailerSettings.for_project(send_request.project_id).send_block_hours
    block_until = now + timedelta(hours=send_block_hours)
    status = SendRequest.objects.filter(pk=send_request.pk).values_list("status",
                                                                        flat=True).first()
    cancelled = status == Status.CANCELLED
    with transaction.atomic():
        owned = set(Mail.objects.select_for_update().filter(
            id__in=[mail.pk for mail, _ in results], lease_token=token,
        ).values_list("id", flat=True))
        out = _Recorded()
        for mail, outcomes in results:
            if mail.pk in owned:
                _settle_mail(mail, outcomes, now, block_until, send_request.project_id, out,
                             cancelled)
            else:
                logger.warning("lost the lease of mail %s before recording it", mail.pk)
        update_rows(Mail, MAIL_RESULT_FIELDS, out.mails)
        update_rows(Recipient, RECIPIENT_RESULT_FIELDS, out.recipients)
        if out.blocks:
            SendBlock.objects.bulk_create(
                out.blocks, update_conflicts=True, unique_fields=["project", "address"],
                update_fields=["blocked_at", "blocked_until", "result_code", "reply_text"])
            SendBlockHistory.objects.bulk_create([SendBlockHistory(
                project_id=b.project_id, address=b.address, action=SendBlockHistory.Action.BLOCK,
                requester=SendBlockHistory.Requester.SYSTEM, created=now,
                result_code=b.result_code, reply_text=b.reply_text) for b in out.blocks])
        if still_claimed:
            Mail.objects.filter(id__in=still_claimed, lease_token=token).update(
                lease_until=now + timedelta(seconds=settings.MAILER_LEASE_SECONDS))
    if out.cancelled:
        give_back(send_request, out.cancelled)


def finish_if_done(request_pk: int) -> bool:
    """Sending → S / PF / F / U once no mail of the request is waiting; True if finished."""
    if Mail.objects.filter(request_id=request_pk,
                           status__in=[Status.READY, Status.SENDING]).exists():
        return False
    counts = dict(Recipient.objects.filter(request_id=request_pk).values_list("result_code")
                  .annotate(n=Count("id")).values_list("result_code", "n"))
    return bool(SendRequest.objects.filter(pk=request_pk, status=Status.SENDING).update(
        status=final_status(counts), finished_at=timezone.now()))


def nudge_delivery(request_pk: int, tasks: int = 1, countdown: float = 0) -> None:
    from mailer.tasks import deliver_request

    for _ in range(max(tasks, 1)):
        deliver_request.apply_async(kwargs={"request_pk": request_pk}, countdown=countdown)


def deliver(request_pk: int) -> None:
    """Send a request's due mails for up to MAILER_TIME_SLICE_SECONDS, then hand over."""
    send_request = SendRequest.objects.select_related("project").filter(pk=request_pk).first()
    if send_request is None or send_request.status != Status.SENDING:
        return
    renderer = RequestRenderer(send_request)
    send_block_hours = MailerSettings.for_project(send_request.project_id).send_block_hours
    connection = relay_connection()
    token = secrets.token_hex(16)
    deadline = time.monotonic() + settings.MAILER_TIME_SLICE_SECONDS
    flush_size = settings.MAILER_FLUSH_SIZE
    out_of_time = False
    while True:
        if time.monotonic() >= deadline:
            out_of_time = True
            break
        batch = claim(request_pk, token, settings.MAILER_CLAIM_SIZE)
        if not batch:
            break
        SendRequest.objects.filter(pk=request_pk, send_started_at=None).update(
            send_started_at=timezone.now())
        results: list[tuple[ClaimedMail, dict[int, Outcome]]] = []
        last_flush = time.monotonic()
        for index, mail in enumerate(batch):
            results.append((mail, send_mail(connection, renderer, mail)))
            if len(results) >= flush_size or time.monotonic() - last_flush >= 0.5:
                record(send_request, token, results, [m.pk for m in batch[index + 1:]],
                       send_block_hours)
                results = []
                last_flush = time.monotonic()
        if results:
            record(send_request, token, results, [], send_block_hours)
    if out_of_time:
        nudge_delivery(request_pk)  # let other requests' tasks have the worker in between
    elif not finish_if_done(request_pk):
        _schedule_next_attempt(request_pk)


def _schedule_next_attempt(request_pk: int) -> None:
    earliest = Mail.objects.filter(request_id=request_pk, status=Status.SENDING,
                                   lease_until=None).aggregate(at=Min("next_attempt_at"))["at"]
    if earliest is not None:
        wait = (earliest - timezone.now()).total_seconds()
        nudge_delivery(request_pk, countdown=max(wait, 0) + 0.05)
