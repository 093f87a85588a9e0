"""Spreadsheet workbooks (``.xlsx``/``.xlsm`` with openpyxl, old ``.xls`` with xlrd) as text rows.

Every sheet is looked at, not only the first: the sheets whose header holds the table's required
columns are read (several of them, as when a long ledger is split by year, one after the other,
each row located as ``file [sheet]:row``); a sheet with cells that lacks them is an
``ignored_sheet`` warning naming it. When no sheet has the columns, the first sheet with cells is
read, so that the validator names the columns it misses.

Cells become the text a CSV export would hold: dates as ISO dates (a time of day is dropped, never
shifted), numbers with the 15 significant digits Excel itself keeps (so 0.1 + 0.2 is 0.3, as the
sheet shows it), booleans as yes/no, errors (``#N/A``) as written.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import numpy as np
import pandas as pd

from arbook.core.errors import Issue, IssueCode, shorten
from arbook.core.i18n import _
from arbook.core.schemas import normalise_name

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header of .xls and encrypted files
ZIP = b"PK\x03\x04"
#: the stream an Office file protected by a password keeps its content in
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


class WorkbookError(Exception):
    """The workbook cannot be read at all; ``issue`` says why and what to do."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def cell_text(value: object) -> str:
    """A cell as the text a CSV export would hold (see the module's rules)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(value, ".15g")
    return str(value)


def read_workbook(
    path: Path, label: str, required: Collection[str]
) -> tuple[list[pd.DataFrame], list[Issue]]:
    """The sheets of the workbook at ``path`` to read as one table, as raw frames (text cells,
    ``source_line`` = the sheet's row number, ``attrs['label']`` = where they are), and the
    issues about the others."""
    return _choose(_sheets_of(path, label), label, required)


def _sheets_of(path: Path, label: str) -> Iterator[tuple[str, Iterator[tuple[int, list[str]]]]]:
    """Each sheet's title and rows; a password-protected workbook raises WorkbookError."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE):
        if ENCRYPTED in path.read_bytes():
            raise WorkbookError(
                _issue(
                    label,
                    _("is protected by a password, so its cells cannot be read"),
                    _(
                        "Open it in Excel, remove the password (File > Info > Protect Workbook > "
                        "Encrypt with Password, clear it), save, and read it again."
                    ),
                )
            )
        return _xls_sheets(path, label)
    return _xlsx_sheets(path, label)


def _choose(
    sheets: Iterable[tuple[str, Iterator[tuple[int, list[str]]]]],
    label: str,
    required: Collection[str],
) -> tuple[list[pd.DataFrame], list[Issue]]:
    wanted = {normalise_name(c) for c in required}
    chosen: list[pd.DataFrame] = []
    others: list[pd.DataFrame] = []
    for title, rows in sheets:
        frame = frame_of(rows, f"{label} [{title}]", title)
        if frame is None:
            continue  # no cells at all: nothing to lose
        names = {normalise_name(c) for c in frame.columns}
        (chosen if wanted <= names else others).append(frame)
    if not chosen and others:
        chosen.append(others.pop(0))
    issues = [
        Issue(
            IssueCode.IGNORED_SHEET,
            label,
            None,
            None,
            other.attrs["sheet"],
            _("the sheet {sheet} has cells but not the columns {columns}; it is not read").format(
                sheet=repr(other.attrs["sheet"]), columns=", ".join(sorted(wanted))
            ),
            _("Move its rows into the sheet that is read, or delete the sheet if it is a summary."),
        )
        for other in others
    ]
    return chosen, issues


def frame_of(rows: Iterator[tuple[int, list[str]]], where: str, title: str) -> pd.DataFrame | None:
    """Rows of one sheet as a raw frame: the first row with cells is the header."""
    header: list[str] | None = None
    body: list[list[str]] = []
    lines: list[int] = []
    for number, cells in rows:
        if header is None:
            if any(c.strip() for c in cells):
                header = cells
            continue
        if any(c.strip() for c in cells):
            body.append(cells)
            lines.append(number)
    if header is None:
        return None
    width = max([len(header), *(len(r) for r in body)])
    header = header + [""] * (width - len(header))
    body = [r + [""] * (width - len(r)) for r in body]
    frame = pd.DataFrame(body, columns=header, dtype="str")
    if not body:
        frame = pd.DataFrame({name: pd.Series([], dtype="str") for name in header})
    frame["source_line"] = np.asarray(lines, dtype=np.int64)
    frame.attrs["label"] = where
    frame.attrs["sheet"] = title
    return frame


def first_sheet(path: Path, label: str) -> tuple[str, list[tuple[int, list[str]]], list[Issue]]:
    """The first sheet of the workbook at ``path`` that has cells, as ``(title, rows, issues)``:
    every row as ``(row number, text cells)``, blank rows included; an ``ignored_sheet`` warning
    for each later sheet with cells (an export is one sheet; a second one is not read)."""
    found = _sheets_of(path, label)
    chosen: tuple[str, list[tuple[int, list[str]]]] | None = None
    issues: list[Issue] = []
    for title, rows in found:
        listed = list(rows)
        if not any(c.strip() for _, cells in listed for c in cells):
            continue
        if chosen is None:
            chosen = (title, listed)
            continue
        issues.append(
            Issue(
                IssueCode.IGNORED_SHEET,
                label,
                None,
                None,
                title,
                _(
                    "the sheet {sheet} is not read: an export is read from its first sheet "
                    "({first})"
                ).format(sheet=repr(title), first=repr(chosen[0])),
                _("Move its rows into the first sheet, or delete it if it is a summary."),
            )
        )
    if chosen is None:
        raise WorkbookError(
            _issue(label, _("the workbook has no cells"), _("Export the report again."))
        )
    return chosen[0], chosen[1], issues


def _xlsx_sheets(path: Path, label: str) -> Iterator[tuple[str, Iterator[tuple[int, list[str]]]]]:
    # loaded when a workbook is met (a ledger of CSV files, the dashboard's kernel, never do)
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # the bytes, not the path: openpyxl refuses a workbook whose name ends in .csv
        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise WorkbookError(_damaged(label, exc)) from None
    except (KeyError, InvalidFileException, ParseError) as exc:
        raise WorkbookError(
            _issue(
                label,
                _("is a ZIP archive but not an Excel workbook ({reason})").format(
                    reason=shorten(str(exc), 60)
                ),
                _("Open it in Excel and save it again as .xlsx (Excel Workbook)."),
            )
        ) from None
    return _xlsx_rows(book, label)


def _xlsx_rows(book: Any, label: str) -> Iterator[tuple[str, Iterator[tuple[int, list[str]]]]]:
    try:
        for sheet in book.worksheets:
            if getattr(sheet, "reset_dimensions", None):
                sheet.reset_dimensions()  # some writers record wrong dimensions
            rows = [
                (number, [cell_text(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
            yield sheet.title, iter(rows)
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ParseError, ValueError) as exc:
        raise WorkbookError(_damaged(label, exc)) from None
    finally:
        book.close()


def _xls_sheets(path: Path, label: str) -> Iterator[tuple[str, Iterator[tuple[int, list[str]]]]]:
    import xlrd  # old .xls only: loaded when one is met
    from xlrd.biffh import XLRDError
    from xlrd.compdoc import CompDocError

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except (XLRDError, CompDocError) as exc:
        raise WorkbookError(
            _issue(
                label,
                _("cannot be read as an Excel 97–2003 workbook ({reason})").format(
                    reason=shorten(str(exc), 60)
                ),
                _("Open it in Excel and save it as .xlsx (Excel Workbook), then read it again."),
            )
        ) from None
    except (OSError, ValueError, AssertionError, IndexError) as exc:
        raise WorkbookError(_damaged(label, exc)) from None

    def rows(sheet: Any) -> Iterator[tuple[int, list[str]]]:
        for r in range(sheet.nrows):
            yield r + 1, [_xls_text(book, cell) for cell in sheet.row(r)]

    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            yield sheet.name, rows(sheet)
    finally:
        book.release_resources()


def _xls_text(book: Any, cell: Any) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        return cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return str(xlrd.error_text_from_code.get(cell.value, "#ERROR"))
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        value = float(cell.value)
        return cell_text(int(value) if value.is_integer() and abs(value) < 2**53 else value)
    return cell_text(cell.value)


def _damaged(label: str, exc: BaseException) -> Issue:
    return _issue(
        label,
        _("is damaged or cut short and cannot be read ({error}: {reason})").format(
            error=type(exc).__name__, reason=shorten(str(exc), 60)
        ),
        _("Export or copy the file again; if Excel opens it, save it again as .xlsx."),
    )


def _issue(label: str, message: str, hint: str) -> Issue:
    return Issue(IssueCode.UNREADABLE_FILE, label, None, None, None, message, hint)
