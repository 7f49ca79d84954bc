"""The Sandbox inbox: what the built-in SMTP sink received, rendered (embedded default only)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from console.access import project_view
from console.models import SandboxMessage
from console.partials import page_or_fragment
from console.sanitize import MailViewForm, has_remote_images, mail_document

PAGE_SIZE = 25


class SandboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Recipient or subject"), required=False, max_length=320)
    unassigned = forms.BooleanField(label=_("Only mail not sent by Outbound"), required=False)
    page = forms.IntegerField(required=False, min_value=1)


def _visible(request: HttpRequest) -> QuerySet[SandboxMessage]:
    """The project's sandbox mail; superusers (who run the service) also see untagged mail."""
    if not settings.SANDBOX_INBOX:
        raise Http404("The Sandbox inbox is off: mail goes to the relay of EMAIL_URL")
    visible = Q(project=request.project)
    if request.user.is_superuser:
        visible |= Q(project=None)
    return SandboxMessage.objects.filter(visible)


def _get_message(request: HttpRequest, pk: int) -> SandboxMessage:
    return get_object_or_404(_visible(request), pk=pk)


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def inbox(request: HttpRequest) -> HttpResponse:
    form = SandboxFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    messages = _visible(request).defer("raw")
    if data.get("unassigned"):
        messages = messages.filter(project=None)
    if data.get("q"):
        messages = messages.filter(Q(subject__icontains=data["q"]) |
                                   Q(rcpt_tos__icontains=data["q"]))
    page = Paginator(messages, PAGE_SIZE).get_page(data.get("page") or 1)
    return render(request, page_or_fragment(request, "console/sandbox.html", "message-list"),
                  {"form": form, "page": page})


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def message(request: HttpRequest, pk: int) -> HttpResponse:
    """One message; its HTML in a frame that loads remote images only when asked (?remote=1)."""
    item = _get_message(request, pk)
    form = MailViewForm(request.GET)
    remote = form.is_valid() and form.cleaned_data["remote"]
    content = item.content()
    document = mail_document(content.html, remote_images=remote) if content.html else ""
    return render(request,
                  page_or_fragment(request, "console/sandbox_message.html", "message-detail"),
                  {"item": item, "content": content, "document": document,
                   "images_blocked": not remote and has_remote_images(content.html)})


@project_view()
@require_GET
def raw(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_message(request, pk)
    response = HttpResponse(bytes(item.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{item.pk}.eml"'
    return response


@project_view()
@require_GET
def attachment(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    item = _get_message(request, pk)
    attachments = item.content().attachments
    if index >= len(attachments):
        raise Http404("No such attachment")
    part = attachments[index]
    response = HttpResponse(part.payload, content_type="application/octet-stream")
    response["Content-Disposition"] = part.content_disposition
    return response
