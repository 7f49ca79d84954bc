"""Chromium opens a Sandbox message: nothing loads from elsewhere until Load remote images."""

from __future__ import annotations

import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from console.models import Membership, SandboxMessage
from tests.factories import PASSWORD, add_member, make_project, make_user
from tests.mail_html import TRACKING_MAIL

pytestmark = pytest.mark.browser


@pytest.fixture
def elsewhere():
    """A host of another origin that records what is loaded from it (path, Referer)."""
    hits: list[tuple[str, str | None]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append((self.path, self.headers.get("Referer")))
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/", hits
    server.shutdown()


def test_remote_images_load_only_when_chosen(page, live_server, transactional_db, elsewhere):
    base, hits = elsewhere
    project = make_project("acme")
    add_member(project, make_user("alice"), Membership.Role.ADMIN)
    message = EmailMessage()
    message["Subject"] = "Our news"
    message.add_alternative(TRACKING_MAIL.replace("https://", base), subtype="html")
    item = SandboxMessage.objects.create(project=project, mail_from="shop@example.com",
                                         rcpt_tos=["ann@example.com"], raw=message.as_bytes())
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/projects/acme/mails/")
    page.goto(f"{live_server.url}/projects/acme/sandbox/{item.pk}/")
    page.frame_locator("iframe.mail-content").get_by_text("Hello there").wait_for()
    page.wait_for_load_state("networkidle")
    assert hits == []
    page.get_by_role("link", name="Load remote images").click()
    for _ in range(50):
        if hits:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)  # for anything else the frame would load
    # Only the image, without a Referer: the styles' remote loads are gone from the markup.
    assert hits == [("/tracker.example/p.gif", None)]
