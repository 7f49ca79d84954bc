"""Fault-injection tests reuse the real-process fixtures of tests/integration and run a Redis
server of their own, which they may kill and start again."""

from __future__ import annotations

import signal
import subprocess

import pytest
from kombu import pools

from console import embedded_redis
from console.celery import app
from console.sink import start_sink, stop_sink
from tests.factories import free_port
from tests.integration.conftest import beat_factory, worker_factory  # noqa: F401


class RedisServer:
    """A redis-server on a loopback port of its own, which a test may kill and start again."""

    def __init__(self, data_dir) -> None:
        self.url = f"redis://127.0.0.1:{free_port()}/0"
        self.data_dir = data_dir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = embedded_redis.start(self.url, self.data_dir)
        assert self.process is not None, f"something else answers on {self.url}"

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def own_redis(tmp_path, settings):
    """A Redis of the test's own; this process publishes its tasks and health pings there."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    previous = app.conf.broker_url
    settings.REDIS_URL = server.url  # the health page's Redis check
    _use_broker(server.url)
    yield server
    _use_broker(previous)
    server.stop()


def _use_broker(url: str) -> None:
    # The app makes its connection and producer pools on first use, and kombu keeps producer
    # pools in a registry of its own, keyed by the broker's address: drop them all to switch,
    # or the tests after this one would get the closed pool back.
    app.pool.force_close_all()
    pools.reset()
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


class Sink:
    """The counting SMTP sink on a loopback port of its own, which a test may stop (the relay is
    down: connections refused) and start again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.controller = None

    def start(self) -> None:
        self.controller = start_sink("127.0.0.1", self.port)

    def stop(self) -> None:
        if self.controller is not None:
            stop_sink(self.controller)
            self.controller = None


@pytest.fixture
def sink(transactional_db):
    server = Sink()
    server.start()
    yield server
    server.stop()


FAST = {"MAILER_SWEEP_SECONDS": "1", "MAILER_PREPARE_STALL_SECONDS": "3",
        "MAILER_LEASE_SECONDS": "5", "MAILER_RETRY_BASE_SECONDS": "0.5"}
"""Chores every second and short leases: a scenario recovers in seconds, not minutes."""
