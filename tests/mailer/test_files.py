"""POST/GET/DELETE /api/v1/files and attachments delivered byte for byte."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from console.signature import signed_headers
from mailer.models import AttachmentFile, SendRequest
from tests.mailer.factories import delivered_to, request_body, sent_request

URL = "/api/v1/files"


def _upload(api, *files):
    headers = signed_headers("POST", URL, api.access_key, api.secret)
    return api.client.post(URL, {"fileList": list(files)}, headers=headers)


def _file(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"data")
    return buffer.getvalue()


def test_it_uploads_files_and_lists_them(api, project):
    response = _upload(api, _file("견적서.pdf", b"%PDF-1.4 quote"), _file("photo.png", b"\x89PNG"))
    assert response.status_code == 201
    answer = response.json()
    assert [f["fileName"] for f in answer["files"]] == ["견적서.pdf", "photo.png"]
    assert answer["files"][0]["fileSize"] == len(b"%PDF-1.4 quote")
    listed = api.get(f"{URL}/{answer['tempRequestId']}").json()
    assert listed == answer
    stored = AttachmentFile.objects.get(file_id=answer["files"][0]["fileId"])
    assert (stored.project, stored.content_type) == (project, "application/pdf")
    assert Path(stored.path).read_bytes() == b"%PDF-1.4 quote"


def test_it_deletes_an_upload(api):
    answer = _upload(api, _file("a.txt", b"a")).json()
    path = Path(AttachmentFile.objects.get().path)
    headers = signed_headers("DELETE", f"{URL}/{answer['tempRequestId']}", api.access_key,
                             api.secret)
    response = api.client.delete(f"{URL}/{answer['tempRequestId']}", headers=headers)
    assert response.status_code == 200
    assert not AttachmentFile.objects.exists() and not path.exists()
    assert api.get(f"{URL}/{answer['tempRequestId']}").json()["error"]["errorCode"] == "77103"


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("setup.exe", b"anything", ".exe files cannot be attached"),
    ("invoice.PDF.js", b"x", ".js files cannot be attached"),
    ("tools.zip", _zip("readme.txt", "bin/run.exe"), "contains bin/run.exe"),
    ("outer.zip", _zip("inner.zip"), "not a readable zip archive"),
    ("harmless.pdf", b"MZ\x90\x00 a Windows program", "is a program"),
    ("broken.zip", b"PK\x03\x04 not really", "not a readable zip archive"),
    ("big.bin", b"x" * (10 * 1024 * 1024 + 1), "at most 10 MB"),
])
def test_it_refuses_a_file_that_must_not_be_attached(api, name, data, reason):
    response = _upload(api, _file("fine.txt", b"ok"), _file(name, data))
    assert response.status_code == 400
    assert reason in response.json()["error"]["message"]
    assert not AttachmentFile.objects.exists()  # nothing of the upload is kept


def test_it_refuses_an_exe_inside_a_zip_inside_a_zip(api):
    inner = _zip("virus.scr")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner.zip", inner)
    response = _upload(api, _file("outer.zip", buffer.getvalue()))
    assert "virus.scr" in response.json()["error"]["message"]


def test_it_refuses_an_upload_without_files(api):
    headers = signed_headers("POST", URL, api.access_key, api.secret)
    response = api.client.post(URL, {}, headers=headers)
    assert response.status_code == 400


def test_it_refuses_json_instead_of_multipart(api):
    assert api.post(URL, {"fileList": []}).status_code == 415


def test_send_refuses_unknown_file_ids(api):
    response = api.post("/api/v1/mails", request_body(attachFileIds=["nope"]))
    assert "unknown file ID" in response.json()["error"]["message"]


def test_send_refuses_more_than_20_mb_of_attachments(api):
    ids = []
    for n in range(3):
        answer = _upload(api, _file(f"part{n}.bin", bytes(7 * 1024 * 1024))).json()
        ids.append(answer["files"][0]["fileId"])
    response = api.post("/api/v1/mails", request_body(attachFileIds=ids))
    assert response.status_code == 400
    assert "at most 20 MB" in response.json()["error"]["message"]


def test_another_project_s_files_are_not_found(api, client, outsider):
    from console.models import Project
    from tests.factories import ApiClient, make_api_key

    key, secret = make_api_key(Project.objects.get(name="other"), outsider)
    theirs = _upload(ApiClient(client, key.access_key, secret), _file("a.txt", b"a")).json()
    assert api.get(f"{URL}/{theirs['tempRequestId']}").status_code == 400
    response = api.post("/api/v1/mails", request_body(attachFileIds=[theirs["files"][0][
        "fileId"]]))
    assert "unknown file ID" in response.json()["error"]["message"]


def test_an_attachment_arrives_byte_for_byte(api, sink, project):
    payload = bytes(range(256)) * 4000  # 1 MB of every byte value
    answer = _upload(api, _file("분기 보고서 Q3.pdf", payload, "application/pdf")).json()
    file_id = answer["files"][0]["fileId"]
    sent_request(project, recipients=[{"address": "kim@example.com"}], attachFileIds=[file_id])
    (attachment,) = delivered_to("kim@example.com")[0].content().attachments
    assert attachment.filename == "분기 보고서 Q3.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.payload == payload
    detail = api.get(f"/api/v1/mails/{SendRequest.objects.get().request_id}00000001").json()
    assert detail["attachFiles"] == [{"fileName": "분기 보고서 Q3.pdf", "fileSize": len(payload),
                                      "fileId": file_id}]
