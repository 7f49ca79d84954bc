"""Send mail (the composer) through the Django test client: each of the four bulk-send types
accepted as POST /mails accepts them (tool CONSOLE, the operator's IP), the template, review and
schedule, the tag dialog, and every refusal shown beside its field with nothing sent."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from addressbook.book import register
from addressbook.models import RecipientGroup
from mailer import bulk_file, template_library
from mailer.models import AttachmentFile, BulkSendFile, SendRequest, Status, Tool
from mailer.preparation import prepare
from mailer.tasks import check_bulk_send_file

FORM = {"classification": "regular", "use_basic_unsubscribe": "on", "sender_name": "Shop",
        "sender_address": "shop@example.com", "title": "Hello", "body_type": "HTML",
        "body": "<p>Hello #{RECIPIENT_ADDRESS}</p>", "send_type": "individual",
        "recipients": "a@example.com b@example.com", "and_filter": "false", "send": "1"}


VISIBLE = {"bulk_file": "bulk_file_upload", "send_type": "send_type_0",
           "classification": "classification_0", "groups": "groups"}


def url(project, rest: str = "") -> str:
    return f"/projects/{project.slug}/send/{rest}"


@pytest.fixture
def sender_client(client, sender):
    client.force_login(sender)
    return client


def _send(client, project, **change):
    data = {**FORM, **change}
    return client.post(url(project), {k: v for k, v in data.items() if v is not None},
                       REMOTE_ADDR="198.51.100.7")


def _errors_beside(response, field: str) -> str:
    """The text of the field group that holds `field`, which must be marked as in error."""
    page = response.content.decode()
    at = page.index(f'id="id_{VISIBLE.get(field, field)}"')
    start = page.rindex('<div class="field', 0, at)
    group = page[start:page.index("</div>", page.index("errorlist", start)) + 6]
    assert "has-error" in group or "errorlist" in group, group
    return group


def test_the_mailing_list_opens_the_composer_with_the_seeds_words(sender_client, project):
    listing = sender_client.get(f"/projects/{project.slug}/mails/").content.decode()
    assert 'id="send-button"' in listing and f"/projects/{project.slug}/send/" in listing
    page = sender_client.get(url(project)).content.decode()
    for words in ("Use template", "Load", "Mail classification", "Regular mail",
                  "Advertisement mail", "Precautions for sending", "Sender name",
                  "Sender address", "Subject", "Attachments", "Add file", "Body type",
                  "Bulk send classification", "Send individually", "General",
                  "Send bulk mails via file upload", "Send group combined bulk mails",
                  "Bulk input", "Download input template for sending to bulk recipients",
                  "Select file for bulk send", "Select group", "Combination filter",
                  "Request/Download combined results", "Scheduled send", "Review and send"):
        assert words in page, words
    assert '<label for="id_recipients">' in page and '<label for="id_scheduled_at">' in page


def test_a_viewer_cannot_open_it(client, viewer, project):
    client.force_login(viewer)
    assert client.get(url(project)).status_code == 403
    listing = client.get(f"/projects/{project.slug}/mails/").content.decode()
    assert 'id="send-button"' not in listing


def test_send_individually_is_accepted_as_a_console_request(sender_client, project, sender,
                                                           enqueued):
    response = _send(sender_client, project, recipients="a@example.com;b@example.com\tc@x.org")
    created = SendRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/mails/?request_id={created.request_id}&open={created.request_id}")
    assert (created.tool, created.requester_ip, created.individual) == (
        Tool.CONSOLE, "198.51.100.7", True)
    assert created.recipient_count == 3 and created.requested_by_id == sender.pk
    listing = sender_client.get(response["Location"]).content.decode()
    assert f'data-request="{created.request_id}"' in listing and 'clickable selected' in listing
    assert 'id="detail"' in listing


def test_general_sends_one_mail_with_cc_and_bcc(sender_client, project, enqueued):
    _send(sender_client, project, send_type="general", body="<p>Hi all</p>",
          recipients="a@example.com, b@example.com", cc="c@example.com", bcc="d@example.com")
    created = SendRequest.objects.get()
    assert created.individual is False and created.recipient_count == 4


def test_the_template_gives_sender_subject_and_body(sender_client, project, enqueued):
    template = template_library.create_template(project, None, template_library.TemplateFields(
        name="welcome", title="From the template", body="<p>Template body</p>",
        sender_address="news@example.com", sender_name="News"))
    loaded = sender_client.post(url(project), {**FORM, "template": template.pk, "load": "1"})
    page = loaded.content.decode()
    assert 'value="From the template"' in page and 'value="news@example.com"' in page
    box = page[page.index('name="use_template"'):]
    assert box[:box.index(">")].count("checked") == 1
    # Edited fields are ignored while Use template is on: the template is what is sent.
    _send(sender_client, project, use_template="on", template=template.pk, title="edited")
    created = SendRequest.objects.get()
    assert created.template_id == template.pk and created.title == "From the template"


def test_review_and_send_waits_in_ready_and_is_sent_from_the_mailing_list(
        sender_client, project, enqueued):
    _send(sender_client, project, send=None, review="1")
    created = SendRequest.objects.get()
    # Preparation (run here as the worker would) leaves it Ready: someone has to send it.
    prepare(created)
    created.refresh_from_db()
    assert created.status == Status.READY and created.confirm_and_send
    listing = sender_client.get(f"/projects/{project.slug}/mails/").content.decode()
    assert ">Send immediately</button>" in listing
    response = sender_client.post(f"/projects/{project.slug}/requests/{created.request_id}/send/")
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.status == Status.SENDING


def test_a_scheduled_send_is_in_the_projects_time_zone(sender_client, project, enqueued):
    project.time_zone = "Asia/Seoul"
    project.save()
    soon = timezone.now().astimezone(timezone.get_fixed_timezone(9 * 60)) + timedelta(days=2)
    _send(sender_client, project, scheduled="on", scheduled_at=soon.strftime("%Y-%m-%dT%H:%M"))
    created = SendRequest.objects.get()
    assert abs(created.reservation_at - soon.replace(second=0, microsecond=0)) < timedelta(
        seconds=1)


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"recipients": " ".join(f"u{n}@example.com" for n in range(1001))}, "recipients",
     "At most 1,000 addresses, not 1,001"),
    ({"send_type": "general", "cc": " ".join(f"c{n}@example.com" for n in range(31))}, "cc",
     "At most 30 addresses, not 31"),
    ({"recipients": "a@example.com not-an-address"}, "recipients", "not-an-address"),
    ({"send_type": "general", "classification": "advertisement"}, "send_type",
     "Advertisement mail cannot be sent as General"),
    ({"scheduled": "on", "scheduled_at": "2020-01-01T10:00"}, "scheduled_at",
     "the reservation time is in the past"),
    ({"scheduled": "on", "scheduled_at": (timezone.now() + timedelta(days=31)).strftime(
        "%Y-%m-%dT%H:%M")}, "scheduled_at", "at most 30 days ahead"),
    ({"scheduled": "on", "scheduled_at": ""}, "scheduled_at", "Choose the date and time"),
    ({"sender_address": "nobody"}, "sender_address", "is not a valid mail address"),
    ({"title": "가" * 200}, "title", "at most 500 bytes"),
    ({"classification": "advertisement", "use_basic_unsubscribe": None,
      "unsubscribe_message": ""}, "unsubscribe_message", "required"),
    ({"send_type": "general", "body": "<p>#{RECIPIENT_NAME}</p>"}, "body", "metadata tags"),
    ({"send_type": "file"}, "bulk_file", "Select the file for bulk send first"),
    ({"send_type": "group"}, "groups", "Select at least one group"),
    ({"use_template": "on"}, "template", "Select the template to use"),
])
def test_each_refusal_is_shown_beside_its_field_and_nothing_is_sent(
        sender_client, project, enqueued, change, field, message):
    response = _send(sender_client, project, **change)
    assert response.status_code == 200
    assert message in _errors_beside(response, field)
    assert not SendRequest.objects.exists() and not enqueued


def test_attachments_are_kept_removed_and_sent(sender_client, project, enqueued):
    one = SimpleUploadedFile("price list.pdf", b"%PDF-1.4 price", "application/pdf")
    two = SimpleUploadedFile("photo.png", b"\x89PNG photo", "image/png")
    answer = sender_client.post(url(project, "files/"), {"upload": [one, two], "attachments": ""})
    kept = list(AttachmentFile.objects.filter(project=project).order_by("file_name"))
    page = answer.content.decode()
    assert [f.file_name for f in kept] == ["photo.png", "price list.pdf"]
    assert 'data-file="photo.png"' in page and 'data-file="price list.pdf"' in page
    ids = ",".join(f.file_id for f in kept)
    removed = sender_client.post(url(project, f"files/{kept[0].file_id}/remove/"),
                                 {"attachments": ids}).content.decode()
    assert 'data-file="photo.png"' not in removed and f'value="{kept[1].file_id}"' in removed
    _send(sender_client, project, attachments=ids)
    assert SendRequest.objects.get().attach_file_ids == [f.file_id for f in kept]


def test_a_refused_extension_and_an_oversize_file_are_refused_beside_attachments(
        sender_client, project):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("docs/setup.exe", b"MZ")
    for upload, message in (
            (SimpleUploadedFile("tool.exe", b"MZ"), "tool.exe"),
            (SimpleUploadedFile("bundle.zip", archive.getvalue()), "setup.exe"),
            (SimpleUploadedFile("big.pdf", b"x" * (10 * 1024 * 1024 + 1)), "10 MB")):
        page = sender_client.post(url(project, "files/"), {"upload": upload}).content.decode()
        assert 'role="alert"' in page and message in page, page
    assert not AttachmentFile.objects.exists()


def test_the_substitution_tag_dialog_asks_for_the_missing_values(sender_client, project,
                                                                 enqueued):
    first = _send(sender_client, project, title="Event ${SEQ}",
                  body="<p>${SEQ} for #{RECIPIENT_NAME} ${CODE}</p>")
    page = first.content.decode()
    assert 'id="tag-dialog"' in page and not SendRequest.objects.exists()
    assert 'name="tag_SEQ"' in page and 'name="tag_CODE"' in page
    assert "#{RECIPIENT_NAME}" in page[page.index('id="tag-dialog"'):]
    _send(sender_client, project, title="Event ${SEQ}",
          body="<p>${SEQ} for #{RECIPIENT_NAME} ${CODE}</p>", tag_SEQ="3", tag_CODE="X1")
    created = SendRequest.objects.get()
    assert created.parameters == {"SEQ": "3", "CODE": "X1"}


def _workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_input_template_has_one_column_per_tag(sender_client, project):
    response = sender_client.post(url(project, "input-template/"), {
        "title": "Hi ${NAME}", "body": "<p>${CODE} #{RECIPIENT_NAME}</p>"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == ["address", "name", "CODE", "NAME"]


def test_a_file_upload_is_checked_in_the_background_then_sent(sender_client, project, enqueued):
    data = _workbook([["address", "name", "CODE"], ["kim@example.com", "김민수", "A1"],
                      ["lee@example.com", "", 7], ["KIM@example.com", "again", "A2"]])
    answer = sender_client.post(url(project, "bulk-file/"), {
        "file": SimpleUploadedFile("list.xlsx", data)})
    job = BulkSendFile.objects.get()
    assert enqueued == [(BulkSendFile.TASK, {"job_id": job.pk})]
    assert 'hx-trigger="every 1s"' in answer.content.decode()
    check_bulk_send_file(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.rows, job.columns, job.content) == ("done", 2, ["CODE"], None)
    status = sender_client.get(url(project, f"bulk-file/{job.pk}/"),
                               HTTP_HX_REQUEST="true").content.decode()
    assert "2 recipients, ready to send" in status and 'name="bulk_file"' in status
    _send(sender_client, project, send_type="file", bulk_file=job.pk, recipients="",
          title="Code ${CODE}")
    created = SendRequest.objects.get()
    assert created.recipient_count == 2 and created.tool == Tool.CONSOLE


def test_a_malformed_file_lists_its_problems_by_row_and_column(sender_client, project,
                                                               enqueued):
    data = _workbook([["address", "name", "CODE"], ["kim@example.com", "Kim", "A1"],
                      ["not an address", "Lee", "B"], ["park@example.com", "x" * 300, "C"],
                      ["", "Choi", "C"]])
    sender_client.post(url(project, "bulk-file/"), {"file": SimpleUploadedFile("bad.xlsx", data)})
    job = BulkSendFile.objects.get()
    check_bulk_send_file(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "3 problems" in job.error
    assert [(row, column) for row, column, _message in job.problems] == [
        (3, "address"), (4, "name"), (5, "address")]
    page = sender_client.get(url(project, f"bulk-file/{job.pk}/"),
                             HTTP_HX_REQUEST="true").content.decode()
    assert 'id="bulk-problems"' in page and "not an address is not a valid mail address" in page
    refused = _send(sender_client, project, send_type="file", bulk_file=job.pk)
    assert refused.status_code == 200 and not SendRequest.objects.exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"address,name\nkim@example.com,Kim\n", "not an Excel workbook"),
    (_workbook([["mail", "who"], ["kim@example.com", "Kim"]]), "The first row must be"),
    (_workbook([["address", "name"]]), "holds no recipient"),
])
def test_a_file_that_is_not_the_input_template_is_refused(project, owner, content, message,
                                                          enqueued):
    job = bulk_file.request_check(project, owner, "file.xlsx", content)
    bulk_file.check(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and message in job.error


def test_group_combined_bulk_mails_count_live_and_send(sender_client, project, enqueued):
    for name, addresses in (("vip", ["a@example.com", "b@example.com"]),
                            ("news", ["b@example.com", "c@example.com"])):
        group = RecipientGroup.objects.create(project=project, name=name)
        register(project, addresses, [group])
    counted = sender_client.post(url(project, "group-count/"), {
        "groups": ["vip", "news"], "and_filter": "true"}).content.decode()
    assert "1 recipient" in counted
    counted = sender_client.post(url(project, "group-count/"), {
        "groups": ["vip", "news"], "and_filter": "false"}).content.decode()
    assert "3 recipients" in counted
    _send(sender_client, project, send_type="group", groups=["vip", "news"], and_filter="true",
          recipients="")
    created = SendRequest.objects.get()
    assert created.recipient_group_filter == {"andFilter": True, "groups": ["vip", "news"]}


def test_bulk_input_splits_pasted_text_and_checks_each_address(sender_client, project):
    page = sender_client.post(url(project, "bulk-input/recipients/"), {
        "recipients": "a@example.com", "paste_recipients":
            "b@example.com\tc@example.com; d@example.com,e@example.com\nbad a@example.com"},
    ).content.decode()
    assert "a@example.com\nb@example.com\nc@example.com\nd@example.com\ne@example.com\nbad" in page
    assert "6 addresses of at most 1,000" in page and "bad" in page[page.index("badge bad"):]
    assert sender_client.post(url(project, "bulk-input/nothing/"), {}).status_code == 404


def test_byte_counts_and_the_preview_of_an_advertisement(sender_client, project):
    counted = sender_client.post(url(project, "count/title/"), {"title": "가나다"}).content.decode()
    assert "9 / 500 bytes" in counted
    preview = sender_client.post(url(project, "preview/"), {
        "classification": "advertisement", "title": "Sale", "body_type": "HTML",
        "body": "<p>Half price</p>", "use_basic_unsubscribe": "on"}).content.decode()
    assert "(광고) Sale" in preview and "Half price" in preview
    precautions = sender_client.get(url(project, "precautions/"), HTTP_HX_REQUEST="true")
    assert "(광고)" in precautions.content.decode() and "<dialog" in precautions.content.decode()


def test_the_api_request_list_shows_the_console_tool(sender_client, project, api, enqueued):
    _send(sender_client, project)
    listed = api.get("/api/v1/mails/requests", {"startUtc": 0, "endUtc": 4102444800000})
    assert listed.status_code == 200, listed.content
    assert [row["dispatchType"] for row in listed.json()["content"]] == ["CONSOLE"]


def test_checked_recipients_stand_for_recipients_only_on_their_own(project, enqueued):
    from mailer.acceptance import CheckedRecipients, accept
    from mailer.rules import Refused
    from mailer.schemas import MailRequestIn

    checked = CheckedRecipients.of([{"address": "a@example.com", "type": "R"}])
    content = {"senderAddress": "shop@example.com", "title": "Hi", "body": "<p>Hi</p>"}
    with pytest.raises(Refused, match="one or the other"):
        accept(project, MailRequestIn.model_validate(
            {**content, "recipients": [{"address": "b@example.com"}]}), checked=checked)
    with pytest.raises(Refused, match="at least one recipient"):
        accept(project, MailRequestIn.model_validate({**content, "individual": False}),
               checked=checked)
    accepted = accept(project, MailRequestIn.model_validate(content), checked=checked)
    assert accepted.count == 1
    assert accepted.send_request.recipients_payload() == [{"address": "a@example.com",
                                                           "type": "R"}]
