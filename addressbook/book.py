"""Writes to a project's address book — registering addresses, group membership, deleting, reset —
set-based, each under the book's row lock, so that the counts of the group tree stay exact."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone

from addressbook.models import Address, AddressBook, GroupMember, RecipientGroup
from console.models import Project

_STAGE = "addressbook_incoming"  # a temporary table, private to the connection
NAMES_PER_QUERY = 10_000


@dataclass
class Registration:
    """What registering changed: addresses new to the book, and new members per group id."""

    new_addresses: int = 0
    joined: dict[int, int] = field(default_factory=dict)


def _tables() -> dict[str, str]:
    return {"address": Address._meta.db_table, "member": GroupMember._meta.db_table}


def _stage(cursor, addresses: Sequence[str]) -> None:
    """Put the incoming addresses in a temporary table: one set-based statement then adds them
    to the book and one per group, whatever their number."""
    cursor.execute(f"CREATE TEMPORARY TABLE {_STAGE} (address varchar(320) NOT NULL)")
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {_STAGE} (address) FROM STDIN") as copy:
            for address in addresses:
                copy.write_row((address,))
    else:
        cursor.executemany(f"INSERT INTO {_STAGE} (address) VALUES (%s)",  # noqa: S608
                           [(address,) for address in addresses])


def register(project: Project, addresses: Sequence[str],
             groups: Iterable[RecipientGroup] = ()) -> Registration:
    """Add addresses (valid, normalised, unique: see AddressList) to the book and to each of
    `groups`; what is there already stays as it is."""
    groups = list(groups)
    if not addresses:
        return Registration(joined={group.pk: 0 for group in groups})
    tables = _tables()
    created = Address._meta.get_field("created").get_db_prep_save(timezone.now(), connection)
    with transaction.atomic():
        book = AddressBook.lock(project)
        with connection.cursor() as cursor:
            _stage(cursor, addresses)
            # WHERE true: SQLite needs it to tell ON CONFLICT from a join constraint.
            cursor.execute(
                f'INSERT INTO "{tables["address"]}" (project_id, address, created) '  # noqa: S608
                f"SELECT %s, address, %s FROM {_STAGE} WHERE true "
                "ON CONFLICT (project_id, address) DO NOTHING", [project.pk, created])
            result = Registration(new_addresses=cursor.rowcount)
            for group in groups:
                cursor.execute(
                    f'INSERT INTO "{tables["member"]}" (group_id, address_id) '  # noqa: S608
                    f'SELECT %s, a.id FROM {_STAGE} i JOIN "{tables["address"]}" a '
                    "ON a.project_id = %s AND a.address = i.address WHERE true "
                    "ON CONFLICT (group_id, address_id) DO NOTHING", [group.pk, project.pk])
                result.joined[group.pk] = cursor.rowcount
            cursor.execute(f"DROP TABLE {_STAGE}")
        _count(book, result.new_addresses, result.joined)
    return result


def _count(book: AddressBook, addresses: int, members: dict[int, int]) -> None:
    """Move the tree's counts by what was just written (negative for deletions)."""
    if addresses:
        AddressBook.objects.filter(pk=book.pk).update(
            address_count=F("address_count") + addresses)
    for group_id, n in members.items():
        if n:
            RecipientGroup.objects.filter(pk=group_id).update(
                address_count=F("address_count") + n)


def add_to_groups(project: Project, address_ids: Sequence[int],
                  groups: Iterable[RecipientGroup]) -> dict[int, int]:
    """Put existing addresses of the project into groups; new members per group id."""
    joined = {}
    with transaction.atomic():
        book = AddressBook.lock(project)
        ids = list(Address.objects.filter(project=project, pk__in=address_ids)
                   .values_list("pk", flat=True))
        for group in groups:
            there = set(GroupMember.objects.filter(group=group, address_id__in=ids)
                        .values_list("address_id", flat=True))
            GroupMember.objects.bulk_create(
                [GroupMember(group=group, address_id=pk) for pk in ids if pk not in there])
            joined[group.pk] = len(ids) - len(there)
        _count(book, 0, joined)
    return joined


def remove_from_groups(project: Project, address_ids: Sequence[int],
                       groups: Iterable[RecipientGroup]) -> dict[int, int]:
    """Take addresses out of groups (they stay in the book); members removed per group id."""
    left = {}
    with transaction.atomic():
        book = AddressBook.lock(project)
        for group in groups:
            removed, _by_model = GroupMember.objects.filter(
                group=group, address_id__in=address_ids).delete()
            left[group.pk] = removed
        _count(book, 0, {pk: -n for pk, n in left.items()})
    return left


def delete_addresses(project: Project, addresses: QuerySet[Address] | None = None) -> int:
    """Delete addresses (a queryset of the project's; all of them when None) with their
    memberships; how many addresses were deleted."""
    chosen = Address.objects.filter(project=project)
    if addresses is not None:
        chosen = chosen.filter(pk__in=addresses.values("pk"))
    with transaction.atomic():
        book = AddressBook.lock(project)
        members = GroupMember.objects.filter(address__in=chosen.values("pk"))
        per_group = dict(members.values("group_id").annotate(n=Count("*"))
                         .values_list("group_id", "n"))
        members.delete()
        deleted, _by_model = chosen.delete()
        _count(book, -deleted, {pk: -n for pk, n in per_group.items()})
    return deleted


def _chunks(names: Sequence[str]) -> Iterable[Sequence[str]]:
    """Long lists a piece at a time: SQLite takes at most 32,766 parameters per query."""
    for start in range(0, len(names), NAMES_PER_QUERY):
        yield names[start:start + NAMES_PER_QUERY]


def delete_addresses_named(project: Project, names: Sequence[str]) -> int:
    """Delete the addresses (normalised) that are in the book; unknown ones are ignored."""
    with transaction.atomic():
        return sum(delete_addresses(project, Address.objects.filter(project=project,
                                                                    address__in=chunk))
                   for chunk in _chunks(names))


def remove_named_from_group(project: Project, names: Sequence[str],
                            group: RecipientGroup) -> int:
    """Take the addresses (normalised) out of the group; how many were in it."""
    with transaction.atomic():
        return sum(remove_from_groups(project, list(
            Address.objects.filter(project=project, address__in=chunk)
            .values_list("pk", flat=True)), [group])[group.pk] for chunk in _chunks(names))


def empty_group(group: RecipientGroup) -> int:
    """Take every address out of the group (they stay in the book); how many were in it."""
    with transaction.atomic():
        AddressBook.lock(group.project)
        removed, _by_model = GroupMember.objects.filter(group=group).delete()
        RecipientGroup.objects.filter(pk=group.pk).update(address_count=0)
    group.address_count = 0
    return removed


def delete_group(group: RecipientGroup) -> None:
    """Delete the group; its addresses stay in the book."""
    with transaction.atomic():
        AddressBook.lock(group.project)
        GroupMember.objects.filter(group=group).delete()
        group.delete()


def reset(project: Project) -> int:
    """Delete every group and address of the project; how many addresses there were."""
    with transaction.atomic():
        book = AddressBook.lock(project)
        GroupMember.objects.filter(group_id__in=RecipientGroup.objects.filter(
            project=project).values("pk")).delete()
        RecipientGroup.objects.filter(project=project).delete()
        deleted, _by_model = Address.objects.filter(project=project).delete()
        AddressBook.objects.filter(pk=book.pk).update(address_count=0)
    return deleted
