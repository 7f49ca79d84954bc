"""The composer's "Send bulk mails via file upload": the Excel input template (the address, the
name, one column per ${tag} of the subject and body), and the check of a filled-in file in the
background (the job kit): every row is read (python-calamine, fast enough for 100,000 rows),
each problem is reported by row and column, and only a clean file gives recipients."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from python_calamine import CalamineError, CalamineWorkbook

from addressbook.addresses import normalise_address
from addressbook.imports import restore_neutralised
from console import jobs
from console.models import Project
from mailer.acceptance import CheckedRecipients, recipient_problem
from mailer.models import BulkSendFile
from mailer.schemas import MAX_RECIPIENTS
from mailer.substitution import CompiledText

ADDRESS, NAME = "address", "name"
MAX_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS = 100  # shown; the count says how many there were
PROGRESS_EVERY = 10_000


def user_tags(title: str, body: str) -> list[str]:
    """The ${tags} of a subject and body, in a stable order."""
    return sorted(CompiledText.compile(title).user_tags() | CompiledText.compile(body).user_tags())


def input_template(title: str, body: str) -> bytes:
    """The Excel file to fill in: a header row and one example row."""
    tags = user_tags(title, body)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Recipients"))
    sheet.append([ADDRESS, NAME, *tags])
    sheet.append(["recipient@example.com", _("Name"), *[f"<{tag}>" for tag in tags]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def request_check(project: Project, user, name: str, data: bytes) -> BulkSendFile:
    job = BulkSendFile.objects.create(project=project, requested_by=user,
                                      file_name=(name or "")[:255], content=data)
    jobs.start(job)
    return job


def check(job_id: int) -> None:
    jobs.run(BulkSendFile, job_id, _check)


def _rows(data: bytes) -> list[list]:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError, TypeError):
        raise jobs.JobRefused(_("The file is not an Excel workbook (.xlsx or .xls); download "
                                "the input template and fill it in.")) from None


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _check(job: BulkSendFile, progress: jobs.Progress) -> dict:
    data = bytes(job.content or b"")
    if len(data) > MAX_BYTES:
        raise jobs.JobRefused(_("The file is larger than 20 MB."))
    rows = _rows(data)
    if not rows:
        raise jobs.JobRefused(_("The file is empty."))
    header = [_text(cell) for cell in rows[0]]
    while header and not header[-1]:
        header.pop()
    if header[:2] != [ADDRESS, NAME] or len(set(header)) != len(header) or "" in header:
        raise jobs.JobRefused(_("The first row must be the input template's: address, name and "
                                "one column per substitution tag."))
    tags = header[2:]
    total = len(rows) - 1
    if total > MAX_RECIPIENTS:
        raise jobs.JobRefused(_("The file has %(n)s rows; at most %(max)s recipients can be sent "
                                "to in one request.") % {"n": f"{total:,}",
                                                         "max": f"{MAX_RECIPIENTS:,}"})
    progress(0, total, force=True)
    problems: list[list] = []
    found, seen = [], set()
    width = len(header)
    for number, cells in enumerate(rows[1:], start=2):
        # A cell of an Outbound export reads back as it was exported.
        values = [restore_neutralised(cell).strip() if type(cell) is str else _text(cell)
                  for cell in cells[:width]]
        values += [""] * (width - len(values))
        if not any(values):
            continue
        address, name = values[0], values[1]
        problem = recipient_problem(address, name, address[:80] or _("(empty)"))
        if problem is not None:
            field, why = problem
            problems.append([number, field, why])
            continue
        key = normalise_address(address)
        if key in seen:
            continue
        seen.add(key)
        recipient = {"address": address, "type": "R"}
        if name:
            recipient["name"] = name
        if tags:
            recipient["parameters"] = dict(zip(tags, values[2:], strict=True))
        found.append(recipient)
        if number % PROGRESS_EVERY == 0:
            progress(number - 1)
    if problems:
        raise jobs.JobRefused(
            ngettext("%(n)s problem in the file: nothing will be sent until it is clean.",
                     "%(n)s problems in the file: nothing will be sent until it is clean.",
                     len(problems)) % {"n": f"{len(problems):,}"},
            problems=problems[:MAX_PROBLEMS])
    if not found:
        raise jobs.JobRefused(_("The file holds no recipient."))
    checked = CheckedRecipients.of(found)
    return {"rows": checked.count, "columns": tags, "recipients": checked.payload,
            "progress_done": total, "progress_total": total}


def checked_recipients(job: BulkSendFile) -> CheckedRecipients:
    """The recipients of a clean file, for acceptance to take as they are."""
    return CheckedRecipients(bytes(job.recipients or b""), job.rows)
