"""The Manage templates screen: the category tree, the templates of a category (or the deleted
ones), the template form with its preview, moving, deleting and restoring, and the export and
import of template files (background jobs). Every change goes through
mailer/template_library.py, as the API's do."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from console import jobs
from console.access import Role, project_view
from console.numbers import primary_key
from console.paging import page_of
from console.partials import page_or_fragment
from mailer import template_library as library
from mailer.bodies import preview_document, switch_body
from mailer.forms import (
    CategoryForm,
    MoveForm,
    TemplateForm,
    TemplateImportForm,
    TemplateSearchForm,
)
from mailer.models import BodyType, Template, TemplateCategory, TemplateExport, TemplateImport
from mailer.rules import Refused

PAGE_SIZE = 20
LISTED_JOBS = 10
PAGE = "mailer/templates.html"


def _url(request: HttpRequest, **query) -> str:
    base = reverse("mailer:templates", kwargs={"project": request.project.slug})
    query = {k: v for k, v in query.items() if v not in (None, "", False)}
    return f"{base}?{urlencode(query)}" if query else base


def _get_template(request: HttpRequest, pk: int) -> Template:
    return get_object_or_404(Template, project=request.project, pk=pk)


def _get_category(request: HttpRequest, pk: int) -> TemplateCategory:
    return get_object_or_404(TemplateCategory, project=request.project, pk=pk)


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def templates(request: HttpRequest) -> HttpResponse:
    form = TemplateSearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    category = None
    if data.get("category") not in (None, library.ROOT):
        category = TemplateCategory.objects.filter(project=request.project,
                                                   pk=data["category"]).first()
    rows = Template.objects.filter(project=request.project)
    if data.get("deleted"):
        rows = rows.exclude(deleted=None).order_by("-deleted")
    else:
        rows = rows.alive().filter(category=category)
    if data.get("q"):
        rows = rows.filter(Q(name__icontains=data["q"]) | Q(title__icontains=data["q"]))
    page = page_of(rows, data.get("page"), PAGE_SIZE)
    selected = None
    if data.get("template"):
        selected = Template.objects.filter(project=request.project,
                                           pk=data["template"]).first()
    context = {
        "form": form, **page.context(), "category": category, "deleted": data.get("deleted"),
        "tree": library.tree(request.project), "selected": selected,
        "selected_document": preview_document(selected.body, selected.body_type)
        if selected else "",
        "category_form": CategoryForm(project=request.project,
                                      initial={"parent": category.pk if category else ""}),
        "move_form": MoveForm(project=request.project),
        "can_edit": request.membership.can_send,
        "any_template": Template.objects.filter(project=request.project).exists(),
    }
    return render(request, page_or_fragment(request, PAGE, "template-list"), context)


def _form_page(request: HttpRequest, form: TemplateForm, template: Template | None
               ) -> HttpResponse:
    return render(request, "mailer/template_form.html",
                  {"form": form, "template": template})


def _save(request: HttpRequest, form: TemplateForm, template: Template | None):
    category = library.category_of(request.project, int(form.cleaned_data["category"]))
    fields = form.fields_checked
    if template is None:
        return library.create_template(request.project, category, fields)
    library.update_template(template, fields)
    if template.category_id != (category.pk if category else None):
        library.move_template(template, parent_sid=category.pk if category else library.ROOT)
    return template


def _edit(request: HttpRequest, template: Template | None) -> HttpResponse:
    if request.method == "POST" and "switch_body_type" in request.POST:
        data = switch_body(request.POST, request.POST.get("body_type", BodyType.EDITOR))
        return _form_page(request, TemplateForm(project=request.project, initial=data),
                          template)
    form = TemplateForm(request.POST or None, project=request.project, initial=_initial(
        request, template))
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, form, template)
        except Refused as refused:
            form.add_error("name" if "templateName" in str(refused) else None,
                           str(refused).partition(": ")[2] or str(refused))
        else:
            messages.success(request, _("The template %(name)s was saved.") % {
                "name": saved.name})
            return redirect(_url(request, category=saved.category_id, template=saved.pk))
    return _form_page(request, form, template)


def _initial(request: HttpRequest, template: Template | None) -> dict:
    if template is None:
        return {"category": request.GET.get("category") or library.ROOT,
                "body_type": BodyType.EDITOR, "is_use": True}
    return {"category": template.category_id or library.ROOT, "name": template.name,
            "description": template.description, "sender_name": template.sender_name,
            "sender_address": template.sender_address, "title": template.title,
            "body_type": template.body_type, "body": template.body, "is_use": template.is_use}


@project_view(Role.SENDER)
@require_http_methods(["GET", "POST"])
def new_template(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@project_view(Role.SENDER)
@require_http_methods(["GET", "POST"])
def edit_template(request: HttpRequest, pk: int) -> HttpResponse:
    template = _get_template(request, pk)
    if template.deleted is not None:
        raise Http404("The template is deleted")
    return _edit(request, template)


@project_view()
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    body_type = request.POST.get("body_type", BodyType.EDITOR)
    return render(request, "mailer/template_form.html#preview", {
        "subject": request.POST.get("title", ""),
        "document": preview_document(request.POST.get("body", ""), body_type)})


@project_view(Role.SENDER)
@require_POST
def move_template(request: HttpRequest, pk: int) -> HttpResponse:
    template = _get_template(request, pk)
    form = MoveForm(request.POST, project=request.project)
    if form.is_valid():
        library.move_template(template, parent_sid=int(form.cleaned_data["category"]))
        messages.success(request, _("%(name)s was moved.") % {"name": template.name})
    return redirect(_url(request, category=template.category_id, template=template.pk))


@project_view(Role.SENDER)
@require_POST
def set_in_use(request: HttpRequest, pk: int) -> HttpResponse:
    template = _get_template(request, pk)
    library.set_in_use(template, request.POST.get("is_use") == "on")
    return redirect(_url(request, category=template.category_id, template=template.pk))


@project_view(Role.SENDER)
@require_POST
def delete_template(request: HttpRequest, pk: int) -> HttpResponse:
    template = _get_template(request, pk)
    library.delete_template(template)
    messages.success(request, _("%(name)s was deleted; restore it from Deleted templates.")
                     % {"name": template.name})
    return redirect(_url(request, category=template.category_id))


@project_view(Role.SENDER)
@require_POST
def restore_template(request: HttpRequest, pk: int) -> HttpResponse:
    template = _get_template(request, pk)
    try:
        library.restore_template(template)
    except Refused as refused:
        messages.error(request, str(refused).partition(": ")[2])
        return redirect(_url(request, deleted=True))
    messages.success(request, _("%(name)s was restored.") % {"name": template.name})
    return redirect(_url(request, category=template.category_id, template=template.pk))


@project_view(Role.SENDER)
@require_POST
def purge_template(request: HttpRequest, pk: int) -> HttpResponse:
    template = _get_template(request, pk)
    try:
        library.purge_template(template)
    except Refused as refused:
        messages.error(request, str(refused).partition(": ")[2])
    else:
        messages.success(request, _("%(name)s was deleted for good.") % {"name": template.name})
    return redirect(_url(request, deleted=True))


# Categories ------------------------------------------------------------------------------------

def _category_refused(request: HttpRequest, refused: Refused) -> None:
    messages.error(request, str(refused).partition(": ")[2] or str(refused))


@project_view(Role.SENDER)
@require_POST
def create_category(request: HttpRequest) -> HttpResponse:
    form = CategoryForm(request.POST, project=request.project)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_url(request))
    try:
        parent = library.category_of(request.project, int(form.cleaned_data["parent"] or -1))
        created = library.create_category(request.project, form.cleaned_data["name"], parent)
    except Refused as refused:
        _category_refused(request, refused)
        return redirect(_url(request))
    return redirect(_url(request, category=created.pk))


@project_view(Role.SENDER)
@require_POST
def update_category(request: HttpRequest, pk: int) -> HttpResponse:
    category = _get_category(request, pk)
    form = CategoryForm(request.POST, project=request.project)
    if form.is_valid():
        try:
            library.update_category(category, name=form.cleaned_data["name"],
                                    parent_sid=int(form.cleaned_data["parent"] or -1))
        except Refused as refused:
            _category_refused(request, refused)
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_url(request, category=category.pk))


@project_view(Role.SENDER)
@require_POST
def delete_category(request: HttpRequest, pk: int) -> HttpResponse:
    category = _get_category(request, pk)
    try:
        library.delete_category(category)
    except Refused as refused:
        _category_refused(request, refused)
        return redirect(_url(request, category=category.pk))
    messages.success(request, _("The category %(name)s was deleted.") % {"name": category.name})
    return redirect(_url(request, category=category.parent_id))


# Export and import ------------------------------------------------------------------------------

def _jobs_context(request: HttpRequest) -> dict:
    return {
        "exports": TemplateExport.objects.filter(project=request.project)[:LISTED_JOBS],
        "imports": TemplateImport.objects.filter(project=request.project)[:LISTED_JOBS],
        "import_form": TemplateImportForm(),
    }


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def template_files(request: HttpRequest) -> HttpResponse:
    """The export and import dialog: files requested, with their progress and downloads."""
    return render(request, page_or_fragment(request, "mailer/template_files.html",
                                            "files-dialog"), _jobs_context(request))


@project_view()
@require_POST
def request_export(request: HttpRequest) -> HttpResponse:
    """Viewers may download, so they may ask for a file too; the selected templates, or all."""
    ids = [pk for pk in map(primary_key, request.POST.getlist("template")) if pk is not None]
    library.request_export(request.project, request.user, ids)
    return _after_job(request)


@project_view(Role.SENDER)
@require_POST
def request_import(request: HttpRequest) -> HttpResponse:
    form = TemplateImportForm(request.POST, request.FILES)
    context = _jobs_context(request)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            library.request_import(request.project, request.user, upload.name,
                                   upload.read(library.MAX_IMPORT_BYTES + 1))
        except Refused as refused:
            form.add_error("file", str(refused))
        else:
            return _after_job(request)
    context["import_form"] = form
    template = "mailer/template_files.html"
    return render(request, f"{template}#files-panel" if request.htmx else template, context)


def _after_job(request: HttpRequest) -> HttpResponse:
    """From the list (into #dialog): the dialog; from within it: its panel again."""
    if request.htmx:
        fragment = "files-dialog" if request.htmx.target == "dialog" else "files-panel"
        return render(request, f"mailer/template_files.html#{fragment}", _jobs_context(request))
    return redirect("mailer:template_files", project=request.project.slug)


@project_view()
@require_GET
@vary_on_headers("HX-Request")
def job_status(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = {"export": TemplateExport, "import": TemplateImport}.get(kind)
    if model is None:
        raise Http404("No such job")
    job = get_object_or_404(model, project=request.project, pk=pk)
    if not request.htmx or request.htmx.history_restore_request:
        return redirect("mailer:template_files", project=request.project.slug)
    return render(request, "mailer/template_files.html#job-row", {"job": job, "kind": kind})


@project_view()
@require_GET
def download_export(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(TemplateExport, project=request.project, pk=pk)
    return jobs.file_response(job, "application/json")
