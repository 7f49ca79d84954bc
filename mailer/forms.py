"""Forms of the mailer's screens."""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from tinymce.widgets import TinyMCE

from addressbook.addresses import is_valid_address, split_addresses
from addressbook.models import RecipientGroup
from mailer.domains import valid_domain
from mailer.models import BodyType, SendingDomain, Template
from mailer.rules import MAX_CC, MAX_RESERVATION_AHEAD, Refused
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
    recipient_language = forms.ChoiceField(
        label=_("Language of recipients"), choices=settings.LANGUAGES,
        help_text=_("The basic unsubscribe notice of advertising mail and the unsubscribe "
                    "pages are in this language."))


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


# Send mail (the composer) ----------------------------------------------------------------------

MAX_COMPOSER_ADDRESSES = 1000  # typed or pasted, as the console allows (a file goes further)
MAX_COPIES = MAX_CC  # CC and BCC each, as acceptance allows


class ComposeForm(forms.Form):
    """The Send mail screen. The rules of a send are acceptance's (mailer/composer.py hands the
    request over); this form checks what is the console's own: typed addresses, the schedule
    picker, the choices that go together."""

    use_template = forms.BooleanField(label=_("Use template"), required=False)
    template = forms.ModelChoiceField(label=_("Template"), queryset=Template.objects.none(),
                                      required=False, empty_label=_("Select a template"))
    classification = forms.ChoiceField(
        label=_("Mail classification"), widget=forms.RadioSelect, initial="regular",
        choices=[("regular", _("Regular mail")), ("advertisement", _("Advertisement mail"))])
    use_basic_unsubscribe = forms.BooleanField(label=_("Use the basic unsubscribe message"),
                                               required=False, initial=True)
    unsubscribe_message = forms.CharField(
        label=_("Custom unsubscribe message"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the basic message is not used; #{UNSUBSCRIBE_URL} places "
                    "the link (it is added at the end otherwise)."))
    sender_name = forms.CharField(label=_("Sender name"), required=False)
    sender_address = forms.CharField(label=_("Sender address"), required=False, max_length=320)
    title = forms.CharField(label=_("Subject"), required=False)
    body_type = forms.ChoiceField(label=_("Body type"), choices=BodyType.choices,
                                  widget=forms.RadioSelect, initial=BodyType.EDITOR)
    body = forms.CharField(label=_("Body"), required=False,
                           widget=forms.Textarea(attrs={"rows": 14}))
    attachments = forms.CharField(required=False, widget=forms.HiddenInput)  # file IDs, comma
    send_type = forms.ChoiceField(
        label=_("Bulk send classification"), widget=forms.RadioSelect, initial="individual",
        choices=[("individual", _("Send individually")), ("general", _("General")),
                 ("file", _("Send bulk mails via file upload")),
                 ("group", _("Send group combined bulk mails"))])
    recipients = forms.CharField(
        label=_("Recipient addresses"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bulk input: up to 1,000 addresses, separated by Tab, Space, Enter, comma "
                    "or semicolon."))
    cc = forms.CharField(label=_("CC"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                         help_text=_("Up to 30 addresses."))
    bcc = forms.CharField(label=_("BCC"), required=False,
                          widget=forms.Textarea(attrs={"rows": 2}),
                          help_text=_("Up to 30 addresses."))
    bulk_file = forms.IntegerField(required=False, widget=forms.HiddenInput)
    groups = forms.MultipleChoiceField(label=_("Select group"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    and_filter = forms.ChoiceField(
        label=_("Combination filter"), widget=forms.RadioSelect, initial="false",
        # "true"/"false" as the Group combination download's and_filter reads them.
        choices=[("false", _("OR: addresses in any of the groups")),
                 ("true", _("AND: addresses common to all the groups"))])
    scheduled = forms.BooleanField(label=_("Scheduled send"), required=False)
    scheduled_at = forms.DateTimeField(
        label=_("Send date and time"), required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["template"].queryset = Template.objects.alive().filter(
            project=project, is_use=True).order_by("name")
        self.fields["groups"].choices = [
            (name, f"{name} ({count:,})") for name, count in RecipientGroup.objects.filter(
                project=project).order_by("name").values_list("name", "address_count")]
        body_type = self.data.get("body_type") or self.initial.get("body_type") \
            or BodyType.EDITOR
        if body_type == BodyType.EDITOR:
            self.fields["body"].widget = TinyMCE(attrs={"rows": 14})
        self.zone = zoneinfo.ZoneInfo(project.time_zone)
        now = timezone.now().astimezone(self.zone)
        self.fields["scheduled_at"].widget.attrs.update(
            min=now.strftime("%Y-%m-%dT%H:%M"),
            max=(now + MAX_RESERVATION_AHEAD).strftime("%Y-%m-%dT%H:%M"))

    def clean_scheduled_at(self) -> datetime | None:
        """The picker's date and time are the project's, whatever the operator's own zone."""
        value = self.cleaned_data.get("scheduled_at")
        if value is None:
            return None
        return timezone.make_naive(value).replace(tzinfo=self.zone)

    def _addresses(self, field: str, limit: int) -> list[str]:
        parts = split_addresses(self.cleaned_data.get(field) or "")
        if len(parts) > limit:
            self.add_error(field, _("At most %(max)s addresses, not %(n)s.") % {
                "max": f"{limit:,}", "n": f"{len(parts):,}"})
        invalid = [p for p in parts if not is_valid_address(p)]
        if invalid:
            self.add_error(field, _("Not mail addresses: %(list)s") % {
                "list": ", ".join(invalid[:10])})
        return parts

    def clean(self):
        data = super().clean()
        send_type = data.get("send_type")
        if data.get("use_template") and not data.get("template"):
            self.add_error("template", _("Select the template to use, or turn Use template "
                                         "off."))
        if send_type in ("individual", "general"):
            data["to"] = self._addresses("recipients", MAX_COMPOSER_ADDRESSES)
            if not data["to"] and "recipients" not in self.errors:
                self.add_error("recipients", _("Enter at least one recipient address."))
        if send_type == "general" and data.get("classification") == "advertisement":
            self.add_error("send_type", _("Advertisement mail cannot be sent as General: each "
                                          "recipient must get a mail of their own, with their "
                                          "own unsubscribe link. Choose Send individually, a "
                                          "file or groups."))
        if send_type == "general":
            data["cc_list"] = self._addresses("cc", MAX_COPIES)
            data["bcc_list"] = self._addresses("bcc", MAX_COPIES)
        if send_type == "file" and not data.get("bulk_file"):
            self.add_error("bulk_file", _("Select the file for bulk send first."))
        if send_type == "group" and not data.get("groups"):
            self.add_error("groups", _("Select at least one group."))
        if data.get("scheduled") and not data.get("scheduled_at"):
            self.add_error("scheduled_at", _("Choose the date and time of the scheduled send."))
        return data


class BulkFileForm(forms.Form):
    file = forms.FileField(label=_("Select file for bulk send"))
