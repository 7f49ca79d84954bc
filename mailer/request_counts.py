"""How many send requests a project has in a period (the API list's totalElements), without
visiting each of them when the period is long or busy.

PostgreSQL keeps each project's requests counted by the hour (RequestHourCount, kept by the
triggers of migration 0013 whichever way rows come and go: the API, the console, COPY, a
cascade). A period's count is the sum of the whole hours inside it plus the rows of its two
edges, counted one by one, in a single statement, so both halves see the same snapshot. A
period that ends in the future has no rows after now: its last hours are whole ones. On SQLite
(the embedded default, not kept there) the rows are counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import connection, transaction

from mailer.models import RequestHourCount, SendRequest

HOUR = timedelta(hours=1)
MICROSECOND = timedelta(microseconds=1)


def _hour_floor(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _hour_ceiling(moment: datetime) -> datetime:
    floor = _hour_floor(moment)
    return floor if floor == moment else floor + HOUR


def whole_hours(start: datetime, end: datetime) -> tuple[datetime, datetime] | None:
    """[first, last): the hours that lie wholly within [start, end], or None."""
    first, last = _hour_ceiling(start), _hour_floor(end + MICROSECOND)
    return (first, last) if first < last else None


def _statement() -> str:
    counts, requests = RequestHourCount._meta.db_table, SendRequest._meta.db_table
    # Table names from the models; the project and moments are parameters.
    return (
        f'SELECT (SELECT COALESCE(SUM(count), 0) FROM "{counts}" '  # noqa: S608
        "WHERE project_id = %s AND hour >= %s AND hour < %s) "
        f'+ (SELECT COUNT(*) FROM "{requests}" '
        "WHERE project_id = %s AND created >= %s AND created < %s) "
        f'+ (SELECT COUNT(*) FROM "{requests}" '
        "WHERE project_id = %s AND created >= %s AND created <= %s)"
    )


def requests_in_period(project, start: datetime, end: datetime) -> int:
    """The project's send requests created from start to end, both included."""
    hours = whole_hours(start, end) if connection.vendor == "postgresql" else None
    if hours is None:
        return SendRequest.objects.filter(project=project, created__gte=start,
                                          created__lte=end).count()
    first, last = hours
    with connection.cursor() as cursor:
        cursor.execute(_statement(), [project.pk, first, last, project.pk, start, first,
                                      project.pk, last, end])
        return cursor.fetchone()[0]


def recount() -> int:
    """Count every project's requests by the hour again from the rows (PostgreSQL): the counts
    as the triggers would have kept them. Requests are not written meanwhile (a SHARE lock).
    Returns the number of hours counted."""
    if connection.vendor != "postgresql":
        return 0
    counts, requests = RequestHourCount._meta.db_table, SendRequest._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'LOCK TABLE "{requests}" IN SHARE MODE')
        cursor.execute(f'DELETE FROM "{counts}"')  # noqa: S608 (names from the models)
        cursor.execute(
            f'INSERT INTO "{counts}" (project_id, hour, count) '  # noqa: S608
            f"SELECT project_id, date_trunc('hour', created, 'UTC'), count(*) "
            f'FROM "{requests}" GROUP BY 1, 2')
        return cursor.rowcount
