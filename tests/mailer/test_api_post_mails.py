"""POST /api/v1/mails: every rule of DESIGN §6 answers 400 with a message naming the field;
nothing malformed or oversized produces a 5xx."""

from __future__ import annotations

import time

import pytest

from addressbook.models import Address, GroupMember, RecipientGroup
from console.models import Membership
from mailer.models import SendRequest, Status, Template, Tool
from tests.factories import ApiClient, make_api_key

URL = "/api/v1/mails"


def _body(**overrides) -> dict:
    body = {
        "senderAddress": "no_reply@company.com",
        "senderName": "administrator",
        "title": "Hello ${customer_name}",
        "body": "<p>Your grade changed from ${BEFORE_GRADE} to ${AFTER_GRADE}.</p>",
        "recipients": [{"address": "hong@example.com", "name": "Gildong Hong", "type": "R",
                        "parameters": {"customer_name": "Gildong", "BEFORE_GRADE": "SILVER",
                                       "AFTER_GRADE": "GOLD"}}],
        "individual": True,
        "advertising": False,
    }
    body.update(overrides)
    return body


def _refused(response, field: str, code: str = "77102"):
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["errorCode"] == code
    assert field in error["message"], error["message"]
    return error["message"]


def test_it_accepts_a_request_and_answers_201(api, project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(URL, _body())
    assert response.status_code == 201
    answer = response.json()
    assert answer["count"] == 1
    stored = SendRequest.objects.get(request_id=answer["requestId"])
    assert (stored.project, stored.status, stored.tool) == (project, Status.PREPARING, Tool.API)
    assert stored.requester_ip == "127.0.0.1"
    assert len(answer["requestId"]) == 20 and answer["requestId"].isdigit()
    assert len(callbacks) == 1  # the worker is nudged once the request is committed


def test_it_keeps_the_recipients_for_the_worker(api):
    answer = api.post(URL, _body()).json()
    stored = SendRequest.objects.get(request_id=answer["requestId"]).recipients_payload()
    assert stored[0]["address"] == "hong@example.com"
    assert stored[0]["parameters"]["AFTER_GRADE"] == "GOLD"


def test_it_de_duplicates_recipients(api):
    recipients = [{"address": "a@example.com"}, {"address": "A@Example.com"},
                  {"address": "b@example.com"}]
    assert api.post(URL, _body(recipients=recipients, title="t", body="b")).json()["count"] == 2


def test_it_ignores_cc_and_bcc_in_individual_sends(api):
    recipients = [{"address": "a@example.com"}, {"address": "c@example.com", "type": "C"}]
    assert api.post(URL, _body(recipients=recipients, title="t", body="b")).json()["count"] == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"senderAddress": None}, "senderAddress"),
    ({"title": None}, "title"),
    ({"body": None}, "body"),
    ({"recipients": None}, "recipients"),
    ({"recipients": []}, "recipients"),
    ({"senderAddress": "not an address"}, "senderAddress"),
    ({"senderName": "가" * 24}, "senderName"),
    ({"title": "가" * 167}, "title"),
    ({"title": "two\nlines"}, "title"),
    ({"body": "x" * (501 * 1024)}, "body"),
    ({"referencesHeader": "not-a-message-id"}, "referencesHeader"),
    ({"attachFileIds": ["no-such-file"]}, "attachFileIds"),
    ({"advertising": True, "useBasicUnsubscribeMsg": False}, "unsubscribeMessage"),
    ({"reservationUtc": 1000}, "reservationUtc"),
    ({"reservationDateTime": "2020-01-01 10:00"}, "reservationDateTime"),
    ({"reservationDateTime": "tomorrow"}, "reservationDateTime"),
    ({"recipients": [{"address": "a@b@c"}]}, "recipients[0].address"),
    ({"recipients": [{"address": "ok@example.com", "name": "n" * 70}]}, "recipients[0].name"),
    ({"recipients": [{"address": "c@example.com", "type": "C"}]}, "recipients"),
    ({"recipients": [{"address": "x@example.com", "type": "X"}]}, "recipients.0.type"),
    ({"recipients": [{"name": "Hong"}]}, "recipients.0.address: Field required"),
    ({"recipients": ["hong@example.com"]},
     "recipients.0: Input should be a valid dictionary or instance of RecipientIn"),
])
def test_it_refuses_a_broken_rule(api, change, field):
    _refused(api.post(URL, _body(**change)), field)
    assert not SendRequest.objects.exists()


def test_it_refuses_a_reservation_31_days_ahead(api):
    when = int((time.time() + 31 * 86400) * 1000)
    message = _refused(api.post(URL, _body(reservationUtc=when)), "reservationUtc")
    assert "30 days" in message


def test_it_accepts_a_reservation_and_prefers_utc(api):
    when = int((time.time() + 3600) * 1000)
    answer = api.post(URL, _body(reservationUtc=when, reservationDateTime="1999-01-01 00:00"))
    assert answer.status_code == 201
    stored = SendRequest.objects.get()
    assert abs(stored.reservation_at.timestamp() * 1000 - when) < 1000


def test_it_reads_the_reservation_in_the_project_time_zone(api, project):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    local = datetime.now(ZoneInfo("Asia/Seoul")) + timedelta(days=2)
    text = local.strftime("%Y-%m-%d %H:%M")
    assert api.post(URL, _body(reservationDateTime=text)).status_code == 201
    stored = SendRequest.objects.get().reservation_at.astimezone(ZoneInfo("Asia/Seoul"))
    assert stored.strftime("%Y-%m-%d %H:%M") == text


@pytest.mark.parametrize(("count", "kind"), [(31, "C"), (31, "B")])
def test_it_refuses_more_than_30_cc_or_bcc(api, count, kind):
    recipients = [{"address": "to@example.com"}] + [
        {"address": f"c{n}@example.com", "type": kind} for n in range(count)]
    _refused(api.post(URL, _body(individual=False, title="t", body="b", recipients=recipients)),
             "at most 30")


def test_it_accepts_30_cc_and_30_bcc(api):
    recipients = [{"address": "to@example.com"}] + [
        {"address": f"c{n}@example.com", "type": "C"} for n in range(30)] + [
        {"address": f"b{n}@example.com", "type": "B"} for n in range(30)]
    response = api.post(URL, _body(individual=False, title="t", body="b", recipients=recipients))
    assert response.json()["count"] == 61


def test_it_refuses_101000_recipients(api):
    recipients = [{"address": f"user{n}@example.com"} for n in range(101_000)]
    _refused(api.post(URL, _body(title="t", body="b", recipients=recipients)), "recipients")


def test_it_refuses_advertising_in_a_general_send(api):
    _refused(api.post(URL, _body(individual=False, advertising=True, title="t", body="b")),
             "advertising")


def test_it_refuses_metadata_tags_in_a_general_send(api):
    _refused(api.post(URL, _body(individual=False, title="Hi #{RECIPIENT_NAME}", body="b")),
             "metadata tags")


def test_it_refuses_malformed_json(api):
    response = api.post(URL, raw=b'{"title": "unterminated')
    assert response.status_code == 400
    assert response.json()["error"]["errorCode"] == "77102"


def test_it_refuses_json_that_is_not_an_object(api):
    assert api.post(URL, raw=b"[1, 2, 3]").status_code == 400


@pytest.mark.parametrize(("change", "field"), [
    ({"individual": "maybe"}, "individual"),
    ({"recipients": "a@example.com"}, "recipients"),
    ({"title": 123}, "title"),
    ({"parameters": {"x": {"nested": 1}}}, "parameters"),
    ({"parameters": ["not", "an", "object"]}, "parameters"),
    ({"reservationUtc": "soon"}, "reservationUtc"),
    ({"templateSid": "one"}, "templateSid"),
])
def test_it_refuses_wrong_types_naming_the_field(api, change, field):
    _refused(api.post(URL, _body(**change)), field)


def test_it_refuses_nul_and_lone_surrogates(api):
    assert api.post(URL, raw=b'{"title": "a\\u0000b"}').status_code == 400
    response = api.post(URL, raw=('{"senderAddress":"a@example.com","title":"\\ud800","body":"b",'
                                  '"recipients":[{"address":"b@example.com"}]}'))
    _refused(response, "title")


def test_it_refuses_a_body_that_is_not_utf8(api):
    response = api.post(URL, raw=b'{"title": "\xff\xfe"}')
    assert response.status_code == 400


def test_it_uses_the_template(api, project):
    template = Template.objects.create(project=project, name="welcome", title="Welcome ${n}",
                                       body="<p>Hi</p>", sender_address="hello@company.com")
    body = {"templateSid": template.pk, "recipients": [{"address": "a@example.com",
                                                        "parameters": {"n": "Kim"}}]}
    assert api.post(URL, body).status_code == 201
    stored = SendRequest.objects.get()
    assert (stored.title, stored.sender_address, stored.template_name) == (
        "Welcome ${n}", "hello@company.com", "welcome")


def test_it_refuses_a_template_not_in_use(api, project):
    template = Template.objects.create(project=project, name="old", title="t", body="b",
                                       sender_address="a@company.com", is_use=False)
    _refused(api.post(URL, {"templateSid": template.pk,
                            "recipients": [{"address": "a@example.com"}]}), "not in use")


def test_it_refuses_another_project_s_template(api, outsider):
    from console.models import Project

    other = Template.objects.create(project=Project.objects.get(name="other"), name="x",
                                    title="t", body="b", sender_address="a@company.com")
    _refused(api.post(URL, {"templateSid": other.pk,
                            "recipients": [{"address": "a@example.com"}]}), "templateSid",
             code="77103")


def test_an_unknown_template_is_not_found(api):
    _refused(api.post(URL, _body(templateSid=999999)), "templateSid", code="77103")
    assert not SendRequest.objects.exists()


def _group(project, name, addresses):
    group = RecipientGroup.objects.create(project=project, name=name)
    for address in addresses:
        row, _ = Address.objects.get_or_create(project=project, address=address)
        GroupMember.objects.create(group=group, address=row)


def test_it_counts_a_group_combination_without_expanding_it(api, project):
    _group(project, "a", ["1@x.com", "2@x.com", "3@x.com"])
    _group(project, "b", ["2@x.com", "3@x.com", "4@x.com"])
    body = _body(recipients=None, title="t", body="b",
                 recipientGroupFilter={"andFilter": True, "groups": ["a", "b"]})
    answer = api.post(URL, body).json()
    assert answer["count"] == 2
    assert SendRequest.objects.get().recipients_payload() == []
    body["recipientGroupFilter"]["andFilter"] = False
    assert api.post(URL, body).json()["count"] == 4


def test_it_refuses_an_unknown_group(api, project):
    body = _body(recipients=None, recipientGroupFilter={"andFilter": False, "groups": ["nope"]})
    _refused(api.post(URL, body), "recipientGroupFilter")


def test_it_refuses_six_groups(api, project):
    body = _body(recipients=None, recipientGroupFilter={"groups": list("abcdef")})
    _refused(api.post(URL, body), "recipientGroupFilter")


def test_it_refuses_recipients_and_a_group_filter_together(api, project):
    _group(project, "a", ["1@x.com"])
    body = _body(recipientGroupFilter={"groups": ["a"]})
    _refused(api.post(URL, body), "one or the other")


def test_an_idempotency_key_replays_the_first_answer(api):
    first = api.post(URL, _body(), headers={"Idempotency-Key": "order-42"})
    second = api.post(URL, _body(), headers={"Idempotency-Key": "order-42"})
    assert second.status_code == 201
    assert second.json() == first.json()
    assert SendRequest.objects.count() == 1


def test_an_idempotency_key_is_per_project(api, client, outsider):
    from console.models import Project

    api.post(URL, _body(), headers={"Idempotency-Key": "k"})
    key, secret = make_api_key(Project.objects.get(name="other"), outsider)
    other = ApiClient(client, key.access_key, secret)
    assert other.post(URL, _body(), headers={"Idempotency-Key": "k"}).status_code == 201
    assert SendRequest.objects.count() == 2


def test_an_expired_idempotency_key_sends_again(api):
    from datetime import timedelta

    from mailer.models import IdempotencyKey

    api.post(URL, _body(), headers={"Idempotency-Key": "k"})
    IdempotencyKey.objects.update(created=IdempotencyKey.objects.get().created
                                  - timedelta(hours=25))
    api.post(URL, _body(), headers={"Idempotency-Key": "k"})
    assert SendRequest.objects.count() == 2


def test_a_viewer_s_key_cannot_send(client, project, viewer):
    key, secret = make_api_key(project, viewer)
    response = ApiClient(client, key.access_key, secret).post(URL, _body())
    assert response.status_code == 403
    assert response.json()["error"]["errorCode"] == "77201"


def test_a_sender_s_key_can_send(client, project, sender):
    key, secret = make_api_key(project, sender)
    assert ApiClient(client, key.access_key, secret).post(URL, _body()).status_code == 201
    assert SendRequest.objects.get().requested_by == sender
    assert Membership.objects.get(user=sender).role == "sender"


def test_it_accepts_the_seed_s_example_addresses(api):
    recipients = [{"address": "hongildong@naver_.com", "name": "Hong Gil Dong", "type": "R"},
                  {"address": "chulsoo@daum_.net", "name": None, "type": "R"}]
    assert api.post(URL, _body(recipients=recipients, title="t", body="b")).status_code == 201
