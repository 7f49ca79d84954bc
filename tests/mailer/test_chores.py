"""The mailer's periodic chores (mailer/chores.py), one by one, and the sweep that runs them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mailer import chores
from mailer.files import attachments_for
from mailer.models import (
    AttachmentFile,
    IdempotencyKey,
    Mail,
    Recipient,
    SendBlock,
    SendRequest,
    Status,
)
from mailer.result_codes import ResultCode
from mailer.tasks import prepare_request, sweep
from tests.mailer.factories import accepted_request

DELIVER, PREPARE = "mailer.deliver_request", "mailer.prepare_request"


def _prepared(project, **body) -> SendRequest:
    send_request = accepted_request(project, **body)
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    send_request.refresh_from_db()
    return send_request


def _later(minutes: float = 5):
    return timezone.now() + timedelta(minutes=minutes)


def test_a_preparation_that_stopped_reporting_is_nudged_once(project, enqueued):
    send_request = accepted_request(project)
    enqueued.clear()
    assert chores.renudge_preparations(timezone.now()) == 0  # just accepted: not stalled yet
    assert chores.renudge_preparations(_later()) == 1
    assert chores.renudge_preparations(_later()) == 0  # not again within the sweep window
    assert enqueued == [(PREPARE, {"request_pk": send_request.pk})]


def test_due_mails_nobody_holds_get_a_delivery_task(project, enqueued):
    send_request = _prepared(project)
    enqueued.clear()
    assert chores.renudge_deliveries(timezone.now()) == 1
    assert enqueued == [(DELIVER, {"request_pk": send_request.pk})]
    Mail.objects.filter(send_request=send_request).update(lease_until=_later(), lease_token="w")
    assert chores.renudge_deliveries(_later(1)) == 0  # leased, and nudged a moment ago


def test_a_sending_request_with_nothing_left_is_finished(project):
    send_request = _prepared(project)
    Recipient.objects.filter(send_request=send_request).update(result_code=ResultCode.MAIL_SENT)
    Mail.objects.filter(send_request=send_request).move(Status.SENDING, Status.SENT)
    assert chores.finish_idle_requests(timezone.now()) == 1
    send_request.refresh_from_db()
    assert send_request.status == Status.SENT and send_request.finished_at is not None
    assert chores.finish_idle_requests(timezone.now()) == 0


def test_a_due_reservation_goes_out(project, enqueued):
    when = int(_later(60).timestamp() * 1000)
    send_request = _prepared(project, reservationUtc=when)
    assert chores.dispatch_due_reservations(timezone.now()) == 0
    assert chores.dispatch_due_reservations(_later(61)) == 1
    send_request.refresh_from_db()
    assert send_request.status == Status.SENDING
    assert (DELIVER, {"request_pk": send_request.pk}) in enqueued


def test_mails_of_a_cancelled_request_are_cancelled_once_free(project):
    send_request = _prepared(project)
    Mail.objects.filter(send_request=send_request).update(lease_until=_later(), lease_token="w")
    SendRequest.objects.filter(pk=send_request.pk).cancel(timezone.now())
    assert chores.cancel_leftovers(timezone.now()) == 0  # a worker still holds it
    assert chores.cancel_leftovers(_later(10)) == 1
    assert Mail.objects.get(send_request=send_request).status == Status.CANCELLED
    assert Recipient.objects.get(send_request=send_request).result_code == \
        ResultCode.CANCELED_MAIL


def test_expired_send_blocks_leave_the_list(project):
    SendBlock.objects.create(project=project, address="x@example.com",
                             blocked_until=timezone.now() + timedelta(hours=1),
                             result_code=ResultCode.MAILBOX_ERROR)
    assert chores.expire_send_blocks(timezone.now()) == 0
    assert chores.expire_send_blocks(_later(61)) == 1
    assert not SendBlock.objects.exists()


def test_unused_uploads_are_forgotten_after_a_week(project, tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x")
    AttachmentFile.objects.create(project=project, temp_request_id="t", file_id="f",
                                  file_name="a.pdf", content_type="application/pdf", size=1,
                                  path=str(path))
    assert chores.forget_unused_files(timezone.now()) == 0
    assert chores.forget_unused_files(timezone.now() + timedelta(days=8)) == 1
    assert not path.exists()
    # The mail still names it; it is no longer attachable.
    assert AttachmentFile.objects.get(file_id="f").path == ""
    assert chores.forget_unused_files(timezone.now() + timedelta(days=9)) == 0
    with pytest.raises(ValueError, match="unknown file ID"):
        attachments_for(project, ["f"])


def test_idempotency_keys_are_forgotten_after_a_day(project):
    IdempotencyKey.objects.create(project=project, key="k")
    assert chores.forget_idempotency_keys(timezone.now()) == 0
    assert chores.forget_idempotency_keys(timezone.now() + timedelta(hours=25)) == 1


def test_the_sweep_runs_every_chore_even_when_one_fails(project, monkeypatch):
    ran = []

    def broken(now):
        raise RuntimeError("boom")

    def fine(now):
        ran.append(now)
        return 1

    monkeypatch.setattr(chores, "CHORES", (broken, fine))
    sweep.apply()
    assert len(ran) == 1
