"""An Excel export neutralises cells that spreadsheet programs would take for a formula (a leading
apostrophe, console.exports.neutralise); the address-book import removes exactly that
apostrophe again, so an exported file imports back as it was exported."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from addressbook import book
from addressbook.imports import read_addresses, restore_neutralised
from addressbook.models import Address, AddressImport
from addressbook.tasks import run_import
from console import exports
from console.models import Export
from console.tasks import build_export

# A value starting with each character the export neutralises, and values that already start
# with an apostrophe (before such a character or not).
STARTS = dict(zip(exports.FORMULA_START, ["equals", "plus", "minus", "at", "tab", "cr"],
                  strict=True))
VALUES = [f"{start}{name}@example.com" for start, name in STARTS.items()]
VALUES += ["'=quoted@example.com", "''+twice@example.com", "'plain@example.com",
           "plain@example.com"]


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _exported(project, kind: str) -> bytes:
    export = Export.objects.create(project=project, kind=kind, params={})
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    assert export.status == Export.Status.DONE, export.error
    return export.path.read_bytes()


def _first_column(data: bytes) -> list:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [row[0] for row in sheet.iter_rows(values_only=True)]


def _values_exporter(monkeypatch, values: list[str]) -> None:
    monkeypatch.setitem(exports._EXPORTERS, "values", exports.Exporter(
        "values", "Values", lambda project, params: iter([["Address"], *[[v] for v in values]])))


@pytest.mark.parametrize("value", VALUES)
def test_the_import_undoes_exactly_what_the_export_did(project, monkeypatch, value):
    _values_exporter(monkeypatch, [value])
    cell = _first_column(_exported(project, "values"))[1]
    neutralised = value.lstrip("'")[:1] in exports.FORMULA_START
    assert cell == ("'" + value if neutralised else value)
    assert restore_neutralised(cell) == value


def test_reading_the_exported_file_gives_the_addresses_as_exported(project, monkeypatch):
    _values_exporter(monkeypatch, [v for v in VALUES if not v.startswith("\r")])
    found = read_addresses("xlsx", _exported(project, "values"))
    # As every address is read: trimmed (a leading tab with it), checked, lower-cased.
    assert found.valid == ["=equals@example.com", "+plus@example.com", "-minus@example.com",
                           "tab@example.com", "'=quoted@example.com", "''+twice@example.com",
                           "'plain@example.com", "plain@example.com"]
    assert found.invalid_examples == [(5, "@at@example.com")]


def test_an_exported_address_book_imports_back_unchanged(project):
    addresses = ["=1+2@example.com", "+tag@example.com", "-dash@example.com",
                 "'=quoted@example.com", "'plain@example.com", "plain@example.com"]
    book.register(project, addresses)
    data = _exported(project, "address_book")
    book.reset(project)
    job = AddressImport.objects.create(
        project=project, source=AddressImport.Source.FILE, file_name="book.xlsx",
        file_kind="xlsx", content=data, payload={"group": None})
    run_import.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == AddressImport.Status.DONE, job.error
    assert set(Address.objects.filter(project=project).values_list("address", flat=True)) == \
        set(addresses)


def test_only_an_apostrophe_before_a_formula_start_is_removed():
    assert restore_neutralised("'=a@example.com") == "=a@example.com"
    assert restore_neutralised("''=a@example.com") == "'=a@example.com"
    assert restore_neutralised("'a@example.com") == "'a@example.com"
    assert restore_neutralised("'") == "'"
    assert restore_neutralised("=a@example.com") == "=a@example.com"
    assert restore_neutralised(12345) == 12345
