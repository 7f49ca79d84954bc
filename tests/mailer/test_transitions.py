"""The status machine of requests and mails (mailer/models.py): every pair of statuses is tried
against the one transition table; the allowed ones move exactly the rows in the source status,
the others are refused before anything is written."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from mailer.models import (
    MAIL_TRANSITIONS,
    REQUEST_TRANSITIONS,
    InvalidTransition,
    Mail,
    SendRequest,
    Status,
)
from tests.mailer.factories import accepted_request

PAIRS = list(itertools.product(Status.values, repeat=2))


def _request(project, status: str) -> SendRequest:
    send_request = accepted_request(project)
    SendRequest.objects.filter(pk=send_request.pk).update(status=status)  # test setup
    return send_request


def _mail(send_request: SendRequest, status: str, seq: int = 1) -> Mail:
    return Mail.objects.create(send_request=send_request, seq=seq, status=status)


def _status(model, pk) -> str:
    return model.objects.values_list("status", flat=True).get(pk=pk)


def test_the_tables_cover_every_status_and_final_statuses_are_final():
    assert set(REQUEST_TRANSITIONS) == set(MAIL_TRANSITIONS) == set(Status.values)
    for final in (Status.SENT, Status.PARTIALLY_FAILED, Status.FAILED, Status.UNSUBSCRIBED,
                  Status.CANCELLED):
        assert REQUEST_TRANSITIONS[final] == MAIL_TRANSITIONS[final] == frozenset()


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_a_request_moves_only_as_the_table_says(project, source, target):
    send_request = _request(project, source)
    rows = SendRequest.objects.filter(pk=send_request.pk)
    if target in REQUEST_TRANSITIONS[source]:
        assert rows.move(source, target) == 1
        assert _status(SendRequest, send_request.pk) == target
    else:
        with pytest.raises(InvalidTransition):
            rows.move(source, target)
        assert _status(SendRequest, send_request.pk) == source


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_a_mail_moves_only_as_the_table_says(project, source, target):
    mail = _mail(accepted_request(project), source)
    rows = Mail.objects.filter(pk=mail.pk)
    if target in MAIL_TRANSITIONS[source]:
        assert rows.move(source, target) == 1
        assert _status(Mail, mail.pk) == target
    else:
        with pytest.raises(InvalidTransition):
            rows.move(source, target)
        assert _status(Mail, mail.pk) == source


def test_a_move_from_a_status_the_row_is_not_in_changes_nothing(project):
    send_request = _request(project, Status.SENDING)
    assert SendRequest.objects.filter(pk=send_request.pk).move(Status.READY,
                                                              Status.SENDING) == 0
    assert _status(SendRequest, send_request.pk) == Status.SENDING


def test_the_named_request_changes_apply_once(project):
    now = timezone.now()
    preparing = SendRequest.objects.filter(pk=_request(project, Status.PREPARING).pk)
    assert preparing.finish_preparation(wait=True, now=now)
    assert not preparing.finish_preparation(wait=True, now=now)
    assert preparing.get().status == Status.READY and preparing.get().payload is None
    assert preparing.dispatch(now) and not preparing.dispatch(now)
    assert preparing.get().status == Status.SENDING
    assert preparing.finish(Status.PARTIALLY_FAILED, now)
    assert not preparing.cancel(now)  # final: nothing moves it again
    assert preparing.get().status == Status.PARTIALLY_FAILED


def test_cancel_moves_every_open_request_and_no_other(project):
    now = timezone.now()
    pks = {status: _request(project, status).pk for status in Status.values}
    for status, pk in pks.items():
        moved = SendRequest.objects.filter(pk=pk).cancel(now)
        assert moved == (status in (Status.PREPARING, Status.READY, Status.SENDING))


def test_settle_writes_only_mails_still_leased_with_the_token(project):
    send_request = accepted_request(project)
    ours = _mail(send_request, Status.SENDING, 1)
    theirs = _mail(send_request, Status.SENDING, 2)
    Mail.objects.filter(pk=ours.pk).update(lease_token="mine")
    Mail.objects.filter(pk=theirs.pk).update(lease_token="someone else")
    now = timezone.now()
    Mail.objects.settle("mine", [(ours.pk, Status.SENT, None, "", now, now),
                                 (theirs.pk, Status.SENT, None, "", now, now)])
    assert (_status(Mail, ours.pk), _status(Mail, theirs.pk)) == (Status.SENT, Status.SENDING)


def test_settle_refuses_a_status_a_sending_mail_cannot_take(project):
    mail = _mail(accepted_request(project), Status.SENDING)
    with pytest.raises(InvalidTransition):
        Mail.objects.settle("", [(mail.pk, Status.READY, None, "", None, timezone.now())])
