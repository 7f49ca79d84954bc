"""The address-book API with the reference's bodies (groups[].emailAddresses, emailAddresses):
registration answered before the asynchronous write, deletions, the admin-only reset, and
400s that name the field."""

from __future__ import annotations

import pytest

from addressbook.models import Address, AddressImport, RecipientGroup
from addressbook.tasks import run_import
from console.models import Membership
from tests.addressbook.factories import counts_are_exact, make_group, members
from tests.factories import ApiClient, add_member, make_api_key, make_project, make_user

URL = "/api/v1/address-book"


def _run_queued() -> None:
    for pk in AddressImport.objects.filter(status=AddressImport.Status.QUEUED) \
            .values_list("pk", flat=True):
        run_import.apply(kwargs={"job_id": pk})


def _refused(response, field: str, code: str = "77102") -> str:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["errorCode"] == code
    assert field in error["message"], error["message"]
    return error["message"]


@pytest.fixture
def api_as(client, project):
    def make(role: str) -> ApiClient:
        user = make_user(f"api-{role}")
        add_member(project, user, role)
        key, secret = make_api_key(project, user)
        return ApiClient(client, key.access_key, secret)

    return make


def test_it_reads_the_groups_and_counts(api, project):
    vip = make_group(project, "vip", ["a@example.com", "b@example.com"])
    news = make_group(project, "news", ["b@example.com"])
    response = api.get(URL)
    assert response.status_code == 200
    assert response.json() == {"totalAddressCount": 2, "groups": [
        {"sid": news.pk, "groupName": "news", "addressCount": 1},
        {"sid": vip.pk, "groupName": "vip", "addressCount": 2}]}


def test_it_answers_a_registration_before_writing_it(api, project,
                                                     django_capture_on_commit_callbacks):
    make_group(project, "vip", ["old@example.com"])
    body = {"groups": [{"groupName": "vip",
                        "emailAddresses": ["New@Example.com", "old@example.com"]},
                       {"groupName": "고객", "emailAddresses": ["k@example.com,j@example.com"]}]}
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(URL, body)
    assert response.status_code == 201
    answer = response.json()
    # The address book as it was just before the request, as the reference answers.
    assert answer["totalAddressCount"] == 1
    assert [(g["groupName"], g["addressCount"]) for g in answer["groups"]] == [("vip", 1)]
    assert len(callbacks) == 1
    _run_queued()
    state = api.get(URL).json()
    assert state["totalAddressCount"] == 4
    assert [(g["groupName"], g["addressCount"]) for g in state["groups"]] == [
        ("vip", 2), ("고객", 2)]
    assert members(RecipientGroup.objects.get(name="vip")) == {"new@example.com",
                                                                "old@example.com"}
    assert counts_are_exact(project)


def test_a_group_without_addresses_is_just_created(api, project):
    response = api.post(URL, {"groups": [{"groupName": "empty"}]})
    assert response.status_code == 201
    assert response.json() == {"totalAddressCount": 0, "groups": []}  # before the request
    assert api.get(URL).json()["groups"] == [
        {"sid": RecipientGroup.objects.get().pk, "groupName": "empty", "addressCount": 0}]
    assert not AddressImport.objects.exists()


@pytest.mark.parametrize(("body", "field"), [
    ({"groups": [{"groupName": "vip", "emailAddresses": ["ok@example.com", "not an address"]}]},
     "groups[0].emailAddresses[1]"),
    ({"groups": [{"groupName": "vip", "emailAddresses": ["@x"]}]},
     "groups[0].emailAddresses[0]"),
    ({"groups": [{"groupName": "has space", "emailAddresses": []}]}, "groups[0].groupName"),
    ({"groups": [{"groupName": "", "emailAddresses": []}]}, "groups[0].groupName"),
    ({"groups": [{"groupName": "x" * 101}]}, "groups.0.groupName"),
    ({"groups": [{"emailAddresses": ["a@example.com"]}]}, "groupName"),
    ({"groups": [{"groupName": "vip", "emailAddresses": "a@example.com"}]}, "emailAddresses"),
    ({"groups": [{"groupName": "vip", "emailAddresses": [1]}]}, "emailAddresses.0"),
    ({"groups": []}, "groups"),
    ({}, "groups"),
])
def test_it_refuses_a_bad_registration_naming_the_field(api, body, field):
    _refused(api.post(URL, body), field)
    assert not AddressImport.objects.exists() and not RecipientGroup.objects.exists()


def test_it_refuses_more_than_100000_addresses(api):
    many = [f"u{n}@example.com" for n in range(100_001)]
    body = {"groups": [{"groupName": "vip", "emailAddresses": many}]}
    assert "at most 100,000" in _refused(api.post(URL, body), "emailAddresses")


def test_it_refuses_malformed_json(api):
    response = api.post(URL, raw="{not json")
    assert response.status_code == 400
    assert response.json()["error"]["errorCode"] == "77102"


def test_a_viewer_may_read_but_not_write(api_as, project):
    viewer = api_as(Membership.Role.VIEWER)
    assert viewer.get(URL).status_code == 200
    response = viewer.post(URL, {"groups": [{"groupName": "vip",
                                             "emailAddresses": ["a@example.com"]}]})
    assert response.status_code == 403
    assert response.json()["error"]["errorCode"] == "77201"
    assert viewer.delete(URL + "/address",
                         {"emailAddresses": ["a@example.com"]}).status_code == 403


def test_only_an_admin_resets(api_as, api, project):
    make_group(project, "vip", ["a@example.com", "b@example.com"])
    sender = api_as(Membership.Role.SENDER)
    assert sender.delete(URL).status_code == 403
    response = api.delete(URL)
    assert response.status_code == 200
    assert response.json() == {"deletedAddressCount": 2}
    assert not Address.objects.exists() and not RecipientGroup.objects.exists()


def test_it_deletes_addresses_from_the_book_and_their_groups(api, project):
    vip = make_group(project, "vip", ["a@example.com", "b@example.com"])
    response = api.delete(URL + "/address",
                          {"emailAddresses": ["A@example.com", "zz@example.com"]})
    assert response.status_code == 200
    assert response.json()["totalAddressCount"] == 1
    assert members(vip) == {"b@example.com"}
    _refused(api.delete(URL + "/address", {"emailAddresses": ["bad"]}), "emailAddresses[0]")
    _refused(api.delete(URL + "/address", {"emailAddresses": []}), "emailAddresses")
    _refused(api.delete(URL + "/address", {"addresses": ["a@example.com"]}), "emailAddresses")


def test_it_deletes_a_group_and_keeps_its_addresses(api, project):
    make_group(project, "vip", ["a@example.com"])
    response = api.delete(URL + "/recipient-groups", params={"groupName": "vip"})
    assert response.status_code == 200
    assert response.json() == {"totalAddressCount": 1, "groups": []}
    _refused(api.delete(URL + "/recipient-groups", params={"groupName": "vip"}),
             "no recipient group named 'vip'", code="77103")
    _refused(api.delete(URL + "/recipient-groups"), "groupName")


def test_it_takes_addresses_out_of_a_group(api, project):
    vip = make_group(project, "vip", ["a@example.com", "b@example.com"])
    response = api.delete(URL + "/recipient-groups/address",
                          {"groupName": "vip", "emailAddresses": ["a@example.com"]})
    assert response.status_code == 200
    assert response.json()["groups"][0]["addressCount"] == 1
    assert members(vip) == {"b@example.com"}
    assert Address.objects.count() == 2
    _refused(api.delete(URL + "/recipient-groups/address",
                        {"groupName": "nope", "emailAddresses": ["a@example.com"]}), "nope",
             code="77103")


def test_it_empties_a_group(api, project):
    vip = make_group(project, "vip", ["a@example.com", "b@example.com"])
    response = api.delete(URL + "/recipient-groups/address/empty", params={"groupName": "vip"})
    assert response.status_code == 200
    assert response.json() == {"totalAddressCount": 2, "groups": [
        {"sid": vip.pk, "groupName": "vip", "addressCount": 0}]}


def test_it_never_touches_another_project(api, project):
    other = make_project("other")
    make_group(other, "vip", ["a@example.com"])
    _refused(api.delete(URL + "/recipient-groups", params={"groupName": "vip"}), "vip",
             code="77103")
    api.delete(URL + "/address", {"emailAddresses": ["a@example.com"]})
    assert Address.objects.filter(project=other).count() == 1
    assert api.get(URL).json() == {"totalAddressCount": 0, "groups": []}


@pytest.mark.parametrize("path", [URL + "/address", URL + "/recipient-groups"])
def test_it_answers_a_wrong_method_with_77001(api, path):
    response = api.client.put(path, data="{}", content_type="application/json",
                              headers=api._headers("PUT", path, None))
    assert response.status_code == 405
    assert response.json()["error"]["errorCode"] == "77001"
