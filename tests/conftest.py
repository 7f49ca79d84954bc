"""Fixtures shared by the whole suite: Redis (embedded unless REDIS_URL is set) and personas."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from console import dispatch, embedded_redis
from console.api import key_rows
from console.models import Membership
from tests.factories import add_member, make_project, make_user


@pytest.fixture(scope="session", autouse=True)
def redis_server():
    process = None
    if settings.EMBEDDED_REDIS:
        process = embedded_redis.start(settings.REDIS_URL, settings.VAR_DIR / "redis")
    yield settings.REDIS_URL
    if process is not None:
        process.terminate()
        process.wait(10)


@pytest.fixture(autouse=True)
def _empty_cache(redis_server):
    cache.clear()
    key_rows.clear()  # each test's web process starts without keys read by the last one's


@pytest.fixture(autouse=True)
def _default_language():
    """A console page activates its user's language for the thread; the API's calls, which
    skip the console's middleware, do not reset it, so no test starts in the last one's."""
    translation.deactivate()


@pytest.fixture
def enqueued(monkeypatch):
    """The tasks domain code enqueues (console.dispatch), recorded as (name, kwargs) and sent
    nowhere; at once, not at the commit that a test's transaction never reaches."""
    sent: list[tuple[str, dict]] = []

    def send_task(name, kwargs=None, countdown=None, **options):
        sent.append((name, kwargs or {}))

    monkeypatch.setattr(dispatch.app, "send_task", send_task)
    monkeypatch.setattr(dispatch.transaction, "on_commit", lambda func, *args, **kw: func())
    return sent


@pytest.fixture
def project(db):
    return make_project("acme")


@pytest.fixture
def owner(project):
    """An admin of `project`."""
    user = make_user("owner")
    add_member(project, user, Membership.Role.ADMIN)
    return user


@pytest.fixture
def sender(project):
    user = make_user("sender")
    add_member(project, user, Membership.Role.SENDER)
    return user


@pytest.fixture
def viewer(project):
    user = make_user("viewer")
    add_member(project, user, Membership.Role.VIEWER)
    return user


@pytest.fixture
def outsider(db):
    """The admin of another project: nothing of `project` exists for them."""
    user = make_user("outsider")
    add_member(make_project("other"), user, Membership.Role.ADMIN)
    return user


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def api(client, project, owner):
    """An API client signed with a key of the project's admin."""
    from tests.factories import ApiClient, make_api_key

    key, secret = make_api_key(project, owner)
    return ApiClient(client, key.access_key, secret)
