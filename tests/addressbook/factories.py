"""Address-book test data, written through the same set-based path as the product."""

from __future__ import annotations

from addressbook import book
from addressbook.models import Address, AddressBook, GroupMember, RecipientGroup


def make_group(project, name: str, addresses: list[str] = ()) -> RecipientGroup:
    group = RecipientGroup.objects.create(project=project, name=name)
    if addresses:
        book.register(project, list(addresses), [group])
        group.refresh_from_db()
    return group


def members(group: RecipientGroup) -> set[str]:
    return set(Address.objects.filter(groupmember__group=group).values_list("address",
                                                                            flat=True))


def counts_are_exact(project) -> bool:
    """The maintained counts of the tree equal the rows."""
    total = Address.objects.filter(project=project).count()
    if AddressBook.address_count_of(project) != total:
        return False
    return all(group.address_count == GroupMember.objects.filter(group=group).count()
               for group in RecipientGroup.objects.filter(project=project))
