"""The generic asynchronous Excel export: apps register exporters, console builds their files in
the background, lists them for 7 days, then expires them and deletes the files.

An exporter is a function (project, params) → rows: first the header row, then the data rows.
console imports no app: the apps call register_exporter() from their AppConfig.ready().
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook

from console.models import Export, Project

logger = logging.getLogger(__name__)

Rows = Callable[[Project, dict], Iterable[Sequence[Any]]]

# Excel's own limit per sheet; a larger export continues on another sheet.
SHEET_ROWS = 1_048_576
PROGRESS_EVERY = 5_000
STALL = timedelta(minutes=10)
# Files being created at once per project: more requests wait for these (a request is cheap to
# make and each file costs a worker for a while).
ACTIVE_LIMIT = 5
RENUDGE_AFTER = timedelta(minutes=1)
# Cells that spreadsheet programs would take for a formula (DESIGN §10); a leading apostrophe
# makes them text. Tab and carriage return are on OWASP's list too.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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
    """Queue an export; the worker is nudged once the row is committed."""
    from console.tasks import build_export

    now = timezone.now()
    export = Export.objects.create(project=project, requested_by=user, kind=kind, params=params,
                                   created=now, updated=now, expires=now + Export.LIFETIME)
    build_export.delay_on_commit(export_id=export.pk)
    return export


def neutralise(value: Any, time_zone: zoneinfo.ZoneInfo) -> Any:
    """A value as it may go into a cell: no formula, no character XML forbids, no time zone
    (Excel has none: times are shown in the project's)."""
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        return "'" + value if value.startswith(FORMULA_START) else value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(time_zone).replace(tzinfo=None)
    return value


def _claim(export_id: int) -> Export | None:
    now = timezone.now()
    if not Export.objects.filter(pk=export_id, status=Export.Status.QUEUED).update(
            status=Export.Status.RUNNING, updated=now):
        return None
    return Export.objects.select_related("project").get(pk=export_id)


def build(export_id: int) -> None:
    """Write the export's file. Each row is read and written outside any transaction; the row
    is updated every few thousand rows with the progress (also the worker's heartbeat)."""
    export = _claim(export_id)
    if export is None:
        return  # gone, or another worker has it
    found = exporter(export.kind)
    folder = settings.VAR_DIR / "exports" / str(export.project_id)
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{export.project_id}/{export.pk}-{secrets.token_hex(8)}.xlsx"
    target = settings.VAR_DIR / "exports" / relative
    partial = target.with_suffix(".part")
    try:
        if found is None:
            raise LookupError(f"no exporter for {export.kind!r}")
        rows = _write(export, found, partial)
        os.replace(partial, target)
    except Exception:
        logger.exception("export %s failed", export.pk)
        partial.unlink(missing_ok=True)
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED, error="The file could not be created.",
            updated=timezone.now(), finished=timezone.now())
        return
    created = timezone.localtime(export.created, zoneinfo.ZoneInfo(export.project.time_zone))
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.DONE, progress=100, row_count=rows, file=relative,
        file_name=f"{export.kind.replace('_', '-')}-{created:%Y%m%d-%H%M%S}.xlsx",
        updated=timezone.now(), finished=timezone.now())


def _sheet_title(label: str, earlier: int) -> str:
    title = re.sub(r"[\\/?*\[\]:]", " ", str(label))[:25]
    return f"{title} {earlier + 1}" if earlier else title


def _write(export: Export, found: Exporter, path) -> int:
    project, params = export.project, export.params
    zone = zoneinfo.ZoneInfo(project.time_zone)
    total = found.total(project, params) if found.total else None
    workbook = Workbook(write_only=True)
    rows = iter(found.rows(project, params))
    header = [neutralise(cell, zone) for cell in next(rows)]
    sheet, on_sheet, written = None, SHEET_ROWS, 0
    for row in rows:
        if on_sheet >= SHEET_ROWS:
            sheet = workbook.create_sheet(_sheet_title(found.label, len(workbook.worksheets)))
            sheet.append(header)
            on_sheet = 1
        sheet.append([neutralise(cell, zone) for cell in row])
        on_sheet += 1
        written += 1
        if written % PROGRESS_EVERY == 0:
            progress = min(99, written * 100 // total) if total else 0
            Export.objects.filter(pk=export.pk).update(progress=progress, row_count=written,
                                                       updated=timezone.now())
    if sheet is None:  # no data rows: the header alone
        workbook.create_sheet(_sheet_title(found.label, 0)).append(header)
    workbook.save(path)
    return written


def sweep(now: datetime | None = None) -> None:
    """Beat, every minute: expire exports after 7 days and delete their files; fail exports
    whose worker stopped reporting; nudge again those whose nudge was lost."""
    from console.tasks import build_export

    now = now or timezone.now()
    for export in Export.objects.filter(expires__lte=now).exclude(status=Export.Status.EXPIRED):
        if export.file:
            export.path.unlink(missing_ok=True)
        Export.objects.filter(pk=export.pk).update(status=Export.Status.EXPIRED, file="",
                                                   updated=now)
    Export.objects.filter(status=Export.Status.RUNNING, updated__lt=now - STALL).update(
        status=Export.Status.FAILED, error="The export was interrupted; request it again.",
        finished=now)
    for pk in Export.objects.filter(status=Export.Status.QUEUED,
                                    created__lt=now - RENUDGE_AFTER).values_list("pk", flat=True):
        build_export.delay(export_id=pk)
