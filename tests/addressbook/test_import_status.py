"""The progress of a file import: polled every 2 s while it runs, then its summary."""

from __future__ import annotations

from addressbook.models import AddressImport
from tests.factories import make_project


def _job(project, **fields) -> AddressImport:
    return AddressImport.objects.create(project=project, source=AddressImport.Source.FILE,
                                        file_name="list.csv", file_kind="csv", **fields)


def url(job) -> str:
    return f"/projects/{job.project.slug}/address-book/imports/{job.pk}/"


def test_it_polls_while_the_import_runs(owner_client, project):
    job = _job(project, status=AddressImport.Status.RUNNING, progress_done=40,
               progress_total=100)
    response = owner_client.get(url(job), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'hx-trigger="every 2s"' in body and 'value="40"' in body
    assert "HX-Trigger" not in response
    assert "HX-Request" in response["Vary"]


def test_it_shows_the_summary_and_tells_the_page_to_reload(owner_client, project):
    job = _job(project, status=AddressImport.Status.DONE, rows=10, added=7, duplicates=2,
               invalid=1, examples={"invalid": [[4, "oops"]], "duplicates": []})
    response = owner_client.get(url(job), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "every 2s" not in body
    assert 'data-count="added">7<' in body and "row 4" in body and "oops" in body
    assert "addressbook-changed" in response["HX-Trigger"]


def test_it_shows_why_nothing_was_imported(owner_client, project):
    job = _job(project, status=AddressImport.Status.FAILED, error="Row 3 has a cell that …")
    body = owner_client.get(url(job)).content.decode()
    assert "<html" in body and "Nothing was imported." in body and "Row 3 has a cell" in body


def test_a_viewer_may_watch(client, project, viewer):
    client.force_login(viewer)
    assert client.get(url(_job(project))).status_code == 200


def test_an_import_of_another_project_is_not_found(owner_client, project):
    assert owner_client.get(url(_job(make_project("other")))).status_code == 404


def test_it_refuses_a_wrong_method(owner_client, project):
    assert owner_client.post(url(_job(project))).status_code == 405


def test_an_outsider_gets_404(client, project, outsider):
    client.force_login(outsider)
    assert client.get(url(_job(project))).status_code == 404
