"""The streaming .xlsx writer: what goes in reads back the same with openpyxl, every part is
well-formed XML, and a file can hold several sheets."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree

from openpyxl import load_workbook

from console.xlsx import BOLD_STYLE, MAX_CELL_CHARS, StreamingWorkbook, column_letters


def test_column_letters():
    assert [column_letters(n) for n in (0, 25, 26, 51, 701, 702)] == [
        "A", "Z", "AA", "AZ", "ZZ", "AAA"]


def test_values_read_back_as_written(tmp_path):
    path = tmp_path / "out.xlsx"
    book = StreamingWorkbook(path)
    sheet = book.add_sheet("Recipients")
    sheet.append(["Address", "Count", "When"], BOLD_STYLE)
    sheet.append(["a&b <c> \"d\"", 3, datetime(2026, 12, 3, 16, 13, 4)])
    sheet.append([" 받는 사람 ", None, date(2026, 1, 31), True, 2.5, Decimal("1.25")])
    sheet.append(["x" * (MAX_CELL_CHARS + 10)])
    book.add_sheet("Second: more").append(["受信者"])
    book.close()

    workbook = load_workbook(path)
    first, second = workbook.worksheets
    assert workbook.sheetnames == ["Recipients", "Second  more"]  # no ":" in a title
    rows = [list(row) for row in first.iter_rows(values_only=True)]
    assert rows[0] == ["Address", "Count", "When", None, None, None]
    assert first["A1"].font.b
    assert rows[1][:3] == ["a&b <c> \"d\"", 3, datetime(2026, 12, 3, 16, 13, 4)]
    assert rows[2] == [" 받는 사람 ", None, datetime(2026, 1, 31), True, 2.5, 1.25]
    assert len(rows[3][0]) == MAX_CELL_CHARS
    assert first["C2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert second["A1"].value == "受信者"
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            ElementTree.fromstring(archive.read(name))  # noqa: S314 - our own file


def test_an_empty_book_still_has_a_sheet(tmp_path):
    path = tmp_path / "empty.xlsx"
    StreamingWorkbook(path).close()
    assert load_workbook(path).sheetnames == ["Sheet1"]
