"""manage.py recount_requests: count the send requests by the hour again from their rows, after
rows were written with the triggers off (mailer.request_counts)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from mailer.request_counts import recount


class Command(BaseCommand):
    help = "Count the send requests by the hour again (after a load with the triggers off)."

    def handle(self, *args, **options) -> None:
        hours = recount()
        self.stdout.write(f"{hours} project hours counted")
