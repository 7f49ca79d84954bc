"""python manage.py run: everything the console needs, in the foreground, until Ctrl-C.

Starts the embedded Redis (unless REDIS_URL is set), migrates, fills in the demo data, prints the
login and an API key pair, then runs the web server (gunicorn), a Celery worker, Celery beat and
the built-in SMTP sink (unless EMAIL_URL points elsewhere), and supervises them:

- each child runs in a session (and process group) of its own, so a terminal's Ctrl-C reaches
  only this command, and each child gets exactly one stop signal, from here. (A gunicorn gthread
  worker that got SIGINT from the terminal and SIGTERM from its master deadlocked in its thread
  pool's shutdown and kept the port.)
- a child that dies is started again after 1, 2, 4 … 30 s, and the restart is logged; the rest
  of the stack keeps running.
- Ctrl-C or SIGTERM stops them all: one SIGTERM each, then SIGKILL to whatever is left of a
  child's process group after its grace period (a second Ctrl-C skips the wait). Every port is
  free when the command returns.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from console import embedded_redis
from console.demo import ensure_demo

logger = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 10
MAX_RESTART_DELAY_SECONDS = 30
# A child that ran this long before it died is restarted after 1 s again, not after the next step.
STABLE_SECONDS = 60
WATCH_INTERVAL_SECONDS = 0.2


class Child:
    """One supervised process, started by `launch` in a session of its own."""

    def __init__(self, name: str, launch: Callable[[], subprocess.Popen | None],
                 grace: float = STOP_GRACE_SECONDS) -> None:
        self.name = name
        self.launch = launch
        self.grace = grace
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.restarts = 0
        self.restart_at: float | None = None

    def start(self) -> bool:
        """Start the process; False if it could not be started (try again later)."""
        try:
            self.process = self.launch()
        except (OSError, RuntimeError) as error:
            logger.error("could not start %s: %s", self.name, error)
            self.process = None
        self.started_at = time.monotonic()
        self.restart_at = None
        if self.process is not None:
            logger.info("started %s (pid %d)", self.name, self.process.pid)
        return self.process is not None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def schedule_restart(self, now: float) -> float:
        """The delay before the next start: 1, 2, 4 … 30 s, from 1 s again after a stable run."""
        if now - self.started_at >= STABLE_SECONDS:
            self.restarts = 0
        delay = min(2.0 ** self.restarts, MAX_RESTART_DELAY_SECONDS)
        self.restarts += 1
        self.restart_at = now + delay
        return delay

    def terminate(self) -> None:
        """The one stop signal: to the child itself, which stops its own workers."""
        if self.running:
            self.process.send_signal(signal.SIGTERM)

    def kill_group(self) -> None:
        """SIGKILL to the child's process group: the child and anything it left behind."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class Command(BaseCommand):
    help = "Run web, worker, beat and the SMTP sink in the foreground; Ctrl-C stops them all."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
        parser.add_argument("--no-demo", action="store_true", help="do not create demo data")

    def handle(self, *args, host: str, port: int, concurrency: int, no_demo: bool,
               **options) -> None:
        self.children: list[Child] = []
        self.stopping = False
        self.hurry = False
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        ports = [(host, port)]
        try:
            self._require_free_port(host, port, "the web server")
            if settings.SANDBOX_INBOX:
                self._require_free_port(settings.SINK_HOST, settings.SINK_PORT, "the SMTP sink")
                ports.append((settings.SINK_HOST, settings.SINK_PORT))
            if settings.EMBEDDED_REDIS:
                redis = Child("redis", self._launch_redis)
                if redis.start():
                    self.children.append(redis)
                    parts = urlsplit(settings.REDIS_URL)
                    ports.append((parts.hostname or "127.0.0.1", parts.port or 6379))
            call_command("migrate", interactive=False, verbosity=0)
            if not no_demo and not self.stopping:
                self._print_login(host, port)
            if not self.stopping:
                self._start_all(host, port, concurrency)
                self._watch()
        finally:
            if self.children:
                self._stop_all()
                self._wait_for_free_ports(ports)
        self.stdout.write("Stopped.")

    @staticmethod
    def _require_free_port(host: str, port: int, what: str) -> None:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                raise CommandError(
                    f"{host}:{port} is already in use, so {what} cannot listen there. "
                    "Is the console already running? Stop it, or choose another port."
                ) from None

    def _print_login(self, host: str, port: int) -> None:
        login = ensure_demo()
        url = f"http://{host}:{port}/"
        password = login.password or "(you changed it)"
        lines = [
            f"Outbound console: {url}",
            f"  login:      {login.username} / {password}",
            f"  project:    {login.project.name}",
            f"  API key:    ACCESS_KEY={login.access_key}",
            f"              SECRET_KEY={login.secret_key}",
            f"  database:   {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
            f" {settings.DATABASES['default']['NAME']}",
            f"  redis:      {settings.REDIS_URL}"
            + (" (embedded)" if settings.EMBEDDED_REDIS else ""),
            f"  mail goes to {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
            + (" (built-in sink, see Sandbox inbox)" if settings.SANDBOX_INBOX else ""),
            "Press Ctrl-C to stop.",
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()

    @staticmethod
    def _launch_redis() -> subprocess.Popen | None:
        return embedded_redis.start(settings.REDIS_URL, settings.VAR_DIR / "redis")

    def _add(self, name: str, command: list[str], grace: float = STOP_GRACE_SECONDS) -> None:
        def launch() -> subprocess.Popen:
            return subprocess.Popen(command, cwd=settings.BASE_DIR, env=self.env,  # noqa: S603
                                    stdin=subprocess.DEVNULL, start_new_session=True)

        child = Child(name, launch, grace)
        self.children.append(child)
        if not child.start():
            child.schedule_restart(time.monotonic())

    def _start_all(self, host: str, port: int, concurrency: int) -> None:
        # Unsubscribe and tracking links point where the console is served, unless told.
        self.env = {"PUBLIC_BASE_URL": f"http://{host}:{port}", **os.environ}
        python = sys.executable
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        if settings.SANDBOX_INBOX:
            self._add("sink", [python, manage, "run_sink"])
        # The worker's warm shutdown lets a running delivery finish its time slice: every mail
        # it claimed is sent and recorded, and no lease is left to expire.
        self._add("worker", [python, "-m", "celery", "-A", "console", "worker",
                             "--loglevel", "INFO", "--concurrency", str(concurrency),
                             "--hostname", f"worker-{os.getpid()}@%h",
                             "--without-mingle", "--without-gossip"],
                  grace=settings.MAILER_TIME_SLICE_SECONDS + STOP_GRACE_SECONDS)
        self._add("beat", [python, "-m", "celery", "-A", "console", "beat",
                           "--loglevel", "INFO"])
        self._add("web", [python, "-m", "gunicorn", "console.wsgi:application",
                          "--bind", f"{host}:{port}", "--workers", "2", "--threads", "4",
                          "--timeout", "120", "--graceful-timeout", str(STOP_GRACE_SECONDS - 2),
                          "--log-level", "warning"])

    def _watch(self) -> None:
        while not self.stopping:
            now = time.monotonic()
            for child in self.children:
                if child.restart_at is not None:
                    if now >= child.restart_at and not child.start():
                        child.schedule_restart(now)
                elif not child.running:
                    code = child.process.returncode
                    child.kill_group()  # what it left behind would hold its port
                    delay = child.schedule_restart(now)
                    logger.warning("%s exited with code %s; restarting it in %.0f s",
                                   child.name, code, delay)
            time.sleep(WATCH_INTERVAL_SECONDS)

    def _on_signal(self, signum, frame) -> None:
        if self.stopping:
            self.hurry = True  # a second Ctrl-C: do not wait for the grace periods
        self.stopping = True

    def _stop_all(self) -> None:
        logger.info("stopping; a running delivery finishes its time slice (up to %.0f s), "
                    "press Ctrl-C again to kill everything at once",
                    settings.MAILER_TIME_SLICE_SECONDS)
        # Redis last: the worker and beat still talk to it while they stop.
        others = [child for child in self.children if child.name != "redis"]
        self._stop(others)
        self._stop([child for child in self.children if child.name == "redis"])

    def _stop(self, children: list[Child]) -> None:
        started = time.monotonic()
        for child in children:
            child.terminate()
        waiting = [child for child in children if child.process is not None]
        while waiting:
            now = time.monotonic()
            for child in list(waiting):
                if child.running and not self.hurry and now - started < child.grace:
                    continue
                if child.running:
                    logger.warning("%s did not stop in %.0f s; killing it", child.name,
                                   now - started)
                child.kill_group()
                waiting.remove(child)
            time.sleep(WATCH_INTERVAL_SECONDS)

    @staticmethod
    def _wait_for_free_ports(ports: list[tuple[str, int]], timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        for host, port in ports:
            while True:
                with socket.socket() as probe:
                    probe.settimeout(0.5)
                    if probe.connect_ex((host, port)) != 0:
                        break
                if time.monotonic() >= deadline:
                    logger.warning("%s:%d is still in use after stopping", host, port)
                    break
                time.sleep(0.1)
