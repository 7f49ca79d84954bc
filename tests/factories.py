"""Factory functions for test data; the personas built from them are fixtures in conftest."""

from __future__ import annotations

import socket

from django.contrib.auth import get_user_model

from console.models import ApiKey, Membership, Project

PASSWORD = "correct horse battery staple"


def make_user(username: str, password: str = PASSWORD, **extra):
    return get_user_model().objects.create_user(username, f"{username}@example.com", password,
                                                **extra)


def make_project(name: str = "acme") -> Project:
    return Project.objects.create(name=name, slug=Project.unique_slug(name))


def add_member(project: Project, user, role: str = Membership.Role.ADMIN) -> Membership:
    return Membership.objects.create(project=project, user=user, role=role)


def make_api_key(project: Project, user, name: str = "test") -> tuple[ApiKey, str]:
    return ApiKey.issue(project, user, name)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
