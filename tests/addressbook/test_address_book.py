"""The Address book page: the group tree with counts, the list, search and paging, partials."""

from __future__ import annotations

import pytest

from addressbook import book, views
from tests.addressbook.factories import make_group
from tests.factories import make_project


def url(project, query: str = "") -> str:
    return f"/projects/{project.slug}/address-book/{query}"


@pytest.fixture
def groups(project):
    book.register(project, ["loose@example.com"])
    return {"vip": make_group(project, "vip", ["a@example.com", "b@example.com"]),
            "news": make_group(project, "news", ["b@example.com", "c@example.com"])}


def test_it_shows_the_tree_with_counts_and_all_addresses(owner_client, project, groups):
    response = owner_client.get(url(project))
    tree = response.content.decode().split('id="group-tree"')[1].split("</ul>")[0]
    assert "All addresses" in tree
    assert ">4</span>" in tree  # loose, a, b, c
    assert 'data-group="vip"' in tree and 'data-group="news"' in tree
    assert tree.count(">2</span>") == 2
    assert [row.address for row in response.context["rows"]] == [
        "a@example.com", "b@example.com", "c@example.com", "loose@example.com"]


def test_it_counts_nothing_on_a_page_load(owner_client, project, groups):
    # The tree's counts are maintained columns: no COUNT over a million rows per page load.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        owner_client.get(url(project, f"?group={groups['vip'].pk}"))
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


def test_it_lists_the_addresses_of_the_selected_group(owner_client, project, groups):
    response = owner_client.get(url(project, f"?group={groups['vip'].pk}"))
    rows = response.context["rows"]
    assert [row.address for row in rows] == ["a@example.com", "b@example.com"]
    assert rows[1].group_names == ["news", "vip"]
    assert b"Rename" in response.content and b"Empty group" in response.content


def test_it_searches_by_the_start_of_the_address(owner_client, project, groups):
    response = owner_client.get(url(project, "?q=B"))
    assert [row.address for row in response.context["rows"]] == ["b@example.com"]
    response = owner_client.get(url(project, f"?q=c&group={groups['vip'].pk}"))
    assert response.context["rows"] == []
    assert "No address starts with" in response.content.decode()


def test_it_pages_without_counting(owner_client, project, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    book.register(project, [f"u{n}@example.com" for n in range(5)])
    first = owner_client.get(url(project))
    assert (len(first.context["rows"]), first.context["has_next"]) == (2, True)
    last = owner_client.get(url(project, "?page=3"))
    assert [row.address for row in last.context["rows"]] == ["u4@example.com"]
    assert last.context["has_next"] is False


def test_it_answers_htmx_with_the_book_or_only_the_list(owner_client, project, groups):
    book_part = owner_client.get(url(project), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="book")
    assert book_part.content.decode().lstrip().startswith('<div id="book"')
    assert "HX-Request" in book_part["Vary"]
    rows = owner_client.get(url(project, "?q=a"), HTTP_HX_REQUEST="true",
                            HTTP_HX_TARGET="address-list")
    assert rows.content.decode().lstrip().startswith('<div id="address-list"')


def test_a_history_restore_gets_the_whole_page(owner_client, project, groups):
    response = owner_client.get(url(project), HTTP_HX_REQUEST="true",
                                HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert b"<html" in response.content


def test_it_shows_the_empty_state(owner_client, project):
    response = owner_client.get(url(project))
    assert b'id="empty-state"' in response.content


def test_a_viewer_reads_but_gets_no_editing(client, project, viewer, groups):
    client.force_login(viewer)
    response = client.get(url(project))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Download request/list" in body
    for control in ("register-button", "edit-groups-button", "reset-button", 'name="address"'):
        assert control not in body


def test_only_an_admin_sees_the_reset(client, project, sender, groups):
    client.force_login(sender)
    body = client.get(url(project)).content.decode()
    assert "register-button" in body and "reset-button" not in body


def test_a_group_of_another_project_is_not_found(owner_client, project):
    foreign = make_group(make_project("other"), "theirs")
    assert owner_client.get(url(project, f"?group={foreign.pk}")).status_code == 404


def test_it_ignores_a_malformed_filter(owner_client, project, groups):
    response = owner_client.get(url(project, "?page=abc&group=x"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 4


def test_it_refuses_a_wrong_method(owner_client, project):
    assert owner_client.post(url(project)).status_code == 405


def test_an_outsider_gets_404(client, project, outsider):
    client.force_login(outsider)
    assert client.get(url(project)).status_code == 404
