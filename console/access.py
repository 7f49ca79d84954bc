"""Project-scoped access: the member's project or 404, the member's role or 403."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation

from console.models import Membership, Profile

Role = Membership.Role


def get_membership(request: HttpRequest, slug: str) -> Membership:
    """The signed-in user's membership of the project, or 404: another project's objects do not
    exist for this user, whatever their role elsewhere."""
    membership = (
        Membership.objects.select_related("project")
        .filter(project__slug=slug, user=request.user)
        .first()
    )
    if membership is None:
        raise Http404("No such project")
    return membership


def project_view(role: str = Role.VIEWER) -> Callable:
    """Decorate a view that takes the URL's `project` slug. The view gets request.project and
    request.membership; a member whose role is below `role` gets 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, project: str, *args, **kwargs) -> HttpResponse:
            membership = get_membership(request, project)
            if not membership.allows(role):
                raise PermissionDenied(f"This page needs the {role} role.")
            request.project = membership.project
            request.membership = membership
            profile: Profile | None = getattr(request, "profile", None)
            if not (profile and profile.language) and membership.project.language:
                translation.activate(membership.project.language)
                request.LANGUAGE_CODE = translation.get_language()
            if not (profile and profile.time_zone):
                timezone.activate(zoneinfo.ZoneInfo(membership.project.time_zone))
            if profile and profile.last_project_id != membership.project_id:
                profile.last_project = membership.project
                profile.save(update_fields=["last_project"])
            return view(request, *args, **kwargs)

        wrapper.required_role = role
        return wrapper

    return decorator
