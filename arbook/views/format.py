"""Money, dates and ratios for humans. The only place cents become text.

Machine formats (CSV, JSON) keep money as integer cents and dates as ISO text, exactly; tables
for people show ``1,234.56``, ``87.9%`` and ``n/a`` for anything undefined.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from arbook.core.dates import date_text
from arbook.core.i18n import _
from arbook.core.money import NA, format_cents
from arbook.core.numbers import percent_text, ratio_text

__all__ = [
    "COLUMN_TITLES",
    "DAYS_TITLES",
    "NA",
    "column_title",
    "days_title",
    "format_cents",
    "format_date",
    "format_ratio",
    "human_table",
    "is_percent",
    "machine_frame",
    "to_csv",
    "to_json",
]

#: How columns are titled for people wherever a frame is shown (terminal tables, HTML tables):
#: one name per number (SPEC §3's total receivable and net receivable, never plain "total").
#: Other ``*_cents`` columns lose their suffix; a view may add its own titles on top.
COLUMN_TITLES = {
    "customer_id": "customer",
    "receivable_cents": "total receivable",
    "unapplied_cents": "credits and unapplied",
    "total_cents": "net receivable",
    "overdue_cents": "overdue",
    "disputed_cents": "in dispute",
    "carrying_cost_cents": "carrying cost to date",
    "yearly_cost_cents": "carrying cost a year",
    "avg_days_overdue": "avg days overdue",
    "cent_days": "cent-days overdue",
}
#: What the days of an aging count, by basis: the axis and column titles say which.
DAYS_TITLES = {"due": "days overdue", "invoice": "days since invoice"}


def column_title(name: str, titles: dict | None = None) -> str:
    """The title of column ``name`` for people: ``titles`` first, then :data:`COLUMN_TITLES`,
    else the name without ``_cents``, in words (``due_date`` -> ``due date``)."""
    if titles and name in titles:
        return titles[name]
    return COLUMN_TITLES.get(name, name.removesuffix("_cents").replace("_", " "))


def days_title(basis: str) -> str:
    """``days overdue`` (due basis) or ``days since invoice`` (invoice basis)."""
    return DAYS_TITLES[basis]


def is_percent(name: str) -> bool:
    """Columns holding fractions shown as percentages (CEI, shares, rates)."""
    return (
        name == "cei"
        or name.startswith(("pct_", "share_"))
        or name.endswith("_rate")
        or "->" in name
    )


def format_ratio(value, *, percent: bool = False, digits: int = 1) -> str:
    """A ratio or a percentage for people (``87.9%``; ``87,9 %`` in Spanish and Russian, CLDR's
    forms through Babel); ``n/a`` when undefined (:mod:`arbook.core.numbers`)."""
    if value is None or value is pd.NA or not np.isfinite(value):
        return _(NA)
    return percent_text(value, digits) if percent else ratio_text(value, digits)


def format_date(value) -> str:
    """A day for people (:func:`arbook.core.dates.date_text`); ``n/a`` when missing."""
    return _(NA) if pd.isna(value) else date_text(value)


def _column_formatter(name: str, series: pd.Series):
    if name.endswith("_cents"):
        return format_cents
    if series.dtype.kind == "M":
        return format_date
    if series.dtype.kind == "b":
        return lambda v: "yes" if v else ""
    if series.dtype.kind == "f":
        percent = is_percent(name)
        return lambda v: format_ratio(v, percent=percent)
    return lambda v: (
        NA if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v)
    )


def human_table(frame: pd.DataFrame, *, total: bool = False, titles: dict | None = None) -> str:
    """Aligned text table: money with separators, columns titled by :func:`column_title`,
    numbers right aligned. ``total`` appends a row summing the money columns."""
    if frame.empty:
        return "(nothing to show)"
    shown = {}
    title = {name: column_title(name, titles) for name in frame.columns}
    for name in frame.columns:
        fmt = _column_formatter(name, frame[name])
        shown[title[name]] = [fmt(v) for v in frame[name]]
    table = pd.DataFrame(shown)
    numeric = [n for n in frame.columns if frame[n].dtype.kind in "iuf"]
    if total:
        row = {title[n]: "" for n in frame.columns}
        row[table.columns[0]] = "TOTAL"
        for name in frame.columns:
            if name.endswith("_cents"):
                row[title[name]] = format_cents(int(frame[name].sum()))
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    widths = {c: max(len(str(c)), *(len(v) for v in table[c])) for c in table.columns}
    right = {title[n] for n in numeric}

    def cell(c, v):
        return str(v).rjust(widths[c]) if c in right else str(v).ljust(widths[c])

    lines = ["  ".join(cell(c, c) for c in table.columns).rstrip()]
    lines.append("  ".join("-" * widths[c] for c in table.columns))
    for values in table.itertuples(index=False):
        lines.append("  ".join(cell(c, v) for c, v in zip(table.columns, values)).rstrip())
    if total:
        lines.insert(-1, lines[1])
    return "\n".join(lines)


def machine_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text, categories as text; money stays int cents."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype.kind == "M":
            out[name] = out[name].map(format_date, na_action="ignore")
        elif isinstance(out[name].dtype, pd.CategoricalDtype):
            out[name] = out[name].astype("str")
    return out


def to_json(frame: pd.DataFrame) -> str:
    """Records as JSON: exact integers, ISO dates, null for anything undefined."""
    records = machine_frame(frame).astype(object).where(lambda f: f.notna(), None)
    rows = [
        {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
        for row in records.to_dict(orient="records")
    ]
    rows = [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
        for r in rows
    ]
    return json.dumps(rows, ensure_ascii=False, indent=1)


def to_csv(frame: pd.DataFrame) -> str:
    return machine_frame(frame).to_csv(index=False)
