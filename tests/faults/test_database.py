"""PostgreSQL cutting the worker's connections in the middle of a send (a failover, a restart,
an operator's pg_terminate_backend): results of mails already sent are written again on a new
connection (mailer.delivery.record_surely), so none is sent twice; a task that loses its
connection anywhere else fails, its claims' leases expire, and the next tasks send the rest."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from tests.faults.conftest import FAST
from tests.faults.ledger import post, sent_so_far, settle, wait_final
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration
APPLICATION = "outbound-fault-worker"  # libpq's PGAPPNAME: the worker's connections only


def _terminate_worker_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                       "FROM pg_stat_activity WHERE application_name = %s", [APPLICATION])
        return cursor.fetchone()[0]


def test_database_connections_terminated_mid_send_lose_nothing(
        api, sink, worker_factory, beat_factory):
    env = {"EMAIL_URL": sink.url, **FAST}
    worker = worker_factory(PGAPPNAME=APPLICATION, **env)
    beat_factory(**env)
    send_request = post(api, 3000)
    wait_for(lambda: sent_so_far(send_request) >= 500, 60, "500 recipients sent")

    terminated = _terminate_worker_connections()
    time.sleep(1)
    terminated += _terminate_worker_connections()  # and the connections opened again meanwhile
    assert terminated >= 2
    assert sent_so_far(send_request) < 3000, "the send finished before the connections died"

    wait_final([send_request], 120, worker)
    assert worker.poll() is None
    figures = settle("database-connections-terminated", [send_request])
    assert figures.duplicated == 0
