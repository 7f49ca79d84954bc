from __future__ import annotations

from console.models import Membership
from tests.factories import make_user


def test_it_saves_the_project_settings(owner_client, project):
    response = owner_client.post(f"/projects/{project.slug}/settings/",
                                 {"name": "acme", "time_zone": "Asia/Tokyo", "language": "ja"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.time_zone, project.language) == ("Asia/Tokyo", "ja")


def test_it_shows_settings_read_only_to_a_viewer(client, viewer, project):
    client.force_login(viewer)
    response = client.get(f"/projects/{project.slug}/settings/")
    assert response.status_code == 200
    assert b"admins can change these settings" in response.content
    assert b'disabled' in response.content


def test_it_refuses_a_viewer_who_posts_settings(client, viewer, project):
    client.force_login(viewer)
    response = client.post(f"/projects/{project.slug}/settings/",
                           {"name": "x", "time_zone": "UTC", "language": "en"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name == "acme"


def test_it_adds_an_existing_user_as_member(owner_client, project):
    make_user("kim")
    response = owner_client.post(f"/projects/{project.slug}/settings/members/",
                                 {"username": "kim", "role": "sender"})
    assert response.status_code == 302
    assert project.memberships.get(user__username="kim").role == "sender"


def test_it_creates_an_account_and_shows_its_password_once(owner_client, project):
    response = owner_client.post(f"/projects/{project.slug}/settings/members/",
                                 {"username": "lee", "email": "lee@example.com", "role": "viewer"})
    assert response.status_code == 200
    password = response.context["new_account"]["password"]
    member = project.memberships.get(user__username="lee")
    assert member.user.check_password(password)
    assert password not in owner_client.get(
        f"/projects/{project.slug}/settings/members/").content.decode()


def test_it_refuses_to_add_a_member_twice(owner_client, project, sender):
    response = owner_client.post(f"/projects/{project.slug}/settings/members/",
                                 {"username": "sender", "role": "viewer"})
    assert response.status_code == 200
    assert b"already a member" in response.content


def test_it_refuses_a_username_with_spaces(owner_client, project):
    response = owner_client.post(f"/projects/{project.slug}/settings/members/",
                                 {"username": "no spaces please", "role": "viewer"})
    assert response.status_code == 200
    assert not project.memberships.filter(user__username="no spaces please").exists()


def test_it_changes_a_role(owner_client, project, sender):
    member = project.memberships.get(user=sender)
    response = owner_client.post(
        f"/projects/{project.slug}/settings/members/{member.pk}/role/", {"role": "viewer"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == "viewer"


def test_it_keeps_the_last_admin(owner_client, project, owner):
    member = project.memberships.get(user=owner)
    owner_client.post(f"/projects/{project.slug}/settings/members/{member.pk}/role/",
                      {"role": "viewer"})
    owner_client.post(f"/projects/{project.slug}/settings/members/{member.pk}/remove/")
    member.refresh_from_db()
    assert member.role == Membership.Role.ADMIN


def test_it_removes_a_member(owner_client, project, sender):
    member = project.memberships.get(user=sender)
    response = owner_client.post(
        f"/projects/{project.slug}/settings/members/{member.pk}/remove/")
    assert response.status_code == 302
    assert not project.memberships.filter(user=sender).exists()


def test_it_does_not_touch_another_project_s_member(owner_client, project, outsider):
    theirs = Membership.objects.get(user=outsider)
    response = owner_client.post(
        f"/projects/{project.slug}/settings/members/{theirs.pk}/remove/")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_it_refuses_get_on_remove(owner_client, project, sender):
    member = project.memberships.get(user=sender)
    response = owner_client.get(f"/projects/{project.slug}/settings/members/{member.pk}/remove/")
    assert response.status_code == 405


def test_it_refuses_a_sender_on_members(client, sender, project):
    client.force_login(sender)
    assert client.get(f"/projects/{project.slug}/settings/members/").status_code == 403
