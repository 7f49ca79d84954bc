"""Register address: typed or pasted (≤ 1,000, checked, reported back), or a CSV / Excel file
(≤ 10 MB, checked at once, imported in the background)."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from addressbook.models import Address, AddressImport
from tests.addressbook.factories import counts_are_exact, make_group, members
from tests.factories import make_project


def url(project, query: str = "") -> str:
    return f"/projects/{project.slug}/address-book/register/{query}"


def test_it_opens_the_dialog_for_the_selected_group(owner_client, project):
    vip = make_group(project, "vip")
    response = owner_client.get(url(project, f"?group={vip.pk}"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith("<dialog open")
    assert "added to the group <strong>vip</strong>" in body
    assert f'name="group" value="{vip.pk}"' in body
    assert "HX-Request" in response["Vary"]


def test_it_says_when_addresses_go_to_no_group(owner_client, project):
    response = owner_client.get(url(project))
    assert b"<html" in response.content  # a plain page without JavaScript
    assert b"registered without a group" in response.content


def test_it_registers_pasted_addresses_with_mixed_separators(owner_client, project):
    text = "a@example.com\tb@example.com c@example.com\nd@example.com,e@example.com;" \
           "A@EXAMPLE.COM not-an-address"
    response = owner_client.post(url(project), {"addresses": text}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "addressbook-changed" in response["HX-Trigger"]
    body = response.content.decode()
    assert 'data-count="added">5<' in body
    assert 'data-count="duplicates">1 ' in body
    assert 'data-count="invalid">1<' in body and "not-an-address" in body
    assert set(Address.objects.filter(project=project).values_list("address", flat=True)) == {
        f"{c}@example.com" for c in "abcde"}
    assert counts_are_exact(project)


def test_it_adds_typed_addresses_to_the_group(owner_client, project):
    vip = make_group(project, "vip", ["a@example.com"])
    response = owner_client.post(url(project), {"addresses": "a@example.com b@example.com",
                                                "group": vip.pk})
    assert response.status_code == 302
    assert response.url.endswith(f"?group={vip.pk}")
    assert members(vip) == {"a@example.com", "b@example.com"}


def test_it_refuses_1001_typed_addresses_and_registers_nothing(owner_client, project):
    text = ",".join(f"user{n}@example.com" for n in range(1001))
    response = owner_client.post(url(project), {"addresses": text}, HTTP_HX_REQUEST="true")
    assert "At most 1,000 addresses at a time; you entered 1,001" in response.content.decode()
    assert "Nothing was registered" in response.content.decode()
    assert not Address.objects.exists()


def test_it_takes_exactly_1000(owner_client, project):
    text = "\n".join(f"user{n}@example.com" for n in range(1000))
    owner_client.post(url(project), {"addresses": text})
    assert Address.objects.filter(project=project).count() == 1000


def test_it_queues_an_uploaded_file(owner_client, project, django_capture_on_commit_callbacks):
    vip = make_group(project, "vip")
    upload = SimpleUploadedFile("list.csv", b"email\na@example.com\n")
    with django_capture_on_commit_callbacks() as callbacks:
        response = owner_client.post(url(project), {"file": upload, "group": vip.pk},
                                     HTTP_HX_REQUEST="true")
    job = AddressImport.objects.get()
    assert (job.project, job.file_kind, job.group_name) == (project, "csv", "vip")
    assert bytes(job.content) == b"email\na@example.com\n"
    assert len(callbacks) == 1  # the worker is nudged once the upload is committed
    assert 'hx-trigger="every 2s"' in response.content.decode()
    assert not Address.objects.exists()  # the worker writes it


def test_without_htmx_an_upload_leads_to_its_progress_page(owner_client, project):
    upload = SimpleUploadedFile("list.csv", b"a@example.com\n")
    response = owner_client.post(url(project), {"file": upload})
    job = AddressImport.objects.get()
    assert response.url == f"/projects/{project.slug}/address-book/imports/{job.pk}/"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("junk.csv", os.urandom(10 * 1024 * 1024), "not a CSV text file"),
    ("big.csv", b"a@example.com\n" * (800 * 1024), "files of up to 10 MB"),
    ("list.pdf", b"%PDF-1.4", "Only CSV (.csv) and Excel (.xlsx)"),
    ("list.xlsx", b"a@example.com", "not an Excel workbook"),
])
def test_it_refuses_a_bad_file_with_a_clear_error(owner_client, project, name, content, message):
    response = owner_client.post(url(project), {"file": SimpleUploadedFile(name, content)},
                                 HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AddressImport.objects.exists() and not Address.objects.exists()


def test_it_wants_addresses_or_a_file_but_not_both(owner_client, project):
    empty = owner_client.post(url(project), {"addresses": "  "}, HTTP_HX_REQUEST="true")
    assert "Enter addresses or choose a file." in empty.content.decode()
    both = owner_client.post(url(project), {"addresses": "a@example.com",
                                            "file": SimpleUploadedFile("a.csv", b"b@x.com")},
                             HTTP_HX_REQUEST="true")
    assert "not both" in both.content.decode()
    assert not Address.objects.exists()


def test_it_refuses_a_group_of_another_project(owner_client, project):
    foreign = make_group(make_project("other"), "theirs")
    response = owner_client.post(url(project), {"addresses": "a@example.com",
                                                "group": foreign.pk}, HTTP_HX_REQUEST="true")
    assert "There is no such recipient group" in response.content.decode()
    assert not Address.objects.exists()


def test_a_viewer_cannot_register(client, project, viewer):
    client.force_login(viewer)
    assert client.post(url(project), {"addresses": "a@example.com"}).status_code == 403
    assert not Address.objects.exists()


def test_it_refuses_a_wrong_method(owner_client, project):
    assert owner_client.put(url(project)).status_code == 405


def test_an_outsider_gets_404(client, project, outsider):
    client.force_login(outsider)
    assert client.post(url(project), {"addresses": "a@example.com"}).status_code == 404
