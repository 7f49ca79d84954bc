"""Template context of every console page: the navigation (declared by the apps, see
console/navigation.py) and the project switcher."""

from __future__ import annotations

from django.http import HttpRequest

from console import navigation
from console.models import Membership


def console(request: HttpRequest) -> dict:
    project = getattr(request, "project", None)
    memberships = []
    # The signed API's requests have no user (console.middleware.console_only); Django renders
    # its 404 page for them before the API's error body replaces it.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        memberships = list(
            Membership.objects.filter(user=request.user).select_related("project")
            .order_by("project__name")
        )
    # Pages outside a project (health, preferences) keep the navigation of the last project.
    nav_project = project
    if nav_project is None and memberships:
        last = getattr(getattr(request, "profile", None), "last_project_id", None)
        nav_project = next((m.project for m in memberships if m.project_id == last),
                           memberships[0].project)
    return {
        "project": project,
        "membership": getattr(request, "membership", None),
        "switcher_memberships": memberships,
        "navigation": navigation.menu(request, nav_project) if nav_project else [],
        "settings_tabs": navigation.settings_tabs(bool(getattr(request, "membership", None)
                                                      and request.membership.is_admin)),
    }
