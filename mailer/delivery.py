"""Delivery: claim a batch of a request's due mails with a lease, send each over the reused SMTP
connection, record the outcomes in bulk (retries scheduled, hard failures send-blocked), finish
the request once nothing is waiting.

The database is the source of truth; a Celery message only says "look at request X". A claim is
a conditional UPDATE (SELECT … FOR UPDATE SKIP LOCKED where the database has it) that gives the
worker a lease; results are written only while the lease is still this worker's. A mail whose
lease expired (its worker died) is claimed again and marked `redelivered`, and its recipients
`possible_duplicate`: its first attempt may have reached the relay. Nothing else is sent twice.
No database transaction is open while SMTP talks.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from console.dispatch import enqueue
from mailer import retries, suppression
from mailer.domains import SigningFailed
from mailer.models import (
    WAITING_MAIL_STATUSES,
    Mail,
    MailerSettings,
    Recipient,
    SendRequest,
    Status,
    final_status,
)
from mailer.monthly_limit import give_back
from mailer.rendering import ClaimedMail, ClaimedRecipient, RequestRenderer
from mailer.result_codes import HARD_FAILURES, Outcome, ResultCode, classify_error
from mailer.smtp import RelayConnection, relay_connection
from mailer.substitution import Unresolved

logger = logging.getLogger(__name__)

DELIVER_TASK = "mailer.deliver_request"


def nudge(request_pk: int, tasks: int = 1, countdown: float | None = None) -> None:
    """Ask the workers to deliver the request's due mails (`tasks` of them side by side)."""
    enqueue(DELIVER_TASK, request_pk=request_pk, copies=tasks, countdown=countdown)


def claim(requests: int | Sequence[int], token: str, size: int) -> list[ClaimedMail]:
    """Lease up to `size` due mails of a request that is sending (or of several)."""
    request_pks = [requests] if isinstance(requests, int) else list(requests)
    now = timezone.now()
    until = now + timedelta(seconds=settings.MAILER_LEASE_SECONDS)
    if connection.vendor == "postgresql":
        return _claim_in_one_statement(request_pks, token, size, now, until)
    with transaction.atomic():
        rows = list(
            Mail.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(send_request_id__in=request_pks, send_request__status=Status.SENDING,
                    status=Status.SENDING, next_attempt_at__lte=now)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .order_by("next_attempt_at", "id")
            .values_list("id", "seq", "attempts", "lease_until", "redelivered", "sent_at",
                         "send_request_id")[:size]
        )
        if not rows:
            return []
        ids = [row[0] for row in rows]
        Mail.objects.filter(id__in=ids).update(lease_until=until, lease_token=token,
                                               attempts=F("attempts") + 1)
        expired = [row[0] for row in rows if row[3] is not None]
        if expired:
            Mail.objects.filter(id__in=expired).update(redelivered=True)
    mails = {
        pk: ClaimedMail(pk, seq, attempts + 1, redelivered or lease is not None, sent_at,
                        request_pk=request_pk)
        for pk, seq, attempts, lease, redelivered, sent_at, request_pk in rows
    }
    for values in Recipient.objects.filter(mail_id__in=ids).order_by("id").values_list(
        *CLAIMED_RECIPIENT_FIELDS,
    ):
        mails[values[0]].recipients.append(ClaimedRecipient(*values[1:]))
    return [mails[pk] for pk in ids]


CLAIMED_RECIPIENT_FIELDS = ["mail_id", "id", "address", "name", "type", "parameters",
                            "result_code", "attempts", "first_attempt_at", "possible_duplicate"]

# The lease taken and the recipients read in one round trip (SET sees the row before the
# update: a lease that was there had expired, so the mail is redelivered).
_CLAIM = """
WITH claimed AS (
    UPDATE mailer_mail AS m
    SET lease_until = %(until)s, lease_token = %(token)s, attempts = m.attempts + 1,
        redelivered = m.redelivered OR m.lease_until IS NOT NULL
    WHERE m.id IN (
        SELECT id FROM mailer_mail
        WHERE send_request_id IN (SELECT id FROM mailer_sendrequest
                                  WHERE id = ANY(%(requests)s) AND status = %(sending)s)
          AND status = %(sending)s
          AND next_attempt_at <= %(now)s AND (lease_until IS NULL OR lease_until < %(now)s)
        ORDER BY next_attempt_at, id
        LIMIT %(size)s
        FOR UPDATE SKIP LOCKED
    )
    RETURNING m.id, m.seq, m.attempts, m.redelivered, m.sent_at, m.next_attempt_at,
              m.send_request_id
)
SELECT c.id, c.seq, c.attempts, c.redelivered, c.sent_at, c.send_request_id,
       r.id, r.address, r.name, r.type, r.parameters, r.result_code, r.attempts,
       r.first_attempt_at, r.possible_duplicate
FROM claimed AS c LEFT JOIN mailer_recipient AS r ON r.mail_id = c.id
ORDER BY c.next_attempt_at, c.id, r.id
"""


def _claim_in_one_statement(request_pks: list[int], token: str, size: int, now: datetime,
                            until: datetime) -> list[ClaimedMail]:
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM, {"until": until, "token": token, "requests": request_pks,
                                "sending": Status.SENDING, "now": now, "size": size})
        rows = cursor.fetchall()
    mails: list[ClaimedMail] = []
    for pk, seq, attempts, redelivered, sent_at, request_pk, *recipient in rows:
        if not mails or mails[-1].pk != pk:
            mails.append(ClaimedMail(pk, seq, attempts, redelivered, sent_at,
                                     request_pk=request_pk))
        if recipient[0] is not None:
            if isinstance(recipient[4], str):  # jsonb comes as its text, as the ORM reads it
                recipient[4] = json.loads(recipient[4])
            mails[-1].recipients.append(ClaimedRecipient(*recipient))
    return mails


def send_mails(connection: RelayConnection, renderers: Mapping[int, RequestRenderer],
               mails: list[ClaimedMail]) -> Iterator[tuple[ClaimedMail, dict[int, Outcome]]]:
    """One attempt at each mail, in order: an Outcome for each of its pending recipients.
    `renderers` by request: a claim's mails of one request come together, and each such run
    is rendered first so that the connection can pipeline one mail's envelope behind the
    previous one's message (RelayConnection.send_each)."""
    for request_pk, run in groupby(mails, key=lambda mail: mail.request_pk):
        yield from _send_run(connection, renderers[request_pk], list(run))


def _send_run(connection: RelayConnection, renderer: RequestRenderer,
              mails: list[ClaimedMail]) -> Iterator[tuple[ClaimedMail, dict[int, Outcome]]]:
    rendered = [(mail, _render(renderer, mail)) for mail in mails]
    sender = renderer.request.sender_address
    with closing(connection.send_each(sender, (
        ([r.address for r in mail.pending], message)
        for mail, message in rendered if isinstance(message, bytes)
    ))) as sent:
        for mail, message in rendered:
            if not isinstance(message, bytes):
                yield mail, message
                continue
            by_address = next(sent)
            yield mail, {r.pk: by_address[r.address] for r in mail.pending}


def _render(renderer: RequestRenderer, mail: ClaimedMail) -> bytes | dict[int, Outcome]:
    """The mail's message, or the outcome of each pending recipient if it cannot be built."""
    pending = mail.pending
    try:
        return renderer.render(mail)
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


RECIPIENT_RESULT_FIELDS = ["result_code", "last_attempt_code", "reply_code", "reply_text",
                           "attempts", "first_attempt_at", "received", "received_at",
                           "possible_duplicate", "settled_at"]


@dataclass
class _Settled:
    """One mail's rows to write: (pk, *values) in the order of Mail.SETTLED_FIELDS and of
    RECIPIENT_RESULT_FIELDS; its hard failures to send-block."""

    mail: tuple
    recipients: list[tuple] = field(default_factory=list)
    hard_failures: list[tuple[str, str, str]] = field(default_factory=list)
    cancelled: int = 0


def _settle_mail(mail: ClaimedMail, outcomes: dict[int, Outcome], now: datetime,
                 cancelled: bool) -> _Settled:
    retrying: list[Outcome] = []
    codes: Counter[str] = Counter()
    any_sent = False
    out = _Settled(())
    for recipient in mail.recipients:
        if not recipient.pending:
            codes[recipient.result_code] += 1
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
        elif outcome.temporary and retries.gives_up(attempts, first, now):
            code = ResultCode.RESEND_MAIL_FAIL
        elif outcome.temporary:
            code = ResultCode.RESENDING_MAIL
            retrying.append(outcome)
        else:
            code = outcome.code
            if code in HARD_FAILURES:
                out.hard_failures.append((recipient.address, code, outcome.reply_text))
        codes[code] += 1
        out.recipients.append((
            recipient.pk, code, outcome.code, outcome.reply_code,
            (outcome.reply_text or "")[:500], attempts, first, outcome.sent,
            now if outcome.sent else None, recipient.possible_duplicate or mail.redelivered,
            None if code == ResultCode.RESENDING_MAIL else now,
        ))
    sent_at = now if any_sent else mail.sent_at
    if retrying:
        retry_at = now + timedelta(seconds=retries.retry_delay(mail.attempts, retrying))
        out.mail = (mail.pk, Status.SENDING, None, "", sent_at, retry_at)
    else:
        out.mail = (mail.pk, final_status(codes), None, "", sent_at, now)
    return out


def _cancelled(results: list[tuple[ClaimedMail, dict[int, Outcome]]]) -> set[int]:
    """The requests of these mails that were cancelled, read only when it matters: a cancel
    changes what happens to a temporary failure, nothing else."""
    asked = {mail.request_pk for mail, outcomes in results
             if any(outcome.temporary for outcome in outcomes.values())}
    if not asked:
        return set()
    return set(SendRequest.objects.filter(pk__in=asked, status=Status.CANCELLED)
               .values_list("pk", flat=True))


def record(send_request: SendRequest, token: str,
           results: list[tuple[ClaimedMail, dict[int, Outcome]]],
           still_claimed: list[int], send_block_hours: int | None = None) -> None:
    """Write a batch of outcomes of a request's mails, for the mails whose lease is still ours;
    extend the lease of the claimed mails not sent yet. The request's status is read each time
    a temporary failure is in the batch: a cancel turns what would be retried into
    CANCELED_MAIL."""
    if send_block_hours is None:
        send_block_hours = MailerSettings.for_project(send_request.project_id).send_block_hours
    _record(_Requests({send_request.pk: send_request}, {send_request.project_id:
                                                         send_block_hours}),
            token, results, still_claimed)


@dataclass(frozen=True)
class _Requests:
    """The requests a delivery pass sends for, by pk, and their projects' send-block hours."""

    by_pk: dict[int, SendRequest]
    send_block_hours: dict[int, int]


def _record(requests: _Requests, token: str,
            results: list[tuple[ClaimedMail, dict[int, Outcome]]],
            still_claimed: list[int]) -> None:
    """record() for mails of any of `requests`: one statement for them all."""
    now = timezone.now()
    cancelled = _cancelled(results)
    settled = {mail.pk: _settle_mail(mail, outcomes, now, mail.request_pk in cancelled)
               for mail, outcomes in results}
    request_of = {mail.pk: requests.by_pk[mail.request_pk] for mail, _outcomes in results}
    with transaction.atomic():
        owned = Mail.objects.settle(token, [each.mail for each in settled.values()],
                                    RECIPIENT_RESULT_FIELDS,
                                    {pk: each.recipients for pk, each in settled.items()})
        for pk in settled.keys() - owned:
            logger.warning("lost the lease of mail %s before recording it", pk)
        failures: dict[int, list[tuple[str, str, str]]] = {}
        for pk in owned:
            if settled[pk].hard_failures:
                failures.setdefault(request_of[pk].project_id, []).extend(
                    settled[pk].hard_failures)
        for project_id, project_failures in failures.items():
            suppression.block(project_id, project_failures, now,
                              requests.send_block_hours[project_id])
        if still_claimed:
            Mail.objects.filter(id__in=still_claimed, lease_token=token).update(
                lease_until=now + timedelta(seconds=settings.MAILER_LEASE_SECONDS))
    given_back: Counter[int] = Counter()
    for pk in owned:
        given_back[request_of[pk].pk] += settled[pk].cancelled
    for request_pk, count in given_back.items():
        if count:
            give_back(requests.by_pk[request_pk], count)


RECORD_ATTEMPTS = 3


def record_surely(requests: _Requests, token: str,
                  results: list[tuple[ClaimedMail, dict[int, Outcome]]],
                  still_claimed: list[int]) -> None:
    """_record(), again on a new connection when the database dropped this one (a restart, a
    failover, a terminated backend): the mails are sent, so losing their results would send
    them a second time once their lease expired. The batch is one transaction, so a try that
    failed wrote nothing."""
    for attempt in range(1, RECORD_ATTEMPTS + 1):
        try:
            _record(requests, token, results, still_claimed)
            return
        except (OperationalError, InterfaceError):
            if attempt == RECORD_ATTEMPTS:
                raise
            logger.warning("lost the database connection while recording %d mails of "
                           "requests %s; trying again on a new one", len(results),
                           sorted({mail.request_pk for mail, _outcomes in results}))
            connection.close()
            time.sleep(0.2 * attempt)


def finish_if_done(request_pk: int) -> bool:
    """Sending → S / PF / F / U once no mail of the request is waiting; True if finished."""
    return bool(finish_done([request_pk]))


def finish_done(request_pks: Sequence[int]) -> set[int]:
    """finish_if_done() for several requests, in three statements whatever their number
    (one more for each other final status among them); the ones finished."""
    if not request_pks:
        return set()
    waiting = set(Mail.objects.filter(send_request_id__in=request_pks,
                                      status__in=WAITING_MAIL_STATUSES)
                  .values_list("send_request_id", flat=True).distinct())
    done = [pk for pk in request_pks if pk not in waiting]
    if not done:
        return set()
    counts: dict[int, Counter[str]] = {pk: Counter() for pk in done}
    for request_pk, code, n in (Recipient.objects.filter(send_request_id__in=done)
                                .values_list("send_request_id", "result_code")
                                .annotate(n=Count("id"))
                                .values_list("send_request_id", "result_code", "n")):
        counts[request_pk][code] = n
    by_final: dict[str, list[int]] = {}
    for pk in done:
        by_final.setdefault(final_status(counts[pk]), []).append(pk)
    now = timezone.now()
    finished: set[int] = set()
    for final, pks in by_final.items():
        with transaction.atomic():
            # Which of them move: another worker may have finished one meanwhile.
            still = pks if len(pks) == 1 else list(SendRequest.objects.select_for_update().filter(
                pk__in=pks, status=Status.SENDING).values_list("pk", flat=True))
            if still and SendRequest.objects.filter(pk__in=still).finish(final, now):
                finished.update(still)
    return finished


def start(request_pk: int) -> None:
    """The request goes out: finished at once if nothing is left to send, else the workers
    are nudged (up to MAILER_DELIVERY_TASKS side by side, one a claim's worth of mails)."""
    if finish_if_done(request_pk):
        return
    mails = SendRequest.objects.filter(pk=request_pk).values_list("mail_count", flat=True).get()
    # A task more than there are claims of mails would find nothing left to claim: a request
    # of one mail gets one task, not MAILER_DELIVERY_TASKS.
    claims = -(-mails // settings.MAILER_CLAIM_SIZE)
    nudge(request_pk, max(1, min(settings.MAILER_DELIVERY_TASKS, claims)))


def deliver(request_pk: int) -> None:
    """Send a request's due mails for up to MAILER_TIME_SLICE_SECONDS, then hand over."""
    send_request = SendRequest.objects.select_related("project").filter(pk=request_pk).first()
    if send_request is None or send_request.status != Status.SENDING:
        return
    deliver_together([send_request])


def deliver_together(send_requests: Sequence[SendRequest]) -> None:
    """Send the due mails of these requests (sending, with their project) in one pass: a claim
    takes mails of any of them and a flush writes them all, so that many small requests cost
    about what one request of as many mails does. For up to MAILER_TIME_SLICE_SECONDS; then
    the requests with nothing left are finished, retries are scheduled, and the rest is handed
    over to tasks of their own."""
    by_pk = {r.pk: r for r in send_requests}
    mailer_settings = {project_id: MailerSettings.for_project(project_id)
                       for project_id in {r.project_id for r in send_requests}}
    requests = _Requests(by_pk, {project_id: each.send_block_hours
                                 for project_id, each in mailer_settings.items()})
    signers: dict = {}  # one DKIM lookup a project and sender, not a request
    renderers = {pk: RequestRenderer(r, mailer_settings=mailer_settings[r.project_id],
                                     signers=signers)
                 for pk, r in by_pk.items()}
    pks = list(by_pk)
    connection = relay_connection()
    token = secrets.token_hex(16)
    deadline = time.monotonic() + settings.MAILER_TIME_SLICE_SECONDS
    flush_size = settings.MAILER_FLUSH_SIZE
    claim_size = settings.MAILER_CLAIM_SIZE
    out_of_time = False
    started: set[int] = set()
    while True:
        if time.monotonic() >= deadline:
            out_of_time = True
            break
        batch = claim(pks, token, claim_size)
        if not batch:
            break
        starting = {mail.request_pk for mail in batch} - started
        if starting:
            SendRequest.objects.filter(pk__in=starting, send_started_at=None).update(
                send_started_at=timezone.now())
            started |= starting
        results: list[tuple[ClaimedMail, dict[int, Outcome]]] = []
        last_flush = time.monotonic()
        with closing(send_mails(connection, renderers, batch)) as sent:
            for index, (mail, outcomes) in enumerate(sent):
                results.append((mail, outcomes))
                if len(results) >= flush_size or time.monotonic() - last_flush >= 0.5:
                    record_surely(requests, token, results, [m.pk for m in batch[index + 1:]])
                    results = []
                    last_flush = time.monotonic()
        if results:
            record_surely(requests, token, results, [])
        if len(batch) < claim_size:
            break  # nothing more was due: a retry is scheduled below, not claimed again now
    if out_of_time:
        for pk in pks:
            nudge(pk)  # let other requests' tasks have the worker in between
        return
    for pk in set(pks) - finish_done(pks):
        _schedule_next_attempt(pk)


def _schedule_next_attempt(request_pk: int) -> None:
    earliest = Mail.objects.filter(send_request_id=request_pk, status=Status.SENDING,
                                   lease_until=None).aggregate(at=Min("next_attempt_at"))["at"]
    if earliest is not None:
        wait = (earliest - timezone.now()).total_seconds()
        nudge(request_pk, countdown=max(wait, 0) + 0.05)


def due_requests(now: datetime) -> list[int]:
    """Requests that are sending with a mail due and free (no lease, or one that expired)."""
    due = Mail.objects.filter(status=Status.SENDING, next_attempt_at__lte=now,
                              send_request__status=Status.SENDING).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    return list(due.values_list("send_request_id", flat=True).distinct())
