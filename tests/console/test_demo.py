from __future__ import annotations

from django.core.management import call_command

from addressbook.models import RecipientGroup
from console.demo import ensure_demo
from console.models import ApiKey, Membership


def test_it_creates_the_admin_the_project_and_a_key(db, capsys):
    call_command("seed_demo")
    out = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    membership = Membership.objects.get(user__username="admin", project__name="demo")
    assert membership.role == Membership.Role.ADMIN
    assert membership.user.check_password(out["PASSWORD"])
    assert ApiKey.objects.get(access_key=out["ACCESS_KEY"]).secret == out["SECRET_KEY"]


def test_it_fills_the_address_book(db):
    login = ensure_demo()
    names = set(RecipientGroup.objects.filter(project=login.project).values_list("name",
                                                                                  flat=True))
    assert names == {"customers", "newsletter", "vip"}


def test_it_is_idempotent_and_prints_the_same_login(db):
    first = ensure_demo()
    second = ensure_demo()
    assert (first.password, first.access_key, first.secret_key) == (
        second.password, second.access_key, second.secret_key)
    assert RecipientGroup.objects.count() == 3
    assert ApiKey.objects.count() == 1


def test_it_does_not_print_a_password_the_admin_has_changed(db):
    login = ensure_demo()
    user = Membership.objects.get(project=login.project).user
    user.set_password("my own secret passphrase")
    user.save()
    assert ensure_demo().password is None


def test_it_issues_a_new_key_when_the_demo_key_was_revoked(db):
    first = ensure_demo()
    ApiKey.objects.get(access_key=first.access_key).revoke()
    assert ensure_demo().access_key != first.access_key


def test_it_gives_every_screen_something_to_show(db):
    from mailer.models import SendRequest, Template

    login = ensure_demo()
    assert set(Template.objects.filter(project=login.project).values_list("name", flat=True)) \
        == {"welcome", "grade-change"}
    requests = SendRequest.objects.filter(project=login.project)
    assert requests.count() == 5
    assert requests.filter(reservation_at__isnull=False).count() == 1
    assert requests.filter(advertising=True).count() == 1
    ensure_demo()
    assert SendRequest.objects.filter(project=login.project).count() == 5
