from __future__ import annotations

import pytest

from console.models import Membership
from tests.factories import PASSWORD, add_member, make_project, make_user

pytestmark = pytest.mark.browser

NAVIGATION = {
    "mails": "Mailing list",
    "templates": "Manage templates",
    "address_book": "Address book",
    "statistics": "Statistics",
    "unsubscribers": "Unsubscribers / Send block",
    "settings": "Settings",
    "sandbox": "Sandbox inbox",
}


@pytest.fixture
def member(transactional_db):
    project = make_project("acme")
    user = make_user("alice")
    add_member(project, user, Membership.Role.ADMIN)
    return user


def _log_in(page, live_server, username="alice", password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/projects/acme/mails/")


def test_it_logs_in_and_visits_every_navigation_entry(page, live_server, member, screenshot):
    page.goto(live_server.url)
    screenshot("login")
    _log_in(page, live_server)
    for key, heading in NAVIGATION.items():
        page.click(f"[data-nav={key}]")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").first.inner_text() == heading
        assert page.locator(f"[data-nav={key}]").get_attribute("aria-current") == "page"
        screenshot(key)


def test_it_refuses_a_wrong_password_in_the_browser(page, live_server, member):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "correct username and password" in page.inner_text(".errorlist")


def test_it_switches_projects(page, live_server, member, screenshot):
    second = make_project("beta")
    add_member(second, member, Membership.Role.VIEWER)
    _log_in(page, live_server)
    page.click("#project-switcher summary")
    screenshot("switcher")
    page.click("#project-switcher a:has-text('beta')")
    page.wait_for_url("**/projects/beta/mails/")
    assert "Viewer" in page.inner_text("#project-switcher summary")


def test_it_creates_an_api_key_and_shows_the_secret_once(page, live_server, member, screenshot):
    _log_in(page, live_server)
    page.click("[data-nav=settings]")
    page.click(".tabs a:has-text('API keys')")
    page.fill("#id_name", "shop server")
    page.click("button:has-text('Create key')")
    secret = page.inner_text("#new-secret-key")
    assert len(secret) == 40
    screenshot("created")
    page.reload()
    assert secret not in page.content()


def test_it_signs_out(page, live_server, member):
    _log_in(page, live_server)
    page.click("#user-menu summary")
    page.click("#user-menu button:has-text('Sign out')")
    page.wait_for_url("**/accounts/login/")


def test_revoking_a_key_asks_first_with_htmx_confirm(page, live_server, member, screenshot):
    from console.models import ApiKey, Project

    key, _secret = ApiKey.issue(Project.objects.get(slug="acme"), member, "shop server")
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/projects/acme/settings/api-keys/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("button:has-text('Revoke')")
    page.wait_for_timeout(300)
    assert asked == ["Revoke this key? Programs using it stop working at once."]
    key.refresh_from_db()
    assert key.revoked is None  # declined: nothing happened
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Revoke')")
    page.wait_for_selector(".badge.bad:has-text('Revoked')")
    key.refresh_from_db()
    assert key.revoked is not None
    screenshot("revoked")
