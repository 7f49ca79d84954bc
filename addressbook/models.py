"""Addresses (unique per project, normalised), recipient groups, group membership, the address
book's own row (its write lock and address count) and background imports."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from console.models import Job, JobStatus, Project

# 1 to 100 characters of Hangul (syllables and jamo), letters, digits, ".", "_" and "-".
GROUP_NAME = re.compile(r"^[0-9A-Za-z\u1100-\u11FF\u3130-\u318F\uAC00-\uD7A3._-]{1,100}\Z")
GROUP_NAME_RULE = _("A group name is 1 to 100 characters of Hangul, letters, digits, "
                    "periods (.), underscores (_) and hyphens (-).")


def validate_group_name(name: str) -> None:
    if not GROUP_NAME.match(name or ""):
        raise ValidationError(GROUP_NAME_RULE, code="group_name")


class AddressBook(models.Model):
    """A project's address book as a whole. Every write locks this row first (book.py), so the
    counts of the group tree, kept here and on each group, change exactly with the rows
    written and the page never has to count a million rows."""

    project = models.OneToOneField(Project, models.CASCADE, primary_key=True,
                                   related_name="address_book")
    address_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"address book of {self.project}"

    @classmethod
    def lock(cls, project: Project) -> AddressBook:
        """The project's row, locked until the surrounding transaction ends."""
        cls.objects.get_or_create(project=project)
        return cls.objects.select_for_update().get(project=project)

    @classmethod
    def address_count_of(cls, project: Project) -> int:
        return (cls.objects.filter(project=project).values_list("address_count", flat=True)
                .first() or 0)


class Address(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="addresses")
    address = models.CharField(_("address"), max_length=320)
    created = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "address"],
                                    name="address_unique_per_project")
        ]
        ordering = ["address"]
        # PostgreSQL also gets (project, address varchar_pattern_ops) for prefix search; see
        # migration 0001 (SQLite has no operator classes).

    def __str__(self) -> str:
        return self.address


class RecipientGroup(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="recipient_groups")
    name = models.CharField(_("group name"), max_length=100, validators=[validate_group_name])
    created = models.DateTimeField(default=timezone.now)
    # Kept by book.py under the address book's lock: the tree shows it without counting.
    address_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="group_unique_name")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """An address in a group. The primary key (group, address) lists a group's members;
    (address, group) finds the groups of an address and answers the combinations' probes.

    Only book.py writes these rows, set-based and under the address book's lock: it joins new
    members from existing addresses and deletes them before their group or address. So the
    database keeps no foreign-key constraints here: PostgreSQL checks those row by row, which
    cost 0.9 s per 100,000 imported memberships (docs/benchmarks.md, B5).
    """

    pk = models.CompositePrimaryKey("group", "address")
    # No index of their own: the primary key and group_member_by_address start with them.
    group = models.ForeignKey(RecipientGroup, models.CASCADE, db_constraint=False,
                              db_index=False)
    # DO_NOTHING: book.py deletes memberships set-based before their addresses; Django's
    # cascade would first fetch every address of a million-row reset into memory.
    address = models.ForeignKey(Address, models.DO_NOTHING, db_constraint=False,
                                db_index=False)

    class Meta:
        indexes = [models.Index(fields=["address", "group"], name="group_member_by_address")]

    def __str__(self) -> str:
        return f"{self.address_id} in {self.group_id}"


class AddressImport(Job):
    """Addresses registered in the background, on the job kit: an uploaded CSV or Excel file, or
    the addresses of a POST /address-book (answered before they are written, like the cloud
    mailer's). `file_name` is the name of the uploaded file; an import produces no file."""

    TASK = "addressbook.run_import"
    # The upload is only needed until the import has run.
    END_FIELDS = {"content": None}
    STATUS_LABELS = {JobStatus.RUNNING: _("Importing"), JobStatus.DONE: _("Done")}
    FAILURE_MESSAGE = _("The import failed unexpectedly. Try again.")
    INTERRUPTED_MESSAGE = _("The import was interrupted several times.")

    class Source(models.TextChoices):
        FILE = "file", _("File upload")
        API = "api", _("API")

    project = models.ForeignKey(Project, models.CASCADE, related_name="address_imports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    file_kind = models.CharField(max_length=10, blank=True)  # csv or xlsx
    # The upload itself (≤ 10 MB), in the database so that a worker on any machine can read
    # it; cleared once the import has run.
    content = models.BinaryField(null=True, blank=True)
    group_name = models.CharField(max_length=100, blank=True)  # shown while it runs
    # File: {"group": sid or None}. API: {"groups": [{"sid", "addresses"}]}.
    payload = models.JSONField(default=dict)
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    new_addresses = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    examples = models.JSONField(default=dict)  # {"invalid": [...], "duplicates": [...]}

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat"], name="address_import_by_status")]

    def __str__(self) -> str:
        return self.file_name or f"{self.get_source_display()} import {self.pk}"
