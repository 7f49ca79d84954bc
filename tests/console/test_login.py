from __future__ import annotations

import pytest

from tests.factories import PASSWORD


def _login(client, username="owner", password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_it_shows_the_login_form(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_it_logs_in_and_goes_to_the_last_project(client, owner, project):
    response = _login(client)
    assert response.status_code == 302
    assert client.get(response.url).url == f"/projects/{project.slug}/mails/"


def test_it_refuses_a_wrong_password(client, owner):
    response = _login(client, password="wrong")
    assert response.status_code == 200
    assert b"correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_it_throttles_after_five_failures(client, owner, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(4):
        assert _login(client, password="wrong").status_code == 200
    assert _login(client, password="wrong").status_code == 429  # the fifth failure
    response = _login(client)  # even the right password is refused now
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_it_throttles_per_username_not_for_everyone(client, owner, sender, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(client, password="wrong")
    assert _login(client, username="sender").status_code == 302


def test_it_forgets_failures_after_a_success(client, owner, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    _login(client, password="wrong")
    _login(client, password="wrong")
    assert _login(client).status_code == 302
    client.logout()
    _login(client, password="wrong")
    _login(client, password="wrong")
    assert _login(client).status_code == 302


def test_it_sends_anonymous_visitors_to_login(client, project):
    response = client.get(f"/projects/{project.slug}/mails/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_it_logs_out_with_post(owner_client):
    response = owner_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in owner_client.session


def test_it_refuses_logout_by_get(owner_client):
    assert owner_client.get("/accounts/logout/").status_code == 405


@pytest.mark.parametrize("method", ["put", "delete"])
def test_it_refuses_other_methods_on_login(client, db, method):
    assert getattr(client, method)("/accounts/login/").status_code == 405


def test_it_signs_in_unthrottled_while_the_cache_is_down(client, owner, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "add", "incr", "get_many", "delete", "touch"):
        monkeypatch.setattr(cache, method, down)
    assert _login(client, password="wrong").status_code == 200
    assert _login(client).status_code == 302
