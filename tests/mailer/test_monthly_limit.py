from __future__ import annotations

import pytest

from mailer import monthly_limit
from mailer.models import MailerSettings, MonthlyUsage, SendRequest
from tests.mailer.factories import recipients, request_body

URL = "/api/v1/mails"


def test_it_counts_recipients_at_acceptance(api, project):
    api.post(URL, request_body(recipients=recipients(3)))
    api.post(URL, request_body(recipients=recipients(2)))
    usage = MonthlyUsage.objects.get(project=project)
    assert (usage.accepted, usage.limit) == (5, 1_000_000)


def test_it_refuses_a_request_that_would_pass_the_limit(api, project):
    monthly_limit.set_monthly_limit(project, 5)
    assert api.post(URL, request_body(recipients=recipients(4))).status_code == 201
    response = api.post(URL, request_body(recipients=recipients(2)))
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "monthly sending limit of 5 recipients" in message
    assert "4 accepted this month" in message
    assert SendRequest.objects.count() == 1
    assert api.post(URL, request_body(recipients=recipients(1))).status_code == 201


def test_a_cancel_gives_the_count_back(api, project):
    monthly_limit.set_monthly_limit(project, 3)
    answer = api.post(URL, request_body(recipients=recipients(3))).json()
    api.post(f"/api/v1/mails/requests/{answer['requestId']}/cancel")
    assert MonthlyUsage.objects.get(project=project).accepted == 0
    assert api.post(URL, request_body(recipients=recipients(3))).status_code == 201


def test_a_replayed_request_is_not_counted_twice(api, project):
    for _ in range(2):
        api.post(URL, request_body(recipients=recipients(2)), headers={"Idempotency-Key": "k"})
    assert MonthlyUsage.objects.get(project=project).accepted == 2


def test_changing_the_limit_applies_to_this_month(api, project):
    api.post(URL, request_body(recipients=recipients(2)))
    monthly_limit.set_monthly_limit(project, 2)
    assert MailerSettings.objects.get(project=project).monthly_limit == 2
    assert api.post(URL, request_body(recipients=recipients(1))).status_code == 400


def _fields(send_request: SendRequest) -> dict:
    row = SendRequest.objects.defer(None).get(pk=send_request.pk)
    return {f.attname: getattr(row, f.attname) for f in SendRequest._meta.concrete_fields
            if f.attname not in ("id", "request_id")}


def test_counted_and_stored_in_one_statement_as_the_orm_stores_it(api, project):
    """PostgreSQL's path (insert_counted) writes the same row as save() does."""
    from django.db import connection

    from mailer.acceptance import accept
    from mailer.schemas import MailRequestIn

    body = request_body(recipients=recipients(2), advertising=True, senderName="Shop",
                        parameters={"A": 1}, referencesHeader="<x@y>")
    accepted = accept(project, MailRequestIn.model_validate(body))
    stored = SendRequest.objects.get(pk=accepted.send_request.pk)
    again = SendRequest.objects.defer(None).get(pk=stored.pk)
    again.pk, again.request_id = None, SendRequest.new_request_id()
    again.save(force_insert=True)  # the ORM's INSERT of the same values
    assert _fields(stored) == _fields(again)
    assert MonthlyUsage.objects.get(project=project).accepted == 2
    if connection.vendor == "postgresql":
        full = SendRequest.objects.defer(None).get(pk=stored.pk)
        full.pk, full.request_id = None, SendRequest.new_request_id()
        monthly_limit.set_monthly_limit(project, 3)
        assert not monthly_limit.insert_counted(full, project, 2, full.created)  # 2 + 2 > 3
        assert full.pk is None
        assert SendRequest.objects.count() == 2
        assert MonthlyUsage.objects.get(project=project).accepted == 2


@pytest.mark.django_db(transaction=True)  # autocommit, as the web process runs
def test_a_request_id_taken_meanwhile_is_drawn_again_and_counted_once(api, project,
                                                                      monkeypatch):
    taken = api.post(URL, request_body(recipients=recipients(1))).json()["requestId"]
    drawn = iter([taken, taken, "29991231235959000001"])
    monkeypatch.setattr(SendRequest, "new_request_id",
                        staticmethod(lambda moment=None: next(drawn)))
    answer = api.post(URL, request_body(recipients=recipients(2)))
    assert answer.status_code == 201
    assert answer.json()["requestId"] == "29991231235959000001"
    assert MonthlyUsage.objects.get(project=project).accepted == 3  # 1 + 2, the failed tries not
