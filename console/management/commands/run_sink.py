"""python manage.py run_sink: the built-in SMTP sink and mailbox simulator, in the foreground."""

from __future__ import annotations

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from console.sink import start_sink, stop_sink


class Command(BaseCommand):
    help = "Run the built-in SMTP sink on loopback; received mail goes to the Sandbox inbox."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=settings.SINK_HOST)
        parser.add_argument("--port", type=int, default=settings.SINK_PORT)
        parser.add_argument("--no-store", action="store_true",
                            help="only count messages (benchmarks); the inbox stays empty")

    def handle(self, *args, host: str, port: int, no_store: bool, **options) -> None:
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        controller = start_sink(host, port, store=not no_store)
        self.stdout.write(f"SMTP sink listening on {host}:{port}", ending="\n")
        self.stdout.flush()
        stop.wait()
        stop_sink(controller)
        self.stdout.write(f"SMTP sink stopped after {controller.handler.received_count} messages")
