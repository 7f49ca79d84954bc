from __future__ import annotations

import pytest

from mailer.models import Mail, SendRequest, Status
from mailer.tasks import prepare_request
from tests.mailer.factories import accepted_request, recipients


def _url(project) -> str:
    return f"/projects/{project.slug}/mails/"


def test_it_says_what_the_screen_is_for_before_any_send(owner_client, project):
    response = owner_client.get(_url(project))
    assert b'id="empty-state"' in response.content


def test_it_lists_the_project_s_requests_newest_first(owner_client, project, outsider):
    from console.models import Project

    first = accepted_request(project, title="First")
    second = accepted_request(project, title="Second")
    accepted_request(Project.objects.get(name="other"), title="Theirs")
    response = owner_client.get(_url(project))
    body = response.content.decode()
    assert body.index(second.request_id) < body.index(first.request_id)
    assert "Theirs" not in body


def test_it_filters_by_status(owner_client, project):
    done = accepted_request(project, title="Done")
    accepted_request(project, title="Waiting")
    SendRequest.objects.filter(pk=done.pk).update(status=Status.SENT)
    response = owner_client.get(_url(project), {"status": "S"})
    assert b"Done" in response.content and b"Waiting" not in response.content


def test_it_shows_the_progress_of_a_sending_request_and_polls(owner_client, project):
    send_request = accepted_request(project, recipients=recipients(4))
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    Mail.objects.filter(send_request=send_request, seq__lte=3).update(status=Status.SENT)
    response = owner_client.get(_url(project))
    assert b"3 / 4" in response.content
    assert b'hx-trigger="every 2s"' in response.content


def test_it_answers_htmx_with_the_list_only(owner_client, project):
    accepted_request(project)
    response = owner_client.get(_url(project), HTTP_HX_REQUEST="true")
    assert b'id="request-list"' in response.content
    assert b"<html" not in response.content


def test_it_pages_without_counting(owner_client, project, monkeypatch):
    from mailer.views import mailing_list as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    ids = [accepted_request(project).request_id for _ in range(3)]
    page_one = owner_client.get(_url(project)).content.decode()
    page_two = owner_client.get(_url(project), {"page": 2}).content.decode()
    assert ids[2] in page_one and ids[0] not in page_one
    assert ids[0] in page_two
    assert "?page=2" in page_one


@pytest.mark.parametrize("params", [{"status": "nonsense"}, {"page": "x"}, {"page": "-4"}])
def test_bad_filters_do_not_break_the_page(owner_client, project, params):
    accepted_request(project)
    assert owner_client.get(_url(project), params).status_code == 200


def test_a_viewer_sees_the_list(client, project, viewer):
    accepted_request(project, title="Visible")
    client.force_login(viewer)
    assert b"Visible" in client.get(_url(project)).content


def test_it_refuses_post(owner_client, project):
    assert owner_client.post(_url(project)).status_code == 405


def test_it_lists_templates(owner_client, project):
    from mailer.models import Template

    Template.objects.create(project=project, name="welcome", title="Hi", body="b",
                            sender_address="a@company.com")
    response = owner_client.get(f"/projects/{project.slug}/templates/")
    assert b"welcome" in response.content


def test_it_says_when_a_reservation_went_out_late(owner_client, project):
    from datetime import timedelta

    from django.utils import timezone

    late = accepted_request(project)
    now = timezone.now()
    SendRequest.objects.filter(pk=late.pk).update(
        status=Status.SENDING, reservation_at=now - timedelta(minutes=75), dispatched_at=now)
    assert b"sent 1 h 15 min late" in owner_client.get(_url(project)).content
