"""Deleting the selected addresses from the address book and all their groups."""

from __future__ import annotations

from addressbook.models import Address
from tests.addressbook.factories import counts_are_exact, make_group, members
from tests.factories import make_project


def url(project) -> str:
    return f"/projects/{project.slug}/address-book/delete/"


def _ids(project, *addresses) -> list[int]:
    return list(Address.objects.filter(project=project, address__in=addresses)
                .values_list("pk", flat=True))


def test_it_deletes_the_selected_addresses(owner_client, project):
    vip = make_group(project, "vip", ["a@example.com", "b@example.com", "c@example.com"])
    response = owner_client.post(url(project), {"address": _ids(project, "a@example.com",
                                                                 "b@example.com")}, follow=True)
    assert "2 addresses deleted." in [str(m) for m in response.context["messages"]]
    assert members(vip) == {"c@example.com"}
    assert counts_are_exact(project)


def test_it_asks_for_a_selection(owner_client, project):
    response = owner_client.post(url(project), follow=True)
    assert "Select addresses in the list first." in [str(m) for m in response.context["messages"]]


def test_it_never_deletes_addresses_of_another_project(owner_client, project):
    other = make_project("other")
    make_group(other, "theirs", ["t@example.com"])
    owner_client.post(url(project), {"address": _ids(other, "t@example.com")})
    assert Address.objects.filter(project=other).count() == 1


def test_a_viewer_cannot_delete(client, project, viewer):
    make_group(project, "vip", ["a@example.com"])
    client.force_login(viewer)
    assert client.post(url(project), {"address": _ids(project, "a@example.com")}).status_code \
        == 403
    assert Address.objects.count() == 1


def test_it_refuses_a_wrong_method(owner_client, project):
    assert owner_client.get(url(project)).status_code == 405


def test_an_outsider_gets_404(client, project, outsider):
    client.force_login(outsider)
    assert client.post(url(project)).status_code == 404
