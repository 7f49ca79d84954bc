"""The Mailing list screen: List by request and List by recipient (tabs), List by mail (the mails
of one request), each with its search bar, summary rows and a detail pane; View content; the
request and mail actions; the live progress of requests still preparing or sending.

Every state is a URL: the tab, the criteria, the page (a keyset cursor) and the open row are
query parameters, htmx swaps the part that changed and pushes the URL, and a plain or history
request gets the whole page (mailer/mail_lists.py has the queries)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from console.access import Role, project_view
from console.numbers import primary_key
from console.paging import keyset_page
from console.partials import page_or_fragment
from console.sanitize import MailViewForm, has_remote_images, mail_document
from mailer import files, lifecycle, mail_lists
from mailer.mail_lists import MailSearchForm, MailSearchOfRequestForm, Tab
from mailer.models import (
    AttachmentFile,
    Mail,
    Recipient,
    RecipientType,
    SendRequest,
    Status,
    format_mail_id,
    parse_mail_id,
)
from mailer.rendering import RequestRenderer
from mailer.result_codes import ResultCode
from mailer.rules import Refused

PAGE_SIZE = 20
TEMPLATE = "mailer/mailing_list.html"
MAILS_TEMPLATE = "mailer/request_mails.html"
STATUS_BADGES = {Status.SENT: "ok", Status.FAILED: "bad", Status.PARTIALLY_FAILED: "warn",
                 Status.UNSUBSCRIBED: "warn", Status.PREPARING: "info", Status.READY: "info",
                 Status.SENDING: "info"}
LIVE = (Status.PREPARING, Status.SENDING)


def _fragment(request: HttpRequest, template: str) -> str:
    """The results alone for their own poll, the whole screen part for a search, a tab or a
    page; the page for anything else."""
    if request.htmx and request.htmx.target == "results":
        return page_or_fragment(request, template, "results")
    return page_or_fragment(request, template, "lists")


def _duration(span) -> str:
    seconds = int(span.total_seconds())
    if seconds < 60:
        return _("%(s)d s") % {"s": seconds}
    minutes = seconds // 60
    if minutes < 60:
        return _("%(m)d min %(s)d s") % {"m": minutes, "s": seconds % 60}
    return _("%(h)d h %(m)d min") % {"h": minutes // 60, "m": minutes % 60}


@dataclass
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total


def _progress(requests: list[SendRequest]) -> dict[int, Progress]:
    """Mails done of all mails made so far, by the (request, status) index."""
    progress = {r.pk: Progress(0, 0) for r in requests}
    for request_pk, status, n in (Mail.objects.filter(send_request_id__in=list(progress))
                                  .values_list("send_request_id", "status")
                                  .annotate(n=Count("id"))):
        progress[request_pk].total += n
        if status not in (Status.READY, Status.SENDING):
            progress[request_pk].done += n
    return progress


def _decorate(requests: list[SendRequest], opened: SendRequest | None = None) -> None:
    """Badges, durations, and the progress of those preparing or sending (and of the open
    one, whatever its status: its pane shows how far it got)."""
    progress = _progress([r for r in requests if r.status in LIVE or r is opened])
    for row in requests:
        row.badge = STATUS_BADGES.get(row.status, "")
        row.progress = progress.get(row.pk)
        row.late = _duration(row.late_by) if row.late_by else ""
        row.duration = _duration(row.send_duration) if row.send_duration else ""


def _attachments(send_request: SendRequest) -> list[AttachmentFile]:
    found = {f.file_id: f for f in AttachmentFile.objects.filter(
        project_id=send_request.project_id, file_id__in=send_request.attach_file_ids)}
    return [found[file_id] for file_id in send_request.attach_file_ids if file_id in found]


def _result(recipient: Recipient) -> None:
    """A recipient's result code with its description, and its SMTP reply."""
    code = recipient.result_code
    recipient.code_description = ResultCode(code).label if code else ""
    recipient.reply = (f"{recipient.reply_code or ''} {recipient.reply_text}").strip()


def _request_detail(request: HttpRequest, send_request: SendRequest) -> dict:
    return {"detail": send_request, "attachments": _attachments(send_request)}


def _recipient_detail(recipient: Recipient) -> dict:
    send_request = recipient.send_request
    _result(recipient)
    recipient.subject = RequestRenderer(send_request, for_sending=False).preview_title(recipient)
    recipient.mail_code = format_mail_id(send_request.request_id, recipient.mail.seq)
    return {"detail": recipient, "attachments": _attachments(send_request)}


@project_view()
@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def mailing_list(request: HttpRequest) -> HttpResponse:
    form = MailSearchForm(request.GET, project=request.project)
    tab = form.current_tab
    context = {"form": form, "tab": tab, "tabs": Tab.CHOICES,
               "presets": mail_lists.presets(request.project),
               "can_send": request.membership.allows(Role.SENDER),
               "any_request": SendRequest.objects.filter(project=request.project).exists(),
               "export_kind": "mail_requests" if tab == Tab.REQUEST else "mail_recipients",
               "export_query": urlencode(form.as_params())}
    if form.is_valid():
        criteria = form.criteria()
        context["range"] = (criteria.start, criteria.end)
        data = form.cleaned_data
        if tab == Tab.REQUEST:
            context.update(_requests_page(request, criteria, data))
        else:
            context.update(_recipients_page(request, criteria, data))
    return render(request, _fragment(request, TEMPLATE), context)


def _requests_page(request: HttpRequest, criteria, data: dict) -> dict:
    found = mail_lists.requests_matching(request.project, criteria)
    page = keyset_page(found, "created", PAGE_SIZE, after=data["after"], before=data["before"])
    rows = page.rows
    opened = None
    if data["open"]:
        opened = next((r for r in rows if r.request_id == data["open"]), None) or \
            SendRequest.objects.filter(project=request.project, request_id=data["open"]).first()
    _decorate([*rows, *([opened] if opened and opened not in rows else [])], opened)
    context = {**page.context(), "open": data["open"],
               "live": any(r.status in LIVE for r in [*rows, *([opened] if opened else [])])}
    if opened is not None:
        context.update(_request_detail(request, opened))
        context["detail_on_page"] = opened in rows
    return context


def _recipients_page(request: HttpRequest, criteria, data: dict) -> dict:
    found = mail_lists.recipients_matching(request.project, criteria)
    page = keyset_page(found, "requested_at", PAGE_SIZE, after=data["after"],
                       before=data["before"])
    rows = page.rows
    for row in rows:
        _result(row)
        row.badge = STATUS_BADGES.get(row.mail.status, "")
    context = {**page.context(), "open": data["open"],
               "live": any(r.mail.status in LIVE for r in rows)}
    open_pk = primary_key(data["open"])
    if open_pk is not None:
        opened = next((r for r in rows if r.pk == open_pk), None) or (
            Recipient.objects.filter(project=request.project, pk=open_pk)
            .select_related("send_request", "mail").first())
        if opened is not None:
            context.update(_recipient_detail(opened))
            context["detail_on_page"] = opened in rows
    return context


def _get_request(request: HttpRequest, request_id: str) -> SendRequest:
    return get_object_or_404(SendRequest, project=request.project, request_id=request_id)


@project_view()
@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def request_mails(request: HttpRequest, request_id: str) -> HttpResponse:
    """List by mail: the mails of one request, reached from its recipient count or its
    [View list by mail] button."""
    send_request = _get_request(request, request_id)
    _decorate([send_request], send_request)
    form = MailSearchOfRequestForm(request.GET)
    context = {"send_request": send_request, "form": form,
               "can_send": request.membership.allows(Role.SENDER),
               "export_query": urlencode({"request_id": request_id, **form.as_params()})}
    if form.is_valid():
        data = form.cleaned_data
        found = mail_lists.mails_matching(send_request, data).order_by("seq")
        after = data["after"] or 0
        rows = list(found.filter(seq__gt=after)[:PAGE_SIZE + 1])
        context["older"] = rows[PAGE_SIZE - 1].seq if len(rows) > PAGE_SIZE else None
        rows = rows[:PAGE_SIZE]
        context["newer"] = bool(after)
        opened = None
        if data["open"]:
            parsed = parse_mail_id(data["open"])
            if parsed and parsed[0] == request_id:
                opened = next((m for m in rows if m.seq == parsed[1]), None) or \
                    Mail.objects.filter(send_request=send_request, seq=parsed[1]).first()
        _mail_rows(send_request, [*rows, *([opened] if opened and opened not in rows else [])])
        context.update({"rows": rows, "open": data["open"], "detail": opened,
                        "detail_on_page": opened in rows if opened else False,
                        "attachments": _attachments(send_request) if opened else [],
                        "live": send_request.status in LIVE})
    return render(request, _fragment(request, MAILS_TEMPLATE), context)


def _mail_rows(send_request: SendRequest, mails: list[Mail]) -> None:
    """Each mail with its ID, its recipients (their results) and its first To recipient, the
    subject as that recipient got it."""
    by_mail: dict[int, list[Recipient]] = {mail.pk: [] for mail in mails}
    for recipient in Recipient.objects.filter(mail__in=mails).order_by("mail_id", "id"):
        _result(recipient)
        by_mail[recipient.mail_id].append(recipient)
    renderer = RequestRenderer(send_request, for_sending=False)
    for mail in mails:
        mail.code = format_mail_id(send_request.request_id, mail.seq)
        mail.all_recipients = by_mail[mail.pk]
        mail.first = next((r for r in mail.all_recipients if r.type == RecipientType.TO), None)
        mail.subject = renderer.preview_title(mail.first)
        mail.badge = STATUS_BADGES.get(mail.status, "")
        mail.cancellable = (mail.status == Status.READY and send_request.status == Status.READY
                            and send_request.reservation_at is not None)


def _get_mail(request: HttpRequest, mail_id: str) -> Mail:
    parsed = parse_mail_id(mail_id)
    mail = None
    if parsed is not None:
        mail = Mail.objects.select_related("send_request").filter(
            send_request__project=request.project, send_request__request_id=parsed[0],
            seq=parsed[1]).first()
    if mail is None:
        raise Http404("There is no such mail in this project")
    return mail


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def view_content(request: HttpRequest, mail_id: str) -> HttpResponse:
    """[View content]: the mail as its recipient got it — tags replaced, the unsubscribe
    footer of advertising mail included, no tracking image — sanitised, in a sandboxed frame
    that loads remote images only when asked (?remote=1)."""
    mail = _get_mail(request, mail_id)
    recipients = mail.recipients.order_by("id")
    chosen = request.GET.get("recipient", "")
    chosen_pk = primary_key(chosen)
    recipient = (recipients.filter(pk=chosen_pk).first() if chosen_pk is not None else None) or \
        recipients.filter(type=RecipientType.TO).first()
    form = MailViewForm(request.GET)
    remote = form.is_valid() and form.cleaned_data["remote"]
    renderer = RequestRenderer(mail.send_request, for_sending=False)
    document = mail_document(renderer.preview_body(recipient), remote_images=remote)
    context = {"mail": mail, "mail_id": mail_id, "recipient": recipient,
               "subject": renderer.preview_title(recipient), "document": document,
               "images_blocked": not remote and has_remote_images(document),
               "remote_url": f"{request.path}?" + urlencode(
                   {"recipient": recipient.pk, "remote": 1} if recipient else {"remote": 1}),
               "attachments": _attachments(mail.send_request)}
    return render(request, page_or_fragment(request, "mailer/mail_content.html", "content-dialog"),
                  context)


@project_view()
@require_GET
def attachment(request: HttpRequest, file_id: str) -> FileResponse:
    """An attachment of one of the project's mails, for its members only."""
    found = get_object_or_404(AttachmentFile, project=request.project, file_id=file_id)
    if not files.is_kept(found):
        raise Http404("The file is no longer kept")
    try:
        handle = open(found.path, "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404("The file is gone") from None
    return FileResponse(handle, as_attachment=True, filename=found.file_name,
                        content_type=found.content_type or "application/octet-stream")


def _act(request: HttpRequest, request_id: str, action, done: str) -> HttpResponse:
    """Send immediately or cancel from the list; the list comes back with that request open."""
    send_request = _get_request(request, request_id)
    try:
        action(send_request)
    except Refused as refused:
        messages.error(request, str(refused).capitalize())
    else:
        messages.success(request, done % {"id": request_id})
    url = reverse("mailer:mailing_list", kwargs={"project": request.project.slug})
    return redirect(f"{url}?{urlencode({'request_id': request_id, 'open': request_id})}")


@project_view(Role.SENDER)
@require_POST
def send_now(request: HttpRequest, request_id: str) -> HttpResponse:
    """[Send immediately] of a request that is Ready (reviewed, or scheduled)."""
    return _act(request, request_id, lifecycle.send_now,
                gettext_lazy("Request %(id)s is being sent."))


@project_view(Role.SENDER)
@require_POST
def cancel(request: HttpRequest, request_id: str) -> HttpResponse:
    """[Cancel send] of a request that is preparing, ready or sending."""
    return _act(request, request_id, lifecycle.cancel,
                gettext_lazy("Sending request %(id)s was cancelled."))


@project_view(Role.SENDER)
@require_POST
def cancel_mail(request: HttpRequest, mail_id: str) -> HttpResponse:
    """[Cancel scheduled send] of one mail of a scheduled request, from List by mail."""
    mail = _get_mail(request, mail_id)
    try:
        lifecycle.cancel_scheduled_mail(mail)
    except Refused as refused:
        messages.error(request, str(refused).capitalize())
    else:
        messages.success(request, _("The scheduled send of mail %(id)s was cancelled.")
                         % {"id": mail_id})
    url = reverse("mailer:request_mails", kwargs={"project": request.project.slug,
                                                  "request_id": mail.send_request.request_id})
    return redirect(f"{url}?{urlencode({'open': mail_id})}")
