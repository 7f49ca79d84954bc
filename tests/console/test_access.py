"""Project isolation, roles and CSRF over every URL of the console, found by walking the URLconf
(so a view added later is covered without a new test)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from console.models import Membership

# Values for the URL parameters other than the project.
SAMPLE_KWARGS = {"pk": 1, "index": 0, "sid": 1, "request_id": "1", "mail_id": "1", "kind": "export",
                 "token": "1:x", "field": "title", "file_id": "1"}
# Pages for mail recipients, authorised by the signed token in their URL rather than a session:
# RFC 8058 one-click unsubscribe POSTs come from mail clients, without a CSRF token.
TOKEN_URLS = {"u/<str:token>/"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _console_urls():
    for route, callback in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "django-admin/")):
            continue
        yield route, callback


def _fill(route: str, slug: str) -> str:
    path = route.replace("<slug:project>", slug)
    for name, value in SAMPLE_KWARGS.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<str:{name}>", str(value))
        path = path.replace(f"<{name}>", str(value))
    assert "<" not in path, f"add a sample value for {route}"
    return "/" + path


PROJECT_URLS = sorted({route for route, _cb in _console_urls() if "<slug:project>" in route})
ADMIN_URLS = sorted({
    route for route, callback in _console_urls()
    if getattr(callback, "required_role", None) == Membership.Role.ADMIN
})
ALL_URLS = sorted({route for route, _cb in _console_urls()} - TOKEN_URLS)


def test_the_walk_finds_the_project_screens():
    assert "projects/<slug:project>/mails/" in PROJECT_URLS
    assert "projects/<slug:project>/settings/members/" in ADMIN_URLS


@pytest.mark.parametrize("route", PROJECT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_everywhere_in_the_project(client, project, outsider, route,
                                                        method):
    client.force_login(outsider)
    response = getattr(client, method)(_fill(route, project.slug))
    assert response.status_code == 404


@pytest.mark.parametrize("route", PROJECT_URLS)
def test_an_anonymous_visitor_is_sent_to_login(client, project, route):
    response = client.get(_fill(route, project.slug))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("route", ADMIN_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_viewer_cannot_reach_admin_pages(client, project, viewer, route, method):
    client.force_login(viewer)
    response = getattr(client, method)(_fill(route, project.slug))
    assert response.status_code == 403


@pytest.mark.parametrize("route", ADMIN_URLS)
def test_a_sender_cannot_reach_admin_pages(client, project, sender, route):
    client.force_login(sender)
    assert client.post(_fill(route, project.slug)).status_code == 403


@pytest.mark.parametrize("route", ALL_URLS)
def test_every_form_needs_a_csrf_token(project, owner, route):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(_fill(route, project.slug), {"name": "x"})
    assert response.status_code == 403
    assert b"CSRF" in response.content


def test_only_the_token_pages_are_exempt_from_csrf():
    exempt = {route for route, callback in _console_urls()
              if getattr(callback, "csrf_exempt", False)}
    assert exempt == TOKEN_URLS


def test_a_boosted_request_gets_the_whole_page(rf):
    """hx-boost (the confirmed actions) swaps the body: it needs the page, not a fragment."""
    from django_htmx.middleware import HtmxDetails

    from console.partials import page_or_fragment

    plain = rf.get("/", HTTP_HX_REQUEST="true")
    boosted = rf.get("/", HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    plain.htmx, boosted.htmx = HtmxDetails(plain), HtmxDetails(boosted)
    assert page_or_fragment(plain, "page.html", "rows") == "page.html#rows"
    assert page_or_fragment(boosted, "page.html", "rows") == "page.html"
