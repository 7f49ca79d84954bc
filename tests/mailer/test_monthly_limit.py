from __future__ import annotations

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
