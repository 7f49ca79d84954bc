"""Send requests, their mails and recipients, templates, the send-block list and idempotency keys.

A SendRequest is what the API or the console accepted. Preparation turns it into Mails (one per
recipient for individual sends, one per 30 To addresses for general sends) and Recipients (one row
per recipient, with its result). A Mail is the unit of delivery: one SMTP transaction per attempt.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

import orjson
from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from addressbook.addresses import normalise_address
from console.bulk import update_rows, update_statement
from console.models import ApiKey, Job, JobStatus, Project
from console.numbers import ascii_digits
from mailer.result_codes import ResultCode


class Status(models.TextChoices):
    """Request and mail status (emailStatus.code)."""

    PREPARING = "P", _("Preparing to send")
    READY = "R", _("Ready to send")
    SENDING = "I", _("Sending")
    SENT = "S", _("Successfully sent")
    PARTIALLY_FAILED = "PF", _("Partially failed")
    FAILED = "F", _("Failed to send")
    UNSUBSCRIBED = "U", _("Unsubscribe")
    CANCELLED = "C", _("Cancel send")


FINAL_STATUSES = frozenset({Status.SENT, Status.PARTIALLY_FAILED, Status.FAILED,
                            Status.UNSUBSCRIBED, Status.CANCELLED})
OPEN_STATUSES = (Status.PREPARING, Status.READY, Status.SENDING)
WAITING_MAIL_STATUSES = (Status.READY, Status.SENDING)

# Every status change there is (DESIGN §4): the only table of them. A request is prepared
# (P → R waiting for its time or a confirmation, P → I), dispatched (R → I), finished (I → a final
# status) or cancelled (P, R, I → C); a mail is dispatched with its request (R → I), settled when
# no recipient is pending (I → final), or cancelled (R, I → C). Final statuses never change.
_FINISHED = {Status.SENT, Status.PARTIALLY_FAILED, Status.FAILED, Status.UNSUBSCRIBED,
             Status.CANCELLED}
REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PREPARING: frozenset({Status.READY, Status.SENDING, Status.CANCELLED}),
    Status.READY: frozenset({Status.SENDING, Status.CANCELLED}),
    Status.SENDING: frozenset(_FINISHED),
    **{status: frozenset() for status in FINAL_STATUSES},
}
MAIL_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PREPARING: frozenset(),  # mails are created Ready or Sending
    Status.READY: frozenset({Status.SENDING, Status.CANCELLED}),
    Status.SENDING: frozenset(_FINISHED),
    **{status: frozenset() for status in FINAL_STATUSES},
}


class InvalidTransition(ValueError):
    """A status change that the transition table does not have: a bug in the caller."""


def _sources(table: dict[str, frozenset[str]], source, target: str) -> list[str]:
    sources = [source] if isinstance(source, str) else list(source)
    refused = [s for s in sources if target not in table[s]]
    if refused:
        raise InvalidTransition(f"{refused[0]} → {target} is not a status change there is")
    return sources


def final_status(counts: Mapping[str, int]) -> Status:
    """A request's or mail's final status from its recipients' result codes (DESIGN §5)."""
    total = sum(counts.values())
    sent = counts.get(ResultCode.MAIL_SENT, 0)
    unsubscribed = counts.get(ResultCode.UNSUBSCRIBE_ADDRESS, 0)
    if total and unsubscribed == total:
        return Status.UNSUBSCRIBED
    if total and counts.get(ResultCode.CANCELED_MAIL, 0) == total:
        return Status.CANCELLED
    if sent + unsubscribed == total:
        return Status.SENT
    if sent == 0:
        return Status.FAILED
    return Status.PARTIALLY_FAILED


class Reservation(models.TextChoices):
    """reservationStatus of a mail: sent at a reserved time or at once."""

    SCHEDULED = "Y", _("Scheduled send")
    IMMEDIATE = "N", _("Immediate send")


class Tool(models.TextChoices):
    CONSOLE = "CONSOLE", "CONSOLE"
    API = "API", "API"


class TemplateCategory(models.Model):
    """A folder of templates; categories nest (parent None is the root, -1 in the API)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="template_categories")
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True,
                               related_name="children")
    name = models.CharField(_("category name"), max_length=100)
    position = models.PositiveIntegerField(default=0)  # order among its siblings
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "parent", "name"],
                                    name="template_category_unique_name"),
            models.UniqueConstraint(fields=["project", "name"], condition=Q(parent=None),
                                    name="template_category_unique_root_name"),
        ]

    def __str__(self) -> str:
        return self.name


class BodyType(models.TextChoices):
    """How the body is written: in the rich-text editor, as HTML source, or as plain text."""

    EDITOR = "EDITOR", _("Editor")
    HTML = "HTML", "HTML"
    TEXT = "TEXT", "TEXT"


class TemplateQuerySet(models.QuerySet):
    def alive(self) -> TemplateQuerySet:
        return self.filter(deleted=None)


class Template(models.Model):
    """A reusable mail: sender, subject and body (templateSid in the API), in a category, in
    use or not, deleted softly (restorable) before it is deleted for good."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="templates")
    category = models.ForeignKey(TemplateCategory, models.PROTECT, null=True, blank=True,
                                 related_name="templates")
    name = models.CharField(_("template name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    sender_address = models.CharField(_("sender address"), max_length=320, blank=True)
    sender_name = models.CharField(_("sender name"), max_length=69, blank=True)
    title = models.CharField(_("subject"), max_length=500, blank=True)
    body = models.TextField(_("body"), blank=True)
    body_type = models.CharField(_("body type"), max_length=8, choices=BodyType.choices,
                                 default=BodyType.EDITOR)
    is_use = models.BooleanField(_("in use"), default=True)
    position = models.PositiveIntegerField(default=0)  # order among the category's templates
    deleted = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name", "id"]
        indexes = [models.Index(fields=["project", "name"], name="template_project_name")]
        constraints = [
            # A name is taken only by a template that is not deleted.
            models.UniqueConstraint(fields=["project", "name"], condition=Q(deleted=None),
                                    name="template_unique_live_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateExport(Job):
    """A file of templates (JSON) built in the background, downloadable for 7 days."""

    LIFETIME = timedelta(days=7)
    TASK = "mailer.build_template_export"
    FILES_FOLDER = "template-exports"
    STATUS_LABELS = {JobStatus.RUNNING: _("Creating")}
    FAILURE_MESSAGE = _("The file could not be created.")

    project = models.ForeignKey(Project, models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    template_ids = models.JSONField(default=list, blank=True)  # empty: every template

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"template export {self.pk}"


class TemplateImport(Job):
    """An export file read back in the background: every template checked, all imported in one
    transaction or none."""

    TASK = "mailer.run_template_import"
    END_FIELDS = {"content": None}
    STATUS_LABELS = {JobStatus.RUNNING: _("Importing"), JobStatus.DONE: _("Done")}
    FAILURE_MESSAGE = _("The import failed unexpectedly. Try again.")

    project = models.ForeignKey(Project, models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    content = models.BinaryField(null=True, blank=True)  # the uploaded file until it is read
    imported = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.file_name or f"template import {self.pk}"


class BulkSendFile(Job):
    """The composer's "Send bulk mails via file upload": an uploaded input template read and
    checked in the background, row by row; once clean, its recipients (with their tag values)
    are what the send takes."""

    TASK = "mailer.check_bulk_send_file"
    END_FIELDS = {"content": None}
    STATUS_LABELS = {JobStatus.RUNNING: _("Checking"), JobStatus.DONE: _("Checked")}
    FAILURE_MESSAGE = _("The file could not be read. Try again.")

    project = models.ForeignKey(Project, models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    content = models.BinaryField(null=True, blank=True)  # the upload until it is read
    columns = models.JSONField(default=list)  # the tag columns the file has
    rows = models.PositiveIntegerField(default=0)  # the recipients of a clean file
    problems = models.JSONField(default=list)  # the first [row, column, message] of a refused one
    # The recipients of a clean file, as SendRequest.payload stores them (zlib JSON).
    recipients = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.file_name or f"bulk send file {self.pk}"


class SendRequestQuerySet(models.QuerySet):
    def from_sender(self, address: str) -> SendRequestQuerySet:
        """Case-insensitively, through the (project, lower(sender_address)) index."""
        return self.alias(sender_lower=Lower("sender_address")).filter(
            sender_lower=normalise_address(address))

    # The status changes of a request: each a conditional UPDATE that says whether it applied.

    def move(self, source: str | Iterable[str], target: str, **fields) -> int:
        """Move the rows that are in `source` to `target` (a change REQUEST_TRANSITIONS has, or
        InvalidTransition); the number of rows moved."""
        sources = _sources(REQUEST_TRANSITIONS, source, target)
        return self.filter(status__in=sources).update(status=target, **fields)

    def finish_preparation(self, *, wait: bool, now: datetime) -> bool:
        """P → R (waiting for a reservation or a confirmation) or P → I, the recipients counted
        and the accepted payload dropped."""
        return bool(self.move(Status.PREPARING, Status.READY if wait else Status.SENDING,
                              ready_at=now, recipient_count=F("prepared_recipients"),
                              payload=None))

    def dispatch(self, now: datetime) -> bool:
        """R → I: sent now, or its reservation came due."""
        return bool(self.move(Status.READY, Status.SENDING, dispatched_at=now))

    def cancel(self, now: datetime) -> bool:
        """P, R or I → C."""
        return bool(self.move(OPEN_STATUSES, Status.CANCELLED, cancelled_at=now, payload=None))

    def finish(self, final: str, now: datetime) -> bool:
        """I → S, PF, F or U once no mail is waiting."""
        return bool(self.move(Status.SENDING, final, finished_at=now))


class SendRequestManager(models.Manager.from_queryset(SendRequestQuerySet)):
    """Leaves the recipients payload out of every query unless it is asked for by name."""

    def get_queryset(self) -> SendRequestQuerySet:
        return super().get_queryset().defer("payload")


class SendRequest(models.Model):
    # No index of its own: every index below starts with the project. With one, a project whose
    # rows the statistics have not seen yet was read whole through it, for a page or a request.
    project = models.ForeignKey(Project, models.CASCADE, related_name="send_requests",
                                db_index=False)
    request_id = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=2, choices=Status.choices, default=Status.PREPARING)
    tool = models.CharField(max_length=8, choices=Tool.choices)
    requester_ip = models.GenericIPAddressField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    api_key = models.ForeignKey(ApiKey, models.SET_NULL, null=True, blank=True, related_name="+")

    template = models.ForeignKey(Template, models.SET_NULL, null=True, blank=True,
                                 related_name="send_requests")
    template_name = models.CharField(max_length=100, blank=True)
    sender_address = models.CharField(max_length=320)
    sender_name = models.CharField(max_length=69, blank=True)
    title = models.CharField(max_length=1000)
    body = models.TextField()
    individual = models.BooleanField(default=True)
    advertising = models.BooleanField(default=False)
    confirm_and_send = models.BooleanField(default=False)
    parameters = models.JSONField(default=dict, blank=True)
    references_header = models.CharField(max_length=1000, blank=True)
    use_basic_unsubscribe_msg = models.BooleanField(default=True)
    unsubscribe_message = models.TextField(blank=True)
    attach_file_ids = models.JSONField(default=list, blank=True)
    recipient_group_filter = models.JSONField(null=True, blank=True)

    created = models.DateTimeField(default=timezone.now)  # the request date
    reservation_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)  # R → I, by time or by hand
    send_started_at = models.DateTimeField(null=True, blank=True)  # the send date
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Preparation progress, committed with each chunk so a successor resumes after a crash: the
    # position in the payload (or the last address ID of a group combination) and the count.
    prepare_cursor = models.BigIntegerField(default=0)
    prepared_recipients = models.PositiveIntegerField(default=0)
    prepare_heartbeat = models.DateTimeField(null=True, blank=True)

    recipient_count = models.PositiveIntegerField(default=0)
    mail_count = models.PositiveIntegerField(default=0)  # requestCount
    # Recipients counted against the monthly limit when accepted (given back on cancel).
    counted_recipients = models.PositiveIntegerField(default=0)
    counted_changed_at = models.DateTimeField(null=True, blank=True)  # the last give-back
    opened_count = models.PositiveIntegerField(default=0)  # first opens only
    # The recipients as accepted (zlib-compressed JSON) until preparation has made them rows:
    # in the request's own row, so accepting is one INSERT, and written far faster than jsonb.
    payload = models.BinaryField(null=True, blank=True, editable=False)

    objects = SendRequestManager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            # With the id, a page in the lists' order (newest first, then the id) reads its own
            # rows only, not every row of the period sorted.
            models.Index(fields=["project", "-created", "-id"], name="request_project_newest"),
            models.Index(fields=["project", "status", "-created"], name="request_project_status"),
            models.Index(F("project"), Lower("sender_address"), F("created").desc(),
                         name="request_project_sender"),
            models.Index(fields=["project", "template", "-created"],
                         name="request_project_template"),
            models.Index(fields=["project", "tool", "-created"], name="request_project_tool"),
            models.Index(fields=["status"], name="request_open_status",
                         condition=Q(status__in=["P", "R", "I"])),
            # What waits for a worker to prepare it, oldest first (preparation._take_small): an
            # index scan skips the entries of rows already taken, which a bitmap scan of
            # request_open_status visits again until the next vacuum.
            models.Index(fields=["id"], name="request_waiting",
                         condition=Q(status="P", prepare_heartbeat__isnull=True)),
            # What statistics read since their watermark (stats/rollups.py).
            models.Index(fields=["ready_at"], name="request_ready_at",
                         condition=Q(ready_at__isnull=False)),
            models.Index(fields=["cancelled_at"], name="request_cancelled_at",
                         condition=Q(cancelled_at__isnull=False)),
            models.Index(fields=["counted_changed_at"], name="request_counted_changed_at",
                         condition=Q(counted_changed_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.request_id

    @staticmethod
    def new_request_id(moment: datetime | None = None) -> str:
        """20 digits: the UTC time of the request to the microsecond (sortable by time).
        Two requests in the same microsecond collide on the unique index: see acceptance."""
        moment = moment or timezone.now()
        return f"{moment:%Y%m%d%H%M%S}{moment.microsecond:06d}"

    @staticmethod
    def encode_payload(recipients: list[dict]) -> bytes:
        return zlib.compress(orjson.dumps(recipients), 1)

    def recipients_payload(self) -> list[dict]:
        if "payload" in self.get_deferred_fields():  # the manager leaves it out
            data = SendRequest.objects.filter(pk=self.pk).values_list("payload", flat=True).first()
        else:
            data = self.payload
        return orjson.loads(zlib.decompress(bytes(data))) if data else []

    LATE_AFTER = timedelta(minutes=1)

    @property
    def late_by(self) -> timedelta | None:
        """How late a reservation went out (the service was down when it came due)."""
        if self.reservation_at and self.dispatched_at:
            late = self.dispatched_at - self.reservation_at
            if late > self.LATE_AFTER:
                return late
        return None

    @property
    def send_duration(self) -> timedelta | None:
        if self.send_started_at and self.finished_at:
            return self.finished_at - self.send_started_at
        return None


class RequestHourCount(models.Model):
    """How many send requests a project has in each hour (UTC), kept by PostgreSQL triggers on
    SendRequest's table (migration 0013), so that a period's count reads its whole hours here
    and only the rows of its two edges (mailer.request_counts). Not kept on SQLite."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="+", db_index=False)
    hour = models.DateTimeField()
    count = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "hour"],
                                               name="request_hour_count_key")]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h: {self.count}"


class MailQuerySet(models.QuerySet):
    def move(self, source: str | Iterable[str], target: str, **fields) -> int:
        """Move the mails that are in `source` to `target` (a change MAIL_TRANSITIONS has, or
        InvalidTransition); the number of mails moved."""
        sources = _sources(MAIL_TRANSITIONS, source, target)
        return self.filter(status__in=sources).update(status=target, **fields)

    def dispatch(self, now: datetime) -> int:
        """R → I with their request: claimable from now on."""
        return self.move(Status.READY, Status.SENDING, next_attempt_at=now)

    def cancel(self) -> int:
        """R or I → C, the lease given up."""
        return self.move(WAITING_MAIL_STATUSES, Status.CANCELLED, lease_until=None,
                         lease_token="")

    def settle(self, token: str, rows: Sequence[tuple], recipient_fields: Sequence[str] = (),
               recipients: Mapping[int, Sequence[tuple]] | None = None) -> set[int]:
        """Write what one round of delivery decided, for mails that are Sending and still leased
        with `token`: rows of (pk, status, lease_until, lease_token, sent_at, next_attempt_at),
        where the status is Sending again (a retry is scheduled) or final. With them, the
        results of those mails' recipients: `recipients` maps a mail's pk to rows of (pk, values
        of `recipient_fields`). Returns the pks of the mails written (call in a transaction)."""
        for row in rows:
            if row[1] != Status.SENDING:
                _sources(MAIL_TRANSITIONS, Status.SENDING, row[1])
        if not rows:
            return set()
        where = {"lease_token": token, "status": Status.SENDING}
        recipients = recipients or {}
        recipient_rows = [each for row in rows for each in recipients.get(row[0], ())]
        if connection.vendor == "postgresql":
            # One statement, no lock taken first: the mails' UPDATE … RETURNING tells (and
            # locks) which are still ours, and only their recipients are written.
            sql, params = update_statement(Mail, Mail.SETTLED_FIELDS, rows, where)
            sql = f"WITH settled AS ({sql} RETURNING t.id)"
            if recipient_rows:
                written, more = update_statement(
                    Recipient, recipient_fields, recipient_rows,
                    also=' AND t."mail_id" IN (SELECT id FROM settled)')
                sql, params = f"{sql}, written AS ({written})", [*params, *more]
            with connection.cursor() as cursor:
                cursor.execute(f"{sql} SELECT id FROM settled", params)  # noqa: S608
                return {pk for (pk,) in cursor.fetchall()}
        owned = set(self.select_for_update().filter(id__in=[row[0] for row in rows], **where)
                    .values_list("id", flat=True))
        update_rows(Mail, Mail.SETTLED_FIELDS, [row for row in rows if row[0] in owned], where)
        update_rows(Recipient, recipient_fields,
                    [each for pk in owned for each in recipients.get(pk, ())])
        return owned


class Mail(models.Model):
    """One message of a request: the unit of delivery (claimed with a lease)."""

    # Indexed by the (send_request, seq) constraint. No database constraint: only preparation
    # inserts mails (COPY), for a request it just read, and checking 100,000 references at
    # commit took a third of the preparation (docs/decisions.md). Django cascades deletes.
    send_request = models.ForeignKey(SendRequest, models.CASCADE, related_name="mails",
                                     db_index=False, db_constraint=False)
    seq = models.PositiveIntegerField()
    status = models.CharField(max_length=2, choices=Status.choices, default=Status.READY)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Claimed again after a lease expired: the first attempt may have been delivered.
    redelivered = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = MailQuerySet.as_manager()

    SETTLED_FIELDS = ("status", "lease_until", "lease_token", "sent_at", "next_attempt_at")

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["send_request", "seq"], name="mail_unique_seq"),
        ]
        indexes = [
            models.Index(fields=["send_request", "status"], name="mail_request_status"),
            models.Index(fields=["send_request", "next_attempt_at"], name="mail_claimable",
                         condition=Q(status="I")),
        ]

    def __str__(self) -> str:
        return self.mail_id

    @property
    def mail_id(self) -> str:
        return format_mail_id(self.send_request.request_id, self.seq)


def format_mail_id(request_id: str, seq: int) -> str:
    return f"{request_id}{seq:08d}"


def parse_mail_id(mail_id: str) -> tuple[str, int] | None:
    """`request ID + 8-digit sequence` → (request ID, seq), or None if it is not one."""
    if len(mail_id) != 28 or not ascii_digits(mail_id):
        return None
    return mail_id[:20], int(mail_id[20:])


class RecipientType(models.TextChoices):
    TO = "R", _("To")
    CC = "C", _("Cc")
    BCC = "B", _("Bcc")


class RecipientQuerySet(models.QuerySet):
    def to_address(self, address: str) -> RecipientQuerySet:
        """Case-insensitively, through the (project, lower(address)) index."""
        return self.alias(address_lower=Lower("address")).filter(
            address_lower=normalise_address(address))


class Recipient(models.Model):
    # project and send_request are indexed by the composite indexes below; mail by its FK.
    # No database constraints, as for Mail.send_request: preparation alone inserts them.
    project = models.ForeignKey(Project, models.CASCADE, related_name="+", db_index=False,
                                db_constraint=False)
    send_request = models.ForeignKey(SendRequest, models.CASCADE, related_name="recipients",
                                     db_index=False, db_constraint=False)
    mail = models.ForeignKey(Mail, models.CASCADE, related_name="recipients",
                             db_constraint=False)
    requested_at = models.DateTimeField()  # the request's date, for lists by recipient
    address = models.CharField(max_length=320)
    name = models.CharField(max_length=69, blank=True)
    type = models.CharField(max_length=1, choices=RecipientType.choices, default=RecipientType.TO)
    parameters = models.JSONField(null=True, blank=True)
    result_code = models.CharField(max_length=32, choices=ResultCode.choices, blank=True)
    # What the last attempt was classified as, e.g. SMTP_ABNORMAL while RESENDING_MAIL.
    last_attempt_code = models.CharField(max_length=32, choices=ResultCode.choices, blank=True)
    reply_code = models.PositiveSmallIntegerField(null=True, blank=True)
    reply_text = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    received = models.BooleanField(default=False)
    received_at = models.DateTimeField(null=True, blank=True)
    possible_duplicate = models.BooleanField(default=False)
    opened_at = models.DateTimeField(null=True, blank=True)  # the first open
    # When this recipient used its mail's unsubscribe link (the first time).
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # When its result became final (a code that no longer changes): what statistics count from.
    settled_at = models.DateTimeField(null=True, blank=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["send_request", "result_code"],
                         name="recipient_request_result"),
            models.Index(fields=["project", "-requested_at"], name="recipient_project_date"),
            models.Index(F("project"), Lower("address"), F("requested_at").desc(),
                         name="recipient_project_address"),
            # What statistics read since their watermark (stats/rollups.py).
            models.Index(fields=["settled_at"], name="recipient_settled_at",
                         condition=Q(settled_at__isnull=False)),
            models.Index(fields=["opened_at"], name="recipient_opened_at",
                         condition=Q(opened_at__isnull=False)),
            models.Index(fields=["unsubscribed_at"], name="recipient_unsubscribed_at",
                         condition=Q(unsubscribed_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def retry_count(self) -> int:
        return max(self.attempts - 1, 0)


class SendBlock(models.Model):
    """An address that hard-failed: later sends to it get SEND_BLOCK_ADDRESS until it expires.

    As in the reference, the list is shared by every project of the installation: an address
    that hard-bounced for one project is blocked for all. `project` is the one whose send (or
    member) put it there; it decides the block time and is never shown to other projects."""

    project = models.ForeignKey(Project, models.SET_NULL, null=True, blank=True,
                                related_name="+")
    address = models.CharField(max_length=320)
    blocked_at = models.DateTimeField(default=timezone.now)
    blocked_until = models.DateTimeField()
    result_code = models.CharField(max_length=32, choices=ResultCode.choices, blank=True)
    reply_text = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-blocked_at"]
        constraints = [
            models.UniqueConstraint(fields=["address"], name="send_block_unique_address"),
        ]
        indexes = [models.Index(fields=["blocked_until"], name="send_block_expiry")]

    def __str__(self) -> str:
        return self.address


class SendBlockHistory(models.Model):
    """What happened to an address on the send-block list (GET /send-block): blocks created
    (a hard bounce, or by hand) and deleted (by hand, or expired)."""

    class Action(models.TextChoices):  # HistoryActionType
        CREATE = "C", _("Create")
        DELETE = "D", _("Delete")

    class Requester(models.TextChoices):
        PROJECT = "PROJECT", _("Project")  # a project's send or member: see requester_type
        SYSTEM = "SYSTEM", _("System")  # the block expired
        ADMIN = "ADMIN", _("Admin")  # the installation's administrators

    project = models.ForeignKey(Project, models.SET_NULL, null=True, blank=True,
                                related_name="+")
    address = models.CharField(max_length=320)
    action = models.CharField(max_length=1, choices=Action.choices)
    requester = models.CharField(max_length=8, choices=Requester.choices)
    created = models.DateTimeField(default=timezone.now)
    result_code = models.CharField(max_length=32, choices=ResultCode.choices, blank=True)
    reply_text = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["address", "-created"],
                                name="send_block_history_of_address")]

    def __str__(self) -> str:
        return f"{self.action} {self.address}"

    def requester_type(self, viewer_project_id: int) -> RequesterType:
        """Who asked, as the project looking at it may know: itself, another customer (never
        which), the system or the administrators."""
        if self.requester == self.Requester.PROJECT:
            return (RequesterType.CUSTOMER if self.project_id == viewer_project_id
                    else RequesterType.OTHER_CUSTOMER)
        return RequesterType(self.requester)


class RequesterType(models.TextChoices):
    """RequesterType of the reference's send-block history."""

    CUSTOMER = "CUSTOMER", _("Customer")
    OTHER_CUSTOMER = "OTHER_CUSTOMER", _("Other customer")
    SYSTEM = "SYSTEM", _("System")
    ADMIN = "ADMIN", _("Admin")


class Unsubscriber(models.Model):
    """An address that advertising mail of the project is no longer sent to."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="unsubscribers")
    address = models.CharField(max_length=320)
    created = models.DateTimeField(default=timezone.now)  # blockDate
    is_reg_by_manager = models.BooleanField(default=False)
    send_request = models.ForeignKey(SendRequest, models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "address"], name="unsubscriber_unique"),
        ]
        indexes = [models.Index(fields=["project", "-created"], name="unsubscriber_by_date")]

    def __str__(self) -> str:
        return self.address


class MailerSettings(models.Model):
    """A project's sending settings (POST /config, Settings screen)."""

    DEFAULT_SEND_BLOCK_HOURS = 168
    DEFAULT_MONTHLY_LIMIT = 1_000_000
    DEFAULT_RECIPIENT_LANGUAGE = "ko"

    project = models.OneToOneField(Project, models.CASCADE, primary_key=True,
                                   related_name="mailer_settings")
    send_block_hours = models.PositiveIntegerField(default=DEFAULT_SEND_BLOCK_HOURS)
    monthly_limit = models.PositiveIntegerField(default=DEFAULT_MONTHLY_LIMIT)
    # What recipients read: the basic unsubscribe notice of advertising mail and the unsubscribe
    # pages. Korean by default, as the law behind the (광고) label expects.
    recipient_language = models.CharField(_("language of recipients"), max_length=8,
                                          choices=settings.LANGUAGES,
                                          default=DEFAULT_RECIPIENT_LANGUAGE)

    def __str__(self) -> str:
        return f"settings of project {self.project_id}"

    @classmethod
    def for_project(cls, project_id: int) -> MailerSettings:
        found = cls.objects.filter(project_id=project_id).first()
        return found or cls(project_id=project_id)


class MonthlyUsage(models.Model):
    """Recipients accepted in a calendar month (project time zone), against the limit."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    accepted = models.PositiveIntegerField(default=0)
    limit = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="monthly_usage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.month:%Y-%m}: {self.accepted}/{self.limit}"


class AttachmentFile(models.Model):
    """A file uploaded with POST /files, attached to mails by its fileId."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="+")
    temp_request_id = models.CharField(max_length=40, db_index=True)
    file_id = models.CharField(max_length=40, unique=True)
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    path = models.CharField(max_length=500)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name


class SendingDomain(models.Model):
    """A domain the project sends from, with the DKIM key that signs its mail."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="sending_domains")
    domain = models.CharField(_("domain"), max_length=253)
    selector = models.CharField(max_length=63)
    encrypted_private_key = models.BinaryField()
    public_key = models.TextField()  # Base64 DER, the p= of the DKIM record
    created = models.DateTimeField(default=timezone.now)

    SEALED_FIELDS = ("encrypted_private_key",)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["project", "domain"], name="sending_domain_unique"),
        ]

    def __str__(self) -> str:
        return self.domain


class IdempotencyKey(models.Model):
    """The first answer to a POST /mails with an Idempotency-Key, replayed for 24 hours."""

    LIFETIME = timedelta(hours=24)

    project = models.ForeignKey(Project, models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    created = models.DateTimeField(default=timezone.now)
    send_request = models.ForeignKey(SendRequest, models.CASCADE, null=True, related_name="+")
    response = models.JSONField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="idempotency_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key
