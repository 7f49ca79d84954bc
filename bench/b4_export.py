"""B4: the Mailing list's Excel download of about 1,000,000 recipient rows, List by recipient
over a date range of the history (bench/history.py); target ≤ 60 s and peak RSS ≤ 200 MB.

Each side runs in a child process of its own, so that its peak RSS is its own: the export as
the worker runs it (console.exports.request_export, then build), and the baseline, an openpyxl
write-only workbook of as many rows and columns with values shaped like the export's (the
columns and a sample of rows read back from the file the export produced), saved to a
temporary file.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.harness import BASE, save
from bench.history import PROJECT_SLUG, USERNAME, load_history

ROWS = 1_000_000
KIND = "mail_recipients"
SAMPLE_ROWS = 50
RESULT = "B4-RESULT "
# When the export produced no file: columns shaped like a recipient list (request ID, mail ID,
# dates, status, address, name, result code, counts, subject, template, sender, tool).
DEFAULT_SAMPLE = [["20261130120000123456", "2026113012000012345600000001",
                   {"datetime": "2026-11-30T21:00:00.123456"},
                   {"datetime": "2026-11-30T21:00:01.456789"}, "Successfully sent",
                   "user123456@example16.com", "고객123456", "To", "MAIL_SENT",
                   "Sending successful", 0, "Y", {"datetime": "2026-11-30T21:00:01.656789"},
                   "N", None, "Weekly news 123 - spring offer", 7, "Template 07 Event invitation",
                   "news@brand1.co.kr", "API"]]


def _date_range(project) -> tuple[str, str, int]:
    """Whole days of the project's time zone, back from today, holding about ROWS recipients
    (each recipient is dated with its request)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT (created AT TIME ZONE %s)::date AS day, sum(recipient_count) "
                       "FROM mailer_sendrequest WHERE project_id = %s "
                       "GROUP BY day ORDER BY day DESC", [project.time_zone, project.pk])
        days = cursor.fetchall()
    total, start = 0, days[0][0]
    for day, count in days:
        if total and abs(total + count - ROWS) >= abs(total - ROWS):
            break  # one more day would take it further from ROWS
        total += count
        start = day
    return start.isoformat(), days[0][0].isoformat(), total


def _child(*args: str) -> dict:
    """Run this module as a child; what it reported, with the end of what it logged."""
    completed = subprocess.run([sys.executable, "-m", "bench.b4_export", *args], cwd=BASE,
                               env=os.environ, capture_output=True, text=True)
    lines = [line for line in completed.stdout.splitlines() if line.startswith(RESULT)]
    if completed.returncode or not lines:
        raise RuntimeError(f"the child {args[0]} failed ({completed.returncode}):\n"
                           f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    return {**json.loads(lines[-1][len(RESULT):]), "log": completed.stderr[-2000:]}


def _peak_rss() -> dict:
    """This process's peak RSS in KiB. On Linux ru_maxrss carries over an exec, so a child's
    starts at its parent's peak at the fork: VmHWM (the peak of this process's own memory) is
    the figure, ru_maxrss is reported beside it."""
    import resource

    figures = {"ru_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return {**figures, "peak_rss_kb": figures["ru_maxrss_kb"]}
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return {**figures, "peak_rss_kb": int(line.split()[1])}


def _encode(value):
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _decode(value):
    if isinstance(value, dict):
        kind, text = next(iter(value.items()))
        return datetime.fromisoformat(text) if kind == "datetime" else date.fromisoformat(text)
    return value


def _head(path: str, rows: int) -> io.BytesIO:
    """A copy of the workbook with only the first `rows` rows of each sheet: openpyxl, even
    read-only, parses a whole sheet to look for its dimensions."""
    head = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(head, "w") as copy:
        for item in source.infolist():
            if not (item.filename.startswith("xl/worksheets/sheet")
                    and item.filename.endswith(".xml")):
                copy.writestr(item, source.read(item))
                continue
            data, end = b"", -1
            with source.open(item) as stream:
                while (chunk := stream.read(1 << 16)) and data.count(b"</row>") < rows:
                    data += chunk
            if data.count(b"</row>") >= rows:
                for _ in range(rows):
                    end = data.index(b"</row>", end + 1)
                data = data[:end + len(b"</row>")] + b"</sheetData></worksheet>"
            copy.writestr(item, data)
    head.seek(0)
    return head


def _shape(path: str) -> tuple[int, list[list]]:
    """The header width and the first rows of the file (their values as openpyxl reads them:
    dates as dates)."""
    from openpyxl import load_workbook

    workbook = load_workbook(_head(path, SAMPLE_ROWS + 1), read_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows)
        sample = [[_encode(value) for value in row] for row in rows]
    finally:
        workbook.close()
    return len(header), sample


def _synthetic(template, n: int):
    """A value like `template`, different for every row n."""
    if isinstance(template, bool) or template is None:
        return template
    if isinstance(template, int | float):
        return template + n % 1000
    if isinstance(template, datetime | date):
        return template - timedelta(seconds=n * 7)
    text, tag = str(template), str(n)
    return text[:max(len(text) - len(tag), 0)] + tag


# -- the children ---------------------------------------------------------------------------

def _export_child(params_json: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from console import exports
    from console.models import Export, Project

    project = Project.objects.get(slug=PROJECT_SLUG)
    user = get_user_model().objects.get(username=USERNAME)
    before = _peak_rss()["peak_rss_kb"]
    started = time.perf_counter()
    e = exports.request_export(project, user, KIND, json.loads(params_json))
    exports.build(e.pk)
    seconds = time.perf_counter() - started
    e = Export.objects.get(pk=e.pk)
    print(RESULT + json.dumps({
        "seconds": round(seconds, 2), "status": e.status, "error": e.error,
        "rows": e.progress_done, "export_id": e.pk, "file": str(e.path) if e.file else "",
        **_peak_rss(), "peak_rss_kb_before_export": before,
    }), flush=True)


def _baseline_child(rows: str, columns: str, sample_json: str) -> None:
    from openpyxl import Workbook

    before = _peak_rss()["peak_rss_kb"]
    width = int(columns)
    sample = [[_decode(value) for value in row][:width] for row in json.loads(sample_json)]
    sample = [row + [None] * (width - len(row)) for row in sample]
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Recipients")
    sheet.append([f"Column {c + 1}" for c in range(width)])
    for n in range(int(rows)):
        sheet.append([_synthetic(value, n) for value in sample[n % len(sample)]])
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as output:
        path = output.name
    workbook.save(path)
    seconds = time.perf_counter() - started
    size = os.path.getsize(path)
    os.unlink(path)
    print(RESULT + json.dumps({
        "seconds": round(seconds, 2), "rows": int(rows), "columns": width, "bytes": size,
        **_peak_rss(), "peak_rss_kb_before_writing": before,
    }), flush=True)


# -- the benchmark --------------------------------------------------------------------------

def _forget(export_id: int, file: str) -> None:
    """Leave no 100 MB file behind. The nudge request_export queued (in the lists benchmarks'
    own Redis database) is harmless: a worker finds no export to claim."""
    from console.models import Export

    if file:
        Path(file).unlink(missing_ok=True)
    Export.objects.filter(pk=export_id).delete()


def run() -> dict:
    project = load_history()
    start, end, expected = _date_range(project)
    params = {"tab": "recipient", "start": start, "end": end}
    print(f"exporting {expected:,} recipients ({start} to {end}) in a child process…",
          flush=True)
    export = _child("export", json.dumps(params))
    if export["file"]:
        columns, sample = _shape(export["file"])
        file_bytes = os.path.getsize(export["file"])
    else:
        columns, sample, file_bytes = len(DEFAULT_SAMPLE[0]), DEFAULT_SAMPLE, 0
    _forget(export["export_id"], export["file"])
    rows = export["rows"] or expected
    print(f"baseline: openpyxl write-only, {rows:,} rows of {columns} columns…", flush=True)
    baseline = _child("baseline", str(rows), str(columns), json.dumps(sample))
    export_mb = round(export["peak_rss_kb"] / 1024, 1)
    baseline_mb = round(baseline["peak_rss_kb"] / 1024, 1)
    # What the work itself added, over the imports (Django and the apps: ~100 MB; openpyxl).
    export_added = round((export["peak_rss_kb"] - export["peak_rss_kb_before_export"]) / 1024, 1)
    baseline_added = round(
        (baseline["peak_rss_kb"] - baseline["peak_rss_kb_before_writing"]) / 1024, 1)
    return {
        "benchmark": "B4",
        "kind": KIND, "params": params, "recipients_in_range": expected,
        "export": {"status": export["status"], "error": export["error"],
                   "log": export["log"] if export["status"] != "done" else "",
                   "rows": export["rows"], "columns": columns, "bytes": file_bytes,
                   "seconds": export["seconds"], "peak_rss_mb": export_mb,
                   "peak_rss_mb_before_export": round(
                       export["peak_rss_kb_before_export"] / 1024, 1),
                   "peak_rss_mb_added": export_added,
                   "ru_maxrss_mb": round(export["ru_maxrss_kb"] / 1024, 1)},
        "baseline": {"what": "openpyxl write-only workbook, synthetic rows shaped like the "
                             "export's, saved to a temporary file",
                     "rows": baseline["rows"], "columns": baseline["columns"],
                     "bytes": baseline["bytes"], "seconds": baseline["seconds"],
                     "peak_rss_mb": baseline_mb,
                     "peak_rss_mb_before_writing": round(
                         baseline["peak_rss_kb_before_writing"] / 1024, 1),
                     "peak_rss_mb_added": baseline_added,
                     "ru_maxrss_mb": round(baseline["ru_maxrss_kb"] / 1024, 1)},
        "ratio_seconds": round(export["seconds"] / baseline["seconds"], 2),
        "ratio_peak_rss": round(export_mb / baseline_mb, 2),
        "ratio_peak_rss_added": round(export_added / max(baseline_added, 0.1), 2),
    }


def _table(result: dict) -> str:
    export, baseline = result["export"], result["baseline"]
    return "\n".join([
        "| figure | export | baseline | ratio |", "| --- | ---: | ---: | ---: |",
        f"| rows x columns | {export['rows']:,} x {export['columns']} | "
        f"{baseline['rows']:,} x {baseline['columns']} | |",
        f"| seconds | {export['seconds']} | {baseline['seconds']} | {result['ratio_seconds']} |",
        f"| peak RSS (MB) | {export['peak_rss_mb']} | {baseline['peak_rss_mb']} | "
        f"{result['ratio_peak_rss']} |",
        f"| of which the work added (MB) | {export['peak_rss_mb_added']} | "
        f"{baseline['peak_rss_mb_added']} | {result['ratio_peak_rss_added']} |",
    ])


def main() -> None:
    result = run()
    save("b4", result)
    print(_table(result))


if __name__ == "__main__":
    if sys.argv[1] == "export":
        _export_child(sys.argv[2])
    elif sys.argv[1] == "baseline":
        _baseline_child(*sys.argv[2:5])
