"""The Mailing list's Download request/list: the tab being looked at, with its criteria, as an
Excel file made in the background, read back with openpyxl."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from console import exports
from console.models import Export, Project
from mailer.models import Mail, Recipient, SendRequest, Status
from mailer.result_codes import ResultCode
from mailer.tasks import prepare_request
from tests.mailer.factories import accepted_request, recipients


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _prepared(project, **overrides) -> SendRequest:
    send_request = accepted_request(project, **overrides)
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    return send_request


def _sent(send_request) -> None:
    now = timezone.now()
    Recipient.objects.filter(send_request=send_request).update(
        result_code=ResultCode.MAIL_SENT, received=True, received_at=now, attempts=1)
    Mail.objects.filter(send_request=send_request).update(status=Status.SENT, sent_at=now)
    SendRequest.objects.filter(pk=send_request.pk).update(status=Status.SENT)


def _request_file(client, project, kind: str, query: str) -> Export:
    """What the dialog does: open it with the list's criteria, press [Request file creation];
    then the worker's part, here in this process."""
    url = f"/projects/{project.slug}/exports/"
    dialog = client.get(f"{url}?kind={kind}&{query}", HTTP_HX_REQUEST="true").content.decode()
    assert "Request file creation" in dialog
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', dialog))
    fields.pop("csrfmiddlewaretoken", None)
    response = client.post(f"{url}new/", fields)
    assert response.status_code in (200, 302)
    export = Export.objects.filter(project=project, kind=kind).latest("id")
    exports.build(export.pk)
    export.refresh_from_db()
    assert export.status == Export.Status.DONE, export.error
    return export


def _rows(client, project, export: Export) -> list[list]:
    response = client.get(f"/projects/{project.slug}/exports/{export.pk}/download/")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_list_by_request_downloads_with_its_criteria(owner_client, project):
    wanted = _prepared(project, title="=HYPERLINK(\"http://evil\")", recipients=recipients(2))
    _sent(wanted)
    _prepared(project, title="Not this one")
    page = owner_client.get(f"/projects/{project.slug}/mails/", {"status": "S"}).content.decode()
    query = re.search(r'id="download-button" href="[^"?]+\?kind=mail_requests&amp;([^"]+)"',
                      page).group(1).replace("&amp;", "&")
    assert "status=S" in query
    export = _request_file(owner_client, project, "mail_requests", query)
    rows = _rows(owner_client, project, export)
    header, data = rows[0], rows[1:]
    assert header[:3] == ["Request ID", "Request date and time", "Send date and time"]
    assert "Advertisement mail status" in header and "Recipient count" in header
    assert len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert row["Request ID"] == wanted.request_id
    assert row["Send status"] == "Successfully sent"
    assert row["Recipient count"] == 2
    assert row["Subject"].startswith("'=")  # a formula neutralised
    assert export.progress_done == 1


def test_list_by_recipient_downloads_every_recipient_with_its_result(owner_client, project):
    send_request = _prepared(project, recipients=recipients(12))
    _sent(send_request)
    Recipient.objects.filter(send_request=send_request, address="user000003@example.com") \
        .update(result_code=ResultCode.MAILBOX_ERROR, received=False, attempts=3)
    export = _request_file(owner_client, project, "mail_recipients", "tab=recipient")
    rows = _rows(owner_client, project, export)
    header, data = rows[0], rows[1:]
    assert len(data) == 12
    by_address = {row[header.index("Address")]: dict(zip(header, row, strict=True))
                  for row in data}
    failed = by_address["user000003@example.com"]
    assert failed["Send result code"] == "MAILBOX_ERROR"
    assert failed["Send result description"] == "Sending failed due to recipient mailbox error"
    assert failed["Resend count"] == 2 and failed["Receipt status"] == "Not received"
    assert failed["Mail ID"].startswith(send_request.request_id)


def test_the_recipient_export_follows_the_criteria(owner_client, project):
    _sent(_prepared(project, recipients=[{"address": "ann@example.com"}]))
    _sent(_prepared(project, recipients=[{"address": "bob@example.com"}]))
    export = _request_file(owner_client, project, "mail_recipients",
                           "tab=recipient&recipient=bob@example.com")
    rows = _rows(owner_client, project, export)
    assert [row[rows[0].index("Address")] for row in rows[1:]] == ["bob@example.com"]


def test_the_export_reads_in_chunks_across_many_rows(owner_client, project, monkeypatch):
    from mailer import exporters

    monkeypatch.setattr(exporters, "CHUNK", 4)
    send_request = _prepared(project, recipients=recipients(10))
    export = _request_file(owner_client, project, "mail_recipients", "tab=recipient")
    rows = _rows(owner_client, project, export)
    addresses = [row[rows[0].index("Address")] for row in rows[1:]]
    assert sorted(addresses) == sorted(r["address"] for r in recipients(10))
    assert export.progress_total == 10
    assert send_request.request_id in rows[1][0]


def test_list_by_mail_downloads_one_row_per_recipient(owner_client, project):
    send_request = _prepared(project, individual=False,
                             recipients=[{"address": "a@example.com"},
                                         {"address": "b@example.com"},
                                         {"address": "c@example.com", "type": "C"}])
    _sent(send_request)
    page = owner_client.get(f"/projects/{project.slug}/mails/requests/"
                            f"{send_request.request_id}/").content.decode()
    query = re.search(r'id="download-button" href="[^"?]+\?kind=request_mails&amp;([^"]+)"',
                      page).group(1).replace("&amp;", "&")
    export = _request_file(owner_client, project, "request_mails", query)
    rows = _rows(owner_client, project, export)
    header, data = rows[0], rows[1:]
    assert [row[header.index("Address")] for row in data] == ["a@example.com", "b@example.com",
                                                              "c@example.com"]
    assert {row[header.index("Mail ID")] for row in data} == {f"{send_request.request_id}00000001"}
    assert data[2][header.index("Recipient type")] == "Cc"


def test_a_download_of_another_project_s_request_is_refused(owner_client, project, outsider):
    theirs = _prepared(Project.objects.get(name="other"))
    response = owner_client.get(f"/projects/{project.slug}/exports/",
                                {"kind": "request_mails", "request_id": theirs.request_id})
    assert response.status_code == 404


def test_bad_criteria_make_no_file(owner_client, project):
    accepted_request(project)
    response = owner_client.get(f"/projects/{project.slug}/exports/",
                                {"kind": "mail_requests", "request_id": "abc"})
    assert response.status_code == 404
    assert not Export.objects.exists()


def test_an_expired_file_says_so(owner_client, project):
    from datetime import timedelta

    _sent(_prepared(project))
    export = _request_file(owner_client, project, "mail_requests", "")
    Export.objects.filter(pk=export.pk).update(expires=timezone.now() - timedelta(seconds=1))
    dialog = owner_client.get(f"/projects/{project.slug}/exports/",
                              {"kind": "mail_requests"}).content.decode()
    assert "Expired" in dialog
    assert owner_client.get(f"/projects/{project.slug}/exports/{export.pk}/download/") \
        .status_code == 404
