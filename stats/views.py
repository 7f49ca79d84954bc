"""The Statistics screen: five tabs (stats/figures.py), each a URL with its criteria; htmx swaps
the tab, a search or a drill-down and pushes the URL; a plain or history request gets the page.
Everything shown is read from the rollups."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from console.access import Role, project_view
from console.partials import page_or_fragment
from mailer.models import SendRequest
from stats import figures, rollups
from stats.figures import FORMS, Tab


def current_tab(data) -> str:
    tab = data.get("tab")
    return tab if tab in Tab.NAMES else Tab.REQUEST


def criteria(form, tab: str) -> dict[str, str]:
    """The criteria given, as typed, with the tab: the query of the download and the links."""
    params = {"tab": tab}
    for name in form.fields:
        value = form.data.get(name)
        if value not in (None, ""):
            params[name] = str(value).strip()
    return params


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def statistics(request: HttpRequest) -> HttpResponse:
    tab = current_tab(request.GET)
    form = FORMS[tab](request.GET, project=request.project)
    params = criteria(form, tab)
    base = reverse("stats:statistics", kwargs={"project": request.project.slug})

    def link(**changes) -> str:
        merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
        return f"{base}?{urlencode(merged)}"

    table = figures.table_for(request.project, tab, form, link) if form.is_valid() else None
    charts = []
    if table is not None:
        charts = [(f"chart-{tab}-{n}", f"chart-{tab}-{n}-spec", spec)
                  for n, spec in enumerate(table.charts, 1)]
    context = {
        "tab": tab, "tabs": Tab.CHOICES, "form": form, "table": table, "base": base,
        "charts": charts, "description": _("Description"),
        "export_query": urlencode(params), "lag": rollups.lag(),
        "any_request": SendRequest.objects.filter(project=request.project).exists(),
        "is_admin": request.membership.allows(Role.ADMIN),
        "tab_links": [(name, label, f"{base}?tab={name}") for name, label in Tab.CHOICES],
    }
    return render(request, page_or_fragment(request, "stats/statistics.html", "stats"), context)
