"""A file as rows of cells (grid): the first rows to recognise a layout by, the separator found
from them, and the rows below a header read as a raw frame numbered with the file's lines."""

from __future__ import annotations

import pytest
from conftest import write_workbook

from arbook.core.errors import IssueCode
from arbook.core.grid import GridError, read_grid, sniff

REPORT = (
    '"A/R Aging Detail"\r\n'
    '"Desert Bloom Landscaping LLC"\r\n'
    '"As of June 30, 2026"\r\n'
    "\r\n"
    '"","Date","Num","Customer","Open balance"\r\n'
    '"Current","","","",""\r\n'
    '"","06/02/2026","3318","Nguyen, Linh","6,480.00"\r\n'
    '"TOTAL","","","","6,480.00"\r\n'
    "\r\n"
    '"Wednesday, July 1, 2026 07:42 AM GMT-07:00"\r\n'
)


def test_title_rows_do_not_hide_the_separator_or_the_header(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text(REPORT, encoding="utf-8", newline="")
    grid = read_grid(path, "report.csv")
    assert (grid.kind, grid.separator, grid.encoding) == ("text", ",", "utf_8")
    assert grid.head[0] == (1, ["A/R Aging Detail"]) and grid.head[3] == (4, [])
    assert grid.find_row(["Open balance", "customer"]) == 5  # names compared normalised
    assert grid.find_row(["Terms"]) is None
    frame, issues = grid.table(5)
    # the rows below the header, numbered with the file's own lines; the footer is a short row
    assert frame["source_line"].tolist() == [6, 7, 8, 10]
    assert frame["open_balance"].tolist() == ["", "6,480.00", "6,480.00", ""]
    assert frame["customer"].tolist() == ["", "Nguyen, Linh", "", ""]
    assert frame.attrs["label"] == "report.csv"
    # the first column has cells (section names) and no name: a report's layout, named by place
    assert frame["column_1"].tolist() == [
        "Current",
        "",
        "TOTAL",
        "Wednesday, July 1, 2026 07:42 AM GMT-07:00",
    ]
    assert issues == []


def test_the_separator_is_the_one_whose_rows_agree():
    assert sniff("Title\nA;B;C\n1;2,5;3\n4;5,5;6\n") == ";"
    assert sniff("a\tb\n1\t2\n") == "\t"
    assert sniff("just one cell\n") == ","


def test_a_legacy_encoding_is_found_and_said(tmp_path):
    path = tmp_path / "libro.csv"
    path.write_bytes("Fecha;Número;Importe\r\n09/01/2026;1;2226,40\r\n".encode("cp1252"))
    grid = read_grid(path)
    assert (grid.separator, grid.encoding) == (";", "cp1252")
    assert [i.code for i in grid.issues] == [IssueCode.GUESSED_ENCODING]
    frame, _ = grid.table(1)
    assert frame["número"].tolist() == ["1"] and frame["source_line"].tolist() == [2]


def test_a_workbook_is_read_from_its_first_sheet_with_cells(tmp_path):
    path = write_workbook(
        tmp_path / "aged.xlsx",
        Blank=[],
        Report=[["Aged Receivables Detail"], [], ["Contact", "Total"], ["Haworth", 12.5]],
        Notes=[["a note"]],
    )
    grid = read_grid(path)
    assert (grid.kind, grid.sheet) == ("workbook", "Report")
    assert grid.find_row(["contact", "total"]) == 3
    frame, _ = grid.table(3)
    assert frame[["contact", "total"]].values.tolist() == [["Haworth", "12.5"]]
    assert frame["source_line"].tolist() == [4]
    assert [(i.code, i.value) for i in grid.issues] == [(IssueCode.IGNORED_SHEET, "Notes")]


def test_a_file_that_cannot_be_read_says_why(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(GridError, match="empty"):
        read_grid(empty)
    with pytest.raises(GridError, match="is a folder"):
        read_grid(tmp_path)


def test_rows_the_exact_reader_takes_keep_their_lines_and_names(tmp_path):
    path = tmp_path / "report.csv"
    bad = REPORT.replace('"3318"', '"33"18"')  # a stray quote: Arrow's reader gives up
    path.write_text(bad, encoding="utf-8", newline="")
    frame, issues = read_grid(path).table(5)
    assert "column_1" in frame and frame["source_line"].tolist() == [6, 8, 10]
    assert [(i.code, i.source_line) for i in issues] == [(IssueCode.UNCLOSED_QUOTE, 7)]
