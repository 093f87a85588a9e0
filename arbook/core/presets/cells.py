"""What the presets share: a column's cells as text, computed amounts as text, made-up ids
numbered when they repeat, work done once per distinct value, an "As of …" title read as a
date, dates as ISO text, and an ``unread_row`` error on a line."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from arbook.core import money, parse
from arbook.core.errors import Issue, IssueCode
from arbook.core.grid import Grid

AS_OF = re.compile(r"^\s*as (?:of|at)\s+(?P<date>.*\S)\s*$", re.IGNORECASE)


def text(frame: pd.DataFrame, column: str | None) -> pd.Series:
    """A raw column's cells as stripped text ("" where blank or absent)."""
    if column is None or column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].fillna("").astype("str").str.strip()


def cents_text(cents: np.ndarray, decimal: str = ".") -> pd.Series:
    """Cents as plain text amounts ("-1250.00", "-1250,00" with a decimal comma) for cells a
    preset computes (:func:`arbook.core.money.cents_text`)."""
    return pd.Series(money.cents_text(cents, decimal), dtype=object)


def cents_cells(cents: np.ndarray, decimal: str = ".", index: pd.Index | None = None) -> pd.Series:
    """The text :func:`cents_text` writes, as a text column made at once (no Python string per
    cell: a million computed amounts): the cents as an exact decimal of two places, as text."""
    exact = pa.array(np.asarray(cents, dtype=np.int64)).cast(pa.decimal128(19, 0))
    written = pc.cast(exact.view(pa.decimal128(19, 2)), pa.large_string())
    if decimal != ".":
        written = pc.replace_substring(written, ".", decimal)
    return pd.Series(written.to_pandas(types_mapper=pd.ArrowDtype), index=index).astype("str")


def by_value(series: pd.Series, work: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``work`` done on each distinct value of ``series`` once, then spread back to every row
    (types, terms and statuses repeat on thousands of rows); text comes back as text."""
    codes, distinct = pd.factorize(series, use_na_sentinel=False)
    done = work(pd.Series(distinct)).astype("str").array
    return pd.Series(done.take(codes), index=series.index)


def repeated(ids: pd.Series) -> np.ndarray:
    """``ids.duplicated(keep=False)``: the rows whose text another row has too. None does when
    each id sorts after the one before (ids in file order often are), or when a sort
    (:func:`~arbook.core.parse.repeats`, which a million ids take far faster than a hash table)
    finds no two alike, nor two blank cells; only else are they hashed."""
    none = np.zeros(len(ids), dtype=bool)
    if len(ids) < 2:
        return none
    if isinstance(ids.dtype, pd.StringDtype) and not ids.hasnans:
        cells = pa.array(ids, type=pa.large_string())
        if isinstance(cells, pa.ChunkedArray):
            cells = cells.combine_chunks()
        if pc.all(pc.less(cells.slice(0, len(cells) - 1), cells.slice(1))).as_py():
            return none
    alike, _order = parse.repeats(ids, np.ones(len(ids), dtype=bool))
    if not alike.any() and parse.blank_mask(ids).sum() < 2:
        return none
    return ids.duplicated(keep=False).to_numpy()


class Dates:
    """A column of text dates taken apart once per distinct date (a million rows hold a few
    thousand dates), to be asked, as :class:`~arbook.core.parse.DateCells` is, the day/month
    :meth:`order` they settle and their dates :meth:`read` in an order."""

    def __init__(self, dates: pd.Series) -> None:
        self._codes, distinct = pd.factorize(dates, use_na_sentinel=False)
        self._cells = parse.DateCells(pd.Series(distinct, dtype=dates.dtype))

    def order(self) -> str | None:
        """The order the dates settle ("dmy", "mdy"), as :func:`parse.infer_date_order` says:
        whether some date is real one way only does not hang on how often it is written."""
        return self._cells.order()

    def read(self, order: str) -> parse.ParsedDates:
        """The dates read in ``order``, "dmy" or "mdy" (then each date reads on its own: the
        reading of its distinct value is its reading)."""
        if order not in ("dmy", "mdy"):
            raise ValueError(f"dates are read by value in a day/month order, not {order!r}")
        read, codes = self._cells.read(order), self._codes
        values = pd.Series(read.values.to_numpy()[codes])
        return parse.ParsedDates(values, *(mask[codes] for mask in read[1:]))


def unique_ids(ids: pd.Series) -> pd.Series:
    """``ids`` with " #2", " #3"... added to the second and later of each repeated one."""
    seen = ids.groupby(ids, sort=False).cumcount()
    return ids.where(seen == 0, ids + " #" + (seen + 1).astype("str"))


def stated_date(grid: Grid, header: int, date_order: str) -> pd.Timestamp | None:
    """The date a report's title rows (above ``header``) say it is as of: "As of June 30, 2026",
    "As at 30 June 2026", "As of Jul 25, 2026"; None when none says so readably."""
    for line, cells in grid.head:
        if line >= header:
            break
        for cell in cells:
            found = AS_OF.match(str(cell))
            if found is None:
                continue
            parsed = parse.parse_dates(pd.Series([found["date"]], dtype=object), date_order)
            value = parsed.values.iloc[0]
            if not pd.isna(value):
                return pd.Timestamp(value)
    return None


def iso_text(dates: pd.Series, date_order: str) -> pd.Series:
    """Dates as ISO text where they read (``06/15/2026`` -> ``2026-06-15``), else as written: for
    made-up ids that do not change with how a file writes its dates (CSV or XLSX)."""
    parsed = parse.parse_dates(dates.reset_index(drop=True), date_order).values
    iso = pd.Series(parsed.dt.strftime("%Y-%m-%d").to_numpy(), index=dates.index, dtype=object)
    return iso.where(iso.notna(), dates)


def row_issue(
    grid: Grid, line: int, column: str | None, value: str, message: str, hint: str
) -> Issue:
    """An ``unread_row`` error on the file's ``line``."""
    return Issue(IssueCode.UNREAD_ROW, grid.label, line, column, value, message, hint)
