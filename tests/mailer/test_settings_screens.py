from __future__ import annotations

from mailer.models import MailerSettings, MonthlyUsage, SendingDomain
from tests.mailer.factories import accepted_request, recipients


def test_everyone_sees_the_limit_and_this_month_s_use(client, project, viewer):
    accepted_request(project, recipients=recipients(3))
    client.force_login(viewer)
    page = client.get(f"/projects/{project.slug}/settings/sending/")
    assert page.status_code == 200
    assert b"<strong>3</strong> / 1,000,000" in page.content


def test_an_admin_changes_the_limit_and_the_send_block_time(owner_client, project):
    accepted_request(project, recipients=recipients(1))
    response = owner_client.post(f"/projects/{project.slug}/settings/sending/",
                                 {"monthly_limit": 5000, "send_block_hours": 336,
                                  "recipient_language": "ja"})
    assert response.status_code == 302
    row = MailerSettings.objects.get(project=project)
    assert (row.monthly_limit, row.send_block_hours, row.recipient_language) == (5000, 336, "ja")
    assert MonthlyUsage.objects.get(project=project).limit == 5000


def test_it_refuses_a_send_block_time_under_168_hours(owner_client, project):
    response = owner_client.post(f"/projects/{project.slug}/settings/sending/",
                                 {"monthly_limit": 5000, "send_block_hours": 24,
                                  "recipient_language": "ko"})
    assert response.status_code == 200
    assert not MailerSettings.objects.filter(project=project).exists()


def test_a_sender_cannot_change_the_limit(client, project, sender):
    client.force_login(sender)
    response = client.post(f"/projects/{project.slug}/settings/sending/",
                           {"monthly_limit": 9, "send_block_hours": 200,
                            "recipient_language": "ko"})
    assert response.status_code == 403


def test_an_admin_adds_a_domain_and_sees_the_records(owner_client, project):
    response = owner_client.post(f"/projects/{project.slug}/settings/domains/",
                                 {"domain": "Mail.Example.com"})
    assert response.status_code == 302
    domain = SendingDomain.objects.get(project=project)
    assert domain.domain == "mail.example.com"
    page = owner_client.get(f"/projects/{project.slug}/settings/domains/").content.decode()
    assert f"{domain.selector}._domainkey.mail.example.com" in page
    assert domain.public_key in page
    assert "_dmarc.mail.example.com" in page


def test_it_refuses_a_bad_or_repeated_domain(owner_client, project):
    owner_client.post(f"/projects/{project.slug}/settings/domains/", {"domain": "a.example.com"})
    for bad in ("not a domain", "a.example.com", "-x.com"):
        owner_client.post(f"/projects/{project.slug}/settings/domains/", {"domain": bad})
    assert SendingDomain.objects.count() == 1


def test_an_admin_removes_a_domain(owner_client, project):
    owner_client.post(f"/projects/{project.slug}/settings/domains/", {"domain": "a.example.com"})
    domain = SendingDomain.objects.get()
    owner_client.post(f"/projects/{project.slug}/settings/domains/{domain.pk}/remove/")
    assert not SendingDomain.objects.exists()


def test_the_recipients_language_is_korean_until_chosen(owner_client, project):
    page = owner_client.get(f"/projects/{project.slug}/settings/sending/").content.decode()
    assert '<option value="ko" selected>' in page
    assert "Language of recipients" in page
