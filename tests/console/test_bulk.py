"""console.bulk.update_rows: many rows set by primary key in one statement, values stored as the
ORM stores them (NULLs, times, booleans, JSON), rows that miss the fixed conditions left alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.bulk import update_rows
from mailer.models import Mail, Recipient, Status
from mailer.tasks import prepare_request
from tests.mailer.factories import accepted_request, recipients

pytestmark = pytest.mark.django_db


@pytest.fixture
def prepared(project):
    send_request = accepted_request(project, recipients=recipients(3))
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    return send_request


def test_it_sets_each_row_its_own_values(prepared):
    first, second, third = Recipient.objects.filter(send_request=prepared).order_by("id")
    at = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    update_rows(Recipient, ["result_code", "attempts", "received_at", "received",
                            "parameters"],
                [(first.pk, "MAIL_SENT", 1, at, True, {"n": "1"}),
                 (second.pk, "RESENDING_MAIL", 2, None, False, None)])

    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert (first.result_code, first.attempts, first.received_at, first.received,
            first.parameters) == ("MAIL_SENT", 1, at, True, {"n": "1"})
    assert (second.result_code, second.attempts, second.received_at, second.received,
            second.parameters) == ("RESENDING_MAIL", 2, None, False, None)
    assert (third.result_code, third.attempts) == ("", 0)  # not in the batch


def test_it_leaves_rows_that_miss_the_conditions(prepared):
    mails = list(Mail.objects.filter(send_request=prepared).order_by("id"))
    Mail.objects.filter(pk=mails[0].pk).update(lease_token="mine")
    Mail.objects.filter(pk=mails[1].pk).update(lease_token="theirs")
    update_rows(Mail, ["status", "lease_token"],
                [(mail.pk, Status.SENT, "") for mail in mails[:2]],
                where={"lease_token": "mine"})
    assert list(Mail.objects.filter(pk__in=[m.pk for m in mails[:2]]).order_by("id")
                .values_list("status", "lease_token")) == [(Status.SENT, ""),
                                                           (Status.SENDING, "theirs")]


@pytest.mark.django_db(transaction=True)
def test_refreshing_statistics_gives_way_to_autovacuum_holding_the_table():
    """Autovacuum takes the lock ANALYZE needs; a preparation's ANALYZE then skips the table
    after 200 ms instead of waiting (and stalling the request) until it gives way."""
    import time

    import psycopg
    from django.db import connection

    from console.bulk import refresh_statistics

    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE runs on PostgreSQL only")
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as other, other.transaction():
        other.execute("LOCK TABLE mailer_mail IN SHARE UPDATE EXCLUSIVE MODE")
        started = time.monotonic()
        refresh_statistics(Mail, Recipient)
        assert time.monotonic() - started < 1  # deadlock_timeout, when autovacuum gives way
    with connection.cursor() as cursor:  # the connection is still usable
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
