"""The Send mail screen (the composer), opened with [Send] on the Mailing list. The send itself
is mailer/composer.py: the same acceptance as POST /mails, with the tool CONSOLE. The helpers
below answer the screen's htmx requests: byte counts as you type, the addresses checked, the
live count of a group combination, attachments, the bulk-send file and its check."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from addressbook.addresses import is_valid_address, split_addresses
from addressbook.combination import combine_groups
from console.access import Role, project_view
from console.partials import page_or_fragment
from mailer import bulk_file, composer, files
from mailer.bodies import preview_document, switch_body
from mailer.forms import MAX_COMPOSER_ADDRESSES, MAX_COPIES, BulkFileForm, ComposeForm
from mailer.models import AttachmentFile, BodyType, BulkSendFile, MailerSettings
from mailer.rules import (
    ADVERTISING_PREFIX,
    MAX_SENDER_NAME_BYTES,
    MAX_TITLE_BYTES,
    Refused,
    byte_length,
)
from mailer.unsubscribe import unsubscribe_footer

PAGE = "mailer/composer.html"
COUNTED = {"title": MAX_TITLE_BYTES, "sender_name": MAX_SENDER_NAME_BYTES}
ADDRESS_LIMITS = {"recipients": MAX_COMPOSER_ADDRESSES, "cc": MAX_COPIES, "bcc": MAX_COPIES}


def _attachments(request: HttpRequest, ids: str) -> list[AttachmentFile]:
    wanted = [i for i in (ids or "").split(",") if i]
    found = {f.file_id: f for f in AttachmentFile.objects.filter(project=request.project,
                                                                  file_id__in=wanted)}
    return [found[i] for i in wanted if i in found]


def _context(request: HttpRequest, form: ComposeForm, **extra) -> dict:
    data = form.data if form.is_bound else form.initial
    bulk = None
    if data.get("bulk_file"):
        bulk = BulkSendFile.objects.filter(project=request.project,
                                           pk=data.get("bulk_file")).first()
    return {"form": form, "files": _attachments(request, data.get("attachments", "")),
            "bulk": bulk, "bulk_form": BulkFileForm(),
            "refused_extensions": " ".join(sorted(files.REFUSED_EXTENSIONS)),
            "max_file_bytes": files.MAX_FILE_BYTES, "max_mail_bytes": files.MAX_MAIL_BYTES,
            **extra}


def _composition(request: HttpRequest, form: ComposeForm) -> composer.Composition:
    data = form.cleaned_data
    bulk = None
    if data["send_type"] == composer.FILE:
        bulk = BulkSendFile.objects.filter(project=request.project, pk=data["bulk_file"],
                                           status=BulkSendFile.Status.DONE).first()
    return composer.Composition(
        project=request.project, template=data["template"] if data["use_template"] else None,
        sender_address=data["sender_address"], sender_name=data["sender_name"],
        title=data["title"], body=data["body"], body_type=data["body_type"],
        advertising=data["classification"] == "advertisement",
        use_basic_unsubscribe=data["use_basic_unsubscribe"],
        unsubscribe_message=data["unsubscribe_message"],
        attach_file_ids=[i for i in data["attachments"].split(",") if i],
        send_type=data["send_type"], to=data.get("to", []), cc=data.get("cc_list", []),
        bcc=data.get("bcc_list", []), bulk=bulk, groups=data["groups"],
        and_filter=data["and_filter"] == "true",
        scheduled_at=data["scheduled_at"] if data["scheduled"] else None,
        review="review" in request.POST,
        parameters={key[len("tag_"):]: value for key, value in request.POST.items()
                    if key.startswith("tag_") and value != ""})


def _loaded(request: HttpRequest) -> ComposeForm:
    """The form filled in from the chosen template ([Load])."""
    data = request.POST.copy()
    form = ComposeForm(data, project=request.project)
    template = form.fields["template"].queryset.filter(pk=data.get("template") or 0).first()
    if template is not None:
        data.update({"use_template": "on", "sender_address": template.sender_address,
                     "sender_name": template.sender_name, "title": template.title,
                     "body": template.body, "body_type": template.body_type})
    return ComposeForm(initial=data.dict(), project=request.project)


def _send(request: HttpRequest, form: ComposeForm) -> HttpResponse:
    composition = _composition(request, form)
    if composition.send_type == composer.FILE and composition.bulk is None:
        form.add_error("bulk_file", _("The file for bulk send has not been checked clean yet."))
        return render(request, PAGE, _context(request, form))
    missing = composition.missing_tags()
    if missing:
        return render(request, PAGE, _context(request, form, missing_tags=missing,
                                              metadata_tags=composition.metadata_tags()))
    try:
        accepted = composer.send(composition, user_id=request.user.pk,
                                 requester_ip=request.META.get("REMOTE_ADDR"))
    except Refused as refused:
        form.add_error(composer.field_of(refused, composition.send_type),
                       str(refused).partition(": ")[2] or str(refused))
        return render(request, PAGE, _context(request, form))
    messages.success(request, _("The mail was requested: request %(id)s, %(n)s recipients.")
                     % {"id": accepted.send_request.request_id, "n": f"{accepted.count:,}"})
    url = reverse("mailer:mailing_list", kwargs={"project": request.project.slug})
    request_id = accepted.send_request.request_id
    return redirect(f"{url}?{urlencode({'request_id': request_id, 'open': request_id})}")


@project_view(Role.SENDER)
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        initial = {"send_type": "individual", "classification": "regular",
                   "body_type": BodyType.EDITOR, "use_basic_unsubscribe": True}
        if request.GET.get("template"):
            initial.update(use_template=True, template=request.GET["template"])
        return render(request, PAGE, _context(request, ComposeForm(
            initial=initial, project=request.project)))
    if "load" in request.POST:
        return render(request, PAGE, _context(request, _loaded(request)))
    if "switch_body_type" in request.POST:
        data = switch_body(request.POST, request.POST.get("body_type", BodyType.EDITOR))
        return render(request, PAGE, _context(request, ComposeForm(
            initial=data.dict(), project=request.project)))
    form = ComposeForm(request.POST, project=request.project)
    if not form.is_valid():
        return render(request, PAGE, _context(request, form))
    return _send(request, form)


# The screen's helpers (htmx) ---------------------------------------------------------------------

@project_view(Role.SENDER)
@require_POST
def byte_count(request: HttpRequest, field: str) -> HttpResponse:
    limit = COUNTED.get(field)
    if limit is None:
        raise Http404("No such field")
    used = byte_length(request.POST.get(field, ""))
    return render(request, f"{PAGE}#byte-count", {"field": field, "used": used, "limit": limit})


def _address_check(field: str, parts: list[str]) -> dict:
    return {"field": field, "count": len(parts),
            "invalid": [p for p in parts if not is_valid_address(p)][:20],
            "limit": ADDRESS_LIMITS[field]}


@project_view(Role.SENDER)
@require_POST
def check_addresses(request: HttpRequest, field: str) -> HttpResponse:
    if field not in ADDRESS_LIMITS:
        raise Http404("No such field")
    return render(request, f"{PAGE}#address-check", _address_check(
        field, split_addresses(request.POST.get(field, ""))))


@project_view(Role.SENDER)
@require_POST
def bulk_input(request: HttpRequest, field: str) -> HttpResponse:
    """[Bulk input]: pasted text split on Tab, Space, Enter, comma and semicolon, added to the
    field's addresses (one a line, repeats dropped) and checked."""
    if field not in ADDRESS_LIMITS:
        raise Http404("No such field")
    merged = list(dict.fromkeys(split_addresses(request.POST.get(field, ""))
                                + split_addresses(request.POST.get(f"paste_{field}", ""))))
    form = ComposeForm({field: "\n".join(merged)}, project=request.project)
    return render(request, f"{PAGE}#address-input", {
        **_address_check(field, merged), "bf": form[field]})


@project_view(Role.SENDER)
@require_POST
def group_count(request: HttpRequest) -> HttpResponse:
    names = request.POST.getlist("groups")[:5]
    count = combine_groups(request.project, names, and_filter=request.POST.get(
        "and_filter") == "true").count() if names else 0
    return render(request, f"{PAGE}#group-count", {"count": count, "chosen": names})


@project_view(Role.SENDER)
@require_POST
def add_files(request: HttpRequest) -> HttpResponse:
    """Attachments are checked and kept as soon as they are chosen (POST /files's check)."""
    kept = _attachments(request, request.POST.get("attachments", ""))
    problem = ""
    uploads = request.FILES.getlist("upload")
    if uploads:
        try:
            _temp, stored = files.store(request.project, uploads)
        except files.Unacceptable as refused:
            problem = str(refused)
        else:
            kept += stored
            total = sum(f.size for f in kept)
            if total > files.MAX_MAIL_BYTES:
                problem = _("The files add up to %(n).1f MB; a mail can carry at most 20 MB.") \
                    % {"n": total / 1024 / 1024}
    return render(request, f"{PAGE}#attachments", {"files": kept, "problem": problem})


@project_view(Role.SENDER)
@require_POST
def remove_file(request: HttpRequest, file_id: str) -> HttpResponse:
    kept = [f for f in _attachments(request, request.POST.get("attachments", ""))
            if f.file_id != file_id]
    return render(request, f"{PAGE}#attachments", {"files": kept, "problem": ""})


@project_view(Role.SENDER)
@require_POST
def input_template(request: HttpRequest) -> HttpResponse:
    """[Download input template for sending to bulk recipients]: its columns follow the ${tags}
    of the subject and body being written."""
    content = bulk_file.input_template(request.POST.get("title", ""),
                                       request.POST.get("body", ""))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-"
                                                  "officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="bulk-send-input.xlsx"'
    return response


@project_view(Role.SENDER)
@require_POST
def upload_bulk_file(request: HttpRequest) -> HttpResponse:
    form = BulkFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, f"{PAGE}#bulk-file", {"bulk": None, "bulk_form": form,
                                                     "fragment": True})
    upload = form.cleaned_data["file"]
    if upload.size > bulk_file.MAX_BYTES:
        form.add_error("file", _("The file is larger than 20 MB."))
        return render(request, f"{PAGE}#bulk-file", {"bulk": None, "bulk_form": form,
                                                     "fragment": True})
    job = bulk_file.request_check(request.project, request.user, upload.name, upload.read())
    return render(request, f"{PAGE}#bulk-file", {"bulk": job, "bulk_form": BulkFileForm(),
                                                 "fragment": True})


@project_view(Role.SENDER)
@require_GET
@vary_on_headers("HX-Request")
def bulk_file_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(BulkSendFile, project=request.project, pk=pk)
    if not request.htmx or request.htmx.history_restore_request:
        return redirect("mailer:compose", project=request.project.slug)
    return render(request, f"{PAGE}#bulk-file", {"bulk": job, "bulk_form": BulkFileForm(),
                                                 "fragment": True})


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def precautions(request: HttpRequest) -> HttpResponse:
    """[Precautions for sending] of advertisement mail."""
    return render(request, page_or_fragment(request, "mailer/precautions.html", "dialog"),
                  {"prefix": ADVERTISING_PREFIX})


@project_view(Role.SENDER)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    advertising = request.POST.get("classification") == "advertisement"
    title = request.POST.get("title", "")
    if advertising and not title.startswith(ADVERTISING_PREFIX):
        title = f"{ADVERTISING_PREFIX} {title}"
    language = MailerSettings.for_project(request.project.pk).recipient_language
    footer = unsubscribe_footer(request.POST.get("use_basic_unsubscribe") == "on",
                                request.POST.get("unsubscribe_message", ""), language) \
        if advertising else ""
    return render(request, "mailer/template_form.html#preview", {
        "subject": title, "document": preview_document(
            request.POST.get("body", ""), request.POST.get("body_type", BodyType.EDITOR),
            footer)})
