"""Rendering a request's mails: its content compiled once, each mail's message built for its
recipients. Used by delivery (the message sent) and by the reads and previews (subject and body
as a recipient gets them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.conf import settings

from console.models import SandboxMessage
from mailer import files
from mailer.domains import signer_for
from mailer.mime import EncodedAttachment, MessageParts, build_message, html_to_text
from mailer.models import MailerSettings, RecipientType, SendRequest
from mailer.result_codes import PENDING_CODES
from mailer.smtp import RelaySettings
from mailer.substitution import CompiledText, merged_parameters, metadata_values
from mailer.tracking import with_pixel
from mailer.unsubscribe import unsubscribe_footer, unsubscribe_message, unsubscribe_url


@dataclass
class ClaimedRecipient:
    pk: int
    address: str
    name: str
    type: str
    parameters: dict | None
    result_code: str
    attempts: int
    first_attempt_at: datetime | None
    possible_duplicate: bool

    @property
    def pending(self) -> bool:
        return self.result_code in PENDING_CODES


@dataclass
class ClaimedMail:
    pk: int
    seq: int
    attempts: int
    redelivered: bool
    sent_at: datetime | None
    recipients: list[ClaimedRecipient] = field(default_factory=list)
    request_pk: int | None = None

    @property
    def pending(self) -> list[ClaimedRecipient]:
        return [r for r in self.recipients if r.pending]


class RequestRenderer:
    """A request's content compiled once; renders each mail's message.

    Advertising mail gets the unsubscribe footer (unless the body places #{UNSUBSCRIBE_MESSAGE}
    itself) and the RFC 8058 List-Unsubscribe headers; an individual mail gets its recipient's
    tracking image; attachments are encoded once; mail from a sending domain is DKIM-signed.
    Mail to the built-in sink carries the project's slug, so the Sandbox inbox can file it;
    mail to a real relay does not (recipients must not learn the tenant's internal name).
    """

    def __init__(self, send_request: SendRequest, *, for_sending: bool = True,
                 mailer_settings: MailerSettings | None = None,
                 signers: dict[tuple[int, str], Callable[[bytes], bytes] | None] | None = None,
                 ) -> None:
        """`mailer_settings` and `signers` (a memo by project and sender, filled here) let the
        renderers of many requests share their lookups."""
        request = self.request = send_request
        self._mailer_settings = mailer_settings
        self.title = CompiledText.compile(request.title)
        self.parameters = request.parameters or {}
        self.headers = [("X-Outbound-Request-ID", request.request_id)]
        self.attachments: list[EncodedAttachment] = []
        self.sign = None
        if for_sending:
            if RelaySettings.from_settings().is_builtin_sink:
                self.headers.insert(0, (SandboxMessage.PROJECT_HEADER, request.project.slug))
            self.attachments = [
                EncodedAttachment.encode(f.file_name, f.content_type, files.read(f))
                for f in files.attachments_for(request.project, request.attach_file_ids)
            ]
            key = (request.project_id, request.sender_address)
            signers = {} if signers is None else signers
            if key not in signers:
                signers[key] = signer_for(*key)
            self.sign = signers[key]

    # The body and the footer when first needed: a list of mails previews only the titles.
    @cached_property
    def footer(self) -> str:
        request = self.request
        language = (self._mailer_settings or MailerSettings.for_project(request.project_id)
                    ).recipient_language
        return unsubscribe_footer(request.use_basic_unsubscribe_msg, request.unsubscribe_message,
                                  language)

    @cached_property
    def text_footer(self) -> str:
        return html_to_text(self.footer).strip()

    @cached_property
    def _body(self) -> str:
        body = self.request.body
        if self.request.advertising and "#{UNSUBSCRIBE_MESSAGE}" not in body:
            body = f"{body}\n#{{UNSUBSCRIBE_MESSAGE}}"
        return body

    @cached_property
    def html(self) -> CompiledText:
        return CompiledText.compile(self._body)

    @cached_property
    def text(self) -> CompiledText:
        return CompiledText.compile(html_to_text(self._body))

    def message_id(self, mail: ClaimedMail) -> str:
        return f"<{self.request.request_id}.{mail.seq}@{settings.MESSAGE_ID_DOMAIN}>"

    def values(self, recipient) -> tuple[dict[str, str], dict[str, str]]:
        """User and metadata tag values for a recipient (a general send has request values
        only)."""
        request = self.request
        if not request.individual or recipient is None:
            return self.parameters, {}
        url = unsubscribe_url(recipient.pk)
        metadata = metadata_values(
            recipient_name=recipient.name, recipient_address=recipient.address,
            sender_name=request.sender_name, sender_address=request.sender_address,
            unsubscribe_url=url, unsubscribe_message=unsubscribe_message(self.footer, url),
        )
        return merged_parameters(self.parameters, recipient.parameters), metadata

    def render(self, mail: ClaimedMail) -> bytes:
        """The message, signed if the sender's domain has a DKIM key (SigningFailed if that
        fails; Unresolved if a tag has no value)."""
        request = self.request
        to = [(r.name, r.address) for r in mail.recipients if r.type == RecipientType.TO]
        cc = [(r.name, r.address) for r in mail.recipients if r.type == RecipientType.CC]
        first = mail.recipients[0]
        user, metadata = self.values(first)
        html = self.html.render(user, metadata)
        headers = list(self.headers)
        if request.individual:
            html = with_pixel(html, first.pk)
            if request.advertising:
                headers += [("List-Unsubscribe", f"<{metadata['UNSUBSCRIBE_URL']}>"),
                            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
        text_metadata = metadata
        if "UNSUBSCRIBE_URL" in metadata:
            text_metadata = {**metadata, "UNSUBSCRIBE_MESSAGE": unsubscribe_message(
                self.text_footer, metadata["UNSUBSCRIBE_URL"])}
        parts = MessageParts(
            sender_address=request.sender_address, sender_name=request.sender_name,
            to=to, cc=cc, subject=self.title.render(user, metadata), html=html,
            text=self.text.render(user, text_metadata), message_id=self.message_id(mail),
            references=request.references_header, headers=headers,
            attachments=self.attachments,
        )
        message = build_message(parts)
        return self.sign(message) if self.sign else message

    def preview_title(self, recipient) -> str:
        if not self.title.has_tags:
            return self.request.title
        return self.title.render(*self.values(recipient), strict=False)

    def preview_body(self, recipient) -> str:
        return self.html.render(*self.values(recipient), strict=False)
