"""Send mail in Chromium, end to end: the composer opened with [Send] on the Mailing list, each
of the four bulk-send types, advertisements with the basic and a custom unsubscribe notice, two
attachments, a scheduled send, review-and-send and the substitution tag dialog. Each request is
delivered by a real Celery worker to the built-in sink; what every recipient got is read back
from the sink, and the API's request list shows the request with the tool CONSOLE."""

from __future__ import annotations

import io
import re
import zoneinfo
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from addressbook.book import register
from addressbook.models import RecipientGroup
from console.models import SandboxMessage
from console.sink import start_sink, stop_sink
from mailer import template_library
from mailer.models import FINAL_STATUSES, BodyType, SendRequest, Status
from tests.factories import PASSWORD, free_port
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.browser
FAST = {"MAILER_RETRY_BASE_SECONDS": "0.5", "MAILER_SWEEP_SECONDS": "1"}


@pytest.fixture
def sink(transactional_db):
    port = free_port()
    controller = start_sink("127.0.0.1", port)
    yield port
    stop_sink(controller)


@pytest.fixture
def delivering(sink, worker_factory):
    """A worker whose relay is the built-in sink."""
    return worker_factory(SINK_PORT=str(sink), **FAST)


@pytest.fixture
def composer(page, live_server, project, owner, delivering):
    """Logged in; open() opens the composer from the Mailing list's [Send] button."""
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", owner.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/projects/{project.slug}/**")

    class Composer:
        def open(self):
            page.goto(f"{live_server.url}/projects/{project.slug}/mails/")
            page.click("#send-button")
            page.wait_for_selector("#compose-form")

    return Composer()


def _content(page, *, title, body, sender_name="상점", sender="shop@example.com"):
    page.get_by_label("Sender name").fill(sender_name)
    page.get_by_label("Sender address").fill(sender)
    page.get_by_label("Subject").fill(title)
    page.check("input[name=body_type][value=HTML]")
    page.click("button[name=switch_body_type]")
    page.wait_for_selector("input[name=body_type][value=HTML]:checked")
    page.get_by_label("Body", exact=True).fill(body)


def _sent(page, button: str = "#send") -> SendRequest:
    """Press [Send] (or another button); the Mailing list opens on the new request."""
    page.click(button)
    page.wait_for_url(re.compile(r".*/mails/\?request_id=\d+"))
    request_id = page.url.rsplit("=", 1)[1]
    page.wait_for_selector(f'tr.selected[data-request="{request_id}"]')
    return SendRequest.objects.get(request_id=request_id)


def _finished(send_request: SendRequest, timeout: float = 60) -> SendRequest:
    def done() -> bool:
        send_request.refresh_from_db()
        return send_request.status in FINAL_STATUSES

    wait_for(done, timeout, f"request {send_request.request_id} finishing")
    return send_request


def _received(address: str, subject: str):
    """The one message the sink got for `address` with `subject`, parsed."""
    found = [m for m in SandboxMessage.objects.filter(subject=subject) if address in m.rcpt_tos]
    assert len(found) == 1, (address, subject, len(found))
    return found[0], message_from_bytes(bytes(found[0].raw), policy=policy.default)


def _html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def _console_requests(api) -> dict[str, str]:
    listed = api.get("/api/v1/mails/requests", {"startUtc": 0, "endUtc": 4102444800000,
                                                "size": 100})
    assert listed.status_code == 200, listed.content
    return {row["requestId"]: row["dispatchType"] for row in listed.json()["content"]}


def test_send_individually_with_the_tag_dialog_and_general_with_copies(
        page, composer, api, screenshot):
    composer.open()
    screenshot("composer")
    _content(page, title="Event ${SEQ} for you",
             body="<p>Hello #{RECIPIENT_ADDRESS}, event ${SEQ}</p>")
    page.click("#address-recipients summary")
    page.get_by_label("Addresses to add").first.fill(
        "kim@example.com\tlee@example.com; park@example.com")
    page.click("#add-recipients")
    page.wait_for_selector("#address-recipients .address-check:has-text('3 addresses')")
    assert page.get_by_label("Recipient addresses").input_value() == (
        "kim@example.com\nlee@example.com\npark@example.com")
    page.click("#send")
    page.wait_for_selector("#tag-dialog")
    screenshot("tag-dialog")
    page.get_by_label("${SEQ}").fill("3")
    individual = _sent(page, "#tag-ok")
    screenshot("sent-individually")
    assert _finished(individual).status == Status.SENT
    for address in ("kim@example.com", "lee@example.com", "park@example.com"):
        _stored, message = _received(address, "Event 3 for you")
        assert message["To"] == address and message["From"] == "상점 <shop@example.com>"
        assert _html(message).startswith(f"<p>Hello {address}, event 3</p>")

    composer.open()
    page.get_by_label("Sender address").fill("team@example.com")
    page.get_by_label("Subject").fill("Team news")
    editor = page.frame_locator(".tox-edit-area iframe").locator("body")
    editor.click()
    editor.type("Hi all, written in the editor")
    page.check("input[name=send_type][value=general]")
    page.get_by_label("Recipient addresses").fill("a@example.com, b@example.com")
    page.get_by_label("CC", exact=True).fill("c@example.com")
    page.get_by_label("BCC", exact=True).fill("d@example.com")
    screenshot("general")
    general = _finished(_sent(page))
    assert general.status == Status.SENT and general.mail_count == 1
    stored, message = _received("a@example.com", "Team news")
    assert sorted(stored.rcpt_tos) == ["a@example.com", "b@example.com", "c@example.com",
                                       "d@example.com"]
    assert message["To"] == "a@example.com, b@example.com" and message["Cc"] == "c@example.com"
    assert message["Bcc"] is None and "written in the editor" in _html(message)

    tools = _console_requests(api)
    assert tools[individual.request_id] == tools[general.request_id] == "CONSOLE"


def _filled_in(data: bytes, rows: list[list]) -> bytes:
    """The downloaded input template with its example row replaced by `rows`."""
    book = load_workbook(io.BytesIO(data))
    book.active.delete_rows(2)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_send_bulk_mails_via_file_upload_and_group_combined(
        page, composer, project, api, screenshot, tmp_path):
    composer.open()
    _content(page, title="Your code ${CODE}", body="<p>${CODE} for #{RECIPIENT_NAME}</p>")
    page.check("input[name=send_type][value=file]")
    with page.expect_download() as download:
        page.click("#input-template")
    template = download.value.path().read_bytes()
    header = [cell.value for cell in load_workbook(io.BytesIO(template)).active[1]]
    assert header == ["address", "name", "CODE"]

    # A malformed file: its problems are listed by row and column, and it cannot be sent.
    bad = tmp_path / "bad.xlsx"
    book = Workbook()
    for row in (["address", "name", "CODE"], ["kim@example.com", "김민수", "A1"],
                ["not an address", "Lee", "B2"]):
        book.active.append(row)
    book.save(bad)
    page.set_input_files("#id_bulk_file_upload", str(bad))
    page.wait_for_selector("#bulk-status[data-status=failed] #bulk-problems")
    assert page.locator("#bulk-problems tbody tr").first.inner_text().split("\t")[:2] == [
        "3", "address"]
    screenshot("bulk-file-problems")

    good = tmp_path / "good.xlsx"
    good.write_bytes(_filled_in(template, [["kim@example.com", "김민수", "A1"],
                                           ["lee@example.com", "이영희", "B2"]]))
    page.set_input_files("#id_bulk_file_upload", str(good))
    page.wait_for_selector("#bulk-status[data-status=done]")
    assert "2 recipients, ready to send" in page.inner_text("#bulk-status")
    screenshot("bulk-file-ready")
    from_file = _finished(_sent(page))
    assert from_file.status == Status.SENT and from_file.recipient_count == 2
    for address, name, code in (("kim@example.com", "김민수", "A1"),
                                ("lee@example.com", "이영희", "B2")):
        _stored, message = _received(address, f"Your code {code}")
        assert _html(message).startswith(f"<p>{code} for {name}</p>")
        assert message["To"] == f"{name} <{address}>"

    for name, addresses in (("vip", ["a@example.com", "b@example.com", "c@example.com"]),
                            ("news", ["b@example.com", "c@example.com", "d@example.com"])):
        register(project, addresses, [RecipientGroup.objects.create(project=project, name=name)])
    composer.open()
    _content(page, title="Members only", body="<p>For #{RECIPIENT_ADDRESS}</p>")
    page.check("input[name=send_type][value=group]")
    page.get_by_label("vip (3)").check()
    page.get_by_label("news (3)").check()
    page.wait_for_selector("#group-count:has-text('4 recipients')")
    page.get_by_label("AND: addresses common to all the groups").check()
    page.wait_for_selector("#group-count:has-text('2 recipients')")
    page.click("#combined-results")
    page.click("#request-export")
    page.wait_for_selector("#export-list tr[data-status=done]", timeout=30_000)
    screenshot("group-combined-results")
    with page.expect_download() as download:
        page.click("#export-list tr[data-status=done] a")
    rows = list(load_workbook(io.BytesIO(download.value.path().read_bytes())).active.values)
    assert sorted(row[0] for row in rows[1:]) == ["b@example.com", "c@example.com"]
    page.click("#export-dialog form[method=dialog] button")
    grouped = _finished(_sent(page))
    assert grouped.recipient_count == 2
    for address in ("b@example.com", "c@example.com"):
        _stored, message = _received(address, "Members only")
        assert _html(message).startswith(f"<p>For {address}</p>")
    assert not [m for m in SandboxMessage.objects.filter(subject="Members only")
                if {"a@example.com", "d@example.com"} & set(m.rcpt_tos)]

    tools = _console_requests(api)
    assert tools[from_file.request_id] == tools[grouped.request_id] == "CONSOLE"


def test_advertisements_with_the_basic_and_a_custom_notice_and_two_attachments(
        page, composer, api, screenshot, tmp_path):
    composer.open()
    page.check("input[name=classification][value=advertisement]")
    page.click("#precautions")
    page.wait_for_selector("#precautions-dialog")
    assert "(광고)" in page.inner_text("#precautions-dialog")
    screenshot("precautions")
    page.click("#precautions-dialog .panel-actions button")
    _content(page, title="Sale", body="<p>Half price for #{RECIPIENT_ADDRESS}</p>")
    page.check("input[name=classification][value=advertisement]")  # kept across the switch
    refused = tmp_path / "setup.exe"
    refused.write_bytes(b"MZ")
    page.set_input_files("#id_upload", str(refused))
    page.wait_for_selector("#attachment-quick-check:not([hidden])")
    assert "setup.exe cannot be attached" in page.inner_text("#attachment-quick-check")
    price, photo = tmp_path / "price list.pdf", tmp_path / "photo.png"
    price.write_bytes(b"%PDF-1.4 " + b"p" * 2000)
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 3000)
    page.set_input_files("#id_upload", [str(price), str(photo)])
    page.wait_for_selector("#attachments li[data-file='photo.png']")
    assert page.locator("#attachments li").count() == 2
    page.click("#preview-button")
    page.wait_for_selector("#preview-card")
    assert "(광고) Sale" in page.inner_text("#preview-card")
    assert "수신에 동의하신 분께" in page.frame_locator("#preview-card iframe").locator(
        "body").inner_text()
    page.get_by_label("Recipient addresses").fill("x@example.com y@example.com")
    screenshot("advertisement")
    basic = _finished(_sent(page))
    assert basic.status == Status.SENT
    for address in ("x@example.com", "y@example.com"):
        _stored, message = _received(address, "(광고) Sale")
        html = _html(message)
        assert html.startswith(f"<p>Half price for {address}</p>")
        assert "수신에 동의하신 분께" in html and "/u/" in html
        assert message["List-Unsubscribe"]
        files = sorted((part.get_filename(), len(part.get_payload(decode=True)))
                       for part in message.iter_attachments())
        assert files == [("photo.png", 3008), ("price list.pdf", 2009)]

    composer.open()
    page.check("input[name=classification][value=advertisement]")
    _content(page, title="Last day", body="<p>Ends tonight</p>")
    page.check("input[name=classification][value=advertisement]")
    page.get_by_label("Use the basic unsubscribe message").uncheck()
    page.get_by_label("Custom unsubscribe message").fill(
        "<p>No more? <a href=\"#{UNSUBSCRIBE_URL}\">Stop these mails</a></p>")
    page.get_by_label("Recipient addresses").fill("x@example.com")
    custom = _finished(_sent(page))
    _stored, message = _received("x@example.com", "(광고) Last day")
    html = _html(message)
    assert "Stop these mails" in html and "수신에 동의하신 분께" not in html
    assert re.search(r'href="http[^"]+/u/[^"]+/">Stop these mails', html)

    tools = _console_requests(api)
    assert tools[basic.request_id] == tools[custom.request_id] == "CONSOLE"


def test_a_scheduled_send_and_review_and_send(page, composer, project, api, beat_factory,
                                              screenshot):
    beat_factory(**FAST)
    composer.open()
    _content(page, title="Scheduled", body="<p>On time for #{RECIPIENT_ADDRESS}</p>")
    page.get_by_label("Recipient addresses").fill("early@example.com")
    # The earliest minute of the picker that is at least a minute away, in the project's zone.
    now = timezone.now().astimezone(zoneinfo.ZoneInfo(project.time_zone))
    when = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
    page.get_by_label("Scheduled send").check()
    page.get_by_label("Send date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    scheduled = _sent(page)
    assert scheduled.reservation_at == when
    page.wait_for_selector(f'tr[data-request="{scheduled.request_id}"][data-status=R]')
    screenshot("scheduled")

    # Review and send, with a template: loaded, its fields cannot be edited while it is used.
    template_library.create_template(project, None, template_library.TemplateFields(
        name="reviewed-mail", title="Reviewed", body="<p>Checked for #{RECIPIENT_ADDRESS}</p>",
        body_type=BodyType.HTML, sender_address="review@example.com", sender_name="Review"))
    composer.open()
    page.get_by_label("Use template").check()
    page.get_by_label("Template", exact=True).select_option(label="reviewed-mail")
    page.click("#load-template")
    page.wait_for_selector("#id_title[readonly]")
    assert page.get_by_label("Subject").input_value() == "Reviewed"
    assert page.get_by_label("Sender address").input_value() == "review@example.com"
    assert page.get_by_label("Body", exact=True).get_attribute("readonly") is not None
    page.get_by_label("Use template").uncheck()
    assert page.get_by_label("Subject").get_attribute("readonly") is None
    page.get_by_label("Use template").check()
    page.get_by_label("Recipient addresses").fill("boss@example.com team@example.com")
    screenshot("template-loaded")
    reviewed = _sent(page, "#review-and-send")
    assert reviewed.template.name == "reviewed-mail" and reviewed.confirm_and_send
    row = f'tr[data-request="{reviewed.request_id}"]'
    page.wait_for_selector(f"{row}[data-status=R]", timeout=30_000)
    assert not SandboxMessage.objects.filter(subject="Reviewed").exists()
    screenshot("review")
    page.click(f"{row} button:has-text('Send immediately')")
    page.wait_for_url(re.compile(r".*/mails/\?request_id=\d+"))
    assert _finished(reviewed).status == Status.SENT
    for address in ("boss@example.com", "team@example.com"):
        _stored, message = _received(address, "Reviewed")
        assert _html(message).startswith(f"<p>Checked for {address}</p>")

    assert _finished(scheduled, timeout=180).status == Status.SENT
    stored, message = _received("early@example.com", "Scheduled")
    assert stored.received >= when and _html(message).startswith(
        "<p>On time for early@example.com</p>")
    tools = _console_requests(api)
    assert tools[scheduled.request_id] == tools[reviewed.request_id] == "CONSOLE"
