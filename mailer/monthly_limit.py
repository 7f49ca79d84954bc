"""The monthly sending limit: recipients are counted against the project's month when a request
is accepted, and given back when they will not be sent (cancel)."""

from __future__ import annotations

import contextlib
import zoneinfo
from datetime import date, datetime

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from console.bulk import insert_statement
from console.models import Project
from mailer.models import MailerSettings, MonthlyUsage, SendRequest
from mailer.rules import Refused


def usage_month(project: Project, moment: datetime) -> date:
    local = moment.astimezone(zoneinfo.ZoneInfo(project.time_zone))
    return local.date().replace(day=1)


_COUNT = (f'UPDATE "{MonthlyUsage._meta.db_table}" SET accepted = accepted + %s '  # noqa: S608
          'WHERE project_id = %s AND month = %s AND accepted <= "limit" - %s')


def insert_counted(row: models.Model, project: Project, count: int, moment: datetime) -> bool:
    """PostgreSQL: insert `row` (a new model instance, its primary key set on success) only if
    `count` more recipients fit in the project's month, counting them: count_against_limit's
    conditional UPDATE and the INSERT as one statement, so that accepting an API send is one
    round trip and one commit. False, with nothing written, if they do not fit or the month has
    no row yet: count_against_limit then creates it or says why."""
    insert, values = insert_statement(row, source="counted")
    with connection.cursor() as cursor:
        cursor.execute(f"WITH counted AS ({_COUNT} RETURNING 1) {insert}",
                       [count, project.pk, usage_month(project, moment), count, *values])
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    row.pk = inserted[0]
    row._state.adding = False
    row._state.db = connection.alias
    return True


def count_against_limit(project: Project, count: int, moment: datetime) -> None:
    """Add `count` recipients to this month's usage, or raise Refused if that would pass the
    project's limit. One conditional UPDATE in the usual case."""
    month = usage_month(project, moment)
    for _attempt in range(2):
        with connection.cursor() as cursor:
            # Every API send runs this; written out, it costs a third of the ORM's update.
            cursor.execute(_COUNT, [count, project.pk, month, count])
            if cursor.rowcount:
                return
        usage = MonthlyUsage.objects.filter(project=project, month=month).first()
        if usage is not None:
            raise Refused(
                _("the monthly sending limit of %(limit)s recipients would be passed: "
                  "%(accepted)s accepted this month, this request has %(count)s")
                % {"limit": f"{usage.limit:,}", "accepted": f"{usage.accepted:,}",
                   "count": f"{count:,}"})
        limit = MailerSettings.for_project(project.pk).monthly_limit
        # Created meanwhile by another request: count again.
        with contextlib.suppress(IntegrityError), transaction.atomic():
            MonthlyUsage.objects.create(project=project, month=month, limit=limit)
    raise Refused(_("the monthly usage could not be counted; try again"))


def give_back_count(project: Project, count: int, moment: datetime) -> None:
    MonthlyUsage.objects.filter(project=project, month=usage_month(project, moment),
                                accepted__gte=count).update(accepted=F("accepted") - count)


def give_back(send_request: SendRequest, count: int) -> None:
    """Return recipients that will not be sent to the month the request was counted in."""
    count = min(count, send_request.counted_recipients)
    if count <= 0:
        return
    give_back_count(send_request.project, count, send_request.created)
    SendRequest.objects.filter(pk=send_request.pk).update(
        counted_recipients=F("counted_recipients") - count, counted_changed_at=timezone.now())


def set_monthly_limit(project: Project, limit: int) -> None:
    settings_row, _created = MailerSettings.objects.get_or_create(project=project)
    settings_row.monthly_limit = limit
    settings_row.save(update_fields=["monthly_limit"])
    MonthlyUsage.objects.filter(project=project,
                                month=usage_month(project, timezone.now())).update(limit=limit)
