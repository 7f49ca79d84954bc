"""The Mailing list: List by request, List by recipient and List by mail, their search bar, detail
panes, View content, attachments and actions (the downloads are in test_mail_exports.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from console.models import Project
from mailer.models import (
    AttachmentFile,
    Mail,
    Recipient,
    SendRequest,
    Status,
    Template,
    Tool,
)
from mailer.result_codes import ResultCode
from mailer.tasks import prepare_request
from tests.mailer.factories import accepted_request, recipients


def _url(project, **params) -> str:
    return f"/projects/{project.slug}/mails/"


def _prepared(project, **overrides) -> SendRequest:
    send_request = accepted_request(project, **overrides)
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    send_request.refresh_from_db()
    return send_request


def _finish(send_request, code=ResultCode.MAIL_SENT, status=Status.SENT) -> None:
    now = timezone.now()
    Recipient.objects.filter(send_request=send_request).update(
        result_code=code, attempts=1, received=code == ResultCode.MAIL_SENT,
        received_at=now if code == ResultCode.MAIL_SENT else None)
    Mail.objects.filter(send_request=send_request).update(status=status, sent_at=now)
    SendRequest.objects.filter(pk=send_request.pk).update(status=status, send_started_at=now,
                                                          finished_at=now + timedelta(seconds=75))


def _ids(html: str, attribute: str) -> list[str]:
    return re.findall(rf'{attribute}="([^"]+)"', html)


# The fields the seed lists for each list (seeds/000 and seeds/003).
REQUEST_FIELDS = ["Request ID", "Sender address", "Request date and time", "Send date and time",
                  "Send duration", "Scheduled send status", "Cancellation date and time",
                  "Request count", "Send status", "Sender name", "Template ID", "Template name",
                  "Request IP", "Send request tool", "Advertisement mail status",
                  "Recipient count", "View list by mail"]
RECIPIENT_FIELDS = ["Email sending details", "Project ID", "Request ID", "Request date and time",
                    "Send date and time", "Scheduled send date and time", "Send status",
                    "Mail ID", "Template ID", "Template name", "Recipient information",
                    "Address", "Receipt status", "Unsubscribed status", "Send result code",
                    "Resend count", "Receipt date and time", "Unsubscribed date and time",
                    "Email content", "Subject", "Content", "View content", "Attachment"]
MAIL_FIELDS = ["Email sending details", "Project ID", "Request ID", "Request date and time",
               "Send date and time", "Scheduled send date and time", "Send status", "Mail ID",
               "Template ID", "Template name", "Request IP", "Recipient information", "Address",
               "Receipt status", "Receipt date and time", "Send result code", "Email content",
               "Subject", "Content", "View content", "Attachment"]


def _detail(html: str) -> str:
    start = html.index('id="detail"')
    return html[start:html.index("</section>", start)]


def test_it_says_what_the_screen_is_for_before_any_send(owner_client, project):
    response = owner_client.get(_url(project))
    assert b'id="empty-state"' in response.content


def test_it_lists_the_project_s_requests_newest_first(owner_client, project, outsider):
    first = accepted_request(project, title="First")
    second = accepted_request(project, title="Second")
    accepted_request(Project.objects.get(name="other"), title="Theirs")
    body = owner_client.get(_url(project)).content.decode()
    assert body.index(second.request_id) < body.index(first.request_id)
    assert "Theirs" not in body


def test_the_tabs_and_the_search_bar_use_the_seed_s_words(owner_client, project):
    accepted_request(project)
    body = owner_client.get(_url(project)).content.decode()
    for words in ("List by request", "List by recipient", "Request date", "Send status",
                  "Request ID", "Recipient address", "Sender address", "Subject", "Template",
                  "Send request tool", "Search", "Download request/list", "Send", "Refresh"):
        assert words in body
    # Every input of the search bar has a visible label.
    for name in ("start", "end", "status", "request_id", "recipient", "sender", "subject",
                 "template", "tool"):
        assert f'for="id_{name}"' in body


@pytest.fixture
def mixed(project):
    """Requests that differ in each criterion, prepared (mails and recipients exist)."""
    template = Template.objects.create(project=project, name="welcome", title="Welcome",
                                       body="<p>Hi</p>", sender_address="t@company.com")
    old = _prepared(project, title="Old news", recipients=[{"address": "old@example.com"}])
    SendRequest.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=45))
    Recipient.objects.filter(send_request=old).update(
        requested_at=timezone.now() - timedelta(days=45))
    return {
        "plain": _prepared(project, title="Spring offer",
                           recipients=[{"address": "ann@example.com"}]),
        "failed": _prepared(project, title="Invoice",
                            recipients=[{"address": "bob@example.com"}]),
        "other_sender": _prepared(project, senderAddress="news@other.com", title="Newsletter",
                                  recipients=[{"address": "cy@example.com"}]),
        "templated": _prepared(project, templateSid=template.pk, title="Welcome aboard",
                               recipients=[{"address": "dee@example.com"}]),
        "old": old,
        "template": template,
    }


def _console(send_request) -> None:
    SendRequest.objects.filter(pk=send_request.pk).update(tool=Tool.CONSOLE)


def _listed(client, project, tab="request", **params) -> str:
    response = client.get(_url(project), {"tab": tab, **params})
    assert response.status_code == 200
    return response.content.decode()


def _request_ids(html: str) -> set[str]:
    return set(_ids(html, "data-request"))


def test_each_criterion_filters_list_by_request(owner_client, project, mixed):
    _finish(mixed["failed"], ResultCode.MAILBOX_ERROR, Status.FAILED)
    _console(mixed["other_sender"])
    ids = {name: r.request_id for name, r in mixed.items() if isinstance(r, SendRequest)}
    recent = {ids[n] for n in ("plain", "failed", "other_sender", "templated")}

    assert _request_ids(_listed(owner_client, project)) == recent  # the last 30 days
    today = timezone.localdate()
    whole = {"start": (today - timedelta(days=60)).isoformat(), "end": today.isoformat()}
    assert _request_ids(_listed(owner_client, project, **whole)) == recent | {ids["old"]}
    assert _request_ids(_listed(owner_client, project, status="F")) == {ids["failed"]}
    assert _request_ids(_listed(owner_client, project, request_id=ids["plain"])) == \
        {ids["plain"]}
    assert _request_ids(_listed(owner_client, project, recipient="BOB@example.com")) == \
        {ids["failed"]}
    assert _request_ids(_listed(owner_client, project, sender="news@other.com")) == \
        {ids["other_sender"]}
    assert _request_ids(_listed(owner_client, project, subject="OFFER")) == {ids["plain"]}
    assert _request_ids(_listed(owner_client, project, template=mixed["template"].pk)) == \
        {ids["templated"]}
    assert _request_ids(_listed(owner_client, project, tool="CONSOLE")) == \
        {ids["other_sender"]}


def _recipient_addresses(html: str) -> set[str]:
    return {Recipient.objects.get(pk=pk).address for pk in _ids(html, "data-recipient")}


def test_each_criterion_filters_list_by_recipient(owner_client, project, mixed):
    _finish(mixed["failed"], ResultCode.MAILBOX_ERROR, Status.FAILED)
    _console(mixed["other_sender"])
    recent = {"ann@example.com", "bob@example.com", "cy@example.com", "dee@example.com"}
    tab = "recipient"
    assert _recipient_addresses(_listed(owner_client, project, tab)) == recent
    today = timezone.localdate()
    assert _recipient_addresses(_listed(
        owner_client, project, tab, start=(today - timedelta(days=60)).isoformat(),
        end=today.isoformat())) == recent | {"old@example.com"}
    assert _recipient_addresses(_listed(owner_client, project, tab, status="F")) == \
        {"bob@example.com"}
    assert _recipient_addresses(_listed(owner_client, project, tab,
                                        request_id=mixed["plain"].request_id)) == \
        {"ann@example.com"}
    assert _recipient_addresses(_listed(owner_client, project, tab,
                                        recipient="cy@example.com")) == {"cy@example.com"}
    assert _recipient_addresses(_listed(owner_client, project, tab,
                                        sender="NEWS@other.com")) == {"cy@example.com"}
    assert _recipient_addresses(_listed(owner_client, project, tab, subject="invoice")) == \
        {"bob@example.com"}
    assert _recipient_addresses(_listed(owner_client, project, tab,
                                        template=mixed["template"].pk)) == {"dee@example.com"}
    assert _recipient_addresses(_listed(owner_client, project, tab, tool="CONSOLE")) == \
        {"cy@example.com"}


@pytest.mark.parametrize("params, field, message", [
    ({"request_id": "12ab"}, "request_id", "A request ID is 20 digits."),
    ({"recipient": "not-an-address"}, "recipient", "Enter a complete mail address"),
    ({"sender": "x@"}, "sender", "Enter a complete mail address"),
    ({"start": "2026-13-40"}, "start", "Enter a valid date."),
    ({"start": "2026-05-02", "end": "2026-05-01"}, "end", "before its start"),
    ({"status": "nonsense"}, "status", "Select a valid choice."),
    ({"template": "99999"}, "template", "Select a valid choice."),
    ({"tool": "FAX"}, "tool", "Select a valid choice."),
    ({"after": "yesterday"}, "after", "This page link is not valid"),
])
def test_a_bad_criterion_gets_a_message_beside_its_field(owner_client, project, params, field,
                                                         message):
    accepted_request(project)
    response = owner_client.get(_url(project), params)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'id="search-errors"' in body
    if field not in ("after",):
        group = body[body.index(f'for="id_{field}"'):]
        assert message in group[:group.index("</div>")]


@pytest.mark.parametrize("params", [
    {"tab": "nothing"}, {"open": "x" * 500}, {"before": "1-2-3"}, {"subject": "x" * 600},
    {"start": "\x00"}, {"tab": "recipient", "open": "abc"}, {"after": "99999999999999999999-1"},
])
def test_garbage_never_breaks_the_page(owner_client, project, params):
    accepted_request(project)
    assert owner_client.get(_url(project), params).status_code == 200


def test_presets_set_the_request_date_range(owner_client, project):
    accepted_request(project)
    body = _listed(owner_client, project)
    today = timezone.localdate()
    for name, days in (("today", 1), ("7d", 7), ("30d", 30), ("90d", 90)):
        link = re.search(rf'data-preset="{name}" href="([^"]+)"', body).group(1)
        assert f"start={(today - timedelta(days=days - 1)).isoformat()}" in link
        assert f"end={today.isoformat()}" in link


def test_list_by_request_pages_by_keyset_both_ways(owner_client, project, monkeypatch):
    from mailer.views import mailing_list as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    ids = [accepted_request(project).request_id for _ in range(5)]
    first = _listed(owner_client, project)
    assert _request_ids(first) == {ids[4], ids[3]}
    older = re.search(r'id="next-page" href="\?([^"]+)"', first).group(1).replace("&amp;", "&")
    second = owner_client.get(f"{_url(project)}?{older}").content.decode()
    assert _request_ids(second) == {ids[2], ids[1]}
    newer = re.search(r'id="newer-page" href="\?([^"]+)"', second).group(1).replace("&amp;", "&")
    assert _request_ids(owner_client.get(f"{_url(project)}?{newer}").content.decode()) == \
        {ids[4], ids[3]}
    last = re.search(r'id="next-page" href="\?([^"]+)"', second).group(1).replace("&amp;", "&")
    third = owner_client.get(f"{_url(project)}?{last}").content.decode()
    assert _request_ids(third) == {ids[0]} and 'id="next-page"' not in third


def test_list_by_recipient_pages_by_keyset(owner_client, project, monkeypatch):
    from mailer.views import mailing_list as views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    _prepared(project, recipients=recipients(7))
    first = _listed(owner_client, project, "recipient")
    assert len(_ids(first, "data-recipient")) == 3
    seen = set(_ids(first, "data-recipient"))
    page = first
    while match := re.search(r'id="next-page" href="\?([^"]+)"', page):
        page = owner_client.get(f"{_url(project)}?{match.group(1).replace('&amp;', '&')}") \
            .content.decode()
        assert not seen & set(_ids(page, "data-recipient"))
        seen |= set(_ids(page, "data-recipient"))
    assert len(seen) == 7


def test_the_request_detail_pane_shows_every_field_of_the_seed(owner_client, project):
    template = Template.objects.create(project=project, name="welcome", title="Hi", body="b",
                                       sender_address="t@company.com")
    send_request = _prepared(project, templateSid=template.pk, senderName="Shop Team",
                             recipients=recipients(3))
    _finish(send_request)
    SendRequest.objects.filter(pk=send_request.pk).update(requester_ip="203.0.113.7")
    body = _listed(owner_client, project, open=send_request.request_id)
    pane = _detail(body)
    for label in REQUEST_FIELDS:
        assert f">{label}<" in pane, label
    for value in (send_request.request_id, "Shop Team", "shop@company.com", "203.0.113.7",
                  "welcome", str(template.pk), "1 min 15 s", "Immediate send", "Regular mail",
                  "Successfully sent", "API"):
        assert value in pane, value
    assert f'/mails/requests/{send_request.request_id}/' in pane


def test_the_recipient_detail_pane_shows_every_field_of_the_seed(owner_client, project):
    send_request = _prepared(project, title="Hello #{RECIPIENT_NAME}",
                             recipients=[{"address": "ann@example.com", "name": "Ann"}])
    _finish(send_request, ResultCode.MAILBOX_ERROR, Status.FAILED)
    recipient = Recipient.objects.get(send_request=send_request)
    Recipient.objects.filter(pk=recipient.pk).update(
        reply_code=550, reply_text="5.1.1 no such user", attempts=3,
        unsubscribed_at=timezone.now())
    pane = _detail(_listed(owner_client, project, "recipient", open=recipient.pk))
    for label in RECIPIENT_FIELDS:
        assert f">{label}<" in pane, label
    for value in ("ann@example.com", "MAILBOX_ERROR",
                  "Sending failed due to recipient mailbox error", "550 5.1.1 no such user",
                  "Hello Ann", f"{send_request.request_id}00000001", "Not received",
                  ">Unsubscribed<", str(project.pk)):
        assert value in pane, value
    assert ">2<" in pane  # resend count: 3 attempts


def test_the_mail_detail_pane_shows_every_field_of_the_seed(owner_client, project):
    send_request = _prepared(project, recipients=recipients(2))
    _finish(send_request)
    mail_id = f"{send_request.request_id}00000002"
    response = owner_client.get(f"{_url(project)}requests/{send_request.request_id}/",
                                {"open": mail_id})
    body = response.content.decode()
    assert "List by mail" in body
    assert _ids(body, "data-mail")[:2] == [f"{send_request.request_id}00000001", mail_id]
    pane = _detail(body)
    for label in MAIL_FIELDS:
        assert f">{label}<" in pane, label
    assert "user000001@example.com" in pane and "MAIL_SENT" in pane
    assert "Sending successful" in pane


def test_list_by_mail_searches_and_pages(owner_client, project, monkeypatch):
    from mailer.views import mailing_list as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    send_request = _prepared(project, recipients=recipients(5))
    url = f"{_url(project)}requests/{send_request.request_id}/"
    first = owner_client.get(url).content.decode()
    assert len(_ids(first, "data-mail")) == 2
    nxt = re.search(r'id="next-page" href="\?([^"]+)"', first).group(1).replace("&amp;", "&")
    second = owner_client.get(f"{url}?{nxt}").content.decode()
    assert _ids(second, "data-mail") == [f"{send_request.request_id}0000000{n}" for n in (3, 4)]
    found = owner_client.get(url, {"recipient": "user000004@example.com"}).content.decode()
    assert _ids(found, "data-mail") == [f"{send_request.request_id}00000005"]
    by_id = owner_client.get(url, {"mail_id": f"{send_request.request_id}00000003"})
    assert _ids(by_id.content.decode(), "data-mail") == [f"{send_request.request_id}00000003"]
    bad = owner_client.get(url, {"mail_id": "123"}).content.decode()
    assert "A mail ID is 28 digits" in bad
    assert owner_client.get(url, {"status": "P"}).status_code == 200  # not a mail status


def test_list_by_mail_is_reached_from_the_recipient_count(owner_client, project):
    send_request = _prepared(project, recipients=recipients(2))
    body = _listed(owner_client, project)
    assert f'class="recipient-count" href="/projects/{project.slug}/mails/requests/' \
           f'{send_request.request_id}/"' in body


def test_htmx_gets_the_lists_a_poll_gets_the_results_a_history_restore_the_page(
        owner_client, project):
    accepted_request(project)
    lists = owner_client.get(_url(project), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="lists"' in lists and "<html" not in lists
    results = owner_client.get(_url(project), HTTP_HX_REQUEST="true",
                               HTTP_HX_TARGET="results").content.decode()
    assert 'id="results"' in results and 'id="search-bar"' not in results
    restored = owner_client.get(_url(project), HTTP_HX_REQUEST="true",
                                HTTP_HX_HISTORY_RESTORE_REQUEST="true").content.decode()
    assert "<html" in restored


def test_it_shows_the_progress_of_a_sending_request_and_polls(owner_client, project):
    send_request = _prepared(project, recipients=recipients(4))
    Mail.objects.filter(send_request=send_request, seq__lte=3).update(status=Status.SENT)
    body = _listed(owner_client, project, open=send_request.request_id)
    assert "3 / 4 mails done (75 %)" in body
    assert 'hx-trigger="every 2s"' in body


def test_a_finished_list_does_not_poll(owner_client, project):
    _finish(_prepared(project))
    assert 'hx-trigger="every 2s"' not in _listed(owner_client, project)


def test_it_says_when_a_reservation_went_out_late(owner_client, project):
    late = accepted_request(project)
    now = timezone.now()
    SendRequest.objects.filter(pk=late.pk).update(
        status=Status.SENDING, reservation_at=now - timedelta(minutes=75), dispatched_at=now)
    assert b"sent 1 h 15 min late" in owner_client.get(_url(project)).content


def test_view_content_shows_the_mail_as_its_recipient_got_it(owner_client, project):
    send_request = _prepared(
        project, advertising=True, title="Sale for #{RECIPIENT_NAME}",
        body="<p>Dear #{RECIPIENT_NAME}, ${CODE}</p><script>alert(1)</script>",
        parameters={"CODE": "X-42"},
        recipients=[{"address": "ann@example.com", "name": "Ann"}])
    recipient = Recipient.objects.get(send_request=send_request)
    mail_id = f"{send_request.request_id}00000001"
    response = owner_client.get(f"{_url(project)}{mail_id}/content/",
                                {"recipient": recipient.pk})
    body = response.content.decode()
    assert "(광고)Sale for Ann" in body or "(광고) Sale for Ann" in body
    frame = re.search(r'<iframe[^>]*id="content-frame"[^>]*>', body).group(0)
    assert 'sandbox=""' in frame
    document = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert "Dear Ann, X-42" in document
    assert "script" not in document.replace("Content-Security-Policy", "")
    assert "/u/" in document  # the footer of advertising mail, with its link
    assert "/o/" not in document  # no tracking image: viewing is not opening
    dialog = owner_client.get(f"{_url(project)}{mail_id}/content/", HTTP_HX_REQUEST="true")
    assert b'id="content-dialog"' in dialog.content and b"<html" not in dialog.content


def test_attachments_are_named_and_downloadable_by_members_only(owner_client, project,
                                                                outsider, tmp_path):
    from django.test import Client

    path = tmp_path / "terms.pdf"
    path.write_bytes(b"%PDF-1.4 terms")
    AttachmentFile.objects.create(project=project, temp_request_id="t", file_id="file-1",
                                  file_name="terms.pdf", content_type="application/pdf",
                                  size=14, path=str(path))
    send_request = _prepared(project, attachFileIds=["file-1"])
    recipient = Recipient.objects.get(send_request=send_request)
    pane = _detail(_listed(owner_client, project, "recipient", open=recipient.pk))
    assert "terms.pdf" in pane
    url = f"{_url(project)}files/file-1/"
    response = owner_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 terms"
    other = Client()
    other.force_login(outsider)
    assert other.get(url).status_code == 404
    # A file no longer kept is still named, and its link is gone.
    AttachmentFile.objects.filter(file_id="file-1").update(path="")
    pane = _detail(_listed(owner_client, project, "recipient", open=recipient.pk))
    assert "terms.pdf" in pane and "no longer kept" in pane
    assert owner_client.get(url).status_code == 404


def test_send_immediately_and_cancel_send(owner_client, project, enqueued):
    ready = _prepared(project, confirmAndSend=True)
    assert ready.status == Status.READY
    body = _listed(owner_client, project)
    assert ">Send immediately</button>" in body and ">Cancel send</button>" in body
    response = owner_client.post(f"/projects/{project.slug}/requests/{ready.request_id}/send/",
                                 follow=True)
    assert f"Request {ready.request_id} is being sent." in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == Status.SENDING
    response = owner_client.post(
        f"/projects/{project.slug}/requests/{ready.request_id}/cancel/", follow=True)
    assert "was cancelled" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == Status.CANCELLED
    assert not Recipient.objects.filter(send_request=ready).exclude(
        result_code=ResultCode.CANCELED_MAIL).exists()


def test_refusals_are_said_clearly(owner_client, project, enqueued):
    stale = _prepared(project, confirmAndSend=True)
    SendRequest.objects.filter(pk=stale.pk).update(ready_at=timezone.now() - timedelta(days=31))
    response = owner_client.post(f"/projects/{project.slug}/requests/{stale.request_id}/send/",
                                 follow=True)
    assert "more than 30 days ago cannot be sent now" in response.content.decode()
    done = _prepared(project)
    _finish(done)
    response = owner_client.post(f"/projects/{project.slug}/requests/{done.request_id}/cancel/",
                                 follow=True)
    assert "cannot be cancelled" in response.content.decode()


def test_cancel_scheduled_send_of_one_mail(owner_client, project, enqueued):
    later = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    scheduled = _prepared(project, reservationDateTime=later, recipients=recipients(2))
    assert scheduled.status == Status.READY
    first, second = (f"{scheduled.request_id}0000000{n}" for n in (1, 2))
    url = f"{_url(project)}requests/{scheduled.request_id}/"
    assert "Cancel scheduled send" in _detail(owner_client.get(url, {"open": first})
                                              .content.decode())
    owner_client.post(f"{_url(project)}{first}/cancel/")
    assert Mail.objects.get(send_request=scheduled, seq=1).status == Status.CANCELLED
    assert Recipient.objects.get(mail__send_request=scheduled, mail__seq=1).result_code == \
        ResultCode.CANCELED_MAIL
    scheduled.refresh_from_db()
    assert scheduled.status == Status.READY  # the other mail still goes at its time
    owner_client.post(f"{_url(project)}{second}/cancel/")
    scheduled.refresh_from_db()
    assert scheduled.status == Status.CANCELLED  # its last mail: the request is cancelled
    response = owner_client.post(f"{_url(project)}{second}/cancel/", follow=True)
    assert "Only a mail of a scheduled request" in response.content.decode()


def test_a_viewer_sees_the_lists_but_no_action(client, project, viewer, enqueued):
    ready = _prepared(project, title="Visible", confirmAndSend=True)
    client.force_login(viewer)
    body = client.get(_url(project), {"open": ready.request_id}).content.decode()
    assert "Visible" in body
    assert ">Send immediately</button>" not in body and ">Cancel send</button>" not in body
    assert client.post(f"/projects/{project.slug}/requests/{ready.request_id}/send/") \
        .status_code == 403
    assert client.post(f"/projects/{project.slug}/requests/{ready.request_id}/cancel/") \
        .status_code == 403
    assert client.post(f"{_url(project)}{ready.request_id}00000001/cancel/").status_code == 403


def test_an_outsider_can_reach_nothing_of_the_project(client, project, outsider, enqueued):
    send_request = _prepared(project, confirmAndSend=True)
    mail_id = f"{send_request.request_id}00000001"
    client.force_login(outsider)
    for url in (_url(project), f"{_url(project)}requests/{send_request.request_id}/",
                f"{_url(project)}{mail_id}/content/"):
        assert client.get(url).status_code == 404
    for url in (f"/projects/{project.slug}/requests/{send_request.request_id}/send/",
                f"/projects/{project.slug}/requests/{send_request.request_id}/cancel/",
                f"{_url(project)}{mail_id}/cancel/"):
        assert client.post(url).status_code == 404


def test_another_project_s_ids_are_not_found_in_mine(owner_client, project, outsider,
                                                     enqueued):
    theirs = _prepared(Project.objects.get(name="other"), confirmAndSend=True)
    mail_id = f"{theirs.request_id}00000001"
    recipient = Recipient.objects.get(send_request=theirs)
    assert owner_client.get(f"{_url(project)}requests/{theirs.request_id}/").status_code == 404
    assert owner_client.get(f"{_url(project)}{mail_id}/content/").status_code == 404
    assert owner_client.post(f"{_url(project)}{mail_id}/cancel/").status_code == 404
    assert owner_client.post(f"/projects/{project.slug}/requests/{theirs.request_id}/send/") \
        .status_code == 404
    accepted_request(project)
    for tab, open_id in (("request", theirs.request_id), ("recipient", recipient.pk)):
        assert 'id="detail"' not in _listed(owner_client, project, tab, open=open_id)


def test_it_refuses_post(owner_client, project):
    assert owner_client.post(_url(project)).status_code == 405


def test_unsubscribing_through_the_mail_marks_its_recipient(client, project):
    from mailer.unsubscribe import unsubscribe_url

    send_request = _prepared(project, advertising=True)
    recipient = Recipient.objects.get(send_request=send_request)
    path = unsubscribe_url(recipient.pk).split("://", 1)[-1].split("/", 1)[1]
    client.post(f"/{path}")
    recipient.refresh_from_db()
    assert recipient.unsubscribed_at is not None
