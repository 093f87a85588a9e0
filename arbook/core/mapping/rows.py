"""A data file's rows as a mapping sees them: the grid, the header, the item rows.

:func:`read_grid` reads the file (a workbook's named sheet); :func:`_mapped_header` finds the
mapping's header again when a title row moved it; :func:`_rows_of` gives the rows below it with
customers filled down from heading rows and a workbook's number cells in the mapping's decimal
mark; :func:`_item_rows` tells the documents from blank, heading and total rows (and from rows
with an amount and nothing else, reported as errors). Both checking a mapping
(:mod:`~arbook.core.mapping.problems`) and reading through it (:mod:`~arbook.core.mapping.apply`)
see the file through these, so they agree on what its rows are.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from arbook.core import grid as grids
from arbook.core import parse, sheets
from arbook.core.errors import DataError, Issue
from arbook.core.i18n import _
from arbook.core.mapping.model import Mapping
from arbook.core.mapping.vocabulary import header_key, vocabulary
from arbook.core.schemas import normalise_name


def read_grid(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> grids.Grid:
    """The file as a :class:`~arbook.core.grid.Grid` (a workbook's ``sheet`` when named, else
    its first sheet with cells); DataError in words when it cannot be read."""
    try:
        grid = grids.read_grid(path, str(path), encoding)
    except grids.GridError as exc:
        raise DataError(f"{path}: {exc.issue.message}. {exc.issue.hint}".strip()) from None
    if sheet and grid.kind == "workbook" and grid.sheet != sheet:
        grid = _sheet_grid(grid, sheet)
    return grid


def _sheet_grid(grid: grids.Grid, sheet: str) -> grids.Grid:
    """``grid``'s workbook read from its sheet named ``sheet``."""
    try:
        for title, rows in sheets._sheets_of(grid.path, grid.label):
            if title == sheet:
                listed = list(rows)
                return grids.Grid(
                    grid.path,
                    grid.label,
                    "workbook",
                    listed[: grids.HEAD_ROWS],
                    sheet=title,
                    _rows=listed,
                )
    except sheets.WorkbookError as exc:
        raise DataError(f"{grid.path}: {exc.issue.message}") from None
    raise DataError(
        _(
            "{path}: no sheet named {sheet} (the mapping's sheet); name one of its sheets, or "
            "remove the sheet line to read the first"
        ).format(path=grid.path, sheet=repr(sheet))
    )


def _header_cells(grid: grids.Grid, header: int) -> list[str]:
    return next((list(c) for n, c in grid.head if n == header), [])


def _mapped_header(mapping: Mapping, grid: grids.Grid) -> int | None:
    """The line of the mapping's header: ``header_line`` when that row holds every mapped
    column, else the first row that does (a title row more or less since it was saved)."""
    wanted = list(mapping.columns.values())
    if not wanted:
        return mapping.header_line
    if grid.find_row(wanted, within=grids.HEAD_ROWS) == mapping.header_line:
        return mapping.header_line
    names = {normalise_name(c) for c in _header_cells(grid, mapping.header_line)}
    if {normalise_name(h) for h in wanted} <= names:
        return mapping.header_line
    return grid.find_row(wanted)


def _column(mapping: Mapping, frame: pd.DataFrame, name: str) -> pd.Series | None:
    header = mapping.columns.get(name)
    if header is None:
        return None
    key = normalise_name(header)
    return frame[key] if key in frame.columns else None


def _blank(series: pd.Series | None, n: int) -> np.ndarray:
    return np.ones(n, dtype=bool) if series is None else parse.blank_mask(series)


def _totalish(series: pd.Series) -> np.ndarray:
    """Cells that start with a total word ("Total for Current", "Итого", "Total Haworth")."""
    words = vocabulary().totals
    firsts = tuple({w.split()[0] for w in words})
    cells = series.fillna("").astype(str)
    # cheap first: only cells whose first letters are a total word's are compared in full
    maybe = cells.str.lstrip().str.lower().str.startswith(firsts).to_numpy(dtype=bool)
    found = np.zeros(len(series), dtype=bool)
    if maybe.any():
        keys = cells[maybe].map(header_key)
        hit = keys.map(lambda k: any(k == w or k.startswith(w + " ") for w in words))
        found[maybe] = hit.to_numpy(dtype=bool)
    return found


def _total_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows one of whose cells starts with a total word."""
    found = np.zeros(len(frame), dtype=bool)
    for c in frame.columns:
        if c not in ("source_file", "source_line"):
            found |= _totalish(frame[c])
    return found


def _item_rows(mapping: Mapping, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``(items, unread)``: the rows that are documents, and the rows with an amount that are
    neither documents nor totals (left out as errors). Blank, heading and total rows (a total
    word, no document number, no date) are neither."""
    n = len(frame)
    col = partial(_column, mapping, frame)
    no_id = _blank(col("invoice_id"), n)
    no_date = _blank(col("invoice_date"), n)
    no_one = _blank(col("customer_id"), n) & _blank(col("customer_name"), n)
    totals = _total_rows(frame)
    ids = col("invoice_id")
    if ids is not None:
        no_id |= _totalish(ids)  # "Итого" in the number column: no number
    date = col("invoice_date")
    if date is not None:
        no_date |= totals & parse.parse_dates(date.reset_index(drop=True), mapping.date_order).bad
    total_rows = totals & no_id & no_date
    no_amount = _blank(col("amount"), n)
    heading = no_id & no_date & no_amount
    items = ~(no_id & no_date & no_one) & ~total_rows & ~heading
    unread = no_id & no_date & no_one & ~total_rows & ~no_amount
    return items, unread


def _rows_of(mapping: Mapping, grid: grids.Grid, header: int) -> tuple[pd.DataFrame, list[Issue]]:
    """The rows below the header as the mapping reads them: customers filled down from
    heading rows, a workbook's number cells in the mapping's decimal mark."""
    frame, issues = grid.table(header)
    frame = _fill_down(mapping, frame)
    if grid.kind == "workbook" and mapping.decimal == ",":
        frame = _comma_numbers(mapping, frame)
    return frame, issues


def _comma_numbers(mapping: Mapping, frame: pd.DataFrame) -> pd.DataFrame:
    """A workbook whose amounts are text with a decimal comma ("10 000,00") may hold number
    cells too, which the sheet reader writes with a point (``45500.5``): those are written with
    the comma, so one decimal mark reads every cell. (A number with three decimals is not
    money and is left as it is, to be reported.)"""
    frame = frame.copy()
    for name in ("amount", "face_amount"):
        column = _column(mapping, frame, name)
        if column is None:
            continue
        text = column.fillna("").astype(str)
        number = text.str.fullmatch(r"-?\d+\.\d{1,2}")
        frame[normalise_name(mapping.columns[name])] = text.where(
            ~number, text.str.replace(".", ",", regex=False)
        ).where(column.notna(), column)
    return frame


def _fill_down(mapping: Mapping, frame: pd.DataFrame) -> pd.DataFrame:
    """A report grouped by customer (a heading row with the customer alone, its items below
    with the customer cell blank): each item takes its heading's customer. Rows of a file
    with no such headings are left as they are."""
    n = len(frame)
    col = partial(_column, mapping, frame)
    keys = [mapping.columns[f] for f in ("customer_id", "customer_name") if col(f) is not None]
    if not keys or n == 0:
        return frame
    no_doc = (
        _blank(col("invoice_id"), n) & _blank(col("invoice_date"), n) & _blank(col("amount"), n)
    )
    totals = _total_rows(frame)
    frame = frame.copy()
    for header in keys:
        key = normalise_name(header)
        cells = frame[key]
        blank = parse.blank_mask(cells)
        heading = no_doc & ~blank & ~totals
        if not heading.any():
            continue
        group = cells.astype(object).where(pd.Series(heading, index=cells.index))
        group[totals] = ""  # a total row ends its group
        filled = group.ffill().fillna("").to_numpy(dtype=object)
        take = blank & ~no_doc & (filled != "")
        frame[key] = np.where(take, filled, cells.astype(object))
    return frame


def _stripped(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip()
