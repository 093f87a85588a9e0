"""Pieces of the dashboard that need no widget state: checking what a control sends, the cache of
reviews, the per-customer table (search, bucket filter, sort), the header HTML and the guarded
selection widgets (the drill-down is :mod:`~arbook.views.dashboard.drill`, the language picker
:mod:`~arbook.views.dashboard.language`). :mod:`arbook.views.dashboard.app` wires them together.

Every checker raises :class:`ParameterError` with a sentence meant for the status line. Every
text is in the language spoken when it is made (the dashboard is built again when the picker
changes it); amounts name the ledger's currency.
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
from arbook.core.dates import format_count
from arbook.core.errors import ISSUE_COLUMNS, ParameterError
from arbook.core.i18n import N_, _
from arbook.core.ledger import Ledger
from arbook.core.numbers import percent_text, short_number
from arbook.measures.aging import UNAPPLIED
from arbook.views.format import (
    bucket_text,
    column_title,
    days_title,
    format_date,
    format_ratio,
    money_text,
)
from arbook.views.html import CSS, error_box, esc, esc_text, kpi_tiles, na_note, table_html
from arbook.workbook.review import (
    NO_TREND,
    Review,
    Settings,
    review_dates,
)

log = logging.getLogger(__name__)

#: Longest search text accepted (characters).
MAX_SEARCH = 100
#: The bucket filter's choice of every customer (its value; shown in words by :func:`choices`).
ALL = N_("All")
ISSUE_ROWS = 200
#: Column titles for people in the drill-down and customer tables (on top of
#: :data:`arbook.views.format.COLUMN_TITLES`); ``days_overdue`` is titled by the basis.
TITLES = {
    "document_id": N_("document"),
    "document_date": N_("date"),
    "due_date": N_("due"),
    "days_overdue": N_("days overdue"),
    "payment_id": N_("payment"),
    "payment_date": N_("date"),
    "invoice_id": N_("invoice"),
}
#: The issues table's columns, as :data:`~arbook.core.errors.ISSUE_COLUMNS` names them, in words.
ISSUE_TITLES = {
    "severity": N_("severity"),
    "code": N_("code"),
    "source_file": N_("file"),
    "source_line": N_("line"),
    "message": N_("message"),
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
    """:data:`TITLES` in the language spoken, the days column titled for ``basis`` (overdue /
    since invoice)."""
    return {**{k: _(v) for k, v in TITLES.items()}, "days_overdue": days_title(basis)}


def choices(pairs) -> list:
    """A dropdown's ``(label, value)`` choices, or their values alone when every label is its
    value (in English the buckets and dates read as their codes). ipywidgets takes either
    form, not a mixture."""
    pairs = list(pairs)
    return [value for _label, value in pairs] if all(a == b for a, b in pairs) else pairs


def values_of(options) -> list:
    """The values of a selection's options (``(label, value)`` pairs or values alone)."""
    return [o[1] if isinstance(o, tuple) else o for o in options]


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
/* a tab's title and a toggle's label as long as the language says them ("Кто сколько должен") */
.arbook-dashboard .lm-TabBar-tab { flex: 0 0 auto !important; max-width: none !important; }
.arbook-dashboard .lm-TabBar-tabLabel { overflow: visible; text-overflow: clip; }
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
    return Path(source).name or source or _("ledger")


# -- the controls ------------------------------------------------------------------------------

_WIDE = {"description_width": "initial"}


def _fits(label: str, field_px: int) -> dict[str, str]:
    """A control's layout wide enough for its ``label`` as the language says it and a field of
    ``field_px`` (a fixed width would squeeze the field under a longer Russian label)."""
    return {"width": f"{round(len(label) * 7.5) + 12 + field_px}px"}


def _classed(widget, cls: str):
    widget.add_class(cls)
    return widget


def setting_controls(s: Settings, month_ends: list[str]) -> tuple:
    """The as-of dropdown, basis toggle, bucket-edges text and cost-of-capital box for the
    settings ``s``; month ends newest first (ISO values, shown as the language writes a day)."""
    return (
        _classed(
            GuardedDropdown(
                options=choices((format_date(pd.Timestamp(day)), day) for day in month_ends),
                value=s.as_of.strftime("%Y-%m-%d"),
                description=_("As of"),
                style=_WIDE,
            ),
            "arbook-asof",
        ),
        _classed(
            GuardedToggleButtons(
                options=[(_("Due date"), "due"), (_("Invoice date"), "invoice")],
                value=s.basis,
                description=_("Basis"),
                style={"button_width": "auto", **_WIDE},
            ),
            "arbook-basis",
        ),
        _classed(
            w.Text(
                value=edges_text(s.edges),
                description=_("Buckets"),
                continuous_update=False,
                # "months" is the word the box reads, in every language
                placeholder=_("30,60,90,120 or months"),
                style=_WIDE,
                layout=_fits(_("Buckets"), 130),
            ),
            "arbook-edges",
        ),
        _classed(
            # not BoundedFloatText: it clamps 500 to 100 in the browser and in Python, silently;
            # the dashboard checks the value (check_cost) and says why it refuses one
            w.FloatText(
                value=cost_percent(s),
                step=0.5,
                description=_("Cost of capital %"),
                style=_WIDE,
                layout=_fits(_("Cost of capital %"), 60),
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
                description=_("Search"),
                placeholder=_("customer id or name"),
                continuous_update=True,
                style=_WIDE,
                layout=_fits(_("Search"), 200),
            ),
            "arbook-search",
        ),
        _classed(
            GuardedDropdown(
                options=choices([(_(ALL), ALL)]),
                description=_("Owing in"),
                style=_WIDE,
                layout=_fits(_("Owing in"), 110),
            ),
            "arbook-bucket-filter",
        ),
        _classed(
            GuardedDropdown(
                options=[(_("Total"), "total_cents")],
                description=_("Sort by"),
                style=_WIDE,
                layout=_fits(_("Sort by"), 140),
            ),
            "arbook-sort",
        ),
        _classed(
            w.Checkbox(description=_("ascending"), indent=False, layout={"width": "110px"}),
            "arbook-ascending",
        ),
        _classed(
            GuardedDropdown(
                options=[(_("Choose a customer…"), "")],
                description=_("Show customer"),
                style=_WIDE,
                layout=_fits(_("Show customer"), 240),
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
    shown = repr(str(value)[:40])
    if text not in options and len(options) == 1:  # open items only: their one date
        raise ParameterError(
            _(
                "as-of date {value} is not {day}, the one date this data is as of (it holds "
                "the items open then, not their history)"
            ).format(value=shown, day=_day(options[0]))
        )
    if text not in options:
        span = (
            _("{first} to {last}").format(first=_day(options[-1]), last=_day(options[0]))
            if options
            else _("none")
        )
        raise ParameterError(
            _("as-of date {value} is not a month end of this data; pick one from {span}").format(
                value=shown, span=span
            )
        )
    return text


def _day(iso: str) -> str:
    return format_date(pd.Timestamp(iso))


def parse_edges(text) -> Edges:
    """Bucket edges from text like ``30,60,90,120`` (commas, semicolons or spaces), or
    ``months`` for calendar-month buckets."""
    if not isinstance(text, str) or len(text) > 200:
        raise ParameterError(
            _("bucket edges must be a short list of days, e.g. 30,60,90,120, or months")
        )
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    if not parts:
        raise ParameterError(
            _("bucket edges are empty; write days such as 30,60,90,120, or months")
        )
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
            _("cost of capital {value} is not a number; write 10 for 10%").format(
                value=repr(str(percent)[:40])
            )
        )
    if not 0 <= value <= 100:
        raise ParameterError(
            _("cost of capital {value}% must be between 0 and 100; write 10 for 10%").format(
                value=short_number(value)
            )
        )
    return value / 100


def check_search(text) -> str:
    if not isinstance(text, str):
        raise ParameterError(_("the search must be text"))
    if len(text) > MAX_SEARCH:
        raise ParameterError(
            _("the search is {length} characters long; at most {most}").format(
                length=format_count(len(text)), most=format_count(MAX_SEARCH)
            )
        )
    return text.strip()


def check_choice(value, allowed, what: str) -> str:
    """``value`` when it is one of ``allowed``; else a sentence naming ``what`` it was (in the
    language spoken: the caller translates it)."""
    if value not in allowed:
        raise ParameterError(
            _("{what} {value} is not one of the choices").format(
                what=what, value=repr(str(value)[:60])
            )
        )
    return value


# -- the per-customer table ----------------------------------------------------------------------


def sort_options(summary: pd.DataFrame) -> list[tuple[str, str]]:
    """(title, column) for every column of the customer table."""
    names = {"customer_id": _("Customer id"), "name": _("Name")}
    return [(names.get(c) or _capital(column_title(c)), c) for c in summary.columns]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def bucket_filter_options(labels: list[str]) -> list:
    """The bucket filter's choices: every customer, each bucket of ``labels``, the unapplied."""
    return choices([(_(ALL), ALL)] + [(bucket_text(b), b) for b in [*labels, UNAPPLIED]])


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
    return [(_("Choose a customer…"), "")] + [(f"{n} ({i})", i) for n, i in pairs]


# -- HTML ----------------------------------------------------------------------------------------


def header_html(review: Review) -> str:
    """Title (the data folder's name), the as-of date and what the ledger holds."""
    folder = folder_name(review.ledger.source)
    title = esc_text(_("Receivables — {folder}")).format(folder=esc(folder))
    day = f'<b class="arbook-asof-shown">{esc(format_date(review.as_of))}</b>'
    line = esc_text(_("As of {day} · {ledger}")).format(
        day=day, ledger=esc(review.ledger.describe())
    )
    money = currency_text(review)
    money_line = f'<div class="arbook-subtitle arbook-currency">{esc(money)}</div>' if money else ""
    return (
        f'<div class="arbook"><div class="arbook-title">{title}</div>'
        f'<div class="arbook-subtitle">{line}</div>{money_line}</div>'
    )


def currency_text(review: Review) -> str:
    """The book's currency, and for a book in several the mix of what is open (in book
    currency, at the documents' rates: :attr:`Review.exchange`); "" when no currency is named."""
    book = review.ledger.currency
    if not book:
        return ""
    fx = review.exchange
    other = fx[fx["currency"] != book]
    if other.empty:
        return _("Amounts in {book}, the book's currency.").format(book=book)
    total = int(fx["open_cents"].sum())
    if total <= 0:
        return _("Amounts in {book}, the book's currency; documents also in {codes}.").format(
            book=book, codes=", ".join(other["currency"])
        )
    shares = ", ".join(
        _("{share} in {currency}").format(share=percent_text(cents / total, 0), currency=code)
        for code, cents in zip(fx["currency"], fx["open_cents"], strict=True)
    )
    said = _(
        "Amounts in {book}, the book's currency, each document at its own date's rate; what is "
        "open is {shares}."
    )
    return said.format(book=book, shares=shares)


def issues_html(issues: pd.DataFrame) -> str:
    if issues.empty:
        text = esc_text(_("No data issues: every row was read."))
        return f'<p class="arbook arbook-note">{text}</p>'
    shown = {c: _(t) for c, t in ISSUE_TITLES.items()}
    return table_html(issues[ISSUE_COLUMNS], max_rows=ISSUE_ROWS, titles=shown)


def as_of_options(ledger: Ledger) -> list[str]:
    """The as-of dates the dashboard offers (:func:`~arbook.workbook.review.review_dates`)."""
    return [d.strftime("%Y-%m-%d") for d in review_dates(ledger)]


def kpi_html(review: Review) -> str:
    """The KPI tiles, and below them why the trend and the comparisons are n/a when they are."""
    return kpi_tiles(review.kpis, currency=review.ledger.currency) + na_note(
        review.why_na(NO_TREND)
    )


def carrying_html(review: Review) -> str:
    """You are their bank: what today's overdue balance costs a year at the cost of capital
    (the headline), what it has cost so far, and the largest share."""
    carrying, currency = review.carrying, review.ledger.currency
    yearly = int(carrying["yearly_cost_cents"].sum())
    accrued = int(carrying["carrying_cost_cents"].sum())
    rate = review.settings.cost_of_capital
    top = ""
    if len(carrying) and yearly > 0:
        first = carrying.iloc[0]
        top = " " + esc_text(
            _("The largest share is {name} ({customer}): {amount} a year.")
        ).format(
            name=esc(first["name"]),
            customer=esc(first["customer_id"]),
            amount=esc(money_text(int(first["yearly_cost_cents"]), currency)),
        )
    sentence = esc_text(
        _(
            "You are their bank: financing today's overdue balance of {overdue} costs "
            "{yearly} a year at a cost of capital of {rate}; it has cost {accrued} so far."
        )
    ).format(
        overdue=esc(money_text(int(carrying["overdue_cents"].sum()), currency)),
        yearly=f"<b>{esc(money_text(yearly, currency))}</b>",
        rate=esc(format_ratio(rate, percent=True)),
        accrued=esc(money_text(accrued, currency)),
    )
    return f'<p class="arbook arbook-carrying">{sentence}{top}</p>'


def status_html(text: str, error: bool) -> str:
    if error:
        return f'<div class="arbook arbook-error" role="alert">{esc(text)}</div>'
    return f'<div class="arbook ok">{esc(text)}</div>'


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
                _("{control}: {value} is not one of the choices; kept {kept}").format(
                    control=self.description or _("choice"),
                    value=repr(str(value)[:60]),
                    kept=repr(self.label),
                )
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
