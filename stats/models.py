"""Daily statistics rollups, kept current by stats/rollups.py from what mailer wrote since a
watermark. Days are in the project's time zone. A page load reads only these tables."""

from __future__ import annotations

from django.db import models

from console.models import Project


class Basis(models.TextChoices):
    REQUEST = "R", "request date"
    SEND = "S", "send date"


class DailyCounts(models.Model):
    """By request date (basis R) or by send date (basis S), per template (0: none):
    requestCount, sentCount, openedCount, unsubscribeCount of the seed."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="+")
    basis = models.CharField(max_length=1, choices=Basis.choices)
    day = models.DateField()
    template_id = models.BigIntegerField(default=0)  # no foreign key: a deleted one still counts
    requested = models.BigIntegerField(default=0)
    sent = models.BigIntegerField(default=0)
    opened = models.BigIntegerField(default=0)
    unsubscribed = models.BigIntegerField(default=0)

    KEY = ("project", "basis", "day", "template_id")
    COUNTS = ("requested", "sent", "opened", "unsubscribed")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "basis", "day", "template_id"],
                                    name="daily_counts_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.basis} {self.day}"


class ResultCounts(models.Model):
    """Recipients whose result is final, per request date, recipient domain and result code."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="+")
    day = models.DateField()
    domain = models.CharField(max_length=253)
    result_code = models.CharField(max_length=32)
    count = models.BigIntegerField(default=0)

    KEY = ("project", "day", "domain", "result_code")
    COUNTS = ("count",)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "day", "domain", "result_code"],
                                    name="result_counts_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.day} {self.domain} {self.result_code}"


class DailyUsage(models.Model):
    """Recipients counted against the monthly limit, per day they were requested (what the
    cancellations gave back already taken off)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="+")
    day = models.DateField()
    counted = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "day"], name="daily_usage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.day}: {self.counted}"


class Watermark(models.Model):
    """How far the rollups have read: everything that landed before `moment` is counted."""

    name = models.CharField(max_length=40, unique=True)
    moment = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.moment:%Y-%m-%d %H:%M:%S}"
