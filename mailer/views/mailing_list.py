"""The Mailing list screen: the send requests of the project, filtered and paged, with the
progress of those still sending."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from console.access import Role, project_view
from console.paging import page_of
from console.partials import page_or_fragment
from mailer import lifecycle
from mailer.models import Mail, SendRequest, Status, Tool
from mailer.rules import Refused

PAGE_SIZE = 20
STATUS_BADGES = {Status.SENT: "ok", Status.FAILED: "bad", Status.PARTIALLY_FAILED: "warn",
                 Status.PREPARING: "info", Status.READY: "info", Status.SENDING: "info"}


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Send status"), required=False,
                               choices=[("", _("All statuses")), *Status.choices])
    tool = forms.ChoiceField(label=_("Send request tool"), required=False,
                             choices=[("", _("All tools")), *Tool.choices])
    request_id = forms.CharField(label=_("Request ID"), required=False, max_length=20)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return _("%(m)d min") % {"m": minutes}
    return _("%(h)d h %(m)d min") % {"h": minutes // 60, "m": minutes % 60}


def _progress(rows: list[SendRequest]) -> dict[int, dict[str, int]]:
    """Mails done and waiting for the requests on the page that are still sending."""
    sending = [row.pk for row in rows if row.status == Status.SENDING]
    progress: dict[int, dict[str, int]] = {pk: {"done": 0, "waiting": 0} for pk in sending}
    for request_pk, status, n in (Mail.objects.filter(send_request_id__in=sending)
                                  .values_list("send_request_id", "status")
                                  .annotate(n=Count("id"))):
        key = "waiting" if status in (Status.READY, Status.SENDING) else "done"
        progress[request_pk][key] += n
    return progress


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def mailing_list(request: HttpRequest) -> HttpResponse:
    form = RequestFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    requests = SendRequest.objects.filter(project=request.project)
    if data.get("status"):
        requests = requests.filter(status=data["status"])
    if data.get("tool"):
        requests = requests.filter(tool=data["tool"])
    if data.get("request_id"):
        requests = requests.filter(request_id=data["request_id"].strip())
    page = page_of(requests.order_by("-created", "-id"), data.get("page"), PAGE_SIZE)
    shown = page.rows
    progress = _progress(shown)
    for row in shown:
        row.badge = STATUS_BADGES.get(row.status, "")
        row.progress = progress.get(row.pk)
        row.late = _duration(row.late_by) if row.late_by else ""
    context = {
        "form": form, **page.context(),
        "sending": any(row.status in (Status.PREPARING, Status.SENDING) for row in shown),
        "can_send": request.membership.allows(Role.SENDER),
        "any_request": shown or SendRequest.objects.filter(project=request.project).exists(),
    }
    return render(request, page_or_fragment(request, "mailer/mailing_list.html", "request-list"),
                  context)


def _act(request: HttpRequest, request_id: str, action, done: str) -> HttpResponse:
    """Send now or cancel from the list; the list comes back showing that request."""
    send_request = get_object_or_404(SendRequest, project=request.project, request_id=request_id)
    try:
        action(send_request)
    except Refused as refused:
        messages.error(request, str(refused).capitalize())
    else:
        messages.success(request, done % {"id": request_id})
    url = reverse("mailer:mailing_list", kwargs={"project": request.project.slug})
    return redirect(f"{url}?{urlencode({'request_id': request_id})}")


@project_view(Role.SENDER)
@require_POST
def send_now(request: HttpRequest, request_id: str) -> HttpResponse:
    """[Send now] of a request that is Ready (reviewed, or scheduled)."""
    return _act(request, request_id, lifecycle.send_now, _("Request %(id)s is being sent."))


@project_view(Role.SENDER)
@require_POST
def cancel(request: HttpRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, lifecycle.cancel, _("Request %(id)s was cancelled."))
