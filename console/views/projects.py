"""The home redirect, the list of the user's projects and creating a project."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from console import navigation
from console.access import project_view
from console.forms import NewProjectForm
from console.models import Membership, Project


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The last project the user worked in, else the first, else the project list."""
    memberships = Membership.objects.filter(user=request.user).select_related("project")
    last = request.profile.last_project_id
    chosen = memberships.filter(project_id=last).first() or memberships.order_by(
        "project__name").first()
    if chosen is None:
        return redirect("projects")
    return redirect(navigation.home_url(chosen.project))


@login_required
@require_http_methods(["GET", "POST"])
def projects(request: HttpRequest) -> HttpResponse:
    form = NewProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            project = form.save(commit=False)
            project.slug = Project.unique_slug(project.name)
            project.save()
            Membership.objects.create(project=project, user=request.user,
                                      role=Membership.Role.ADMIN)
        return redirect(navigation.home_url(project))
    memberships = (
        Membership.objects.filter(user=request.user).select_related("project")
        .order_by("project__name")
    )
    return render(request, "console/projects.html", {"form": form, "memberships": memberships})


@project_view()
@require_GET
def project_home(request: HttpRequest) -> HttpResponse:
    return redirect(navigation.home_url(request.project))
