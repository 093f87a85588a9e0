"""Pieces of the dashboard that need no widget state: checking what a control sends, the cache of
reviews, the per-customer table (search, bucket filter, sort), the drill-down and header HTML,
and the guarded selection widgets. :mod:`arbook.views.dashboard.app` wires them together.

Every checker raises :class:`ParameterError` with a sentence meant for the status line.
"""

from __future__ import annotations

import contextlib
import logging
import math
from pathlib import Path

import ipywidgets as w
import pandas as pd
from ipywidgets.widgets.widget_selection import _Selection, findvalue
from traitlets import TraitError, observe, validate

from arbook.core.config import Edges, check_edges, edges_text
from arbook.core.errors import ISSUE_COLUMNS, ParameterError
from arbook.core.ledger import Ledger
from arbook.measures.aging import UNAPPLIED
from arbook.measures.history import na_text
from arbook.views.dashboard.credit_tab import customer_credit_html
from arbook.views.format import column_title, days_title, format_cents, format_date, format_ratio
from arbook.views.html import CSS, error_box, esc, kpi_tiles, na_note, table_html
from arbook.workbook.review import (
    NO_TREND,
    Review,
    Settings,
    bucket_items,
    customer_detail,
    review_dates,
)

log = logging.getLogger(__name__)

#: Longest search text accepted (characters).
MAX_SEARCH = 100
ALL = "All"
ISSUE_ROWS = 200
#: Column titles for people in the drill-down and customer tables (on top of
#: :data:`arbook.views.format.COLUMN_TITLES`); ``days_overdue`` is titled by the basis.
TITLES = {
    "document_id": "document",
    "document_date": "date",
    "due_date": "due",
    "days_overdue": "days overdue",
    "payment_id": "payment",
    "payment_date": "date",
    "invoice_id": "invoice",
}
ITEM_COLUMNS = [
    "document_id",
    "kind",
    "document_date",
    "due_date",
    "amount_cents",
    "outstanding_cents",
    "days_overdue",
    "bucket",
    "disputed_cents",  # the one rule's amount in dispute (the review's), not the data's flag
]


def titles(basis: str) -> dict[str, str]:
    """:data:`TITLES` with the days column titled for ``basis`` (overdue / since invoice)."""
    return {**TITLES, "days_overdue": days_title(basis)}


#: Dashboard layout on top of :data:`arbook.views.html.CSS`.
DASHBOARD_CSS = """
<style>
.arbook-dashboard { max-width: 1180px; padding: 4px 8px 24px; }
.arbook-title { font-size: 22px; font-weight: 600; margin: 6px 0 0; }
.arbook-subtitle { color: #52606d; font-size: 13px; margin: 0 0 6px; }
.arbook-status .ok { color: #52606d; font-size: 12px; }
.arbook-status .arbook-error { padding: 4px 10px; font-size: 13px; }
.arbook-row { gap: 6px 18px; }
.arbook-controls { border-top: 1px solid #e4e9ef; border-bottom: 1px solid #e4e9ef;
  padding: 6px 0; margin: 4px 0 8px; }
.arbook-section { font-size: 15px; font-weight: 600; margin: 10px 0 4px; }
.arbook-facts { display: flex; flex-wrap: wrap; gap: 10px 18px; margin: 6px 0 10px;
  font-size: 14px; }
.arbook-facts b { font-size: 18px; }
.arbook-drill h3 { margin: 4px 0 6px; }
</style>
"""


def html_box(cls: str, value: str = "") -> w.HTML:
    """An HTML widget carrying the CSS class ``cls`` (the browser tests find it by that)."""
    box = w.HTML(value)
    box.add_class(cls)
    return box


def row(children, cls: str) -> w.HBox:
    """A wrapping row of widgets (spacing comes from :data:`DASHBOARD_CSS`)."""
    box = w.HBox(children, layout={"flex_flow": "row wrap", "align_items": "center"})
    box.add_class("arbook-row")
    box.add_class(cls)
    return box


def folder_name(source: str) -> str:
    """What the title calls the data: the folder's name."""
    return Path(source).name or source or "ledger"


# -- the controls ------------------------------------------------------------------------------

_WIDE = {"description_width": "initial"}


def _classed(widget, cls: str):
    widget.add_class(cls)
    return widget


def setting_controls(s: Settings, month_ends: list[str]) -> tuple:
    """The as-of dropdown, basis toggle, bucket-edges text and cost-of-capital box for the
    settings ``s``; month ends newest first."""
    return (
        _classed(
            GuardedDropdown(
                options=month_ends,
                value=s.as_of.strftime("%Y-%m-%d"),
                description="As of",
                style=_WIDE,
            ),
            "arbook-asof",
        ),
        _classed(
            GuardedToggleButtons(
                options=[("Due date", "due"), ("Invoice date", "invoice")],
                value=s.basis,
                description="Basis",
                style={"button_width": "96px", **_WIDE},
            ),
            "arbook-basis",
        ),
        _classed(
            w.Text(
                value=edges_text(s.edges),
                description="Buckets",
                continuous_update=False,
                placeholder="30,60,90,120 or months",
                style=_WIDE,
                layout={"width": "210px"},
            ),
            "arbook-edges",
        ),
        _classed(
            # not BoundedFloatText: it clamps 500 to 100 in the browser and in Python, silently;
            # the dashboard checks the value (check_cost) and says why it refuses one
            w.FloatText(
                value=cost_percent(s),
                step=0.5,
                description="Cost of capital %",
                style=_WIDE,
                layout={"width": "190px"},
            ),
            "arbook-cost",
        ),
    )


def table_controls() -> tuple:
    """Search text, bucket filter, sort column, ascending box and customer dropdown of the
    customer table (options are filled when the table is drawn)."""
    return (
        _classed(
            w.Text(
                description="Search",
                placeholder="customer id or name",
                continuous_update=True,
                style=_WIDE,
                layout={"width": "260px"},
            ),
            "arbook-search",
        ),
        _classed(
            GuardedDropdown(
                options=[ALL], description="Owing in", style=_WIDE, layout={"width": "190px"}
            ),
            "arbook-bucket-filter",
        ),
        _classed(
            GuardedDropdown(
                options=[("Total", "total_cents")],
                description="Sort by",
                style=_WIDE,
                layout={"width": "200px"},
            ),
            "arbook-sort",
        ),
        _classed(
            w.Checkbox(description="ascending", indent=False, layout={"width": "110px"}),
            "arbook-ascending",
        ),
        _classed(
            GuardedDropdown(
                options=[("Choose a customer…", "")],
                description="Show customer",
                style=_WIDE,
                layout={"width": "340px"},
            ),
            "arbook-customer-pick",
        ),
    )


# -- checking what a control sends ---------------------------------------------------------------


def check_as_of(value, options: list[str]) -> str:
    """``value`` as ``YYYY-MM-DD`` if it is one of the month ends the data covers."""
    text = str(value).strip()
    with contextlib.suppress(TypeError, ValueError):  # not a date: refused just below
        text = pd.Timestamp(text).strftime("%Y-%m-%d") if text else text
    if text not in options and len(options) == 1:  # open items only: their one date
        raise ParameterError(
            f"as-of date {str(value)[:40]!r} is not {options[0]}, the one date this data is "
            "as of (it holds the items open then, not their history)"
        )
    if text not in options:
        span = f"{options[-1]} to {options[0]}" if options else "none"
        raise ParameterError(
            f"as-of date {str(value)[:40]!r} is not a month end of this data; pick one from {span}"
        )
    return text


def parse_edges(text) -> Edges:
    """Bucket edges from text like ``30,60,90,120`` (commas, semicolons or spaces), or
    ``months`` for calendar-month buckets."""
    if not isinstance(text, str) or len(text) > 200:
        raise ParameterError(
            "bucket edges must be a short list of days, e.g. 30,60,90,120, or months"
        )
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    if not parts:
        raise ParameterError("bucket edges are empty; write days such as 30,60,90,120, or months")
    return check_edges(parts)


def cost_percent(s: Settings) -> float:
    """The cost of capital of ``s`` as the box shows it: percent, e.g. 10.0 for 0.10."""
    return round(s.cost_of_capital * 100, 4)


def check_cost(percent) -> float:
    """A cost of capital in percent (0-100) as a fraction."""
    try:
        value = float(percent)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value):
        raise ParameterError(
            f"cost of capital {str(percent)[:40]!r} is not a number; write 10 for 10%"
        )
    if not 0 <= value <= 100:
        raise ParameterError(
            f"cost of capital {value:g}% must be between 0 and 100; write 10 for 10%"
        )
    return value / 100


def check_search(text) -> str:
    if not isinstance(text, str):
        raise ParameterError("the search must be text")
    if len(text) > MAX_SEARCH:
        raise ParameterError(f"the search is {len(text)} characters long; at most {MAX_SEARCH}")
    return text.strip()


def check_choice(value, allowed, what: str) -> str:
    if value not in allowed:
        raise ParameterError(f"{what} {str(value)[:60]!r} is not one of the choices")
    return value


# -- the per-customer table ----------------------------------------------------------------------


def sort_options(summary: pd.DataFrame) -> list[tuple[str, str]]:
    """(title, column) for every column of the customer table."""
    names = {"customer_id": "Customer id", "name": "Name"}
    return [(names.get(c) or column_title(c).capitalize(), c) for c in summary.columns]


def customer_table(
    summary: pd.DataFrame,
    *,
    search: str = "",
    bucket: str = ALL,
    sort: str = "total_cents",
    ascending: bool = False,
) -> pd.DataFrame:
    """The rows of :attr:`Review.summary` matching ``search`` (in id or name, any case) that
    hold money in ``bucket`` (``All``: every row), sorted by ``sort``."""
    frame = summary
    if search:
        needle = search.casefold()
        hit = frame["customer_id"].str.casefold().str.contains(needle, regex=False) | frame[
            "name"
        ].str.casefold().str.contains(needle, regex=False)
        frame = frame[hit]
    if bucket != ALL:
        frame = frame[frame[f"{bucket}_cents"] != 0]
    if sort in frame.columns:
        frame = frame.sort_values([sort, "customer_id"], ascending=[ascending, True], kind="stable")
    return frame.reset_index(drop=True)


def customer_options(review: Review) -> list[tuple[str, str]]:
    """("name (id)", id) for every customer, owing first by size, then the rest by id."""
    summary = review.summary
    known = review.ledger.customers[["customer_id", "name"]]
    rest = known[~known["customer_id"].isin(summary["customer_id"])].sort_values("customer_id")
    pairs = list(zip(summary["name"], summary["customer_id"]))
    pairs += [
        (n if isinstance(n, str) and n else i, i) for n, i in zip(rest["name"], rest["customer_id"])
    ]
    return [("Choose a customer…", "")] + [(f"{n} ({i})", i) for n, i in pairs]


# -- HTML ----------------------------------------------------------------------------------------


def header_html(review: Review) -> str:
    """Title (the data folder's name), the as-of date and what the ledger holds."""
    folder = folder_name(review.ledger.source)
    return (
        f'<div class="arbook"><div class="arbook-title">Receivables — {esc(folder)}</div>'
        f'<div class="arbook-subtitle">As of <b class="arbook-asof-shown">'
        f"{format_date(review.as_of)}</b> · {esc(review.ledger.describe())}</div></div>"
    )


def issues_html(issues: pd.DataFrame) -> str:
    if issues.empty:
        return '<p class="arbook arbook-note">No data issues: every row was read.</p>'
    frame = issues[ISSUE_COLUMNS].rename(columns={"source_file": "file", "source_line": "line"})
    return table_html(frame, max_rows=ISSUE_ROWS)


def as_of_options(ledger: Ledger) -> list[str]:
    """The as-of dates the dashboard offers (:func:`~arbook.workbook.review.review_dates`)."""
    return [d.strftime("%Y-%m-%d") for d in review_dates(ledger)]


def kpi_html(review: Review) -> str:
    """The KPI tiles, and below them why the trend and the comparisons are n/a when they are."""
    return kpi_tiles(review.kpis) + na_note(review.why_na(NO_TREND))


def carrying_html(review: Review) -> str:
    """You are their bank: what today's overdue balance costs a year at the cost of capital
    (the headline), what it has cost so far, and the largest share."""
    carrying = review.carrying
    yearly = int(carrying["yearly_cost_cents"].sum())
    accrued = int(carrying["carrying_cost_cents"].sum())
    rate = review.settings.cost_of_capital
    top = ""
    if len(carrying) and yearly > 0:
        first = carrying.iloc[0]
        top = (
            f" The largest share is {esc(first['name'])} ({esc(first['customer_id'])}): "
            f"{format_cents(int(first['yearly_cost_cents']))} a year."
        )
    return (
        f'<p class="arbook arbook-carrying">You are their bank: financing today\'s overdue '
        f"balance of {format_cents(int(carrying['overdue_cents'].sum()))} costs "
        f"<b>{format_cents(yearly)}</b> a year at a cost of capital of "
        f"{format_ratio(rate, percent=True)}; it has cost {format_cents(accrued)} so far.{top}</p>"
    )


def status_html(text: str, error: bool) -> str:
    if error:
        return f'<div class="arbook arbook-error" role="alert">{esc(text)}</div>'
    return f'<div class="arbook ok">{esc(text)}</div>'


def _fact(label: str, value: str) -> str:
    return f"<div>{esc(label)}<br><b>{esc(value)}</b></div>"


def drill_customer_html(review: Review, customer_id: str) -> str:
    """A customer's open items (with what of each is in dispute, :attr:`Review.disputed`),
    payment history, payment behaviour and credit: score, its trend, limit and use of it, hold
    with reasons, and late charges at the policy's rate."""
    detail = customer_detail(review, customer_id)
    name = review.ledger.names(pd.Series([customer_id]))[0]
    items, payments, behaviour = detail["items"], detail["payments"], detail["behaviour"]
    out = items["outstanding_cents"]
    facts = [_fact("Owes", format_cents(int(out[out > 0].sum())))]
    if (out < 0).any():
        facts.append(_fact("Credits and unapplied cash", format_cents(int(out[out < 0].sum()))))
    disputed = int(items["disputed_cents"].sum())  # the review's: the data's flags and the log's
    if disputed:
        facts.append(_fact("In dispute (not chased)", format_cents(disputed)))
    if len(behaviour):
        row = behaviour.iloc[0]
        facts += [
            _fact("Average days to pay", format_ratio(row["avg_days_to_pay"])),
            _fact("Days beyond terms", format_ratio(row["days_beyond_terms"])),
            _fact("Share paid late", format_ratio(row["share_paid_late"], percent=True)),
        ]
    else:
        why = na_text(review.ledger) or "n/a (no payment experience yet)"
        facts.append(_fact("Payment behaviour", why))
    credit_facts, charges = customer_credit_html(review, customer_id)
    facts += [_fact(label, value) for label, value in credit_facts]
    item_titles = titles(review.settings.basis)
    shown = items[ITEM_COLUMNS].astype({"bucket": str})
    return (
        f'<div class="arbook arbook-drill-customer" data-customer="{esc(customer_id)}">'
        f"<h3>{esc(name)} ({esc(customer_id)})</h3>"
        f'<div class="arbook-facts">{"".join(facts)}</div>'
        f'<div class="arbook-section">Open items ({len(items):,})</div>'
        f"{table_html(shown, total=True, titles=item_titles)}"
        f'<div class="arbook-section">Payments received ({len(payments):,}, newest first)'
        f"</div>{table_html(payments, max_rows=50, titles=item_titles)}{charges}</div>"
    )


def drill_bucket_html(review: Review, bucket: str) -> str:
    """The open items of one bucket, largest first, with what of each is in dispute."""
    items = bucket_items(review, bucket)
    items = items.assign(name=review.ledger.names(items["customer_id"]))
    cols = [
        "customer_id",
        "name",
        "document_id",
        "document_date",
        "due_date",
        "outstanding_cents",
        "days_overdue",
        "disputed_cents",
    ]
    basis = review.settings.basis
    current = "not yet due" if basis == "due" else "invoiced today"
    what = (
        "unapplied cash and credits"
        if bucket == UNAPPLIED
        else (current if bucket == "current" else f"{bucket} {days_title(basis)}")
    )
    return (
        f'<div class="arbook arbook-drill-bucket" data-bucket="{esc(bucket)}">'
        f"<h3>Open items {esc(what)}: {len(items):,} items, "
        f"{format_cents(int(items['outstanding_cents'].sum()))}</h3>"
        f"{table_html(items[cols], total=True, max_rows=200, titles=titles(basis))}</div>"
    )


DRILL_HINT = (
    '<div class="arbook arbook-note">Click a bar of the aging chart or a customer in '
    '"Who owes what" (or choose a customer there) to see the items behind it.</div>'
)


def picked(selections) -> dict:
    """The first point clicked, from a JupyterChart's ``_vl_selections`` (``{name: {"value":
    Vega signal, "store": [...]}}``); ``{}`` when nothing is picked or the shape is unknown."""
    signal = next(iter(selections.values()), {}) if isinstance(selections, dict) else {}
    signal = signal.get("value") if isinstance(signal, dict) else None
    points = signal.get("vlPoint", {}).get("or", []) if isinstance(signal, dict) else []
    first = points[0] if isinstance(points, list) and points else {}
    return first if isinstance(first, dict) else {}


# -- selection widgets that report a bad value instead of raising --------------------------------


class _Guarded(_Selection):
    """For ipywidgets selections: a value or index that is not one of the options (sent by a
    stale or tampered frontend, or set from code) is reported through ``on_invalid`` and the
    widget keeps its current value, instead of raising TraitError."""

    on_invalid = None
    _kept = None  # the last index that was valid (during set_state ``self.index`` is the raw one)

    def _refuse(self, what, value):
        if self.on_invalid is not None:
            self.on_invalid(
                f"{self.description or 'choice'}: {str(value)[:60]!r} is not one "
                f"of the choices; kept {self.label!r}"
            )
        return self._kept if what == "index" else getattr(self, what)

    @validate("index")
    def _validate_index(self, proposal):
        value = proposal.value
        if value is None or (isinstance(value, int) and 0 <= value < len(self._options_labels)):
            return value
        return self._refuse("index", value)

    @validate("value")
    def _validate_value(self, proposal):
        if proposal.value is None:
            return None
        try:
            return findvalue(self._options_values, proposal.value, self.equals)
        except (ValueError, TraitError):
            return self._refuse("value", proposal.value)

    @validate("label")
    def _validate_label(self, proposal):
        if proposal.value is None or proposal.value in self._options_labels:
            return proposal.value
        return self._refuse("label", proposal.value)

    @observe("index")
    def _propagate_index(self, change):
        # Under hold_trait_notifications (a frontend's set_state) the change still carries the
        # refused index, so propagate the index the widget actually holds.
        index = self._kept = self.index
        label = self._options_labels[index] if index is not None else None
        value = self._options_values[index] if index is not None else None
        if self.label is not label:
            self.label = label
        if self.value is not value:
            self.value = value


class GuardedDropdown(_Guarded, w.Dropdown):
    pass


class GuardedToggleButtons(_Guarded, w.ToggleButtons):
    pass


class LoadFailure:
    """What :meth:`Dashboard.from_environment` gives when no dashboard can be built: ``widget``
    explains the problem in a sentence (never a traceback); ``status`` holds the same text."""

    def __init__(self, message: str):
        self.status = message
        self.status_is_error = True
        self.widget = w.VBox(
            [
                html_box("arbook-css", CSS + DASHBOARD_CSS),
                html_box("arbook-status", error_box(message)),
            ]
        )
        self.widget.add_class("arbook-dashboard")
        self.widget.add_class("arbook-load-error")


class Quiet:
    """What a screen needs to change its own controls without firing their callbacks again
    (a value set from the data, not by the user): the dashboard's and "Load your data"'s."""

    _quiet = False

    @contextlib.contextmanager
    def _quietly(self):
        """Change controls without firing their callbacks again."""
        self._quiet, before = True, self._quiet
        try:
            yield
        finally:
            self._quiet = before

    def _set_quietly(self, control, value) -> None:
        with self._quietly():
            control.value = value

    def _on(self, widget, action) -> None:
        """Call ``action`` with a control's new value when the user changes it."""
        widget.observe(lambda change: self._quiet or action(change["new"]), "value")
