"""Projects (tenancy), memberships with roles, preferences, API keys, sandbox mail, exports."""

from __future__ import annotations

import base64
import hashlib
import secrets
import string
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from console.sanitize import clean_html


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Project(models.Model):
    """A tenant: it owns requests, templates, address book, unsubscribers, stats and API keys."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    # The language of members who have not chosen one ("": as each one's browser says).
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES, default=""
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def unique_slug(name: str) -> str:
        base = slugify(name, allow_unicode=False)[:80] or "project"
        slug, n = base, 1
        while Project.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        SENDER = "sender", _("Sender")
        VIEWER = "viewer", _("Viewer")

    # Each role includes the rights of the ones below it.
    RANK = {Role.VIEWER: 1, Role.SENDER: 2, Role.ADMIN: 3}

    project = models.ForeignKey(Project, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user")
        ]
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user} in {self.project} ({self.role})"

    def allows(self, role: str) -> bool:
        return self.RANK[self.role] >= self.RANK[role]

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def can_send(self) -> bool:
        return self.allows(self.Role.SENDER)


class Profile(models.Model):
    """A user's own display preferences; blank means "as the project / browser says"."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile")
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    last_project = models.ForeignKey(Project, models.SET_NULL, null=True, blank=True)

    def __str__(self) -> str:
        return f"profile of {self.user}"

    @classmethod
    def for_user(cls, user) -> Profile:
        profile, _created = cls.objects.get_or_create(user=user)
        return profile


def _fernet(secret_key: str) -> Fernet:
    material = f"outbound-api-key:{secret_key}".encode()
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(material).digest()))


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_fernet(key) for key in keys])


def _secret_keys() -> tuple[str, ...]:
    """SECRET_KEY first (it encrypts), then SECRET_KEY_FALLBACKS (they still decrypt)."""
    return (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)


def seal(data: bytes) -> bytes:
    """Encrypt a secret for storage (API secrets, DKIM private keys) with SECRET_KEY."""
    return _fernets(_secret_keys()).encrypt(data)


def unseal(token: bytes) -> bytes | None:
    """The secret again (sealed with SECRET_KEY or one of SECRET_KEY_FALLBACKS), or None."""
    try:
        return _fernets(_secret_keys()).decrypt(token)
    except InvalidToken:
        return None


def reseal(token: bytes) -> bytes | None:
    """The same secret sealed with the current SECRET_KEY (key rotation), or None if no key
    opens it."""
    try:
        return _fernets(_secret_keys()).rotate(token)
    except InvalidToken:
        return None


@lru_cache(maxsize=1024)
def _decrypt(keys: tuple[str, ...], token: bytes) -> str | None:
    """Every API call needs its key's secret: decrypt each stored secret once per process."""
    try:
        return _fernets(keys).decrypt(token).decode()
    except InvalidToken:
        return None


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked=None)


class ApiKey(models.Model):
    """An access key / secret key pair of one user in one project (signature v2).

    The secret is needed in clear to check HMAC signatures, so it is stored sealed (Fernet) with
    a key derived from SECRET_KEY. To change SECRET_KEY, keep the old one in
    SECRET_KEY_FALLBACKS until `manage.py rotate_secrets` has sealed everything again.
    """

    SEALED_FIELDS = ("encrypted_secret",)

    ACCESS_KEY_LENGTH = 20
    SECRET_KEY_LENGTH = 40

    project = models.ForeignKey(Project, models.CASCADE, related_name="api_keys")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100, blank=True)
    access_key = models.CharField(max_length=40, unique=True)
    encrypted_secret = models.BinaryField()
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.access_key

    @classmethod
    def issue(cls, project: Project, user, name: str = "") -> tuple[ApiKey, str]:
        """Create a key pair; the secret is returned once, in clear, for the caller to show."""
        alphabet = string.ascii_letters + string.digits
        access_key = "".join(secrets.choice(alphabet) for _ in range(cls.ACCESS_KEY_LENGTH))
        secret = "".join(secrets.choice(alphabet) for _ in range(cls.SECRET_KEY_LENGTH))
        key = cls.objects.create(
            project=project,
            user=user,
            name=name,
            access_key=access_key,
            encrypted_secret=seal(secret.encode()),
        )
        return key, secret

    @property
    def secret(self) -> str | None:
        return _decrypt(_secret_keys(), bytes(self.encrypted_secret))

    def revoke(self) -> None:
        self.revoked = timezone.now()
        self.save(update_fields=["revoked"])


class SandboxMessage(models.Model):
    """A message received by the built-in SMTP sink, shown in the Sandbox inbox.

    Outbound tags the mail it sends with the X-Outbound-Project header; the sink files each
    message under that project. Untagged mail (sent by other programs) is shown to superusers.
    """

    PROJECT_HEADER = "X-Outbound-Project"

    project = models.ForeignKey(Project, models.CASCADE, null=True, blank=True)
    received = models.DateTimeField(default=timezone.now, db_index=True)
    mail_from = models.CharField(max_length=320)
    rcpt_tos = models.JSONField(default=list)
    subject = models.CharField(max_length=1000, blank=True)
    message_id = models.CharField(max_length=500, blank=True)
    size = models.PositiveIntegerField(default=0)
    raw = models.BinaryField()

    class Meta:
        ordering = ["-received", "-id"]
        indexes = [models.Index(fields=["project", "-received"], name="sandbox_project_received")]

    def __str__(self) -> str:
        return self.subject or self.message_id

    def content(self) -> MessageContent:
        """The message taken apart for display: headers, sanitised HTML, text, attachments."""
        parsed: EmailMessage = message_from_bytes(bytes(self.raw), policy=policy.default)
        headers = [(name, str(parsed[name])) for name in DISPLAY_HEADERS if parsed[name]]
        html_part = parsed.get_body(preferencelist=("html",))
        text_part = parsed.get_body(preferencelist=("plain",))
        attachments = []
        for part in parsed.iter_attachments():
            payload = part.get_payload(decode=True) or b""
            filename = part.get_filename() or "attachment"
            attachments.append(Attachment(
                filename=filename,
                content_type=part.get_content_type(),
                size=len(payload),
                payload=payload,
                content_disposition=content_disposition_header(True, filename),
            ))
        return MessageContent(
            headers=headers,
            html=clean_html(html_part.get_content()) if html_part else "",
            text=text_part.get_content() if text_part else "",
            attachments=attachments,
        )


DISPLAY_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID",
                   "References", "List-Unsubscribe", "List-Unsubscribe-Post",
                   "DKIM-Signature", "Content-Type")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int
    payload: bytes
    content_disposition: str


@dataclass(frozen=True)
class MessageContent:
    headers: list[tuple[str, str]]
    html: str
    text: str
    attachments: list[Attachment] = field(default_factory=list)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


# Every status change of a background job (console/jobs.py), the only table of them: a worker
# claims a queued job, finishes or fails it; a job whose worker stopped reporting is queued
# again or, after its last attempt, failed; what a job produced expires.
JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.QUEUED}),
    JobStatus.DONE: frozenset({JobStatus.EXPIRED}),
    JobStatus.FAILED: frozenset({JobStatus.EXPIRED}),
    JobStatus.EXPIRED: frozenset(),
}


class InvalidJobTransition(ValueError):
    """A job status change that JOB_TRANSITIONS does not have: a bug in the caller."""


class JobQuerySet(models.QuerySet):
    """The status changes of jobs: each a conditional UPDATE that says how many rows moved."""

    def move(self, source: str | Iterable[str], target: str, **fields) -> int:
        sources = [source] if isinstance(source, str) else list(source)
        refused = [s for s in sources if target not in JOB_TRANSITIONS[s]]
        if refused:
            raise InvalidJobTransition(f"{refused[0]} → {target} is not a job status change")
        return self.filter(status__in=sources).update(status=target, **fields)

    def claim(self, now: datetime) -> bool:
        """Queued → running, by one worker only."""
        return bool(self.move(JobStatus.QUEUED, JobStatus.RUNNING, started=now, heartbeat=now,
                              attempts=F("attempts") + 1))

    def beat(self, now: datetime, done: int, total: int | None = None) -> int:
        """The running job's progress, which is also its worker's heartbeat."""
        fields = {"progress_done": done, "heartbeat": now}
        if total is not None:
            fields["progress_total"] = total
        return self.filter(status=JobStatus.RUNNING).update(**fields)

    def finish(self, now: datetime, **fields) -> bool:
        return bool(self.move(JobStatus.RUNNING, JobStatus.DONE, finished=now, heartbeat=now,
                              **self.model.END_FIELDS, **fields))

    def fail(self, now: datetime, error: str, **fields) -> bool:
        return bool(self.move((JobStatus.QUEUED, JobStatus.RUNNING), JobStatus.FAILED,
                              finished=now, heartbeat=now, error=error[:2000],
                              **self.model.END_FIELDS, **fields))

    def stalled(self, now: datetime) -> JobQuerySet:
        return self.filter(status=JobStatus.RUNNING, heartbeat__lt=now - self.model.STALL)

    def requeue(self, now: datetime) -> int:
        """Running → queued again (a stalled job with attempts left)."""
        return self.move(JobStatus.RUNNING, JobStatus.QUEUED, heartbeat=now)

    def expire(self, now: datetime) -> int:
        return self.move((JobStatus.DONE, JobStatus.FAILED), JobStatus.EXPIRED, file="",
                         heartbeat=now)


class Job(models.Model):
    """What every background job has (console/jobs.py runs them): a status of JOB_TRANSITIONS,
    progress as done / total, attempts, the error shown to the user, its times, and the file it
    produced with the time that file expires (downloads: 7 days; imports produce none).

    A concrete job names the task that runs it (TASK, called with job_id=…), how long its worker
    may stay silent before the job counts as stalled (STALL), how often it is tried
    (MAX_ATTEMPTS), the folder of its files under VAR_DIR (FILES_FOLDER) and the fields
    cleared when it ends, done or failed (END_FIELDS, e.g. an upload it no longer needs).
    """

    Status = JobStatus
    TASK = ""
    STALL = timedelta(minutes=5)
    MAX_ATTEMPTS = 3
    FILES_FOLDER = "jobs"
    END_FIELDS: dict = {}
    STATUS_LABELS: dict = {}  # a concrete job's own words for some statuses
    FAILURE_MESSAGE = _("The job failed unexpectedly. Try again.")
    INTERRUPTED_MESSAGE = _("The job was interrupted several times; request it again.")

    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created = models.DateTimeField(_("requested"), default=timezone.now)
    started = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(default=timezone.now)  # the worker's last sign of life
    finished = models.DateTimeField(null=True, blank=True)
    file = models.CharField(max_length=255, blank=True)  # relative to VAR_DIR / FILES_FOLDER
    file_name = models.CharField(max_length=255, blank=True)  # as downloaded
    expires = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        if self.status in (JobStatus.DONE, JobStatus.EXPIRED):
            return 100
        if not self.progress_total:
            return 0
        return min(99, self.progress_done * 100 // self.progress_total)

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @classmethod
    def folder(cls):
        return settings.VAR_DIR / cls.FILES_FOLDER

    @property
    def path(self):
        return self.folder() / self.file

    def is_expired(self, now=None) -> bool:
        return self.status == JobStatus.EXPIRED or (
            self.expires is not None and self.expires <= (now or timezone.now()))

    def is_downloadable(self, now=None) -> bool:
        return self.status == JobStatus.DONE and bool(self.file) and not self.is_expired(now)

    def shown_status(self, now=None) -> str:
        """The status as the user should read it: a file past its time is expired even before
        the sweep has deleted it."""
        status = self.status
        if status == JobStatus.DONE and self.is_expired(now):
            status = JobStatus.EXPIRED
        return self.STATUS_LABELS.get(status) or JobStatus(status).label


def _export_expiry():
    return timezone.now() + Export.LIFETIME


class Export(Job):
    """An Excel file built in the background by an exporter an app registered
    (console/exports.py): listed with its status, downloadable for 7 days, then expired and its
    file deleted."""

    LIFETIME = timedelta(days=7)
    TASK = "console.build_export"
    FILES_FOLDER = "exports"
    STATUS_LABELS = {JobStatus.RUNNING: _("Creating")}
    FAILURE_MESSAGE = _("The file could not be created.")
    INTERRUPTED_MESSAGE = _("The export was interrupted; request it again.")

    project = models.ForeignKey(Project, models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=50)
    params = models.JSONField(default=dict)
    expires = models.DateTimeField(_("expires"), default=_export_expiry)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["project", "kind", "-created"], name="export_by_kind"),
            models.Index(fields=["status", "expires"], name="export_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} export {self.pk}"
