"""What every benchmark needs: Django set up against DATABASE_URL / REDIS_URL, a project with an
API key, and the real processes (gunicorn, Celery workers, the SMTP sinks) on loopback.

Two sinks: Postfix's `smtp-sink` (C, from Debian's postfix package; the daemon is never started)
for throughput, so that the sink is not what limits a run (shared/DESIGN.md §11), and the
console's own aiosmtpd sink (`manage.py run_sink`) for a run that needs the messages stored."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

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
    _vacuum()


def _vacuum() -> None:
    """The tables as autovacuum keeps them: this machine's PostgreSQL runs with autovacuum off,
    so without this the dead rows of every earlier run stay in the tables and their indexes
    (and no page is marked all-visible, so no count is read from an index alone)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] == "on":
            return
        tables = ", ".join(f'"{name}"' for name in connection.introspection.table_names())
        cursor.execute(f"VACUUM (ANALYZE) {tables}")


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

    def start(self, *command: str, stdout: IO | None = None, **env: str) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=BASE, env={**self.env, **env},
                                   stdout=stdout or subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
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
    """The console's aiosmtpd sink, counting and discarding (one Python process: for runs that
    need its behaviour, not for throughput)."""
    port = free_port()
    running.start(sys.executable, "manage.py", "run_sink", "--port", str(port), "--no-store")
    wait_port(port)
    return port


SMTP_SINK = Path("/usr/sbin/smtp-sink")
_COUNTS = re.compile(rb"sess=(\d+) quit=(\d+) mesg=(\d+)")


def ensure_smtp_sink() -> Path:
    """Postfix's smtp-sink, installed from Debian's postfix package when missing. The package
    is installed unconfigured ("No configuration"), so the Postfix daemon has nothing to run
    with, and a master process that the install started anyway is stopped."""
    if SMTP_SINK.exists():
        return SMTP_SINK
    if shutil.which("apt-get") is None:
        sys.exit(f"{SMTP_SINK} is missing and there is no apt-get: install Postfix's smtp-sink")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = ["env", "DEBIAN_FRONTEND=noninteractive"]
    subprocess.run([*sudo, "debconf-set-selections"], check=True, text=True,
                   input="postfix postfix/main_mailer_type select No configuration\n")
    subprocess.run([*sudo, *env, "apt-get", "update", "-q"], check=True)
    subprocess.run([*sudo, *env, "apt-get", "install", "-y", "-q", "--no-install-recommends",
                    "postfix"], check=True)
    if _postfix_master_running():
        subprocess.run([*sudo, "postfix", "stop"], check=False)
    if not SMTP_SINK.exists():
        sys.exit(f"the postfix package did not bring {SMTP_SINK}")
    return SMTP_SINK


def _postfix_master_running() -> bool:
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
        except OSError:
            continue
        if command.split(b"\0")[0].endswith(b"/postfix/sbin/master"):
            return True
    return False


@dataclass
class SmtpSink:
    """A running smtp-sink: its port, and the running counts it prints (-c) into `counts`, an
    unnamed temporary file (read with pread, so smtp-sink's offset in it is left alone)."""

    port: int
    process: subprocess.Popen
    counts: IO[bytes]

    def messages(self) -> int:
        """Messages received so far (each "." that ended a DATA), from the last count printed."""
        time.sleep(0.2)  # the count is printed as the message ends: let the last one land
        size = os.fstat(self.counts.fileno()).st_size
        tail = os.pread(self.counts.fileno(), 4096, max(0, size - 4096))
        found = _COUNTS.findall(tail)
        return int(found[-1][2]) if found else 0


def start_smtp_sink(running: Processes) -> SmtpSink:
    """smtp-sink on a free loopback port: accepts every message and throws it away; offers
    PIPELINING and 8BITMIME (not SMTPUTF8, which our client asks for only for non-ASCII
    addresses; the benchmarks' addresses are ASCII), up to 256 sessions, a backlog of 256."""
    binary = ensure_smtp_sink()
    port = free_port()
    counts = tempfile.TemporaryFile(prefix="bench-smtp-sink-")  # noqa: SIM115 (kept open)
    as_user = ["-u", "nobody"] if os.geteuid() == 0 else []  # required when run as root
    process = running.start(str(binary), *as_user, "-c", "-m", "256", "-t", "300",
                            f"127.0.0.1:{port}", "256", stdout=counts)
    wait_port(port)
    return SmtpSink(port=port, process=process, counts=counts)


def web_config() -> dict:
    """gunicorn for B2 and B7: 3 sync worker processes (a connection an answer), or with
    BENCH_WEB_THREADS=4 as docs/deploy.md runs it, 3 processes of 4 threads (gthread, which keeps
    a client's connection open between requests): the same throughput on these two cores, and a
    longer tail (B7's p99 364 ms against 244). BENCH_WEB_WORKERS changes the number of
    processes: gunicorn's own advice, twice the cores and one (5), made B2 slower here, 457
    requests/s against 488."""
    threads = int(os.environ.get("BENCH_WEB_THREADS", 1))
    workers = int(os.environ.get("BENCH_WEB_WORKERS", 3))
    return {"workers": workers, "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync"}


def describe_web(web: dict) -> str:
    return f"gunicorn, {web['workers']} {web['worker_class']} worker processes" + (
        f" of {web['threads']} threads" if web["threads"] > 1 else "")


def start_web(running: Processes, workers: int = 4, threads: int = 2,
              worker_class: str = "gthread", application: str = "console.wsgi:application",
              **env: str) -> int:
    """gunicorn on a free loopback port. application="bench.wsgi:application" adds the
    benchmarks' baseline endpoint to the console's URLs (bench/urls.py)."""
    port = free_port()
    running.start(sys.executable, "-m", "gunicorn", application, "--bind",
                  f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
                  "--worker-class", worker_class, "--log-level", "warning", **env)
    wait_port(port)
    return port


def start_worker(running: Processes, concurrency: int = 2, hostname: str | None = None,
                 **env: str) -> subprocess.Popen:
    """A Celery worker (prefork, `concurrency` processes); hostname="bench-a@%h" names it as
    one worker host among several on the machine."""
    named = ["--hostname", hostname] if hostname else []
    return running.start(sys.executable, "-m", "celery", "-A", "console", "worker",
                         "--loglevel", "WARNING", "--concurrency", str(concurrency),
                         "--without-mingle", "--without-gossip", *named, **env)


def worker_hostname(index: int) -> str:
    """bench-a@%h, bench-b@%h, …: worker "hosts" side by side on this machine."""
    return f"bench-{chr(ord('a') + index)}@%h"


def wait_workers(count: int, timeout: float = 60) -> None:
    """Until `count` Celery workers answer a ping (each has started its pool by then)."""
    from console.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=0.5)) >= count:
            return
    raise RuntimeError(f"fewer than {count} Celery workers answer")


BASELINE_TABLE = "bench_baseline"


def create_baseline_table() -> None:
    """The table the baseline endpoint (bench/urls.py) writes its one row per request to."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {BASELINE_TABLE} (id bigserial PRIMARY KEY, "
                       "api_key_id bigint NOT NULL, received timestamptz NOT NULL, "
                       "payload text NOT NULL)")
        cursor.execute(f"TRUNCATE {BASELINE_TABLE}")


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
