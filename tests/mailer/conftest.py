"""The built-in sink on a free loopback port, as the relay of in-process deliveries."""

from __future__ import annotations

import pytest

from console.sink import start_sink, stop_sink
from tests.factories import free_port


@pytest.fixture
def sink(transactional_db, settings):
    port = free_port()
    controller = start_sink("127.0.0.1", port)
    # The relay is the built-in sink: mail carries the project's slug for the Sandbox inbox.
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.SINK_HOST, settings.SINK_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield port
    stop_sink(controller)
