from __future__ import annotations

from console.models import Membership, Project
from tests.factories import add_member, make_project


def test_it_lists_only_my_projects(owner_client, project, outsider):
    response = owner_client.get("/projects/")
    assert response.status_code == 200
    assert b"acme" in response.content
    assert b"other" not in response.content


def test_it_creates_a_project_with_me_as_admin(owner_client, owner):
    response = owner_client.post("/projects/", {"name": "Shop Korea"})
    project = Project.objects.get(name="Shop Korea")
    assert response.status_code == 302
    assert response.url == f"/projects/{project.slug}/mails/"
    assert project.slug == "shop-korea"
    assert Membership.objects.get(project=project, user=owner).role == Membership.Role.ADMIN


def test_it_refuses_a_duplicate_project_name(owner_client, project):
    response = owner_client.post("/projects/", {"name": "acme"})
    assert response.status_code == 200
    assert Project.objects.filter(name="acme").count() == 1


def test_it_sends_a_user_without_projects_to_the_project_list(client, db):
    from tests.factories import make_user

    client.force_login(make_user("lonely"))
    assert client.get("/").url == "/projects/"


def test_it_goes_home_to_the_last_project_used(owner_client, owner, project):
    second = make_project("zeta")
    add_member(second, owner)
    owner_client.get(f"/projects/{second.slug}/statistics/")
    assert owner_client.get("/").url == f"/projects/{second.slug}/mails/"


def test_it_lists_my_projects_in_the_switcher(owner_client, owner, project):
    second = make_project("zeta")
    add_member(second, owner, Membership.Role.VIEWER)
    response = owner_client.get(f"/projects/{project.slug}/mails/")
    assert b'id="project-switcher"' in response.content
    assert f'href="/projects/{second.slug}/"'.encode() in response.content


def test_it_redirects_the_project_root_to_the_mailing_list(owner_client, project):
    response = owner_client.get(f"/projects/{project.slug}/")
    assert response.url == f"/projects/{project.slug}/mails/"


def test_it_refuses_delete_on_projects(owner_client):
    assert owner_client.delete("/projects/").status_code == 405
