"""Real processes for integration tests: a Celery worker and beat on the test database and the
test Redis, started as subprocesses exactly as in production."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

BASE = Path(__file__).resolve().parents[2]


def test_database_url() -> str:
    """The URL of the database the tests run on (pytest-django's test database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "console.settings_test",
           "DATABASE_URL": test_database_url(), "REDIS_URL": settings.REDIS_URL}
    env.update(extra)
    return env


def wait_for(predicate, timeout: float, what: str, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the process exited with {process.returncode}")
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def worker_factory(transactional_db):
    """Start Celery workers; each is stopped at the end of the test."""
    started: list[subprocess.Popen] = []

    def start(concurrency: int = 2, **env: str) -> subprocess.Popen:
        from console.celery import app

        name = f"test-{uuid.uuid4().hex[:8]}@%h"
        # A session of its own, so a test can SIGKILL the worker with all its child processes.
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "console", "worker", "--loglevel", "WARNING",
             "--concurrency", str(concurrency), "--hostname", name,
             "--without-mingle", "--without-gossip"],
            cwd=BASE, env=process_env(**env), start_new_session=True,
        )
        started.append(process)
        hostname = name.replace("%h", os.uname().nodename)
        wait_for(lambda: any(hostname in reply for reply in app.control.ping(timeout=0.5)),
                 60, "the worker answering ping", process)
        return process

    yield start
    for process in started:
        stop(process)


@pytest.fixture
def celery_worker(worker_factory):
    return worker_factory()


@pytest.fixture
def beat_factory(transactional_db, tmp_path):
    started: list[subprocess.Popen] = []

    def start(**env: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "console", "beat", "--loglevel", "WARNING",
             "--schedule", str(tmp_path / f"celerybeat-schedule-{len(started)}")],
            cwd=BASE, env=process_env(**env),
        )
        started.append(process)
        return process

    yield start
    for process in started:
        stop(process)


@pytest.fixture
def celery_beat(beat_factory):
    return beat_factory()
