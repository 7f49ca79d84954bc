from __future__ import annotations

from email.message import EmailMessage

import pytest

from console.models import SandboxMessage
from tests.factories import make_user


def _stored(project, subject="Welcome", html="<p>Hello <b>there</b></p>", attachment=None):
    message = EmailMessage()
    message["From"] = "shop@example.com"
    message["To"] = "customer@example.com"
    message["Subject"] = subject
    message.set_content("Hello there")
    message.add_alternative(html, subtype="html")
    if attachment:
        message.add_attachment(attachment[1], maintype="application", subtype="pdf",
                               filename=attachment[0])
    return SandboxMessage.objects.create(
        project=project, mail_from="shop@example.com", rcpt_tos=["customer@example.com"],
        subject=subject, raw=message.as_bytes(), size=len(message.as_bytes()))


def test_it_lists_the_project_s_mail(owner_client, project):
    _stored(project, subject="Order shipped")
    response = owner_client.get(f"/projects/{project.slug}/sandbox/")
    assert response.status_code == 200
    assert b"Order shipped" in response.content


def test_it_hides_other_projects_mail(owner_client, project, outsider):
    from console.models import Project

    _stored(Project.objects.get(name="other"), subject="Their secret")
    response = owner_client.get(f"/projects/{project.slug}/sandbox/")
    assert b"Their secret" not in response.content


def test_it_shows_untagged_mail_to_superusers_only(client, project, owner):
    SandboxMessage.objects.create(mail_from="x@example.com", rcpt_tos=["y@example.com"],
                                  subject="Untagged", raw=b"Subject: Untagged\r\n\r\nbody")
    client.force_login(owner)
    assert b"Untagged" not in client.get(f"/projects/{project.slug}/sandbox/").content
    owner.is_superuser = True
    owner.save()
    response = client.get(f"/projects/{project.slug}/sandbox/?unassigned=on")
    assert b"Untagged" in response.content


def test_it_searches_by_recipient_and_subject(owner_client, project):
    _stored(project, subject="Alpha")
    _stored(project, subject="Beta")
    response = owner_client.get(f"/projects/{project.slug}/sandbox/?q=alpha")
    assert b"Alpha" in response.content
    assert b"Beta" not in response.content


def test_it_answers_htmx_with_the_list_only(owner_client, project):
    _stored(project)
    response = owner_client.get(f"/projects/{project.slug}/sandbox/", HTTP_HX_REQUEST="true")
    assert b'id="message-list"' in response.content
    assert b"<html" not in response.content
    assert "HX-Request" in response["Vary"]


def test_it_answers_a_history_restore_with_the_whole_page(owner_client, project):
    response = owner_client.get(f"/projects/{project.slug}/sandbox/", HTTP_HX_REQUEST="true",
                                HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert b"<html" in response.content


def test_it_renders_a_message_sanitised_in_a_sandboxed_iframe(owner_client, project):
    item = _stored(project, html='<p onclick="steal()">Hi</p><script>alert(1)</script>')
    response = owner_client.get(f"/projects/{project.slug}/sandbox/{item.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'sandbox=""' in body
    assert "alert(1)" not in body
    assert "steal()" not in body


def test_it_answers_htmx_with_the_detail_only(owner_client, project):
    item = _stored(project)
    response = owner_client.get(f"/projects/{project.slug}/sandbox/{item.pk}/",
                                HTTP_HX_REQUEST="true")
    assert b'id="message-detail"' in response.content
    assert b"<html" not in response.content


def test_it_downloads_the_raw_message(owner_client, project):
    item = _stored(project)
    response = owner_client.get(f"/projects/{project.slug}/sandbox/{item.pk}/raw/")
    assert response["Content-Type"] == "message/rfc822"
    assert response.content == bytes(item.raw)


def test_it_downloads_an_attachment_byte_for_byte(owner_client, project):
    payload = bytes(range(256)) * 10
    item = _stored(project, attachment=("견적서.pdf", payload))
    response = owner_client.get(f"/projects/{project.slug}/sandbox/{item.pk}/attachments/0/")
    assert response.content == payload
    assert "filename*=utf-8''%EA%B2%AC" in response["Content-Disposition"]


def test_it_answers_404_for_a_missing_attachment(owner_client, project):
    item = _stored(project)
    assert owner_client.get(
        f"/projects/{project.slug}/sandbox/{item.pk}/attachments/3/").status_code == 404


def test_it_is_off_when_mail_goes_to_a_relay(owner_client, project, settings):
    settings.SANDBOX_INBOX = False
    assert owner_client.get(f"/projects/{project.slug}/sandbox/").status_code == 404
    navigation = owner_client.get(f"/projects/{project.slug}/mails/").context["navigation"]
    assert "sandbox" not in [item["key"] for item in navigation]


def test_a_viewer_can_read_it(client, project):
    from console.models import Membership
    from tests.factories import add_member

    user = make_user("reader")
    add_member(project, user, Membership.Role.VIEWER)
    client.force_login(user)
    assert client.get(f"/projects/{project.slug}/sandbox/").status_code == 200


@pytest.mark.parametrize("suffix", ["", "1/", "1/raw/"])
def test_it_refuses_post(owner_client, project, suffix):
    _stored(project)
    item = SandboxMessage.objects.get()
    url = f"/projects/{project.slug}/sandbox/" + suffix.replace("1", str(item.pk))
    assert owner_client.post(url).status_code == 405
