"""What every benchmark needs: Django set up against DATABASE_URL / REDIS_URL, a project with an
API key, and the real processes (gunicorn, Celery workers, the SMTP sink) on loopback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
RESULTS = BASE / "var" / "bench"


DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/outbound_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"


def setup_django() -> None:
    """Django on the benchmark database (BENCH_DATABASE_URL, created and migrated when missing)
    and Redis (BENCH_REDIS_URL): never the console's own data, which the benchmarks clear."""
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
    sys.path.insert(0, str(BASE))
    _create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _create_database(url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit("The benchmarks run on PostgreSQL: BENCH_DATABASE_URL=postgres://…")
    name = parts.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                    [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def clean_slate() -> None:
    """Leave nothing from an earlier run: no open request, no queued task."""
    import redis
    from django.conf import settings
    from django.utils import timezone

    from mailer.models import SendRequest

    SendRequest.objects.cancel(timezone.now())
    redis.Redis.from_url(settings.REDIS_URL).flushdb()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def bench_project(name: str):
    """A fresh project with an admin and an API key: (project, access key, secret)."""
    from django.contrib.auth import get_user_model

    from console.models import ApiKey, Membership, Project

    user, _ = get_user_model().objects.get_or_create(username="bench")
    project = Project.objects.create(name=f"{name}-{time.time_ns()}",
                                     slug=f"{name}-{time.time_ns()}")
    Membership.objects.create(project=project, user=user, role=Membership.Role.ADMIN)
    key, secret = ApiKey.issue(project, user, "bench")
    return project, key.access_key, secret


class Processes:
    """Start processes; stop them all on exit."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []
        self.env = {**os.environ}

    def start(self, *command: str, **env: str) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=BASE, env={**self.env, **env},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.started):
            if process.poll() is None:
                process.terminate()
        for process in self.started:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.started.clear()


@contextmanager
def processes():
    running = Processes()
    try:
        yield running
    finally:
        running.stop_all()


def start_sink(running: Processes) -> int:
    port = free_port()
    running.start(sys.executable, "manage.py", "run_sink", "--port", str(port), "--no-store")
    wait_port(port)
    return port


def start_web(running: Processes, workers: int = 4, threads: int = 2,
              worker_class: str = "gthread", **env: str) -> int:
    port = free_port()
    running.start(sys.executable, "-m", "gunicorn", "console.wsgi:application", "--bind",
                  f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
                  "--worker-class", worker_class, "--log-level", "warning", **env)
    wait_port(port)
    return port


def start_worker(running: Processes, concurrency: int = 2, **env: str) -> subprocess.Popen:
    return running.start(sys.executable, "-m", "celery", "-A", "console", "worker",
                         "--loglevel", "WARNING", "--concurrency", str(concurrency),
                         "--without-mingle", "--without-gossip", **env)


def api_call(port: int, method: str, path: str, access_key: str, secret: str,
             body: bytes | None = None) -> tuple[int, dict]:
    from console.signature import signed_headers

    headers = signed_headers(method, path, access_key, secret)
    headers["Content-Type"] = "application/json"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body,
                                     headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def save(name: str, result: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamped = {"measured": time.strftime("%Y-%m-%d %H:%M:%S"), **result}
    (RESULTS / f"{name}.json").write_text(json.dumps(stamped, indent=2))
    print(json.dumps(stamped, indent=2))
