"""HTML fragments shared by the dashboard, the monthly review and the walkthrough: KPI tiles,
money tables, the data-issues banner, and the stylesheet they share. Everything from the data is
escaped (a customer called ``<script>`` prints as text). No JavaScript, no external resources.

DOM contract (the browser tests rely on it): tiles are ``div.arbook-kpi[data-kpi=<key>]`` holding
``.arbook-kpi-value``; tables are ``table.arbook-table``; the banner is ``div.arbook-banner``
with ``data-errors`` and ``data-warnings``; a tile whose figure is n/a carries ``data-why``
and its reason in ``.arbook-kpi-why``; a section's n/a reason is ``p.arbook-na``.

Every text is in the language spoken now (:mod:`arbook.core.i18n`): the tiles' changes (their
labels come translated with the review's KPIs), the tables' titles and the codes in their
cells, the banner; amounts name the ledger's currency in Spanish and Russian
(:func:`~arbook.views.format.money_text`).
"""

from __future__ import annotations

import html
import math
from decimal import Decimal

import pandas as pd

from arbook.core.dates import format_count
from arbook.core.i18n import N_, _, language, ngettext, number_marks
from arbook.core.money import half_up
from arbook.views.format import (
    CODE_COLUMNS,
    NA,
    code_text,
    column_title,
    format_cents,
    format_date,
    format_ratio,
    is_percent,
    money_text,
)

CSS = """
<style>
.arbook { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2733; }
.arbook-tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 6px 0 12px; }
.arbook-kpi { flex: 1 1 170px; max-width: 240px; border: 1px solid #d5dde6; border-radius: 8px;
  padding: 10px 12px; background: #f8fafc; }
.arbook-kpi-label { font-size: 12px; color: #52606d; text-transform: uppercase;
  letter-spacing: .03em; }
.arbook-kpi-value { font-size: 24px; font-weight: 600; margin: 2px 0; }
.arbook-kpi-change { font-size: 12px; color: #52606d; }
.arbook-kpi-change .good { color: #2f7d4f; } .arbook-kpi-change .bad { color: #b3261e; }
table.arbook-table { border-collapse: collapse; font-size: 13px; margin: 4px 0 12px; }
table.arbook-table th { text-align: left; border-bottom: 2px solid #b8c4d6; padding: 4px 8px;
  background: #f1f5f9; }
table.arbook-table td { border-bottom: 1px solid #e4e9ef; padding: 3px 8px; }
table.arbook-table td.num, table.arbook-table th.num { text-align: right;
  font-variant-numeric: tabular-nums; }
table.arbook-table tr.total td { font-weight: 600; border-top: 2px solid #b8c4d6; }
.arbook-banner { border-radius: 6px; padding: 8px 12px; margin: 4px 0 10px; }
.arbook-banner.ok { background: #e8f5ec; border: 1px solid #9fd3b0; }
.arbook-banner.warn { background: #fff6e0; border: 1px solid #f2c14e; }
.arbook-banner.error { background: #fdecea; border: 1px solid #e5a19b; }
.arbook-error { background: #fdecea; border: 1px solid #e5a19b; border-radius: 6px;
  padding: 8px 12px; white-space: pre-wrap; }
.arbook-note { color: #52606d; font-size: 13px; }
.arbook-kpi-why, .arbook-na { font-size: 12px; color: #8a5a00; }
</style>
"""

#: KPIs where a rise is bad news (colours the change red).
WORSE_WHEN_UP = {
    "total_cents",
    "overdue_cents",
    "dso_countback",
    "best_possible_dso",
    "add",
    "carrying_cost_cents",
    "yearly_cost_cents",
}


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def esc_text(value) -> str:
    """``value`` escaped for the text of an element (quotes left as they are: "Who owes what",
    today's), as a translated sentence is put in a page."""
    return html.escape(str(value), quote=False)


def format_value(value, unit: str, *, sign: bool = False, currency: str | None = None) -> str:
    """A KPI value for people: cents as money (with ``currency`` in Spanish and Russian), days
    with one decimal, ratios as percent."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _(NA)
    if unit == "cents":  # an average can hold a fraction of a cent: half-up, like every amount
        return money_text(half_up(Decimal(str(value))), currency, sign=sign)
    if unit == "ratio":
        text = format_ratio(value, percent=True)
        return ("+" + text) if sign and value > 0 else text
    text = format_ratio(value, digits=1)
    return ("+" + text) if sign and value > 0 else text


#: A tile's two comparisons: ``{change}`` is the change, coloured good or bad.
CHANGES = (
    ("change", N_("vs last month: {change}")),
    ("change_year", N_("vs a year ago: {change}")),
)


def _points(value: float) -> str:
    """A change of a ratio in percentage points: ``+1.5 pts`` (``+1,5 p. p.`` in Spanish)."""
    number = f"{value * 100:+.1f}"
    if language() != "en":
        number = number.replace(".", number_marks(language())[1])
    return _("{points} pts").format(points=number)


def _change(row, column: str, when: str, currency: str | None = None) -> str:
    value = row[column]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return esc_text(_(when).format(change=_(NA)))
    if row["unit"] == "ratio":
        text = _points(value)
    else:
        text = format_value(value, row["unit"], sign=True, currency=currency)
    bad = (value > 0) == (row["kpi"] in WORSE_WHEN_UP) and value != 0
    span = f'<span class="{"bad" if bad else "good"}">{esc(text)}</span>'
    return esc_text(_(when)).format(change=span)


def kpi_tiles(kpis: pd.DataFrame, *, currency: str | None = None) -> str:
    """The KPI tiles of a :attr:`Review.kpis` frame, each with its change vs last month and
    last year; amounts in ``currency`` (the ledger's, named in Spanish and Russian)."""
    tiles = []
    for row in kpis.to_dict(orient="records"):
        why = row.get("why") or ""
        changes = "<br>".join(_change(row, column, when, currency) for column, when in CHANGES)
        below = (
            f'<div class="arbook-kpi-why">{esc(why)}</div>'
            if why
            else f'<div class="arbook-kpi-change">{changes}</div>'
        )
        value = format_value(row["value"], row["unit"], currency=currency)
        tiles.append(
            f'<div class="arbook-kpi" data-kpi="{esc(row["kpi"])}"{_why_title(why)}>'
            f'<div class="arbook-kpi-label">{esc(row["label"])}</div>'
            f'<div class="arbook-kpi-value">{esc(value)}</div>'
            f"{below}</div>"
        )
    return f'<div class="arbook arbook-tiles">{"".join(tiles)}</div>'


def _why_title(why: str) -> str:
    return f' title="{esc(why)}" data-why="n/a"' if why else ""


def na_note(reason: str | None) -> str:
    """The one way a view says a figure is n/a and why: a note holding ``reason`` (the sentence
    :func:`arbook.measures.history.needs_history` gives); "" when there is none. DOM:
    ``p.arbook-na``."""
    if not reason:
        return ""
    return f'<p class="arbook arbook-note arbook-na">{esc(reason)}</p>'


def _cell(name: str, value) -> tuple[str, bool | None]:
    """(text, is_number) for one cell, by the column's name and the value's type; is_number is
    None for a blank cell, which says nothing about its column."""
    if value is None or value is pd.NA or value is pd.NaT:
        return _(NA), None
    if isinstance(value, float) and math.isnan(value):
        return _(NA), None
    if isinstance(value, bool):
        return (_("yes") if value else ""), False
    if name.endswith("_cents"):
        return format_cents(value), True
    if isinstance(value, pd.Timestamp):
        return format_date(value), False
    if isinstance(value, float):
        return format_ratio(value, percent=is_percent(name)), True
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return format_count(value), True
    if name in CODE_COLUMNS:
        return code_text(value), False
    return str(value), False


#: rows folded under "N more rows not shown" at most (a page stays light on a large book)
FOLDED_ROWS = 1000


def _more_rows(count: int) -> str:
    return ngettext("{count} more row", "{count} more rows", count).format(
        count=format_count(count)
    )


def table_html(
    frame: pd.DataFrame,
    *,
    total: bool = False,
    titles: dict | None = None,
    max_rows: int | None = None,
) -> str:
    """A money table: ``_cents`` dropped from titles (or ``titles`` used), amounts right-aligned
    with separators, ``n/a`` for undefined values. ``total`` adds a row summing money columns
    (all rows). Beyond ``max_rows`` the rest is folded under "N more rows not shown: show
    them" (an HTML ``<details>``), one click away in the dashboard and the offline review."""
    if frame.empty:
        nothing = _("Nothing to show.")
        return f'<p class="arbook-note">{esc_text(nothing)}</p>'
    titles = titles or {}
    records = frame.astype(object).to_dict(orient="records")
    # a column is right-aligned when its first filled cells are numbers; blanks do not vote
    numeric = {
        c: any(_cell(c, r[c])[1] is True for r in records[:50]) or c.endswith("_cents")
        for c in frame.columns
    }
    head = "".join(
        f'<th class="{"num" if numeric[c] else ""}">{esc(column_title(c, titles))}</th>'
        for c in frame.columns
    )

    def rows(chosen: list[dict]) -> str:
        return "".join(
            "<tr>"
            + "".join(
                f'<td class="{"num" if numeric[c] else ""}">{esc(_cell(c, r[c])[0])}</td>'
                for c in frame.columns
            )
            + "</tr>"
            for r in chosen
        )

    cut = len(records) if max_rows is None else max_rows
    body = rows(records[:cut])
    if total:
        cells = []
        for k, c in enumerate(frame.columns):
            text = (
                format_cents(int(frame[c].sum()))
                if c.endswith("_cents")
                else (_("Total") if k == 0 else "")
            )
            cells.append(f'<td class="{"num" if numeric[c] else ""}">{esc(text)}</td>')
        body += f'<tr class="total">{"".join(cells)}</tr>'
    more = ""
    if len(records) > cut:  # the rest one click away (an offline page has nowhere to link to)
        rest = records[cut : cut + FOLDED_ROWS]
        beyond = len(records) - cut - len(rest)
        too_many = _(
            "and {rows}: too many for a page; the CSV output (--format csv) or the Excel file "
            "has them all."
        )
        tail = (
            f'<p class="arbook-note">{esc_text(too_many.format(rows=_more_rows(beyond)))}</p>'
            if beyond
            else ""
        )
        folded = _("{rows} not shown: show them").format(rows=_more_rows(len(records) - cut))
        more = (
            f'<details class="arbook-more"><summary class="arbook-note">'
            f"{esc_text(folded)}</summary>"
            f'<table class="arbook arbook-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows(rest)}</tbody></table>{tail}</details>"
        )
    return (
        f'<table class="arbook arbook-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>{more}"
    )


def issues_banner(issues: pd.DataFrame) -> str:
    """One line counting the data issues: green when none, amber for warnings, red for errors
    (rows kept out of the ledger)."""
    errors = int((issues["severity"] == "error").sum()) if len(issues) else 0
    warnings = len(issues) - errors
    kind = "error" if errors else ("warn" if warnings else "ok")
    if not len(issues):
        text = _("Data checked: no issues found.")
    else:
        text = _("Data issues: {errors} (rows kept out of the figures) and {warnings}.").format(
            errors=ngettext("{count} error", "{count} errors", errors).format(
                count=format_count(errors)
            ),
            warnings=ngettext("{count} warning", "{count} warnings", warnings).format(
                count=format_count(warnings)
            ),
        )
    return (
        f'<div class="arbook arbook-banner {kind}" data-errors="{errors}" '
        f'data-warnings="{warnings}">{esc(text)}</div>'
    )


def error_box(message: str) -> str:
    """A readable error for people (never a traceback)."""
    return f'<div class="arbook arbook-error">{esc(message)}</div>'


def status_line(text: str, error: bool) -> str:
    """A form's status line: the error box for a refusal, a quiet note otherwise (escaped)."""
    return error_box(text) if error else f'<span class="arbook-note">{esc(text)}</span>'


def fact(label: str, value: str) -> str:
    """One labelled figure of a row of facts (a drill-down's, a call screen's)."""
    return f"<div>{esc(label)}<br><b>{esc(value)}</b></div>"
