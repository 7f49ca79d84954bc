"""Settings of a project: general (name, time zone, language), members and roles, API keys."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from console.access import Role, project_view
from console.forms import AddMemberForm, ApiKeyForm, ChangeRoleForm, ProjectForm
from console.models import ApiKey, Membership

User = get_user_model()


def _get_member(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), project=request.project,
                             pk=pk)


def _is_last_admin(membership: Membership) -> bool:
    return membership.is_admin and not Membership.objects.filter(
        project_id=membership.project_id, role=Role.ADMIN).exclude(pk=membership.pk).exists()


@project_view()
@require_http_methods(["GET", "POST"])
def general(request: HttpRequest) -> HttpResponse:
    """Everyone sees the project's settings; only admins change them."""
    can_edit = request.membership.is_admin
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Only admins change the project settings."))
    form = ProjectForm(request.POST or None, instance=request.project)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The project settings were saved."))
        return redirect("settings", project=request.project.slug)
    return render(request, "console/settings_general.html", {"form": form, "can_edit": can_edit})


@project_view(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    form = AddMemberForm(request.POST or None, project=request.project)
    new_account = None
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        with transaction.atomic():
            user = User.objects.filter(username=username).first()
            if user is None:
                # A new account: its first password is shown once, for the admin to pass on.
                new_account = {"username": username, "password": secrets.token_urlsafe(12)}
                user = User.objects.create_user(username, form.cleaned_data["email"],
                                                new_account["password"])
            Membership.objects.create(project=request.project, user=user,
                                      role=form.cleaned_data["role"])
        messages.success(request, _("%(name)s was added.") % {"name": username})
        if new_account is None:
            return redirect("members", project=request.project.slug)
        form = AddMemberForm(project=request.project)
    rows = Membership.objects.filter(project=request.project).select_related("user")
    return render(request, "console/settings_members.html",
                  {"form": form, "rows": rows, "roles": Role.choices, "new_account": new_account})


@project_view(Role.ADMIN)
@require_POST
def change_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_member(request, pk)
    form = ChangeRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
    elif form.cleaned_data["role"] != Role.ADMIN and _is_last_admin(membership):
        messages.error(request, _("A project needs at least one admin."))
    else:
        membership.role = form.cleaned_data["role"]
        membership.save(update_fields=["role"])
        messages.success(request, _("%(name)s is now %(role)s.") % {
            "name": membership.user.username, "role": membership.get_role_display()})
    return redirect("members", project=request.project.slug)


@project_view(Role.ADMIN)
@require_POST
def remove_member(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_member(request, pk)
    if _is_last_admin(membership):
        messages.error(request, _("A project needs at least one admin."))
    else:
        membership.delete()
        messages.success(request, _("%(name)s was removed.") % {"name": membership.user.username})
    return redirect("members", project=request.project.slug)


@project_view(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None, project=request.project,
                      initial={"user": request.user})
    created = None
    if request.method == "POST" and form.is_valid():
        key, secret = ApiKey.issue(request.project, form.cleaned_data["user"],
                                   form.cleaned_data["name"])
        created = {"access_key": key.access_key, "secret_key": secret}
        form = ApiKeyForm(project=request.project, initial={"user": request.user})
    keys = ApiKey.objects.filter(project=request.project).select_related("user")
    return render(request, "console/settings_api_keys.html",
                  {"form": form, "keys": keys, "created": created})


@project_view(Role.ADMIN)
@require_POST
def revoke_api_key(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, project=request.project, pk=pk)
    if key.revoked is None:
        key.revoke()
        messages.success(request, _("The key %(key)s was revoked.") % {"key": key.access_key})
    return redirect("api_keys", project=request.project.slug)
