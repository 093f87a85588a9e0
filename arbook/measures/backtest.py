"""How good the payment-date forecast was on the client's own history (SPEC §9).

At each month end D from ``start`` to ``end`` (a rolling origin), the items open at D are
predicted from what was known at D, then scored against what happened after: the per-invoice
mean absolute error in days (items later paid, on the day a payment cleared them), the weekly
cash WAPE over the next ``weeks`` weeks (payments applied to those items, week by week), and the
interval's coverage. Every baseline a credit controller would use is scored the same way, beside
it (:data:`BASELINES`); the ratios are to the best of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from arbook.core.config import PolicyLike, resolve_policy
from arbook.core.dates import day_number, day_stamp, months_before, parse_month, previous_month_end
from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _
from arbook.core.ledger import Ledger
from arbook.measures.behaviour import cleared_days, experiences
from arbook.measures.forecast import Days, Fit, _items, fit, recency, week_shares

#: The model's name in the backtest, and what it is, in words.
MODEL = "arbook"
MODEL_LABEL = N_("arbook: the customer's days late, given the item is still open")
#: The baselines (SPEC §9 and the issue's recency-weighted one), by name, in words.
BASELINES = {
    "due_date": N_("the due date"),
    "days_to_pay": N_("invoice date + the customer's average days to pay"),
    "days_late": N_("due date + the customer's average days late"),
    "recent_days_to_pay": N_("invoice date + the customer's recent average days to pay"),
}
SUMMARY_COLUMNS = [
    "method",
    "label",
    "origins",
    "items",
    "mae_days",
    "mae_ratio",
    "wape",
    "wape_ratio",
    "coverage",
]
ORIGIN_COLUMNS = ["as_of", "method", "open_items", "scored", "mae_days", "wape", "coverage"]


@dataclass(frozen=True)
class Backtest:
    """``summary``: one row per method (the model first, then each baseline): ``method,
    label, origins, items`` (scored), ``mae_days, mae_ratio`` (to the best baseline's),
    ``wape, wape_ratio, coverage`` (the model's interval; NaN for a baseline, which has none).
    ``origins``: the same per month end. ``weeks``: the model's and the actual cash per origin
    and week (``as_of, week, expected_cents, actual_cents``)."""

    start: pd.Timestamp
    end: pd.Timestamp
    weeks_ahead: int
    summary: pd.DataFrame
    origins: pd.DataFrame
    weeks: pd.DataFrame

    def ratio(self, column: str = "mae_ratio") -> float:
        """The model's ratio to the best baseline (``mae_ratio`` or ``wape_ratio``)."""
        return float(self.summary.set_index("method").at[MODEL, column])


def default_range(
    ledger: Ledger, weeks: int = 13, *, until: object = None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The month ends a backtest uses when none are given: from twelve months after the first
    invoice (a year to learn from) to the last month end whose ``weeks`` weeks the data covers
    up to ``until`` (None: the data's last day; or the last month end in the data, when nothing
    is left open at its end)."""
    first, last = ledger.first_day, ledger.last_day
    if until is not None and last is not None:
        last = min(last, day_stamp(until))
    if first is None or last is None:
        raise ParameterError(_("the data has no invoices to backtest on"))
    start = _month_of(months_before(first, -12))
    open_at_end = (ledger.balances(day_number(last)).outstanding > 0).any()
    edge = last - pd.Timedelta(days=7 * weeks) if open_at_end else last
    end = _month_of(edge)
    if end > edge:
        end = previous_month_end(edge)
    if end < start:
        said = _(
            "the data runs from {first} to {last}: too short to backtest (it needs a year to "
            "learn from and {weeks} weeks after it to score)"
        )
        raise ParameterError(
            said.format(first=f"{first:%Y-%m-%d}", last=f"{last:%Y-%m-%d}", weeks=weeks)
        )
    return start, end


def year_backtest(
    ledger: Ledger, as_of: object, *, policy: PolicyLike = None, progress=None
) -> Backtest | None:
    """The backtest a review or the dashboard shows as of ``as_of``: at the month ends of the
    year before it whose weeks were over by it (:func:`default_range` with ``until=as_of``, the
    last twelve), seeing nothing after ``as_of``; None when the ledger holds open items only or
    its history is too short (:func:`~arbook.views.cash_forecast.why_not_backtested` says
    why)."""
    if ledger.open_items_only:
        return None
    weeks = resolve_policy(policy or ledger.policy).forecast.weeks
    try:
        first, last = default_range(ledger, weeks, until=as_of)
    except ParameterError:
        return None
    first = max(first, months_before(last, 11) + pd.offsets.MonthEnd(0))
    return backtest(ledger, first, last, weeks=weeks, policy=policy, until=as_of, progress=progress)


def _month_of(value: object) -> pd.Timestamp:
    """The month end of ``value``: a month (``2013-01``) or any date in it."""
    if isinstance(value, str) and len(value.strip()) == 7:
        return parse_month(value).end_time.normalize()
    return day_stamp(value) + pd.offsets.MonthEnd(0)


def baseline_days(
    ledger: Ledger, day: int, rows: np.ndarray, *, policy: PolicyLike = None
) -> dict[str, Days]:
    """Each baseline's predicted payment day for the invoice rows ``rows`` at ``day``, from
    the customers' paid invoices up to ``day`` (a customer without one: the book's average),
    clipped to the day after."""
    rules = resolve_policy(policy or ledger.policy).forecast
    a = ledger.arrays
    seen = experiences(ledger, day_stamp(day), policy=policy, window_months="all")
    seen = seen[seen["paid"].to_numpy(dtype=bool)]
    to_pay = (seen["paid_day"] - seen["invoice_day"]).to_numpy(dtype=float)
    late = (seen["paid_day"] - seen["due_day"]).to_numpy(dtype=float)
    weight = recency(seen["paid_day"].to_numpy(), day, rules.half_life_days)
    frame = pd.DataFrame(
        {
            "c": seen["customer_id"].to_numpy(),
            "t": to_pay,
            "l": late,
            "w": weight,
            "wt": weight * to_pay,
        }
    )
    grouped = frame.groupby("c")
    customers = pd.Series(ledger.invoices["customer_id"].to_numpy()[rows])

    def per_customer(values: pd.Series, book: float) -> np.ndarray:
        return customers.map(values).fillna(book).to_numpy(dtype=float)

    book_t = float(to_pay.mean()) if len(seen) else np.nan
    book_l = float(late.mean()) if len(seen) else 0.0
    inv, due = a.inv_day[rows], a.due_day[rows]
    if len(seen) == 0:  # no history: every baseline is the due date
        days = dict.fromkeys(BASELINES, due)
    else:
        recent = grouped["wt"].sum() / grouped["w"].sum()
        days = {
            "due_date": due,
            "days_to_pay": inv + np.rint(per_customer(grouped["t"].mean(), book_t)),
            "days_late": due + np.rint(per_customer(grouped["l"].mean(), book_l)),
            "recent_days_to_pay": inv + np.rint(per_customer(recent, book_t)),
        }
    return {name: np.maximum(np.asarray(v).astype(np.int64), day + 1) for name, v in days.items()}


def backtest(
    ledger: Ledger,
    start: object = None,
    end: object = None,
    *,
    weeks: int | None = None,
    policy: PolicyLike = None,
    until: object = None,
    progress=None,
) -> Backtest:
    """Score the forecast at every month end from ``start`` to ``end`` (dates or months; None:
    :func:`default_range`) against what happened, beside every baseline. ``until``: what
    happened is what the data holds up to this day (None: all of it; a review as of an earlier
    month end passes its date, so that it sees no later payment). ``progress``: called with
    (done, total) after each month end."""
    if ledger.open_items_only:
        raise ParameterError(
            _("a backtest needs the payment history: {note}").format(note=ledger.history_note)
        )
    rules = resolve_policy(policy or ledger.policy).forecast
    weeks = rules.weeks if weeks is None else int(weeks)
    if start is None or end is None:
        first, last = default_range(ledger, weeks, until=until)
        start = first if start is None else start
        end = last if end is None else end
    start, end = _month_of(start), _month_of(end)
    if end < start:
        said = _("the backtest starts on {start}, after its end {end}; give --from before --to")
        raise ParameterError(said.format(start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}"))
    known = ledger.last_day if until is None else day_stamp(until)
    cleared, by_payment = cleared_days(ledger, known)
    paid_on = np.where(by_payment, cleared, -1)
    ends = list(pd.date_range(start, end, freq="ME"))
    per_origin, per_week, errors = [], [], {}
    for done, as_of in enumerate(ends, 1):
        model = fit(ledger, as_of, policy=policy)
        rows_o, week_rows = _score_origin(
            ledger, model, paid_on, day_number(known), weeks, policy, errors
        )
        per_origin += rows_o
        per_week += week_rows
        if progress is not None:
            progress(done, len(ends))
    origins = pd.DataFrame(per_origin, columns=ORIGIN_COLUMNS)
    return Backtest(
        start=start,
        end=end,
        weeks_ahead=weeks,
        summary=_summary(errors, len(ends)),
        origins=origins,
        weeks=pd.DataFrame(per_week, columns=["as_of", "week", "expected_cents", "actual_cents"]),
    )


def _score_origin(
    ledger: Ledger, model: Fit, paid_on, until: int, weeks: int, policy, errors: dict
):
    a = ledger.arrays
    day = model.day
    rows, outstanding, _c, due, mean, scale, _n = _items(ledger, model)
    actual = paid_on[rows]
    known = actual > day
    # the cash that came in: payments dated in each week, applied to the items open at ``day``
    open_now = np.zeros(len(a.amount), dtype=bool)
    open_now[rows] = True
    target = np.where(a.pay_target >= 0, a.pay_target, 0)
    horizon = min(day + 7 * weeks, until)
    came = (a.pay_target >= 0) & open_now[target] & (a.pay_day > day) & (a.pay_day <= horizon)
    actual_weeks = np.bincount(
        (a.pay_day[came] - day - 1) // 7, weights=a.pay_amount[came], minlength=weeks
    )[:weeks]
    # the model: its median and interval per item, its spread over the weeks
    middle, low, high = model.dates(due, mean, scale)
    predicted = {MODEL: middle}
    cash, shares = week_shares(ledger, model, weeks)
    expected = {MODEL: cash.astype(float) @ shares[:, :weeks]}
    predicted.update(baseline_days(ledger, day, rows, policy=policy))
    for name, days in predicted.items():
        if name != MODEL:
            week = (days - day - 1) // 7
            inside = week < weeks
            expected[name] = np.bincount(
                week[inside], weights=outstanding[inside].astype(float), minlength=weeks
            )[:weeks]
    as_of = day_stamp(day)
    out = []
    for name, days in predicted.items():
        gap = np.abs(days[known] - actual[known]).astype(float)
        hit = (
            ((actual[known] >= low[known]) & (actual[known] <= high[known]))
            if name == MODEL
            else None
        )
        miss = float(np.abs(expected[name] - actual_weeks).sum())
        record = errors.setdefault(name, {"gap": [], "hit": [], "miss": 0.0, "cash": 0.0})
        record["gap"].append(gap)
        if hit is not None:
            record["hit"].append(hit)
        record["miss"] += miss
        record["cash"] += float(actual_weeks.sum())
        out.append(
            [
                as_of,
                name,
                len(rows),
                int(known.sum()),
                gap.mean() if len(gap) else np.nan,
                miss / actual_weeks.sum() if actual_weeks.sum() > 0 else np.nan,
                hit.mean() if hit is not None and len(hit) else np.nan,
            ]
        )
    weeks_rows = [
        [as_of, week + 1, round(expected[MODEL][week]), int(actual_weeks[week])]
        for week in range(weeks)
    ]
    return out, weeks_rows


def _summary(errors: dict, origins: int) -> pd.DataFrame:
    rows = []
    for name, record in errors.items():
        gap = np.concatenate(record["gap"]) if record["gap"] else np.zeros(0)
        hit = np.concatenate(record["hit"]) if record["hit"] else np.zeros(0, dtype=bool)
        rows.append(
            {
                "method": name,
                "label": _(MODEL_LABEL) if name == MODEL else _(BASELINES[name]),
                "origins": origins,
                "items": len(gap),
                "mae_days": gap.mean() if len(gap) else np.nan,
                "wape": record["miss"] / record["cash"] if record["cash"] > 0 else np.nan,
                "coverage": hit.mean() if len(hit) else np.nan,
            }
        )
    frame = pd.DataFrame(rows)
    baselines = frame[frame["method"] != MODEL]
    frame["mae_ratio"] = frame["mae_days"] / baselines["mae_days"].min()
    frame["wape_ratio"] = frame["wape"] / baselines["wape"].min()
    return frame[SUMMARY_COLUMNS]
