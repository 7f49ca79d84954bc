"""RelayConnection over real SMTP on loopback, against scripted servers: every row of the
result-code table that SMTP can produce, with a relay that answers one command at a time and
with one that offers RFC 2920 PIPELINING (MAIL, RCPT and DATA sent at once)."""

from __future__ import annotations

import smtplib

import pytest

from mailer.result_codes import ResultCode as R
from mailer.smtp import RelayConnection, RelaySettings
from tests.factories import free_port
from tests.scripted_smtp import Script, ScriptedServer

MESSAGE = (b"From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\n"
           b"body\r\n.leading dot\r\n")


PIPELINING = False


@pytest.fixture(autouse=True, params=["one command at a time", "pipelined"])
def relay_mode(request, monkeypatch):
    monkeypatch.setattr(f"{__name__}.PIPELINING", request.param == "pipelined")
    return request.param


def _relay(port: int, timeout: float = 5) -> RelaySettings:
    return RelaySettings("127.0.0.1", port, False, False, "", "", timeout)


def _send(script: Script, recipients=("b@example.com",), timeout: float = 5, smtputf8=True,
          sender="a@example.com"):
    script.pipelining = PIPELINING
    with ScriptedServer(script, smtputf8=smtputf8) as server, \
            RelayConnection(_relay(server.port, timeout)) as connection:
        return connection.send(sender, list(recipients), MESSAGE), script


def test_it_delivers_and_reports_mail_sent():
    outcomes, script = _send(Script())
    assert outcomes["b@example.com"].code == R.MAIL_SENT
    assert outcomes["b@example.com"].reply_code == 250
    (_sender, recipients, data) = script.received[0]
    assert recipients == ["b@example.com"]
    assert b"\r\n.leading dot" in data  # dot-stuffing undone by the server


@pytest.mark.parametrize(("reply", "expected"), [
    ("550 5.1.1 User unknown", R.MAILBOX_ERROR),
    ("553 5.1.3 Bad address syntax", R.RECIPIENT_ADDRESS_ERROR),
    ("550 5.1.2 Bad destination domain", R.NONEXISTENT_DOMAIN_ADDRESS),
    ("552 5.2.2 Mailbox full", R.MAILBOX_ERROR),
    ("554 5.7.1 Rejected by policy", R.SECURITY_AND_POLICY_ERROR),
    ("550 Rejected", R.SMTP_ERROR),
])
def test_a_refused_recipient_gets_the_table_s_code(reply, expected):
    outcomes, _script = _send(Script(rcpt_replies={"b@example.com": reply}))
    assert outcomes["b@example.com"].code == expected
    assert not outcomes["b@example.com"].temporary


@pytest.mark.parametrize(("reply", "expected"), [
    ("451 4.7.1 Greylisted", R.SECURITY_AND_POLICY_ABNORMAL),
    ("452 4.2.2 Over quota", R.MAILBOX_ABNORMAL),
    ("450 Try later", R.SMTP_ABNORMAL),
])
def test_a_temporary_refusal_is_temporary(reply, expected):
    outcomes, _script = _send(Script(rcpt_replies={"b@example.com": reply}))
    assert outcomes["b@example.com"].code == expected
    assert outcomes["b@example.com"].temporary


def test_one_refused_recipient_does_not_stop_the_others():
    outcomes, script = _send(
        Script(rcpt_replies={"bad@example.com": "550 5.1.1 User unknown"}),
        recipients=["good@example.com", "bad@example.com"])
    assert outcomes["good@example.com"].code == R.MAIL_SENT
    assert outcomes["bad@example.com"].code == R.MAILBOX_ERROR
    assert script.received[0][1] == ["good@example.com"]


def test_a_data_refusal_applies_to_every_accepted_recipient():
    outcomes, _script = _send(Script(data_replies=["554 5.6.0 Content rejected"]),
                              recipients=["x@example.com", "y@example.com"])
    assert {o.code for o in outcomes.values()} == {R.MAIL_CONTENTS_ERROR}


def test_a_451_at_data_is_temporary():
    outcomes, _script = _send(Script(data_replies=["451 4.3.0 Try again"]))
    assert outcomes["b@example.com"].temporary


def test_a_refused_sender_refuses_everyone():
    outcomes, _script = _send(Script(mail_reply="553 5.7.1 Sender not allowed"))
    assert outcomes["b@example.com"].code == R.SECURITY_AND_POLICY_ERROR


def test_no_reply_after_data_is_read_timed_out_and_final():
    outcomes, _script = _send(Script(data_delay=3), timeout=0.5)
    assert outcomes["b@example.com"].code == R.READ_TIMED_OUT
    assert not outcomes["b@example.com"].temporary


def test_a_peer_closing_after_data_is_connection_error_and_final():
    outcomes, _script = _send(Script(disconnect_after_data=True))
    assert outcomes["b@example.com"].code == R.CONNECTION_ERROR
    assert not outcomes["b@example.com"].temporary


def test_a_relay_that_is_down_is_temporary():
    with RelayConnection(_relay(free_port())) as connection:
        outcomes = connection.send("a@example.com", ["b@example.com"], MESSAGE)
    assert outcomes["b@example.com"].code == R.CONNECTION_ABNORMAL
    assert outcomes["b@example.com"].temporary


def test_a_non_ascii_address_without_smtputf8_is_unsupported():
    outcomes, script = _send(Script(), recipients=["사용자@example.com", "b@example.com"],
                             smtputf8=False)
    assert outcomes["사용자@example.com"].code == R.UNSUPPORTED_ENCODING_ADDRESS
    assert outcomes["b@example.com"].code == R.MAIL_SENT
    assert script.received[0][1] == ["b@example.com"]


def test_a_non_ascii_address_goes_with_smtputf8():
    outcomes, script = _send(Script(), recipients=["사용자@example.com"])
    assert outcomes["사용자@example.com"].code == R.MAIL_SENT
    assert script.received[0][1] == ["사용자@example.com"]


def test_it_reuses_the_connection_for_many_mails():
    script = Script(pipelining=PIPELINING)
    with ScriptedServer(script) as server, RelayConnection(_relay(server.port)) as connection:
        for n in range(5):
            connection.send("a@example.com", [f"r{n}@example.com"], MESSAGE)
        assert connection.transactions == 5
    assert len(script.received) == 5


def test_it_reconnects_when_the_relay_dropped_an_idle_connection():
    script = Script(pipelining=PIPELINING)
    with ScriptedServer(script) as server, RelayConnection(_relay(server.port)) as connection:
        connection.send("a@example.com", ["one@example.com"], MESSAGE)
        connection.smtp.sock.close()  # as if the relay had closed it meanwhile
        outcomes = connection.send("a@example.com", ["two@example.com"], MESSAGE)
    assert outcomes["two@example.com"].code == R.MAIL_SENT
    assert [r[1] for r in script.received] == [["one@example.com"], ["two@example.com"]]


def test_every_recipient_refused_leaves_the_connection_usable():
    script = Script(rcpt_replies={"x@example.com": "550 5.1.1 User unknown",
                                  "y@example.com": "550 5.1.1 User unknown"},
                    pipelining=PIPELINING)
    with ScriptedServer(script) as server, RelayConnection(_relay(server.port)) as connection:
        refused = connection.send("a@example.com", ["x@example.com", "y@example.com"], MESSAGE)
        sent = connection.send("a@example.com", ["z@example.com"], MESSAGE)
        assert connection.smtp.has_extn("pipelining") == PIPELINING
    assert {o.code for o in refused.values()} == {R.MAILBOX_ERROR}
    assert sent["z@example.com"].code == R.MAIL_SENT
    assert [r[1] for r in script.received] == [["z@example.com"]]


# send_each: many mails on one connection; with PIPELINING the next mail's envelope goes out
# behind the previous message's final dot. Each outcome must be what send() gives today.

def _send_each(script: Script, mails: list[list[str]]):
    script.pipelining = PIPELINING
    with ScriptedServer(script) as server, RelayConnection(_relay(server.port)) as connection:
        outcomes = list(connection.send_each(
            "a@example.com", [(recipients, MESSAGE) for recipients in mails]))
    return outcomes, [r[1] for r in script.received]


def test_send_each_delivers_every_mail_in_order():
    outcomes, received = _send_each(Script(), [["one@example.com"], ["two@example.com"],
                                               ["three@example.com"]])
    assert [list(o) for o in outcomes] == [["one@example.com"], ["two@example.com"],
                                           ["three@example.com"]]
    assert {o.code for each in outcomes for o in each.values()} == {R.MAIL_SENT}
    assert received == [["one@example.com"], ["two@example.com"], ["three@example.com"]]


def test_a_refused_recipient_of_the_second_mail_fails_only_that_recipient():
    outcomes, received = _send_each(
        Script(rcpt_replies={"bad@example.com": "550 5.1.1 User unknown"}),
        [["one@example.com"], ["bad@example.com", "good@example.com"], ["three@example.com"]])
    assert outcomes[0]["one@example.com"].code == R.MAIL_SENT
    assert outcomes[1]["bad@example.com"].code == R.MAILBOX_ERROR
    assert outcomes[1]["good@example.com"].code == R.MAIL_SENT
    assert outcomes[2]["three@example.com"].code == R.MAIL_SENT
    assert received == [["one@example.com"], ["good@example.com"], ["three@example.com"]]


def test_a_4xx_to_the_second_mail_s_sender_is_that_mail_s_and_temporary():
    outcomes, received = _send_each(Script(mail_replies={1: "451 4.3.0 Try later"}),
                                    [["one@example.com"], ["two@example.com"],
                                     ["three@example.com"]])
    assert outcomes[0]["one@example.com"].code == R.MAIL_SENT
    assert outcomes[1]["two@example.com"].temporary
    assert outcomes[1]["two@example.com"].reply_code == 451
    assert outcomes[2]["three@example.com"].code == R.MAIL_SENT
    assert received == [["one@example.com"], ["three@example.com"]]


def test_a_disconnect_after_the_first_dot_is_final_for_it_only():
    outcomes, received = _send_each(Script(disconnect_at_data=0),
                                    [["one@example.com"], ["two@example.com"]])
    assert outcomes[0]["one@example.com"].code == R.CONNECTION_ERROR
    assert not outcomes[0]["one@example.com"].temporary
    # The second envelope (pipelined) went out unanswered: not handed over, sent anew once.
    assert outcomes[1]["two@example.com"].code == R.MAIL_SENT
    assert received == [["two@example.com"]]


def test_the_mail_after_a_disconnect_is_temporary_when_the_relay_is_gone():
    script = Script(disconnect_at_data=0, pipelining=PIPELINING)
    server = ScriptedServer(script).__enter__()
    with RelayConnection(_relay(server.port)) as connection:
        sent = connection.send_each("a@example.com", [(["one@example.com"], MESSAGE),
                                                      (["two@example.com"], MESSAGE)])
        first = next(sent)
        server.__exit__()
        second = next(sent)
    assert first["one@example.com"].code == R.CONNECTION_ERROR
    assert second["two@example.com"].code == R.CONNECTION_ABNORMAL
    assert second["two@example.com"].temporary


def test_a_connection_lost_before_the_second_envelope_is_answered_sends_it_anew():
    outcomes, received = _send_each(Script(disconnect_at_mail=1),
                                    [["one@example.com"], ["two@example.com"]])
    assert outcomes[0]["one@example.com"].code == R.MAIL_SENT
    assert outcomes[1]["two@example.com"].code == R.MAIL_SENT
    assert received == [["one@example.com"], ["two@example.com"]]


def test_stopping_send_each_midway_leaves_the_connection_usable():
    script = Script(pipelining=PIPELINING)
    with ScriptedServer(script) as server, RelayConnection(_relay(server.port)) as connection:
        sent = connection.send_each("a@example.com", [(["one@example.com"], MESSAGE),
                                                      (["two@example.com"], MESSAGE)])
        next(sent)
        sent.close()  # the second envelope may be out: that transaction is abandoned
        outcomes = connection.send("a@example.com", ["three@example.com"], MESSAGE)
    assert outcomes["three@example.com"].code == R.MAIL_SENT
    assert [r[1] for r in script.received] == [["one@example.com"], ["three@example.com"]]


def test_with_pipelining_each_mail_after_the_first_costs_one_write(monkeypatch):
    writes = []
    original = smtplib.SMTP.send
    monkeypatch.setattr(smtplib.SMTP, "send",
                        lambda self, data: writes.append(data) or original(self, data))
    outcomes, _received = _send_each(Script(), [["one@example.com"], ["two@example.com"],
                                                ["three@example.com"]])
    assert {o.code for each in outcomes for o in each.values()} == {R.MAIL_SENT}
    writes = [data for data in writes if isinstance(data, bytes)]  # not EHLO and QUIT
    if PIPELINING:  # the envelope, then each message's dot with the next envelope behind it
        assert len(writes) == 4
        assert writes[1].endswith(b".\r\nMAIL FROM:<a@example.com>\r\n"
                                  b"RCPT TO:<two@example.com>\r\nDATA\r\n")
