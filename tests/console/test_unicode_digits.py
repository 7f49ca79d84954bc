"""Digits int() refuses ("²" passes str.isdigit()) and a trailing newline ("$" matches before
one) in the console's parameters and names: each is refused or ignored, never a 500."""

from __future__ import annotations

import pytest

from addressbook.models import GROUP_NAME
from console.paging import Cursor
from mailer.domains import valid_domain
from mailer.models import Mail
from mailer.tasks import prepare_request
from tests.mailer.factories import accepted_request

pytestmark = pytest.mark.django_db
SUPERSCRIPT = "²"


def test_a_cursor_of_superscript_digits_is_no_cursor():
    assert Cursor.parse(f"{SUPERSCRIPT}-1") is None
    assert Cursor.parse(f"1-{SUPERSCRIPT}") is None


@pytest.mark.parametrize("tab", ["request", "recipient"])
def test_the_mailing_list_ignores_such_an_open_row(owner_client, project, tab):
    response = owner_client.get(f"/projects/{project.slug}/mails/",
                                {"tab": tab, "open": SUPERSCRIPT, "after": f"{SUPERSCRIPT}-1"})
    assert response.status_code == 200


def test_view_content_ignores_such_a_recipient(owner_client, project):
    send_request = accepted_request(project)
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    mail = Mail.objects.get(send_request=send_request)
    response = owner_client.get(f"/projects/{project.slug}/mails/{mail.mail_id}/content/",
                                {"recipient": SUPERSCRIPT})
    assert response.status_code == 200


def test_a_template_export_ignores_such_a_template(owner_client, project):
    response = owner_client.post(f"/projects/{project.slug}/templates/files/export/",
                                 {"template": SUPERSCRIPT}, HTTP_HX_REQUEST="true",
                                 HTTP_HX_TARGET="dialog")
    assert response.status_code < 500


def test_names_with_a_trailing_newline_are_refused():
    assert GROUP_NAME.match("vip")
    assert not GROUP_NAME.match("vip\n")
    assert valid_domain("example.com")
    assert not valid_domain("example.com\n")
