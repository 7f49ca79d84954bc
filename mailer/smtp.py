"""SMTP delivery through the relay of EMAIL_URL, one reused connection per worker process
(`relay_connection`).

`RelayConnection.send` runs one transaction (MAIL, RCPT for each recipient, DATA) and returns an
Outcome per recipient: a refused RCPT fails only that recipient; the DATA reply applies to all the
accepted ones. Failures before the message is handed over are temporary; after it (no final
reply, or the peer closing) the message may have been delivered, so they are final.
`RelayConnection.send_each` does the same for many messages; with PIPELINING the next message's
envelope goes in the write of this one's final dot (RFC 2920), one round trip a mail.
"""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
import socket
import ssl
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings

from mailer.result_codes import Outcome, classify_error, classify_reply

logger = logging.getLogger(__name__)

_LEADING_DOT = re.compile(rb"(?m)^\.")
# Addresses were checked on acceptance; a line break or bracket would break the command line.
_UNSAFE_IN_PATH = re.compile(r"[\r\n<>]")


@dataclass(frozen=True)
class RelaySettings:
    host: str
    port: int
    use_tls: bool
    use_ssl: bool
    username: str
    password: str
    timeout: float
    ca_file: str = ""
    local_hostname: str | None = None

    @classmethod
    def from_settings(cls) -> RelaySettings:
        return cls(
            host=settings.EMAIL_HOST, port=settings.EMAIL_PORT,
            use_tls=settings.EMAIL_USE_TLS, use_ssl=settings.EMAIL_USE_SSL,
            username=settings.EMAIL_HOST_USER, password=settings.EMAIL_HOST_PASSWORD,
            timeout=settings.EMAIL_TIMEOUT or 30,
            ca_file=getattr(settings, "EMAIL_CA_FILE", ""),
        )

    def tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file or None)

    @property
    def is_builtin_sink(self) -> bool:
        """Whether mail goes to Outbound's own SMTP sink (the Sandbox inbox), not a real relay."""
        return (self.host, self.port) == (settings.SINK_HOST, settings.SINK_PORT)


@dataclass
class _Envelope:
    """What one transaction's MAIL and RCPTs carry: the recipients the relay can take, and the
    outcomes already decided for the others (non-ASCII without SMTPUTF8)."""

    sender: str
    recipients: list[str]
    options: list[str]
    encoding: str
    decided: dict[str, Outcome] = field(default_factory=dict)

    def commands(self) -> bytes | None:
        """MAIL, RCPT and DATA in one piece, for PIPELINING; None if an address cannot go on a
        command line."""
        if any(_UNSAFE_IN_PATH.search(a) for a in (self.sender, *self.recipients)):
            return None
        mail = " ".join([f"MAIL FROM:<{self.sender}>", *self.options])
        lines = [mail, *(f"RCPT TO:<{address}>" for address in self.recipients), "DATA"]
        return "".join(f"{line}\r\n" for line in lines).encode(self.encoding)


def _envelope_for(smtp: smtplib.SMTP, sender: str, recipients: list[str]) -> _Envelope:
    """The envelope of a message to `recipients` over this connection (SMTPUTF8 when needed
    and offered)."""
    utf8 = smtp.has_extn("smtputf8")
    needs_utf8 = not sender.isascii() or any(not a.isascii() for a in recipients)
    if needs_utf8 and not utf8:
        encoding = classify_error("encoding", "the relay does not offer SMTPUTF8")
        if not sender.isascii():
            return _Envelope(sender, [], [], "ascii", dict.fromkeys(recipients, encoding))
        decided = {a: encoding for a in recipients if not a.isascii()}
        return _Envelope(sender, [a for a in recipients if a.isascii()], [], "ascii", decided)
    if needs_utf8:
        return _Envelope(sender, recipients, ["SMTPUTF8", "BODY=8BITMIME"], "utf-8")
    return _Envelope(sender, recipients, [], "ascii")


class _Broken(Exception):
    """The connection failed; `outcome` is what the affected recipients get."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.reply_text)
        self.outcome = outcome


def _error_kind(error: BaseException, after_data: bool) -> str:
    # smtplib reports a read timeout as SMTPServerDisconnected raised while handling it.
    if isinstance(error, smtplib.SMTPServerDisconnected) and error.__context__ is not None:
        error = error.__context__
    if isinstance(error, socket.timeout | TimeoutError):
        return "data_timeout" if after_data else "timeout"
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionResetError | BrokenPipeError
                  | ConnectionAbortedError):
        return "data_disconnect" if after_data else "disconnected"
    return "refused"


def _text(message: bytes | str) -> str:
    if isinstance(message, bytes):
        return message.decode("utf-8", "replace")
    return message


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """SMTP AUTH with the best mechanism the relay offers, once: smtplib's login() tries the
    next mechanism after a refusal, which only delays the same answer."""
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    mechanism = next((m for m in ("CRAM-MD5", "PLAIN", "LOGIN") if m in offered), None)
    if mechanism is None:
        raise smtplib.SMTPNotSupportedError("the relay offers no AUTH mechanism we speak")
    smtp.user, smtp.password = username, password
    method = {"CRAM-MD5": smtp.auth_cram_md5, "PLAIN": smtp.auth_plain,
              "LOGIN": smtp.auth_login}[mechanism]
    smtp.auth(mechanism, method, initial_response_ok=True)


class RelayConnection:
    """A lazily opened, reused SMTP connection to the relay."""

    def __init__(self, relay: RelaySettings) -> None:
        self.relay = relay
        self.smtp: smtplib.SMTP | None = None
        self.transactions = 0

    def __enter__(self) -> RelayConnection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def _discard(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError):
                self.smtp.close()
            self.smtp = None

    def _open(self) -> smtplib.SMTP:
        relay = self.relay
        try:
            if relay.use_ssl:
                smtp = smtplib.SMTP_SSL(relay.host, relay.port, timeout=relay.timeout,
                                        local_hostname=relay.local_hostname,
                                        context=relay.tls_context())
            else:
                smtp = smtplib.SMTP(relay.host, relay.port, timeout=relay.timeout,
                                    local_hostname=relay.local_hostname)
            smtp.ehlo()
            if relay.use_tls:
                smtp.starttls(context=relay.tls_context())
                smtp.ehlo()
            if relay.username:
                _login(smtp, relay.username, relay.password)
        except smtplib.SMTPAuthenticationError as error:
            # Wrong relay credentials are the operator's to fix: keep the mail and retry.
            detail = f"the relay refused the login: {error.smtp_code} {_text(error.smtp_error)}"
            raise _Broken(classify_error("refused", detail)) from error
        except smtplib.SMTPResponseException as error:
            raise _Broken(classify_reply(error.smtp_code, _text(error.smtp_error))) from error
        except (OSError, smtplib.SMTPException) as error:
            kind = _error_kind(error, after_data=False)
            raise _Broken(classify_error(kind, f"{relay.host}:{relay.port}: {error}")) from error
        return smtp

    def send(self, sender: str, recipients: list[str], message: bytes) -> dict[str, Outcome]:
        """Deliver one message; an Outcome for each recipient address."""
        return self._attempt(sender, recipients, message, None, None)[0]

    def send_each(self, sender: str,
                  messages: Iterable[tuple[list[str], bytes]]) -> Iterator[dict[str, Outcome]]:
        """send() for each (recipients, message) in turn, yielding its outcomes in order. With
        PIPELINING the next message's MAIL, RCPT and DATA follow this one's final dot in the same
        write; a reply to them counts for the next message only, and a connection lost before
        they are answered leaves it unsent (temporary, tried again on a new connection)."""
        pending = iter(messages)
        current = next(pending, None)
        written: _Envelope | None = None  # current's envelope, sent after the previous dot
        try:
            while current is not None:
                following = next(pending, None)
                outcomes, written = self._attempt(
                    sender, *current, written, following[0] if following else None)
                yield outcomes
                current = following
        finally:
            if written is not None:
                # Stopped with an envelope out: the relay is in a transaction we will not end.
                self._discard()

    def _attempt(self, sender: str, recipients: list[str], message: bytes,
                 written: _Envelope | None, following: list[str] | None,
                 ) -> tuple[dict[str, Outcome], _Envelope | None]:
        reused = self.smtp is not None
        try:
            return self._transaction(sender, recipients, message, written, following)
        except _Broken as broken:
            self._discard()
            if reused and broken.outcome.temporary:
                # The relay may have closed an idle connection: try once on a fresh one.
                try:
                    return self._transaction(sender, recipients, message, None, following)
                except _Broken as again:
                    self._discard()
                    broken = again
            return dict.fromkeys(recipients, broken.outcome), None

    def _transaction(self, sender: str, recipients: list[str], message: bytes,
                     written: _Envelope | None = None, following: list[str] | None = None,
                     ) -> tuple[dict[str, Outcome], _Envelope | None]:
        """One message: its outcomes, and the envelope of `following` (the next message's
        recipients) if it went out after the final dot and the connection is still good."""
        if self.smtp is None:
            written = None  # went out on a connection that is gone
            self.smtp = self._open()
        smtp = self.smtp
        envelope = written or _envelope_for(smtp, sender, recipients)
        outcomes = dict(envelope.decided)
        if not envelope.recipients:
            return outcomes, None
        smtp.command_encoding = envelope.encoding
        pipelining = smtp.has_extn("pipelining")
        after = _envelope_for(smtp, sender, following) if pipelining and following else None
        ahead = after.commands() if after is not None and after.recipients else None
        try:
            if written is not None:
                accepted, refused = self._envelope_replies(smtp, envelope)
            elif pipelining:
                commands = envelope.commands()
                if commands is None:
                    raise smtplib.SMTPException("an address holds a character SMTP cannot carry")
                smtp.send(commands)
                accepted, refused = self._envelope_replies(smtp, envelope)
            else:
                accepted, refused = self._envelope(smtp, sender, envelope.recipients,
                                                   envelope.options)
            outcomes.update(refused)
            if not accepted:
                return outcomes, None
            payload = _LEADING_DOT.sub(b"..", message)
            if not payload.endswith(b"\r\n"):
                payload += b"\r\n"
            smtp.send(payload + b".\r\n" + (ahead or b""))
        except smtplib.SMTPResponseException as error:
            raise _Broken(classify_reply(error.smtp_code, _text(error.smtp_error))) from error
        except (OSError, smtplib.SMTPException) as error:
            raise _Broken(classify_error(_error_kind(error, after_data=False), str(error))) \
                from error
        # The whole message is out: from here a failure may hide a delivery.
        try:
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPException) as error:
            self._discard()
            final = classify_error(_error_kind(error, after_data=True),
                                   f"no reply after DATA: {error}")
            return {**outcomes, **dict.fromkeys(accepted, final)}, None
        self.transactions += 1
        result = classify_reply(code, _text(reply))
        return {**outcomes, **dict.fromkeys(accepted, result)}, after if ahead else None

    def _envelope(self, smtp: smtplib.SMTP, sender: str, recipients: list[str],
                  options: list[str]) -> tuple[list[str], dict[str, Outcome]]:
        """MAIL, each RCPT and DATA, one reply at a time: (the recipients the relay accepted,
        the outcomes of those it refused). The relay is ready for the message if any was
        accepted."""
        code, reply = smtp.mail(sender, options)
        if code != 250:
            self._reset()
            return [], dict.fromkeys(recipients, classify_reply(code, _text(reply)))
        accepted, refused = [], {}
        for address in recipients:
            code, reply = smtp.rcpt(address)
            if code in (250, 251):
                accepted.append(address)
            else:
                refused[address] = classify_reply(code, _text(reply))
        if not accepted:
            self._reset()
            return [], refused
        code, reply = smtp.docmd("data")
        if code != 354:
            self._reset()
            return [], {**refused, **dict.fromkeys(accepted, classify_reply(code, _text(reply)))}
        return accepted, refused

    def _envelope_replies(self, smtp: smtplib.SMTP,
                          envelope: _Envelope) -> tuple[list[str], dict[str, Outcome]]:
        """The replies to a pipelined MAIL, RCPTs and DATA, read in order: the same as
        `_envelope` in one round trip instead of one a command."""
        recipients = envelope.recipients
        mail_code, mail_reply = smtp.getreply()
        replies = [smtp.getreply() for _address in recipients]
        data_code, data_reply = smtp.getreply()
        if mail_code != 250:
            refused = dict.fromkeys(recipients, classify_reply(mail_code, _text(mail_reply)))
        else:
            refused = {address: classify_reply(code, _text(reply))
                       for address, (code, reply) in zip(recipients, replies, strict=True)
                       if code not in (250, 251)}
        accepted = [address for address in recipients if address not in refused]
        if data_code == 354 and not accepted:
            smtp.send(b".\r\n")  # the relay wants a message all the same: an empty one
            smtp.getreply()
        if data_code != 354 or not accepted:
            self._reset()
            if data_code != 354:
                refused.update(dict.fromkeys(accepted, classify_reply(data_code,
                                                                      _text(data_reply))))
            return [], refused
        return accepted, refused

    def _reset(self) -> None:
        try:
            self.smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._discard()



_connections: dict[RelaySettings, RelayConnection] = {}


def relay_connection() -> RelayConnection:
    """This process's connection to the relay, opened on first use and kept for the next mails
    (a new one when the relay settings changed)."""
    relay = RelaySettings.from_settings()
    connection = _connections.get(relay)
    if connection is None:
        for old in _connections.values():
            old.close()
        _connections.clear()
        connection = _connections[relay] = RelayConnection(relay)
    return connection
