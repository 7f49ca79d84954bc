"""Recipient result codes and the one table that says where each arises from SMTP.

Every attempt's outcome is classified by `classify_reply` (an SMTP reply) or `classify_error` (a
network failure). A temporary outcome keeps the recipient at RESENDING_MAIL while retries are
left, then RESEND_MAIL_FAIL; a permanent one is the recipient's final code. docs/result-codes.md
is this table in prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultCode(models.TextChoices):
    CANCELED_MAIL = "CANCELED_MAIL", _("Cancel sending")
    CONNECTION_ABNORMAL = "CONNECTION_ABNORMAL", _(
        "Temporary sending failure due to abnormal connection")
    CONTENT_HAS_TAG_FORM = "CONTENT_HAS_TAG_FORM", _(
        "Sending failed due to the presence of substitution tags in the mail content")
    DKIM_FAIL = "DKIM_FAIL", _("Sending failed due to DKIM error")
    EMPTY_BODY_CONTENT = "EMPTY_BODY_CONTENT", _(
        "Sending failed due to system error preventing mail body from being set")
    MAILBOX_ABNORMAL = "MAILBOX_ABNORMAL", _(
        "Temporary sending failure due to abnormal recipient mailbox")
    MAILBOX_ERROR = "MAILBOX_ERROR", _("Sending failed due to recipient mailbox error")
    MAIL_CONTENTS_ERROR = "MAIL_CONTENTS_ERROR", _("Sending failed due to mail content error")
    MAIL_SENT = "MAIL_SENT", _("Sending successful")
    MIME_MESSAGE_CREATE_FAIL = "MIME_MESSAGE_CREATE_FAIL", _(
        "Sending failed due to system error preventing MIME message creation")
    NETWORK_ABNORMAL = "NETWORK_ABNORMAL", _(
        "Temporary sending failure due to abnormal network conditions")
    NETWORK_ERROR = "NETWORK_ERROR", _("Sending failed due to network error")
    NONEXISTENT_DOMAIN_ADDRESS = "NONEXISTENT_DOMAIN_ADDRESS", _(
        "Sending failed due to non-existent recipient domain")
    RECEIVE_MAIL_SERVICE_ABNORMAL = "RECEIVE_MAIL_SERVICE_ABNORMAL", _(
        "Temporary sending failure due to abnormal recipient mail service")
    RECEIVE_MAIL_SERVICE_ERROR = "RECEIVE_MAIL_SERVICE_ERROR", _(
        "Sending failed due to recipient mail service error")
    RECIPIENT_ADDRESS_ERROR = "RECIPIENT_ADDRESS_ERROR", _(
        "Sending failed due to recipient address error")
    RESENDING_MAIL = "RESENDING_MAIL", _("Resending in progress")
    RESEND_MAIL_FAIL = "RESEND_MAIL_FAIL", _(
        "Sending failed due to exceeded resending attempts")
    SECURITY_AND_POLICY_ABNORMAL = "SECURITY_AND_POLICY_ABNORMAL", _(
        "Temporary sending failure due to abnormal security and policy conditions")
    SECURITY_AND_POLICY_ERROR = "SECURITY_AND_POLICY_ERROR", _(
        "Sending failed due to security and policy error")
    SEND_BLOCK_ADDRESS = "SEND_BLOCK_ADDRESS", _(
        "Sending blocked due to request to a blocked recipient")
    SMTP_ABNORMAL = "SMTP_ABNORMAL", _(
        "Temporary sending failure due to abnormal SMTP with the recipient side")
    SMTP_ERROR = "SMTP_ERROR", _("Sending failed due to SMTP error with the recipient side")
    TEST_MAIL_SEND = "TEST_MAIL_SEND", _("Test mail sending by the system")
    UNDEFINED_ERROR = "UNDEFINED_ERROR", _("Sending failed due to undefined error")
    UNKNOWN_CAUSE_FAIL = "UNKNOWN_CAUSE_FAIL", _(
        "Sending failed due to unknown error inside or outside the system")
    UNKNOWN_DOMAIN_ADDRESS = "UNKNOWN_DOMAIN_ADDRESS", _(
        "Sending failed due to request to an address with an unknown or blocked domain")
    UNSUBSCRIBE_ADDRESS = "UNSUBSCRIBE_ADDRESS", _(
        "Sending blocked due to request to an unsubscribed address")
    UNSUPPORTED_ENCODING_ADDRESS = "UNSUPPORTED_ENCODING_ADDRESS", _(
        "Sending failed due to unsupported recipient address encoding")
    READ_TIMED_OUT = "READ_TIMED_OUT", _(
        "Sending failed due to no response from the receiving server")
    CONNECTION_ERROR = "CONNECTION_ERROR", _(
        "Sending failed due to the receiving server closing the connection")


# Hard bounces: the address goes on the send-block list (the codes of the reference's
# "Send block list" guide page, and a domain that does not exist).
HARD_FAILURES = frozenset({
    ResultCode.MAILBOX_ERROR, ResultCode.MAIL_CONTENTS_ERROR, ResultCode.NETWORK_ERROR,
    ResultCode.RECEIVE_MAIL_SERVICE_ERROR, ResultCode.RECIPIENT_ADDRESS_ERROR,
    ResultCode.SECURITY_AND_POLICY_ERROR, ResultCode.SMTP_ERROR,
    ResultCode.NONEXISTENT_DOMAIN_ADDRESS,
})
# A recipient with one of these is still to be sent (never tried, or a retry is scheduled).
PENDING_CODES = ("", ResultCode.RESENDING_MAIL)
# Codes given without contacting any server.
NOT_SENT = frozenset({
    ResultCode.CANCELED_MAIL, ResultCode.CONTENT_HAS_TAG_FORM, ResultCode.SEND_BLOCK_ADDRESS,
    ResultCode.UNSUBSCRIBE_ADDRESS,
})


@dataclass(frozen=True)
class Outcome:
    """One recipient's outcome of one attempt."""

    code: ResultCode
    temporary: bool
    reply_code: int | None = None
    reply_text: str = ""

    @property
    def sent(self) -> bool:
        return self.code == ResultCode.MAIL_SENT


_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")

# (class, subject, detail) of the enhanced status code (RFC 3463) → code. The first rule that
# matches wins; None matches anything. Permanent (5.x.x) rules:
PERMANENT_RULES: list[tuple[int | None, int | None, ResultCode]] = [
    (1, 1, ResultCode.MAILBOX_ERROR),               # 5.1.1 unknown user
    (1, 2, ResultCode.NONEXISTENT_DOMAIN_ADDRESS),  # 5.1.2 bad destination domain
    (1, 10, ResultCode.NONEXISTENT_DOMAIN_ADDRESS), # 5.1.10 null MX
    (1, 3, ResultCode.RECIPIENT_ADDRESS_ERROR),     # 5.1.3 bad address syntax
    (1, 6, ResultCode.MAILBOX_ERROR),               # 5.1.6 mailbox has moved
    (1, None, ResultCode.RECIPIENT_ADDRESS_ERROR),  # other addressing problems
    (2, None, ResultCode.MAILBOX_ERROR),            # 5.2.x mailbox disabled, full, too big
    (3, None, ResultCode.RECEIVE_MAIL_SERVICE_ERROR),  # 5.3.x mail system
    (4, None, ResultCode.NETWORK_ERROR),            # 5.4.x network and routing
    (6, None, ResultCode.MAIL_CONTENTS_ERROR),      # 5.6.x message content or media
    (7, None, ResultCode.SECURITY_AND_POLICY_ERROR),  # 5.7.x security or policy, spam
    (None, None, ResultCode.SMTP_ERROR),            # any other 5xx
]
# Temporary (4.x.x) rules: the code an attempt is classified as while it is retried.
TEMPORARY_RULES: list[tuple[int | None, int | None, ResultCode]] = [
    (2, None, ResultCode.MAILBOX_ABNORMAL),         # 4.2.x mailbox full, busy
    (3, None, ResultCode.RECEIVE_MAIL_SERVICE_ABNORMAL),  # 4.3.x mail system
    (4, None, ResultCode.NETWORK_ABNORMAL),         # 4.4.x network and routing
    (7, None, ResultCode.SECURITY_AND_POLICY_ABNORMAL),  # 4.7.x greylisting, policy
    (None, None, ResultCode.SMTP_ABNORMAL),         # any other 4xx
]


def _match(rules, subject: int | None, detail: int | None) -> ResultCode:
    for rule_subject, rule_detail, code in rules:
        if rule_subject is not None and rule_subject != subject:
            continue
        if rule_detail is not None and rule_detail != detail:
            continue
        return code
    raise AssertionError("the last rule matches everything")


def classify_reply(reply_code: int, reply_text: str) -> Outcome:
    """An SMTP reply: 2xx sent; 4xx temporary; 5xx permanent, by its enhanced status code."""
    text = reply_text.strip()
    if 200 <= reply_code < 300:
        return Outcome(ResultCode.MAIL_SENT, False, reply_code, text)
    enhanced = _ENHANCED.match(text)
    subject = int(enhanced[2]) if enhanced else None
    detail = int(enhanced[3]) if enhanced else None
    if 400 <= reply_code < 500:
        return Outcome(_match(TEMPORARY_RULES, subject, detail), True, reply_code, text)
    if 500 <= reply_code < 600:
        return Outcome(_match(PERMANENT_RULES, subject, detail), False, reply_code, text)
    return Outcome(ResultCode.UNDEFINED_ERROR, False, reply_code, text)


def classify_error(kind: str, detail: str) -> Outcome:
    """A failure without a reply (kind → code, temporary or final):

    refused          connection refused or reset, TLS or AUTH failed → CONNECTION_ABNORMAL, temp.
    timeout          no answer before the message was handed over → NETWORK_ABNORMAL, temporary
    disconnected     the peer closed before the message was handed over → CONNECTION_ABNORMAL, t.
    data_timeout     no reply after the whole message was sent → READ_TIMED_OUT, final (it may
                     have been delivered; sending it again could deliver it twice)
    data_disconnect  the peer closed after the whole message was sent → CONNECTION_ERROR, final
    encoding         non-ASCII address, server without SMTPUTF8 → UNSUPPORTED_ENCODING_ADDRESS
    mime             the message could not be built → MIME_MESSAGE_CREATE_FAIL
    empty_body       nothing to send as the body → EMPTY_BODY_CONTENT
    dkim             DKIM signing failed → DKIM_FAIL
    unknown          anything else → UNKNOWN_CAUSE_FAIL
    """
    table = {
        "refused": (ResultCode.CONNECTION_ABNORMAL, True),
        "timeout": (ResultCode.NETWORK_ABNORMAL, True),
        "disconnected": (ResultCode.CONNECTION_ABNORMAL, True),
        "data_timeout": (ResultCode.READ_TIMED_OUT, False),
        "data_disconnect": (ResultCode.CONNECTION_ERROR, False),
        "encoding": (ResultCode.UNSUPPORTED_ENCODING_ADDRESS, False),
        "mime": (ResultCode.MIME_MESSAGE_CREATE_FAIL, False),
        "empty_body": (ResultCode.EMPTY_BODY_CONTENT, False),
        "dkim": (ResultCode.DKIM_FAIL, False),
        "unknown": (ResultCode.UNKNOWN_CAUSE_FAIL, False),
    }
    code, temporary = table[kind]
    return Outcome(code, temporary, None, detail[:500])
