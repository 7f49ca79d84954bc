"""Excel downloads of whatever the apps registered (console/exports.py): request a file, watch it
being built, download it for 7 days. The Address book's and the Mailing list's "Download
request/list" open these views in a dialog."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from console import exports, jobs
from console.access import project_view
from console.models import Export
from console.partials import page_or_fragment

LISTED = 20
TEMPLATE = "console/exports.html"


class ExportKindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=exports.kinds)


def _exporter_and_params(request: HttpRequest, data) -> tuple[exports.Exporter, dict]:
    """The exporter of `kind` and its parameters, validated by the exporter's own form;
    404 when either is not valid (there is no such download)."""
    kind_form = ExportKindForm(data)
    if not kind_form.is_valid():
        raise Http404("No such export")
    found = exports.exporter(kind_form.cleaned_data["kind"])
    if found.form is None:
        return found, {}
    form = found.form(data, project=request.project)
    if not form.is_valid():
        raise Http404("No such export")
    return found, {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}


def _listed(request: HttpRequest, found: exports.Exporter, params: dict) -> dict:
    rows = list(Export.objects.filter(project=request.project, kind=found.kind)[:LISTED])
    for row in rows:
        row.scope = found.describe(request.project, row.params) if found.describe else ""
    return {"exporter": found, "hidden_params": _as_fields(params), "exports": rows,
            "now": timezone.now()}


def _as_fields(params: dict) -> list[tuple[str, str]]:
    """The params as form fields again (lists repeated, booleans as a ticked checkbox)."""
    fields = []
    for name, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            fields.append((name, "on" if item is True else str(item)))
    return fields


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def export_list(request: HttpRequest) -> HttpResponse:
    found, params = _exporter_and_params(request, request.GET)
    return render(request, page_or_fragment(request, TEMPLATE, "export-dialog"),
                  _listed(request, found, params))


@project_view()
@require_POST
def request_export(request: HttpRequest) -> HttpResponse:
    """Viewers may download, so they may ask for a file too."""
    found, params = _exporter_and_params(request, request.POST)
    refusal = ""
    if exports.busy(request.project):
        refusal = _("Several files are being created already; request this one when they are "
                    "ready.")
    else:
        exports.request_export(request.project, request.user, found.kind, params)
    if request.htmx:
        return render(request, f"{TEMPLATE}#export-panel",
                      {**_listed(request, found, params), "refusal": refusal})
    if refusal:
        messages.error(request, refusal)
    return redirect(_list_url(request, found.kind, params))


def _list_url(request: HttpRequest, kind: str, params: dict) -> str:
    url = reverse("export_list", kwargs={"project": request.project.slug})
    return f"{url}?{urlencode([('kind', kind), *_as_fields(params)])}"


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(Export, project=request.project, pk=pk)
    if not request.htmx or request.htmx.history_restore_request:
        return redirect(_list_url(request, export.kind, export.params))
    found = exports.exporter(export.kind)
    export.scope = found.describe(request.project, export.params) if found and found.describe \
        else ""
    return render(request, f"{TEMPLATE}#export-row", {"export": export, "now": timezone.now()})


@project_view()
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    export = get_object_or_404(Export, project=request.project, pk=pk)
    return jobs.file_response(export, "application/vnd.openxmlformats-officedocument."
                                      "spreadsheetml.sheet")
