"""Combining recipient groups: AND = the addresses in every group, OR = in any of them.

One set-based query either way; senders with recipientGroupFilter and the composer's "download
combined result" both use it.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from addressbook.models import Address, GroupMember, RecipientGroup
from console.models import Project


def missing_groups(project: Project, names: list[str]) -> list[str]:
    found = set(RecipientGroup.objects.filter(project=project, name__in=names)
                .values_list("name", flat=True))
    return [name for name in names if name not in found]


def combine_groups(project: Project, names: list[str], *, and_filter: bool) -> QuerySet[Address]:
    groups = RecipientGroup.objects.filter(project=project, name__in=names)
    members = GroupMember.objects.filter(group__in=groups)
    if and_filter:
        wanted = len(set(names))
        ids = (members.values("address_id").annotate(n=Count("group_id"))
               .filter(n=wanted).values("address_id"))
    else:
        ids = members.values("address_id")
    return Address.objects.filter(project=project, id__in=ids)
