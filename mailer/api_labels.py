"""The API's own words for the codes it answers with ({label, code} objects: EmailStatus,
EmailRecipientType, EmailReservationStatus), as the published reference gives them. They differ
here and there from the console's words (the user guide's), hence their own message context;
both follow the language of the request through Django's catalogues."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

EMAIL_STATUS = {
    "P": pgettext_lazy("EmailStatus", "Preparing to send"),
    "R": pgettext_lazy("EmailStatus", "Ready to send"),
    "I": pgettext_lazy("EmailStatus", "Sending"),
    "S": pgettext_lazy("EmailStatus", "Sent successfully"),
    "PF": pgettext_lazy("EmailStatus", "Partial failure"),
    "F": pgettext_lazy("EmailStatus", "Failed to send"),
    "U": pgettext_lazy("EmailStatus", "Unsubscribe"),
    "C": pgettext_lazy("EmailStatus", "Cancel sending"),
}
RECIPIENT_TYPE = {
    "R": pgettext_lazy("EmailRecipientType", "Recipient"),
    "C": pgettext_lazy("EmailRecipientType", "Cc"),
    "B": pgettext_lazy("EmailRecipientType", "Bcc"),
}
RESERVATION_STATUS = {
    "Y": pgettext_lazy("EmailReservationStatus", "Reserved delivery"),
    "N": pgettext_lazy("EmailReservationStatus", "Immediate delivery"),
}


def labelled(table: dict, code: str) -> dict:
    return {"label": str(table[code]), "code": code}
