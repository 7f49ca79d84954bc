"""The background-job kit: every import and download runs on it (the models inherit
console.models.Job).

A job is a row; its task (Job.TASK, called with job_id=…) is only a nudge. `run` claims the job
(one worker only), hands the work a `Progress` whose every report is also the worker's
heartbeat, and finishes or fails the job with what the work returned or raised. `sweep`, on a
beat schedule, queues again a job whose worker stopped reporting (it is tried MAX_ATTEMPTS times,
then failed), nudges queued jobs whose nudge was lost, and expires produced files.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from django.http import FileResponse, Http404
from django.utils import timezone

from console.dispatch import enqueue
from console.models import Job

logger = logging.getLogger(__name__)

RENUDGE_AFTER = timedelta(minutes=1)
BEAT_EVERY_SECONDS = 1.0


class JobRefused(Exception):
    """The job cannot be done (bad input); the message is shown to the user as it is, and
    `fields` of the job's own (e.g. a list of problems) are saved with it."""

    def __init__(self, message: str, **fields) -> None:
        super().__init__(message)
        self.fields = fields


class Progress:
    """What the work reports: rows done of a total. Written at most once a second."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.done = 0
        self.total: int | None = job.progress_total
        self._written = 0.0

    def __call__(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if force or now - self._written >= BEAT_EVERY_SECONDS:
            type(self.job).objects.filter(pk=self.job.pk).beat(timezone.now(), done, self.total)
            self._written = now


class FileOutput:
    """Where a job writes its file: a partial file, moved into place only when complete."""

    def __init__(self, job: Job, suffix: str) -> None:
        project = getattr(job, "project_id", None) or "shared"
        self.relative = f"{project}/{job.pk}-{secrets.token_hex(8)}{suffix}"
        self.target: Path = type(job).folder() / self.relative
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.partial = self.target.with_suffix(self.target.suffix + ".part")

    def commit(self) -> str:
        os.replace(self.partial, self.target)
        return self.relative

    def discard(self) -> None:
        self.partial.unlink(missing_ok=True)


Work = Callable[[Job, Progress], dict | None]


def file_response(job: Job, content_type: str) -> FileResponse:
    """The file a job produced, as a download; 404 once it has expired or is gone."""
    if not job.is_downloadable():
        raise Http404("The file has expired or is not ready")
    try:
        handle = job.path.open("rb")
    except FileNotFoundError:
        raise Http404("The file is gone") from None
    return FileResponse(handle, as_attachment=True, filename=job.file_name,
                        content_type=content_type)


def start(job: Job) -> None:
    """Nudge a worker to run a job just created (once its transaction commits)."""
    enqueue(type(job).TASK, job_id=job.pk)


def run(model: type[Job], job_id: int, work: Work) -> None:
    """Claim the job, do the work, finish it with the fields `work` returns (or fail it)."""
    jobs = model.objects.filter(pk=job_id)
    if not jobs.claim(timezone.now()):
        return  # gone, finished, or another worker has it
    job = model.objects.get(pk=job_id)
    progress = Progress(job)
    try:
        fields = work(job, progress) or {}
    except JobRefused as refused:
        jobs.fail(timezone.now(), str(refused), **refused.fields)
    except Exception:
        logger.exception("%s %s failed", model.__name__, job_id)
        jobs.fail(timezone.now(), str(model.FAILURE_MESSAGE))
    else:
        fields.setdefault("progress_done", progress.done)
        jobs.finish(timezone.now(), **fields)


def sweep(model: type[Job], now: datetime | None = None) -> dict[str, int]:
    """Beat's chore for one kind of job; what it did, counted."""
    now = now or timezone.now()
    stalled = model.objects.stalled(now)
    failed = stalled.filter(attempts__gte=model.MAX_ATTEMPTS).move(
        Job.Status.RUNNING, Job.Status.FAILED, finished=now, heartbeat=now,
        error=str(model.INTERRUPTED_MESSAGE), **model.END_FIELDS)
    retry = list(stalled.filter(attempts__lt=model.MAX_ATTEMPTS).values_list("pk", flat=True))
    requeued = model.objects.filter(pk__in=retry).requeue(now)
    lost = list(model.objects.filter(status=Job.Status.QUEUED, heartbeat__lt=now - RENUDGE_AFTER)
                .values_list("pk", flat=True))
    for pk in [*retry, *lost]:
        enqueue(model.TASK, job_id=pk)
    expired = 0
    for job in model.objects.filter(expires__lte=now, status__in=[Job.Status.DONE,
                                                                  Job.Status.FAILED]):
        if job.file:
            job.path.unlink(missing_ok=True)
        expired += model.objects.filter(pk=job.pk).expire(now)
    return {"failed": failed, "requeued": requeued, "renudged": len(lost), "expired": expired}
