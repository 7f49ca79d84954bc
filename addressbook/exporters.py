"""What the address book offers as Excel downloads, built by console's generic export: the
addresses with their groups (the whole book or one group), and the result of a group
combination (the composer's "download combined result")."""

from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from addressbook.combination import combine_groups
from addressbook.models import Address, AddressBook, GroupMember, RecipientGroup
from console.exports import register_exporter
from console.models import Project

CHUNK = 5_000
MAX_COMBINED_GROUPS = 5


class AddressBookExportForm(forms.Form):
    group = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_group(self) -> int | None:
        sid = self.cleaned_data.get("group")
        if sid and not RecipientGroup.objects.filter(project=self.project, pk=sid).exists():
            raise forms.ValidationError(gettext_lazy("There is no such recipient group."))
        return sid


def _group_names(address_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for address_id, name in (GroupMember.objects.filter(address_id__in=address_ids)
                             .order_by("group__name").values_list("address_id", "group__name")):
        names.setdefault(address_id, []).append(name)
    return names


def address_book_rows(project: Project, params: dict) -> Iterator[list]:
    """Address, groups, registration time: in address order, a chunk at a time (keyset), so no
    query holds a transaction or a cursor across the file's generation."""
    yield [_("Address"), _("Groups"), _("Registered")]
    addresses = Address.objects.filter(project=project)
    if params.get("group"):
        addresses = addresses.filter(groupmember__group_id=params["group"])
    last = ""
    while chunk := list(addresses.filter(address__gt=last).order_by("address")
                        .values_list("pk", "address", "created")[:CHUNK]):
        last = chunk[-1][1]
        names = _group_names([pk for pk, _address, _created in chunk])
        for pk, address, created in chunk:
            yield [address, ", ".join(names.get(pk, [])), created]


def address_book_total(project: Project, params: dict) -> int:
    if params.get("group"):
        return (RecipientGroup.objects.filter(project=project, pk=params["group"])
                .values_list("address_count", flat=True).first() or 0)
    return AddressBook.address_count_of(project)


def describe_address_book(project: Project, params: dict) -> str:
    if params.get("group"):
        name = (RecipientGroup.objects.filter(project=project, pk=params["group"])
                .values_list("name", flat=True).first())
        return _("Group %(name)s") % {"name": name or "?"}
    return _("All addresses")


class CombinationExportForm(forms.Form):
    groups = forms.MultipleChoiceField(choices=[])
    and_filter = forms.BooleanField(required=False)

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        names = RecipientGroup.objects.filter(project=project).values_list("name", flat=True)
        self.fields["groups"].choices = [(name, name) for name in names]

    def clean_groups(self) -> list[str]:
        groups = self.cleaned_data["groups"]
        if len(groups) > MAX_COMBINED_GROUPS:
            raise forms.ValidationError(gettext_lazy("Combine at most 5 groups."))
        return groups


def combination_rows(project: Project, params: dict) -> Iterator[list]:
    yield [_("Address")]
    addresses = combine_groups(project, params["groups"],
                               and_filter=params.get("and_filter", False)).order_by("pk")
    last = 0
    while chunk := list(addresses.filter(pk__gt=last).values_list("pk", "address")[:CHUNK]):
        last = chunk[-1][0]
        for _pk, address in chunk:
            yield [address]


def combination_total(project: Project, params: dict) -> int:
    return combine_groups(project, params["groups"],
                          and_filter=params.get("and_filter", False)).count()


def describe_combination(project: Project, params: dict) -> str:
    joiner = " AND " if params.get("and_filter") else " OR "
    return joiner.join(params.get("groups", []))


def register() -> None:
    register_exporter("address_book", gettext_lazy("Address book"), address_book_rows,
                      total=address_book_total, form=AddressBookExportForm,
                      describe=describe_address_book)
    register_exporter("group_combination", gettext_lazy("Group combination"),
                      combination_rows, total=combination_total, form=CombinationExportForm,
                      describe=describe_combination)
