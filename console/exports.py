"""The generic asynchronous Excel export: apps register exporters, console builds their files in
the background on the job kit (console/jobs.py) with the streaming writer (console/xlsx.py),
lists them for 7 days, then expires them and deletes the files.

An exporter is a function (project, params) → rows: first the header row, then the data rows.
console imports no app: the apps call register_exporter() from their AppConfig.ready().
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from console import jobs
from console.models import Export, Project
from console.xlsx import BOLD_STYLE, StreamingWorkbook

Rows = Callable[[Project, dict], Iterable[Sequence[Any]]]

# Excel's own limit per sheet; a larger export continues on another sheet.
SHEET_ROWS = 1_048_576
PROGRESS_EVERY = 5_000
# Files being created at once per project: more requests wait for these (a request is cheap to
# make and each file costs a worker for a while).
ACTIVE_LIMIT = 5
# Cells that spreadsheet programs would take for a formula (DESIGN §10); a leading apostrophe
# makes them text. Tab and carriage return are on OWASP's list too.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_FIRST = frozenset(FORMULA_START)


@dataclass(frozen=True)
class Exporter:
    kind: str
    label: str
    rows: Rows
    # Optional: the number of data rows expected (for the progress bar), a Django form class
    # taking `project` that turns request parameters into `params`, and a short description
    # of the params for the list.
    total: Callable[[Project, dict], int] | None = None
    form: type[forms.Form] | None = None
    describe: Callable[[Project, dict], str] | None = None


_EXPORTERS: dict[str, Exporter] = {}


def register_exporter(kind: str, label: str, rows: Rows, *,
                      total: Callable[[Project, dict], int] | None = None,
                      form: type[forms.Form] | None = None,
                      describe: Callable[[Project, dict], str] | None = None) -> None:
    _EXPORTERS[kind] = Exporter(kind, label, rows, total, form, describe)


def exporter(kind: str) -> Exporter | None:
    return _EXPORTERS.get(kind)


def kinds() -> list[tuple[str, str]]:
    return [(e.kind, e.label) for e in _EXPORTERS.values()]


def busy(project: Project) -> bool:
    """Whether the project already has as many files being created as it may."""
    active = Export.objects.filter(project=project,
                                   status__in=[Export.Status.QUEUED, Export.Status.RUNNING])
    return active.count() >= ACTIVE_LIMIT


def request_export(project: Project, user, kind: str, params: dict) -> Export:
    """Queue an export; a worker is nudged once the row is committed."""
    now = timezone.now()
    export = Export.objects.create(project=project, requested_by=user, kind=kind, params=params,
                                   created=now, heartbeat=now, expires=now + Export.LIFETIME)
    jobs.start(export)
    return export


def neutralise(value: Any, time_zone: zoneinfo.ZoneInfo) -> Any:
    """A value as it may go into a cell: no formula, no character XML forbids, no time zone
    (Excel has none: times are shown in the project's). Called for every cell of a file of
    millions, so the common cases are tested first and cheaply."""
    if value.__class__ is str:
        if not value.isprintable():
            value = _ILLEGAL.sub("", value)
        first = value[:1]
        # Imports remove the apostrophe again (addressbook.imports.restore_neutralised); one
        # more before apostrophes already there keeps every value exact.
        if first in _FORMULA_FIRST or (first == "'" and value.lstrip("'")[:1] in _FORMULA_FIRST):
            return "'" + value
        return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(time_zone).replace(tzinfo=None)
    if isinstance(value, str):  # a str subclass (a lazy translation, a SafeString)
        return neutralise(str(value), time_zone)
    return value


def build(export_id: int) -> None:
    """The worker's part (on the job kit): write the export's file."""
    jobs.run(Export, export_id, _build)


def _build(export: Export, progress: jobs.Progress) -> dict:
    """Each row is read and written outside any transaction; the progress is reported every few
    thousand rows (also the worker's heartbeat)."""
    found = exporter(export.kind)
    if found is None:
        raise LookupError(f"no exporter for {export.kind!r}")
    output = jobs.FileOutput(export, ".xlsx")
    try:
        rows = _write(export, found, output.partial, progress)
        relative = output.commit()
    except Exception:
        output.discard()
        raise
    created = timezone.localtime(export.created, zoneinfo.ZoneInfo(export.project.time_zone))
    return {"progress_done": rows, "file": relative,
            "file_name": f"{export.kind.replace('_', '-')}-{created:%Y%m%d-%H%M%S}.xlsx"}


def _sheet_title(label: str, earlier: int) -> str:
    title = re.sub(r"[\\/?*\[\]:]", " ", str(label))[:25]
    return f"{title} {earlier + 1}" if earlier else title


def _write(export: Export, found: Exporter, path, progress: jobs.Progress) -> int:
    project, params = export.project, export.params
    zone = zoneinfo.ZoneInfo(project.time_zone)
    total = found.total(project, params) if found.total else None
    progress(0, total, force=True)
    workbook = StreamingWorkbook(path)
    rows = iter(found.rows(project, params))
    header = [neutralise(cell, zone) for cell in next(rows)]
    sheet, on_sheet, written = None, SHEET_ROWS, 0
    for row in rows:
        if on_sheet >= SHEET_ROWS:
            sheet = workbook.add_sheet(_sheet_title(found.label, len(workbook.sheets)))
            sheet.append(header, BOLD_STYLE)
            on_sheet = 1
        sheet.append([neutralise(cell, zone) for cell in row])
        on_sheet += 1
        written += 1
        if written % PROGRESS_EVERY == 0:
            progress(written)
    if sheet is None:  # no data rows: the header alone
        workbook.add_sheet(_sheet_title(found.label, 0)).append(header, BOLD_STYLE)
    workbook.close()
    return written


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Beat, every minute: the job kit's sweep for exports (retried when their worker stopped,
    expired after 7 days with their files deleted)."""
    return jobs.sweep(Export, now)
