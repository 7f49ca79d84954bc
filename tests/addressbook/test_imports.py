"""addressbook.imports: uploads checked by size, extension and content; files read whole and
written in one transaction, so a file that cannot be imported imports nothing."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from addressbook import imports
from addressbook.imports import ImportRefused, check_upload, read_addresses
from addressbook.models import Address, AddressBook, AddressImport, RecipientGroup
from addressbook.tasks import run_import, sweep_imports
from tests.addressbook.factories import counts_are_exact, make_group, members


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _job(project, content: bytes, kind: str = "csv", group=None) -> AddressImport:
    return AddressImport.objects.create(
        project=project, source=AddressImport.Source.FILE, file_name=f"list.{kind}",
        file_kind=kind, content=content, group_name=group.name if group else "",
        payload={"group": group.pk if group else None})


# The upload check (in the request)

class Unreadable(SimpleUploadedFile):
    def read(self, *args):
        raise AssertionError("the upload was read")


def test_it_refuses_a_file_over_10_mb_before_reading_it():
    upload = Unreadable("big.csv", b"")
    upload.size = 10 * 1024 * 1024 + 1
    with pytest.raises(ImportRefused, match=r"10\.0 MB; files of up to 10 MB"):
        check_upload(upload)


def test_it_refuses_10_mb_of_junk_named_csv():
    upload = SimpleUploadedFile("junk.csv", os.urandom(10 * 1024 * 1024))
    with pytest.raises(ImportRefused, match="not a CSV text file"):
        check_upload(upload)


def test_it_refuses_text_named_xlsx():
    with pytest.raises(ImportRefused, match="not an Excel workbook"):
        check_upload(SimpleUploadedFile("list.xlsx", b"a@example.com\n"))


@pytest.mark.parametrize("name", ["list.xls", "list.pdf", "list", "list.csv.exe"])
def test_it_refuses_other_extensions(name):
    with pytest.raises(ImportRefused, match="Only CSV"):
        check_upload(SimpleUploadedFile(name, b"a@example.com\n"))


def test_it_refuses_an_empty_file():
    with pytest.raises(ImportRefused, match="empty"):
        check_upload(SimpleUploadedFile("list.csv", b""))


def test_it_accepts_csv_in_utf8_and_cp949_and_xlsx():
    assert check_upload(SimpleUploadedFile("a.csv", "이름,a@example.com\n".encode())) == "csv"
    assert check_upload(SimpleUploadedFile("a.CSV", "홍길동,a@x.com\n".encode("cp949"))) == "csv"
    assert check_upload(SimpleUploadedFile("a.xlsx", xlsx_bytes([["a@x.com"]]))) == "xlsx"


# Reading (in the worker)

def test_it_finds_the_address_column_and_skips_the_header():
    data = b"name,email\nHong,hong@example.com\nKim,KIM@example.com\n,\nLee,bad\n"
    found = read_addresses("csv", data)
    assert found.valid == ["hong@example.com", "kim@example.com"]
    assert found.invalid_examples == [(5, "bad")]


def test_it_reads_semicolon_separated_cp949_csv():
    data = "이름;메일\n홍길동;hong@example.com\n".encode("cp949")
    assert read_addresses("csv", data).valid == ["hong@example.com"]


def test_it_reads_xlsx_cells_of_any_type():
    data = xlsx_bytes([["address"], ["a@example.com"], [12345], ["b@example.com"]])
    found = read_addresses("xlsx", data)
    assert found.valid == ["a@example.com", "b@example.com"]
    assert found.invalid_examples == [(3, "12345")]


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)",
                                  "  =1+1"])
def test_it_refuses_a_csv_with_a_formula_naming_the_row(cell):
    data = f"a@example.com\nb@example.com,{cell}\n".encode()
    with pytest.raises(ImportRefused, match="Row 2 has a cell that starts with"):
        read_addresses("csv", data)


def test_it_refuses_an_xlsx_with_a_formula():
    data = xlsx_bytes([["a@example.com"], ["=1+1"]])
    with pytest.raises(ImportRefused, match="Row 2"):
        read_addresses("xlsx", data)


def test_it_reports_progress_while_reading(monkeypatch):
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 10)
    seen = []
    data = "".join(f"u{n}@example.com\n" for n in range(100)).encode()
    read_addresses("csv", data, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 100) for n in range(10, 101, 10)]


# The task

def test_it_imports_a_file_into_a_group_and_summarises(project):
    vip = make_group(project, "vip", ["old@example.com"])
    data = b"email\nold@example.com\nnew@example.com\nnew@example.com\nbroken\n"
    job = _job(project, data, group=vip)
    run_import.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == AddressImport.Status.DONE
    assert (job.rows, job.added, job.new_addresses, job.duplicates, job.invalid) == (
        4, 1, 1, 2, 1)
    assert job.examples["invalid"] == [[5, "broken"]]
    assert job.content is None and job.percent == 100 and job.progress_done == 4
    assert members(vip) == {"old@example.com", "new@example.com"}
    assert counts_are_exact(project)


def test_it_imports_without_a_group_under_all_addresses(project):
    run_import.apply(kwargs={"job_id": _job(project, b"a@example.com\nb@example.com\n").pk})
    assert AddressBook.address_count_of(project) == 2
    assert not RecipientGroup.objects.filter(project=project).exists()


@pytest.mark.parametrize(("content", "message"), [
    (os.urandom(4096), "not a CSV text file"),
    (b"a@example.com\nb@example.com\n=cmd|' /C calc'!A0\n", "Row 3"),
])
def test_a_file_that_cannot_be_imported_imports_nothing(project, content, message):
    job = _job(project, content)
    run_import.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == AddressImport.Status.FAILED
    assert message in job.error
    assert not Address.objects.filter(project=project).exists()
    assert job.content is None


def test_a_damaged_xlsx_imports_nothing(project):
    job = _job(project, b"PK\x03\x04" + os.urandom(2000), kind="xlsx")
    run_import.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == AddressImport.Status.FAILED
    assert "cannot be read" in job.error
    assert not Address.objects.filter(project=project).exists()


def test_it_refuses_to_import_into_a_group_deleted_meanwhile(project):
    vip = make_group(project, "vip")
    job = _job(project, b"a@example.com\n", group=vip)
    vip.delete()
    run_import.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == AddressImport.Status.FAILED
    assert "vip was deleted" in job.error
    assert not Address.objects.filter(project=project).exists()


def test_it_runs_an_import_only_once(project):
    job = _job(project, b"a@example.com\n")
    run_import.apply(kwargs={"job_id": job.pk})
    AddressImport.objects.filter(pk=job.pk).update(content=b"b@example.com\n")
    run_import.apply(kwargs={"job_id": job.pk})
    assert list(Address.objects.values_list("address", flat=True)) == ["a@example.com"]


def test_it_ignores_an_import_that_is_gone(project):
    run_import.apply(kwargs={"job_id": 987654})
    assert not AddressImport.objects.exists()


def test_it_writes_the_api_addresses_in_one_go(project):
    vip = make_group(project, "vip")
    job = imports.start_api_import(project, None, [(vip, ["a@example.com", "b@example.com"])])
    run_import.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == AddressImport.Status.DONE
    assert (job.rows, job.new_addresses, job.added) == (2, 2, 2)
    assert members(vip) == {"a@example.com", "b@example.com"}
    assert counts_are_exact(project)


def test_the_sweep_runs_again_an_import_whose_worker_stopped(project, enqueued):
    stale = timezone.now() - AddressImport.STALL - timedelta(minutes=1)
    job = _job(project, b"a@example.com\n")
    AddressImport.objects.filter(pk=job.pk).update(status=AddressImport.Status.RUNNING,
                                                   heartbeat=stale, attempts=1)
    sweep_imports.apply()
    job.refresh_from_db()
    assert job.status == AddressImport.Status.QUEUED
    assert enqueued == [(AddressImport.TASK, {"job_id": job.pk})]


def test_the_sweep_gives_up_after_three_attempts(project):
    stale = timezone.now() - AddressImport.STALL - timedelta(minutes=1)
    job = _job(project, b"a@example.com\n")
    AddressImport.objects.filter(pk=job.pk).update(status=AddressImport.Status.RUNNING,
                                                   heartbeat=stale, attempts=3)
    imports.sweep()
    job.refresh_from_db()
    assert job.status == AddressImport.Status.FAILED
    assert "interrupted" in job.error and job.content is None


def test_the_sweep_leaves_fresh_work_alone(project, enqueued):
    job = _job(project, b"a@example.com\n")
    enqueued.clear()
    imports.sweep()
    job.refresh_from_db()
    assert job.status == AddressImport.Status.QUEUED and enqueued == []
