"""The Celery app (worker and beat), configured from Django's settings (CELERY_*); the request ID
carried from a web request into the tasks it enqueues (console/logs.py); and the one patch of
kombu's Redis transport that keeps a worker alive when Redis dies (see below)."""

from __future__ import annotations

import logging
import os
import time

from celery import Celery
from celery.beat import PersistentScheduler
from celery.signals import before_task_publish, task_postrun, task_prerun, worker_process_init
from kombu.transport import redis as kombu_redis

from console import logs
from console.gc_tuning import tune
from console.heartbeat import record_beat_heartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")

app = Celery("outbound")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

_restore_unacked = kombu_redis.QoS.restore_unacked


def restore_unacked_unless_detached(qos: kombu_redis.QoS, client=None) -> None:
    """kombu's Redis `QoS.restore_unacked`, except on a connection that was already taken apart.

    When Redis dies, the worker's consumer calls `Connection.collect()` and then `close()` on the
    broken connection (celery/worker/consumer/consumer.py, on_connection_error_after_connected).
    `collect()` closes the channels and detaches the transport (`transport.client = None`), but
    a channel whose close fails half-way (the BRPOP reply it waits for cannot be read, or another
    channel's auto-delete queue cannot be deleted) stays open. `close()` closes it again; with
    messages still unacknowledged (reserved while both processes were busy, or a countdown
    nudge waiting for its time) it builds a new Redis pool from `transport.client` to requeue
    them, and the AttributeError ('NoneType' object has no attribute 'hostname') is not a
    connection error: the consumer gives up, and the worker exits. An idle worker holds no
    unacknowledged message and reconnects. (Same failing call as celery/kombu#582 and #970.)

    Every message is only a nudge (console/dispatch.py): a Redis that kept its data still has
    them in its `unacked` hash and hands them out again after the visibility timeout, and the
    periodic sweepers nudge again whatever the database says is waiting. So nothing needs to be
    requeued through a connection that no longer exists: say so and forget them.
    """
    transport = qos.channel.connection
    if client is None and (transport is None or transport.client is None):
        if qos._delivered:
            logger.warning("connection to Redis lost: %d unacknowledged message(s) not "
                           "restored; the sweepers nudge their work again", len(qos._delivered))
        qos._delivered.clear()
        return
    _restore_unacked(qos, client)


kombu_redis.QoS.restore_unacked = restore_unacked_unless_detached


@worker_process_init.connect
def _tune_worker_process(**kwargs) -> None:
    tune()


@before_task_publish.connect
def _pass_request_id(headers=None, **kwargs) -> None:
    logs.add_to_task_headers(headers)


_request_id_tokens: dict[str, object] = {}


@task_prerun.connect
def _bind_request_id(task_id=None, task=None, **kwargs) -> None:
    token = logs.bind_task(task.request)
    if token is not None:
        _request_id_tokens[task_id] = token


@task_postrun.connect
def _unbind_request_id(task_id=None, **kwargs) -> None:
    logs.unbind_task(_request_id_tokens.pop(task_id, None))


class HeartbeatScheduler(PersistentScheduler):
    """The default scheduler, which also records in Redis when beat last ticked (health page)."""

    def tick(self, *args, **kwargs):
        try:
            record_beat_heartbeat(time.time())
        except Exception:  # Redis down: beat keeps scheduling, health shows it as unknown
            logger.warning("could not record the beat heartbeat", exc_info=True)
        return super().tick(*args, **kwargs)
