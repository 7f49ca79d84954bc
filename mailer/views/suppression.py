"""The Unsubscribers / Send block screen: both lists, searched and paged; admins add and remove
unsubscribers and take addresses off the send-block list."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from addressbook.addresses import normalise_address
from console.access import Role, project_view
from console.paging import page_of
from console.partials import page_or_fragment
from mailer import suppression
from mailer.forms import AddressesForm, SearchForm
from mailer.models import SendBlock, Unsubscriber

PAGE_SIZE = 25


def _list(request: HttpRequest, rows, template: str, extra: dict) -> HttpResponse:
    form = SearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("q"):
        rows = rows.filter(address__contains=normalise_address(data["q"]))
    context = {"form": form, **page_of(rows, data.get("page"), PAGE_SIZE).context(), **extra}
    return render(request, page_or_fragment(request, template, "rows"), context)


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def unsubscribers(request: HttpRequest) -> HttpResponse:
    rows = Unsubscriber.objects.filter(project=request.project)
    return _list(request, rows, "mailer/unsubscribers.html",
                 {"tab": "unsubscribers", "add_form": AddressesForm()})


@project_view(Role.ADMIN)
@require_POST
def add_unsubscribers(request: HttpRequest) -> HttpResponse:
    form = AddressesForm(request.POST)
    if not form.is_valid():
        rows = Unsubscriber.objects.filter(project=request.project)
        return _list(request, rows, "mailer/unsubscribers.html",
                     {"tab": "unsubscribers", "add_form": form})
    changed = suppression.add_unsubscribers(request.project, form.cleaned_data["addresses"])
    messages.success(request, _("%(n)d addresses added, %(ignored)d already listed.") % {
        "n": changed.count, "ignored": changed.ignore_count})
    return redirect("mailer:unsubscribers", project=request.project.slug)


@project_view(Role.ADMIN)
@require_POST
def remove_unsubscriber(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Unsubscriber, project=request.project, pk=pk)
    row.delete()
    messages.success(request, _("%(address)s can receive advertising mail again.") % {
        "address": row.address})
    return redirect("mailer:unsubscribers", project=request.project.slug)


def _active_blocks():
    return SendBlock.objects.filter(blocked_until__gt=timezone.now())


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def send_blocks(request: HttpRequest) -> HttpResponse:
    """The send-block list, which every project of the installation shares."""
    return _list(request, _active_blocks(), "mailer/send_blocks.html",
                 {"tab": "send_block", "add_form": AddressesForm()})


@project_view(Role.ADMIN)
@require_POST
def add_send_blocks(request: HttpRequest) -> HttpResponse:
    form = AddressesForm(request.POST)
    if not form.is_valid():
        return _list(request, _active_blocks(), "mailer/send_blocks.html",
                     {"tab": "send_block", "add_form": form})
    added = sum(suppression.block_by_hand(request.project, address)
                for address in dict.fromkeys(form.cleaned_data["addresses"]))
    ignored = len(set(form.cleaned_data["addresses"])) - added
    messages.success(request, ngettext("%(n)d address blocked", "%(n)d addresses blocked",
                                       added) % {"n": added}
                     + ngettext(", %(n)d was blocked already.", ", %(n)d were blocked already.",
                                ignored) % {"n": ignored})
    return redirect("mailer:send_blocks", project=request.project.slug)


@project_view(Role.ADMIN)
@require_POST
def unblock(request: HttpRequest, pk: int) -> HttpResponse:
    block = get_object_or_404(_active_blocks(), pk=pk)
    suppression.unblock(request.project, block.address)
    messages.success(request, _("%(address)s is no longer blocked.") % {
        "address": block.address})
    return redirect("mailer:send_blocks", project=request.project.slug)
