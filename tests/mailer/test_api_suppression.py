"""GET/POST/DELETE /unsubscribers, GET /send-block, POST/GET /config, with the reference's
fields (blockedReceivers, emailAddress, {label, code} objects, unit)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from console.signature import signed_headers
from mailer import suppression
from mailer.models import MailerSettings, SendBlock, SendBlockHistory, Unsubscriber
from mailer.result_codes import ResultCode
from tests.factories import ApiClient, make_api_key


def _delete(api, path: str, body: dict):
    import json

    headers = signed_headers("DELETE", path, api.access_key, api.secret)
    return api.client.delete(path, data=json.dumps(body), content_type="application/json",
                             headers=headers)


def test_it_adds_unsubscribers_and_counts_what_it_ignored(api, project):
    response = api.post("/api/v1/unsubscribers",
                        {"blockedReceivers": ["Kim@Example.com", "lee@example.com",
                                              "not-an-address", "kim@example.com"]})
    assert response.status_code == 201
    assert response.json() == {"count": 2, "requestCount": 4, "ignoreCount": 2}
    assert set(Unsubscriber.objects.filter(project=project, is_reg_by_manager=True)
               .values_list("address", flat=True)) == {"kim@example.com", "lee@example.com"}
    again = api.post("/api/v1/unsubscribers", {"blockedReceivers": ["kim@example.com"]}).json()
    assert again == {"count": 0, "requestCount": 1, "ignoreCount": 1}


def test_it_lists_unsubscribers_as_a_page(api, project):
    Unsubscriber.objects.create(project=project, address="kim@example.com")
    Unsubscriber.objects.create(project=project, address="lee@example.com",
                                is_reg_by_manager=True)
    page = api.get("/api/v1/unsubscribers").json()
    assert page["totalElements"] == 2
    row = next(r for r in page["content"] if r["address"] == "kim@example.com")
    assert row["isRegByManager"] is False and row["blockDate"]["formattedDate"]
    only_manager = api.get("/api/v1/unsubscribers", {"isRegByManager": "true"}).json()
    assert [r["address"] for r in only_manager["content"]] == ["lee@example.com"]
    found = api.get("/api/v1/unsubscribers", {"emailAddress": "kim"}).json()
    assert [r["address"] for r in found["content"]] == ["kim@example.com"]


def test_it_removes_unsubscribers(api, project):
    Unsubscriber.objects.create(project=project, address="kim@example.com")
    response = _delete(api, "/api/v1/unsubscribers", {"blockedReceivers": [
        "kim@example.com", "nobody@example.com"]})
    assert response.json() == {"count": 1, "requestCount": 2, "ignoreCount": 1}
    assert not Unsubscriber.objects.exists()


@pytest.mark.parametrize("body", [{}, {"blockedReceivers": []}, {"blockedReceivers": "a@b.com"},
                                  {"blockedReceivers": ["x@example.com"] * 1001},
                                  {"addresses": ["x@example.com"]}])
def test_it_refuses_a_bad_unsubscriber_body(api, body):
    assert api.post("/api/v1/unsubscribers", body).status_code == 400


def test_a_sender_cannot_change_the_unsubscribers(client, project, sender):
    key, secret = make_api_key(project, sender)
    response = ApiClient(client, key.access_key, secret).post(
        "/api/v1/unsubscribers", {"blockedReceivers": ["kim@example.com"]})
    assert response.status_code == 403


def test_it_shows_an_address_s_send_block_history(api, project):
    until = timezone.now() + timedelta(hours=168)
    SendBlock.objects.create(project=project, address="gone@example.com", blocked_until=until,
                             result_code=ResultCode.MAILBOX_ERROR)
    SendBlockHistory.objects.create(project=project, address="gone@example.com",
                                    action="C", requester="PROJECT",
                                    result_code=ResultCode.MAILBOX_ERROR,
                                    reply_text="5.1.1 User unknown")
    page = api.get("/api/v1/send-block", {"targetAddress": "gone@example.com"}).json()
    assert page["registerStatus"] == "Blocked"
    assert page["expectedDeleteDate"]["utc"] == int(until.timestamp() * 1000)
    (row,) = page["content"]
    assert (row["targetAddress"], row["actionType"], row["actionRequesterType"],
            row["sendResultCode"], row["sendResultMessage"]) == (
        "gone@example.com", {"label": "Create", "code": "C"},
        {"label": "Customer", "code": "CUSTOMER"}, "MAILBOX_ERROR", "5.1.1 User unknown")
    assert isinstance(row["historySid"], int)
    assert page["sort"] == [{"direction": "DESC", "property": "createUtc", "ignoreCase": False,
                             "nullHandling": "NATIVE", "ascending": False, "descending": True}]
    other = api.get("/api/v1/send-block", {"targetAddress": "fine@example.com"}).json()
    assert (other["registerStatus"], other["totalElements"]) == ("Not blocked", 0)


def test_the_send_block_list_is_shared_and_never_says_which_project(api, project, sink):
    from tests.factories import make_project
    from tests.mailer.factories import sent_request

    other = make_project("other")
    sent_request(other, recipients=[{"address": "bounce@simulator.outbound.test"}])
    page = api.get("/api/v1/send-block",
                   {"targetAddress": "bounce@simulator.outbound.test"}).json()
    (row,) = page["content"]
    assert row["actionRequesterType"] == {"label": "Other customer", "code": "OTHER_CUSTOMER"}
    assert page["registerStatus"] == "Blocked"
    assert "other" not in str(page)
    # A later send of this project to the address is not attempted.
    mine = sent_request(project, recipients=[{"address": "bounce@simulator.outbound.test"}])
    assert mine.recipients.get().result_code == ResultCode.SEND_BLOCK_ADDRESS


def test_it_needs_the_target_address(api):
    response = api.get("/api/v1/send-block")
    assert response.status_code == 400
    assert "targetAddress" in response.json()["error"]["message"]


def test_blocks_expire_and_the_history_says_so(api, project):
    SendBlock.objects.create(project=project, address="gone@example.com",
                             blocked_until=timezone.now() - timedelta(seconds=1),
                             result_code=ResultCode.MAILBOX_ERROR)
    assert suppression.expire_blocks() == 1
    page = api.get("/api/v1/send-block", {"targetAddress": "gone@example.com"}).json()
    assert page["registerStatus"] == "Not blocked"
    assert page["content"][0]["actionType"] == {"label": "Delete", "code": "D"}
    assert page["content"][0]["actionRequesterType"] == {"label": "System", "code": "SYSTEM"}


def test_it_labels_the_history_in_korean(api, project):
    SendBlockHistory.objects.create(project=project, address="gone@example.com", action="C",
                                    requester="PROJECT")
    page = api.get("/api/v1/send-block", {"targetAddress": "gone@example.com"},
                   headers={"x-ncp-lang": "ko-KR"}).json()
    assert page["content"][0]["actionType"] == {"label": "생성", "code": "C"}
    assert page["content"][0]["actionRequesterType"] == {"label": "고객", "code": "CUSTOMER"}


def test_it_sets_and_reads_the_send_block_time(api, project):
    response = api.post("/api/v1/config", {"type": "SEND_BLOCK_TIME", "value": "200",
                                           "unit": "HOUR"})
    assert response.json() == {"type": "SEND_BLOCK_TIME", "subType": None, "value": "200"}
    assert MailerSettings.objects.get(project=project).send_block_hours == 200
    read = api.get("/api/v1/config", {"type": "SEND_BLOCK_TIME"}).json()
    assert read["value"] == "200"
    days = api.post("/api/v1/config", {"type": "SEND_BLOCK_TIME", "value": "8", "unit": "DAY"})
    assert days.json()["value"] == "192"


@pytest.mark.parametrize(("body", "message"), [
    ({"type": "SEND_BLOCK_TIME", "value": "100"}, "168"),
    ({"type": "SEND_BLOCK_TIME", "value": "soon"}, "whole number"),
    ({"type": "COLOUR", "value": "red"}, "unknown setting"),
    ({"type": "SEND_BLOCK_TIME", "value": "6", "unit": "DAY"}, "168"),
    ({"type": "SEND_BLOCK_TIME", "value": "200", "unit": "WEEK"}, "unit"),
])
def test_it_refuses_a_bad_setting(api, project, body, message):
    response = api.post("/api/v1/config", body)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_a_new_block_lasts_the_configured_time(sink, project):
    from tests.mailer.factories import sent_request

    suppression.set_send_block_hours(project, 400)
    sent_request(project, recipients=[{"address": "bounce@simulator.outbound.test"}])
    block = SendBlock.objects.get(project=project)
    assert timedelta(hours=399) < block.blocked_until - timezone.now() < timedelta(hours=401)
    assert SendBlockHistory.objects.get(project=project).action == "C"
