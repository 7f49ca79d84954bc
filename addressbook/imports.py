"""Registering addresses in the background: an uploaded CSV or Excel file (checked by size,
extension and content when it is uploaded, read by a worker), or the addresses of a
POST /address-book, which is answered before they are written.

A file is read whole before anything is written, and written in one transaction: a file that
cannot be imported (not CSV or Excel, a formula in a cell) imports nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from addressbook import book
from addressbook.addresses import AddressList
from addressbook.models import AddressImport, RecipientGroup
from console import jobs
from console.exports import FORMULA_START as NEUTRALISED_START
from console.models import Project

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 1_048_576  # Excel's own limit per sheet
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx"}
# A cell starting with one of these is a formula to a spreadsheet program (DESIGN §10).
FORMULA_START = ("=", "+", "-", "@")
SNIFF_BYTES = 64 * 1024
PROGRESS_EVERY = 5_000
Cell = TypeVar("Cell")


class ImportRefused(Exception):
    """The file cannot be imported at all; nothing of it is."""


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def check_upload(upload: UploadedFile) -> str:
    """The kind of an uploaded file, "csv" or "xlsx", or ImportRefused saying why not. The size
    is checked first, before anything is read; then the extension, then the content."""
    if upload.size > MAX_BYTES:
        raise ImportRefused(_("The file is %(size)s; files of up to 10 MB can be imported.")
                            % {"size": _size(upload.size)})
    if not upload.size:
        raise ImportRefused(_("The file is empty."))
    kind = EXTENSIONS.get(Path(upload.name or "").suffix.lower())
    if kind is None:
        raise ImportRefused(_("Only CSV (.csv) and Excel (.xlsx) files can be imported."))
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if kind == "xlsx" and not (head.startswith(b"PK\x03\x04") and _is_workbook(upload)):
        raise ImportRefused(_("The file is not an Excel workbook (.xlsx). Save it as .xlsx or "
                              "as CSV and try again."))
    if kind == "csv" and _encoding(head, final=False) is None:
        raise ImportRefused(_("The file is not a CSV text file: it contains binary data or "
                              "an unknown character encoding (use UTF-8)."))
    return kind


def _is_workbook(upload: UploadedFile) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def _encoding(data: bytes, *, final: bool) -> str | None:
    """UTF-8 (with or without BOM), or CP949 as Korean Excel saves CSV; None for binary."""
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp949"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(data, final=final)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _csv_rows(data: bytes) -> Iterator[tuple[int, list, int | None]]:
    """(row number, cells, rows the file is expected to have)."""
    encoding = _encoding(data, final=True)
    if encoding is None:
        raise ImportRefused(_("The file is not a CSV text file: it contains binary data or an "
                              "unknown character encoding (use UTF-8)."))
    text = data.decode(encoding)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = max(text.count("\n"), 1)
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            yield number, cells, max(lines, number)
    except csv.Error as error:
        raise ImportRefused(_("The CSV file cannot be read: %(error)s")
                            % {"error": error}) from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list, int | None]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ImportRefused(_("The Excel file cannot be read; save it again as .xlsx or as "
                              "CSV.")) from None
    try:
        sheet = workbook.worksheets[0]
        total = sheet.max_row or None  # None when the file does not declare its size
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells), max(total, number) if total else None
    finally:
        workbook.close()


def _address_column(head: list[tuple[int, list, int | None]]) -> int:
    """The first column with an @ in the first rows: files may hold names or other data
    beside the addresses."""
    for _number, cells, _total in head:
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and "@" in cell:
                return index
    return 0


def _looks_like_formula(cell: object) -> bool:
    """A text cell starting with = + - @, perhaps after spaces (cheap for most cells)."""
    if not isinstance(cell, str) or not cell:
        return False
    if cell[0] in FORMULA_START:
        return True
    return cell[0].isspace() and cell.lstrip().startswith(FORMULA_START)


def restore_neutralised(cell: Cell) -> Cell:
    """A cell as it was before an export neutralised it (console.exports.neutralise): the
    leading apostrophe put before a character spreadsheet programs take for a formula is
    removed, and nothing else changes."""
    if isinstance(cell, str) and cell.startswith("'") and \
            cell.lstrip("'").startswith(NEUTRALISED_START):
        return cell[1:]
    return cell


def read_addresses(kind: str, data: bytes,
                   progress: Callable[[int, int | None], None] = lambda done, total: None,
                   ) -> AddressList:
    """Every address of the file, checked, or ImportRefused. A first row without an @ is a
    header; empty cells are skipped. `progress` hears (rows read, rows expected) now and then."""
    rows = _csv_rows(data) if kind == "csv" else _xlsx_rows(data)
    head = list(islice(rows, 10))
    column = _address_column(head)
    found = AddressList()
    for number, cells, total in chain(head, rows):
        if number > MAX_ROWS:
            raise ImportRefused(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
        for cell in cells:
            if _looks_like_formula(cell):
                raise ImportRefused(
                    _("Row %(row)d has a cell that starts with %(char)s, which spreadsheet "
                      "programs take for a formula: %(cell)s. Remove it and import the file "
                      "again.")
                    % {"row": number, "char": cell.lstrip()[0], "cell": cell[:60]})
        # A cell an export neutralised is no formula (checked above): read back what was exported.
        value = restore_neutralised(cells[column]) if column < len(cells) else None
        text = "" if value is None else str(value).strip()
        if text and not (number == 1 and "@" not in text):
            found.add(text, row=number)
        if number % PROGRESS_EVERY == 0:
            progress(number, total)
    return found


def start_file_import(project: Project, user, upload: UploadedFile, kind: str,
                      group: RecipientGroup | None) -> AddressImport:
    """Store a checked upload and queue its import into the book (and `group`)."""
    upload.seek(0)
    job = AddressImport.objects.create(
        project=project, requested_by=user, source=AddressImport.Source.FILE,
        file_name=(upload.name or "")[:255], file_kind=kind, content=upload.read(),
        group_name=group.name if group else "", payload={"group": group.pk if group else None})
    jobs.start(job)
    return job


def start_api_import(project: Project, user_id: int | None,
                     groups: list[tuple[RecipientGroup, list[str]]]) -> AddressImport:
    """Queue the addresses of a POST /address-book, group by group (checked, normalised)."""
    job = AddressImport.objects.create(
        project=project, requested_by_id=user_id, source=AddressImport.Source.API,
        rows=sum(len(listed) for _group, listed in groups),
        payload={"groups": [{"sid": group.pk, "addresses": listed}
                            for group, listed in groups]})
    jobs.start(job)
    return job


def run(import_id: int) -> None:
    """The worker's part, on the job kit: read, check, write in one transaction, summarise."""
    jobs.run(AddressImport, import_id, _run)


def _run(job: AddressImport, progress: jobs.Progress) -> dict:
    try:
        if job.source == AddressImport.Source.FILE:
            return _run_file(job, progress)
        return _run_api(job)
    except ImportRefused as refused:
        raise jobs.JobRefused(str(refused)) from None


def _run_file(job: AddressImport, progress: jobs.Progress) -> dict:
    group = None
    if job.payload.get("group") is not None:
        group = RecipientGroup.objects.filter(project=job.project,
                                              pk=job.payload["group"]).first()
        if group is None:
            raise ImportRefused(_("The group %(name)s was deleted before the file was "
                                  "imported.") % {"name": job.group_name})
    found = read_addresses(job.file_kind, bytes(job.content or b""),
                           progress=progress)
    progress(found.received, force=True)
    result = book.register(job.project, found.valid, [group] if group else [])
    added = result.joined[group.pk] if group else result.new_addresses
    return {"rows": found.received, "added": added, "new_addresses": result.new_addresses,
            "duplicates": found.duplicates + len(found.valid) - added,
            "invalid": found.invalid, "progress_total": found.received,
            "examples": {"invalid": found.invalid_examples,
                         "duplicates": found.duplicate_examples}}


def _run_api(job: AddressImport) -> dict:
    payload = job.payload
    with transaction.atomic():
        # Added: new to a group (or to the book, for a group deleted since the request).
        added = new_addresses = 0
        for entry in payload.get("groups", []):
            # A group deleted since the POST: its addresses still join the book.
            group = RecipientGroup.objects.filter(project=job.project, pk=entry["sid"]).first()
            result = book.register(job.project, entry["addresses"], [group] if group else [])
            added += result.joined[group.pk] if group else result.new_addresses
            new_addresses += result.new_addresses
    return {"added": added, "new_addresses": new_addresses, "progress_done": job.rows,
            "progress_total": job.rows}


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Beat, every minute: the job kit's sweep for imports (run again when their worker
    stopped — the write is one transaction, so nothing was half-written)."""
    return jobs.sweep(AddressImport, now)
