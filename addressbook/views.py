"""The Address book screen: the group tree, the address list with search and paging, registering
(typed or from a file), editing the groups of selected addresses, per-group rename / empty /
delete, and the reset."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from addressbook import book, imports
from addressbook.addresses import normalise_address
from addressbook.forms import (
    BookFilterForm,
    EditGroupsForm,
    GroupNameForm,
    RegisterForm,
    SelectionForm,
)
from addressbook.models import Address, AddressBook, AddressImport, GroupMember, RecipientGroup
from console.access import project_view
from console.models import Membership
from console.paging import Page, page_of
from console.partials import page_or_fragment

PAGE_SIZE = 20
CHANGED = "addressbook-changed"  # the event on which the tree and the list reload


def _get_group(request: HttpRequest, sid: int) -> RecipientGroup:
    return get_object_or_404(RecipientGroup, project=request.project, pk=sid)


def _chosen_group(request: HttpRequest) -> RecipientGroup | None:
    """The group of ?group= (validated; 404 if it is not one of the project's)."""
    form = BookFilterForm(request.GET)
    sid = form.cleaned_data.get("group") if form.is_valid() else None
    return _get_group(request, sid) if sid else None


def _book_url(request: HttpRequest, group: RecipientGroup | None = None) -> str:
    url = reverse("addressbook:address_book", kwargs={"project": request.project.slug})
    return f"{url}?group={group.pk}" if group else url


def _rows(request: HttpRequest, group: RecipientGroup | None, query: str, page: int) -> Page:
    """One page of addresses (no COUNT over a million rows), each with its groups' names."""
    addresses = Address.objects.filter(project=request.project)
    if group is not None:
        addresses = addresses.filter(groupmember__group=group)
    if query:
        addresses = addresses.filter(address__startswith=normalise_address(query))
    found = page_of(addresses.order_by("address"), page, PAGE_SIZE)
    names: dict[int, list[str]] = {}
    for address_id, name in (GroupMember.objects.filter(address__in=found.rows)
                             .order_by("group__name").values_list("address_id", "group__name")):
        names.setdefault(address_id, []).append(name)
    for row in found.rows:
        row.group_names = names.get(row.pk, [])
    return found


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def address_book(request: HttpRequest) -> HttpResponse:
    form = BookFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    group = _get_group(request, data["group"]) if data.get("group") else None
    page, query = data.get("page") or 1, data.get("q", "")
    rows = _rows(request, group, query, page)
    context = {
        "form": form, "group": group, **rows.context(), "query": query,
        "groups": RecipientGroup.objects.filter(project=request.project),
        "total": AddressBook.address_count_of(request.project),
        "group_form": GroupNameForm(project=request.project),
        "rename_form": group and GroupNameForm(project=request.project, auto_id="rename_%s",
                                               initial={"name": group.name}),
    }
    fragment = "address-list" if request.htmx.target == "address-list" else "book"
    return render(request, page_or_fragment(request, "addressbook/address_book.html", fragment),
                  context)


@project_view(Membership.Role.SENDER)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def register(request: HttpRequest) -> HttpResponse:
    template = "addressbook/register.html"
    if request.method == "GET":
        group = _chosen_group(request)
        form = RegisterForm(project=request.project, initial={"group": group})
        return render(request, page_or_fragment(request, template, "register-dialog"),
                      {"form": form, "group": group})
    form = RegisterForm(request.POST, request.FILES, project=request.project)
    if not form.is_valid():
        return render(request, page_or_fragment(request, template, "register-form"),
                      {"form": form, "group": form.cleaned_data.get("group")})
    group = form.cleaned_data["group"]
    if form.cleaned_data["file"]:
        upload, kind = form.cleaned_data["file"]
        job = imports.start_file_import(request.project, request.user, upload, kind, group)
        if request.htmx:
            return render(request, "addressbook/import.html#import-progress", {"job": job})
        return redirect("addressbook:import_status", project=request.project.slug, pk=job.pk)
    found = form.cleaned_data["addresses"]
    result = book.register(request.project, found.valid, [group] if group else [])
    added = result.joined[group.pk] if group else result.new_addresses
    summary = {"found": found, "added": added, "new": result.new_addresses, "group": group,
               "duplicates": found.duplicates + len(found.valid) - added}
    if not request.htmx:
        messages.success(request, _registered_message(summary))
        return redirect(_book_url(request, group))
    return trigger_client_event(render(request, f"{template}#register-result", summary),
                                CHANGED)


def _registered_message(summary: dict) -> str:
    counts = {"added": f"{summary['added']:,}", "duplicates": f"{summary['duplicates']:,}",
              "invalid": f"{summary['found'].invalid:,}"}
    return _("Registered: %(added)s added, %(duplicates)s duplicates, %(invalid)s invalid."
             ) % counts


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(AddressImport, project=request.project, pk=pk)
    response = render(request,
                      page_or_fragment(request, "addressbook/import.html", "import-progress"),
                      {"job": job})
    if request.htmx and not job.is_active:
        trigger_client_event(response, CHANGED)
    return response


def _refused(request: HttpRequest, form: GroupNameForm) -> None:
    for error in form.errors.get("name", []):
        messages.error(request, error)


@project_view(Membership.Role.SENDER)
@require_POST
def create_group(request: HttpRequest) -> HttpResponse:
    form = GroupNameForm(request.POST, project=request.project)
    if not form.is_valid():
        _refused(request, form)
        return redirect(_book_url(request))
    group = RecipientGroup.objects.create(project=request.project, name=form.cleaned_data["name"])
    messages.success(request, _("Group %(name)s created.") % {"name": group.name})
    return redirect(_book_url(request, group))


@project_view(Membership.Role.SENDER)
@require_POST
def rename_group(request: HttpRequest, sid: int) -> HttpResponse:
    group = _get_group(request, sid)
    form = GroupNameForm(request.POST, project=request.project, group=group)
    if not form.is_valid():
        _refused(request, form)
        return redirect(_book_url(request, group))
    old, group.name = group.name, form.cleaned_data["name"]
    group.save(update_fields=["name"])
    messages.success(request, _("Group %(old)s renamed to %(name)s.")
                     % {"old": old, "name": group.name})
    return redirect(_book_url(request, group))


@project_view(Membership.Role.SENDER)
@require_POST
def empty_group(request: HttpRequest, sid: int) -> HttpResponse:
    group = _get_group(request, sid)
    removed = book.empty_group(group)
    messages.success(request, ngettext(
        "%(n)s address taken out of %(name)s.", "%(n)s addresses taken out of %(name)s.",
        removed) % {"n": f"{removed:,}", "name": group.name})
    return redirect(_book_url(request, group))


@project_view(Membership.Role.SENDER)
@require_POST
def delete_group(request: HttpRequest, sid: int) -> HttpResponse:
    group = _get_group(request, sid)
    book.delete_group(group)
    messages.success(request, _("Group %(name)s deleted; its addresses stay in the address "
                                "book.") % {"name": group.name})
    return redirect(_book_url(request))


@project_view(Membership.Role.SENDER)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def edit_groups(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = EditGroupsForm(request.POST if posted else request.GET, project=request.project)
    valid = form.is_valid()  # without a selection, the dialog says so
    if posted and valid and "apply" in request.POST:
        return _apply_groups(request, form)
    created = posted and valid and "create" in request.POST and _create_inline(request, form)
    if created:
        form = _ticked_to_add(request, created)
    # The list's [Edit group] opens the dialog; the dialog's own buttons redraw its form.
    fragment = "edit-form" if {"apply", "create"} & set(request.POST) else "edit-dialog"
    response = render(request, page_or_fragment(request, "addressbook/edit_groups.html", fragment),
                      {"form": form, **_selection(form)})
    return trigger_client_event(response, CHANGED) if created else response


def _create_inline(request: HttpRequest, form: EditGroupsForm) -> RecipientGroup | None:
    """[Create] in the dialog."""
    name = form.cleaned_data["new_group"]
    if not name:
        form.add_error("new_group", _("Enter the name of the group to create."))
        return None
    return RecipientGroup.objects.create(project=request.project, name=name)


def _ticked_to_add(request: HttpRequest, created: RecipientGroup) -> EditGroupsForm:
    """The dialog again, with the new group ticked to be added to."""
    data = request.POST.copy()
    data.setlist("add_to", [*data.getlist("add_to"), str(created.pk)])
    data["new_group"] = ""
    form = EditGroupsForm(data, project=request.project)
    form.is_valid()
    return form


def _apply_groups(request: HttpRequest, form: EditGroupsForm) -> HttpResponse:
    chosen = [address.pk for address in form.cleaned_data["address"]]
    adding = list(form.cleaned_data["add_to"])
    if form.cleaned_data["new_group"]:  # typed but not created with [Create]: create it now
        adding.append(RecipientGroup.objects.create(project=request.project,
                                                    name=form.cleaned_data["new_group"]))
    removing = list(form.cleaned_data["remove_from"])
    added = book.add_to_groups(request.project, chosen, adding)
    removed = book.remove_from_groups(request.project, chosen, removing)
    if not request.htmx:
        messages.success(request, ngettext(
            "The groups of %(n)s address were changed.",
            "The groups of %(n)s addresses were changed.", len(chosen)) % {"n": len(chosen)})
        return redirect(_book_url(request))
    context = {"count": len(chosen),
               "added": [(g.name, added.get(g.pk, 0)) for g in adding],
               "removed": [(g.name, removed.get(g.pk, 0)) for g in removing]}
    return trigger_client_event(
        render(request, "addressbook/edit_groups.html#edit-result", context), CHANGED)


def _selection(form: EditGroupsForm) -> dict:
    """The selected addresses and, per group, how many of them are in it."""
    chosen = list(form.cleaned_data.get("address") or [])
    inside = dict(GroupMember.objects.filter(address__in=chosen).values("group_id")
                  .annotate(n=Count("*")).values_list("group_id", "n")) if chosen else {}
    ticked = {name: set(form.data.getlist(name)) for name in ("add_to", "remove_from")}
    groups = list(form.fields["add_to"].queryset)
    for group in groups:
        group.selected_inside = inside.get(group.pk, 0)
        group.add_ticked = str(group.pk) in ticked["add_to"]
        group.remove_ticked = str(group.pk) in ticked["remove_from"]
    return {"chosen": chosen, "groups": groups}


@project_view(Membership.Role.SENDER)
@require_POST
def delete_addresses(request: HttpRequest) -> HttpResponse:
    form = SelectionForm(request.POST, project=request.project)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["address"]))
        return redirect(_book_url(request))
    deleted = book.delete_addresses(request.project, form.cleaned_data["address"])
    messages.success(request, ngettext("%(n)s address deleted.", "%(n)s addresses deleted.",
                                       deleted) % {"n": deleted})
    return redirect(_book_url(request))


@project_view(Membership.Role.ADMIN)
@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    deleted = book.reset(request.project)
    messages.success(request, ngettext(
        "The address book was reset: %(n)s address and every group deleted.",
        "The address book was reset: %(n)s addresses and every group deleted.", deleted,
    ) % {"n": f"{deleted:,}"})
    return redirect(_book_url(request))
