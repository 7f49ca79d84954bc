from __future__ import annotations

from django.core.management import call_command

from console.models import ApiKey


def test_it_creates_a_key_and_shows_the_secret_once(owner_client, project, owner):
    url = f"/projects/{project.slug}/settings/api-keys/"
    response = owner_client.post(url, {"name": "shop server", "user": owner.pk})
    assert response.status_code == 200
    created = response.context["created"]
    key = ApiKey.objects.get(access_key=created["access_key"])
    assert key.secret == created["secret_key"]
    assert (key.user, key.name) == (owner, "shop server")
    listing = owner_client.get(url).content.decode()
    assert created["access_key"] in listing
    assert created["secret_key"] not in listing


def test_it_creates_a_key_for_another_member(owner_client, project, sender):
    response = owner_client.post(f"/projects/{project.slug}/settings/api-keys/",
                                 {"name": "", "user": sender.pk})
    assert ApiKey.objects.get(access_key=response.context["created"]["access_key"]).user == sender


def test_it_refuses_an_owner_outside_the_project(owner_client, project, outsider):
    response = owner_client.post(f"/projects/{project.slug}/settings/api-keys/",
                                 {"name": "", "user": outsider.pk})
    assert response.status_code == 200
    assert response.context["created"] is None
    assert not ApiKey.objects.exists()


def test_it_revokes_a_key(owner_client, project, owner):
    key, _secret = ApiKey.issue(project, owner)
    response = owner_client.post(f"/projects/{project.slug}/settings/api-keys/{key.pk}/revoke/")
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked is not None


def test_it_cannot_revoke_another_project_s_key(owner_client, project, outsider):
    from console.models import Project

    key, _secret = ApiKey.issue(Project.objects.get(name="other"), outsider)
    response = owner_client.post(f"/projects/{project.slug}/settings/api-keys/{key.pk}/revoke/")
    assert response.status_code == 404
    key.refresh_from_db()
    assert key.revoked is None


def test_it_refuses_get_on_revoke(owner_client, project, owner):
    key, _secret = ApiKey.issue(project, owner)
    response = owner_client.get(f"/projects/{project.slug}/settings/api-keys/{key.pk}/revoke/")
    assert response.status_code == 405


def test_it_refuses_a_sender(client, sender, project):
    client.force_login(sender)
    response = client.post(f"/projects/{project.slug}/settings/api-keys/",
                           {"name": "", "user": sender.pk})
    assert response.status_code == 403
    assert not ApiKey.objects.exists()


def test_the_command_prints_exactly_two_lines(project, owner, capsys):
    call_command("create_api_key", "--project", "acme", "--user", "owner")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("ACCESS_KEY=")
    assert lines[1].startswith("SECRET_KEY=")
    key = ApiKey.objects.get(access_key=lines[0].removeprefix("ACCESS_KEY="))
    assert key.secret == lines[1].removeprefix("SECRET_KEY=")


def test_the_command_refuses_a_non_member(project, outsider):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a member"):
        call_command("create_api_key", "--project", "acme", "--user", "outsider")


def test_a_key_cannot_be_read_with_another_secret_key(project, owner, settings):
    key, _secret = ApiKey.issue(project, owner)
    settings.SECRET_KEY = "another-secret-key-that-is-long-enough-0123456789"
    assert ApiKey.objects.get(pk=key.pk).secret is None
