"""Reset: an admin deletes every group and address of the project, behind a confirmation."""

from __future__ import annotations

from addressbook import book
from addressbook.models import Address, AddressBook, RecipientGroup
from tests.addressbook.factories import make_group
from tests.factories import make_project


def url(project) -> str:
    return f"/projects/{project.slug}/address-book/reset/"


def test_an_admin_resets_the_address_book(owner_client, project):
    make_group(project, "vip", ["a@example.com", "b@example.com"])
    book.register(project, ["c@example.com"])
    kept = make_group(make_project("other"), "keep", ["k@example.com"])
    response = owner_client.post(url(project), follow=True)
    assert "The address book was reset: 3 addresses and every group deleted." in [
        str(m) for m in response.context["messages"]]
    assert not Address.objects.filter(project=project).exists()
    assert not RecipientGroup.objects.filter(project=project).exists()
    assert AddressBook.address_count_of(project) == 0
    assert RecipientGroup.objects.filter(pk=kept.pk).exists()


def test_the_page_asks_before_resetting(owner_client, project):
    body = owner_client.get(f"/projects/{project.slug}/address-book/").content.decode()
    assert 'hx-confirm="Reset the address book?' in body


def test_a_sender_cannot_reset(client, project, sender):
    make_group(project, "vip", ["a@example.com"])
    client.force_login(sender)
    assert client.post(url(project)).status_code == 403
    assert Address.objects.count() == 1


def test_it_refuses_a_wrong_method(owner_client, project):
    assert owner_client.get(url(project)).status_code == 405


def test_an_outsider_gets_404(client, project, outsider):
    client.force_login(outsider)
    assert client.post(url(project)).status_code == 404
