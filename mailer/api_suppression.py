"""The unsubscriber, send-block and config APIs (/unsubscribers, /send-block, /config)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import BaseModel, StrictInt, StrictStr

from console.api import ApiError, caller, date_object, parse_sort, spring_page
from console.models import Membership
from mailer import suppression
from mailer.models import MailerSettings, SendBlock, SendBlockHistory, Unsubscriber

unsubscribers = Router(tags=["unsubscribers"])
send_block = Router(tags=["send block"])
config = Router(tags=["config"])

MAX_ADDRESSES = 1000
UNSUBSCRIBER_SORT = {"blockDate": "created", "address": "address"}
HISTORY_SORT = {"requestDate": "created"}
SEND_BLOCK_TIME = "SEND_BLOCK_TIME"


def _moment(utc: int | None, text: str | None, name: str, time_zone: str) -> datetime | None:
    if text is not None and utc is None:
        try:
            naive = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
        except ValueError:
            raise ApiError(400, f"{name}DateTime: use the form yyyy-MM-dd HH:mm") from None
        return naive.replace(tzinfo=zoneinfo.ZoneInfo(time_zone))
    if utc is not None:
        try:
            return datetime.fromtimestamp(utc / 1000, tz=zoneinfo.ZoneInfo("UTC"))
        except (OverflowError, OSError, ValueError):
            raise ApiError(400, f"{name}Utc: not a valid time in epoch milliseconds") from None
    return None


class UnsubscriberFilters(Schema):
    page: int = 0
    size: int = 10
    sort: list[str] = Field(default_factory=list)
    address: str | None = None
    isRegByManager: bool | None = None
    startUtc: int | None = None
    startDateTime: str | None = None
    endUtc: int | None = None
    endDateTime: str | None = None


@unsubscribers.get("", summary="The project's unsubscribers")
def list_unsubscribers(request: HttpRequest, filters: Query[UnsubscriberFilters]) -> dict:
    project = caller(request).project
    rows = Unsubscriber.objects.filter(project=project)
    if filters.address:
        rows = rows.filter(address__contains=filters.address.strip().lower())
    if filters.isRegByManager is not None:
        rows = rows.filter(is_reg_by_manager=filters.isRegByManager)
    start = _moment(filters.startUtc, filters.startDateTime, "start", project.time_zone)
    end = _moment(filters.endUtc, filters.endDateTime, "end", project.time_zone)
    if start:
        rows = rows.filter(created__gte=start)
    if end:
        rows = rows.filter(created__lte=end)
    sort = parse_sort(filters.sort, UNSUBSCRIBER_SORT, [("blockDate", "DESC")])
    return spring_page(rows, filters.page, filters.size, sort, UNSUBSCRIBER_SORT, lambda row: {
        "address": row.address, "blockDate": date_object(row.created, project.time_zone),
        "isRegByManager": row.is_reg_by_manager})


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
    page: int = 0
    size: int = 10
    sort: list[str] = Field(default_factory=list)


@send_block.get("", summary="Send-block history, and whether an address is blocked")
def list_send_block(request: HttpRequest, filters: Query[SendBlockFilters]) -> dict:
    project = caller(request).project
    history = SendBlockHistory.objects.filter(project=project)
    target = (filters.targetAddress or "").strip().lower()
    if target:
        history = history.filter(address=target)
    sort = parse_sort(filters.sort, HISTORY_SORT, [("requestDate", "DESC")])
    page = spring_page(history, filters.page, filters.size, sort, HISTORY_SORT, lambda row: {
        "targetAddress": row.address, "actionType": row.action,
        "actionRequesterType": row.requester,
        "requestDate": date_object(row.created, project.time_zone),
        "sendResultCode": row.result_code or None,
        "sendResultMessage": row.reply_text or None, "historySid": row.pk})
    block = (SendBlock.objects.filter(project=project, address=target,
                                      blocked_until__gt=timezone.now()).first()
             if target else None)
    page["registerStatus"] = ("REGISTERED" if block else "UNREGISTERED") if target else None
    page["expectedDeleteDate"] = date_object(block.blocked_until, project.time_zone) \
        if block else None
    return page


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
