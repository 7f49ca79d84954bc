"""The demo project's address book: three overlapping groups (see console.demo)."""

from __future__ import annotations

from django.conf import settings

from addressbook import book
from addressbook.models import RecipientGroup

SIMULATOR = settings.SIMULATOR_DOMAIN
GROUPS = {
    "customers": [f"customer{n:02d}@example.com" for n in range(1, 21)]
    + [f"success@{SIMULATOR}", f"ooto@{SIMULATOR}"],
    "newsletter": [f"customer{n:02d}@example.com" for n in range(11, 31)]
    + [f"success@{SIMULATOR}", f"bounce@{SIMULATOR}"],
    "vip": ["customer03@example.com", "customer12@example.com", "customer15@example.com",
            "customer27@example.com"],
}


def fill(project, user) -> None:
    if RecipientGroup.objects.filter(project=project).exists():
        return
    for name, addresses in GROUPS.items():
        group = RecipientGroup.objects.create(project=project, name=name)
        book.register(project, addresses, [group])
