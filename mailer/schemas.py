"""The API's request and response shapes for mail (camelCase, like the cloud mailer)."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)

MAX_RECIPIENTS = 100_000


# Text that can be stored and sent. pydantic-core (in Rust, fast on 100,000 recipients) refuses
# lone surrogates by itself; the pattern refuses NUL, which PostgreSQL cannot store.
NO_NUL = r"^[^\x00]*$"
Text = Annotated[StrictStr, Field(pattern=NO_NUL)]
ParameterValue = Text | StrictInt | StrictFloat | StrictBool
Parameters = dict[Text, ParameterValue]


class In(BaseModel):
    """Request bodies: plain pydantic models, validated in Rust (ninja's Schema adds a Python
    validator per object, seconds for 100,000 recipients)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class RecipientIn(In):
    address: Annotated[Text, Field(max_length=320)]
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


class AttachFile(Schema):
    fileId: str
    fileName: str
    fileSize: int


class FilesOut(Schema):
    tempRequestId: str
    files: list[AttachFile]
