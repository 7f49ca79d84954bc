from __future__ import annotations

from tests.factories import PASSWORD


def test_it_changes_the_password(owner_client, owner):
    response = owner_client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "a much better passphrase 42",
        "new_password2": "a much better passphrase 42"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("a much better passphrase 42")


def test_it_needs_the_old_password(owner_client, owner):
    response = owner_client.post("/accounts/password/", {
        "old_password": "wrong", "new_password1": "a much better passphrase 42",
        "new_password2": "a much better passphrase 42"})
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_it_refuses_a_weak_password(owner_client, owner):
    response = owner_client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert b"too short" in response.content


def test_it_requires_login(client, db):
    assert client.get("/accounts/password/").status_code == 302
