"""GET /mails/requests, …/status, …/mails and /mails/{mailId}: shapes, filters, paging, dates."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mailer.models import Mail, Recipient, SendRequest, Status, Template, Tool, format_mail_id
from mailer.result_codes import ResultCode
from mailer.tasks import prepare_request
from tests.mailer.factories import accepted_request, recipients

NOW_MS = int(time.time() * 1000)
PERIOD = {"startUtc": NOW_MS - 3_600_000, "endUtc": NOW_MS + 3_600_000}


def _prepared(project, **body) -> SendRequest:
    send_request = accepted_request(project, **body)
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    send_request.refresh_from_db()
    return send_request


@pytest.fixture
def sent(project):
    """A finished request: one recipient sent, one bounced."""
    send_request = _prepared(project, recipients=recipients(2), title="Spring sale",
                             senderName="Shop")
    now = timezone.now()
    first, second = Recipient.objects.filter(send_request=send_request).order_by("id")
    Recipient.objects.filter(pk=first.pk).update(result_code=ResultCode.MAIL_SENT, received=True,
                                                 received_at=now, attempts=1, reply_code=250,
                                                 reply_text="2.0.0 Ok")
    Recipient.objects.filter(pk=second.pk).update(result_code=ResultCode.MAILBOX_ERROR,
                                                  attempts=2, reply_code=550,
                                                  reply_text="5.1.1 User unknown")
    Mail.objects.filter(pk=first.mail_id).update(status=Status.SENT, sent_at=now)
    Mail.objects.filter(pk=second.mail_id).update(status=Status.FAILED)
    SendRequest.objects.filter(pk=send_request.pk).update(
        status=Status.PARTIALLY_FAILED, send_started_at=now, finished_at=now,
        requester_ip="203.0.113.9")
    send_request.refresh_from_db()
    return send_request


def test_it_lists_requests_as_a_spring_page(api, sent):
    page = api.get("/api/v1/mails/requests", PERIOD).json()
    assert (page["totalElements"], page["totalPages"], page["number"], page["size"]) == (
        1, 1, 0, 10)
    assert page["first"] and page["last"] and page["numberOfElements"] == 1
    row = page["content"][0]
    assert row["requestId"] == sent.request_id
    assert row["emailStatus"] == {"label": "Partial failure", "code": "PF"}  # EmailStatus
    assert (row["senderAddress"], row["senderName"], row["dispatchType"]) == (
        "shop@company.com", "Shop", "API")
    assert (row["requestCount"], row["recipientCount"]) == (2, 2)
    assert row["reservationDate"] is None
    date = row["requestDate"]
    assert date["utc"] == int(sent.created.timestamp() * 1000)
    local = sent.created.astimezone(timezone.get_fixed_timezone(9 * 60))
    assert date["formattedDate"] == local.strftime("%Y-%m-%d")
    assert date["formattedDateTime"] == local.strftime("%Y-%m-%d %H:%M:%S ") + \
        f"{local.microsecond // 1000:03d}"


def test_it_needs_the_period(api, sent):
    response = api.get("/api/v1/mails/requests", {"startUtc": NOW_MS})
    assert response.status_code == 400
    assert "endUtc or endDateTime" in response.json()["error"]["message"]


def test_it_reads_the_period_in_the_project_time_zone(api, sent):
    seoul = sent.created.astimezone(timezone.get_fixed_timezone(9 * 60))
    params = {"startDateTime": (seoul - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M"),
              "endDateTime": (seoul + timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")}
    assert api.get("/api/v1/mails/requests", params).json()["totalElements"] == 1
    params["startDateTime"] = (seoul + timedelta(minutes=2)).strftime("%Y-%m-%d %H:%M")
    assert api.get("/api/v1/mails/requests", params).json()["totalElements"] == 0


@pytest.mark.parametrize(("params", "found"), [
    ({"title": "spring"}, 1), ({"title": "winter"}, 0),
    ({"senderAddress": "shop@company.com"}, 1), ({"senderAddress": "x@company.com"}, 0),
    ({"recipientAddress": "user000001@example.com"}, 1), ({"recipientAddress": "no@x.com"}, 0),
    ({"dispatchType": "API"}, 1), ({"dispatchType": "CONSOLE"}, 0),
    ({"sendStatus": "PF"}, 1), ({"sendStatus": "S,F"}, 0), ({"sendStatus": ["S", "PF"]}, 1),
])
def test_it_filters_requests(api, sent, params, found):
    response = api.get("/api/v1/mails/requests", {**PERIOD, **params})
    assert response.json()["totalElements"] == found


def test_it_filters_by_request_and_mail_id(api, sent):
    mail_id = format_mail_id(sent.request_id, 2)
    assert api.get("/api/v1/mails/requests", {**PERIOD, "requestId": sent.request_id}).json()[
        "totalElements"] == 1
    assert api.get("/api/v1/mails/requests", {**PERIOD, "mailId": mail_id}).json()[
        "totalElements"] == 1


def test_it_filters_by_template(api, project):
    template = Template.objects.create(project=project, name="t", title="t", body="b",
                                       sender_address="a@company.com")
    accepted_request(project, templateSid=template.pk, title=None, body=None,
                     senderAddress=None)
    accepted_request(project)
    page = api.get("/api/v1/mails/requests", {**PERIOD, "templateSid": template.pk}).json()
    assert page["totalElements"] == 1
    assert page["content"][0]["templateName"] == "t"


def test_it_pages_and_sorts(api, project):
    ids = [accepted_request(project).request_id for _ in range(5)]
    page = api.get("/api/v1/mails/requests",
                   {**PERIOD, "size": 2, "page": 1, "sort": "requestDate,asc"}).json()
    assert [row["requestId"] for row in page["content"]] == ids[2:4]
    assert (page["totalPages"], page["first"], page["last"]) == (3, False, False)
    assert page["sort"] == [{"direction": "ASC", "property": "requestDate", "ignoreCase": False,
                             "nullHandling": "NATIVE", "ascending": True, "descending": False}]


@pytest.mark.parametrize("params", [{"size": 0}, {"size": 5000}, {"page": -1},
                                    {"sort": "colour,asc"}, {"sort": "requestDate,up"},
                                    {"sendStatus": "X"}, {"dispatchType": "FAX"},
                                    {"startDateTime": "yesterday"}, {"mailId": "12"},
                                    {"page": "first"}])
def test_it_refuses_bad_query_parameters(api, sent, params):
    response = api.get("/api/v1/mails/requests", {**PERIOD, **params})
    assert response.status_code == 400
    assert response.json()["error"]["errorCode"] == "77102"


def test_it_labels_statuses_in_the_requested_language(api, sent):
    korean = api.get("/api/v1/mails/requests", PERIOD, headers={"x-ncp-lang": "ko-KR"}).json()
    japanese = api.get("/api/v1/mails/requests", PERIOD, headers={"x-ncp-lang": "ja-JP"}).json()
    assert korean["content"][0]["emailStatus"] == {"label": "일부 실패", "code": "PF"}
    assert japanese["content"][0]["emailStatus"] == {"label": "一部失敗", "code": "PF"}


def test_it_does_not_list_another_project_s_requests(api, sent, outsider):
    from console.models import Project

    accepted_request(Project.objects.get(name="other"))
    assert api.get("/api/v1/mails/requests", PERIOD).json()["totalElements"] == 1


def test_it_reports_a_request_s_status(api, sent):
    status = api.get(f"/api/v1/mails/requests/{sent.request_id}/status").json()
    assert status["requestId"] == sent.request_id
    assert status["readyCompleted"] is True
    assert status["allSentSuccess"] is False
    assert (status["requestCount"], status["sentCount"], status["finishCount"],
            status["readyCount"]) == (2, 1, 2, 2)
    assert status["countsByStatus"] == [
        {"status": {"label": "Failed to send", "code": "F"}, "count": 1},
        {"status": {"label": "Sent successfully", "code": "S"}, "count": 1}]


def test_a_request_being_prepared_is_not_ready(api, project):
    send_request = accepted_request(project)
    status = api.get(f"/api/v1/mails/requests/{send_request.request_id}/status").json()
    assert status["readyCompleted"] is False
    assert status["requestCount"] == 0


def test_another_project_s_request_is_not_found(api, outsider):
    from console.models import Project

    theirs = accepted_request(Project.objects.get(name="other"))
    response = api.get(f"/api/v1/mails/requests/{theirs.request_id}/status")
    assert response.status_code == 400
    assert response.json()["error"]["errorCode"] == "77103"
    response = api.get(f"/api/v1/mails/requests/{theirs.request_id}/mails")
    assert response.json()["error"]["errorCode"] == "77103"


def test_it_lists_the_mails_of_a_request(api, sent):
    page = api.get(f"/api/v1/mails/requests/{sent.request_id}/mails").json()
    assert page["totalElements"] == 2
    first = page["content"][0]
    assert first["mailId"] == format_mail_id(sent.request_id, 1)
    assert first["title"] == "Spring sale"
    assert first["emailStatus"]["code"] == "S"
    assert first["representativeRecipient"] == "user000000@example.com"
    assert first["reservationStatus"]["code"] == "N"
    assert first["sendDate"] is not None
    assert page["content"][1]["sendDate"] is None
    failed = api.get(f"/api/v1/mails/requests/{sent.request_id}/mails",
                     {"sendStatus": "F"}).json()
    assert [m["representativeRecipient"] for m in failed["content"]] == [
        "user000001@example.com"]


def test_it_totals_a_request_s_mails_by_its_count_unless_filtered(api, sent):
    """Unfiltered, totalElements is the request's own count of its mails (made with them, in
    the same transactions); filtered, the mails are counted."""
    with CaptureQueriesContext(connection) as queries:
        page = api.get(f"/api/v1/mails/requests/{sent.request_id}/mails", {"size": 1}).json()
    assert (page["totalElements"], page["totalPages"], page["numberOfElements"]) == (2, 2, 1)
    assert not any("COUNT(" in query["sql"].upper() for query in queries)
    with CaptureQueriesContext(connection) as queries:
        page = api.get(f"/api/v1/mails/requests/{sent.request_id}/mails",
                       {"sendStatus": "S"}).json()
    assert page["totalElements"] == 1
    assert any("COUNT(" in query["sql"].upper() for query in queries)


def test_it_shows_one_mail_with_its_recipients(api, sent):
    mail_id = format_mail_id(sent.request_id, 2)
    mail = api.get(f"/api/v1/mails/{mail_id}").json()
    assert (mail["mailId"], mail["requestId"], mail["requesterIp"]) == (
        mail_id, sent.request_id, "203.0.113.9")
    assert mail["body"] == "<p>Hello</p>"
    assert mail["advertising"] is False and mail["attachFiles"] == []
    (recipient,) = mail["recipients"]
    assert recipient["address"] == "user000001@example.com"
    assert recipient["status"] == {"label": "Failed to send", "code": "F"}
    assert recipient["type"] == {"label": "Recipient", "code": "R"}
    assert recipient["sendResultCode"] == "MAILBOX_ERROR"
    assert recipient["sendResultCodeMessage"] == "Sending failed due to recipient mailbox error"
    assert recipient["sendResultMessage"] == "550 5.1.1 User unknown"
    assert (recipient["retryCount"], recipient["received"]) == (1, False)


def test_it_personalises_the_mail_s_title_and_body(api, project):
    send_request = _prepared(project, title="Hi #{RECIPIENT_NAME}", body="<p>${GRADE}</p>",
                             recipients=[{"address": "kim@example.com", "name": "Kim",
                                          "parameters": {"GRADE": "GOLD"}}])
    mail = api.get(f"/api/v1/mails/{format_mail_id(send_request.request_id, 1)}").json()
    assert (mail["title"], mail["body"]) == ("Hi Kim", "<p>GOLD</p>")


@pytest.mark.parametrize("mail_id", ["nonsense", "2026112200000000000100000001"])
def test_an_unknown_mail_is_not_found(api, sent, mail_id):
    response = api.get(f"/api/v1/mails/{mail_id}")
    assert response.status_code == 400
    assert response.json()["error"]["errorCode"] == "77103"


def test_console_requests_are_listed_as_console(api, project, sent):
    SendRequest.objects.filter(pk=sent.pk).update(tool=Tool.CONSOLE)
    page = api.get("/api/v1/mails/requests", {**PERIOD, "dispatchType": "CONSOLE"}).json()
    assert page["content"][0]["dispatchType"] == "CONSOLE"


def test_recipient_and_sender_filters_ignore_case(api, sent):
    params = {**PERIOD, "recipientAddress": "USER000001@Example.COM",
              "senderAddress": "Shop@Company.com"}
    assert api.get("/api/v1/mails/requests", params).json()["totalElements"] == 1
    mails = api.get(f"/api/v1/mails/requests/{sent.request_id}/mails",
                    {"recipientAddress": "User000001@EXAMPLE.com"}).json()
    assert [m["representativeRecipient"] for m in mails["content"]] == ["user000001@example.com"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="counts kept by PostgreSQL")
def test_it_counts_a_period_by_the_hour_unless_other_filters_narrow_it(api, project):
    """totalElements of the period alone reads the hourly counts (mailer.request_counts) and
    the rows of its edges; with another filter, the rows."""
    made = [accepted_request(project) for _ in range(5)]
    for hours_ago, send_request in zip([0, 3, 3, 30, 50], made, strict=True):
        SendRequest.objects.filter(pk=send_request.pk).update(
            created=send_request.created - timedelta(hours=hours_ago, minutes=7))
    period = {"startUtc": NOW_MS - 48 * 3_600_000, "endUtc": NOW_MS + 3_600_000}
    with CaptureQueriesContext(connection) as queries:
        page = api.get("/api/v1/mails/requests", {**period, "size": 2}).json()
    assert (page["totalElements"], page["totalPages"], page["numberOfElements"]) == (4, 2, 2)
    assert any("mailer_requesthourcount" in query["sql"] for query in queries)
    with CaptureQueriesContext(connection) as queries:
        page = api.get("/api/v1/mails/requests", {**period, "sendStatus": "P"}).json()
    assert page["totalElements"] == 4
    assert not any("mailer_requesthourcount" in query["sql"] for query in queries)
