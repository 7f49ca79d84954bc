"""Forms of the mailer's screens."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from addressbook.addresses import is_valid_address
from mailer.domains import valid_domain
from mailer.models import SendingDomain
from mailer.suppression import MAX_SEND_BLOCK_HOURS, MIN_SEND_BLOCK_HOURS

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
