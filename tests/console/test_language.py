"""The console's language: the user's choice, else the project's, else the browser's; the
switch on every page."""

from __future__ import annotations

from console.models import Profile


def _lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_browser_decides_when_nobody_chose(owner_client, project):
    response = owner_client.get(f"/projects/{project.slug}/mails/",
                                HTTP_ACCEPT_LANGUAGE="ja,en;q=0.5")
    assert _lang(response) == "ja"


def test_the_project_s_language_comes_before_the_browser_s(owner_client, project):
    from tests.mailer.factories import accepted_request

    accepted_request(project)
    project.language = "ko"
    project.save()
    response = owner_client.get(f"/projects/{project.slug}/mails/",
                                HTTP_ACCEPT_LANGUAGE="ja")
    assert _lang(response) == "ko"
    assert "요청별 목록" in response.content.decode()


def test_the_user_s_choice_comes_first(owner_client, project, owner):
    project.language = "ko"
    project.save()
    Profile.for_user(owner).__class__.objects.filter(user=owner).update(language="en")
    response = owner_client.get(f"/projects/{project.slug}/mails/", HTTP_ACCEPT_LANGUAGE="ja")
    assert _lang(response) == "en"


def test_the_switch_saves_the_choice_and_returns_to_the_page(owner_client, project, owner):
    back = f"/projects/{project.slug}/statistics/?tab=send"
    response = owner_client.post("/accounts/language/", {"language": "ja", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Profile.for_user(owner).language == "ja"
    assert _lang(owner_client.get(back)) == "ja"
    owner_client.post("/accounts/language/", {"language": "", "next": back})
    assert Profile.for_user(owner).language == ""


def test_the_switch_is_on_every_page_and_on_the_sign_in_page(owner_client, project):
    from django.test import Client

    assert b'id="language-switch"' in owner_client.get(f"/projects/{project.slug}/mails/").content
    assert b'id="language-switch"' in Client().get("/accounts/login/").content


def test_anyone_may_switch_and_an_outside_next_is_not_followed(client):
    response = client.post("/accounts/language/", {"language": "ko",
                                                   "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "ko"
    assert _lang(client.get("/accounts/login/")) == "ko"


def test_an_unknown_language_falls_back_to_automatic(owner_client, owner):
    owner_client.post("/accounts/language/", {"language": "xx", "next": "/"})
    assert Profile.for_user(owner).language == ""


def test_the_switch_refuses_get(client):
    assert client.get("/accounts/language/").status_code == 405
