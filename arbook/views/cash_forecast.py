"""The cash forecast for people: the one chart, sentence and tables the dashboard's "Cash
forecast" tab, the monthly review's section and ``arbook forecast`` show (SPEC §9;
:mod:`arbook.measures.forecast`, :mod:`arbook.measures.backtest`)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from arbook.core.dates import date_text, format_count
from arbook.core.i18n import N_, _, ngettext
from arbook.core.ledger import Ledger
from arbook.core.money import NA
from arbook.core.numbers import percent_text, ratio_text
from arbook.measures.backtest import BASELINES, MODEL, MODEL_LABEL, Backtest
from arbook.views.charts import WIDTH, _money, spoken
from arbook.views.format import format_ratio, money_text

#: Name of the click selection on the forecast's weeks (read by the dashboard): ``week``.
WEEK_PICK = "week"
#: The columns of :func:`backtest_table`, in order, with their titles.
BACKTEST_TITLES = {
    "label": N_("method"),
    "mae_days": N_("error per invoice (days)"),
    "mae_ratio": N_("to the best baseline's"),
    "wape": N_("weekly cash error"),
    "wape_ratio": N_("to the best baseline's cash error"),
    "coverage": N_("interval holds"),
}
#: The columns of a prediction table for people, with their titles.
PREDICTION_TITLES = {
    "customer_id": N_("customer"),
    "document_id": N_("document"),
    "outstanding_cents": N_("outstanding"),
    "due_date": N_("due"),
    "predicted_date": N_("expected payment"),
    "low_date": N_("earliest"),
    "high_date": N_("latest"),
    "expected_cents": N_("expected this week"),
    "basis": N_("why"),
}
#: The columns of a weekly forecast table for people, with their titles.
WEEK_TITLES = {
    "week_start": N_("week from"),
    "week_end": N_("until"),
    "expected_cents": N_("expected"),
    "low_cents": N_("low"),
    "high_cents": N_("high"),
}


def week_frame(weeks: pd.DataFrame) -> pd.DataFrame:
    """The weeks of a :func:`~arbook.measures.forecast.cash_forecast` frame as the chart draws
    them (the row beyond the horizon left out), in currency units, with a label per week."""
    inside = weeks[~weeks["beyond"]].reset_index(drop=True)
    return inside.assign(
        week=range(1, len(inside) + 1),
        label=[date_text(day) for day in inside["week_start"]],
        expected=inside["expected_cents"] / 100,
        low=inside["low_cents"] / 100,
        high=inside["high_cents"] / 100,
    )


def forecast_chart(weeks: pd.DataFrame, *, currency: str | None = None) -> alt.Chart:
    """The cash expected week by week as bars, each with its interval as a rule; clicking a
    bar selects its ``week`` (selection :data:`WEEK_PICK`, 1 = the first week)."""
    frame = week_frame(weeks)[["week", "label", "expected", "low", "high"]]
    pick = alt.selection_point(name=WEEK_PICK, fields=["week"], on="click")
    base = alt.Chart(frame, title=_("Cash expected from today's open items, week by week"))
    x = alt.X("label:O", sort=list(frame["label"]), title=_("Week from"))
    tips = [
        alt.Tooltip("label:O", title=_("Week from")),
        alt.Tooltip("expected:Q", title=_("Expected"), format=_money(currency)),
        alt.Tooltip("low:Q", title=_("Low"), format=_money(currency)),
        alt.Tooltip("high:Q", title=_("High"), format=_money(currency)),
    ]
    bars = (
        base.mark_bar(color="#4c78a8", cursor="pointer")
        .encode(
            x=x,
            y=alt.Y("expected:Q", title=_("Expected"), axis=alt.Axis(format=",.0f")),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)),
            tooltip=tips,
        )
        .add_params(pick)
    )
    rules = base.mark_rule(color="#333333").encode(x=x, y="low:Q", y2="high:Q", tooltip=tips)
    chart = alt.layer(bars, rules).properties(width=WIDTH, height=240)
    return spoken(chart, currency)


def forecast_sentence(weeks: pd.DataFrame, *, currency: str | None = None) -> str:
    """One sentence: of what is open, how much is expected within the horizon, and how much
    after it."""
    inside = weeks[~weeks["beyond"]]
    later = int(weeks.loc[weeks["beyond"], "expected_cents"].sum())
    total = int(weeks["expected_cents"].sum())
    soon = int(inside["expected_cents"].sum())
    said = ngettext(
        "Of {total} open, {soon} is expected in the next {weeks} week (to {end}) and {later} "
        "later.",
        "Of {total} open, {soon} is expected in the next {weeks} weeks (to {end}) and {later} "
        "later.",
        len(inside),
    )
    return said.format(
        total=money_text(total, currency),
        soon=money_text(soon, currency),
        weeks=len(inside),
        end=date_text(inside["week_end"].iloc[-1]) if len(inside) else "",
        later=money_text(later, currency),
    )


def backtest_table(result: Backtest) -> pd.DataFrame:
    """The backtest's summary for people: one row per method, the model first, its columns
    titled by :data:`BACKTEST_TITLES`, numbers as text in the language spoken."""
    summary = result.summary
    shown = pd.DataFrame(
        {
            _(BACKTEST_TITLES["label"]): [method_label(m) for m in summary["method"]],
            _(BACKTEST_TITLES["mae_days"]): [ratio_text(v, 1) for v in summary["mae_days"]],
            _(BACKTEST_TITLES["mae_ratio"]): [_times(v) for v in summary["mae_ratio"]],
            _(BACKTEST_TITLES["wape"]): [format_ratio(v, percent=True) for v in summary["wape"]],
            _(BACKTEST_TITLES["wape_ratio"]): [_times(v) for v in summary["wape_ratio"]],
            _(BACKTEST_TITLES["coverage"]): [
                percent_text(v, 0) if pd.notna(v) else "" for v in summary["coverage"]
            ],
        }
    )
    return shown


def method_label(method: str) -> str:
    """A backtest method in words, in the language spoken now (the summary's ``label`` is in
    the language spoken when it was made)."""
    return _(MODEL_LABEL) if method == MODEL else _(BASELINES[method])


def _times(value: float) -> str:
    """``0.76×``: a ratio to the best baseline."""
    return _("{ratio}×").format(ratio=ratio_text(value, 2)) if pd.notna(value) else ""


def backtest_sentence(result: Backtest) -> str:
    """What the backtest says, in one sentence."""
    summary = result.summary.set_index("method")
    model = summary.loc[MODEL]
    said = _(
        "Backtested at {origins} month ends from {start} to {end}: each predicted payment "
        "date was {mae} days off on average ({ratio} the best baseline's error), and the "
        "interval held {coverage} of the payments."
    )
    return said.format(
        origins=int(model["origins"]),
        start=date_text(result.start),
        end=date_text(result.end),
        mae=ratio_text(model["mae_days"], 1),
        ratio=_times(model["mae_ratio"]),
        coverage=percent_text(model["coverage"], 0) if pd.notna(model["coverage"]) else _(NA),
    )


def week_rows(weeks: pd.DataFrame) -> pd.DataFrame:
    """The weeks of a :func:`~arbook.measures.forecast.cash_forecast` frame for a table (titles
    :data:`WEEK_TITLES`): each week's first and last day as text, the row beyond the horizon
    as "after <the horizon's last day>" with no last day; the amounts as they are (cents)."""
    beyond = weeks["beyond"].to_numpy()
    if not len(weeks):
        return weeks.drop(columns="beyond")
    last = weeks["week_start"].iloc[-1] - pd.Timedelta(days=1)
    starts = [
        _("after {date}").format(date=date_text(last)) if out else date_text(day)
        for day, out in zip(weeks["week_start"], beyond, strict=True)
    ]
    ends = [
        "" if out else date_text(day) for day, out in zip(weeks["week_end"], beyond, strict=True)
    ]
    return weeks.drop(columns="beyond").assign(week_start=starts, week_end=ends)


def why_not_backtested(ledger: Ledger, as_of: object) -> str:
    """Why there is no backtest of ``ledger`` as of ``as_of`` (a review's, the dashboard's),
    one sentence: it holds open items only (its :attr:`~arbook.core.ledger.Ledger.history_note`;
    each item is then expected when it falls due), it has no invoice, or its history up to
    ``as_of`` is shorter than a year to learn from and the policy's weeks to score."""
    if ledger.open_items_only:
        said = _(
            "It cannot be checked on this data, and each item is expected when it falls due (at "
            "once if overdue): {why}."
        )
        return said.format(why=ledger.history_note)
    first, last = ledger.first_day, ledger.last_day
    if first is None or last is None:
        return _("It cannot be checked: the data has no invoices.")
    weeks = ledger.policy.forecast.weeks
    said = ngettext(
        "It cannot be checked yet: the history runs from {first} to {last}, and a check needs "
        "a year of it to learn from and {weeks} week after that to score.",
        "It cannot be checked yet: the history runs from {first} to {last}, and a check needs "
        "a year of it to learn from and {weeks} weeks after that to score.",
        weeks,
    )
    end = min(last, pd.Timestamp(as_of))
    return said.format(first=date_text(first), last=date_text(end), weeks=format_count(weeks))
