"""The dashboard's "Cash forecast" tab (SPEC §9, arbook issue 15): when today's open items are
expected to be paid, and how close the forecast came on the book's own history.

As of the dashboard's as-of date, drawn when the tab is shown: the forecast's sentence
(:func:`~arbook.views.cash_forecast.forecast_sentence`), the 13 weeks as bars with their interval
(:func:`~arbook.views.cash_forecast.forecast_chart`, through the dashboard's chart machinery);
clicking a bar lists the items behind that week (:func:`~arbook.measures.forecast.week_items`,
adding up to the bar), a page at a time, and a button lists those expected after the horizon.
Below, the backtest at the month ends of the year before (what
:attr:`Review.forecast_backtest <arbook.workbook.review.Review.forecast_backtest>` gives,
computed here with a progress bar, once per as-of date), or why there is none. For a ledger of
open items only, each item is expected on its due date, and the tab says why.

DOM contract (the browser tests rely on it): the tab is ``.arbook-forecast``; its sentence
``.arbook-forecast-sentence`` (the open-items reason beside it, ``p.arbook-na``); the chart
``.arbook-chart-forecast``; the button ``.arbook-forecast-later``; the items
``.arbook-forecast-items``: their title ``.arbook-forecast-items-title`` (``data-week``,
``data-expected-cents``, ``data-items``), a ``table.arbook-table`` and the pager
``.arbook-forecast-prev``, ``.arbook-forecast-next``, ``.arbook-forecast-where``; the backtest
``.arbook-forecast-backtest`` with its progress bar ``.arbook-forecast-progress`` and its
sentence and table in ``.arbook-forecast-accuracy``.
"""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from arbook.core.dates import date_text, format_count
from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _, ngettext
from arbook.measures.backtest import Backtest, year_backtest
from arbook.measures.forecast import week_items
from arbook.views.cash_forecast import (
    PREDICTION_TITLES,
    backtest_sentence,
    backtest_table,
    forecast_chart,
    forecast_sentence,
    why_not_backtested,
)
from arbook.views.dashboard.parts import html_box
from arbook.views.format import money_text
from arbook.views.html import esc, esc_text, na_note, table_html
from arbook.workbook.review import Review

#: Items on one page of a week's list.
PAGE_ROWS = 20
#: The backtest's heading.
ACCURACY = N_("How accurate was it on your history")  # as the monthly review says it
#: The backtest's numbers right-aligned (they come as text in the language spoken); an item's
#: cells on one line but for its reason.
FORECAST_CSS = """
<style>
.arbook-forecast-accuracy table.arbook-table td + td { text-align: right;
  font-variant-numeric: tabular-nums; }
.arbook-forecast-items-table td:not(:last-child) { white-space: nowrap; }
.arbook-forecast-items-title { margin-top: 6px; }
</style>
"""


# -- what the tab computes ---------------------------------------------------------------------


def check_week(value, weeks: int) -> int:
    """``value`` (a bar's ``week``, 1-based; ``weeks + 1``: after the horizon) as an int."""
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole or not 1 <= value <= weeks + 1:
        raise ParameterError(
            _("week {week} is not one of the forecast's weeks, 1 to {last}").format(
                week=repr(str(value)[:20]), last=weeks + 1
            )
        )
    return int(value)


# -- HTML --------------------------------------------------------------------------------------


def _section(title: str, cls: str = "") -> str:
    return f'<div class="arbook arbook-section {cls}">{esc_text(title)}</div>'


def sentence_html(review: Review) -> str:
    """The forecast's sentence; for open items only, below it why each is expected on its due
    date."""
    ledger = review.ledger
    said = forecast_sentence(review.forecast, currency=ledger.currency)
    html = f'<p class="arbook arbook-forecast-sentence">{esc_text(said)}</p>'
    if ledger.open_items_only:
        html += na_note(
            _(
                "Each open item is expected on its due date (an overdue one the next day), "
                "with no range around it: {why}."
            ).format(why=ledger.history_note)
        )
    return html


def items_title(weeks: pd.DataFrame, week: int, items: pd.DataFrame, currency) -> str:
    """The title of week ``week``'s items (``weeks``: a cash forecast frame): when, how much
    (the bar's amount) from how many items, carrying ``data-week``, ``data-expected-cents``
    and ``data-items``."""
    row = weeks.iloc[week - 1]
    cents, count = int(row["expected_cents"]), len(items)
    if row["beyond"]:
        said = ngettext(
            "Expected after {day}: {amount} from {count} item",
            "Expected after {day}: {amount} from {count} items",
            count,
        )
        day = date_text(row["week_start"] - pd.Timedelta(days=1))
    else:
        said = ngettext(
            "Expected in the week from {day}: {amount} from {count} item",
            "Expected in the week from {day}: {amount} from {count} items",
            count,
        )
        day = date_text(row["week_start"])
    text = said.format(day=day, amount=money_text(cents, currency), count=format_count(count))
    return (
        f'<div class="arbook arbook-section arbook-forecast-items-title" data-week="{week}" '
        f'data-expected-cents="{cents}" data-items="{count}">{esc_text(text)}</div>'
    )


def items_table(items: pd.DataFrame, *, beyond: bool = False) -> str:
    """A page of a week's items: :data:`PREDICTION_TITLES`' columns, the customer's name after
    its id; the week's share titled "expected later" after the horizon."""
    titles = {key: _(title) for key, title in PREDICTION_TITLES.items()}
    titles["name"] = _("name")
    if beyond:
        titles["expected_cents"] = _("expected later")
    columns = ["customer_id", "name", *(c for c in PREDICTION_TITLES if c != "customer_id")]
    return table_html(items[[c for c in columns if c in items.columns]], titles=titles)


def accuracy_html(result: Backtest | None, reason: str) -> str:
    """The backtest's sentence and table, or ``reason`` when there is none."""
    if result is None:
        return f'<p class="arbook arbook-note arbook-forecast-why">{esc_text(reason)}</p>'
    sentence = f'<p class="arbook arbook-note">{esc_text(backtest_sentence(result))}</p>'
    return sentence + table_html(backtest_table(result))


# -- the tab -----------------------------------------------------------------------------------


class ForecastTab:
    """The widgets of the Cash forecast tab; :meth:`render` fills them from a review (``chart``:
    the dashboard's way of showing a chart, made once and updated in place, clicks observed;
    a click on a bar reaches :meth:`select_week`). ``guard()`` wraps every action (the
    dashboard's: a failure becomes its status line); ``ok()`` is called after one succeeds."""

    def __init__(self, *, guard, ok=lambda: None):
        self._guard, self._ok = guard, ok
        self.review: Review | None = None
        self.week = 0  # the week listed (1-based); 0: none
        self.items = pd.DataFrame()
        self.page = 0
        self._backtests: dict[pd.Timestamp, Backtest | None] = {}
        self.sentence = html_box("arbook-forecast-head")
        self.chart_box = w.VBox()
        self.later = w.Button(
            description=_("Show what is expected later"),
            icon="forward",
            tooltip=_("List the items expected after the forecast's last week"),
            layout={"width": "auto"},
        )
        self.later.add_class("arbook-forecast-later")
        self.later.on_click(lambda _button: self.show_later())
        self.items_head = html_box("arbook-forecast-items-head")
        self.items_body = html_box("arbook-forecast-items-table")
        self._prev = w.Button(description=_("Previous"), icon="chevron-left")
        self._next = w.Button(description=_("Next"), icon="chevron-right")
        self._prev.add_class("arbook-forecast-prev")
        self._next.add_class("arbook-forecast-next")
        self._where = html_box("arbook-forecast-where")
        self._prev.on_click(lambda _button: self.go(self.page - 1))
        self._next.on_click(lambda _button: self.go(self.page + 1))
        self.pager = w.HBox([self._prev, self._where, self._next], layout={"align_items": "center"})
        items = w.VBox([self.items_head, self.items_body, self.pager])
        items.add_class("arbook-forecast-items")
        self.progress = w.IntProgress(value=0, min=0, max=1, description=_("Backtesting"))
        self.progress.style.description_width = "initial"
        self._progress_note = w.HTML()
        self.progress_box = w.HBox([self.progress, self._progress_note])
        self.progress_box.add_class("arbook-forecast-progress")
        self.progress_box.layout.display = "none"
        self.accuracy = html_box("arbook-forecast-accuracy")
        heading = html_box("arbook-forecast-heading", FORECAST_CSS + _section(_(ACCURACY)))
        accuracy = w.VBox([heading, self.progress_box, self.accuracy])
        accuracy.add_class("arbook-forecast-backtest")
        self.widget = w.VBox([self.sentence, self.chart_box, w.HBox([self.later]), items, accuracy])
        self.widget.add_class("arbook-forecast")
        self._show_items()

    @property
    def weeks(self) -> int:
        """The forecast's weeks (the row after the horizon not counted)."""
        return 0 if self.review is None else len(self.review.forecast) - 1

    def render(self, review: Review, chart) -> None:
        """Draw ``review``'s forecast; a new as-of date drops the week listed. The backtest is
        computed on the first render at each as-of date (the progress bar shows how far)."""
        moved = self.review is None or review.as_of != self.review.as_of
        self.review = review
        currency = review.ledger.currency
        self.sentence.value = sentence_html(review)
        chart(
            "forecast",
            lambda: forecast_chart(review.forecast, currency=currency),
            self.chart_box,
            as_of_only=True,
        )
        self.later.tooltip = _("List the items expected after {day}").format(
            day=date_text(review.forecast["week_start"].iloc[-1] - pd.Timedelta(days=1))
        )
        if moved:
            self.week, self.items, self.page = 0, pd.DataFrame(), 0
        self._show_items()
        self._render_backtest(review)

    # -- the items of a week ---------------------------------------------------------------------

    def select_week(self, week) -> None:
        """List the items behind week ``week`` (1 = the first; the weeks + 1: after them)."""
        with self._guard():
            if self.review is None:
                raise ParameterError(_("the cash forecast is not drawn yet"))
            week = check_week(week, self.weeks)
            review = self.review
            self.items = week_items(review.ledger, review.as_of, week, weeks=self.weeks)
            self.items = self.items.assign(name=review.ledger.names(self.items["customer_id"]))
            self.week, self.page = week, 0
            self._show_items()
            self._ok()

    def show_later(self) -> None:
        """List the items expected after the forecast's last week."""
        self.select_week(self.weeks + 1)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.items) // PAGE_ROWS))

    def go(self, page) -> None:
        """Show page ``page`` of the week's items (0 is the first)."""
        with self._guard():
            if isinstance(page, bool) or not isinstance(page, int) or not 0 <= page < self.pages:
                raise ParameterError(
                    _("page {page}: there are pages 1 to {pages}").format(
                        page=repr(page), pages=self.pages
                    )
                )
            self.page = page
            self._show_items()
            self._ok()

    def _show_items(self) -> None:
        if not self.week or self.review is None:
            hint = _("Click a week's bar to list the items expected in it.")
            self.items_head.value = f'<p class="arbook arbook-note">{esc_text(hint)}</p>'
            self.items_body.value = ""
            self.pager.layout.display = "none"
            return
        weeks = self.review.forecast
        currency = self.review.ledger.currency
        self.items_head.value = items_title(weeks, self.week, self.items, currency)
        start = self.page * PAGE_ROWS
        shown = self.items.iloc[start : start + PAGE_ROWS]
        self.items_body.value = items_table(shown, beyond=bool(weeks["beyond"].iloc[self.week - 1]))
        self.pager.layout.display = None if self.pages > 1 else "none"
        where = _("items {first}–{last} of {total} (page {page} of {pages})").format(
            first=format_count(start + 1),
            last=format_count(start + len(shown)),
            total=format_count(len(self.items)),
            page=format_count(self.page + 1),
            pages=format_count(self.pages),
        )
        self._where.value = f'<span class="arbook-note">{esc(where)}</span>'
        self._prev.disabled = self.page == 0
        self._next.disabled = self.page >= self.pages - 1

    # -- the backtest ----------------------------------------------------------------------------

    def _render_backtest(self, review: Review) -> None:
        day = review.as_of
        if day not in self._backtests:
            self.accuracy.value = ""
            self.progress.value, self.progress.max = 0, 1
            self._progress_note.value = ""
            self.progress_box.layout.display = None
            try:
                self._backtests[day] = year_backtest(review.ledger, day, progress=self._step)
            finally:
                self.progress_box.layout.display = "none"
        result = self._backtests[day]
        reason = "" if result is not None else why_not_backtested(review.ledger, day)
        self.accuracy.value = accuracy_html(result, reason)

    def _step(self, done: int, total: int) -> None:
        """The backtest's progress: ``done`` month ends of ``total`` scored."""
        self.progress.max, self.progress.value = max(total, 1), done
        said = _("month end {done} of {total}").format(
            done=format_count(done), total=format_count(total)
        )
        self._progress_note.value = f'<span class="arbook-note">{esc(said)}</span>'


__all__ = [
    "PAGE_ROWS",
    "ForecastTab",
    "check_week",
    "items_table",
    "items_title",
]
