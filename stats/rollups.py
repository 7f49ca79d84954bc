"""Keeping the rollups current: each run reads what mailer wrote since the watermark — results
that became final (Recipient.settled_at), first opens, unsubscribes, preparations that ended and
the monthly-limit counts of requests accepted or given back — in set-based queries (GROUP BY
per project, days in its time zone), adds it to the rollups and moves the watermark, all in one
transaction, so each fact is counted exactly once.

The window ends MARGIN before now: a transaction of mailer's that stamped its rows a moment ago
may not have committed yet, and none lasts that long. `rebuild` empties the rollups and reads
the whole history with the same queries.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Lower, StrIndex, Substr, TruncDate
from django.utils import timezone

from console.bulk import add_counts
from console.models import Project
from mailer.models import Recipient, SendRequest
from mailer.result_codes import ResultCode
from stats.models import Basis, DailyCounts, DailyUsage, ResultCounts, Watermark

MARGIN = timedelta(seconds=settings.STATS_ROLLUP_MARGIN_SECONDS)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
WATERMARK = "rollups"
# Final results that were never handed to a receiving server: not in sentCount (which is
# "delivered plus bounced").
NOT_SENT = frozenset({
    ResultCode.CANCELED_MAIL, ResultCode.UNSUBSCRIBE_ADDRESS, ResultCode.SEND_BLOCK_ADDRESS,
    ResultCode.CONTENT_HAS_TAG_FORM, ResultCode.MIME_MESSAGE_CREATE_FAIL, ResultCode.DKIM_FAIL,
    ResultCode.EMPTY_BODY_CONTENT, ResultCode.UNSUPPORTED_ENCODING_ADDRESS,
})


@dataclass
class Delta:
    """What one run adds: counts by rollup key, and the days whose usage is recounted."""

    daily: dict[tuple, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * 4))
    results: dict[tuple, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0]))
    usage_days: set[tuple[int, date]] = field(default_factory=set)

    def add(self, project_id: int, basis: str, day: date | None, template: int | None,
            index: int, n: int) -> None:
        if day is not None and n:
            self.daily[(project_id, basis, day, template or 0)][index] += n


def _domain():
    return Substr(Lower("address"), StrIndex("address", Value("@")) + 1)


def _read(time_zone: str, start: datetime, end: datetime, delta: Delta) -> None:
    """What landed in [start, end) for the projects of one time zone (days are theirs): one
    range scan per stamp, whatever the number of projects."""
    zone = zoneinfo.ZoneInfo(time_zone)
    recipients = Recipient.objects.filter(project__time_zone=time_zone)
    request_day = TruncDate("requested_at", tzinfo=zone)
    send_day = TruncDate("settled_at", tzinfo=zone)
    template = F("send_request__template_id")

    settled = (recipients.filter(settled_at__gte=start, settled_at__lt=end)
               .values("project_id", request_day=request_day, send_day=send_day, tpl=template,
                       domain=_domain(), code=F("result_code"))
               .annotate(n=Count("id")))
    for row in settled:
        pk = row["project_id"]
        if row["code"] not in NOT_SENT:
            delta.add(pk, Basis.REQUEST, row["request_day"], row["tpl"], 1, row["n"])
            delta.add(pk, Basis.SEND, row["send_day"], row["tpl"], 1, row["n"])
        delta.results[(pk, row["request_day"], row["domain"] or "", row["code"])][0] += row["n"]

    for moment, index in (("opened_at", 2), ("unsubscribed_at", 3)):
        for row in (recipients.filter(**{f"{moment}__gte": start, f"{moment}__lt": end})
                    .values("project_id", request_day=request_day, send_day=send_day,
                            tpl=template)
                    .annotate(n=Count("id"))):
            pk = row["project_id"]
            delta.add(pk, Basis.REQUEST, row["request_day"], row["tpl"], index, row["n"])
            delta.add(pk, Basis.SEND, row["send_day"], row["tpl"], index, row["n"])

    requests = SendRequest.objects.filter(project__time_zone=time_zone)
    # requestCount: a request's recipients, once its preparation ended (or it was cancelled
    # while preparing, with what it had saved).
    ended = requests.filter(Q(ready_at__gte=start, ready_at__lt=end)
                            | Q(ready_at__isnull=True, cancelled_at__gte=start,
                                cancelled_at__lt=end))
    for row in (ended.values("project_id", day=TruncDate("created", tzinfo=zone),
                             tpl=F("template_id"))
                .annotate(n=Sum("prepared_recipients"))):
        delta.add(row["project_id"], Basis.REQUEST, row["day"], row["tpl"], 0, row["n"] or 0)

    touched = requests.filter(Q(created__gte=start, created__lt=end)
                              | Q(counted_changed_at__gte=start, counted_changed_at__lt=end))
    delta.usage_days |= set(touched.order_by().annotate(day=TruncDate("created", tzinfo=zone))
                            .values_list("project_id", "day").distinct())


def _recount_usage(days: set[tuple[int, date]]) -> None:
    """The recipients counted against the limit on each day, summed again from its requests."""
    by_project: dict[int, list[date]] = defaultdict(list)
    for project_id, day in days:
        by_project[project_id].append(day)
    for project in Project.objects.filter(pk__in=by_project):
        zone = zoneinfo.ZoneInfo(project.time_zone)
        wanted = set(by_project[project.pk])
        # One GROUP BY over the span of the days touched, not a query a day.
        start = datetime.combine(min(wanted), time(), zone)
        end = datetime.combine(max(wanted) + timedelta(days=1), time(), zone)
        sums = dict(SendRequest.objects.filter(project=project, created__gte=start,
                                               created__lt=end).order_by()
                    .annotate(day=TruncDate("created", tzinfo=zone)).values("day")
                    .annotate(n=Sum("counted_recipients")).values_list("day", "n"))
        DailyUsage.objects.bulk_create(
            [DailyUsage(project=project, day=day, counted=sums.get(day) or 0) for day in wanted],
            update_conflicts=True, unique_fields=["project", "day"], update_fields=["counted"])


def advance(now: datetime | None = None) -> dict[str, int]:
    """Read what landed since the watermark up to MARGIN before now; what was added, counted."""
    end = (now or timezone.now()) - MARGIN
    with transaction.atomic():
        mark, _created = Watermark.objects.select_for_update().get_or_create(
            name=WATERMARK, defaults={"moment": EPOCH})
        if end <= mark.moment:
            return {"daily": 0, "results": 0, "usage_days": 0}
        delta = Delta()
        # order_by(): the model's ordering would make DISTINCT one row per project.
        for time_zone in Project.objects.order_by().values_list("time_zone",
                                                                flat=True).distinct():
            _read(time_zone, mark.moment, end, delta)
        add_counts(DailyCounts, DailyCounts.KEY, DailyCounts.COUNTS, delta.daily)
        add_counts(ResultCounts, ResultCounts.KEY, ResultCounts.COUNTS, delta.results)
        _recount_usage(delta.usage_days)
        mark.moment = end
        mark.save(update_fields=["moment"])
    return {"daily": len(delta.daily), "results": len(delta.results),
            "usage_days": len(delta.usage_days)}


def rebuild(now: datetime | None = None) -> dict[str, int]:
    """Every rollup again from the whole history (`manage.py rebuild_stats`)."""
    with transaction.atomic():
        DailyCounts.objects.all().delete()
        ResultCounts.objects.all().delete()
        DailyUsage.objects.all().delete()
        Watermark.objects.filter(name=WATERMARK).delete()
        return advance(now)


def lag(now: datetime | None = None) -> timedelta | None:
    """How far behind the rollups are (None before their first run)."""
    moment = Watermark.objects.filter(name=WATERMARK).values_list("moment", flat=True).first()
    return None if moment is None else (now or timezone.now()) - moment
