"""Demo data for the embedded default: the admin user, the `demo` project, an API key, and what
the apps register, so no screen is empty. Safe to run again: it only fills in what is missing."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from console.models import ApiKey, Membership, Project

ADMIN_USERNAME = "admin"
PROJECT_NAME = "demo"
API_KEY_NAME = "demo"
# Each app adds its part of the demo (address book groups, templates, sent requests) through
# register(): console imports none of the apps above it.
_FILLERS: list[Callable[[Project, object], None]] = []


def register(filler: Callable[[Project, object], None]) -> None:
    """Add an app's demo data filler: called with the demo project and its admin user, every
    time the demo is ensured, it must only add what is missing."""
    if filler not in _FILLERS:
        _FILLERS.append(filler)


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


def ensure_demo() -> DemoLogin:
    with transaction.atomic():
        user, password = _ensure_admin()
        project = Project.objects.filter(name=PROJECT_NAME).first()
        if project is None:
            project = Project.objects.create(name=PROJECT_NAME, slug=PROJECT_NAME)
        Membership.objects.get_or_create(project=project, user=user,
                                         defaults={"role": Membership.Role.ADMIN})
        for filler in _FILLERS:
            filler(project, user)
        key = ApiKey.objects.active().filter(project=project, user=user, name=API_KEY_NAME).first()
        secret = key.secret if key else None
        if secret is None:
            key, secret = ApiKey.issue(project, user, API_KEY_NAME)
    return DemoLogin(ADMIN_USERNAME, password, key.access_key, secret, project)
