"""The unsubscriber lists (per project) and the send-block list (shared by the installation):
adding and removing by hand, blocks from hard bounces, expiry of blocks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from addressbook.addresses import is_valid_address, normalise_address
from console.models import Project
from mailer.models import MailerSettings, SendBlock, SendBlockHistory, Unsubscriber

MIN_SEND_BLOCK_HOURS = 168
MAX_SEND_BLOCK_HOURS = 24 * 365


@dataclass(frozen=True)
class Changed:
    """{count, requestCount, ignoreCount} of the API."""

    count: int
    request_count: int
    ignore_count: int

    def as_api(self) -> dict:
        return {"count": self.count, "requestCount": self.request_count,
                "ignoreCount": self.ignore_count}


def _clean(addresses: list[str]) -> list[str]:
    return list(dict.fromkeys(normalise_address(a) for a in addresses
                              if is_valid_address(a.strip())))


def add_unsubscribers(project: Project, addresses: list[str]) -> Changed:
    """Register addresses by hand (isRegByManager); invalid ones and those already listed are
    ignored."""
    wanted = _clean(addresses)
    existing = set(Unsubscriber.objects.filter(project=project, address__in=wanted)
                   .values_list("address", flat=True))
    new = [a for a in wanted if a not in existing]
    Unsubscriber.objects.bulk_create(
        [Unsubscriber(project=project, address=a, is_reg_by_manager=True) for a in new],
        ignore_conflicts=True)
    return Changed(len(new), len(addresses), len(addresses) - len(new))


def remove_unsubscribers(project: Project, addresses: list[str]) -> Changed:
    wanted = _clean(addresses)
    removed, _by_model = Unsubscriber.objects.filter(project=project,
                                                     address__in=wanted).delete()
    return Changed(removed, len(addresses), len(addresses) - removed)


def block(project_id: int | None, failures: Iterable[tuple[str, str, str]], now: datetime,
          hours: int) -> int:
    """Put addresses that hard-failed — (address, result code, reply text) — on the shared
    send-block list for `hours` from `now` (a later failure extends the block), with their
    history. `project_id` is the project whose send failed (or whose member added them)."""
    until = now + timedelta(hours=hours)
    blocks = {}
    for address, code, reply_text in failures:
        key = normalise_address(address)
        blocks[key] = SendBlock(project_id=project_id, address=key, blocked_at=now,
                                blocked_until=until, result_code=code,
                                reply_text=(reply_text or "")[:500])
    if not blocks:
        return 0
    SendBlock.objects.bulk_create(
        list(blocks.values()), update_conflicts=True, unique_fields=["address"],
        update_fields=["project", "blocked_at", "blocked_until", "result_code", "reply_text"])
    SendBlockHistory.objects.bulk_create([SendBlockHistory(
        project_id=project_id, address=b.address, action=SendBlockHistory.Action.CREATE,
        requester=SendBlockHistory.Requester.PROJECT, created=now, result_code=b.result_code,
        reply_text=b.reply_text) for b in blocks.values()])
    return len(blocks)


def block_by_hand(project: Project, address: str) -> bool:
    """Add an address to the send-block list from the console, for the project's block time;
    False if it is blocked already."""
    key = normalise_address(address)
    now = timezone.now()
    if SendBlock.objects.filter(address=key, blocked_until__gt=now).exists():
        return False
    hours = MailerSettings.for_project(project.pk).send_block_hours
    block(project.pk, [(key, "", "")], now, hours)
    return True


def unblock(project: Project, address: str) -> bool:
    """Take an address off the shared send-block list by hand (for every project)."""
    address = normalise_address(address)
    with transaction.atomic():
        removed, _by_model = SendBlock.objects.filter(address=address).delete()
        if removed:
            SendBlockHistory.objects.create(project=project, address=address,
                                            action=SendBlockHistory.Action.DELETE,
                                            requester=SendBlockHistory.Requester.PROJECT)
    return bool(removed)


def expire_blocks(now: datetime | None = None) -> int:
    """Blocks past their time leave the list, and the history says so."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(SendBlock.objects.select_for_update().filter(blocked_until__lte=now))
        SendBlockHistory.objects.bulk_create([SendBlockHistory(
            project_id=None, address=b.address, action=SendBlockHistory.Action.DELETE,
            requester=SendBlockHistory.Requester.SYSTEM, created=now) for b in expired])
        SendBlock.objects.filter(pk__in=[b.pk for b in expired]).delete()
    return len(expired)


def set_send_block_hours(project: Project, hours: int) -> None:
    if not MIN_SEND_BLOCK_HOURS <= hours <= MAX_SEND_BLOCK_HOURS:
        raise ValueError(_("the send-block time is %(min)d to %(max)d hours")
                         % {"min": MIN_SEND_BLOCK_HOURS, "max": MAX_SEND_BLOCK_HOURS})
    row, _created = MailerSettings.objects.get_or_create(project=project)
    row.send_block_hours = hours
    row.save(update_fields=["send_block_hours"])
