"""Redis, the broker, failing under a send (DESIGN §10): killed with SIGKILL and started again on
the same port (the worker survives and reconnects), or flushed, queue and all (the sweep finds
the work again in the database). Nothing is lost either way."""

from __future__ import annotations

import time

import pytest
import redis
from django.conf import settings
from kombu import Connection, Exchange, Queue

from mailer import delivery
from tests.faults.conftest import FAST
from tests.faults.ledger import post, sent_so_far, settle, wait_final
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def test_it_survives_redis_killed_mid_send(api, client, sink, own_redis, worker_factory,
                                           beat_factory):
    env = {"REDIS_URL": own_redis.url, "EMAIL_URL": sink.url, **FAST}
    worker = worker_factory(**env)
    beat_factory(**env)
    send_request = post(api, 2000)
    wait_for(lambda: sent_so_far(send_request) >= 200, 60, "200 recipients sent")
    # A retry's nudge waiting for its time: the worker holds it unacknowledged, as it does
    # whenever a relay answered 4xx.
    delivery.nudge(send_request.pk, countdown=600)
    time.sleep(0.5)

    own_redis.kill()
    assert sent_so_far(send_request) < 2000, "the send finished before Redis died"
    time.sleep(2)  # the worker notices the lost connection while its tasks keep sending
    own_redis.start()

    wait_for(lambda: client.get("/health/?format=json").status_code == 200, 30,
             "every health check up again", worker)
    wait_final([send_request], 60, worker)
    assert worker.poll() is None, "the worker exited"
    figures = settle("redis-killed", [send_request])
    assert figures.duplicated == 0  # no worker died: nobody got it twice


def test_redis_flushed_mid_send_loses_nothing(api, sink, worker_factory, beat_factory):
    env = {"EMAIL_URL": sink.url, "MAILER_TIME_SLICE_SECONDS": "1", **FAST}
    worker_factory(**env)
    beat_factory(**env)
    send_request = post(api, 3000)
    wait_for(lambda: sent_so_far(send_request) >= 500, 120, "500 recipients sent")
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    time.sleep(0.5)
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # and the re-queued hand-overs too
    assert sent_so_far(send_request) < 3000, "the send finished before Redis was flushed"
    wait_final([send_request], 180)
    figures = settle("redis-flushed", [send_request])
    assert figures.duplicated == 0  # no worker died: nobody got it twice


def test_it_closes_a_dead_connection_holding_unacknowledged_messages(own_redis):
    """The worker's sequence, without the worker (console.celery patches kombu for it): a
    consumer channel waiting in BRPOP with a message not acknowledged, a broadcast channel
    with an auto-delete queue; Redis dies; the consumer collects, then closes, the connection."""
    connection = Connection(own_redis.url)
    queue = connection.SimpleQueue("probe")
    queue.put({"n": 1})
    queue.get(timeout=5)  # delivered, not acknowledged
    broadcast = Queue("probe.pidbox", Exchange("probe.broadcast", type="fanout"),
                      auto_delete=True)
    connection.Consumer(broadcast, channel=connection.channel(), callbacks=[]).consume()
    queue.channel._brpop_start()
    own_redis.kill()

    connection.collect(socket_timeout=5)
    connection.close()  # kombu alone: AttributeError ('NoneType' … 'hostname')

    assert queue.channel.closed
    assert not queue.channel.qos._delivered
