"""Forms of the mailer's screens."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from tinymce.widgets import TinyMCE

from addressbook.addresses import is_valid_address
from mailer.domains import valid_domain
from mailer.models import BodyType, SendingDomain
from mailer.rules import Refused
from mailer.suppression import MAX_SEND_BLOCK_HOURS, MIN_SEND_BLOCK_HOURS
from mailer.template_library import ROOT, TemplateFields, category_paths

MAX_TYPED_ADDRESSES = 1000
_SEPARATORS = re.compile(r"[\s,;]+")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Address"), required=False, max_length=320)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


class AddressesForm(forms.Form):
    addresses = forms.CharField(
        label=_("Addresses"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Up to 1,000, separated by spaces, new lines, commas or semicolons."))

    def clean_addresses(self) -> list[str]:
        parts = [p for p in _SEPARATORS.split(self.cleaned_data["addresses"]) if p]
        if len(parts) > MAX_TYPED_ADDRESSES:
            raise forms.ValidationError(
                _("At most %(max)d addresses at a time, not %(n)d."),
                params={"max": MAX_TYPED_ADDRESSES, "n": len(parts)})
        invalid = [p for p in parts if not is_valid_address(p)]
        if invalid:
            raise forms.ValidationError(_("Not mail addresses: %(list)s"),
                                        params={"list": ", ".join(invalid[:5])})
        return parts


class SendingSettingsForm(forms.Form):
    monthly_limit = forms.IntegerField(
        label=_("Monthly sending limit"), min_value=1, max_value=1_000_000_000,
        help_text=_("Recipients per calendar month, counted when a request is accepted."))
    send_block_hours = forms.IntegerField(
        label=_("Send-block time (hours)"), min_value=MIN_SEND_BLOCK_HOURS,
        max_value=MAX_SEND_BLOCK_HOURS,
        help_text=_("How long an address that hard-failed is not sent to; at least 168."))


class SendingDomainForm(forms.Form):
    domain = forms.CharField(label=_("Domain"), max_length=253,
                             help_text=_("The domain of your sender addresses, e.g. "
                                         "mail.example.com."))

    def __init__(self, *args, project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_domain(self) -> str:
        domain = self.cleaned_data["domain"].strip().lower().rstrip(".")
        if not valid_domain(domain):
            raise forms.ValidationError(_("%(domain)s is not a domain name."),
                                        params={"domain": domain})
        if SendingDomain.objects.filter(project=self.project, domain=domain).exists():
            raise forms.ValidationError(_("%(domain)s is already registered."),
                                        params={"domain": domain})
        return domain


# Templates -------------------------------------------------------------------------------------

# Where a refusal of mailer.template_library names a field, the form's field of it.
_TEMPLATE_FIELD_OF = {"templateName": "name", "description": "description", "title": "title",
                      "body": "body", "senderAddress": "sender_address",
                      "senderName": "sender_name", "bodyType": "body_type"}


def _category_choices(project) -> list[tuple[str, str]]:
    """The root, then every category of the project by its path ("Parent / Child")."""
    paths = [(str(pk), " / ".join(path)) for pk, path in category_paths(project).items()]
    return [(str(ROOT), _("(No category)")), *sorted(paths, key=lambda row: row[1].lower())]


class TemplateForm(forms.Form):
    """A template, checked by the same rules as the API's (mailer/template_library.py)."""

    category = forms.ChoiceField(label=_("Category"))
    name = forms.CharField(label=_("Template name"), max_length=100,
                           help_text=_("1 to 100 characters of Hangul, letters, digits, "
                                       "periods (.), underscores (_) and hyphens (-)."))
    description = forms.CharField(label=_("Description"), required=False,
                                  help_text=_("Up to 300 bytes."))
    sender_name = forms.CharField(label=_("Sender name"), required=False,
                                  help_text=_("Up to 69 bytes."))
    sender_address = forms.CharField(label=_("Sender address"), max_length=320)
    title = forms.CharField(label=_("Subject"), help_text=_("1 to 500 bytes."))
    body_type = forms.ChoiceField(label=_("Body type"), choices=BodyType.choices,
                                  widget=forms.RadioSelect, initial=BodyType.EDITOR)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 16}))
    is_use = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(project)
        body_type = self.data.get("body_type") or self.initial.get("body_type") \
            or BodyType.EDITOR
        if body_type == BodyType.EDITOR:
            self.fields["body"].widget = TinyMCE(attrs={"rows": 16})

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.fields_checked = TemplateFields(
                name=data["name"], title=data["title"], body=data["body"],
                sender_address=data["sender_address"], description=data["description"],
                sender_name=data["sender_name"], body_type=data["body_type"],
                is_use=data["is_use"]).checked()
        except Refused as refused:
            field, _colon, message = str(refused).partition(": ")
            self.add_error(_TEMPLATE_FIELD_OF.get(field), message or str(refused))
        return data


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Category name"), max_length=100)
    parent = forms.ChoiceField(label=_("Parent category"), required=False)

    def __init__(self, *args, project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = _category_choices(project)


class MoveForm(forms.Form):
    category = forms.ChoiceField(label=_("Move to"))

    def __init__(self, *args, project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(project)


class TemplateSearchForm(forms.Form):
    category = forms.IntegerField(required=False)
    q = forms.CharField(label=_("Search templates"), required=False, max_length=100)
    deleted = forms.BooleanField(required=False)
    template = forms.IntegerField(required=False, min_value=1)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


class TemplateImportForm(forms.Form):
    file = forms.FileField(label=_("Template export file (JSON)"))
