"""Every row of the SMTP reply table (mailer/result_codes.py)."""

from __future__ import annotations

import pytest

from mailer.models import Status, final_status
from mailer.result_codes import ResultCode, classify_error, classify_reply

R = ResultCode


@pytest.mark.parametrize(("code", "text", "expected", "temporary"), [
    (250, "2.0.0 Ok: queued", R.MAIL_SENT, False),
    (550, "5.1.1 <x@example.com>: User unknown", R.MAILBOX_ERROR, False),
    (550, "5.1.2 Host unknown", R.NONEXISTENT_DOMAIN_ADDRESS, False),
    (556, "5.1.10 Recipient address has null MX", R.NONEXISTENT_DOMAIN_ADDRESS, False),
    (553, "5.1.3 Bad recipient address syntax", R.RECIPIENT_ADDRESS_ERROR, False),
    (551, "5.1.6 Mailbox has moved", R.MAILBOX_ERROR, False),
    (550, "5.1.0 Address rejected", R.RECIPIENT_ADDRESS_ERROR, False),
    (552, "5.2.2 Mailbox full", R.MAILBOX_ERROR, False),
    (550, "5.2.1 Mailbox disabled", R.MAILBOX_ERROR, False),
    (554, "5.3.0 Mail system error", R.RECEIVE_MAIL_SERVICE_ERROR, False),
    (554, "5.4.4 Unable to route", R.NETWORK_ERROR, False),
    (554, "5.6.0 Content rejected", R.MAIL_CONTENTS_ERROR, False),
    (554, "5.7.1 Message rejected as spam", R.SECURITY_AND_POLICY_ERROR, False),
    (550, "Mailbox unavailable", R.SMTP_ERROR, False),
    (451, "4.7.1 Greylisted, try again later", R.SECURITY_AND_POLICY_ABNORMAL, True),
    (452, "4.2.2 Mailbox full", R.MAILBOX_ABNORMAL, True),
    (451, "4.3.0 Temporary failure", R.RECEIVE_MAIL_SERVICE_ABNORMAL, True),
    (451, "4.4.1 No answer from host", R.NETWORK_ABNORMAL, True),
    (421, "Service not available", R.SMTP_ABNORMAL, True),
    (450, "4.1.1 Mailbox temporarily unavailable", R.SMTP_ABNORMAL, True),
])
def test_it_classifies_the_reply(code, text, expected, temporary):
    outcome = classify_reply(code, text)
    assert (outcome.code, outcome.temporary) == (expected, temporary)
    assert outcome.reply_code == code


@pytest.mark.parametrize(("kind", "expected", "temporary"), [
    ("refused", R.CONNECTION_ABNORMAL, True),
    ("timeout", R.NETWORK_ABNORMAL, True),
    ("disconnected", R.CONNECTION_ABNORMAL, True),
    ("data_timeout", R.READ_TIMED_OUT, False),
    ("data_disconnect", R.CONNECTION_ERROR, False),
    ("encoding", R.UNSUPPORTED_ENCODING_ADDRESS, False),
    ("mime", R.MIME_MESSAGE_CREATE_FAIL, False),
    ("unknown", R.UNKNOWN_CAUSE_FAIL, False),
])
def test_it_classifies_failures_without_a_reply(kind, expected, temporary):
    outcome = classify_error(kind, "detail")
    assert (outcome.code, outcome.temporary) == (expected, temporary)


def test_the_seed_list_of_codes_is_complete():
    assert len(ResultCode.values) == 31


@pytest.mark.parametrize(("counts", "expected"), [
    ({"MAIL_SENT": 3}, Status.SENT),
    ({"MAIL_SENT": 2, "UNSUBSCRIBE_ADDRESS": 1}, Status.SENT),
    ({"UNSUBSCRIBE_ADDRESS": 2}, Status.UNSUBSCRIBED),
    ({"MAILBOX_ERROR": 2}, Status.FAILED),
    ({"MAILBOX_ERROR": 1, "UNSUBSCRIBE_ADDRESS": 1}, Status.FAILED),
    ({"MAIL_SENT": 1, "MAILBOX_ERROR": 1}, Status.PARTIALLY_FAILED),
    ({"CANCELED_MAIL": 4}, Status.CANCELLED),
])
def test_it_decides_the_final_status(counts, expected):
    assert final_status(counts) == expected
