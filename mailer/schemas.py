"""The API's request and response shapes for mail (camelCase, like the cloud mailer)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, NotRequired

from ninja import Schema
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetPydanticSchema,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)
from pydantic_core import core_schema
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from console.api import Out

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


# A dict, not a model: 100,000 model instances take twice as long to validate. (No docstring:
# it would become the OpenAPI document's description.)
class RecipientIn(TypedDict):
    __pydantic_config__ = ConfigDict(extra="ignore")
    address: Annotated[Text, Field(max_length=320)]
    name: NotRequired[Annotated[Text | None, Field(default=None)]]
    type: NotRequired[Annotated[Literal["R", "C", "B"], Field(default="R")]]
    parameters: NotRequired[Annotated[Parameters | None, Field(default=None)]]


def _refused_as_a_model(source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
    """The TypedDict's schema, refusing what is not a mapping with the error a model gives."""
    schema = handler(source)
    # dict first: isinstance(…, Mapping) in Python costs 40 ms for 100,000 recipients
    mapping = core_schema.union_schema(
        [core_schema.is_instance_schema(dict), core_schema.is_instance_schema(Mapping)],
        mode="left_to_right")
    is_mapping = core_schema.custom_error_schema(
        mapping, "model_type", custom_error_context={"class_name": source.__name__})
    return core_schema.json_or_python_schema(
        json_schema=schema, python_schema=core_schema.chain_schema([is_mapping, schema]))


Recipient = Annotated[RecipientIn, GetPydanticSchema(_refused_as_a_model)]


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
    recipients: list[Recipient] | None = Field(default=None, max_length=MAX_RECIPIENTS)
    recipientGroupFilter: RecipientGroupFilterIn | None = None
    useBasicUnsubscribeMsg: StrictBool = True
    unsubscribeMessage: Text | None = None


class MailRequestOut(Out):
    requestId: str
    count: int


class AttachFile(Schema):
    fileId: str
    fileName: str
    fileSize: int


class FilesOut(Schema):
    tempRequestId: str
    files: list[AttachFile]
