"""The mail API: POST /mails and the request / mail read endpoints (/api/v1/mails…)."""

# No `from __future__ import annotations` here: ninja reads the annotations of paginated views
# in the namespace of its pagination module, where string annotations do not resolve.

import functools
from collections.abc import Iterable
from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from console.api import (
    ApiError,
    DateOut,
    EpochMillis,
    LabelledCode,
    Listing,
    NotFound,
    Out,
    Sid,
    SpringPagination,
    caller,
    date_object,
    split_list,
    within_epoch_range,
)
from console.models import Membership
from mailer import api_labels, lifecycle
from mailer.acceptance import accept
from mailer.api_labels import labelled
from mailer.models import (
    AttachmentFile,
    Mail,
    Recipient,
    RecipientType,
    Reservation,
    SendRequest,
    Status,
    Tool,
    format_mail_id,
    parse_mail_id,
)
from mailer.rendering import RequestRenderer
from mailer.request_counts import requests_in_period
from mailer.result_codes import ResultCode
from mailer.rules import Refused, parse_moment
from mailer.schemas import AttachFile, MailRequestIn, MailRequestOut

router = Router(tags=["mail"])

REQUEST_SORT = {"createUtc": "created", "requestDate": "created", "sendDate": "send_started_at",
                "requestId": "request_id", "reservationDate": "reservation_at"}
# getMailList: id (the mail ID), createUtc, statusCode.
MAIL_SORT = {"id": "seq", "createUtc": "seq", "statusCode": "status"}
MAIL_STATUSES = [s for s in Status.values if s != Status.PREPARING]


def email_status(code: str) -> dict:
    """EmailStatus {label, code}, the label in the language of x-ncp-lang."""
    return labelled(api_labels.EMAIL_STATUS, code)


def email_statuses(codes: Iterable[str]) -> dict[str, dict]:
    """email_status of each code, once a code: for the rows of a page."""
    return {code: email_status(code) for code in set(codes)}


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@router.post("", response={201: MailRequestOut}, summary="Request a mail send")
def post_mails(request: HttpRequest, payload: MailRequestIn) -> Answer:
    who = caller(request, Membership.Role.SENDER)
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= 255:
        raise ApiError(400, "Idempotency-Key: " + _("1 to %(max)d characters") % {"max": 255})
    try:
        accepted = accept(who.project, payload, tool=Tool.API, requester_ip=_client_ip(request),
                          user_id=who.key.user_id, api_key=who.key, idempotency_key=key)
    except Refused as refused:
        raise ApiError(400, str(refused), refused.code) from None
    return Answer(201, accepted.response())


class RequestFilters(Schema):
    startUtc: EpochMillis | None = None
    startDateTime: str | None = None
    endUtc: EpochMillis | None = None
    endDateTime: str | None = None
    requestId: str | None = None
    mailId: str | None = None
    dispatchType: str | None = None
    title: str | None = None
    templateSid: Sid | None = None
    senderAddress: str | None = None
    recipientAddress: str | None = None
    sendStatus: list[str] = Field(default_factory=list)


def _moment(utc: int | None, text: str | None, name: str, time_zone: str) -> datetime:
    """{name}Utc or {name}DateTime, one of them required."""
    try:
        moment = parse_moment(utc, text, time_zone, name)
    except Refused as refused:
        raise ApiError(400, str(refused)) from None
    if moment is None:
        raise ApiError(400, _("%(utc)s or %(text)s: one of them is required")
                       % {"utc": f"{name}Utc", "text": f"{name}DateTime"})
    return within_epoch_range(moment, f"{name}DateTime")  # the Utc form is bounded already


def _statuses(values: list[str], allowed: list[str] = Status.values) -> list[str]:
    statuses = split_list(values)
    unknown = [s for s in statuses if s not in allowed]
    if unknown:
        raise ApiError(400, "sendStatus: " + _("unknown status %(given)s; use %(allowed)s")
                       % {"given": repr(unknown[0]), "allowed": ", ".join(allowed)})
    return statuses


def _filter_requests(project, filters: RequestFilters
                     ) -> tuple[QuerySet[SendRequest], tuple[datetime, datetime] | None]:
    """The requests the filters ask for, and their period when nothing but the period narrows
    them (so that they can be counted by the hour: mailer.request_counts)."""
    start = _moment(filters.startUtc, filters.startDateTime, "start", project.time_zone)
    end = _moment(filters.endUtc, filters.endDateTime, "end", project.time_zone)
    if end < start:
        raise ApiError(400, "end: " + _("the end of the period is before its start"))
    in_period = SendRequest.objects.filter(project=project, created__gte=start,
                                           created__lte=end)
    requests = in_period
    if filters.requestId:
        requests = requests.filter(request_id=filters.requestId.strip())
    if filters.mailId:
        parsed = parse_mail_id(filters.mailId.strip())
        if parsed is None:
            raise ApiError(400, "mailId: " + _("not a mail ID"))
        requests = requests.filter(request_id=parsed[0])
    if filters.dispatchType:
        tool = filters.dispatchType.strip().upper()
        if tool not in Tool.values:
            raise ApiError(400, "dispatchType: " + _("%(console)s or %(api)s")
                           % {"console": Tool.CONSOLE.value, "api": Tool.API.value})
        requests = requests.filter(tool=tool)
    if filters.title:
        requests = requests.filter(title__icontains=filters.title)
    if filters.templateSid is not None:
        requests = requests.filter(template_id=filters.templateSid)
    if filters.senderAddress:
        requests = requests.from_sender(filters.senderAddress)
    if filters.recipientAddress:
        requests = requests.filter(Exists(Recipient.objects.filter(
            project=project, send_request=OuterRef("pk")).to_address(filters.recipientAddress)))
    statuses = _statuses(filters.sendStatus)
    if statuses:
        requests = requests.filter(status__in=statuses)
    # Each filter above makes a new queryset: the same one means the period alone.
    return requests, ((start, end) if requests is in_period else None)


class RequestRowOut(Out):
    requestId: str
    templateSid: int | None
    templateName: str | None
    emailStatus: LabelledCode
    senderAddress: str
    senderName: str
    dispatchType: str
    requestDate: DateOut
    sendDate: DateOut | None
    reservationDate: DateOut | None
    requestCount: int
    recipientCount: int


# The columns a row shows: a page of whole SendRequest instances (some forty fields, two of
# them JSON) costs five times as much to read.
_ROW_FIELDS = ("request_id", "template_id", "template_name", "status", "sender_address",
               "sender_name", "tool", "created", "send_started_at", "reservation_at", "mail_count",
               "recipient_count")


def _request_rows(requests: list[dict], time_zone: str) -> list[dict]:
    statuses = email_statuses(each["status"] for each in requests)
    return [{
        "requestId": each["request_id"],
        "templateSid": each["template_id"],
        "templateName": each["template_name"] or None,
        "emailStatus": statuses[each["status"]],
        "senderAddress": each["sender_address"],
        "senderName": each["sender_name"],
        "dispatchType": each["tool"],
        "requestDate": date_object(each["created"], time_zone),
        "sendDate": date_object(each["send_started_at"], time_zone),
        "reservationDate": date_object(each["reservation_at"], time_zone),
        "requestCount": each["mail_count"],
        "recipientCount": each["recipient_count"],
    } for each in requests]


@router.get("/requests", response=list[RequestRowOut], summary="Send requests of a period")
@paginate(SpringPagination, sort_fields=REQUEST_SORT, default_sort=[("requestDate", "DESC")])
def list_requests(request: HttpRequest, filters: Query[RequestFilters]):
    project = caller(request).project
    requests, period = _filter_requests(project, filters)
    return Listing(requests.values(*_ROW_FIELDS),
                   total=(lambda: requests_in_period(project, *period)) if period else None,
                   page_rows=lambda page: _request_rows(page, project.time_zone))


_REQUEST_FIELDS = [f for f in SendRequest._meta.concrete_fields if f.name != "payload"]


def _request_query() -> str:
    meta = SendRequest._meta
    columns = ", ".join(f'"{f.column}"' for f in _REQUEST_FIELDS)
    # By the request ID alone (unique), the project checked after: with the project in the
    # condition, the planner may take a project index for a project it has no statistics of.
    return (f'SELECT {columns} FROM "{meta.db_table}" '  # noqa: S608 (names from the model)
            "WHERE request_id = %s")


_REQUEST_QUERY = _request_query()


@functools.cache
def _request_converters(vendor: str) -> list[tuple[int, list, object]]:
    """What the ORM does to each column it reads of a request (JSON text to values, …), as its
    compiler would for these fields on this database."""
    table = SendRequest._meta.db_table
    found = []
    for index, field in enumerate(_REQUEST_FIELDS):
        column = field.get_col(table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(
            connection)
        if converters:
            found.append((index, converters, column))
    return found


def _get_request(project, request_id: str) -> SendRequest:
    """The project's request of this ID, without its recipients payload, as a written-out
    query made into the model as the ORM would: the reads of one request start here, and the
    ORM's own query costs a millisecond more, its raw() a few tenths."""
    with connection.cursor() as cursor:
        cursor.execute(_REQUEST_QUERY, [request_id])
        row = cursor.fetchone()
    if row is not None:
        row = list(row)
        for index, converters, column in _request_converters(connection.vendor):
            for converter in converters:
                row[index] = converter(row[index], column, connection)
    if row is None or row[_PROJECT_COLUMN] != project.pk:
        raise NotFound(_("There is no request %(id)s") % {"id": request_id})
    found = SendRequest.from_db(connection.alias, _REQUEST_FIELD_NAMES, row)
    found.project = project
    return found


_REQUEST_FIELD_NAMES = [f.attname for f in _REQUEST_FIELDS]
_PROJECT_COLUMN = _REQUEST_FIELD_NAMES.index("project_id")


class CountByStatus(Schema):
    status: LabelledCode
    count: int


class RequestStatusOut(Out):
    requestId: str
    readyCompleted: bool
    allSentSuccess: bool
    requestCount: int
    sentCount: int
    finishCount: int
    readyCount: int
    reservationDate: DateOut | None
    countsByStatus: list[CountByStatus]


_STATUS_COUNTS = (f'SELECT status, COUNT(*), COUNT(sent_at) FROM "{Mail._meta.db_table}" '  # noqa: S608
                  "WHERE send_request_id = %s GROUP BY status")


@router.get("/requests/{request_id}/status", response=RequestStatusOut,
            summary="Progress of a send request")
def request_status(request: HttpRequest, request_id: str) -> dict:
    """readyCount: the mails prepared so far (all of them once readyCompleted)."""
    project = caller(request).project
    send_request = _get_request(project, request_id)
    with connection.cursor() as cursor:
        cursor.execute(_STATUS_COUNTS, [send_request.pk])
        counts = cursor.fetchall()
    by_status = {code: n for code, n, _sent in counts}
    sent = sum(n for _code, _n, n in counts)
    finished = sum(n for code, n in by_status.items() if code not in (Status.READY,
                                                                      Status.SENDING))
    return {
        "requestId": send_request.request_id,
        "readyCompleted": send_request.status != Status.PREPARING,
        "allSentSuccess": send_request.status == Status.SENT,
        "requestCount": send_request.mail_count,
        "sentCount": sent,
        "finishCount": finished,
        "readyCount": sum(by_status.values()),
        "reservationDate": date_object(send_request.reservation_at, project.time_zone),
        "countsByStatus": [{"status": email_status(code), "count": n}
                           for code, n in sorted(by_status.items())],
    }


class MailFilters(Schema):
    mailId: str | None = None
    recipientAddress: str | None = None
    title: str | None = None
    sendStatus: list[str] = Field(default_factory=list)


class MailRowOut(Out):
    requestId: str
    requestDate: DateOut
    mailId: str
    templateSid: int | None
    templateName: str | None
    title: str
    emailStatus: LabelledCode
    senderAddress: str
    senderName: str
    sendDate: DateOut | None
    reservationStatus: LabelledCode
    advertising: bool
    representativeRecipient: str | None


# What a row of the mails listing reads of a mail.
_MAIL_ROW_FIELDS = ("id", "seq", "status", "sent_at")


def _mail_rows(send_request: SendRequest, mails: list[dict]) -> list[dict]:
    """A page of mails as the schema reads them: each with its first To recipient, the subject
    as that recipient got it. What every row of the page shares is worked out once."""
    if not mails:
        return []
    time_zone = send_request.project.time_zone
    renderer = RequestRenderer(send_request, for_sending=False)
    first: dict[int, tuple] = {}
    # What the title's tags read (RequestRenderer.values), not the row's other twenty fields.
    for row in Recipient.objects.filter(mail__in=[mail["id"] for mail in mails],
                                        type=RecipientType.TO).order_by("id").values_list(
            "mail_id", "id", "address", "name", "parameters"):
        first.setdefault(row[0], row)
    if renderer.title.has_tags:
        titles = {mail_id: renderer.preview_title(Recipient(
            id=pk, mail_id=mail_id, address=address, name=name, parameters=parameters))
            for mail_id, pk, address, name, parameters in first.values()}
    else:
        titles = {}
    reserved = Reservation.SCHEDULED if send_request.reservation_at else Reservation.IMMEDIATE
    shared = {
        "requestId": send_request.request_id,
        "requestDate": date_object(send_request.created, time_zone),
        "templateSid": send_request.template_id,
        "templateName": send_request.template_name or None,
        "senderAddress": send_request.sender_address,
        "senderName": send_request.sender_name,
        "reservationStatus": labelled(api_labels.RESERVATION_STATUS, reserved),
        "advertising": send_request.advertising,
    }
    statuses = email_statuses(mail["status"] for mail in mails)
    no_recipient_title = renderer.preview_title(None)
    return [{
        **shared,
        "mailId": format_mail_id(send_request.request_id, mail["seq"]),
        "title": titles.get(mail["id"], no_recipient_title),
        "emailStatus": statuses[mail["status"]],
        "sendDate": date_object(mail["sent_at"], time_zone),
        "representativeRecipient": first[mail["id"]][2] if mail["id"] in first else None,
    } for mail in mails]


@router.get("/requests/{request_id}/mails", response=list[MailRowOut],
            summary="The mails of a send request")
@paginate(SpringPagination, sort_fields=MAIL_SORT, default_sort=[("id", "ASC")])
def request_mails(request: HttpRequest, request_id: str, filters: Query[MailFilters]):
    project = caller(request).project
    send_request = _get_request(project, request_id)
    every_mail = mails = Mail.objects.filter(send_request=send_request)
    statuses = _statuses(filters.sendStatus, MAIL_STATUSES)
    if statuses:
        mails = mails.filter(status__in=statuses)
    if filters.mailId:
        parsed = parse_mail_id(filters.mailId.strip())
        if parsed is None:
            raise ApiError(400, "mailId: " + _("not a mail ID"))
        mails = mails.filter(seq=parsed[1]) if parsed[0] == send_request.request_id \
            else mails.none()
    if filters.title and filters.title.lower() not in send_request.title.lower():
        mails = mails.none()
    if filters.recipientAddress:
        mails = mails.filter(pk__in=Recipient.objects.filter(send_request=send_request).to_address(
            filters.recipientAddress).values("mail_id"))
    # Unfiltered, the request counts its mails as it makes them.
    return Listing(mails.values(*_MAIL_ROW_FIELDS),
                   total=(lambda: send_request.mail_count) if mails is every_mail else None,
                   page_rows=lambda page: _mail_rows(send_request, page))


class ActedOut(Schema):
    requestId: str
    emailStatus: LabelledCode


def _act(request: HttpRequest, request_id: str, action) -> dict:
    """Send now or cancel (a sender's right), answered with the new status."""
    project = caller(request, Membership.Role.SENDER).project
    send_request = _get_request(project, request_id)
    try:
        action(send_request)
    except lifecycle.Refused as refused:
        raise ApiError(400, str(refused)) from None
    send_request.refresh_from_db(fields=["status"])
    return {"requestId": send_request.request_id,
            "emailStatus": email_status(send_request.status)}


@router.post("/requests/{request_id}/send", response=ActedOut,
             summary="Send a ready request now (Outbound's own)")
def send_request_now(request: HttpRequest, request_id: str) -> dict:
    return _act(request, request_id, lifecycle.send_now)


@router.post("/requests/{request_id}/cancel", response=ActedOut,
             summary="Cancel a request not yet sent (Outbound's own)")
def cancel_request(request: HttpRequest, request_id: str) -> dict:
    return _act(request, request_id, lifecycle.cancel)


class RecipientOut(Schema):
    address: str
    name: str | None
    type: LabelledCode
    received: bool
    receivedDate: DateOut | None
    status: LabelledCode
    retryCount: int
    sendResultMessage: str | None
    sendResultCode: str | None
    sendResultCodeMessage: str | None


class MailOut(Schema):
    requestId: str
    requesterIp: str | None
    requestDate: DateOut
    mailId: str
    title: str
    templateSid: int | None
    templateName: str | None
    emailStatus: LabelledCode
    senderAddress: str
    senderName: str | None
    sendDate: DateOut | None
    reservationDate: DateOut | None
    body: str
    referencesHeader: str | None
    attachFiles: list[AttachFile]
    recipients: list[RecipientOut]
    advertising: bool


@router.get("/{mail_id}", response=MailOut, summary="One mail with its content and recipients")
def get_mail(request: HttpRequest, mail_id: str) -> dict:
    project = caller(request).project
    parsed = parse_mail_id(mail_id)
    mail = None
    if parsed is not None:
        mail = Mail.objects.select_related("send_request", "send_request__project").filter(
            send_request__project=project, send_request__request_id=parsed[0],
            seq=parsed[1]).first()
    if mail is None:
        raise NotFound(_("There is no mail %(id)s") % {"id": mail_id})
    send_request = mail.send_request
    time_zone = project.time_zone
    recipients = list(mail.recipients.order_by("id"))
    renderer = RequestRenderer(send_request, for_sending=False)
    first = next((r for r in recipients if r.type == RecipientType.TO), None)
    return {
        "requestId": send_request.request_id,
        "requesterIp": send_request.requester_ip,
        "requestDate": date_object(send_request.created, time_zone),
        "mailId": mail_id,
        "title": renderer.preview_title(first),
        "templateSid": send_request.template_id,
        "templateName": send_request.template_name or None,
        "emailStatus": email_status(mail.status),
        "senderAddress": send_request.sender_address,
        "senderName": send_request.sender_name or None,
        "sendDate": date_object(mail.sent_at, time_zone),
        "reservationDate": date_object(send_request.reservation_at, time_zone),
        "body": renderer.preview_body(first),
        "referencesHeader": send_request.references_header or None,
        "attachFiles": [{"fileName": f.file_name, "fileSize": f.size, "fileId": f.file_id}
                        for f in AttachmentFile.objects.filter(
                            project=project, file_id__in=send_request.attach_file_ids)],
        "recipients": [_recipient_row(r, mail.status, time_zone) for r in recipients],
        "advertising": send_request.advertising,
    }


def _recipient_status(recipient: Recipient, mail_status: str) -> str:
    """A recipient's own EmailStatus, from its result code."""
    code = recipient.result_code
    if not code:
        return mail_status if mail_status in (Status.READY, Status.SENDING) else Status.SENDING
    return {ResultCode.MAIL_SENT: Status.SENT, ResultCode.RESENDING_MAIL: Status.SENDING,
            ResultCode.UNSUBSCRIBE_ADDRESS: Status.UNSUBSCRIBED,
            ResultCode.CANCELED_MAIL: Status.CANCELLED}.get(code, Status.FAILED)


def _recipient_row(recipient: Recipient, mail_status: str, time_zone: str) -> dict:
    code = recipient.result_code or None
    return {
        "address": recipient.address,
        "name": recipient.name or None,
        "type": labelled(api_labels.RECIPIENT_TYPE, recipient.type),
        "received": recipient.received,
        "receivedDate": date_object(recipient.received_at, time_zone),
        "status": email_status(_recipient_status(recipient, mail_status)),
        "retryCount": recipient.retry_count,
        "sendResultCode": code,
        "sendResultCodeMessage": str(ResultCode(code).label) if code else None,
        "sendResultMessage": _result_message(recipient),
    }


def _result_message(recipient: Recipient) -> str | None:
    parts = []
    if recipient.reply_code:
        parts.append(f"{recipient.reply_code} {recipient.reply_text}".strip())
    elif recipient.reply_text:
        parts.append(recipient.reply_text)
    if recipient.possible_duplicate:
        parts.append(_("re-sent after a worker stopped mid-send: it may have arrived twice"))
    return "; ".join(parts) or None
