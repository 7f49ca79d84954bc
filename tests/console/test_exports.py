"""The generic asynchronous Excel export: exporters registered by apps, files built by a task
(streamed, neutralised, with progress), listed and polled, downloaded for 7 days, then expired."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from django import forms
from django.utils import timezone
from openpyxl import load_workbook

from console import exports, jobs
from console.models import Export
from console.tasks import build_export, sweep_exports
from tests.factories import make_project


class LimitForm(forms.Form):
    limit = forms.IntegerField(min_value=1, max_value=1000)

    def __init__(self, *args, project, **kwargs) -> None:
        super().__init__(*args, **kwargs)


def _rows(project, params):
    yield ["Number", "Text", "When"]
    for n in range(params.get("limit", 3)):
        yield [n, f"row {n}", datetime(2026, 1, 1, 3, 0, tzinfo=UTC)]


@pytest.fixture(autouse=True)
def exporter(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    found = exports.Exporter("numbers", "Numbers", _rows, total=lambda p, params: params.get(
        "limit", 3), form=LimitForm, describe=lambda p, params: f"{params.get('limit')} rows")
    monkeypatch.setitem(exports._EXPORTERS, "numbers", found)
    return found


def _export(project, **fields) -> Export:
    fields.setdefault("params", {"limit": 3})
    return Export.objects.create(project=project, kind="numbers", **fields)


def _sheet_rows(export: Export, index: int = 0) -> list[list]:
    workbook = load_workbook(io.BytesIO(export.path.read_bytes()), read_only=True)
    return [list(row) for row in workbook.worksheets[index].iter_rows(values_only=True)]


def base(project) -> str:
    return f"/projects/{project.slug}/exports/"


# Building the file

def test_it_builds_the_file_from_the_registered_rows(project):
    export = _export(project)
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    assert (export.status, export.percent, export.progress_done) == (Export.Status.DONE, 100, 3)
    assert export.file_name.startswith("numbers-") and export.file_name.endswith(".xlsx")
    rows = _sheet_rows(export)
    assert rows[0] == ["Number", "Text", "When"]
    assert rows[1][:2] == [0, "row 0"]
    assert rows[1][2] == datetime(2026, 1, 1, 12, 0)  # 03:00 UTC in Asia/Seoul, as Excel shows


def test_it_neutralises_cells_that_look_like_formulas(project, exporter, monkeypatch):
    cells = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "plain", "a\x00b", -5]
    monkeypatch.setitem(exports._EXPORTERS, "numbers", exports.Exporter(
        "numbers", "Numbers", lambda p, params: iter([["=Header"], *[[c] for c in cells]])))
    export = _export(project)
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    values = [row[0] for row in _sheet_rows(export)]
    assert values == ["'=Header", "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "plain", "ab", -5]


def test_it_reports_progress_while_it_writes(project, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(jobs, "BEAT_EVERY_SECONDS", 0)
    seen = []

    def watched(project, params):
        yield ["n"]
        for n in range(50):
            if n in (25, 45):  # what the list shows meanwhile
                export = Export.objects.get()
                seen.append((export.percent, export.progress_done))
            yield [n]

    monkeypatch.setitem(exports._EXPORTERS, "numbers", exports.Exporter(
        "numbers", "Numbers", watched, total=lambda p, params: 50))
    build_export.apply(kwargs={"job_id": _export(project).pk})
    assert seen == [(40, 20), (80, 40)]


def test_it_continues_on_a_new_sheet_past_excel_s_limit(project, monkeypatch):
    monkeypatch.setattr(exports, "SHEET_ROWS", 4)  # the header and three rows per sheet
    export = _export(project, params={"limit": 7})
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    first, second, third = (_sheet_rows(export, n) for n in range(3))
    assert [len(first), len(second), len(third)] == [4, 4, 2]
    assert second[0] == ["Number", "Text", "When"] and third[1][0] == 6


def test_an_empty_export_has_the_header(project):
    export = _export(project, params={"limit": 0})
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    assert _sheet_rows(export) == [["Number", "Text", "When"]]


def test_a_failing_exporter_fails_the_export_and_leaves_no_file(project, monkeypatch):
    def broken(project, params):
        yield ["A"]
        raise RuntimeError("boom")

    monkeypatch.setitem(exports._EXPORTERS, "numbers",
                        exports.Exporter("numbers", "Numbers", broken))
    export = _export(project)
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED and export.file == ""
    assert list(Export.folder().rglob("*")) == [Export.folder() / str(project.pk)]


def test_an_unknown_kind_fails(project):
    export = Export.objects.create(project=project, kind="gone")
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED


def test_it_builds_an_export_only_once(project):
    export = _export(project)
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    first = export.file
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    assert export.file == first


def test_it_queues_and_nudges_after_commit(project, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        export = exports.request_export(project, owner, "numbers", {"limit": 2})
    assert len(callbacks) == 1
    assert export.expires - export.created == timedelta(days=7)
    assert export.status == Export.Status.QUEUED


# The sweep

def test_the_sweep_expires_old_exports_and_deletes_their_files(project):
    export = _export(project)
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    path = export.path
    exports.sweep(now=export.created + timedelta(days=7, seconds=1))
    export.refresh_from_db()
    assert export.status == Export.Status.EXPIRED and export.file == ""
    assert not path.exists()


def test_the_sweep_keeps_young_exports(project):
    export = _export(project)
    build_export.apply(kwargs={"job_id": export.pk})
    sweep_exports.apply()
    export.refresh_from_db()
    assert export.status == Export.Status.DONE and export.path.exists()


def test_the_sweep_retries_a_stalled_export_and_nudges_a_lost_one(project, enqueued):
    old = timezone.now() - timedelta(minutes=30)
    stalled = _export(project, status=Export.Status.RUNNING, heartbeat=old, attempts=1)
    lost = _export(project, created=old, heartbeat=old)
    exports.sweep()
    stalled.refresh_from_db()
    assert stalled.status == Export.Status.QUEUED
    assert enqueued == [(Export.TASK, {"job_id": stalled.pk}), (Export.TASK, {"job_id": lost.pk})]


def test_the_sweep_fails_an_export_stalled_at_its_last_attempt(project, enqueued):
    old = timezone.now() - timedelta(minutes=30)
    stalled = _export(project, status=Export.Status.RUNNING, heartbeat=old,
                      attempts=Export.MAX_ATTEMPTS)
    exports.sweep()
    stalled.refresh_from_db()
    assert stalled.status == Export.Status.FAILED and "interrupted" in stalled.error
    assert enqueued == []


# The views

def test_it_lists_the_exports_of_a_kind_in_a_dialog(owner_client, project):
    done = _export(project)
    build_export.apply(kwargs={"job_id": done.pk})
    response = owner_client.get(base(project), {"kind": "numbers", "limit": 5},
                                HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith("<dialog open")
    assert '<input type="hidden" name="limit" value="5">' in body
    assert f"/exports/{done.pk}/download/" in body and "3 rows" in body
    assert "HX-Request" in response["Vary"]


def test_the_list_is_a_page_without_htmx(owner_client, project):
    response = owner_client.get(base(project), {"kind": "numbers", "limit": 5})
    assert b"<html" in response.content and b"Request file creation" in response.content


@pytest.mark.parametrize("query", [{}, {"kind": "nope"}, {"kind": "numbers", "limit": "x"}])
def test_an_unknown_download_is_not_found(owner_client, project, query):
    assert owner_client.get(base(project), query).status_code == 404


def test_a_viewer_may_request_a_file(client, project, viewer, django_capture_on_commit_callbacks):
    client.force_login(viewer)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(base(project) + "new/", {"kind": "numbers", "limit": 4},
                               HTTP_HX_REQUEST="true")
    export = Export.objects.get()
    assert (export.requested_by, export.params, export.status) == (
        viewer, {"limit": 4}, Export.Status.QUEUED)
    assert len(callbacks) == 1  # the worker is nudged once the row is committed
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="export-panel"')
    assert f'id="export-{export.pk}"' in body and 'hx-trigger="every 2s"' in body


def test_it_refuses_more_files_while_five_are_being_created(owner_client, project):
    for _n in range(exports.ACTIVE_LIMIT):
        _export(project)
    response = owner_client.post(base(project) + "new/", {"kind": "numbers", "limit": 4},
                                 HTTP_HX_REQUEST="true")
    assert "Several files are being created already" in response.content.decode()
    assert Export.objects.count() == exports.ACTIVE_LIMIT


def test_requesting_without_htmx_goes_back_to_the_list(owner_client, project):
    response = owner_client.post(base(project) + "new/", {"kind": "numbers", "limit": 4})
    assert response.url == base(project) + "?kind=numbers&limit=4"


def test_a_row_polls_until_the_file_is_ready(owner_client, project):
    export = _export(project, status=Export.Status.RUNNING, progress_done=30,
                     progress_total=100)
    running = owner_client.get(base(project) + f"{export.pk}/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in running.content.decode()
    assert 'value="30"' in running.content.decode()
    Export.objects.filter(pk=export.pk).update(status=Export.Status.QUEUED)
    build_export.apply(kwargs={"job_id": export.pk})
    ready = owner_client.get(base(project) + f"{export.pk}/", HTTP_HX_REQUEST="true")
    assert "every 2s" not in ready.content.decode()
    assert f"/exports/{export.pk}/download/" in ready.content.decode()


def test_a_row_without_htmx_leads_to_the_list(owner_client, project):
    export = _export(project)
    response = owner_client.get(base(project) + f"{export.pk}/")
    assert response.url == base(project) + "?kind=numbers&limit=3"


def test_it_streams_the_file(owner_client, project):
    export = _export(project)
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    response = owner_client.get(base(project) + f"{export.pk}/download/")
    assert response.status_code == 200
    assert f'filename="{export.file_name}"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == export.path.read_bytes()


def test_it_does_not_serve_an_expired_or_unfinished_file(owner_client, project):
    done = _export(project)
    build_export.apply(kwargs={"job_id": done.pk})
    Export.objects.filter(pk=done.pk).update(expires=timezone.now() - timedelta(seconds=1))
    assert owner_client.get(base(project) + f"{done.pk}/download/").status_code == 404
    queued = _export(project)
    assert owner_client.get(base(project) + f"{queued.pk}/download/").status_code == 404


def test_an_export_of_another_project_is_not_found(owner_client, project):
    theirs = _export(make_project("other"))
    build_export.apply(kwargs={"job_id": theirs.pk})
    assert owner_client.get(base(project) + f"{theirs.pk}/download/").status_code == 404
    assert owner_client.get(base(project) + f"{theirs.pk}/",
                            HTTP_HX_REQUEST="true").status_code == 404


@pytest.mark.parametrize(("method", "path"), [("post", ""), ("get", "new/"), ("post", "{pk}/"),
                                              ("post", "{pk}/download/")])
def test_they_refuse_a_wrong_method(owner_client, project, method, path):
    export = _export(project)
    response = getattr(owner_client, method)(base(project) + path.format(pk=export.pk))
    assert response.status_code == 405


@pytest.mark.parametrize("path", ["?kind=numbers", "{pk}/", "{pk}/download/"])
def test_an_outsider_gets_404(client, project, outsider, path):
    export = _export(project)
    client.force_login(outsider)
    assert client.get(base(project) + path.format(pk=export.pk)).status_code == 404
