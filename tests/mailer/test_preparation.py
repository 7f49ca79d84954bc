from __future__ import annotations

import contextlib
from datetime import timedelta

from django.utils import timezone

from addressbook.models import Address, GroupMember, RecipientGroup
from mailer import preparation
from mailer.models import Mail, Recipient, SendBlock, SendRequest, Status
from mailer.result_codes import ResultCode
from mailer.tasks import prepare_request, prepare_small_requests
from tests.mailer.factories import accepted_request, recipients


def _prepare(send_request: SendRequest) -> SendRequest:
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    send_request.refresh_from_db()
    return send_request


def test_it_makes_one_mail_per_recipient_for_an_individual_send(project):
    done = _prepare(accepted_request(project, recipients=recipients(7)))
    assert done.status == Status.SENDING
    assert (done.mail_count, done.recipient_count) == (7, 7)
    assert list(Mail.objects.filter(send_request=done).values_list("seq", flat=True)) == list(
        range(1, 8))
    assert Recipient.objects.filter(send_request=done, result_code="").count() == 7
    assert SendRequest.objects.filter(pk=done.pk, payload__isnull=True).exists()


def test_it_splits_a_general_send_in_mails_of_30_with_copies_on_the_first(project):
    rows = [*recipients(65), {"address": "cc@example.com", "type": "C"},
            {"address": "bcc@example.com", "type": "B"}]
    done = _prepare(accepted_request(project, individual=False, recipients=rows))
    sizes = [m.recipients.count() for m in Mail.objects.filter(send_request=done)]
    assert sizes == [32, 30, 5]
    first = Mail.objects.get(send_request=done, seq=1)
    assert set(first.recipients.exclude(type="R").values_list("address", flat=True)) == {
        "cc@example.com", "bcc@example.com"}


def test_it_waits_in_ready_for_a_reservation(project):
    later = int((timezone.now() + timedelta(hours=2)).timestamp() * 1000)
    done = _prepare(accepted_request(project, reservationUtc=later))
    assert done.status == Status.READY
    assert Mail.objects.get(send_request=done).status == Status.READY


def test_it_waits_in_ready_for_a_confirmation(project):
    assert _prepare(accepted_request(project, confirmAndSend=True)).status == Status.READY


def test_it_settles_send_blocked_addresses(project):
    SendBlock.objects.create(project=project, address="user000001@example.com",
                             blocked_until=timezone.now() + timedelta(hours=1),
                             result_code=ResultCode.MAILBOX_ERROR)
    SendBlock.objects.create(project=project, address="user000002@example.com",
                             blocked_until=timezone.now() - timedelta(hours=1),
                             result_code=ResultCode.MAILBOX_ERROR)
    done = _prepare(accepted_request(project, recipients=recipients(3)))
    codes = dict(Recipient.objects.filter(send_request=done).values_list("address", "result_code"))
    assert codes == {"user000000@example.com": "", "user000001@example.com": "SEND_BLOCK_ADDRESS",
                     "user000002@example.com": ""}
    blocked_mail = Recipient.objects.get(address="user000001@example.com").mail
    assert blocked_mail.status == Status.FAILED


def test_it_settles_recipients_whose_tags_have_no_value(project):
    rows = [{"address": "a@example.com", "parameters": {"GRADE": "GOLD"}},
            {"address": "b@example.com"}]
    done = _prepare(accepted_request(project, recipients=rows, body="<p>${GRADE}</p>"))
    codes = dict(Recipient.objects.filter(send_request=done).values_list("address", "result_code"))
    assert codes == {"a@example.com": "", "b@example.com": ResultCode.CONTENT_HAS_TAG_FORM}


def test_request_parameters_fill_tags_for_everyone(project):
    done = _prepare(accepted_request(project, recipients=recipients(2), title="Event ${SEQ}",
                                     parameters={"SEQ": 3}))
    assert not Recipient.objects.filter(send_request=done,
                                        result_code="CONTENT_HAS_TAG_FORM").exists()


def test_an_unknown_metadata_tag_settles_everyone(project):
    done = _prepare(accepted_request(project, recipients=recipients(2), body="#{WHO}"))
    assert set(Recipient.objects.filter(send_request=done).values_list("result_code", flat=True)) \
        == {"CONTENT_HAS_TAG_FORM"}


def test_a_request_settled_entirely_at_preparation_finishes(project):
    done = _prepare(accepted_request(project, recipients=recipients(2), body="#{WHO}"))
    assert done.status == Status.FAILED
    assert done.finished_at is not None


def test_it_expands_a_group_combination(project):
    group_a = RecipientGroup.objects.create(project=project, name="a")
    group_b = RecipientGroup.objects.create(project=project, name="b")
    for n in range(10):
        address = Address.objects.create(project=project, address=f"m{n}@example.com")
        GroupMember.objects.create(group=group_a, address=address)
        if n % 2:
            GroupMember.objects.create(group=group_b, address=address)
    done = _prepare(accepted_request(project, recipients=None,
                                     recipientGroupFilter={"andFilter": True,
                                                           "groups": ["a", "b"]}))
    assert done.recipient_count == 5
    assert set(Recipient.objects.filter(send_request=done).values_list("address", flat=True)) == {
        f"m{n}@example.com" for n in range(1, 10, 2)}


def test_it_resumes_where_a_crashed_worker_stopped(project, monkeypatch):
    monkeypatch.setattr(preparation, "CHUNK", 10)
    send_request = accepted_request(project, recipients=recipients(35))
    real_save = preparation._save_chunk
    calls = {"n": 0}

    def crash_on_third_chunk(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("worker killed")
        return real_save(*args, **kwargs)

    monkeypatch.setattr(preparation, "_save_chunk", crash_on_third_chunk)
    with contextlib.suppress(SystemExit):
        prepare_request.apply(kwargs={"request_pk": send_request.pk}, throw=True)
    send_request.refresh_from_db()
    assert (send_request.status, send_request.prepared_recipients) == (Status.PREPARING, 20)

    monkeypatch.setattr(preparation, "_save_chunk", real_save)
    SendRequest.objects.filter(pk=send_request.pk).update(
        prepare_heartbeat=timezone.now() - timedelta(minutes=5))  # the sweeper finds it stalled
    done = _prepare(send_request)
    assert done.status == Status.SENDING
    addresses = list(Recipient.objects.filter(send_request=done).values_list("address", flat=True))
    assert len(addresses) == len(set(addresses)) == 35
    assert list(Mail.objects.filter(send_request=done).values_list("seq", flat=True)) == list(
        range(1, 36))


def test_it_leaves_a_fresh_preparation_to_its_worker(project):
    send_request = accepted_request(project)
    SendRequest.objects.filter(pk=send_request.pk).update(prepare_heartbeat=timezone.now())
    assert _prepare(send_request).status == Status.PREPARING
    assert not Recipient.objects.exists()


def test_it_stops_when_the_request_is_cancelled_between_chunks(project, monkeypatch):
    monkeypatch.setattr(preparation, "CHUNK", 10)
    send_request = accepted_request(project, recipients=recipients(30))
    real_source = preparation._source

    def cancelled_after_first_chunk(*args):
        for number, item in enumerate(real_source(*args)):
            if number == 1:  # the first chunk is committed; a cancel arrives meanwhile
                SendRequest.objects.filter(pk=send_request.pk).update(status=Status.CANCELLED)
            yield item

    monkeypatch.setattr(preparation, "_source", cancelled_after_first_chunk)
    done = _prepare(send_request)
    assert done.status == Status.CANCELLED
    # The second chunk is not saved.
    assert Recipient.objects.filter(send_request=done).count() == 10


def test_small_requests_are_prepared_together_and_delivered_by_one_task(sink, project,
                                                                        enqueued):
    later = int((timezone.now() + timedelta(hours=2)).timestamp() * 1000)
    sent = accepted_request(project, recipients=recipients(3))
    settled = accepted_request(project, recipients=recipients(2), body="#{WHO}")
    reserved = accepted_request(project, reservationUtc=later)
    assert enqueued == [(preparation.PREPARE_SMALL_TASK, {})]  # one message for the three

    prepare_small_requests.apply()
    statuses = dict(SendRequest.objects.values_list("pk", "status"))
    assert statuses == {sent.pk: Status.SENT, settled.pk: Status.FAILED,
                        reserved.pk: Status.READY}
    assert set(Recipient.objects.filter(send_request=sent).values_list(
        "result_code", flat=True)) == {ResultCode.MAIL_SENT}
    assert SendRequest.objects.get(pk=sent.pk).mail_count == 3
    assert Mail.objects.get(send_request=reserved).status == Status.READY
    accepted_request(project)
    assert enqueued[-1] == (preparation.PREPARE_SMALL_TASK, {})  # the task let the flag go


def test_the_batch_task_starts_a_moment_later_and_takes_more_only_after_a_full_batch(
        sink, project, monkeypatch):
    from console import dispatch

    sent = []
    monkeypatch.setattr(dispatch.app, "send_task",
                        lambda name, kwargs=None, countdown=None: sent.append((name, countdown)))
    monkeypatch.setattr(dispatch.transaction, "on_commit", lambda func, *args, **kw: func())
    monkeypatch.setattr(preparation, "SMALL_BATCH", 2)
    accepted = [accepted_request(project) for _ in range(5)]
    assert sent == [(preparation.PREPARE_SMALL_TASK, preparation.SMALL_GATHER_SECONDS)]
    taken = []
    prepare_small = preparation.prepare_small
    monkeypatch.setattr(preparation, "prepare_small",
                        lambda now: taken.append(prepare_small(now)) or taken[-1])

    prepare_small_requests.apply()
    assert [len(batch.to_deliver) for batch in taken] == [2, 2, 1]  # on after each full one
    assert [batch.full for batch in taken] == [True, True, False]
    assert set(SendRequest.objects.filter(pk__in=[r.pk for r in accepted]).values_list(
        "status", flat=True)) == {Status.SENT}


def test_a_small_request_cancelled_before_its_batch_is_left_alone(project, enqueued):
    cancelled = accepted_request(project, recipients=recipients(2))
    SendRequest.objects.filter(pk=cancelled.pk).cancel(timezone.now())
    prepare_small_requests.apply()
    assert not Mail.objects.filter(send_request=cancelled).exists()
    assert SendRequest.objects.get(pk=cancelled.pk).status == Status.CANCELLED


def test_a_larger_request_gets_a_preparation_task_of_its_own(project, enqueued):
    large = accepted_request(project, recipients=recipients(preparation.SMALL_REQUEST + 1))
    assert enqueued == [(preparation.PREPARE_TASK, {"request_pk": large.pk})]
