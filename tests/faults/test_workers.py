"""Workers failing under a send (DESIGN §4, §10): the whole worker killed with SIGKILL, one pool
child killed, a worker killed while it prepares a request, workers racing for the same request,
and a warm stop. The database is the source of truth: a successor finds every mail again, a
lease that expired is the only way to a second delivery, and such recipients are marked."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings

from mailer.models import Mail, Recipient, SendRequest, Status
from mailer.preparation import CHUNK, GENERAL_BATCH
from tests.faults.conftest import FAST
from tests.faults.ledger import post, sent_so_far, settle, wait_final
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def _pool_children(worker) -> list[int]:
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def test_a_worker_killed_mid_send_loses_nothing(api, sink, worker_factory, beat_factory):
    env = {"EMAIL_URL": sink.url, **FAST}
    victim = worker_factory(**env)
    beat_factory(**env)
    send_request = post(api, 3000)
    wait_for(lambda: sent_so_far(send_request) >= 600, 120, "600 recipients sent")
    os.killpg(victim.pid, signal.SIGKILL)  # the worker and its pool, mid-transaction
    victim.wait(10)
    assert sent_so_far(send_request) < 3000, "the send finished before the worker was killed"

    worker_factory(**env)
    wait_final([send_request], 300)
    figures = settle("worker-killed", [send_request])
    # Only the dead worker's claims can be in doubt: two delivery tasks, one claim each.
    assert figures.marked <= settings.MAILER_CLAIM_SIZE * settings.MAILER_DELIVERY_TASKS


def test_a_pool_child_killed_mid_send_loses_nothing(api, sink, worker_factory, beat_factory):
    env = {"EMAIL_URL": sink.url, **FAST}
    worker = worker_factory(concurrency=2, **env)
    beat_factory(**env)
    send_request = post(api, 4000)
    wait_for(lambda: sent_so_far(send_request) >= 500, 120, "500 recipients sent")
    child = _pool_children(worker)[0]
    os.kill(child, signal.SIGKILL)  # the task it ran is gone; its claimed mails keep a lease
    assert sent_so_far(send_request) < 4000, "the send finished before the child was killed"

    wait_final([send_request], 180, worker)
    assert worker.poll() is None, "the worker exited with its child"
    assert child not in _pool_children(worker)  # replaced by a new child
    figures = settle("pool-child-killed", [send_request])
    assert figures.marked <= settings.MAILER_CLAIM_SIZE


def test_small_requests_lose_nothing_when_their_worker_is_killed(api, sink, worker_factory,
                                                                beat_factory):
    """Small requests are prepared and delivered in batches by one task (mailer.preparation.
    prepare_small): killed among them, the sweeps find the batch's stalled preparations and
    its leased mails again, and requests accepted while no worker ran still go out."""
    env = {"EMAIL_URL": sink.url, **FAST}
    victim = worker_factory(**env)
    beat_factory(**env)
    before = [post(api, 2, prefix=f"a{n:03d}-") for n in range(150)]
    wait_for(lambda: Recipient.objects.filter(send_request__in=before,
                                              result_code="MAIL_SENT").count() >= 60,
             120, "60 recipients sent")
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(10)
    after = [post(api, 2, prefix=f"b{n:03d}-") for n in range(150)]
    assert SendRequest.objects.filter(pk__in=[r.pk for r in after],
                                      status=Status.PREPARING).exists()

    worker_factory(**env)
    wait_final(before + after, 300)
    figures = settle("small-requests-worker-killed", before + after)
    # In doubt: the mails the dead worker had claimed, a claim a process.
    assert figures.marked <= settings.MAILER_CLAIM_SIZE * 2


def test_a_worker_killed_while_preparing_is_succeeded_without_duplicates(
        api, sink, worker_factory, beat_factory):
    """Preparation commits chunk by chunk (mailer/preparation.py): the successor starts after
    the last chunk that committed, so no recipient is prepared twice or left out."""
    env = {"EMAIL_URL": sink.url, **FAST}
    count = 20_000
    victim = worker_factory(**env)
    # A general send: 30 addresses a mail, so the 20,000 go out in 667 mails, quickly.
    send_request = post(api, count, individual=False, title="Hi all", body="<p>Hello</p>")
    deadline = time.monotonic() + 60
    while True:  # the moment the first chunk committed and the rest is being written
        prepared = SendRequest.objects.filter(pk=send_request.pk).values_list(
            "status", "prepared_recipients").get()
        if prepared[0] == Status.PREPARING and prepared[1] > 0:
            break
        assert prepared[0] == Status.PREPARING, "the preparation finished before the kill"
        assert time.monotonic() < deadline, "the preparation did not start"
        time.sleep(0.02)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(10)
    send_request.refresh_from_db()
    assert send_request.status == Status.PREPARING
    assert 0 < send_request.prepared_recipients < count

    worker_factory(**env)
    beat_factory(**env)  # the sweep finds the stalled preparation
    wait_final([send_request], 180)
    recipients = Recipient.objects.filter(send_request=send_request)
    assert recipients.count() == count
    assert recipients.values("address").distinct().count() == count
    mails_a_chunk = -(-CHUNK // GENERAL_BATCH)  # the chunk's addresses, 30 a mail
    assert Mail.objects.filter(send_request=send_request).count() == count // CHUNK * mails_a_chunk
    figures = settle("killed-while-preparing", [send_request])
    assert figures.duplicated == 0  # nothing was being sent when the worker died


def test_eight_delivery_tasks_on_two_workers_race_without_a_duplicate(
        api, sink, worker_factory, beat_factory):
    env = {"EMAIL_URL": sink.url, "MAILER_DELIVERY_TASKS": "8", "MAILER_CLAIM_SIZE": "20",
           "MAILER_FLUSH_SIZE": "5", "MAILER_TIME_SLICE_SECONDS": "2", **FAST}
    workers = [worker_factory(concurrency=4, **env), worker_factory(concurrency=4, **env)]
    beat_factory(**env)
    send_requests = [post(api, 1500), post(api, 1500, prefix="other", title="Again ${n}")]
    wait_final(send_requests, 180)
    assert all(worker.poll() is None for worker in workers)
    figures = settle("eight-tasks-racing", send_requests)
    assert (figures.duplicated, figures.marked) == (0, 0)  # no lease ever expired


def test_a_worker_stopped_mid_send_leaves_no_lease_behind(api, sink, own_redis, worker_factory):
    """One SIGTERM (systemd's stop, `make run`'s Ctrl-C): the warm shutdown lets the running
    deliveries finish their time slice, so every mail they claimed is sent and recorded, no
    lease is left to expire, and the next worker sends the rest with nobody marked."""
    slice_seconds = 4
    env = {"REDIS_URL": own_redis.url, "EMAIL_URL": sink.url,
           "MAILER_TIME_SLICE_SECONDS": str(slice_seconds)}
    worker = worker_factory(**env)
    send_request = post(api, 2000)
    wait_for(lambda: sent_so_far(send_request) >= 200, 60, "200 recipients sent")

    worker.send_signal(signal.SIGTERM)  # to the main process only, as systemd's KillMode=mixed
    assert worker.wait(slice_seconds + 20) == 0
    assert sent_so_far(send_request) < 2000, "the send finished before the worker was stopped"
    mails = Mail.objects.filter(send_request=send_request)
    assert not mails.filter(lease_until__isnull=False).exists()  # nothing waits for a lease
    assert not mails.exclude(lease_token="").exists()

    worker_factory(**env)  # takes the hand-over nudge the stopped one left in the queue
    wait_final([send_request], 60)
    figures = settle("warm-stop", [send_request])
    assert (figures.duplicated, figures.marked) == (0, 0)
    assert not mails.filter(redelivered=True).exists()
