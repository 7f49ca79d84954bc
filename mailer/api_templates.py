"""The template and category API (/template, /category) of the reference: getTemplateStructure,
getTemplate, createTemplate, updateTemplate, deleteTemplate, restoreTemplate,
updateTemplateLocationOrName, createCategory, updateCategoryLocationOrName, deleteCategory,
createTemplateExportRequest, getTemplateExportRequestList, exportTemplate, and the import of an
export file. Viewers read and download; senders create and change."""

# No `from __future__ import annotations` here: ninja reads the annotations of paginated views
# in the namespace of its pagination module, where string annotations do not resolve.

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status as Answer
from pydantic import Field, StrictBool, StrictInt, StrictStr

from console.api import (
    ApiError,
    DateOut,
    LabelledCode,
    NotFound,
    SignatureV2,
    SpringPagination,
    caller,
    caller_time_zone,
    date_object,
)
from console.api import Sid as SidParam
from console.models import JobStatus, Membership
from mailer import template_library as library
from mailer.api_labels import labelled
from mailer.models import Template, TemplateCategory, TemplateExport
from mailer.rules import Refused

template = Router(tags=["template"])
category = Router(tags=["category"])

# TemplateBackupStatus: C completed, E expired, I creating, R pending. A failed export has no
# code of its own in the reference: it can no longer be downloaded, like an expired one.
BACKUP_STATUS = {
    "C": pgettext_lazy("TemplateBackupStatus", "Completed"),
    "E": pgettext_lazy("TemplateBackupStatus", "Expired"),
    "I": pgettext_lazy("TemplateBackupStatus", "Creating"),
    "R": pgettext_lazy("TemplateBackupStatus", "Pending"),
}
BACKUP_CODE = {JobStatus.QUEUED: "R", JobStatus.RUNNING: "I", JobStatus.DONE: "C",
               JobStatus.FAILED: "E", JobStatus.EXPIRED: "E"}
EXPORT_SORT = {"createUtc": "created", "sid": "id", "statusCode": "status"}
Sid = StrictInt | StrictStr  # the reference types some SIDs as String and sends numbers


def _refused(refused: Refused) -> ApiError:
    return ApiError(400, str(refused), refused.code)


def _sid(value, field: str) -> int | None:
    if value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise ApiError(400, f"{field}: " + _("a number")) from None


# Shapes ----------------------------------------------------------------------------------------

class CategoryOut(Schema):
    sid: int
    parentSid: int
    name: str


class TemplateOut(Schema):
    sid: int
    createDate: DateOut
    name: str
    description: str | None
    title: str
    senderAddress: str
    senderName: str | None
    body: str
    isUse: bool
    category: CategoryOut


class TemplateStructureOut(Schema):
    sid: int
    parentSid: int
    createDate: DateOut
    name: str
    isCategory: bool
    isUse: bool
    subCategoris: list["TemplateStructureOut"] | None  # (sic): the reference's spelling
    templates: list["TemplateStructureOut"] | None


TemplateStructureOut.model_rebuild()


class StructureOut(Schema):
    contents: list[TemplateStructureOut]


class ExportRequestOut(Schema):
    sid: int


class TemplateExportRequestResponse(Schema):
    sid: int
    projectSid: int
    requestUtc: DateOut
    completeUtc: DateOut | None
    elapsedTime: str | None
    statusCode: LabelledCode
    downloadUrl: str | None

    @staticmethod
    def resolve_projectSid(obj: TemplateExport) -> int:
        return obj.project_id

    @staticmethod
    def resolve_sid(obj: TemplateExport) -> int:
        return obj.pk

    @staticmethod
    def resolve_requestUtc(obj: TemplateExport, context) -> dict:
        return date_object(obj.created, caller_time_zone(context))

    @staticmethod
    def resolve_completeUtc(obj: TemplateExport, context) -> dict | None:
        return date_object(obj.finished, caller_time_zone(context))

    @staticmethod
    def resolve_elapsedTime(obj: TemplateExport) -> str | None:
        if obj.finished is None:
            return None
        return f"{(obj.finished - (obj.started or obj.created)).total_seconds():.1f}s"

    @staticmethod
    def resolve_statusCode(obj: TemplateExport) -> dict:
        code = BACKUP_CODE[obj.status]
        if code == "C" and obj.is_expired():
            code = "E"
        return labelled(BACKUP_STATUS, code)

    @staticmethod
    def resolve_downloadUrl(obj: TemplateExport) -> str | None:
        if not obj.is_downloadable():
            return None
        return f"{settings.PUBLIC_BASE_URL}/api/v1/template/export/{obj.pk}"


class TemplateIn(Schema):
    categorySid: Sid | None = library.ROOT
    templateName: StrictStr
    description: StrictStr | None = None
    title: StrictStr
    body: StrictStr
    senderAddress: StrictStr
    senderName: StrictStr | None = None
    isUse: StrictBool = True


class TemplateUpdateIn(Schema):
    templateName: StrictStr
    description: StrictStr | None = None
    title: StrictStr
    body: StrictStr
    senderAddress: StrictStr
    senderName: StrictStr | None = None
    isUse: StrictBool = True


class TemplateNameLocationIn(Schema):
    templateName: StrictStr = Field(max_length=1000)
    parentSid: Sid | None = None
    lowerSid: Sid | None = None


class CategoryIn(Schema):
    categoryName: StrictStr
    parentSid: Sid | None = library.ROOT


class CategoryNameLocationIn(Schema):
    categoryName: StrictStr | None = None
    parentSid: Sid | None = None
    lowerSid: Sid | None = None


def _category_out(found: TemplateCategory | None) -> dict:
    if found is None:
        return {"sid": library.ROOT, "parentSid": library.ROOT, "name": "root"}
    return {"sid": found.pk, "parentSid": found.parent_id or library.ROOT, "name": found.name}


def _template_out(found: Template, time_zone: str) -> dict:
    return {"sid": found.pk, "createDate": date_object(found.created, time_zone),
            "name": found.name, "description": found.description or None,
            "title": found.title, "senderAddress": found.sender_address,
            "senderName": found.sender_name or None, "body": found.body,
            "isUse": found.is_use, "category": _category_out(found.category)}


def _node_out(node: library.Node, time_zone: str) -> dict:
    return {"sid": node.sid, "parentSid": node.parent_sid,
            "createDate": date_object(node.created, time_zone), "name": node.name,
            "isCategory": node.is_category, "isUse": node.is_use,
            "subCategoris": [_node_out(c, time_zone) for c in node.children]
            if node.is_category else None,
            "templates": [_node_out(t, time_zone) for t in node.templates]
            if node.is_category else None}


def _get_template(project, sid: int, deleted: bool | None = False) -> Template:
    found = Template.objects.filter(project=project, pk=sid).select_related("category").first()
    if found is None or (deleted is False and found.deleted is not None):
        raise NotFound(_("There is no template %(sid)s") % {"sid": sid})
    return found


def _get_category(project, sid: int) -> TemplateCategory:
    found = TemplateCategory.objects.filter(project=project, pk=sid).first()
    if found is None:
        raise NotFound(_("There is no category %(sid)s") % {"sid": sid})
    return found


# Templates -------------------------------------------------------------------------------------

@template.get("", response=StructureOut, summary="The categories and templates as a tree")
def get_template_structure(request: HttpRequest, isUse: bool | None = None) -> dict:
    project = caller(request).project
    nodes = library.tree(project, in_use_only=bool(isUse))
    return {"contents": [_node_out(node, project.time_zone) for node in nodes]}


@template.post("/export/request", response=ExportRequestOut,
               summary="Build a file of every template (asynchronous)")
def create_template_export_request(request: HttpRequest) -> dict:
    who = caller(request)
    job = library.request_export(who.project, None, [])
    return {"sid": job.pk}


@template.get("/export", response=list[TemplateExportRequestResponse],
              summary="The template export files requested")
@paginate(SpringPagination, sort_fields=EXPORT_SORT, default_sort=[("createUtc", "DESC")])
def get_template_export_request_list(request: HttpRequest):
    return TemplateExport.objects.filter(project=caller(request).project)


@template.get("/export/{export_sid}", summary="Download a template export file (JSON)",
              openapi_extra={"responses": {200: {
                  "description": "The export file",
                  "content": {"application/json": {"schema": {"type": "string",
                                                              "format": "binary"}}}}}})
def export_template(request: HttpRequest, export_sid: SidParam) -> FileResponse:
    project = caller(request).project
    job = TemplateExport.objects.filter(project=project, pk=export_sid).first()
    if job is None:
        raise NotFound(_("There is no template export %(sid)s") % {"sid": export_sid})
    if not job.is_downloadable():
        raise ApiError(400, _("The template export %(sid)s is not ready or has expired")
                       % {"sid": export_sid}, "77103")
    return FileResponse(job.path.open("rb"), as_attachment=True, filename=job.file_name,
                        content_type="application/json")


@template.post("/import", response={201: ExportRequestOut}, auth=SignatureV2(multipart=True),
               summary="Import a template export file (asynchronous; all or nothing)")
def import_template(request: HttpRequest,
                    fileList: list[UploadedFile] = File(...)) -> Answer:  # noqa: B008
    who = caller(request, Membership.Role.SENDER)
    if len(fileList) != 1:
        raise ApiError(400, "fileList: " + _("one export file"))
    upload = fileList[0]
    try:
        job = library.request_import(who.project, None, upload.name or "", upload.read())
    except Refused as refused:
        raise _refused(refused) from None
    return Answer(201, {"sid": job.pk})


@template.get("/{template_sid}", response=TemplateOut, summary="One template")
def get_template(request: HttpRequest, template_sid: SidParam) -> dict:
    project = caller(request).project
    return _template_out(_get_template(project, template_sid), project.time_zone)


@template.post("", response={201: TemplateOut}, summary="Create a template")
def create_template(request: HttpRequest, payload: TemplateIn) -> Answer:
    project = caller(request, Membership.Role.SENDER).project
    try:
        parent = library.category_of(project, _sid(payload.categorySid, "categorySid"),
                                     "categorySid")
        created = library.create_template(project, parent, library.TemplateFields(
            name=payload.templateName, title=payload.title, body=payload.body,
            sender_address=payload.senderAddress, description=payload.description or "",
            sender_name=payload.senderName or "", is_use=payload.isUse))
    except Refused as refused:
        raise _refused(refused) from None
    return Answer(201, _template_out(created, project.time_zone))


@template.put("/{template_sid}", response=TemplateOut, summary="Change a template")
def update_template(request: HttpRequest, template_sid: SidParam,
                    payload: TemplateUpdateIn) -> dict:
    project = caller(request, Membership.Role.SENDER).project
    found = _get_template(project, template_sid)
    fields = library.TemplateFields(
        name=payload.templateName, title=payload.title, body=payload.body,
        sender_address=payload.senderAddress, description=payload.description or "",
        sender_name=payload.senderName or "", body_type=found.body_type, is_use=payload.isUse)
    try:
        library.update_template(found, fields)
    except Refused as refused:
        raise _refused(refused) from None
    return _template_out(found, project.time_zone)


@template.delete("/{template_sid}", response=TemplateOut,
                 summary="Delete a template (it can be restored)")
def delete_template(request: HttpRequest, template_sid: SidParam) -> dict:
    project = caller(request, Membership.Role.SENDER).project
    found = _get_template(project, template_sid)
    library.delete_template(found)
    return _template_out(found, project.time_zone)


@template.put("/{template_sid}/restoration", response=TemplateOut,
              summary="Restore a deleted template")
def restore_template(request: HttpRequest, template_sid: SidParam) -> dict:
    project = caller(request, Membership.Role.SENDER).project
    found = _get_template(project, template_sid, deleted=None)
    try:
        library.restore_template(found)
    except Refused as refused:
        raise _refused(refused) from None
    return _template_out(found, project.time_zone)


@template.put("/{template_sid}/name-location", response=TemplateOut,
              summary="Rename a template or move it to another category")
def update_template_location_or_name(request: HttpRequest, template_sid: SidParam,
                                     payload: TemplateNameLocationIn) -> dict:
    project = caller(request, Membership.Role.SENDER).project
    found = _get_template(project, template_sid)
    try:
        library.move_template(found, name=payload.templateName,
                              parent_sid=_sid(payload.parentSid, "parentSid"),
                              lower_sid=_sid(payload.lowerSid, "lowerSid"))
    except Refused as refused:
        raise _refused(refused) from None
    return _template_out(found, project.time_zone)


# Categories ------------------------------------------------------------------------------------

@category.post("", response={201: CategoryOut}, summary="Create a category")
def create_category(request: HttpRequest, payload: CategoryIn) -> Answer:
    project = caller(request, Membership.Role.SENDER).project
    try:
        parent = library.category_of(project, _sid(payload.parentSid, "parentSid"))
        created = library.create_category(project, payload.categoryName, parent)
    except Refused as refused:
        raise _refused(refused) from None
    return Answer(201, _category_out(created))


@category.put("/{category_sid}/name-location", response=CategoryOut,
              summary="Rename a category or move it")
def update_category_location_or_name(request: HttpRequest, category_sid: SidParam,
                                     payload: CategoryNameLocationIn) -> dict:
    project = caller(request, Membership.Role.SENDER).project
    found = _get_category(project, category_sid)
    try:
        library.update_category(found, name=payload.categoryName,
                                parent_sid=_sid(payload.parentSid, "parentSid"),
                                lower_sid=_sid(payload.lowerSid, "lowerSid"))
    except Refused as refused:
        raise _refused(refused) from None
    return _category_out(found)


@category.delete("/{category_sid}", response=CategoryOut,
                 summary="Delete an empty category")
def delete_category(request: HttpRequest, category_sid: SidParam) -> dict:
    project = caller(request, Membership.Role.SENDER).project
    found = _get_category(project, category_sid)
    answer = _category_out(found)
    try:
        library.delete_category(found)
    except Refused as refused:
        raise _refused(refused) from None
    return answer

