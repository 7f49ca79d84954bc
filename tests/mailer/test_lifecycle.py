"""Every lifecycle transition of DESIGN §4, and every refused one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mailer import delivery, lifecycle
from mailer.models import Mail, MonthlyUsage, Recipient, SendRequest, Status
from mailer.result_codes import ResultCode, classify_error
from mailer.tasks import prepare_request, sweep
from tests.mailer.factories import accepted_request, recipients


def _prepared(project, **body) -> SendRequest:
    send_request = accepted_request(project, **body)
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    send_request.refresh_from_db()
    return send_request


def _in(minutes: float) -> int:
    return int((timezone.now() + timedelta(minutes=minutes)).timestamp() * 1000)


def _usage(project) -> int:
    return MonthlyUsage.objects.get(project=project).accepted


def test_a_reservation_waits_until_it_is_due(project):
    send_request = _prepared(project, reservationUtc=_in(60))
    assert send_request.status == Status.READY
    assert lifecycle.dispatch_due_reservations() == []
    SendRequest.objects.filter(pk=send_request.pk).update(reservation_at=timezone.now())
    assert lifecycle.dispatch_due_reservations() == [send_request.pk]
    send_request.refresh_from_db()
    assert send_request.status == Status.SENDING
    assert Mail.objects.get(send_request=send_request).status == Status.SENDING
    assert send_request.late_by is None


def test_a_reservation_that_came_due_while_down_goes_late_and_says_so(project):
    send_request = _prepared(project, reservationUtc=_in(60))
    SendRequest.objects.filter(pk=send_request.pk).update(
        reservation_at=timezone.now() - timedelta(minutes=42))
    sweep.apply()
    send_request.refresh_from_db()
    assert send_request.status == Status.SENDING
    assert timedelta(minutes=41) < send_request.late_by < timedelta(minutes=43)


def test_a_confirm_and_send_request_waits_for_send_now(project):
    send_request = _prepared(project, confirmAndSend=True)
    assert lifecycle.dispatch_due_reservations() == []
    lifecycle.send_now(send_request)
    send_request.refresh_from_db()
    assert send_request.status == Status.SENDING
    assert send_request.dispatched_at is not None


def test_send_now_ignores_the_reservation(project):
    send_request = _prepared(project, reservationUtc=_in(60 * 24 * 3))
    lifecycle.send_now(send_request)
    assert SendRequest.objects.get(pk=send_request.pk).status == Status.SENDING


def test_send_now_refuses_a_request_ready_for_more_than_30_days(project):
    send_request = _prepared(project, confirmAndSend=True)
    SendRequest.objects.filter(pk=send_request.pk).update(
        ready_at=timezone.now() - timedelta(days=31))
    send_request.refresh_from_db()
    with pytest.raises(lifecycle.Refused, match="30 days"):
        lifecycle.send_now(send_request)
    assert SendRequest.objects.get(pk=send_request.pk).status == Status.READY


@pytest.mark.parametrize("status", [Status.PREPARING, Status.SENDING, Status.SENT,
                                    Status.PARTIALLY_FAILED, Status.FAILED,
                                    Status.UNSUBSCRIBED, Status.CANCELLED])
def test_send_now_refuses_a_request_that_is_not_ready(project, status):
    send_request = accepted_request(project)
    SendRequest.objects.filter(pk=send_request.pk).update(status=status)
    send_request.refresh_from_db()
    with pytest.raises(lifecycle.Refused):
        lifecycle.send_now(send_request)
    assert SendRequest.objects.get(pk=send_request.pk).status == status


def test_cancel_while_preparing_keeps_nothing_and_gives_everything_back(project):
    send_request = accepted_request(project, recipients=recipients(5))
    assert _usage(project) == 5
    assert lifecycle.cancel(send_request) == 0
    prepare_request.apply(kwargs={"request_pk": send_request.pk})  # the worker comes too late
    send_request.refresh_from_db()
    assert send_request.status == Status.CANCELLED
    assert send_request.cancelled_at is not None
    assert not Recipient.objects.filter(send_request=send_request).exists()
    assert _usage(project) == 0


def test_cancel_while_preparing_cancels_what_was_saved(project):
    from mailer import preparation

    send_request = accepted_request(project, recipients=recipients(4))
    preparation._save_chunk(send_request, send_request.recipients_payload()[:2], 1,
                            Status.SENDING, preparation.TagCheck(send_request), timezone.now())
    assert lifecycle.cancel(send_request) == 2
    assert set(Recipient.objects.filter(send_request=send_request).values_list(
        "result_code", flat=True)) == {ResultCode.CANCELED_MAIL}
    assert _usage(project) == 0


def test_cancel_a_ready_request_cancels_all_of_it(project):
    send_request = _prepared(project, recipients=recipients(3), confirmAndSend=True)
    assert lifecycle.cancel(send_request) == 3
    assert set(Mail.objects.filter(send_request=send_request).values_list("status", flat=True)) \
        == {Status.CANCELLED}
    assert _usage(project) == 0


def test_cancel_while_sending_stops_only_the_unsent(project):
    send_request = _prepared(project, recipients=recipients(4))
    first, second, *_rest = Recipient.objects.filter(send_request=send_request).order_by("id")
    Recipient.objects.filter(pk=first.pk).update(result_code=ResultCode.MAIL_SENT, received=True)
    Mail.objects.filter(pk=first.mail_id).update(status=Status.SENT)
    # The second is on its way: a worker holds its lease.
    (leased,) = delivery.claim(send_request.pk, "busy-worker", 1)
    assert leased.pk == second.mail_id

    assert lifecycle.cancel(send_request) == 2
    codes = dict(Recipient.objects.filter(send_request=send_request).values_list(
        "pk", "result_code"))
    assert codes[first.pk] == ResultCode.MAIL_SENT
    assert codes[second.pk] == ""
    assert list(codes.values()).count(ResultCode.CANCELED_MAIL) == 2
    assert SendRequest.objects.get(pk=send_request.pk).status == Status.CANCELLED
    assert _usage(project) == 2

    # The mail on its way comes back with a temporary failure: it is not retried.
    temporary = classify_error("refused", "relay down")
    delivery.record(send_request, "busy-worker",
                    [(leased, {leased.recipients[0].pk: temporary})], [])
    assert Recipient.objects.get(pk=second.pk).result_code == ResultCode.CANCELED_MAIL
    assert _usage(project) == 1


def test_the_sweeper_cancels_mails_left_on_their_way(project):
    send_request = _prepared(project, recipients=recipients(2))
    assert len(delivery.claim(send_request.pk, "dead-worker", 2)) == 2
    lifecycle.cancel(send_request)
    assert Mail.objects.filter(send_request=send_request, status=Status.SENDING).count() == 2
    Mail.objects.filter(send_request=send_request).update(
        lease_until=timezone.now() - timedelta(seconds=1))
    sweep.apply()
    assert set(Recipient.objects.filter(send_request=send_request).values_list(
        "result_code", flat=True)) == {ResultCode.CANCELED_MAIL}
    assert _usage(project) == 0


@pytest.mark.parametrize("status", [Status.SENT, Status.PARTIALLY_FAILED, Status.FAILED,
                                    Status.UNSUBSCRIBED, Status.CANCELLED])
def test_cancel_refuses_a_finished_request(project, status):
    send_request = accepted_request(project)
    SendRequest.objects.filter(pk=send_request.pk).update(status=status)
    send_request.refresh_from_db()
    with pytest.raises(lifecycle.Refused, match="cannot be cancelled"):
        lifecycle.cancel(send_request)
    assert SendRequest.objects.get(pk=send_request.pk).status == status
