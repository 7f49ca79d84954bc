"""Template context of every console page: the navigation and the project switcher."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from console.models import Membership

# (key, label, url name, icon, the url names that light the entry up)
NAVIGATION = [
    ("mails", _("Mailing list"), "mailer:mailing_list", "mail", {"mailer:mailing_list"}),
    ("templates", _("Templates"), "mailer:templates", "template", {"mailer:templates"}),
    ("address_book", _("Address book"), "addressbook:address_book", "book",
     {"addressbook:address_book", "addressbook:register", "addressbook:import_status",
      "addressbook:edit_groups"}),
    ("statistics", _("Statistics"), "stats:statistics", "chart", {"stats:statistics"}),
    ("unsubscribers", _("Unsubscribers / Send block"), "mailer:unsubscribers", "block",
     {"mailer:unsubscribers", "mailer:send_blocks"}),
    ("settings", _("Settings"), "settings", "settings",
     {"settings", "members", "api_keys", "mailer:sending_settings", "mailer:sending_domains"}),
    ("sandbox", _("Sandbox inbox"), "sandbox", "inbox", {"sandbox", "sandbox_message"}),
]


def navigation(request: HttpRequest, project) -> list[dict]:
    match = request.resolver_match
    current = match.view_name if match else ""
    return [
        {"key": key, "label": label, "icon": icon, "active": current in names,
         "url": reverse(url_name, kwargs={"project": project.slug})}
        for key, label, url_name, icon, names in NAVIGATION
        if key != "sandbox" or settings.SANDBOX_INBOX
    ]


def console(request: HttpRequest) -> dict:
    project = getattr(request, "project", None)
    memberships = []
    if request.user.is_authenticated:
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
        "navigation": navigation(request, nav_project) if nav_project else [],
    }
