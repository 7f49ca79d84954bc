"""addressbook.book: set-based writes that keep the tree's counts equal to the rows."""

from __future__ import annotations

from addressbook import book
from addressbook.models import Address, AddressBook, GroupMember, RecipientGroup
from tests.addressbook.factories import counts_are_exact, make_group, members
from tests.factories import make_project


def test_it_registers_new_addresses_and_leaves_known_ones(project):
    book.register(project, ["a@example.com", "b@example.com"])
    result = book.register(project, ["b@example.com", "c@example.com"])
    assert result.new_addresses == 1
    assert set(Address.objects.filter(project=project).values_list("address", flat=True)) == {
        "a@example.com", "b@example.com", "c@example.com"}
    assert counts_are_exact(project)


def test_it_adds_to_a_group_also_addresses_already_in_the_book(project):
    book.register(project, ["a@example.com"])
    vip = make_group(project, "vip")
    result = book.register(project, ["a@example.com", "b@example.com"], [vip])
    assert (result.new_addresses, result.joined) == (1, {vip.pk: 2})
    assert members(vip) == {"a@example.com", "b@example.com"}
    vip.refresh_from_db()
    assert vip.address_count == 2
    assert counts_are_exact(project)


def test_it_counts_nothing_twice_when_registering_again(project):
    vip = make_group(project, "vip", ["a@example.com"])
    result = book.register(project, ["a@example.com"], [vip])
    assert (result.new_addresses, result.joined) == (0, {vip.pk: 0})
    vip.refresh_from_db()
    assert vip.address_count == 1


def test_it_keeps_projects_apart(project):
    other = make_project("other")
    book.register(other, ["a@example.com"])
    result = book.register(project, ["a@example.com"])
    assert result.new_addresses == 1
    assert AddressBook.address_count_of(other) == 1


def test_it_adds_and_removes_selected_addresses(project):
    book.register(project, ["a@example.com", "b@example.com"])
    vip = make_group(project, "vip", ["a@example.com"])
    ids = list(Address.objects.filter(project=project).values_list("pk", flat=True))
    assert book.add_to_groups(project, ids, [vip]) == {vip.pk: 1}
    assert members(vip) == {"a@example.com", "b@example.com"}
    assert book.remove_from_groups(project, ids[:1], [vip]) == {vip.pk: 1}
    assert len(members(vip)) == 1
    assert Address.objects.filter(project=project).count() == 2  # still in the book
    assert counts_are_exact(project)


def test_it_ignores_addresses_of_another_project_when_adding(project):
    other = make_project("other")
    book.register(other, ["x@example.com"])
    foreign = list(Address.objects.filter(project=other).values_list("pk", flat=True))
    vip = make_group(project, "vip")
    assert book.add_to_groups(project, foreign, [vip]) == {vip.pk: 0}
    assert not GroupMember.objects.filter(group=vip).exists()


def test_it_deletes_addresses_with_their_memberships(project):
    vip = make_group(project, "vip", ["a@example.com", "b@example.com"])
    news = make_group(project, "news", ["a@example.com"])
    assert book.delete_addresses_named(project, ["a@example.com", "nobody@example.com"]) == 1
    assert members(vip) == {"b@example.com"}
    assert members(news) == set()
    assert counts_are_exact(project)


def test_it_empties_and_deletes_a_group_but_keeps_the_addresses(project):
    vip = make_group(project, "vip", ["a@example.com", "b@example.com"])
    assert book.empty_group(vip) == 2
    assert members(vip) == set()
    book.delete_group(vip)
    assert not RecipientGroup.objects.filter(pk=vip.pk).exists()
    assert Address.objects.filter(project=project).count() == 2
    assert counts_are_exact(project)


def test_it_resets_only_this_project(project):
    other = make_project("other")
    make_group(other, "keep", ["k@example.com"])
    make_group(project, "vip", ["a@example.com", "b@example.com"])
    book.register(project, ["c@example.com"])
    assert book.reset(project) == 3
    assert not Address.objects.filter(project=project).exists()
    assert not RecipientGroup.objects.filter(project=project).exists()
    assert AddressBook.address_count_of(project) == 0
    assert members(RecipientGroup.objects.get(project=other)) == {"k@example.com"}
    assert counts_are_exact(other)


def test_it_registers_nothing_for_an_empty_list(project):
    vip = make_group(project, "vip")
    assert book.register(project, [], [vip]).joined == {vip.pk: 0}
    assert not Address.objects.exists()


def test_it_can_register_twice_in_one_transaction(project):
    from django.db import transaction

    with transaction.atomic():
        book.register(project, ["a@example.com"])
        book.register(project, ["b@example.com"])
    assert AddressBook.address_count_of(project) == 2
