"""The Send block screen in Chromium: the shared list with who asked, adding an address by
hand and unblocking it behind a confirmation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from console.models import Membership
from mailer.models import SendBlock
from mailer.result_codes import ResultCode
from tests.factories import PASSWORD, add_member, make_project, make_user

pytestmark = pytest.mark.browser


def test_an_admin_blocks_and_unblocks_by_hand(page, live_server, transactional_db, screenshot):
    project = make_project("acme")
    add_member(project, make_user("alice"), Membership.Role.ADMIN)
    SendBlock.objects.create(project=make_project("other"), address="theirs@example.com",
                             blocked_until=timezone.now() + timedelta(days=7),
                             result_code=ResultCode.MAILBOX_ERROR,
                             reply_text="550 5.1.1 User unknown")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.click("[data-nav=unsubscribers]")
    page.click(".tabs a:has-text('Send block')")
    row = page.locator("tr[data-address='theirs@example.com']")
    assert "Other customer" in row.inner_text()

    page.click("#add-send-blocks summary")
    page.get_by_label("Addresses").fill("hand@example.com")
    page.click("button:has-text('Add')")
    page.wait_for_selector("tr[data-address='hand@example.com']")
    assert "Customer" in page.inner_text("tr[data-address='hand@example.com']")
    screenshot("listed")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("tr[data-address='hand@example.com'] button:has-text('Unblock')")
    page.wait_for_selector("tr[data-address='hand@example.com']", state="detached")
    assert not SendBlock.objects.filter(address="hand@example.com").exists()
    screenshot("unblocked")
