"""The Address book in Chromium: groups, pasted and uploaded addresses (a real Celery worker
imports and exports), moving addresses between groups, search, the Excel download read back
with openpyxl, and the reset."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from addressbook.models import Address, GroupMember, RecipientGroup
from console.models import Membership
from tests.factories import PASSWORD, add_member, make_project, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def admin(transactional_db):
    project = make_project("acme")
    user = make_user("alice")
    add_member(project, user, Membership.Role.ADMIN)
    return user


def _log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/projects/acme/mails/")


def _count(page, group: str) -> int:
    text = page.inner_text(f'#group-tree a[data-group="{group}"] .count')
    return int(text.replace(",", ""))


def _select_group(page, group: str) -> None:
    page.click(f'#group-tree a[data-group="{group}"]')
    title = group or "All addresses"
    page.wait_for_function(
        f"document.querySelector('#list-title').innerText === {title!r}")


def _register(page, text: str) -> dict[str, int]:
    page.click("#register-button")
    page.wait_for_selector("#register-dialog[open]")
    page.fill("#id_addresses", text)
    page.click("#register-submit")
    page.wait_for_selector("#register-result")
    counts = {name: int(page.inner_text(f'#register-result [data-count="{name}"]').split()[0])
              for name in ("added", "duplicates", "invalid")}
    page.click("#register-result .panel-actions button")
    return counts


def test_it_walks_the_address_book(page, live_server, admin, worker_factory, screenshot,
                                   tmp_path):
    worker_factory()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations
    _log_in(page, live_server)
    page.click("[data-nav=address_book]")
    page.wait_for_selector("#empty-state")

    # Two groups, made with the name field at the top of the tree.
    for name in ("alpha", "beta"):
        page.fill("#id_name", name)
        page.click(".ab-create button")
        page.wait_for_selector(f'#group-tree a[data-group="{name}"].current')
    page.fill("#id_name", "bad name")  # the browser holds back what the server would refuse
    assert page.eval_on_selector(".ab-create", "form => form.checkValidity()") is False

    # Pasted into each group, with every separator and one invalid address.
    _select_group(page, "alpha")
    assert _register(page, "a1@example.com,a2@example.com;a3@example.com\tshared@example.com"
                           "\nnot-valid a1@example.com") == {
        "added": 4, "duplicates": 1, "invalid": 1}
    _select_group(page, "beta")
    assert _register(page, "b1@example.com b2@example.com;shared@example.com") == {
        "added": 3, "duplicates": 0, "invalid": 0}
    page.wait_for_function("document.querySelector('#group-tree a[data-group=\"beta\"] "
                           ".count').innerText === '3'")
    screenshot("groups")

    # A CSV file under "All addresses": imported by the worker, with a progress bar.
    _select_group(page, "")
    csv_file = tmp_path / "customers.csv"
    csv_file.write_text("name,email\n" + "".join(f"C{n},c{n}@example.com\n" for n in range(1, 6))
                        + "A1,a1@example.com\n")
    page.click("#register-button")
    page.set_input_files("#id_file", str(csv_file))
    page.click("#register-submit")
    page.wait_for_selector(".import[data-status=done]", timeout=30_000)
    screenshot("imported")
    assert page.inner_text('.import [data-count="added"]') == "5"
    assert page.inner_text('.import [data-count="duplicates"]').startswith("1")
    page.click(".import .panel-actions button")
    page.wait_for_function("document.querySelector('#group-tree li.all .count')"
                           ".innerText === '11'")
    assert (_count(page, "alpha"), _count(page, "beta")) == (4, 3)

    # Move a1 and a2 from alpha to beta.
    _select_group(page, "alpha")
    for address in ("a1@example.com", "a2@example.com"):
        page.check(f'tr[data-address="{address}"] input[name=address]')
    page.click("#edit-groups-button")
    page.wait_for_selector("#edit-dialog[open]")
    page.check('#edit-groups tr[data-group="beta"] input[name=add_to]')
    page.check('#edit-groups tr[data-group="alpha"] input[name=remove_from]')
    screenshot("edit-group")
    page.click("#apply-groups")
    page.wait_for_selector("#edit-groups-result")
    page.click("#edit-groups-result .panel-actions button")
    page.wait_for_function("document.querySelector('#group-tree a[data-group=\"beta\"] "
                           ".count').innerText === '5'")
    assert _count(page, "alpha") == 2
    beta = RecipientGroup.objects.get(name="beta")
    assert set(GroupMember.objects.filter(group=beta).values_list("address__address",
                                                                  flat=True)) == {
        "a1@example.com", "a2@example.com", "b1@example.com", "b2@example.com",
        "shared@example.com"}

    # Search by the start of the address.
    _select_group(page, "")
    page.fill("#id_q", "B")
    page.click(".ab-search button[type=submit]")
    page.wait_for_function("document.querySelectorAll('#addresses tbody tr').length === 2")
    assert page.locator("#addresses tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.address)") == ["b1@example.com", "b2@example.com"]
    assert "q=B" in page.url
    screenshot("search")

    # The Excel download, built by the worker, read back.
    page.goto(f"{live_server.url}/projects/acme/address-book/")
    page.click("#download-button")
    page.wait_for_selector("#export-dialog[open]")
    page.click("#request-export")
    page.wait_for_selector("#export-list tr[data-status=done]", timeout=30_000)
    screenshot("download")
    with page.expect_download() as download:
        page.click("#export-list tr[data-status=done] a:has-text('Download')")
    assert re.fullmatch(r"address-book-\d{8}-\d{6}\.xlsx", download.value.suggested_filename)
    saved = tmp_path / "book.xlsx"
    download.value.save_as(saved)
    rows = list(load_workbook(saved, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("Address", "Groups")
    expected = {}
    for address in Address.objects.all():
        names = sorted(GroupMember.objects.filter(address=address)
                       .values_list("group__name", flat=True))
        expected[address.address] = ", ".join(names)
    assert {row[0]: row[1] or "" for row in rows[1:]} == expected
    assert len(rows) == 12
    page.click("#export-dialog .panel-head button")

    # Reset, behind a confirmation.
    page.click("#reset-button")
    page.wait_for_selector("#empty-state")
    screenshot("reset")
    assert not Address.objects.exists() and not RecipientGroup.objects.exists()
