"""The address book's Excel downloads: the book (or one group) and a group combination."""

from __future__ import annotations

import io
from datetime import datetime

from django.utils import timezone
from openpyxl import load_workbook

from addressbook import book, exporters
from addressbook.combination import combine_groups
from addressbook.exporters import AddressBookExportForm, CombinationExportForm
from console import exports
from console.models import Export
from console.tasks import build_export
from tests.addressbook.factories import make_group
from tests.factories import make_project


def test_it_registers_its_exporters():
    assert exports.exporter("address_book").label == "Address book"
    assert exports.exporter("group_combination").form is CombinationExportForm


def test_it_lists_every_address_with_its_groups(project, monkeypatch):
    monkeypatch.setattr(exporters, "CHUNK", 2)  # several chunks, read by keyset
    make_group(project, "vip", ["b@example.com", "c@example.com"])
    make_group(project, "news", ["c@example.com"])
    book.register(project, ["a@example.com", "d@example.com", "e@example.com"])
    rows = list(exporters.address_book_rows(project, {}))
    assert rows[0] == ["Address", "Groups", "Registered"]
    assert [row[:2] for row in rows[1:]] == [
        ["a@example.com", ""], ["b@example.com", "vip"], ["c@example.com", "news, vip"],
        ["d@example.com", ""], ["e@example.com", ""]]
    assert all(isinstance(row[2], datetime) for row in rows[1:])
    assert exporters.address_book_total(project, {}) == 5


def test_it_lists_one_group(project):
    vip = make_group(project, "vip", ["b@example.com"])
    book.register(project, ["a@example.com"])
    rows = list(exporters.address_book_rows(project, {"group": vip.pk}))
    assert [row[0] for row in rows[1:]] == ["b@example.com"]
    assert exporters.address_book_total(project, {"group": vip.pk}) == 1
    assert exporters.describe_address_book(project, {"group": vip.pk}) == "Group vip"


def test_the_group_must_be_one_of_the_project(project):
    foreign = make_group(make_project("other"), "theirs")
    form = AddressBookExportForm({"group": foreign.pk}, project=project)
    assert not form.is_valid()
    assert AddressBookExportForm({}, project=project).is_valid()


def test_it_downloads_a_combination(project, monkeypatch):
    monkeypatch.setattr(exporters, "CHUNK", 3)
    make_group(project, "a", [f"u{n}@example.com" for n in range(0, 8)])
    make_group(project, "b", [f"u{n}@example.com" for n in range(4, 12)])
    params = {"groups": ["a", "b"], "and_filter": True}
    rows = list(exporters.combination_rows(project, params))
    expected = set(combine_groups(project, ["a", "b"], and_filter=True)
                   .values_list("address", flat=True))
    assert rows[0] == ["Address"]
    assert {row[0] for row in rows[1:]} == expected == {f"u{n}@example.com" for n in range(4, 8)}
    assert exporters.combination_total(project, params) == 4
    assert exporters.describe_combination(project, params) == "a AND b"


def test_the_combination_form_allows_five_groups_of_the_project(project):
    for n in range(6):
        make_group(project, f"g{n}")
    assert CombinationExportForm({"groups": ["g0", "g1"]}, project=project).is_valid()
    assert not CombinationExportForm({"groups": [f"g{n}" for n in range(6)]},
                                     project=project).is_valid()
    assert not CombinationExportForm({"groups": ["nope"]}, project=project).is_valid()


def test_the_built_file_reads_back(project, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    make_group(project, "vip", ["a@example.com", "=cmd@example.com"])
    export = Export.objects.create(project=project, kind="address_book", params={})
    build_export.apply(kwargs={"job_id": export.pk})
    export.refresh_from_db()
    sheet = load_workbook(io.BytesIO(export.path.read_bytes()), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Address", "Groups", "Registered"]
    assert [row[:2] for row in rows[1:]] == [["'=cmd@example.com", "vip"], ["a@example.com", "vip"]]
    registered = timezone.localtime(timezone.now()).replace(tzinfo=None)
    assert abs((rows[1][2] - registered).total_seconds()) < 60  # in the project's time zone
