"""Forms of the Address book screen: the list filters, group names, registering addresses and
editing the groups of selected addresses."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from addressbook.addresses import AddressList, split_addresses
from addressbook.imports import ImportRefused, check_upload
from addressbook.models import Address, RecipientGroup, validate_group_name
from console.models import Project

MAX_TYPED = 1_000
MAX_SELECTED = 1_000
# The browser's check of a group name (the server checks GROUP_NAME in models.py).
NAME_PATTERN = r"[0-9A-Za-z._\-ᄀ-ᇿ㄰-㆏가-힣]{1,100}"


class BookFilterForm(forms.Form):
    group = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Search by address"), required=False, max_length=320,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("Address starts with…")}))
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


def _group_field(project: Project) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=RecipientGroup.objects.filter(project=project), required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("There is no such recipient group (any more).")})


class GroupNameForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=100,
                           validators=[validate_group_name],
                           widget=forms.TextInput(attrs={"placeholder": _("New group name"),
                                                         "pattern": NAME_PATTERN}))

    def __init__(self, *args, project: Project, group: RecipientGroup | None = None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project, self.group = project, group

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = RecipientGroup.objects.filter(project=self.project, name=name)
        if self.group is not None:
            taken = taken.exclude(pk=self.group.pk)
        if taken.exists():
            raise forms.ValidationError(_("A group named %(name)s already exists."),
                                        params={"name": name})
        return name


class RegisterForm(forms.Form):
    """Typed or pasted addresses (≤ 1,000), or a CSV / Excel file (≤ 10 MB): one of the two."""

    addresses = forms.CharField(
        label=_("Addresses"), required=False, max_length=400_000,
        widget=forms.Textarea(attrs={"rows": 8,
                                     "placeholder": "hong@example.com, kim@example.com"}),
        help_text=_("Up to 1,000 addresses, separated by Tab, Space, Enter, comma or semicolon."))
    file = forms.FileField(label=_("Select file for bulk registration"), required=False,
                           help_text=_("CSV or Excel (.xlsx), up to 10 MB. The column with the "
                                       "addresses is found by its @; a header row is skipped."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}))

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"] = _group_field(project)

    def clean_addresses(self) -> AddressList | None:
        text = self.cleaned_data["addresses"]
        if not text.strip():
            return None
        values = split_addresses(text)
        if len(values) > MAX_TYPED:
            raise forms.ValidationError(
                _("At most 1,000 addresses at a time; you entered %(count)s. Nothing was "
                  "registered: split them, or upload them as a file."),
                params={"count": f"{len(values):,}"})
        found = AddressList()
        for value in values:
            found.add(value)
        return found

    def clean_file(self) -> tuple[UploadedFile, str] | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        try:
            return upload, check_upload(upload)
        except ImportRefused as refused:
            raise forms.ValidationError(str(refused)) from None

    def clean(self) -> dict:
        data = super().clean()
        given = [name for name in ("addresses", "file") if data.get(name)]
        if not given and not self.errors:
            raise forms.ValidationError(_("Enter addresses or choose a file."))
        if len(given) == 2:
            raise forms.ValidationError(_("Enter addresses or choose a file, not both."))
        return data


class SelectionForm(forms.Form):
    """Addresses ticked in the list (of this project)."""

    address = forms.ModelMultipleChoiceField(queryset=Address.objects.none(),
                                             widget=forms.MultipleHiddenInput,
                                             error_messages={"required": _(
                                                 "Select addresses in the list first.")})

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["address"].queryset = Address.objects.filter(project=project)

    def clean_address(self):
        chosen = self.cleaned_data["address"]
        if len(chosen) > MAX_SELECTED:
            raise forms.ValidationError(ngettext(
                "Select at most %(max)d address.", "Select at most %(max)d addresses.",
                MAX_SELECTED) % {"max": MAX_SELECTED})
        return chosen


class EditGroupsForm(SelectionForm):
    """The groups of the selected addresses: add them to some, take them out of others, and
    create a group on the way."""

    add_to = forms.ModelMultipleChoiceField(queryset=RecipientGroup.objects.none(), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    remove_from = forms.ModelMultipleChoiceField(queryset=RecipientGroup.objects.none(),
                                            required=False, widget=forms.CheckboxSelectMultiple)
    new_group = forms.CharField(label=_("New group"), required=False, max_length=100,
                                validators=[validate_group_name])

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, project=project, **kwargs)
        groups = RecipientGroup.objects.filter(project=project)
        self.fields["add_to"].queryset = groups
        self.fields["remove_from"].queryset = groups

    def clean_new_group(self) -> str:
        name = self.cleaned_data["new_group"].strip()
        if name and RecipientGroup.objects.filter(project=self.project, name=name).exists():
            raise forms.ValidationError(_("A group named %(name)s already exists."),
                                        params={"name": name})
        return name

    def clean(self) -> dict:
        data = super().clean()
        both = set(data.get("add_to") or []) & set(data.get("remove_from") or [])
        if both:
            raise forms.ValidationError(_("Add to a group or remove from it, not both: "
                                          "%(names)s."),
                                        params={"names": ", ".join(g.name for g in both)})
        return data
