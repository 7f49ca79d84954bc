"""The address-book API (/api/v1/address-book), with the fields of the reference
(createAddressBook, getAddressBook, deleteAddressBook, deleteAddress, deleteRecipientGroup,
deleteRecipientGroupRelation, deleteRecipientGroupRelationEmpty): groups and counts, register
addresses (answered before the asynchronous write, like the cloud mailer), delete addresses,
groups and memberships, reset."""

from __future__ import annotations

from typing import Annotated

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer
from pydantic import StrictStr

from addressbook import book
from addressbook.addresses import is_valid_address, normalise_address
from addressbook.imports import start_api_import
from addressbook.models import GROUP_NAME, AddressBook, RecipientGroup
from console.api import ApiError, NotFound, caller
from console.models import Membership, Project

router = Router(tags=["address book"])

# One request registers or deletes at most this many addresses (a send's own limit).
MAX_ADDRESSES = 100_000
MAX_GROUPS = 1_000
GROUP_NAME_MESSAGE = gettext_lazy("1 to 100 characters of Hangul, letters, digits, periods (.), "
                                  "underscores (_) and hyphens (-)")


class AddressBookResponse(Schema):
    sid: int
    groupName: str
    addressCount: int


class AddressBookOut(Schema):
    totalAddressCount: int
    groups: list[AddressBookResponse]


class DeletedOut(Schema):
    deletedAddressCount: int


Address = Annotated[StrictStr, Field(max_length=10_000)]


class AddressBookRequest(Schema):
    """A recipient group and the addresses to register in it (created when the name is new,
    appended to when it exists); without addresses only the group is registered."""

    groupName: StrictStr = Field(max_length=100)
    emailAddresses: list[Address] = Field(default_factory=list)


class CreateAddressBookIn(Schema):
    groups: list[AddressBookRequest] = Field(min_length=1, max_length=MAX_GROUPS)


class EmailAddressesIn(Schema):
    emailAddresses: list[Address] = Field(min_length=1)


class GroupEmailAddressesIn(Schema):
    groupName: StrictStr = Field(max_length=100)
    emailAddresses: list[Address] = Field(min_length=1)


def _state(project: Project) -> dict:
    groups = RecipientGroup.objects.filter(project=project).order_by("name")
    return {
        "totalAddressCount": AddressBook.address_count_of(project),
        "groups": [{"sid": g.pk, "groupName": g.name, "addressCount": g.address_count}
                   for g in groups],
    }


def _checked(addresses: list[str], field: str) -> list[str]:
    """Every address valid (else 400 naming it), normalised and de-duplicated. The reference
    says the addresses are comma-separated: an item holding several is split."""
    addresses = [part for item in addresses for part in item.split(",") if part.strip()]
    for index, address in enumerate(addresses):
        if not is_valid_address(address.strip()):
            raise ApiError(400, f"{field}[{index}]: "
                           + _("%(address)s is not a valid mail address")
                           % {"address": repr(address[:100])})
    return list(dict.fromkeys(normalise_address(a) for a in addresses))


def _count_limit(total: int) -> None:
    if total > MAX_ADDRESSES:
        raise ApiError(400, "emailAddresses: " + _("at most %(max)s in one request, not %(n)s")
                       % {"max": f"{MAX_ADDRESSES:,}", "n": f"{total:,}"})


def _group(project: Project, name: str | None) -> RecipientGroup:
    group = RecipientGroup.objects.filter(project=project, name=(name or "").strip()).first()
    if group is None:
        raise NotFound("groupName: " + _("no recipient group named %(name)s")
                       % {"name": repr(name)})
    return group


@router.get("", response=AddressBookOut, summary="The recipient groups and address counts")
def get_address_book(request: HttpRequest) -> dict:
    return _state(caller(request).project)


@router.post("", response={201: AddressBookOut},
             summary="Register recipient groups and their addresses (asynchronous)")
def post_address_book(request: HttpRequest, payload: CreateAddressBookIn) -> Answer:
    """Answered with the address book as it was just before the request, like the cloud
    mailer: the groups are created at once, their addresses written by a worker."""
    who = caller(request, Membership.Role.SENDER)
    _count_limit(sum(len(g.emailAddresses) for g in payload.groups))
    by_name: dict[str, list[str]] = {}
    for index, entry in enumerate(payload.groups):
        name = entry.groupName.strip()
        if not GROUP_NAME.match(name):
            raise ApiError(400, f"groups[{index}].groupName: {GROUP_NAME_MESSAGE}")
        listed = _checked(entry.emailAddresses, f"groups[{index}].emailAddresses")
        by_name[name] = list(dict.fromkeys(by_name.get(name, []) + listed))
    before = _state(who.project)
    with transaction.atomic():
        groups = [(RecipientGroup.objects.get_or_create(project=who.project, name=name)[0],
                   listed) for name, listed in by_name.items()]
        if any(listed for _group, listed in groups):
            start_api_import(who.project, who.key.user_id,
                             [(group, listed) for group, listed in groups if listed])
    return Answer(201, before)


@router.delete("", response=DeletedOut, summary="Reset: delete every group and address")
def delete_address_book(request: HttpRequest) -> dict:
    who = caller(request, Membership.Role.ADMIN)
    return {"deletedAddressCount": book.reset(who.project)}


@router.delete("/address", response=AddressBookOut,
               summary="Delete addresses from the address book and all their groups")
def delete_addresses(request: HttpRequest, payload: EmailAddressesIn) -> dict:
    who = caller(request, Membership.Role.SENDER)
    _count_limit(len(payload.emailAddresses))
    book.delete_addresses_named(who.project, _checked(payload.emailAddresses, "emailAddresses"))
    return _state(who.project)


@router.delete("/recipient-groups", response=AddressBookOut,
               summary="Delete a recipient group (its addresses stay in the address book)")
def delete_group(request: HttpRequest, groupName: str) -> dict:
    who = caller(request, Membership.Role.SENDER)
    book.delete_group(_group(who.project, groupName))
    return _state(who.project)


@router.delete("/recipient-groups/address", response=AddressBookOut,
               summary="Take addresses out of a recipient group")
def delete_group_addresses(request: HttpRequest, payload: GroupEmailAddressesIn) -> dict:
    who = caller(request, Membership.Role.SENDER)
    _count_limit(len(payload.emailAddresses))
    group = _group(who.project, payload.groupName)
    book.remove_named_from_group(who.project,
                                 _checked(payload.emailAddresses, "emailAddresses"), group)
    return _state(who.project)


@router.delete("/recipient-groups/address/empty", response=AddressBookOut,
               summary="Take every address out of a recipient group")
def empty_group(request: HttpRequest, groupName: str) -> dict:
    who = caller(request, Membership.Role.SENDER)
    book.empty_group(_group(who.project, groupName))
    return _state(who.project)
