from __future__ import annotations

import time

import pytest

from console.signature import sign, signed_headers
from tests.factories import make_api_key

URL = "/api/v1/address-book"


def test_it_signs_the_first_design_vector():
    assert sign("POST", "/api/v1/mails", "856915200000", "test-access-key",
                "test-secret-key") == "F1YxxwEjDRZmNLxqqDFz53OpbvLrMCqEsv9tLxoBcWE="


def test_it_signs_the_second_design_vector():
    assert sign("POST", "/api/v1/files", "856915200000", "test-access-key",
                "test-secret-key") == "q1JhbYivx0lU//wBoOyh+yn/y7+Lg9Ez/Xj6FDzxap4="


@pytest.fixture
def key_pair(project, owner):
    key, secret = make_api_key(project, owner)
    return key, secret


def _assert_refused(response, details: str):
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["errorCode"] == "200"
    assert error["message"] == "Authentication Failed"
    assert details in error["details"]


def test_it_accepts_a_signed_request(client, key_pair):
    key, secret = key_pair
    response = client.get(URL, headers=signed_headers("GET", URL, key.access_key, secret))
    assert response.status_code == 200
    assert response.json() == {"totalAddressCount": 0, "groups": []}


def test_it_records_when_the_key_was_last_used(client, key_pair):
    key, secret = key_pair
    client.get(URL, headers=signed_headers("GET", URL, key.access_key, secret))
    key.refresh_from_db()
    assert key.last_used is not None


def test_it_signs_the_query_string_as_sent(client, key_pair):
    key, secret = key_pair
    path = f"{URL}?size=5&page=0"
    response = client.get(path, headers=signed_headers("GET", path, key.access_key, secret))
    assert response.status_code == 200


def test_it_refuses_a_signature_made_without_the_query(client, key_pair):
    key, secret = key_pair
    response = client.get(f"{URL}?page=1",
                          headers=signed_headers("GET", URL, key.access_key, secret))
    _assert_refused(response, "signature does not match")


def test_it_refuses_a_wrong_signature(client, key_pair):
    key, _secret = key_pair
    headers = signed_headers("GET", URL, key.access_key, "not-the-secret")
    _assert_refused(client.get(URL, headers=headers), "signature does not match")


def test_it_refuses_an_unknown_key(client, key_pair):
    _key, secret = key_pair
    headers = signed_headers("GET", URL, "NoSuchAccessKey00000", secret)
    _assert_refused(client.get(URL, headers=headers), "Unknown access key")


def test_it_refuses_a_revoked_key(client, key_pair):
    key, secret = key_pair
    key.revoke()
    headers = signed_headers("GET", URL, key.access_key, secret)
    _assert_refused(client.get(URL, headers=headers), "revoked")


@pytest.mark.parametrize("offset_ms", [-5 * 60 * 1000 - 1000, 5 * 60 * 1000 + 1000])
def test_it_refuses_a_timestamp_outside_five_minutes(client, key_pair, offset_ms):
    key, secret = key_pair
    stamp = str(int(time.time() * 1000) + offset_ms)
    headers = signed_headers("GET", URL, key.access_key, secret, timestamp=stamp)
    _assert_refused(client.get(URL, headers=headers), "5 minutes")


def test_it_accepts_a_timestamp_four_minutes_old(client, key_pair):
    key, secret = key_pair
    stamp = str(int(time.time() * 1000) - 4 * 60 * 1000)
    headers = signed_headers("GET", URL, key.access_key, secret, timestamp=stamp)
    assert client.get(URL, headers=headers).status_code == 200


def test_it_refuses_missing_headers(client, db):
    _assert_refused(client.get(URL), "Missing header")


def test_it_refuses_a_timestamp_that_is_not_a_number(client, key_pair):
    key, secret = key_pair
    headers = signed_headers("GET", URL, key.access_key, secret)
    headers["x-ncp-apigw-timestamp"] = "yesterday"
    _assert_refused(client.get(URL, headers=headers), "epoch milliseconds")


def test_it_refuses_the_key_of_a_removed_member(client, key_pair, owner, project):
    key, secret = key_pair
    project.memberships.filter(user=owner).delete()
    headers = signed_headers("GET", URL, key.access_key, secret)
    _assert_refused(client.get(URL, headers=headers), "no longer a member")


def test_it_scopes_the_answer_to_the_key_s_project(client, key_pair, outsider):
    from addressbook.models import Address
    from console.models import Project

    other = Project.objects.get(name="other")
    Address.objects.create(project=other, address="someone@example.com")
    key, secret = key_pair
    response = client.get(URL, headers=signed_headers("GET", URL, key.access_key, secret))
    assert response.json()["totalAddressCount"] == 0


# A web process keeps the key it read for API_KEY_CACHE_SECONDS (console.api.KeyRows).

def _call(client, key, secret):
    return client.get(URL, headers=signed_headers("GET", URL, key.access_key, secret))


def test_it_reads_a_key_once_while_it_is_fresh(client, key_pair, django_assert_num_queries):
    key, secret = key_pair
    assert _call(client, key, secret).status_code == 200  # read, and last_used written
    with django_assert_num_queries(3):  # read again (last_used), the address book's two
        assert _call(client, key, secret).status_code == 200
    with django_assert_num_queries(2):  # the address book's count and groups, no key query
        assert _call(client, key, secret).status_code == 200


def test_it_refuses_a_key_revoked_after_it_was_read(client, key_pair):
    key, secret = key_pair
    assert _call(client, key, secret).status_code == 200
    key.revoke()
    _assert_refused(_call(client, key, secret), "revoked")


def test_it_refuses_a_member_removed_after_the_key_was_read(client, key_pair, owner, project):
    key, secret = key_pair
    assert _call(client, key, secret).status_code == 200
    project.memberships.filter(user=owner).delete()
    _assert_refused(_call(client, key, secret), "no longer a member")


def test_it_refuses_an_owner_deactivated_after_the_key_was_read(client, key_pair, owner):
    key, secret = key_pair
    assert _call(client, key, secret).status_code == 200
    owner.is_active = False
    owner.save()
    _assert_refused(_call(client, key, secret), "no longer a member")


def test_a_change_made_elsewhere_counts_once_the_entry_ages(client, key_pair, monkeypatch):
    """Another process's revocation (here an UPDATE, which sends no signal) is seen when the
    entry is older than API_KEY_CACHE_SECONDS."""
    from django.utils import timezone

    from console import api
    from console.models import ApiKey

    key, secret = key_pair
    now = [1000.0]
    monkeypatch.setattr(api.time, "monotonic", lambda: now[0])
    assert _call(client, key, secret).status_code == 200
    assert _call(client, key, secret).status_code == 200  # last_used was written: read again
    ApiKey.objects.filter(pk=key.pk).update(revoked=timezone.now())
    now[0] += 0.5
    assert _call(client, key, secret).status_code == 200
    now[0] += 0.6
    _assert_refused(_call(client, key, secret), "revoked")


def test_it_keeps_no_unknown_key(client, key_pair):
    from console.api import key_rows

    _key, secret = key_pair
    for n in range(3):
        headers = signed_headers("GET", URL, f"NoSuchAccessKey0000{n}", secret)
        _assert_refused(client.get(URL, headers=headers), "Unknown access key")
    assert key_rows.rows == {}


def test_it_reads_every_time_when_the_cache_is_off(client, key_pair, settings,
                                                   django_assert_num_queries):
    settings.API_KEY_CACHE_SECONDS = 0
    key, secret = key_pair
    assert _call(client, key, secret).status_code == 200
    with django_assert_num_queries(3):
        assert _call(client, key, secret).status_code == 200
