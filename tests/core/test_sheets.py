"""Workbooks (:mod:`arbook.core.sheets`): every sheet looked at, cells as a CSV would hold them,
damaged and protected files refused with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import write_workbook

from arbook.core import sheets
from arbook.core.errors import IssueCode

REQUIRED = ("invoice_id", "customer_id", "invoice_date", "amount")


@pytest.mark.parametrize(
    "value, text",
    [
        (None, ""),
        (True, "yes"),
        (dt.datetime(2026, 1, 6, 23, 59, 59), "2026-01-06"),  # the time of day is dropped
        (dt.date(2026, 1, 6), "2026-01-06"),
        (100, "100"),
        (100.0, "100"),
        (0.1 + 0.2, "0.3"),  # Excel's 15 significant digits
        (1234.56, "1234.56"),
        ("#N/A", "#N/A"),
    ],
)
def test_cell_text(value, text):
    assert sheets.cell_text(value) == text


book = write_workbook


def test_every_sheet_with_the_columns_is_read_and_the_others_named(tmp_path):
    path = book(
        tmp_path / "invoices.xlsx",
        Summary=[["customer", "total"], ["A", 300]],
        y2025=[list(REQUIRED), ["I1", "A", dt.date(2025, 12, 1), 100]],
        y2026=[[], list(REQUIRED), ["I2", "A", dt.date(2026, 1, 5), 200]],
        Empty=[],
    )
    frames, issues = sheets.read_workbook(path, "invoices.xlsx", REQUIRED)
    assert [f.attrs["label"] for f in frames] == ["invoices.xlsx [y2025]", "invoices.xlsx [y2026]"]
    assert frames[1]["source_line"].tolist() == [3]  # the sheet's own row number
    (issue,) = issues
    assert issue.code == IssueCode.IGNORED_SHEET and issue.value == "Summary"


def test_without_a_sheet_of_the_columns_the_first_with_cells_is_read(tmp_path):
    path = book(tmp_path / "i.xlsx", Blank=[], Data=[["id", "amt"], ["I1", 5]])
    frames, issues = sheets.read_workbook(path, "i.xlsx", REQUIRED)
    assert [f.attrs["sheet"] for f in frames] == ["Data"] and issues == []


@pytest.mark.parametrize(
    "data, message",
    [
        (b"PK\x03\x04 truncated", "is damaged or cut short"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 504
            + "EncryptedPackage".encode("utf-16-le"),
            "protected by a password",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel 97–2003"),
    ],
)
def test_damaged_and_protected_workbooks_are_refused_with_a_reason(tmp_path, data, message):
    path = tmp_path / "invoices.xlsx"
    path.write_bytes(data)
    with pytest.raises(sheets.WorkbookError, match=message) as caught:
        sheets.read_workbook(path, "invoices.xlsx", REQUIRED)
    assert caught.value.issue.code == IssueCode.UNREADABLE_FILE


def test_a_truncated_real_workbook_is_refused(tmp_path):
    path = book(tmp_path / "invoices.xlsx", S=[list(REQUIRED), ["I1", "A", "2026-01-05", 1]])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(sheets.WorkbookError, match="damaged or cut short"):
        sheets.read_workbook(path, "invoices.xlsx", REQUIRED)


def test_an_old_xls_workbook_is_read(tmp_path):
    xlwt = pytest.importorskip("xlwt")  # writes the Excel 97–2003 format xlrd reads
    book = xlwt.Workbook()
    sheet = book.add_sheet("Facturas")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for col, name in enumerate(REQUIRED):
        sheet.write(0, col, name)
    sheet.write(1, 0, "I1")
    sheet.write(1, 1, "C1")
    sheet.write(1, 2, dt.datetime(2026, 1, 5, 9, 30), dates)
    sheet.write(1, 3, 1234.56)
    sheet.write(2, 0, "I2")
    sheet.write(2, 1, "C2")
    sheet.write(2, 2, dt.date(2026, 1, 6), dates)
    sheet.write(2, 3, 100)
    path = tmp_path / "invoices.xls"
    book.save(str(path))
    (frame,), issues = sheets.read_workbook(path, "invoices.xls", REQUIRED)
    assert issues == [] and frame.attrs["label"] == "invoices.xls [Facturas]"
    assert frame[list(REQUIRED)].values.tolist() == [
        ["I1", "C1", "2026-01-05", "1234.56"],
        ["I2", "C2", "2026-01-06", "100"],
    ]
