from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from mailer.models import SendBlock, SendBlockHistory, Unsubscriber
from mailer.result_codes import ResultCode


def test_it_lists_and_searches_unsubscribers(owner_client, project):
    Unsubscriber.objects.create(project=project, address="kim@example.com")
    Unsubscriber.objects.create(project=project, address="lee@example.com")
    page = owner_client.get(f"/projects/{project.slug}/unsubscribers/", {"q": "kim"})
    assert b"kim@example.com" in page.content and b"lee@example.com" not in page.content


def test_it_answers_htmx_with_the_rows_only(owner_client, project):
    response = owner_client.get(f"/projects/{project.slug}/unsubscribers/",
                                HTTP_HX_REQUEST="true")
    assert b'id="rows"' in response.content and b"<html" not in response.content


def test_an_admin_adds_unsubscribers_by_hand(owner_client, project):
    response = owner_client.post(f"/projects/{project.slug}/unsubscribers/add/",
                                 {"addresses": "kim@example.com; lee@example.com\nkim@example.com"})
    assert response.status_code == 302
    assert set(Unsubscriber.objects.values_list("address", flat=True)) == {
        "kim@example.com", "lee@example.com"}


def test_adding_refuses_a_bad_address_and_adds_nothing(owner_client, project):
    response = owner_client.post(f"/projects/{project.slug}/unsubscribers/add/",
                                 {"addresses": "kim@example.com not-an-address"})
    assert b"Not mail addresses: not-an-address" in response.content
    assert not Unsubscriber.objects.exists()


def test_adding_refuses_more_than_1000(owner_client, project):
    typed = " ".join(f"u{n}@example.com" for n in range(1001))
    response = owner_client.post(f"/projects/{project.slug}/unsubscribers/add/",
                                 {"addresses": typed})
    assert b"At most 1000 addresses" in response.content
    assert not Unsubscriber.objects.exists()


def test_an_admin_removes_an_unsubscriber(owner_client, project):
    row = Unsubscriber.objects.create(project=project, address="kim@example.com")
    owner_client.post(f"/projects/{project.slug}/unsubscribers/{row.pk}/remove/")
    assert not Unsubscriber.objects.exists()


def test_a_viewer_sees_but_cannot_change_the_list(client, project, viewer):
    row = Unsubscriber.objects.create(project=project, address="kim@example.com")
    client.force_login(viewer)
    page = client.get(f"/projects/{project.slug}/unsubscribers/")
    assert b"kim@example.com" in page.content and b"/remove/" not in page.content
    assert client.post(f"/projects/{project.slug}/unsubscribers/{row.pk}/remove/"
                       ).status_code == 403


def test_it_lists_blocked_addresses_and_unblocks_them(owner_client, project):
    block = SendBlock.objects.create(project=project, address="gone@example.com",
                                     blocked_until=timezone.now() + timedelta(hours=1),
                                     result_code=ResultCode.MAILBOX_ERROR)
    SendBlock.objects.create(project=project, address="old@example.com",
                             blocked_until=timezone.now() - timedelta(hours=1),
                             result_code=ResultCode.MAILBOX_ERROR)
    page = owner_client.get(f"/projects/{project.slug}/send-block/").content
    assert b"gone@example.com" in page and b"old@example.com" not in page
    owner_client.post(f"/projects/{project.slug}/send-block/{block.pk}/unblock/")
    assert not SendBlock.objects.filter(address="gone@example.com").exists()
    history = SendBlockHistory.objects.get(address="gone@example.com")
    assert (history.action, history.requester, history.project) == ("D", "PROJECT", project)


def test_the_list_is_shared_and_says_who_asked(owner_client, project):
    from tests.factories import make_project

    SendBlock.objects.create(project=make_project("other"), address="theirs@example.com",
                             blocked_until=timezone.now() + timedelta(hours=1),
                             result_code=ResultCode.SMTP_ERROR)
    page = owner_client.get(f"/projects/{project.slug}/send-block/").content.decode()
    assert "theirs@example.com" in page and "Other customer" in page
    assert "other" not in page.split('id="send-blocks"')[1].split("</table>")[0].lower() \
        .replace("other customer", "")


def test_an_admin_adds_addresses_by_hand(owner_client, project):
    response = owner_client.post(f"/projects/{project.slug}/send-block/add/",
                                 {"addresses": "Hand@Example.com; hand@example.com"})
    assert response.status_code == 302
    block = SendBlock.objects.get()
    assert (block.address, block.project, block.result_code) == ("hand@example.com", project, "")
    history = SendBlockHistory.objects.get()
    assert (history.action, history.requester) == ("C", "PROJECT")
    refused = owner_client.post(f"/projects/{project.slug}/send-block/add/",
                                {"addresses": "not-an-address"})
    assert refused.status_code == 200 and b"Not mail addresses" in refused.content
    assert SendBlock.objects.count() == 1


def test_a_viewer_cannot_add_or_unblock(client, project, viewer):
    client.force_login(viewer)
    assert client.post(f"/projects/{project.slug}/send-block/add/",
                       {"addresses": "a@example.com"}).status_code == 403


def test_unblock_refuses_get(owner_client, project):
    block = SendBlock.objects.create(project=project, address="gone@example.com",
                                     blocked_until=timezone.now() + timedelta(hours=1),
                                     result_code=ResultCode.MAILBOX_ERROR)
    assert owner_client.get(f"/projects/{project.slug}/send-block/{block.pk}/unblock/"
                            ).status_code == 405
