"""mailer.bulk_file, the composer's bulk-send file: a file made by an Outbound Excel export reads
back as it was exported (the apostrophe that neutralised a formula-looking cell is removed)."""

from __future__ import annotations

import json
import zlib

import pytest

from console import exports
from console.models import Export
from console.tasks import build_export
from mailer import bulk_file
from mailer.models import BulkSendFile

ROWS = [["address", "name", "CODE"],
        ["=1+2@example.com", "=Kim", "+82"],
        ["-dash@example.com", "@Lee", "-5"],
        ["+tag@example.com", "'=Park", "'plain"]]


@pytest.fixture
def exported(project, settings, tmp_path, monkeypatch) -> bytes:
    settings.VAR_DIR = tmp_path
    monkeypatch.setitem(exports._EXPORTERS, "recipients", exports.Exporter(
        "recipients", "Recipients", lambda project, params: iter(ROWS)))
    export = Export.objects.create(project=project, kind="recipients", params={})
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    return export.path.read_bytes()


def test_an_exported_file_gives_the_recipients_as_exported(project, owner, exported, enqueued):
    job = bulk_file.request_check(project, owner, "recipients.xlsx", exported)
    bulk_file.check(job.pk)
    job = BulkSendFile.objects.get(pk=job.pk)
    assert job.status == "done", (job.error, job.problems)
    recipients = json.loads(zlib.decompress(bytes(job.recipients)))
    assert [(r["address"], r["name"], r["parameters"]["CODE"]) for r in recipients] == [
        ("=1+2@example.com", "=Kim", "+82"), ("-dash@example.com", "@Lee", "-5"),
        ("+tag@example.com", "'=Park", "'plain")]
