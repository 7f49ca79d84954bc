"""The Mailing list in Chromium: requests sent through the API to the mailbox simulator by a real
Celery worker over SMTP, found by each search criterion in each tab, every detail pane opened,
content viewed, a scheduled request cancelled (one mail, then the request), a Ready one sent
immediately, a sending request's progress watched to 100 %, the back button, and a download
requested, downloaded and read back with openpyxl."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from console.sink import start_sink, stop_sink
from mailer.models import FINAL_STATUSES, SendRequest, Status, Template
from tests.browser.conftest import sign_in
from tests.factories import ApiClient, free_port, make_api_key
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.browser
FAST = {"MAILER_RETRY_BASE_SECONDS": "0.5", "MAILER_SWEEP_SECONDS": "1"}
SIM = "simulator.outbound.test"


@pytest.fixture
def sink(transactional_db):
    port = free_port()
    controller = start_sink("127.0.0.1", port)
    yield port
    stop_sink(controller)


@pytest.fixture
def mailing(page, live_server, project, owner, sink, worker_factory):
    worker_factory(SINK_PORT=str(sink), **FAST)
    key, secret = make_api_key(project, owner)
    api = ApiClient(Client(REMOTE_ADDR="203.0.113.9"), key.access_key, secret)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, owner, project)
    return api, f"{live_server.url}/projects/{project.slug}/mails/"


def _send(api, **body) -> SendRequest:
    body.setdefault("senderAddress", "shop@company.com")
    body.setdefault("body", "<p>Hello #{RECIPIENT_NAME}</p>")
    response = api.post("/api/v1/mails", body)
    assert response.status_code == 201, response.content
    return SendRequest.objects.get(request_id=response.json()["requestId"])


def _settled(send_request, *statuses, timeout=90) -> SendRequest:
    wanted = set(statuses) or FINAL_STATUSES

    def settled():
        send_request.refresh_from_db()
        return send_request.status in wanted

    wait_for(settled, timeout, f"request {send_request.request_id} reaching {wanted}")
    return send_request


def _search(page, **fields) -> None:
    """Fill the search bar (by the labels an operator reads) and press [Search]."""
    form = page.locator("#search-bar")
    for label, value in fields.items():
        control = form.get_by_label(label, exact=True)
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    with page.expect_response(lambda r: "/mails/" in r.url):
        form.get_by_role("button", name="Search").click()
    page.wait_for_selector("#results")


def _rows(page, attribute: str) -> list[str]:
    return page.eval_on_selector_all(f"#results tr[{attribute}]",
                                     f"rows => rows.map(r => r.getAttribute('{attribute}'))")


def test_an_operator_finds_and_manages_what_happened(mailing, page, project, screenshot):
    api, url = mailing
    template = Template.objects.create(project=project, name="welcome", title="Welcome",
                                       body="<p>Welcome</p>", sender_address="t@company.com")
    results = _send(api, title="Simulator run for #{RECIPIENT_NAME}",
                    recipients=[{"address": f"success@{SIM}", "name": "Sue"},
                                {"address": f"bounce@{SIM}"}, {"address": f"blocked@{SIM}"}])
    templated = _send(api, templateSid=template.pk, senderAddress="news@other.com",
                      recipients=[{"address": f"success+1@{SIM}"}])
    later = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    scheduled = _send(api, title="Tomorrow", reservationDateTime=later,
                      recipients=[{"address": "early@example.com"},
                                  {"address": "late@example.com"}])
    reviewed = _send(api, title="Check first", confirmAndSend=True,
                     recipients=[{"address": "boss@example.com"}])
    _settled(results)
    _settled(templated)
    _settled(scheduled, Status.READY)
    _settled(reviewed, Status.READY)
    SendRequest.objects.filter(pk=templated.pk).update(tool="CONSOLE")

    page.goto(url)
    page.wait_for_selector(f'tr[data-request="{results.request_id}"]')
    assert page.locator(f'tr[data-request="{results.request_id}"]').get_attribute(
        "data-status") == Status.PARTIALLY_FAILED
    screenshot("list-by-request")

    # Each criterion in List by request.
    ids = {r.request_id for r in (results, templated, scheduled, reviewed)}
    assert set(_rows(page, "data-request")) == ids
    checks = [
        ({"Send status": "R"}, {scheduled.request_id, reviewed.request_id}),
        ({"Request ID": results.request_id}, {results.request_id}),
        ({"Recipient address": f"bounce@{SIM}"}, {results.request_id}),
        ({"Sender address": "news@other.com"}, {templated.request_id}),
        ({"Subject": "check"}, {reviewed.request_id}),
        ({"Template": str(template.pk)}, {templated.request_id}),
        ({"Send request tool": "CONSOLE"}, {templated.request_id}),
    ]
    today = timezone.localdate()
    dates = {"Request date (from)": (today - timedelta(days=2)).isoformat(),
             "Request date (to)": today.isoformat()}
    _search(page, **dates)
    assert set(_rows(page, "data-request")) == ids
    for fields, expected in checks:
        page.goto(url)
        _search(page, **fields)
        assert set(_rows(page, "data-request")) == expected, fields
    # A bad value: a message beside the field, nothing searched.
    page.goto(url)
    _search(page, **{"Request ID": "12ab"})
    assert page.locator("#search-errors").is_visible()
    assert "A request ID is 20 digits." in page.locator("#search-bar").inner_text()
    screenshot("bad-criterion")

    # The request's detail pane, then List by mail from its recipient count.
    page.goto(url)
    page.click(f'tr[data-request="{results.request_id}"] a.open-row')
    page.wait_for_selector(f'#detail[data-request="{results.request_id}"]')
    assert f"open={results.request_id}" in page.url
    pane = page.locator("#detail").inner_text()
    for label in ("Request IP", "Send duration", "Advertisement mail status", "Recipient count"):
        assert label in pane
    assert "203.0.113.9" in pane and "100 %" in pane
    screenshot("request-detail")
    page.reload()  # the open row is in the URL
    page.wait_for_selector(f'#detail[data-request="{results.request_id}"]')

    page.click(f'tr[data-request="{results.request_id}"] a.recipient-count')
    page.wait_for_selector("#mail-list")
    mails = _rows(page, "data-mail")
    assert len(mails) == 3
    page.click(f'tr[data-mail="{mails[1]}"] a.open-row')
    page.wait_for_selector(f'#detail[data-mail="{mails[1]}"]')
    assert "MAILBOX_ERROR" in page.locator("#detail").inner_text()
    screenshot("mail-detail")
    page.click("#detail a.view-content")
    frame = page.frame_locator("#content-frame")
    assert "Hello" in frame.locator("body").inner_text()
    screenshot("view-content")
    page.go_back()

    # List by recipient: each criterion, the detail pane, View content.
    page.goto(url)
    page.click('a[data-tab="recipient"]')
    page.wait_for_selector("#recipient-list")
    assert "tab=recipient" in page.url
    recipient_checks = [
        ({"Recipient address": f"success@{SIM}"}, 1),
        ({"Send status": "F"}, 2),  # the mail's own status: bounced and blocked
        ({"Request ID": scheduled.request_id}, 2),
        ({"Sender address": "news@other.com"}, 1),
        ({"Subject": "tomorrow"}, 2),
        ({"Template": str(template.pk)}, 1),
        ({"Send request tool": "CONSOLE"}, 1),
        (dates, 7),
    ]
    for fields, count in recipient_checks:
        page.goto(f"{url}?tab=recipient")
        _search(page, **fields)
        assert len(_rows(page, "data-recipient")) == count, fields
    page.goto(f"{url}?tab=recipient")
    _search(page, **{"Recipient address": f"success@{SIM}"})
    page.click("#recipient-list a.open-row")
    page.wait_for_selector("#detail")
    pane = page.locator("#detail").inner_text()
    assert "MAIL_SENT" in pane and "Sending successful" in pane and "Received" in pane
    screenshot("recipient-detail")
    page.click("#detail a.view-content")
    page.wait_for_selector("#content-dialog")
    assert "Simulator run for Sue" in page.locator("#content-subject").inner_text()
    assert "Hello Sue" in page.frame_locator("#content-frame").locator("body").inner_text()
    screenshot("recipient-content")

    # The back button restores the list before the search.
    page.goto(f"{url}?tab=recipient")
    _search(page, **{"Send status": "F"})
    assert "status=F" in page.url and len(_rows(page, "data-recipient")) == 2
    page.go_back()
    page.wait_for_function("() => !location.search.includes('status=F')")
    page.wait_for_selector("#recipient-list")
    assert len(_rows(page, "data-recipient")) == 7

    # Cancel one mail's scheduled send in List by mail, then the whole scheduled request.
    page.goto(f"{url}requests/{scheduled.request_id}/?open={scheduled.request_id}00000001")
    page.click("#cancel-scheduled-send")
    page.wait_for_selector(f'tr[data-mail="{scheduled.request_id}00000001"][data-status=C]')
    page.goto(f"{url}?request_id={scheduled.request_id}")
    page.click(f'tr[data-request="{scheduled.request_id}"] button:has-text("Cancel send")')
    page.wait_for_selector(f'tr[data-request="{scheduled.request_id}"][data-status=C]')
    assert _settled(scheduled).status == Status.CANCELLED

    # Send a Ready request immediately.
    page.goto(url)
    page.click(f'tr[data-request="{reviewed.request_id}"] button:has-text("Send immediately")')
    page.wait_for_selector(f'tr[data-request="{reviewed.request_id}"][data-status=S]',
                           timeout=60_000)
    screenshot("after-actions")

    # A sending request's progress, watched live to 100 %.
    big = _send(api, title="Many", recipients=[{"address": f"user{n}@example.com"}
                                                for n in range(1500)])
    page.goto(f"{url}?open={big.request_id}")
    page.wait_for_selector(f'#detail[data-request="{big.request_id}"]')
    page.wait_for_selector('#detail .send-progress[data-percent="100"]', timeout=120_000)
    page.wait_for_selector(f'tr[data-request="{big.request_id}"][data-status=S]',
                           timeout=60_000)
    screenshot("progress-done")

    # Download request/list: the recipient tab filtered, built by the worker, read back.
    page.goto(f"{url}?tab=recipient&request_id={results.request_id}")
    page.click("#download-button")
    page.wait_for_selector("#export-dialog")
    page.click("#request-export")
    page.wait_for_selector("#export-list a:has-text('Download')", timeout=60_000)
    screenshot("download")
    with page.expect_download() as download:
        page.click("#export-list a:has-text('Download')")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()),
                             read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    header = rows[0]
    assert sorted(row[header.index("Address")] for row in rows[1:]) == sorted(
        [f"success@{SIM}", f"bounce@{SIM}", f"blocked@{SIM}"])
    codes = {row[header.index("Address")]: row[header.index("Send result code")]
             for row in rows[1:]}
    assert codes[f"success@{SIM}"] == "MAIL_SENT"
    assert codes[f"bounce@{SIM}"] == "MAILBOX_ERROR"
    assert re.match(r"SECURITY_AND_POLICY_ERROR", codes[f"blocked@{SIM}"])
