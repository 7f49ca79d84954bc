"""Combining recipient groups: AND = the addresses in every group, OR = in any of them.

One query either way; sends with recipientGroupFilter and the composer's "download combined
result" (the `group_combination` export) both use it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from addressbook.models import Address, GroupMember, RecipientGroup
from console.models import Project


class InGroups(Exists):
    """EXISTS a membership of the address in (one of) the groups: an index probe per address,
    with "OFFSET 0" on PostgreSQL so that it stays one. Planned as a semi-join or a merge join
    instead, it is faster to count, but every chunk of the mailer's id cursor (id > last, 5,000
    at a time) re-reads the memberships from the start: reading a 700,000-address combination
    took 15 s instead of 3 s (docs/benchmarks.md, B5)."""

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="EXISTS(%(subquery)s OFFSET 0)",
                           **extra_context)


def _members(group_ids: list[int]) -> InGroups:
    return InGroups(GroupMember.objects.filter(address=OuterRef("pk"), group_id__in=group_ids))


def missing_groups(project: Project, names: list[str]) -> list[str]:
    found = set(RecipientGroup.objects.filter(project=project, name__in=names)
                .values_list("name", flat=True))
    return [name for name in names if name not in found]


def combine_groups(project: Project, names: list[str], *, and_filter: bool) -> QuerySet[Address]:
    """The project's addresses in every (AND) or any (OR) of the named groups. A name that is
    not a group of the project makes an AND empty and adds nothing to an OR."""
    wanted = set(names)
    # The smallest group first: an AND stops probing at the first group an address is not in.
    group_ids = list(RecipientGroup.objects.filter(project=project, name__in=wanted)
                     .order_by("address_count").values_list("pk", flat=True))
    addresses = Address.objects.filter(project=project)
    if not group_ids or (and_filter and len(group_ids) < len(wanted)):
        return addresses.none()
    if and_filter:
        for group_id in group_ids:
            addresses = addresses.filter(_members([group_id]))
        return addresses
    return addresses.filter(_members(group_ids))
