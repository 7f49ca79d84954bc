"""Redis killed with SIGKILL while a worker is sending, then started again on the same port:
the worker survives and reconnects, and the send finishes with nothing lost (DESIGN §10)."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from kombu import Connection, Exchange, Queue

from console.models import SandboxMessage
from mailer import delivery
from mailer.models import FINAL_STATUSES, Recipient, SendRequest, Status
from mailer.result_codes import ResultCode
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration
RECIPIENTS = 2000


def _post(api, count: int) -> SendRequest:
    response = api.post("/api/v1/mails", {
        "senderAddress": "shop@company.com", "title": "Hi ${n}", "body": "<p>Hello ${n}</p>",
        "recipients": [{"address": f"user{n:05d}@example.com", "parameters": {"n": str(n)}}
                       for n in range(count)]})
    assert response.status_code == 201, response.content
    return SendRequest.objects.get(request_id=response.json()["requestId"])


def _sent_so_far(send_request: SendRequest) -> int:
    return Recipient.objects.filter(send_request=send_request).exclude(result_code="").count()


def _finished(send_request: SendRequest) -> bool:
    send_request.refresh_from_db()
    return send_request.status in FINAL_STATUSES


def test_it_survives_redis_killed_mid_send(api, client, sink, own_redis, worker_factory,
                                           beat_factory):
    env = {"REDIS_URL": own_redis.url, "EMAIL_URL": f"smtp://127.0.0.1:{sink}",
           "MAILER_SWEEP_SECONDS": "1", "MAILER_PREPARE_STALL_SECONDS": "3"}
    worker = worker_factory(**env)
    beat_factory(**env)
    send_request = _post(api, RECIPIENTS)
    wait_for(lambda: _sent_so_far(send_request) >= 200, 60, "200 recipients sent")
    # A retry's nudge waiting for its time: the worker holds it unacknowledged, as it does
    # whenever a relay answered 4xx.
    delivery.nudge(send_request.pk, countdown=600)
    time.sleep(0.5)

    own_redis.kill()
    assert not _finished(send_request), "the send finished before Redis died"
    time.sleep(2)  # the worker notices the lost connection while its tasks keep sending
    own_redis.start()

    wait_for(lambda: client.get("/health/?format=json").status_code == 200, 30,
             "every health check up again", worker)
    wait_for(lambda: _finished(send_request), 60, "the request finishing", worker)
    assert worker.poll() is None, "the worker exited"
    assert send_request.status == Status.SENT
    codes = Counter(Recipient.objects.filter(send_request=send_request)
                    .values_list("result_code", flat=True))
    assert codes == {ResultCode.MAIL_SENT: RECIPIENTS}
    deliveries: Counter = Counter()
    for rcpt_tos in SandboxMessage.objects.values_list("rcpt_tos", flat=True):
        deliveries.update(rcpt_tos)
    addresses = set(Recipient.objects.filter(send_request=send_request)
                    .values_list("address", flat=True))
    assert set(deliveries) == addresses  # nobody lost
    assert set(deliveries.values()) == {1}  # and nobody got it twice: no worker died


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
