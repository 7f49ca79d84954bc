"""Seal every stored secret again with the current SECRET_KEY.

To change SECRET_KEY: set the new one, put the old one in SECRET_KEY_FALLBACKS, restart, run
this command, then drop the old key from SECRET_KEY_FALLBACKS. Every model that stores sealed
secrets lists their fields in SEALED_FIELDS (API secrets, DKIM private keys).
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from console.models import reseal


class Command(BaseCommand):
    help = "Seal every stored secret again with the current SECRET_KEY."

    def handle(self, *args, **options) -> None:
        for model in apps.get_models():
            fields = getattr(model, "SEALED_FIELDS", ())
            if not fields:
                continue
            resealed = unreadable = 0
            with transaction.atomic():
                for row in model.objects.select_for_update().only("pk", *fields):
                    changed = {}
                    for name in fields:
                        token = reseal(bytes(getattr(row, name)))
                        if token is None:
                            unreadable += 1
                        else:
                            changed[name] = token
                    if changed:
                        model.objects.filter(pk=row.pk).update(**changed)
                        resealed += 1
            self.stdout.write(f"{model._meta.label}: {resealed} sealed again"
                              + (f", {unreadable} no key opens" if unreadable else ""))
