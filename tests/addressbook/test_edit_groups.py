"""Edit group: add the selected addresses to groups, take them out of others, create a group."""

from __future__ import annotations

from addressbook.models import Address, RecipientGroup
from tests.addressbook.factories import counts_are_exact, make_group, members
from tests.factories import make_project


def url(project) -> str:
    return f"/projects/{project.slug}/address-book/edit-groups/"


def _ids(project, *addresses) -> list[int]:
    return list(Address.objects.filter(project=project, address__in=addresses)
                .values_list("pk", flat=True))


def test_it_opens_the_dialog_from_the_list_selection(owner_client, project):
    vip = make_group(project, "vip", ["a@example.com", "b@example.com"])
    make_group(project, "news", ["a@example.com"])
    response = owner_client.post(url(project), {"address": _ids(project, "a@example.com",
                                                                 "b@example.com")},
                                 HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith("<dialog open")
    assert "2 addresses selected" in body
    assert f'value="{vip.pk}"' in body
    assert ">2 / 2<" in body and ">1 / 2<" in body  # vip holds both, news one
    assert "HX-Request" in response["Vary"]


def test_it_opens_as_a_page_with_a_get(owner_client, project):
    make_group(project, "vip", ["a@example.com"])
    response = owner_client.get(url(project), {"address": _ids(project, "a@example.com")})
    assert b"<html" in response.content and b"1 address selected" in response.content


def test_it_asks_for_a_selection_first(owner_client, project):
    response = owner_client.post(url(project), HTTP_HX_REQUEST="true")
    assert "Select addresses in the list first." in response.content.decode()


def test_it_adds_to_groups_and_removes_from_others(owner_client, project):
    vip = make_group(project, "vip", ["a@example.com"])
    news = make_group(project, "news", ["a@example.com", "b@example.com", "c@example.com"])
    chosen = _ids(project, "a@example.com", "b@example.com")
    response = owner_client.post(url(project), {"address": chosen, "add_to": [vip.pk],
                                                "remove_from": [news.pk], "apply": "1"},
                                 HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "The groups of 2 addresses were changed." in body
    assert "Added to vip: 1" in body and "Removed from news: 2" in body
    assert "addressbook-changed" in response["HX-Trigger"]
    assert members(vip) == {"a@example.com", "b@example.com"}
    assert members(news) == {"c@example.com"}
    assert counts_are_exact(project)


def test_it_creates_a_group_inline_and_ticks_it(owner_client, project):
    make_group(project, "vip", ["a@example.com"])
    chosen = _ids(project, "a@example.com")
    response = owner_client.post(url(project), {"address": chosen, "new_group": "fresh",
                                                "create": "1"}, HTTP_HX_REQUEST="true")
    fresh = RecipientGroup.objects.get(project=project, name="fresh")
    body = response.content.decode()
    assert body.lstrip().startswith('<form id="edit-groups-form"')
    assert f'name="add_to" value="{fresh.pk}" checked' in body
    assert "addressbook-changed" in response["HX-Trigger"]
    assert members(fresh) == set()  # only once applied
    owner_client.post(url(project), {"address": chosen, "add_to": [fresh.pk], "apply": "1"})
    assert members(fresh) == {"a@example.com"}


def test_a_new_name_typed_before_apply_is_created_too(owner_client, project):
    make_group(project, "vip", ["a@example.com"])
    response = owner_client.post(url(project), {"address": _ids(project, "a@example.com"),
                                                "new_group": "typed", "apply": "1"})
    assert response.status_code == 302
    assert members(RecipientGroup.objects.get(name="typed")) == {"a@example.com"}


def test_it_refuses_a_bad_or_taken_new_name(owner_client, project):
    make_group(project, "vip", ["a@example.com"])
    for name, message in [("bad name", "Hangul, letters"), ("vip", "already exists")]:
        response = owner_client.post(url(project), {"address": _ids(project, "a@example.com"),
                                                    "new_group": name, "create": "1"},
                                     HTTP_HX_REQUEST="true")
        assert message in response.content.decode()
    assert RecipientGroup.objects.count() == 1


def test_it_refuses_adding_to_and_removing_from_the_same_group(owner_client, project):
    vip = make_group(project, "vip", ["a@example.com"])
    response = owner_client.post(url(project), {"address": _ids(project, "a@example.com"),
                                                "add_to": [vip.pk], "remove_from": [vip.pk],
                                                "apply": "1"}, HTTP_HX_REQUEST="true")
    assert "not both: vip" in response.content.decode()
    assert members(vip) == {"a@example.com"}


def test_it_refuses_addresses_and_groups_of_another_project(owner_client, project):
    other = make_project("other")
    theirs = make_group(other, "theirs", ["t@example.com"])
    mine = make_group(project, "mine", ["m@example.com"])
    owner_client.post(url(project), {"address": _ids(other, "t@example.com"),
                                     "add_to": [mine.pk], "apply": "1"})
    owner_client.post(url(project), {"address": _ids(project, "m@example.com"),
                                     "add_to": [theirs.pk], "apply": "1"})
    assert members(mine) == {"m@example.com"}
    assert members(theirs) == {"t@example.com"}


def test_a_viewer_cannot_edit_groups(client, project, viewer):
    vip = make_group(project, "vip")
    make_group(project, "news", ["a@example.com"])
    client.force_login(viewer)
    response = client.post(url(project), {"address": _ids(project, "a@example.com"),
                                          "add_to": [vip.pk], "apply": "1"})
    assert response.status_code == 403
    assert members(vip) == set()


def test_it_refuses_a_wrong_method(owner_client, project):
    assert owner_client.put(url(project)).status_code == 405


def test_an_outsider_gets_404(client, project, outsider):
    client.force_login(outsider)
    assert client.post(url(project)).status_code == 404
