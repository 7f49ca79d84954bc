"""The unsubscriber, send-block and config APIs (/unsubscribers, /send-block, /config)."""

# No `from __future__ import annotations` here: ninja reads the annotations of paginated views
# in the namespace of its pagination module, where string annotations do not resolve.

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Answer
from pydantic import BaseModel, StrictInt, StrictStr

from addressbook.addresses import normalise_address
from console.api import ApiError, DateOut, SpringPagination, caller, caller_time_zone, date_object
from console.models import Membership
from mailer import suppression
from mailer.models import MailerSettings, SendBlock, SendBlockHistory, Unsubscriber
from mailer.rules import Refused, parse_moment

unsubscribers = Router(tags=["unsubscribers"])
send_block = Router(tags=["send block"])
config = Router(tags=["config"])

MAX_ADDRESSES = 1000
UNSUBSCRIBER_SORT = {"blockDate": "created", "address": "address"}
HISTORY_SORT = {"requestDate": "created"}
SEND_BLOCK_TIME = "SEND_BLOCK_TIME"


def _moment(utc: int | None, text: str | None, name: str, time_zone: str) -> datetime | None:
    try:
        return parse_moment(utc, text, time_zone, name)
    except Refused as refused:
        raise ApiError(400, str(refused)) from None


class UnsubscriberFilters(Schema):
    address: str | None = None
    isRegByManager: bool | None = None
    startUtc: int | None = None
    startDateTime: str | None = None
    endUtc: int | None = None
    endDateTime: str | None = None


class UnsubscriberOut(Schema):
    address: str
    blockDate: DateOut
    isRegByManager: bool

    @staticmethod
    def resolve_blockDate(obj: Unsubscriber, context) -> dict:
        return date_object(obj.created, caller_time_zone(context))

    @staticmethod
    def resolve_isRegByManager(obj: Unsubscriber) -> bool:
        return obj.is_reg_by_manager


@unsubscribers.get("", response=list[UnsubscriberOut], summary="The project's unsubscribers")
@paginate(SpringPagination, sort_fields=UNSUBSCRIBER_SORT, default_sort=[("blockDate", "DESC")])
def list_unsubscribers(request: HttpRequest, filters: Query[UnsubscriberFilters]):
    project = caller(request).project
    rows = Unsubscriber.objects.filter(project=project)
    if filters.address:
        rows = rows.filter(address__contains=normalise_address(filters.address))
    if filters.isRegByManager is not None:
        rows = rows.filter(is_reg_by_manager=filters.isRegByManager)
    start = _moment(filters.startUtc, filters.startDateTime, "start", project.time_zone)
    end = _moment(filters.endUtc, filters.endDateTime, "end", project.time_zone)
    if start:
        rows = rows.filter(created__gte=start)
    if end:
        rows = rows.filter(created__lte=end)
    return rows


class AddressesIn(BaseModel):
    addresses: list[StrictStr] = Field(min_length=1, max_length=MAX_ADDRESSES)


@unsubscribers.post("", response={201: dict}, summary="Add unsubscribers by hand")
def add_unsubscribers(request: HttpRequest, payload: AddressesIn) -> Answer:
    project = caller(request, Membership.Role.ADMIN).project
    return Answer(201, suppression.add_unsubscribers(project, payload.addresses).as_api())


@unsubscribers.delete("", summary="Remove unsubscribers")
def remove_unsubscribers(request: HttpRequest, payload: AddressesIn) -> dict:
    project = caller(request, Membership.Role.ADMIN).project
    return suppression.remove_unsubscribers(project, payload.addresses).as_api()


class SendBlockFilters(Schema):
    targetAddress: str | None = None


class HistoryOut(Schema):
    targetAddress: str
    actionType: str
    actionRequesterType: str
    requestDate: DateOut
    sendResultCode: str | None
    sendResultMessage: str | None
    historySid: int

    @staticmethod
    def resolve_targetAddress(obj: SendBlockHistory) -> str:
        return obj.address

    @staticmethod
    def resolve_actionType(obj: SendBlockHistory) -> str:
        return obj.action

    @staticmethod
    def resolve_actionRequesterType(obj: SendBlockHistory) -> str:
        return obj.requester

    @staticmethod
    def resolve_requestDate(obj: SendBlockHistory, context) -> dict:
        return date_object(obj.created, caller_time_zone(context))

    @staticmethod
    def resolve_sendResultCode(obj: SendBlockHistory) -> str | None:
        return obj.result_code or None

    @staticmethod
    def resolve_sendResultMessage(obj: SendBlockHistory) -> str | None:
        return obj.reply_text or None

    @staticmethod
    def resolve_historySid(obj: SendBlockHistory) -> int:
        return obj.pk


class SendBlockPagination(SpringPagination):
    """The history page, and whether the address asked about is blocked now."""

    class Output(SpringPagination.Output):
        registerStatus: Literal["REGISTERED", "UNREGISTERED"] | None
        expectedDeleteDate: DateOut | None

    def paginate_queryset(self, queryset, pagination, request: HttpRequest, **params) -> dict:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        project = caller(request).project
        target = normalise_address(params["filters"].targetAddress or "")
        block = (SendBlock.objects.filter(project=project, address=target,
                                          blocked_until__gt=timezone.now()).first()
                 if target else None)
        page["registerStatus"] = ("REGISTERED" if block else "UNREGISTERED") if target else None
        page["expectedDeleteDate"] = (date_object(block.blocked_until, project.time_zone)
                                      if block else None)
        return page


@send_block.get("", response=list[HistoryOut],
                summary="Send-block history, and whether an address is blocked")
@paginate(SendBlockPagination, sort_fields=HISTORY_SORT, default_sort=[("requestDate", "DESC")])
def list_send_block(request: HttpRequest, filters: Query[SendBlockFilters]):
    history = SendBlockHistory.objects.filter(project=caller(request).project)
    target = normalise_address(filters.targetAddress or "")
    if target:
        history = history.filter(address=target)
    return history


class ConfigIn(BaseModel):
    type: StrictStr
    subType: StrictStr | None = None
    value: StrictStr | StrictInt


def _config_answer(project) -> dict:
    hours = MailerSettings.for_project(project.pk).send_block_hours
    return {"type": SEND_BLOCK_TIME, "subType": None, "value": str(hours)}


@config.post("", summary="Change a setting (SEND_BLOCK_TIME, in hours, at least 168)")
def set_config(request: HttpRequest, payload: ConfigIn) -> dict:
    project = caller(request, Membership.Role.ADMIN).project
    if payload.type != SEND_BLOCK_TIME:
        raise ApiError(400, f"type: unknown setting {payload.type!r}; use {SEND_BLOCK_TIME}")
    try:
        hours = int(str(payload.value).strip())
        suppression.set_send_block_hours(project, hours)
    except ValueError as problem:
        raise ApiError(400, f"value: {problem}" if "send-block" in str(problem)
                       else "value: a whole number of hours") from None
    return _config_answer(project)


@config.get("", summary="Read a setting")
def get_config(request: HttpRequest, type: str) -> dict:
    project = caller(request).project
    if type != SEND_BLOCK_TIME:
        raise ApiError(400, f"type: unknown setting {type!r}; use {SEND_BLOCK_TIME}")
    return _config_answer(project)
