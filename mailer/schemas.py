"""The API's request and response shapes for mail (camelCase, like the cloud mailer)."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)

MAX_RECIPIENTS = 100_000


def _valid_text(value: str) -> str:
    """Text that can be stored and sent: valid Unicode, no NUL characters."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("is not valid Unicode (a lone surrogate)") from None
    return value


Text = Annotated[StrictStr, AfterValidator(_valid_text)]
ParameterValue = Text | StrictInt | StrictFloat | StrictBool
Parameters = dict[Annotated[str, AfterValidator(_valid_text)], ParameterValue]


class In(Schema):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class RecipientIn(In):
    address: Text = Field(max_length=320)
    name: Text | None = Field(default=None)
    type: Literal["R", "C", "B"] = "R"
    parameters: Parameters | None = None


class RecipientGroupFilterIn(In):
    andFilter: StrictBool = False
    groups: list[Annotated[Text, Field(min_length=1, max_length=100)]] = Field(
        min_length=1, max_length=5)


class MailRequestIn(In):
    senderAddress: Text | None = None
    senderName: Text | None = None
    templateSid: StrictInt | None = None
    title: Text | None = None
    body: Text | None = None
    individual: StrictBool = True
    confirmAndSend: StrictBool = False
    advertising: StrictBool = False
    parameters: Parameters | None = None
    referencesHeader: Text | None = None
    reservationUtc: StrictInt | None = None
    reservationDateTime: Text | None = None
    attachFileIds: list[Text] | None = Field(default=None, max_length=100)
    recipients: list[RecipientIn] | None = Field(default=None, max_length=MAX_RECIPIENTS)
    recipientGroupFilter: RecipientGroupFilterIn | None = None
    useBasicUnsubscribeMsg: StrictBool = True
    unsubscribeMessage: Text | None = None


class MailRequestOut(Schema):
    requestId: str
    count: int
