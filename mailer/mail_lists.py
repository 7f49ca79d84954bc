"""The Mailing list's three lists — by request, by recipient, by mail — as queries: the search
bar's criteria validated by a form, turned into querysets that each use an index, paged by
keyset; the screens (mailer/views/mailing_list.py) and the Excel downloads (mailer/exporters.py)
read the same querysets.

The request date range is in the project's time zone, both days included; without one the
last 30 days are searched. "Send status" is the request's on List by request and the mail's
on List by recipient and List by mail, as the seed's lists show them.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from addressbook.addresses import is_valid_address
from console.models import Project
from console.paging import Cursor
from mailer.models import (
    Mail,
    Recipient,
    SendRequest,
    Status,
    Template,
    Tool,
    parse_mail_id,
)

DEFAULT_DAYS = 30
# The presets of the request date range: (name, label, days back from today, today included).
PRESETS = (("today", _("Today"), 1), ("7d", _("Last 7 days"), 7), ("30d", _("Last 30 days"), 30),
           ("90d", _("Last 90 days"), 90))
MAIL_STATUSES = [(code, label) for code, label in Status.choices if code != Status.PREPARING]


class Tab:
    REQUEST = "request"
    RECIPIENT = "recipient"
    CHOICES = ((REQUEST, _("List by request")), (RECIPIENT, _("List by recipient")))


def _address(value: str) -> str:
    value = value.strip()
    if value and not is_valid_address(value):
        raise forms.ValidationError(_("Enter a complete mail address, e.g. name@example.com."))
    return value


def _cursor(value: str) -> Cursor | None:
    if not value:
        return None
    cursor = Cursor.parse(value.strip())
    if cursor is None:
        raise forms.ValidationError(_("This page link is not valid; start from the first page."))
    return cursor


class MailSearchForm(forms.Form):
    """The search bar of List by request and List by recipient: the seed's eight criteria,
    plus the tab, the page (a keyset cursor) and the open row, so that every state is a URL."""

    tab = forms.ChoiceField(choices=Tab.CHOICES, required=False, widget=forms.HiddenInput)
    start = forms.DateField(label=_("Request date (from)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Request date (to)"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Send status"), required=False,
                               choices=[("", _("All")), *Status.choices])
    request_id = forms.CharField(
        label=_("Request ID"), required=False, max_length=20,
        validators=[RegexValidator(r"^\d{20}$", _("A request ID is 20 digits."))])
    recipient = forms.CharField(label=_("Recipient address"), required=False, max_length=320)
    sender = forms.CharField(label=_("Sender address"), required=False, max_length=320)
    subject = forms.CharField(label=_("Subject"), required=False, max_length=500)
    template = forms.TypedChoiceField(label=_("Template"), required=False, coerce=int,
                                      empty_value=None)
    tool = forms.ChoiceField(label=_("Send request tool"), required=False,
                             choices=[("", _("All")), *Tool.choices])
    after = forms.CharField(required=False, widget=forms.HiddenInput)
    before = forms.CharField(required=False, widget=forms.HiddenInput)
    open = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    CRITERIA = ("start", "end", "status", "request_id", "recipient", "sender", "subject",
                "template", "tool")

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        templates = Template.objects.filter(project=project).order_by("name").values_list(
            "pk", "name", "deleted")
        self.fields["template"].choices = [("", _("All")), *[
            (pk, f"{name} ({_('deleted')})" if deleted else name)
            for pk, name, deleted in templates]]

    def clean_recipient(self) -> str:
        return _address(self.cleaned_data["recipient"])

    def clean_sender(self) -> str:
        return _address(self.cleaned_data["sender"])

    def clean_subject(self) -> str:
        return self.cleaned_data["subject"].strip()

    def clean_after(self) -> Cursor | None:
        return _cursor(self.cleaned_data["after"])

    def clean_before(self) -> Cursor | None:
        return _cursor(self.cleaned_data["before"])

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the range is before its start."))
        return data

    @property
    def current_tab(self) -> str:
        tab = self.data.get("tab")
        return tab if tab in (Tab.REQUEST, Tab.RECIPIENT) else Tab.REQUEST

    def criteria(self) -> Criteria:
        """The criteria of a valid form."""
        data = self.cleaned_data
        start, end = date_range(self.project, data.get("start"), data.get("end"))
        return Criteria(
            start=start, end=end, status=data.get("status") or "",
            request_id=data.get("request_id") or "", recipient=data.get("recipient") or "",
            sender=data.get("sender") or "", subject=data.get("subject") or "",
            template=data.get("template"), tool=data.get("tool") or "")

    def as_params(self) -> dict[str, str]:
        """The criteria given, as they were typed: the query string of the list, the download
        and the links that keep them (the page and the open row left out)."""
        params = {"tab": self.current_tab} if self.current_tab != Tab.REQUEST else {}
        for name in self.CRITERIA:
            value = self.data.get(name)
            if value not in (None, ""):
                params[name] = str(value).strip()
        return params


def date_range(project: Project, start: date | None, end: date | None) -> tuple[date, date]:
    """The days searched, both included: the last 30 by default, up to today."""
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(project.time_zone))
    if end is None:
        end = start + timedelta(days=DEFAULT_DAYS - 1) if start else today
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    return start, end


def presets(project: Project) -> list[tuple[str, str, date, date]]:
    """(name, label, start, end) of each preset range, ending today in the project's zone."""
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(project.time_zone))
    return [(name, label, today - timedelta(days=days - 1), today)
            for name, label, days in PRESETS]


@dataclass(frozen=True)
class Criteria:
    start: date
    end: date
    status: str = ""
    request_id: str = ""
    recipient: str = ""
    sender: str = ""
    subject: str = ""
    template: int | None = None
    tool: str = ""

    def moments(self, project: Project) -> tuple[datetime, datetime]:
        """The range as instants: from the start day's midnight to the midnight after the end
        day, in the project's time zone."""
        zone = zoneinfo.ZoneInfo(project.time_zone)
        return (datetime.combine(self.start, time(), zone),
                datetime.combine(self.end + timedelta(days=1), time(), zone))


def requests_matching(project: Project, criteria: Criteria) -> QuerySet[SendRequest]:
    """List by request. Each criterion has its index: (project, created), (project, status,
    created), (project, lower(sender_address), created), (project, template, created),
    (project, tool, created), the request ID's unique index, the trigram index of the subject
    (PostgreSQL) and, for a recipient, (project, lower(address), requested_at) of recipients."""
    start, end = criteria.moments(project)
    found = SendRequest.objects.filter(project=project, created__gte=start, created__lt=end)
    found = _request_criteria(found, criteria)
    if criteria.status:
        found = found.filter(status=criteria.status)
    if criteria.request_id:
        found = found.filter(request_id=criteria.request_id)
    if criteria.recipient:
        found = found.filter(Exists(
            Recipient.objects.filter(project=project, send_request=OuterRef("pk"),
                                     requested_at__gte=start, requested_at__lt=end)
            .to_address(criteria.recipient)))
    return found


def _request_criteria(found: QuerySet[SendRequest], criteria: Criteria) -> QuerySet[SendRequest]:
    """The criteria that are the request's own fields (those a recipient has by its request)."""
    if criteria.sender:
        found = found.from_sender(criteria.sender)
    if criteria.subject:
        found = found.filter(title__icontains=criteria.subject)
    if criteria.template is not None:
        found = found.filter(template_id=criteria.template)
    if criteria.tool:
        found = found.filter(tool=criteria.tool)
    return found


def recipients_matching(project: Project, criteria: Criteria) -> QuerySet[Recipient]:
    """List by recipient: by (project, requested_at) or (project, lower(address),
    requested_at); a request's own criteria through the requests that meet them."""
    start, end = criteria.moments(project)
    found = Recipient.objects.filter(project=project, requested_at__gte=start,
                                     requested_at__lt=end)
    if criteria.recipient:
        found = found.to_address(criteria.recipient)
    if criteria.request_id:
        found = found.filter(send_request__in=SendRequest.objects.filter(
            project=project, request_id=criteria.request_id).values("pk"))
    if criteria.status:
        found = found.filter(mail__status=criteria.status)
    if criteria.sender or criteria.subject or criteria.template is not None or criteria.tool:
        requests = _request_criteria(SendRequest.objects.filter(
            project=project, created__gte=start, created__lt=end), criteria)
        found = found.filter(send_request__in=requests.values("pk"))
    return found.select_related("send_request", "mail")


class MailSearchOfRequestForm(forms.Form):
    """The search bar of List by mail (the mails of one request)."""

    status = forms.ChoiceField(label=_("Send status"), required=False,
                               choices=[("", _("All")), *MAIL_STATUSES])
    mail_id = forms.CharField(label=_("Mail ID"), required=False, max_length=28)
    recipient = forms.CharField(label=_("Recipient address"), required=False, max_length=320)
    after = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                               widget=forms.HiddenInput)
    open = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    CRITERIA = ("status", "mail_id", "recipient")

    def clean_mail_id(self) -> tuple[str, int] | None:
        value = self.cleaned_data["mail_id"].strip()
        if not value:
            return None
        parsed = parse_mail_id(value)
        if parsed is None:
            raise forms.ValidationError(_("A mail ID is 28 digits: the request ID and a "
                                          "number."))
        return parsed

    def clean_recipient(self) -> str:
        return _address(self.cleaned_data["recipient"])

    def as_params(self) -> dict[str, str]:
        return {name: str(self.data[name]).strip() for name in self.CRITERIA
                if self.data.get(name) not in (None, "")}


def mails_matching(send_request: SendRequest, data: dict) -> QuerySet[Mail]:
    """List by mail: the request's mails by (send_request, seq) or (send_request, status)."""
    found = Mail.objects.filter(send_request=send_request)
    if data.get("status"):
        found = found.filter(status=data["status"])
    if data.get("mail_id"):
        request_id, seq = data["mail_id"]
        found = found.filter(seq=seq) if request_id == send_request.request_id else found.none()
    if data.get("recipient"):
        found = found.filter(pk__in=Recipient.objects.filter(
            send_request=send_request).to_address(data["recipient"]).values("mail_id"))
    return found
