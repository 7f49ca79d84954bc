"""Open tracking: a signed 1x1 image per recipient in HTML mail; its first load marks that
recipient opened (and counts once for the request)."""

from __future__ import annotations

import re

from django.db.models import F
from django.utils import timezone

from mailer.links import RecipientLink
from mailer.models import Recipient, SendRequest

_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
# The smallest transparent GIF.
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00"
         b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


OPEN = RecipientLink("outbound.open", "open")
open_token = OPEN.token
recipient_from_open_token = OPEN.recipient
open_url = OPEN.url


def with_pixel(html: str, recipient_pk: int) -> str:
    """The HTML with the recipient's tracking image at the end of its body."""
    image = (f'<img src="{open_url(recipient_pk)}" width="1" height="1" alt="" '
             'style="border:0;width:1px;height:1px">')
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html + image
    at = ends[-1].start()
    return html[:at] + image + html[at:]


def record_open(recipient_pk: int) -> bool:
    """Mark the first open of a recipient; True if this was it."""
    first = Recipient.objects.filter(pk=recipient_pk, opened_at__isnull=True).update(
        opened_at=timezone.now())
    if first:
        request_pk = Recipient.objects.filter(pk=recipient_pk).values_list(
            "send_request_id", flat=True).first()
        SendRequest.objects.filter(pk=request_pk).update(opened_count=F("opened_count") + 1)
    return bool(first)
