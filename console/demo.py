"""Demo data for the embedded default: the admin user, the `demo` project, an API key and
something on every screen. Safe to run again: it only fills in what is missing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from addressbook.models import Address, GroupMember, RecipientGroup
from console.models import ApiKey, Membership, Project

ADMIN_USERNAME = "admin"
PROJECT_NAME = "demo"
API_KEY_NAME = "demo"
SIMULATOR = settings.SIMULATOR_DOMAIN

GROUPS = {
    "customers": [f"customer{n:02d}@example.com" for n in range(1, 21)]
    + [f"success@{SIMULATOR}", f"ooto@{SIMULATOR}"],
    "newsletter": [f"customer{n:02d}@example.com" for n in range(11, 31)]
    + [f"success@{SIMULATOR}", f"bounce@{SIMULATOR}"],
    "vip": ["customer03@example.com", "customer12@example.com", "customer15@example.com",
            "customer27@example.com"],
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str | None  # None when the user has changed it since
    access_key: str
    secret_key: str
    project: Project


def _password_file() -> Path:
    return settings.VAR_DIR / "demo-admin-password"


def _ensure_admin():
    User = get_user_model()
    user = User.objects.filter(username=ADMIN_USERNAME).first()
    path = _password_file()
    if user is None:
        password = secrets.token_urlsafe(9)
        user = User.objects.create_superuser(ADMIN_USERNAME, "admin@example.com", password)
        path.write_text(password)
        path.chmod(0o600)
        return user, password
    saved = path.read_text().strip() if path.exists() else None
    return user, saved if saved and user.check_password(saved) else None


def _ensure_address_book(project: Project) -> None:
    if RecipientGroup.objects.filter(project=project).exists():
        return
    everyone = sorted({a for addresses in GROUPS.values() for a in addresses})
    Address.objects.bulk_create([Address(project=project, address=a) for a in everyone])
    ids = dict(Address.objects.filter(project=project).values_list("address", "id"))
    for name, addresses in GROUPS.items():
        group = RecipientGroup.objects.create(project=project, name=name)
        GroupMember.objects.bulk_create(
            [GroupMember(group=group, address_id=ids[a]) for a in addresses]
        )


def ensure_demo() -> DemoLogin:
    with transaction.atomic():
        user, password = _ensure_admin()
        project = Project.objects.filter(name=PROJECT_NAME).first()
        if project is None:
            project = Project.objects.create(name=PROJECT_NAME, slug=PROJECT_NAME)
        Membership.objects.get_or_create(project=project, user=user,
                                         defaults={"role": Membership.Role.ADMIN})
        _ensure_address_book(project)
        key = ApiKey.objects.active().filter(project=project, user=user, name=API_KEY_NAME).first()
        secret = key.secret if key else None
        if secret is None:
            key, secret = ApiKey.issue(project, user, API_KEY_NAME)
    return DemoLogin(ADMIN_USERNAME, password, key.access_key, secret, project)
