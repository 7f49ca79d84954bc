"""console.postgresql: the health check that reads the socket instead of sending SELECT 1."""

from __future__ import annotations

import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture
def kept(db):
    """A second connection to the test database, as a web process keeps one between requests."""
    other = connections.create_connection("default")
    other.ensure_connection()
    yield other
    other.close()


def _answers(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity")
        return cursor.fetchone()[0]


def test_an_open_idle_connection_is_usable_without_a_query(kept, monkeypatch):
    def no_query(*args, **kwargs):
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(kept.connection, "execute", no_query)
    assert kept.is_usable()
    monkeypatch.undo()
    kept.health_check_done = False
    kept.close_if_health_check_failed()
    assert kept.connection is not None  # kept, and used as it is
    assert _answers(kept) >= 1


def test_a_connection_the_server_ended_is_not_usable_and_is_opened_again(kept):
    with kept.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while kept.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not kept.is_usable()
    kept.health_check_done = False
    kept.close_if_health_check_failed()  # what Django does before a request's first query
    assert kept.connection is None
    assert _answers(kept) >= 1  # a new connection, no error


def test_a_connection_inside_a_transaction_is_not_reused(kept):
    kept.connection.execute("BEGIN")
    assert not kept.is_usable()
    kept.connection.execute("ROLLBACK")
    assert kept.is_usable()


def test_a_connection_closed_underneath_is_not_usable(kept):
    kept.connection.close()  # psycopg's own, behind Django's back
    assert not kept.is_usable()
