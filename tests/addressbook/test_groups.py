"""Create, rename, empty and delete a recipient group."""

from __future__ import annotations

import pytest

from addressbook.models import Address, RecipientGroup
from tests.addressbook.factories import counts_are_exact, make_group, members
from tests.factories import make_project


def base(project) -> str:
    return f"/projects/{project.slug}/address-book/"


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.mark.parametrize("name", ["vip", "고객_2024", "a.b-c_d", "x" * 100, "ㄱㄴ"])
def test_it_creates_a_group_with_a_valid_name(owner_client, project, name):
    response = owner_client.post(base(project) + "groups/", {"name": name})
    group = RecipientGroup.objects.get(project=project, name=name)
    assert response.url == base(project) + f"?group={group.pk}"


@pytest.mark.parametrize("name", ["", "with space", "semi;colon", "x" * 101, "émile", "a/b"])
def test_it_refuses_a_bad_name_with_the_rule(owner_client, project, name):
    response = owner_client.post(base(project) + "groups/", {"name": name}, follow=True)
    assert not RecipientGroup.objects.exists()
    text = " ".join(_messages(response))
    assert "Hangul, letters, digits" in text or "at most 100" in text or "required" in text


def test_it_refuses_a_second_group_of_the_same_name(owner_client, project):
    make_group(project, "vip")
    response = owner_client.post(base(project) + "groups/", {"name": "vip"}, follow=True)
    assert "A group named vip already exists." in _messages(response)
    assert RecipientGroup.objects.count() == 1


def test_the_same_name_may_exist_in_another_project(owner_client, project):
    make_group(make_project("other"), "vip")
    owner_client.post(base(project) + "groups/", {"name": "vip"})
    assert RecipientGroup.objects.filter(project=project, name="vip").exists()


def test_it_renames_a_group(owner_client, project):
    vip = make_group(project, "vip")
    make_group(project, "taken")
    owner_client.post(base(project) + f"groups/{vip.pk}/rename/", {"name": "gold"})
    vip.refresh_from_db()
    assert vip.name == "gold"
    response = owner_client.post(base(project) + f"groups/{vip.pk}/rename/", {"name": "taken"},
                                 follow=True)
    vip.refresh_from_db()
    assert vip.name == "gold"
    assert "A group named taken already exists." in _messages(response)


def test_renaming_to_its_own_name_is_fine(owner_client, project):
    vip = make_group(project, "vip")
    response = owner_client.post(base(project) + f"groups/{vip.pk}/rename/", {"name": "vip"},
                                 follow=True)
    assert "Group vip renamed to vip." in _messages(response)


def test_it_empties_a_group_and_keeps_the_addresses(owner_client, project):
    vip = make_group(project, "vip", ["a@example.com", "b@example.com"])
    response = owner_client.post(base(project) + f"groups/{vip.pk}/empty/", follow=True)
    assert "2 addresses taken out of vip." in _messages(response)
    assert members(vip) == set()
    assert Address.objects.filter(project=project).count() == 2
    assert counts_are_exact(project)


def test_it_deletes_a_group_and_keeps_the_addresses(owner_client, project):
    vip = make_group(project, "vip", ["a@example.com"])
    response = owner_client.post(base(project) + f"groups/{vip.pk}/delete/")
    assert response.url == base(project)
    assert not RecipientGroup.objects.filter(pk=vip.pk).exists()
    assert Address.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("action", ["rename", "empty", "delete"])
def test_a_group_of_another_project_is_not_found(owner_client, project, action):
    foreign = make_group(make_project("other"), "theirs", ["t@example.com"])
    response = owner_client.post(base(project) + f"groups/{foreign.pk}/{action}/",
                                 {"name": "mine"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert (foreign.name, foreign.address_count) == ("theirs", 1)


@pytest.mark.parametrize("path", ["groups/", "groups/{pk}/rename/", "groups/{pk}/empty/",
                                  "groups/{pk}/delete/"])
def test_a_viewer_cannot_change_groups(client, project, viewer, path):
    vip = make_group(project, "vip", ["a@example.com"])
    client.force_login(viewer)
    response = client.post(base(project) + path.format(pk=vip.pk), {"name": "x"})
    assert response.status_code == 403
    assert counts_are_exact(project) and RecipientGroup.objects.get().name == "vip"


@pytest.mark.parametrize("path", ["groups/", "groups/{pk}/rename/", "groups/{pk}/empty/",
                                  "groups/{pk}/delete/"])
def test_they_refuse_a_wrong_method(owner_client, project, path):
    vip = make_group(project, "vip")
    assert owner_client.get(base(project) + path.format(pk=vip.pk)).status_code == 405


@pytest.mark.parametrize("path", ["groups/", "groups/{pk}/rename/", "groups/{pk}/empty/",
                                  "groups/{pk}/delete/"])
def test_an_outsider_gets_404(client, project, outsider, path):
    vip = make_group(project, "vip")
    client.force_login(outsider)
    assert client.post(base(project) + path.format(pk=vip.pk), {"name": "x"}).status_code == 404
