"""The attachment API: POST /files (multipart, fileList repeated), GET and DELETE
/files/{tempRequestId}."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router
from ninja.files import UploadedFile
from ninja.responses import Status as Answer

from console.api import ApiError, NotFound, caller
from console.models import Membership
from mailer import files
from mailer.models import AttachmentFile
from mailer.schemas import FilesOut

router = Router(tags=["files"])


def _answer(temp_request_id: str, rows: list[AttachmentFile]) -> dict:
    return {"tempRequestId": temp_request_id,
            "files": [{"fileName": f.file_name, "fileSize": f.size, "fileId": f.file_id}
                      for f in rows]}


@router.post("", response={201: FilesOut}, summary="Upload attachments")
def upload(request: HttpRequest, fileList: list[UploadedFile] = File(...)) -> Answer:  # noqa: B008
    project = caller(request, Membership.Role.SENDER).project
    if not fileList:
        raise ApiError(400, "fileList: " + _("at least one file is needed"))
    try:
        temp_request_id, rows = files.store(project, fileList)
    except files.Unacceptable as problem:
        raise ApiError(400, f"fileList: {problem}") from None
    return Answer(201, _answer(temp_request_id, rows))


def _group(request: HttpRequest, temp_request_id: str, role: str) -> tuple:
    project = caller(request, role).project
    rows = list(AttachmentFile.objects.filter(project=project, temp_request_id=temp_request_id))
    if not rows:
        raise NotFound(_("There are no files for %(field)s %(id)s")
                       % {"field": "tempRequestId", "id": temp_request_id})
    return project, rows


@router.get("/{temp_request_id}", response=FilesOut, summary="The files of an upload")
def get_files(request: HttpRequest, temp_request_id: str) -> dict:
    _project, rows = _group(request, temp_request_id, Membership.Role.VIEWER)
    return _answer(temp_request_id, rows)


@router.delete("/{temp_request_id}", response=FilesOut,
               summary="Delete the files of an upload")
def delete_files(request: HttpRequest, temp_request_id: str) -> dict:
    project, _rows = _group(request, temp_request_id, Membership.Role.SENDER)
    return _answer(temp_request_id, files.delete_group(project, temp_request_id))
