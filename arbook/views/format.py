"""Money, dates and ratios for humans. The only place cents become text.

Machine formats (CSV, JSON) keep money as integer cents and dates as ISO text, exactly; tables
for people show ``1,234.56``, ``87.9%`` and ``n/a`` for anything undefined, their titles, the
bucket labels and the codes in their cells (``credit_note``) in the language spoken now.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from arbook.core.dates import date_text
from arbook.core.i18n import N_, _
from arbook.core.money import NA, format_cents, format_money
from arbook.core.numbers import percent_text, ratio_text

__all__ = [
    "COLUMN_TITLES",
    "DAYS_TITLES",
    "NA",
    "bucket_text",
    "code_text",
    "column_title",
    "days_title",
    "format_cents",
    "format_date",
    "format_ratio",
    "human_table",
    "is_percent",
    "machine_frame",
    "money_text",
    "to_csv",
    "to_json",
]

#: How columns are titled for people wherever a frame is shown (terminal tables, HTML tables):
#: one name per number (SPEC §3's total receivable and net receivable, never plain "total").
#: Other ``*_cents`` columns lose their suffix; a view may add its own titles on top.
COLUMN_TITLES = {
    "customer_id": N_("customer"),
    "receivable_cents": N_("total receivable"),
    "unapplied_cents": N_("credits and unapplied"),
    "total_cents": N_("net receivable"),
    "overdue_cents": N_("overdue"),
    "disputed_cents": N_("in dispute"),
    "carrying_cost_cents": N_("carrying cost to date"),
    "yearly_cost_cents": N_("carrying cost a year"),
    "avg_days_overdue": N_("avg days overdue"),
    "cent_days": N_("cent-days overdue"),
}
#: What the days of an aging count, by basis: the axis and column titles say which.
DAYS_TITLES = {"due": N_("days overdue"), "invoice": N_("days since invoice")}
#: The words among the bucket labels (:func:`arbook.core.config.bucket_labels`, ``unapplied``):
#: marked here for the catalogue, shown by :func:`bucket_text`; ``1-30`` and ``121+`` need none.
BUCKET_WORDS = (
    N_("current"),
    N_("unapplied"),
    N_("< 1 month"),
    N_("1 month"),
    N_("2 months"),
    N_("3 months"),
    N_("older"),
)
#: Columns whose cells are codes (a bucket, a document's kind, an issue's severity): shown in
#: words by :func:`code_text`.
CODE_COLUMNS = ("bucket", "oldest_bucket", "kind", "severity")
#: The codes of those columns, in words, marked for the catalogue.
CODE_WORDS = (
    N_("invoice"),
    N_("credit note"),
    N_("payment"),
    N_("error"),
    N_("warning"),
    N_("total receivable"),
    N_("net receivable"),
)


def bucket_text(label: str) -> str:
    """A bucket label (``current``, ``1-30``, ``unapplied``, ``< 1 month``) for people; a roll
    between two (``current->1-30``) has each translated."""
    return "->".join(_(part) if part else part for part in str(label).split("->"))


def code_text(code: object) -> str:
    """A code from the data shown to people (``credit_note`` -> ``credit note``, a bucket), in
    the language spoken; what is no known code stays as it is."""
    return bucket_text(str(code).replace("_", " "))


def column_title(name: str, titles: dict | None = None) -> str:
    """The title of column ``name`` for people, in the language spoken now: ``titles`` first,
    then :data:`COLUMN_TITLES`, else the name without ``_cents``, in words (``due_date`` ->
    ``due date``); each bucket of a roll (``current->1-30``) translated."""
    if titles and name in titles:
        return bucket_text(titles[name])
    return bucket_text(COLUMN_TITLES.get(name, name.removesuffix("_cents").replace("_", " ")))


def days_title(basis: str) -> str:
    """``days overdue`` (due basis) or ``days since invoice`` (invoice basis)."""
    return _(DAYS_TITLES[basis])


def money_text(cents: object, currency: str | None = None, *, sign: bool = False) -> str:
    """An amount on a screen (a tile, a sentence, a tooltip) with the ledger's ``currency``, as
    :func:`~arbook.core.money.format_money` writes it: ``1,234.56 EUR`` in English,
    ``1.234,56 €`` and ``1 234,56 €`` in Spanish and Russian; the number alone when the data
    names no currency. Table cells keep the number alone (the column says the currency)."""
    return format_money(cents, currency, sign=sign)


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
        return lambda v: _("yes") if v else ""
    if series.dtype.kind == "f":
        percent = is_percent(name)
        return lambda v: format_ratio(v, percent=percent)
    code = name in CODE_COLUMNS
    return lambda v: (
        _(NA)
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
        else (code_text(v) if code else str(v))
    )


def human_table(frame: pd.DataFrame, *, total: bool = False, titles: dict | None = None) -> str:
    """Aligned text table: money with separators, columns titled by :func:`column_title`,
    numbers right aligned. ``total`` appends a row summing the money columns."""
    if frame.empty:
        return _("(nothing to show)")
    shown = {}
    title = {name: column_title(name, titles) for name in frame.columns}
    for name in frame.columns:
        fmt = _column_formatter(name, frame[name])
        shown[title[name]] = [fmt(v) for v in frame[name]]
    table = pd.DataFrame(shown)
    numeric = [n for n in frame.columns if frame[n].dtype.kind in "iuf"]
    if total:
        row = {title[n]: "" for n in frame.columns}
        row[table.columns[0]] = _("TOTAL")
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
