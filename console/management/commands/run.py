"""python manage.py run: everything the console needs, in the foreground, until Ctrl-C.

Starts the embedded Redis (unless REDIS_URL is set), migrates, fills in the demo data, prints the
login and an API key pair, then runs the web server (gunicorn), a Celery worker, Celery beat and
the built-in SMTP sink (unless EMAIL_URL points elsewhere). Ctrl-C or SIGTERM stops them all.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from console import embedded_redis
from console.demo import ensure_demo

STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Run web, worker, beat and the SMTP sink in the foreground; Ctrl-C stops them all."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
        parser.add_argument("--no-demo", action="store_true", help="do not create demo data")

    def handle(self, *args, host: str, port: int, concurrency: int, no_demo: bool,
               **options) -> None:
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.stopping = False
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        try:
            self._require_free_port(host, port, "the web server")
            if settings.SANDBOX_INBOX:
                self._require_free_port(settings.SINK_HOST, settings.SINK_PORT, "the SMTP sink")
            if settings.EMBEDDED_REDIS:
                redis = embedded_redis.start(settings.REDIS_URL, settings.VAR_DIR / "redis")
                if redis is not None:
                    self.processes.append(("redis", redis))
            call_command("migrate", interactive=False, verbosity=0)
            if not no_demo:
                self._print_login(host, port)
            self._start_all(host, port, concurrency)
            self._watch()
        finally:
            self._stop_all()

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

    def _start(self, name: str, command: list[str]) -> None:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=self.env)  # noqa: S603
        self.processes.append((name, process))

    def _start_all(self, host: str, port: int, concurrency: int) -> None:
        # Unsubscribe and tracking links point where the console is served, unless told.
        self.env = {"PUBLIC_BASE_URL": f"http://{host}:{port}", **os.environ}
        python = sys.executable
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        if settings.SANDBOX_INBOX:
            self._start("sink", [python, manage, "run_sink"])
        self._start("worker", [python, "-m", "celery", "-A", "console", "worker",
                               "--loglevel", "INFO", "--concurrency", str(concurrency),
                               "--hostname", f"worker-{os.getpid()}@%h",
                               "--without-mingle", "--without-gossip"])
        self._start("beat", [python, "-m", "celery", "-A", "console", "beat",
                             "--loglevel", "INFO"])
        self._start("web", [python, "-m", "gunicorn", "console.wsgi:application",
                            "--bind", f"{host}:{port}", "--workers", "2", "--threads", "4",
                            "--timeout", "120", "--log-level", "warning"])

    def _watch(self) -> None:
        while not self.stopping:
            for name, process in self.processes:
                if process.poll() is not None:
                    self.stderr.write(f"{name} exited with code {process.returncode}; "
                                      "stopping everything")
                    self.stopping = True
                    break
            time.sleep(0.5)

    def _on_signal(self, signum, frame) -> None:
        self.stopping = True

    def _stop_all(self) -> None:
        # Web first, Redis last: the worker and beat still talk to Redis while they stop.
        for name, process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(STOP_GRACE_SECONDS)
                except subprocess.TimeoutExpired:
                    self.stderr.write(f"{name} did not stop in time; killing it")
                    process.kill()
                    process.wait()
        self.stdout.write("Stopped.")
