"""The monthly review's "Cash forecast" section (SPEC §9; arbook issue 15): when today's open
items are expected to be paid, the cash week by week with its interval, the largest items
expected in the next weeks, and how well the forecast did on the book's own history.

Built from the review's :attr:`~arbook.workbook.review.Review.forecast`,
:attr:`~arbook.workbook.review.Review.predictions` and
:attr:`~arbook.workbook.review.Review.forecast_backtest` with the display pieces the dashboard
and ``arbook forecast`` share (:mod:`arbook.views.cash_forecast`), in the parts the other sections
return (:mod:`arbook.views.review.sections`): a notebook cell is ``show(forecast(review))``.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from arbook.core.dates import date_text
from arbook.core.i18n import N_, _, pgettext
from arbook.views.cash_forecast import (
    PREDICTION_TITLES,
    WEEK_TITLES,
    backtest_sentence,
    backtest_table,
    forecast_chart,
    forecast_sentence,
    week_rows,
    why_not_backtested,
)
from arbook.views.html import esc
from arbook.views.review.sections import _heading, _note, _svg, _table
from arbook.workbook.review import Review

#: Open items listed as the largest expected soon.
ITEMS_SHOWN = 10
#: The weeks "soon" covers: the first weeks of the forecast.
SOON_WEEKS = 4
#: What the section shows, said under its heading.
INTRO = N_(
    "When today's open items are expected to be paid: the cash week by week with the range it "
    "should fall in, the largest items expected in the next weeks, and how close the forecast "
    "came on the book's own history."
)


def heading() -> str:
    """The section's heading in the language spoken."""
    return pgettext("review section", "Cash forecast")


def forecast(review: Review) -> list:
    """The cash forecast: heading and what it shows, the sentence, the chart and the table of
    the weeks (the row after the horizon last), the largest items expected in the first
    :data:`SOON_WEEKS` weeks, and the backtest (or why there is none)."""
    weeks = review.forecast
    currency = review.ledger.currency
    # no total row: the sum of the weeks' lows is no low of the sum (the sentence says it)
    table = _table(week_rows(weeks), _("No open item to forecast."), titles=WEEK_TITLES)
    return [
        HTML(f'<h2 class="arbook">{esc(heading())}</h2>{_note(_(INTRO)).data}'),
        _note(forecast_sentence(weeks, currency=currency)),
        _svg(forecast_chart(weeks, currency=currency)),
        table,
        *_soon(review),
        *_accuracy(review),
    ]


def soon_end(review: Review, weeks: int = SOON_WEEKS) -> pd.Timestamp | None:
    """The last day of the forecast's first ``weeks`` weeks (fewer when the horizon is
    shorter); None when it has no week."""
    inside = review.forecast[~review.forecast["beyond"]]
    if inside.empty:
        return None
    return inside["week_end"].iloc[min(weeks, len(inside)) - 1]


def expected_soon(review: Review, *, top: int = ITEMS_SHOWN) -> pd.DataFrame:
    """The ``top`` open items by outstanding whose predicted payment date falls in the first
    :data:`SOON_WEEKS` weeks, largest first (ties by customer and document): the columns of
    :func:`~arbook.measures.forecast.predict_payments`, the customer's name in ``customer_id``'s
    place (a page this wide has no room for both)."""
    items = review.predictions
    end = soon_end(review)
    if end is not None:
        start = review.forecast["week_start"].iloc[0]
        items = items[items["predicted_date"].between(start, end)]
    else:
        items = items.head(0)
    items = items.sort_values(
        ["outstanding_cents", "customer_id", "document_id"],
        ascending=[False, True, True],
        kind="stable",
    ).head(top)
    names = review.ledger.names(items["customer_id"])
    return (
        items.reset_index(drop=True)
        .assign(customer_id=names)
        .rename(columns={"customer_id": "name"})
    )


def _soon(review: Review) -> list:
    end = soon_end(review)
    if end is None:
        return []
    day = date_text(end)
    return [
        _heading(_("Largest items expected to be paid by {date}").format(date=day)),
        _table(
            expected_soon(review),
            _("No open item is expected to be paid by {date}.").format(date=day),
            titles={**PREDICTION_TITLES, "name": PREDICTION_TITLES["customer_id"]},
            total=True,
        ),
    ]


def _accuracy(review: Review) -> list:
    """How the forecast did at the month ends of the last year: the sentence and the table of
    the methods; when there is no backtest, why."""
    result = review.forecast_backtest
    head = _heading(_("How accurate was it on your history"))
    if result is None:
        return [head, _note(why_not_backtested(review.ledger, review.as_of))]
    return [head, _note(backtest_sentence(result)), _table(backtest_table(result), "")]


__all__ = [
    "INTRO",
    "ITEMS_SHOWN",
    "SOON_WEEKS",
    "expected_soon",
    "forecast",
    "heading",
    "soon_end",
]
