"""A scripted SMTP server (aiosmtpd on loopback) for tests that need replies the built-in
sink's simulator does not give."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from console.sink import with_pipelining
from tests.factories import free_port


@dataclass
class Script:
    """What the server answers. `data_replies` are used in turn, the last one repeating."""

    mail_reply: str | None = None
    rcpt_replies: dict[str, str] = field(default_factory=dict)
    data_replies: list[str] = field(default_factory=lambda: ["250 2.0.0 Ok"])
    data_delay: float = 0
    disconnect_after_data: bool = False
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    data_calls: int = 0
    pipelining: bool = False  # offer RFC 2920 PIPELINING in the EHLO reply
    # By the MAIL's or message's place among all the server saw (0 is the first):
    mail_replies: dict[int, str] = field(default_factory=dict)
    disconnect_at_mail: int | None = None  # close the connection on that MAIL, unanswered
    disconnect_at_data: int | None = None  # close it after that message, unanswered
    mail_calls: int = 0


class ScriptedHandler:
    def __init__(self, script: Script) -> None:
        self.script = script

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if self.script.pipelining:
            return with_pipelining(session, hostname, responses)
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        index = self.script.mail_calls
        self.script.mail_calls += 1
        if index == self.script.disconnect_at_mail:
            server.transport.close()
            return "250 never seen"
        if self.script.mail_reply or index in self.script.mail_replies:
            return self.script.mail_replies.get(index, self.script.mail_reply)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.script.rcpt_replies.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        script = self.script
        calls = script.data_calls
        index = min(calls, len(script.data_replies) - 1)
        script.data_calls += 1
        if script.data_delay:
            await asyncio.sleep(script.data_delay)
        if script.disconnect_after_data or calls == script.disconnect_at_data:
            server.transport.close()
            return "250 never seen"
        reply = script.data_replies[index]
        if reply.startswith("250"):
            script.received.append((envelope.mail_from, list(envelope.rcpt_tos),
                                    envelope.original_content or envelope.content))
        return reply


class ScriptedServer:
    def __init__(self, script: Script | None = None, smtputf8: bool = True) -> None:
        self.script = script or Script()
        self.port = free_port()
        self.controller = Controller(ScriptedHandler(self.script), hostname="127.0.0.1",
                                     port=self.port, enable_SMTPUTF8=smtputf8, ready_timeout=10)

    def __enter__(self) -> ScriptedServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
