"""Accepting a send request, from the API or the console alike: every rule of DESIGN §6, then the
request is stored (status P) and a worker is asked to prepare it. Large requests are never
expanded here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from addressbook.addresses import is_valid_address, stored_forms
from addressbook.combination import combine_groups, missing_groups
from console.models import ApiKey, Project
from mailer import preparation
from mailer.files import attachments_for
from mailer.mime import text_as_html
from mailer.models import (
    BodyType,
    IdempotencyKey,
    MailerSettings,
    RecipientType,
    SendRequest,
    Template,
    Tool,
)
from mailer.monthly_limit import count_against_limit, give_back_count, insert_counted
from mailer.rules import (
    ADVERTISING_PREFIX,
    MAX_BCC,
    MAX_BODY_BYTES,
    MAX_CC,
    MAX_RECIPIENT_NAME_CHARS,
    MAX_SENDER_NAME_BYTES,
    MAX_TITLE_BYTES,
    MAX_UNSUBSCRIBE_MESSAGE_BYTES,
    Refused,
    byte_length,
    check_reservation,
    parse_moment,
    refused,
)
from mailer.schemas import MailRequestIn
from mailer.substitution import METADATA_TAG, stringify
from mailer.unsubscribe import unsubscribe_footer

_REFERENCES = re.compile(r"^\s*<[^<>\s@]+@[^<>\s@]+>(?:\s+<[^<>\s@]+@[^<>\s@]+>)*\s*$")


@dataclass(frozen=True)
class Accepted:
    send_request: SendRequest
    count: int
    replayed: bool = False

    def response(self) -> dict:
        return {"requestId": self.send_request.request_id, "count": self.count}


def _reservation(data: MailRequestIn, project: Project, now: datetime) -> datetime | None:
    field = "reservationUtc" if data.reservationUtc is not None else "reservationDateTime"
    when = parse_moment(data.reservationUtc, data.reservationDateTime, project.time_zone,
                        "reservation")
    return check_reservation(when, now, field)


def _template(project: Project, sid: int | None) -> Template | None:
    if sid is None:
        return None
    template = Template.objects.filter(project=project, pk=sid, deleted=None).first()
    if template is None:
        raise refused("templateSid", _("there is no template %(sid)s in this project (or it "
                                       "was deleted)") % {"sid": sid}, code="77103")
    if not template.is_use:
        raise refused("templateSid", _("template %(sid)s is not in use") % {"sid": sid})
    return template


def _template_body(template: Template | None) -> str:
    if template is None:
        return ""
    return text_as_html(template.body) if template.body_type == BodyType.TEXT else template.body


def invalid_address(shown: str) -> str:
    """"… is not a valid mail address", translated, the address as `shown`."""
    return _("%(address)s is not a valid mail address") % {"address": shown}


def recipient_problem(address: str, name: str | None,
                      shown: str | None = None) -> tuple[str, str] | None:
    """What is wrong with one recipient, as (field, why), or None: the rule of every send.
    `why` is translated and, for the address, names it as `shown` (its repr by default)."""
    if not is_valid_address(address):
        return "address", invalid_address(repr(address) if shown is None else shown)
    return _name_problem(name)


def _name_problem(name: str | None) -> tuple[str, str] | None:
    if name is not None and len(name) > MAX_RECIPIENT_NAME_CHARS:
        return "name", _("at most %(n)d characters") % {"n": MAX_RECIPIENT_NAME_CHARS}
    return None


@dataclass(frozen=True)
class CheckedRecipients:
    """Recipients checked ahead of the send with acceptance's own rules (recipient_problem,
    one per normalised address, values as text): the composer's bulk-send file is checked in
    the background and sent as it was stored, without being read again."""

    payload: bytes  # as SendRequest.payload stores recipients
    count: int

    @classmethod
    def of(cls, rows: list[dict]) -> CheckedRecipients:
        return cls(SendRequest.encode_payload(rows), len(rows))


def _recipients(data: MailRequestIn) -> list[dict]:
    """The recipients to store: checked, de-duplicated, only To for individual sends."""
    result: list[dict] = []
    seen: set[str] = set()
    counts = {"R": 0, "C": 0, "B": 0}
    recipients = data.recipients or []
    individual = data.individual
    # recipient_problem's checks, the addresses' all at once (the same rule, in bulk)
    keys = stored_forms([recipient["address"] for recipient in recipients])
    for index, (recipient, key) in enumerate(zip(recipients, keys, strict=True)):
        address, name, kind = recipient["address"], recipient["name"], recipient["type"]
        problem = _name_problem(name) if key is not None else (
            "address", invalid_address(repr(address)))
        if problem is not None:
            field, why = problem
            raise refused(f"recipients[{index}].{field}", why)
        if individual and kind != RecipientType.TO:
            continue  # individual sends ignore CC and BCC
        if key in seen:
            continue
        seen.add(key)
        counts[kind] += 1
        row = {"address": address.strip(), "type": kind}
        if name:
            row["name"] = name
        parameters = recipient["parameters"]
        if parameters:
            for value in parameters.values():
                if type(value) is not str:  # numbers and booleans become text once, here
                    parameters = stringify(parameters)
                    break
            row["parameters"] = parameters
        result.append(row)
    if not data.individual:
        if counts["C"] > MAX_CC:
            # "(type C)" and "(type B)" are placeholders: composer.field_of looks for them.
            raise refused("recipients", _("at most %(n)d CC recipients %(type)s, not %(given)d")
                          % {"n": MAX_CC, "type": "(type C)", "given": counts["C"]})
        if counts["B"] > MAX_BCC:
            raise refused("recipients", _("at most %(n)d BCC recipients %(type)s, not "
                                          "%(given)d")
                          % {"n": MAX_BCC, "type": "(type B)", "given": counts["B"]})
    if counts["R"] == 0:
        raise _no_recipient()
    return result


def _no_recipient() -> Refused:
    return refused("recipients", _("at least one recipient of type %(type)s is needed")
                   % {"type": "R"})


def _check_content(data: MailRequestIn, sender_address: str, sender_name: str, title: str,
                   body: str, project: Project) -> None:
    missing = [name for name, value in (("senderAddress", sender_address), ("title", title),
                                        ("body", body)) if not value]
    if missing:
        raise refused(", ".join(missing), _("required unless the template provides it"))
    if not is_valid_address(sender_address):
        raise refused("senderAddress", invalid_address(repr(sender_address)))
    if byte_length(sender_name) > MAX_SENDER_NAME_BYTES:
        raise refused("senderName", _("at most %(n)d bytes") % {"n": MAX_SENDER_NAME_BYTES})
    if byte_length(title) > MAX_TITLE_BYTES:
        raise refused("title", _("at most %(n)d bytes, not %(given)d")
                      % {"n": MAX_TITLE_BYTES, "given": byte_length(title)})
    if "\n" in title or "\r" in title:
        raise refused("title", _("must be one line"))
    if byte_length(body) > MAX_BODY_BYTES:
        raise refused("body", _("at most %(n)d KB, not %(given).0f KB")
                      % {"n": MAX_BODY_BYTES // 1024, "given": byte_length(body) / 1024})
    if data.referencesHeader and not _REFERENCES.match(data.referencesHeader):
        raise refused("referencesHeader", _("use the form %(form)s") % {"form": "<id@domain>"})
    if not data.individual:
        if data.advertising:
            raise refused("advertising", _("advertising mail cannot be sent as a general "
                                           "(%(general)s) send") % {"general": "individual=false"})
        if METADATA_TAG.search(title) or METADATA_TAG.search(body):
            raise refused("title/body", _("metadata tags %(tags)s cannot be used in a general "
                                          "(%(general)s) send")
                          % {"tags": "#{…}", "general": "individual=false"})
    if data.advertising and not data.useBasicUnsubscribeMsg and not data.unsubscribeMessage:
        raise refused("unsubscribeMessage", _("required when %(field)s is false")
                      % {"field": "useBasicUnsubscribeMsg"})
    if data.unsubscribeMessage and byte_length(data.unsubscribeMessage) > \
            MAX_UNSUBSCRIBE_MESSAGE_BYTES:
        raise refused("unsubscribeMessage", _("at most %(n)d KB")
                      % {"n": MAX_UNSUBSCRIBE_MESSAGE_BYTES // 1024})
    if data.advertising:
        footer = unsubscribe_footer(data.useBasicUnsubscribeMsg, data.unsubscribeMessage or "",
                                    MailerSettings.for_project(project.pk).recipient_language)
        if byte_length(body) + byte_length(footer) > MAX_BODY_BYTES:
            raise refused("body", _("at most %(n)d KB including the unsubscribe footer")
                          % {"n": MAX_BODY_BYTES // 1024})


def accept(project: Project, data: MailRequestIn, *, tool: str = Tool.API,
           requester_ip: str | None = None, user_id: int | None = None,
           api_key: ApiKey | None = None,
           idempotency_key: str | None = None,
           checked: CheckedRecipients | None = None) -> Accepted:
    """Check and store a send request; raise Refused with a clear message if it breaks a rule.
    `checked` recipients (individual sends only) stand for data.recipients."""
    now = timezone.now()
    template = _template(project, data.templateSid)
    sender_address = (data.senderAddress or (template.sender_address if template else "")).strip()
    sender_name = data.senderName if data.senderName is not None else (
        template.sender_name if template else "")
    title = data.title if data.title is not None else (template.title if template else "")
    body = data.body if data.body is not None else _template_body(template)
    if data.advertising and not title.startswith(ADVERTISING_PREFIX):
        title = f"{ADVERTISING_PREFIX} {title}" if title else title
    _check_content(data, sender_address, sender_name or "", title, body, project)
    try:
        attachments = attachments_for(project, data.attachFileIds or [])
    except ValueError as problem:
        raise refused("attachFileIds", str(problem)) from None
    reservation = _reservation(data, project, now)

    given = [data.recipients is not None, data.recipientGroupFilter is not None,
             checked is not None]
    if sum(given) > 1:
        raise refused("recipients, recipientGroupFilter", _("give one or the other, not both"))
    payload = checked.payload if checked is not None else b""
    group_filter = None
    if data.recipientGroupFilter is not None:
        names = list(dict.fromkeys(g.strip() for g in data.recipientGroupFilter.groups))
        unknown = missing_groups(project, names)
        if unknown:
            raise refused("recipientGroupFilter.groups", _("no recipient group named %(name)s")
                          % {"name": repr(unknown[0])})
        group_filter = {"andFilter": data.recipientGroupFilter.andFilter, "groups": names}
        payload = SendRequest.encode_payload([])
        count = combine_groups(project, names, and_filter=group_filter["andFilter"]).count()
        if count == 0:
            raise refused("recipientGroupFilter", _("the combination of these groups is empty"))
    elif checked is not None:
        if not data.individual or not checked.count:
            raise _no_recipient()
        count = checked.count
    elif data.recipients:
        recipients = _recipients(data)
        payload = SendRequest.encode_payload(recipients)
        count = len(recipients)
    else:
        raise refused("recipients", _("required unless %(field)s is given")
                      % {"field": "recipientGroupFilter"})

    send_request = SendRequest(
        project=project, tool=tool, requester_ip=requester_ip, requested_by_id=user_id,
        api_key=api_key, template=template, template_name=template.name if template else "",
        sender_address=sender_address, sender_name=sender_name or "", title=title, body=body,
        individual=data.individual, advertising=data.advertising,
        confirm_and_send=data.confirmAndSend, parameters=stringify(data.parameters),
        references_header=(data.referencesHeader or "").strip(),
        use_basic_unsubscribe_msg=data.useBasicUnsubscribeMsg,
        unsubscribe_message=data.unsubscribeMessage or "", recipient_group_filter=group_filter,
        attach_file_ids=[a.file_id for a in attachments],
        reservation_at=reservation, created=now, recipient_count=count,
    )
    return _store(send_request, payload, count, idempotency_key)


def _store(send_request: SendRequest, payload: bytes, count: int,
           idempotency_key: str | None) -> Accepted:
    """Save the request and its recipients in one transaction; the request ID is the accepting
    time to the microsecond, drawn again in the rare case another request took it."""
    for attempt in range(5):
        send_request.request_id = SendRequest.new_request_id(send_request.created)
        try:
            return _store_once(send_request, payload, count, idempotency_key)
        except IntegrityError:
            taken = SendRequest.objects.filter(request_id=send_request.request_id).exists()
            if not taken or attempt == 4:
                raise
            send_request.pk = None
            send_request.created = timezone.now()
    raise AssertionError("unreachable")


def _store_once(send_request: SendRequest, payload: bytes, count: int,
                idempotency_key: str | None) -> Accepted:
    project = send_request.project
    send_request.payload = payload
    send_request.counted_recipients = count
    accepted = Accepted(send_request, count)
    if not idempotency_key:
        # On PostgreSQL one statement counts the recipients against the monthly limit and
        # stores the request, or neither (a request ID taken meanwhile fails both). Otherwise,
        # or when the month has no row yet or is full, two autocommit statements: the count,
        # then the request (given back if the INSERT fails). The worker is nudged once the
        # request is stored.
        if connection.vendor == "postgresql" and insert_counted(
                send_request, project, count, send_request.created):
            preparation.start(send_request)
            return accepted
        count_against_limit(project, count, send_request.created)
        try:
            send_request.save(force_insert=True)
        except Exception:
            give_back_count(project, count, send_request.created)
            raise
        preparation.start(send_request)
        return accepted
    with transaction.atomic():
        replay = _claim_idempotency_key(project, idempotency_key)
        if replay is not None:
            return replay
        count_against_limit(project, count, send_request.created)
        send_request.save(force_insert=True)
        IdempotencyKey.objects.filter(project=project, key=idempotency_key).update(
            send_request=send_request, response=accepted.response())
        preparation.start(send_request)
    return accepted


def _claim_idempotency_key(project: Project, key: str) -> Accepted | None:
    """Reserve the key for this request, or return the answer already given for it."""
    expired = timezone.now() - IdempotencyKey.LIFETIME
    IdempotencyKey.objects.filter(project=project, key=key, created__lt=expired).delete()
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(project=project, key=key)
            return None
    except IntegrityError:
        # Taken: a concurrent request holding the key has committed (the insert waited for it).
        existing = IdempotencyKey.objects.select_for_update().get(project=project, key=key)
        if existing.send_request is None:
            raise refused("Idempotency-Key",
                          _("a request with this key is still being accepted")) from None
        return Accepted(existing.send_request, existing.response["count"], replayed=True)
