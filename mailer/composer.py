"""The console's Send mail: what the composer's form says becomes the body of a POST /mails and
goes through the same acceptance (mailer/acceptance.py), recorded with the tool CONSOLE and the
operator's address. This module only translates: the form's choices into the request, the
request's refusals back onto the form's fields, and the tags that still need values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from console.models import Project
from mailer import bulk_file
from mailer.acceptance import Accepted, accept
from mailer.mime import text_as_html
from mailer.models import BodyType, BulkSendFile, Template, Tool
from mailer.rules import Refused
from mailer.schemas import MailRequestIn
from mailer.substitution import CompiledText

INDIVIDUAL, GENERAL, FILE, GROUP = "individual", "general", "file", "group"
SEND_TYPES = (INDIVIDUAL, GENERAL, FILE, GROUP)

# The form field a refusal of acceptance is about, by the field it names first.
FIELD_OF = {
    "senderAddress": "sender_address", "senderName": "sender_name", "title": "title",
    "body": "body", "templateSid": "template", "attachFileIds": "attachments",
    "advertising": "classification", "unsubscribeMessage": "unsubscribe_message",
    "reservationUtc": "scheduled_at", "reservationDateTime": "scheduled_at",
    "recipientGroupFilter": "groups", "recipientGroupFilter.groups": "groups",
    "title/body": "body", "recipients": "recipients",
}


@dataclass
class Composition:
    """What the operator composed, as the form cleaned it."""

    project: Project
    template: Template | None
    sender_address: str = ""
    sender_name: str = ""
    title: str = ""
    body: str = ""
    body_type: str = BodyType.EDITOR
    advertising: bool = False
    use_basic_unsubscribe: bool = True
    unsubscribe_message: str = ""
    attach_file_ids: list[str] = field(default_factory=list)
    send_type: str = INDIVIDUAL
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    bulk: BulkSendFile | None = None
    groups: list[str] = field(default_factory=list)
    and_filter: bool = False
    scheduled_at: datetime | None = None
    review: bool = False
    parameters: dict[str, str] = field(default_factory=dict)

    def content(self) -> tuple[str, str]:
        """The subject and body that will be sent (the template's when one is used)."""
        if self.template is not None:
            return self.template.title, self.template.body
        return self.title, self.body

    def missing_tags(self) -> list[str]:
        """The ${tags} without a value yet: no common value, no column of the file."""
        title, body = self.content()
        tags = CompiledText.compile(title).user_tags() | CompiledText.compile(body).user_tags()
        columns = set(self.bulk.columns) if self.bulk is not None else set()
        return sorted(tags - set(self.parameters) - columns)

    def metadata_tags(self) -> list[str]:
        title, body = self.content()
        return sorted(CompiledText.compile(title).metadata_tags()
                      | CompiledText.compile(body).metadata_tags())

    def request_body(self) -> dict:
        """The POST /mails body of this composition."""
        body: dict = {"individual": self.send_type != GENERAL, "advertising": self.advertising,
                      "confirmAndSend": self.review, "attachFileIds": self.attach_file_ids,
                      "useBasicUnsubscribeMsg": self.use_basic_unsubscribe}
        if self.parameters:
            body["parameters"] = self.parameters
        if self.unsubscribe_message:
            body["unsubscribeMessage"] = self.unsubscribe_message
        if self.template is not None:
            body["templateSid"] = self.template.pk
        else:
            body.update(senderAddress=self.sender_address, senderName=self.sender_name,
                        title=self.title, body=text_as_html(self.body)
                        if self.body_type == BodyType.TEXT else self.body)
        if self.scheduled_at is not None:
            body["reservationUtc"] = int(self.scheduled_at.timestamp() * 1000)
        if self.send_type == GROUP:
            body["recipientGroupFilter"] = {"andFilter": self.and_filter, "groups": self.groups}
        elif self.send_type != FILE:  # a file's recipients go as checked (see send)
            body["recipients"] = (
                [{"address": a, "type": "R"} for a in self.to]
                + [{"address": a, "type": "C"} for a in self.cc]
                + [{"address": a, "type": "B"} for a in self.bcc])
        return body


def send(composition: Composition, *, user_id: int, requester_ip: str | None) -> Accepted:
    """Accept the composition exactly as POST /mails accepts a request (Refused otherwise)."""
    checked = None
    if composition.send_type == FILE and composition.bulk is not None:
        checked = bulk_file.checked_recipients(composition.bulk)
    return accept(composition.project, MailRequestIn.model_validate(composition.request_body()),
                  tool=Tool.CONSOLE, requester_ip=requester_ip, user_id=user_id,
                  checked=checked)


def field_of(refused: Refused, send_type: str) -> str | None:
    """Which form field a refusal of acceptance belongs beside (None: the whole form)."""
    name = str(refused).partition(":")[0].split(",")[0].strip()
    if name.startswith("recipients"):
        message = str(refused)
        if "(type C)" in message:
            return "cc"
        if "(type B)" in message:
            return "bcc"
        return {FILE: "bulk_file", GROUP: "groups"}.get(send_type, "recipients")
    return FIELD_OF.get(name)
