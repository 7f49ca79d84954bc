from __future__ import annotations

from console.models import Profile


def test_it_saves_language_and_time_zone(owner_client, owner):
    response = owner_client.post("/accounts/preferences/",
                                 {"language": "ko", "time_zone": "Europe/Berlin"})
    assert response.status_code == 302
    profile = Profile.objects.get(user=owner)
    assert (profile.language, profile.time_zone) == ("ko", "Europe/Berlin")


def test_it_shows_pages_in_the_chosen_language(owner_client, owner):
    Profile.objects.update_or_create(user=owner, defaults={"language": "ko"})
    response = owner_client.get("/accounts/preferences/")
    assert b'<html lang="ko">' in response.content


def test_it_uses_the_project_time_zone_when_the_user_has_none(owner_client, project):
    project.time_zone = "America/New_York"
    project.save()
    response = owner_client.get(f"/projects/{project.slug}/mails/")
    assert str(response.context["TIME_ZONE"]) == "America/New_York"


def test_it_prefers_the_user_time_zone(owner_client, owner, project):
    Profile.objects.update_or_create(user=owner, defaults={"time_zone": "Europe/Berlin"})
    response = owner_client.get(f"/projects/{project.slug}/mails/")
    assert str(response.context["TIME_ZONE"]) == "Europe/Berlin"


def test_it_refuses_an_unknown_time_zone(owner_client):
    response = owner_client.post("/accounts/preferences/", {"language": "", "time_zone": "Moon"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content


def test_it_refuses_delete(owner_client):
    assert owner_client.delete("/accounts/preferences/").status_code == 405
