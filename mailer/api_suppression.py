"""The unsubscriber, send-block and config APIs (/unsubscribers, /send-block, /config)."""

# No `from __future__ import annotations` here: ninja reads the annotations of paginated views
# in the namespace of its pagination module, where string annotations do not resolve.

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Answer
from pydantic import BaseModel, StrictInt, StrictStr

from addressbook.addresses import normalise_address
from console.api import (
    ApiError,
    DateOut,
    EpochMillis,
    LabelledCode,
    SpringPagination,
    caller,
    caller_time_zone,
    date_object,
    within_epoch_range,
)
from console.models import Membership
from mailer import suppression
from mailer.models import MailerSettings, SendBlock, SendBlockHistory, Unsubscriber
from mailer.rules import Refused, parse_moment

unsubscribers = Router(tags=["unsubscribers"])
send_block = Router(tags=["send block"])
config = Router(tags=["config"])

MAX_ADDRESSES = 1000
UNSUBSCRIBER_SORT = {"blockDate": "created", "createUtc": "created", "address": "address"}
HISTORY_SORT = {"createUtc": "created"}
SEND_BLOCK_TIME = "SEND_BLOCK_TIME"


def _moment(utc: int | None, text: str | None, name: str, time_zone: str) -> datetime | None:
    try:
        moment = parse_moment(utc, text, time_zone, name)
    except Refused as refused:
        raise ApiError(400, str(refused)) from None
    # The Utc form is bounded by its schema already.
    return None if moment is None else within_epoch_range(moment, f"{name}DateTime")


class UnsubscriberFilters(Schema):
    emailAddress: str | None = None
    isRegByManager: bool | None = None
    startUtc: EpochMillis | None = None
    startDateTime: str | None = None
    endUtc: EpochMillis | None = None
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
    if filters.emailAddress:
        rows = rows.filter(address__contains=normalise_address(filters.emailAddress))
    if filters.isRegByManager is not None:
        rows = rows.filter(is_reg_by_manager=filters.isRegByManager)
    start = _moment(filters.startUtc, filters.startDateTime, "start", project.time_zone)
    end = _moment(filters.endUtc, filters.endDateTime, "end", project.time_zone)
    if start:
        rows = rows.filter(created__gte=start)
    if end:
        rows = rows.filter(created__lte=end)
    return rows


class BlockedReceiversIn(BaseModel):
    blockedReceivers: list[StrictStr] = Field(min_length=1, max_length=MAX_ADDRESSES)


class ChangedOut(Schema):
    count: int
    requestCount: int
    ignoreCount: int


@unsubscribers.post("", response={201: ChangedOut}, summary="Add unsubscribers by hand")
def add_unsubscribers(request: HttpRequest, payload: BlockedReceiversIn) -> Answer:
    project = caller(request, Membership.Role.ADMIN).project
    return Answer(201, suppression.add_unsubscribers(project, payload.blockedReceivers).as_api())


@unsubscribers.delete("", response=ChangedOut, summary="Remove unsubscribers")
def remove_unsubscribers(request: HttpRequest, payload: BlockedReceiversIn) -> dict:
    project = caller(request, Membership.Role.ADMIN).project
    return suppression.remove_unsubscribers(project, payload.blockedReceivers).as_api()


class SendBlockFilters(Schema):
    targetAddress: str = Field(min_length=1, max_length=320)


class HistoryOut(Schema):
    targetAddress: str
    actionType: LabelledCode
    actionRequesterType: LabelledCode
    requestDate: DateOut
    sendResultCode: str | None
    sendResultMessage: str | None
    historySid: int

    @staticmethod
    def resolve_targetAddress(obj: SendBlockHistory) -> str:
        return obj.address

    @staticmethod
    def resolve_actionType(obj: SendBlockHistory) -> dict:
        action = SendBlockHistory.Action(obj.action)
        return {"label": str(action.label), "code": action.value}

    @staticmethod
    def resolve_actionRequesterType(obj: SendBlockHistory, context) -> dict:
        requester = obj.requester_type(context["request"].auth.project.pk)
        return {"label": str(requester.label), "code": requester.value}

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
        registerStatus: str
        expectedDeleteDate: DateOut | None

    def paginate_queryset(self, queryset, pagination, request: HttpRequest, **params) -> dict:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        project = caller(request).project
        target = normalise_address(params["filters"].targetAddress)
        block = SendBlock.objects.filter(address=target, blocked_until__gt=timezone.now()).first()
        page["registerStatus"] = str(_("Blocked") if block else _("Not blocked"))
        page["expectedDeleteDate"] = (date_object(block.blocked_until, project.time_zone)
                                      if block else None)
        return page


@send_block.get("", response=list[HistoryOut],
                summary="Send-block history, and whether an address is blocked")
@paginate(SendBlockPagination, sort_fields=HISTORY_SORT, default_sort=[("createUtc", "DESC")])
def list_send_block(request: HttpRequest, filters: Query[SendBlockFilters]):
    """The list is shared by every project: the history of the address, whoever caused it."""
    caller(request)
    return SendBlockHistory.objects.filter(address=normalise_address(filters.targetAddress))


class ConfigIn(BaseModel):
    type: StrictStr
    subType: StrictStr | None = None
    value: StrictStr | StrictInt
    unit: Literal["DAY", "HOUR"] = "HOUR"


class ConfigOut(Schema):
    type: str
    subType: int | None
    value: str


def _config_answer(project) -> dict:
    """The value in hours, whatever unit it was set in."""
    hours = MailerSettings.for_project(project.pk).send_block_hours
    return {"type": SEND_BLOCK_TIME, "subType": None, "value": str(hours)}


@config.post("", response=ConfigOut,
             summary="Change a setting (SEND_BLOCK_TIME: at least 168 hours or 7 days)")
def set_config(request: HttpRequest, payload: ConfigIn) -> dict:
    project = caller(request, Membership.Role.ADMIN).project
    if payload.type != SEND_BLOCK_TIME:
        raise _unknown_setting(payload.type)
    try:
        amount = int(str(payload.value).strip())
    except ValueError:
        raise ApiError(400, "value: " + (_("a whole number of days") if payload.unit == "DAY"
                                         else _("a whole number of hours"))) from None
    try:
        suppression.set_send_block_hours(project, amount * (24 if payload.unit == "DAY" else 1))
    except ValueError as problem:
        raise ApiError(400, f"value: {problem}") from None
    return _config_answer(project)


def _unknown_setting(given: str) -> ApiError:
    return ApiError(400, "type: " + _("unknown setting %(given)s; use %(setting)s")
                    % {"given": repr(given), "setting": SEND_BLOCK_TIME})


@config.get("", response=ConfigOut, summary="Read a setting")
def get_config(request: HttpRequest, type: str, subType: str | None = None) -> dict:
    project = caller(request).project
    if type != SEND_BLOCK_TIME:
        raise _unknown_setting(type)
    return _config_answer(project)
