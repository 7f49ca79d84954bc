"""The background-job kit (console/models.Job, console/jobs.py): its transition table, claiming,
progress as the heartbeat, finishing and failing, and the sweep that retries, fails, nudges and
expires — shown on exports, the simplest job; address imports run on the same code."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from console import jobs
from console.models import JOB_TRANSITIONS, Export, InvalidJobTransition, JobStatus

PAIRS = list(itertools.product(JobStatus.values, repeat=2))


def _job(project, **fields) -> Export:
    return Export.objects.create(project=project, kind="numbers", **fields)


def _status(job) -> str:
    return Export.objects.values_list("status", flat=True).get(pk=job.pk)


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_a_job_moves_only_as_the_table_says(project, source, target):
    job = _job(project, status=source)
    rows = Export.objects.filter(pk=job.pk)
    if target in JOB_TRANSITIONS[source]:
        assert rows.move(source, target) == 1
        assert _status(job) == target
    else:
        with pytest.raises(InvalidJobTransition):
            rows.move(source, target)
        assert _status(job) == source


def test_a_job_is_claimed_by_one_worker_only(project):
    job = _job(project)
    now = timezone.now()
    assert Export.objects.filter(pk=job.pk).claim(now)
    assert not Export.objects.filter(pk=job.pk).claim(now)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.started) == (JobStatus.RUNNING, 1, now)


def test_run_finishes_with_what_the_work_returns(project):
    job = _job(project)

    def work(claimed, progress):
        assert claimed.status == JobStatus.RUNNING
        progress(5, 10, force=True)
        assert Export.objects.get(pk=claimed.pk).percent == 50
        return {"file_name": "done.xlsx"}

    jobs.run(Export, job.pk, work)
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.file_name, job.percent) == (
        JobStatus.DONE, 5, "done.xlsx", 100)


def test_run_shows_a_refusal_as_it_is_and_hides_a_crash(project):
    refused, crashed = _job(project), _job(project)

    def refuse(job, progress):
        raise jobs.JobRefused("Row 3 is not an address.")

    def crash(job, progress):
        raise RuntimeError("a bug")

    jobs.run(Export, refused.pk, refuse)
    jobs.run(Export, crashed.pk, crash)
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.status, refused.error) == (JobStatus.FAILED, "Row 3 is not an address.")
    assert (crashed.status, crashed.error) == (JobStatus.FAILED, str(Export.FAILURE_MESSAGE))


def test_run_leaves_a_job_another_worker_has(project):
    job = _job(project, status=JobStatus.RUNNING)
    jobs.run(Export, job.pk, lambda job, progress: pytest.fail("ran twice"))
    assert _status(job) == JobStatus.RUNNING


def test_progress_is_written_at_most_once_a_second(project, monkeypatch):
    job = _job(project, status=JobStatus.RUNNING)
    progress = jobs.Progress(job)
    progress(10, 100)
    progress(20)  # within the second: not written
    assert Export.objects.get(pk=job.pk).progress_done == 10
    progress(30, force=True)
    assert Export.objects.get(pk=job.pk).progress_done == 30


def test_the_sweep_retries_then_fails_stalled_jobs_and_nudges_lost_ones(project, enqueued):
    old = timezone.now() - Export.STALL - timedelta(minutes=1)
    retried = _job(project, status=JobStatus.RUNNING, heartbeat=old, attempts=1)
    given_up = _job(project, status=JobStatus.RUNNING, heartbeat=old,
                    attempts=Export.MAX_ATTEMPTS)
    lost = _job(project, heartbeat=old)
    fresh = _job(project, status=JobStatus.RUNNING)
    done = jobs.sweep(Export)
    assert done == {"failed": 1, "requeued": 1, "renudged": 1, "expired": 0}
    assert [_status(j) for j in (retried, given_up, lost, fresh)] == [
        JobStatus.QUEUED, JobStatus.FAILED, JobStatus.QUEUED, JobStatus.RUNNING]
    assert sorted(kwargs["job_id"] for _name, kwargs in enqueued) == sorted(
        [retried.pk, lost.pk])


def test_the_sweep_expires_files_and_deletes_them(project):
    job = _job(project, status=JobStatus.DONE, expires=timezone.now() - timedelta(seconds=1))
    output = jobs.FileOutput(job, ".xlsx")
    output.partial.write_bytes(b"xlsx")
    Export.objects.filter(pk=job.pk).update(file=output.commit())
    job.refresh_from_db()
    assert job.path.exists() and not job.is_downloadable()
    assert job.shown_status() == "Expired"  # before the sweep has run, too
    jobs.sweep(Export)
    job.refresh_from_db()
    assert (job.status, job.file) == (JobStatus.EXPIRED, "")
    assert not output.target.exists()
