"""The Mailing list's "Download request/list": the tab being looked at, with its criteria, as an
Excel file built by console's generic export (console/exports.py) — List by request, List by
recipient, and List by mail (one row per recipient of each mail).

The rows are read in keyset chunks (no transaction or cursor held while the file is written)
with values_list, and the labels looked up once, so a million rows take seconds of queries."""

from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from console.exports import register_exporter
from console.models import Project
from mailer import mail_lists
from mailer.mail_lists import MailSearchForm, MailSearchOfRequestForm, Tab
from mailer.models import Recipient, RecipientType, SendRequest, Status, format_mail_id
from mailer.result_codes import ResultCode

CHUNK = 10_000


class MailListExportForm(MailSearchForm):
    """The search bar's criteria, validated as the list validates them, kept as typed."""

    def clean(self) -> dict:
        super().clean()
        return self.as_params()


def _criteria(project: Project, params: dict) -> mail_lists.Criteria:
    form = MailSearchForm(params, project=project)
    if not form.is_valid():
        raise ValueError(f"the criteria are no longer valid: {form.errors.as_text()}")
    return form.criteria()


def _labels() -> tuple[dict, dict, dict]:
    return ({code: str(label) for code, label in Status.choices},
            {code: str(label) for code, label in ResultCode.choices},
            {code: str(label) for code, label in RecipientType.choices})


def _yes_no(value: bool, yes: str, no: str) -> str:
    return yes if value else no


def _chunks(queryset, field: str, columns: tuple[str, ...]) -> Iterator[tuple]:
    """The rows newest first by (field, pk), CHUNK at a time; `columns` start with pk, field."""
    last = None
    while True:
        page = queryset
        if last is not None:
            # The redundant bound makes the index range start at the last row (an OR alone is a
            # filter, and each chunk would read all the rows before it again).
            page = page.filter(**{f"{field}__lte": last[1]}).filter(
                Q(**{f"{field}__lt": last[1]}) | Q(**{field: last[1], "pk__lt": last[0]}))
        chunk = list(page.order_by(f"-{field}", "-pk").values_list(*columns)[:CHUNK])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1]


REQUEST_COLUMNS = ("pk", "created", "request_id", "send_started_at", "finished_at",
                   "reservation_at", "cancelled_at", "mail_count", "recipient_count", "status",
                   "sender_address", "sender_name", "title", "template_id", "template_name",
                   "requester_ip", "tool", "advertising")


def request_rows(project: Project, params: dict) -> Iterator[list]:
    statuses, _codes, _types = _labels()
    yield [_("Request ID"), _("Request date and time"), _("Send date and time"),
           _("Send duration (s)"), _("Scheduled send status"), _("Scheduled send date and time"),
           _("Cancellation date and time"), _("Request count"), _("Recipient count"),
           _("Send status"), _("Sender address"), _("Sender name"), _("Subject"),
           _("Template ID"), _("Template name"), _("Request IP"), _("Send request tool"),
           _("Advertisement mail status")]
    scheduled, immediate = _("Scheduled send"), _("Immediate send")
    advertisement, regular = _("Advertisement mail"), _("Regular mail")
    found = mail_lists.requests_matching(project, _criteria(project, params))
    for (_pk, created, request_id, started, finished, reservation, cancelled, mails, recipients,
         status, sender, sender_name, title, template_id, template_name, ip, tool,
         advertising) in _chunks(found, "created", REQUEST_COLUMNS):
        duration = round((finished - started).total_seconds()) if started and finished else None
        yield [request_id, created, started, duration,
               scheduled if reservation else immediate, reservation, cancelled, mails,
               recipients, statuses.get(status, status), sender, sender_name, title,
               template_id, template_name, ip, tool,
               _yes_no(advertising, advertisement, regular)]


def request_total(project: Project, params: dict) -> int:
    return mail_lists.requests_matching(project, _criteria(project, params)).count()


RECIPIENT_COLUMNS = ("pk", "requested_at", "send_request__request_id", "mail__seq",
                     "mail__sent_at", "send_request__reservation_at", "mail__status",
                     "send_request__template_id", "send_request__template_name", "address",
                     "name", "received", "received_at", "unsubscribed_at", "result_code",
                     "attempts", "send_request__title", "send_request__sender_address")


def recipient_rows(project: Project, params: dict) -> Iterator[list]:
    statuses, codes, _types = _labels()
    yield [_("Request ID"), _("Mail ID"), _("Request date and time"), _("Send date and time"),
           _("Scheduled send date and time"), _("Send status"), _("Template ID"),
           _("Template name"), _("Address"), _("Name"), _("Receipt status"),
           _("Receipt date and time"), _("Unsubscribed status"), _("Unsubscribed date and time"),
           _("Send result code"), _("Send result description"), _("Resend count"),
           _("Subject"), _("Sender address")]
    received_yes, received_no = _("Received"), _("Not received")
    unsub_yes, unsub_no = _("Unsubscribed"), _("Not unsubscribed")
    found = mail_lists.recipients_matching(project, _criteria(project, params)).select_related(
        None)
    for (_pk, requested, request_id, seq, sent, reservation, status, template_id,
         template_name, address, name, received, received_at, unsubscribed, code, attempts,
         title, sender) in _chunks(found, "requested_at", RECIPIENT_COLUMNS):
        yield [request_id, format_mail_id(request_id, seq), requested, sent, reservation,
               statuses.get(status, status), template_id, template_name, address, name,
               _yes_no(received, received_yes, received_no), received_at,
               _yes_no(unsubscribed is not None, unsub_yes, unsub_no), unsubscribed, code,
               codes.get(code, ""), max(attempts - 1, 0), title, sender]


def recipient_total(project: Project, params: dict) -> int:
    return mail_lists.recipients_matching(project, _criteria(project, params)).count()


class RequestMailsExportForm(MailSearchOfRequestForm):
    request_id = forms.CharField(max_length=20)

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_request_id(self) -> str:
        request_id = self.cleaned_data["request_id"]
        if not SendRequest.objects.filter(project=self.project, request_id=request_id).exists():
            raise forms.ValidationError(gettext_lazy("There is no such request."))
        return request_id

    def clean(self) -> dict:
        super().clean()
        return {"request_id": self.data.get("request_id"), **self.as_params()}


def _request_of(project: Project, params: dict) -> tuple[SendRequest, dict]:
    send_request = SendRequest.objects.get(project=project, request_id=params["request_id"])
    form = MailSearchOfRequestForm(params)
    if not form.is_valid():
        raise ValueError(f"the criteria are no longer valid: {form.errors.as_text()}")
    return send_request, form.cleaned_data


def request_mail_rows(project: Project, params: dict) -> Iterator[list]:
    statuses, codes, types = _labels()
    yield [_("Mail ID"), _("Address"), _("Name"), _("Recipient type"), _("Send status"),
           _("Send date and time"), _("Receipt status"), _("Receipt date and time"),
           _("Send result code"), _("Send result description"), _("Resend count")]
    received_yes, received_no = _("Received"), _("Not received")
    send_request, data = _request_of(project, params)
    mails = mail_lists.mails_matching(send_request, data)
    last = 0
    while chunk := list(mails.filter(seq__gt=last).order_by("seq").values_list(
            "pk", "seq", "status", "sent_at")[:CHUNK]):
        last = chunk[-1][1]
        by_mail: dict[int, list[tuple]] = {}
        for row in Recipient.objects.filter(mail_id__in=[pk for pk, *_rest in chunk]).order_by(
                "id").values_list("mail_id", "address", "name", "type", "received",
                                  "received_at", "result_code", "attempts"):
            by_mail.setdefault(row[0], []).append(row)
        for pk, seq, status, sent in chunk:
            for (_mail, address, name, kind, received, received_at, code,
                 attempts) in by_mail.get(pk, []):
                yield [format_mail_id(send_request.request_id, seq), address, name,
                       types.get(kind, kind), statuses.get(status, status), sent,
                       _yes_no(received, received_yes, received_no), received_at, code,
                       codes.get(code, ""), max(attempts - 1, 0)]


def request_mail_total(project: Project, params: dict) -> int:
    send_request, data = _request_of(project, params)
    mails = mail_lists.mails_matching(send_request, data)
    return Recipient.objects.filter(mail__in=mails.values("pk")).count()


def _describe(project: Project, params: dict) -> str:
    form = MailSearchForm(params, project=project)
    if not form.is_valid():
        return ""
    criteria = form.criteria()
    parts = [f"{criteria.start:%Y-%m-%d} ~ {criteria.end:%Y-%m-%d}"]
    labels = {name: str(form.fields[name].label) for name in MailSearchForm.CRITERIA}
    for name in MailSearchForm.CRITERIA[2:]:
        if params.get(name):
            parts.append(f"{labels[name]}: {params[name]}")
    return " · ".join(parts)


def _describe_mails(project: Project, params: dict) -> str:
    parts = [params.get("request_id", "")]
    parts += [f"{name}: {params[name]}" for name in MailSearchOfRequestForm.CRITERIA
              if params.get(name)]
    return " · ".join(parts)


def register() -> None:
    register_exporter("mail_requests", Tab.CHOICES[0][1], request_rows, total=request_total,
                      form=MailListExportForm, describe=_describe)
    register_exporter("mail_recipients", Tab.CHOICES[1][1], recipient_rows,
                      total=recipient_total, form=MailListExportForm, describe=_describe)
    register_exporter("request_mails", gettext_lazy("List by mail"), request_mail_rows,
                      total=request_mail_total, form=RequestMailsExportForm,
                      describe=_describe_mails)

