"""The address-book API (/api/v1/address-book)."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest
from ninja import Router, Schema

from addressbook.models import Address, RecipientGroup
from console.api import caller

router = Router(tags=["address book"])


class GroupOut(Schema):
    sid: int
    groupName: str
    addressCount: int


class AddressBookOut(Schema):
    totalAddressCount: int
    groups: list[GroupOut]


@router.get("", response=AddressBookOut, summary="The project's recipient groups and counts")
def get_address_book(request: HttpRequest) -> dict:
    project = caller(request).project
    groups = (
        RecipientGroup.objects.filter(project=project)
        .annotate(count=Count("groupmember"))
        .order_by("name")
    )
    return {
        "totalAddressCount": Address.objects.filter(project=project).count(),
        "groups": [{"sid": g.id, "groupName": g.name, "addressCount": g.count} for g in groups],
    }
