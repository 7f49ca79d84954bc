"""The built-in SMTP sink (aiosmtpd on loopback) and its mailbox simulator.

It accepts every message and files it in the Sandbox inbox (SandboxMessage), except for the
simulator addresses at SIMULATOR_DOMAIN, which give fixed outcomes:

| address            | outcome                                                              |
| ------------------ | -------------------------------------------------------------------- |
| success@           | 250, delivered                                                       |
| bounce@            | 550 5.1.1 at RCPT (unknown user)                                     |
| blocked@           | 554 5.7.1 at RCPT (policy / spam rejection)                          |
| tempfail@          | 451 4.3.0 at DATA the first time a Message-ID is seen, then 250;     |
|                    | tempfail+N@ fails N times first (tempfail+99@ never recovers soon)   |
| slow@              | the reply to DATA comes after SIMULATOR_SLOW_SECONDS (longer than   |
|                    | Outbound waits: READ_TIMED_OUT); slow+N@ after N seconds             |
| ooto@              | 250, and an out-of-office auto-reply lands in the inbox              |
| nxdomain@          | 550 5.1.2 at RCPT (the domain does not exist)                        |
| disconnect@        | the connection is closed after DATA, without a reply                 |

Any other address, at the simulator domain or elsewhere, is accepted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from email.utils import formatdate, make_msgid

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import close_old_connections, connection

from console.models import Project, SandboxMessage

logger = logging.getLogger(__name__)

DATA_SIZE_LIMIT = 40 * 1024 * 1024
WRITE_BATCH = 500


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    project_slug: str = ""
    subject: str = ""
    message_id: str = ""


@dataclass
class Outcome:
    """What the simulator decides for one recipient address."""

    rcpt_reply: str = "250 OK"
    data_delay: float = 0.0
    tempfail_times: int = 0
    auto_reply: bool = False
    disconnect: bool = False


_SIMULATOR_LOCAL = re.compile(r"^(?P<kind>[a-z]+)(?:\+(?P<n>\d+))?$")


def simulate(address: str) -> Outcome:
    local, _at, domain = address.rpartition("@")
    if domain.lower() != settings.SIMULATOR_DOMAIN:
        return Outcome()
    match = _SIMULATOR_LOCAL.match(local.lower())
    if not match:
        return Outcome()
    kind, n = match["kind"], match["n"]
    if kind == "bounce":
        return Outcome(rcpt_reply=f"550 5.1.1 <{address}>: Recipient address rejected: "
                                  "User unknown in virtual mailbox table")
    if kind == "blocked":
        return Outcome(rcpt_reply=f"554 5.7.1 <{address}>: Message rejected as spam "
                                  "or by local policy")
    if kind == "tempfail":
        return Outcome(tempfail_times=int(n) if n else 1)
    if kind == "slow":
        return Outcome(data_delay=float(n) if n else settings.SIMULATOR_SLOW_SECONDS)
    if kind == "ooto":
        return Outcome(auto_reply=True)
    if kind == "nxdomain":
        return Outcome(rcpt_reply=f"550 5.1.2 <{address}>: Recipient address rejected: "
                                  "Domain not found")
    if kind == "disconnect":
        return Outcome(disconnect=True)
    return Outcome()


class SandboxWriter:
    """Writes received messages to the database in batches from one thread; each SMTP session
    waits for its own message to be committed before it answers 250."""

    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue()
        self._projects: dict[str, int | None] = {}
        self._thread = threading.Thread(target=self._run, name="sandbox-writer", daemon=True)
        self._thread.start()

    async def save(self, messages: list[Received]) -> None:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._queue.put((messages, future, loop))
        await future

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)

    def _project_id(self, slug: str) -> int | None:
        if slug not in self._projects:
            self._projects[slug] = (
                Project.objects.filter(slug=slug).values_list("id", flat=True).first()
                if slug else None
            )
        return self._projects[slug]

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                break
            batch = [item]
            while len(batch) < WRITE_BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)
                    break
                batch.append(more)
            try:
                close_old_connections()
                rows = [
                    SandboxMessage(
                        project_id=self._project_id(m.project_slug),
                        mail_from=m.mail_from[:320],
                        rcpt_tos=m.rcpt_tos,
                        subject=m.subject[:1000],
                        message_id=m.message_id[:500],
                        size=len(m.raw),
                        raw=m.raw,
                    )
                    for messages, _future, _loop in batch
                    for m in messages
                ]
                SandboxMessage.objects.bulk_create(rows)
                error = None
            except Exception as exc:  # the sessions answer 451 and the sender retries
                logger.exception("could not store received mail")
                connection.close()
                error = exc
            for _messages, future, loop in batch:
                # A sink stopped meanwhile has closed its loop: nobody waits for the answer.
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(_settle, future, error)
        connection.close()


def _settle(future: asyncio.Future, error: Exception | None) -> None:
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


def with_pipelining(session, hostname: str, responses: list[str]) -> list[str]:
    """The EHLO reply offering RFC 2920 PIPELINING too: aiosmtpd reads commands in order from
    its stream, so a client may send MAIL, RCPT and DATA at once."""
    session.host_name = hostname
    return [*responses[:-1], "250-PIPELINING", responses[-1]]


@dataclass
class SinkHandler:
    """aiosmtpd handler: the simulator at RCPT and DATA, then storage (or only counting)."""

    store: bool = True
    writer: SandboxWriter | None = None
    tempfail_seen: Counter = field(default_factory=Counter)
    received_count: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        return with_pipelining(session, hostname, responses)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        outcome = simulate(address)
        if not outcome.rcpt_reply.startswith("250"):
            return outcome.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        outcomes = [simulate(rcpt) for rcpt in envelope.rcpt_tos]
        # The headers are read only when needed: counting (--no-store) stays cheap.
        needs_headers = self.store or any(o.tempfail_times for o in outcomes)
        headers = (BytesHeaderParser(policy=default_policy).parsebytes(raw) if needs_headers
                   else {})
        message_id = str(headers.get("Message-ID", "") or "")
        delay = max((o.data_delay for o in outcomes), default=0)
        if delay:
            await asyncio.sleep(delay)
        if any(o.disconnect for o in outcomes):
            server.transport.close()
            return "421 4.4.2 Closing the connection (simulator)"
        fail_times = max((o.tempfail_times for o in outcomes), default=0)
        if fail_times:
            key = message_id or str(hash(raw))
            if len(self.tempfail_seen) > 100_000:  # keep memory bounded in long runs
                self.tempfail_seen.clear()
            if self.tempfail_seen[key] < fail_times:
                self.tempfail_seen[key] += 1
                return "451 4.3.0 Temporary failure, please try again later (simulator)"
        self.received_count += 1
        if not self.store:
            return "250 Message accepted for delivery"
        received = Received(
            mail_from=envelope.mail_from or "",
            rcpt_tos=list(envelope.rcpt_tos),
            raw=raw,
            project_slug=str(headers.get(SandboxMessage.PROJECT_HEADER, "") or "").strip(),
            subject=str(headers.get("Subject", "") or ""),
            message_id=message_id,
        )
        batch = [received]
        for rcpt, outcome in zip(envelope.rcpt_tos, outcomes, strict=True):
            if outcome.auto_reply:
                batch.append(_auto_reply(rcpt, received))
        try:
            await self.writer.save(batch)
        except Exception:
            return "451 4.3.0 Could not store the message, try again later"
        return "250 Message accepted for delivery"


def _auto_reply(ooto_address: str, original: Received) -> Received:
    reply = EmailMessage()
    reply["From"] = ooto_address
    reply["To"] = original.mail_from
    reply["Subject"] = f"Automatic reply: {original.subject}"
    reply["Date"] = formatdate(localtime=True)
    reply["Message-ID"] = make_msgid(domain=settings.SIMULATOR_DOMAIN)
    reply["Auto-Submitted"] = "auto-replied"
    if original.message_id:
        reply["In-Reply-To"] = original.message_id
    if original.project_slug:
        reply[SandboxMessage.PROJECT_HEADER] = original.project_slug
    reply.set_content("I am out of the office and will answer when I am back. (simulator)")
    return Received(
        mail_from="",
        rcpt_tos=[original.mail_from],
        raw=reply.as_bytes(),
        project_slug=original.project_slug,
        subject=str(reply["Subject"]),
        message_id=str(reply["Message-ID"]),
    )


def start_sink(host: str, port: int, store: bool = True) -> Controller:
    """Start the sink in a background thread; stop it with stop_sink(controller)."""
    handler = SinkHandler(store=store, writer=SandboxWriter() if store else None)
    controller = Controller(
        handler,
        hostname=host,
        port=port,
        server_hostname="sink.outbound.test",
        data_size_limit=DATA_SIZE_LIMIT,
        enable_SMTPUTF8=True,
        ready_timeout=10,
    )
    controller.start()
    return controller


def stop_sink(controller: Controller) -> None:
    controller.stop()
    if controller.handler.writer is not None:
        controller.handler.writer.stop()
