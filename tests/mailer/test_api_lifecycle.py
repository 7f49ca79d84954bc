from __future__ import annotations

from mailer.models import SendRequest, Status
from mailer.tasks import prepare_request
from tests.factories import ApiClient, make_api_key
from tests.mailer.factories import accepted_request


def _ready(project) -> SendRequest:
    send_request = accepted_request(project, confirmAndSend=True)
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    return send_request


def test_it_sends_a_ready_request_now(api, project):
    send_request = _ready(project)
    response = api.post(f"/api/v1/mails/requests/{send_request.request_id}/send")
    assert response.status_code == 200
    assert response.json() == {"requestId": send_request.request_id,
                               "emailStatus": {"label": "Sending", "code": "I"}}


def test_it_cancels_a_ready_request(api, project):
    send_request = _ready(project)
    response = api.post(f"/api/v1/mails/requests/{send_request.request_id}/cancel")
    assert response.status_code == 200
    assert response.json()["emailStatus"]["code"] == "C"


def test_it_refuses_to_cancel_a_finished_request(api, project):
    send_request = _ready(project)
    SendRequest.objects.filter(pk=send_request.pk).update(status=Status.SENT)
    response = api.post(f"/api/v1/mails/requests/{send_request.request_id}/cancel")
    assert response.status_code == 400
    assert "cannot be cancelled" in response.json()["error"]["message"]


def test_it_refuses_send_now_for_a_sending_request(api, project):
    send_request = accepted_request(project)
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    response = api.post(f"/api/v1/mails/requests/{send_request.request_id}/send")
    assert response.status_code == 400


def test_another_project_s_request_is_not_found(api, outsider):
    from console.models import Project

    theirs = _ready(Project.objects.get(name="other"))
    response = api.post(f"/api/v1/mails/requests/{theirs.request_id}/cancel")
    assert response.json()["error"]["errorCode"] == "77103"
    assert SendRequest.objects.get(pk=theirs.pk).status == Status.READY


def test_a_viewer_cannot_cancel(client, project, viewer):
    send_request = _ready(project)
    key, secret = make_api_key(project, viewer)
    response = ApiClient(client, key.access_key, secret).post(
        f"/api/v1/mails/requests/{send_request.request_id}/cancel")
    assert response.status_code == 403
