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


class ApiClient:
    """Django's test client with signature-v2 headers, for /api/v1 calls."""

    def __init__(self, client, access_key: str, secret: str) -> None:
        self.client = client
        self.access_key = access_key
        self.secret = secret

    def _headers(self, method: str, path: str, extra: dict | None) -> dict:
        from console.signature import signed_headers

        return {**signed_headers(method, path, self.access_key, self.secret), **(extra or {})}

    def get(self, path: str, params: dict | None = None, headers: dict | None = None):
        if params:
            from urllib.parse import urlencode

            path = f"{path}?{urlencode(params, doseq=True)}"
        return self.client.get(path, headers=self._headers("GET", path, headers))

    def post(self, path: str, body=None, *, raw: bytes | str | None = None,
             content_type: str = "application/json", headers: dict | None = None):
        import json

        data = raw if raw is not None else json.dumps(body, ensure_ascii=False)
        return self.client.post(path, data=data, content_type=content_type,
                                headers=self._headers("POST", path, headers))

    def delete(self, path: str, body=None, params: dict | None = None,
               headers: dict | None = None):
        import json
        from urllib.parse import urlencode

        if params:
            path = f"{path}?{urlencode(params, doseq=True)}"
        data = "" if body is None else json.dumps(body, ensure_ascii=False)
        return self.client.delete(path, data=data, content_type="application/json",
                                  headers=self._headers("DELETE", path, headers))
