"""One as-of review of a ledger, assembled for the dashboard, the monthly report and the
walkthrough: headline KPIs against the previous month and the same month last year, aging and its
change, roll rates, the allowance, customers who moved to a worse bucket, the largest overdue
balances with their payment behaviour, the carrying cost, and the data issues.

Everything here is frames of numbers (money in int cents); ``views/`` turns them into text and
charts. The as-of date of a review is a month end, because the KPIs (DSO, CEI...) are defined over
calendar months (SPEC §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from arbook.core.config import check_edges, resolve_policy
from arbook.core.errors import ParameterError
from arbook.core.ledger import Ledger, day_number
from arbook.credit import penalties
from arbook.credit import scores as credit
from arbook.measures.aging import UNAPPLIED, aging, bucket_labels, check_basis, summarise_items
from arbook.measures.behaviour import carrying_cost, payment_behaviour
from arbook.measures.metrics import allowance, monthly_metrics, roll_rates

#: The KPI tiles, in display order: (key, label, unit). Units: cents, days, ratio.
KPIS = (
    # Net of credits and unapplied cash, as the aging total; the ratios use SPEC's AR (buckets).
    ("total_cents", "Total receivable", "cents"),
    ("overdue_cents", "Overdue", "cents"),
    ("pct_current", "% current", "ratio"),
    ("dso_countback", "DSO (count-back)", "days"),
    ("best_possible_dso", "Best possible DSO", "days"),
    ("add", "Average days delinquent", "days"),
    ("cei", "Collection effectiveness (CEI)", "ratio"),
    ("carrying_cost_cents", "Carrying cost of overdue (a year)", "cents"),
)
KPI_COLUMNS = ["kpi", "label", "unit", "value", "previous", "change", "year_ago", "change_year"]
#: Months of history shown in the trend (12 month ends, as-of month included).
TREND_MONTHS = 12


def month_end(value) -> pd.Timestamp:
    """``value`` as a month-end Timestamp; raise a clear ParameterError when it is not one."""
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ParameterError(
            f"as-of date {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-10-31"
        ) from None
    if pd.isna(day) or day != day.normalize():
        raise ParameterError(f"as-of date {value!r} is not a date; write it as YYYY-MM-DD")
    if not day.is_month_end:
        raise ParameterError(
            f"as-of date {day.date()} is not a month end; a review is as of a month end, "
            f"e.g. {(day + pd.offsets.MonthEnd(0)).date()}"
        )
    return day


def month_ends(ledger: Ledger) -> list[pd.Timestamp]:
    """Every month end the data covers, oldest first: from the end of the first document's
    month to the last month end on or before the latest document or payment. A ledger whose
    history is shorter than a month gives the end of its only month."""
    if ledger.first_day is None:
        return []
    first = ledger.first_day + pd.offsets.MonthEnd(0)
    last = ledger.last_day
    last = last if last.is_month_end else last - pd.offsets.MonthEnd(1)
    if last < first:
        return [first]
    return list(pd.date_range(first, last, freq="ME"))


def default_as_of(ledger: Ledger) -> pd.Timestamp:
    """The last month end the data covers (what a review defaults to)."""
    ends = month_ends(ledger)
    if not ends:
        raise ParameterError("the ledger has no invoices, so there is no date to review")
    return ends[-1]


@dataclass(frozen=True)
class Settings:
    """The choices a review depends on, checked: month-end ``as_of``, ``basis``, ``edges`` and
    the annual ``cost_of_capital`` (0.10 = 10%)."""

    as_of: pd.Timestamp
    basis: str
    edges: tuple[int, ...]
    cost_of_capital: float

    @property
    def labels(self) -> list[str]:
        return bucket_labels(self.edges)


def settings(
    ledger: Ledger, as_of=None, *, basis=None, edges=None, cost_of_capital=None
) -> Settings:
    """Check the review's parameters, filling blanks from the ledger's policy; raise one
    ParameterError naming the first bad value and what to write instead."""
    policy = resolve_policy(ledger.policy)
    as_of = default_as_of(ledger) if as_of in (None, "") else month_end(as_of)
    basis = check_basis(policy.aging.basis if basis in (None, "") else basis)
    if isinstance(edges, str):
        edges = [e for e in edges.replace(";", ",").split(",") if e.strip()]
    edges = check_edges(policy.aging.edges if edges in (None, "", ()) else edges)
    rate = policy.cost_of_capital if cost_of_capital in (None, "") else cost_of_capital
    try:
        rate = float(rate)
    except (TypeError, ValueError):
        raise ParameterError(f"cost of capital {rate!r} is not a number; write 0.10 for 10%")
    if not 0 <= rate <= 1:
        raise ParameterError(f"cost of capital {rate} must be a fraction from 0 to 1 (10% is 0.10)")
    return Settings(as_of, basis, edges, rate)


class Review:
    """A ledger reviewed as of one month end. Each part is computed on first use and kept, so a
    view that shows only the KPIs never pays for the roll rates. Frames (money in int cents):

    ``kpis`` one row per tile of :data:`KPIS` with ``value, previous, change, year_ago,
    change_year``; ``trend`` :func:`monthly_metrics` over the last 12 month ends; ``items`` the
    open items; ``summary`` the per-customer aging; ``buckets`` per bucket now, a month ago and
    the change; ``rolls`` roll rates over the last 12 months; ``allowance`` (empty when the
    policy has no loss rate for some bucket); ``movers`` customers whose oldest debt moved to a
    worse bucket; ``top_overdue`` the ten largest overdue balances with payment behaviour;
    ``carrying`` carrying cost per customer; ``behaviour`` payment behaviour per customer;
    ``issues`` the ledger's data issues. Credit (SPEC §5, by the policy): ``scores`` payment
    scores per customer; ``holds`` customers on credit hold with their reasons, ``holds_before``
    the same a month earlier; ``not_vetted`` customers owing without a credit limit;
    ``credit_review`` the limit review; ``late_charges`` interest per overdue item at the
    policy's rate (fees are charged per reminder, so none here)."""

    def __init__(self, ledger: Ledger, settings: Settings):
        self.ledger, self.settings = ledger, settings

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"Review(as_of={s.as_of.date()}, basis={s.basis!r}, edges={s.edges}, "
            f"cost_of_capital={s.cost_of_capital})"
        )

    @property
    def as_of(self) -> pd.Timestamp:
        return self.settings.as_of

    @property
    def previous(self) -> pd.Timestamp:
        """The month end before :attr:`as_of`."""
        return (self.as_of.to_period("M") - 1).end_time.normalize()

    def _age(self, day) -> pd.DataFrame:
        return aging(self.ledger, day, basis=self.settings.basis, edges=self.settings.edges)

    def _carry(self, day, items: pd.DataFrame) -> pd.DataFrame:
        # Days overdue do not depend on the bucket edges, so the aging frame serves as it is.
        return carrying_cost(
            self.ledger, day, self.settings.cost_of_capital, basis=self.settings.basis, items=items
        )

    @cached_property
    def history(self) -> pd.DataFrame:
        """:func:`monthly_metrics` for the 13 month ends from a year before ``as_of``."""
        month = self.as_of.to_period("M")
        return monthly_metrics(
            self.ledger, month - 12, month, basis=self.settings.basis, edges=self.settings.edges
        )

    @cached_property
    def kpis(self) -> pd.DataFrame:
        year_ago = (self.as_of.to_period("M") - 12).end_time.normalize()
        cost = [
            int(self._carry(year_ago, self._age(year_ago))["carrying_cost_cents"].sum()),
            int(self._carry(self.previous, self.items_before)["carrying_cost_cents"].sum()),
            int(self.carrying["carrying_cost_cents"].sum()),
        ]
        net = [net_total(self.ledger, pd.Timestamp(day)) for day in self.history["as_of"]]
        first = (
            self.ledger.first_day.to_period("M")
            if self.ledger.first_day is not None
            else self.as_of.to_period("M")
        )
        return kpi_table(self.history.assign(total_cents=net), cost, first_month=str(first))

    @cached_property
    def trend(self) -> pd.DataFrame:
        return self.history.iloc[-TREND_MONTHS:].reset_index(drop=True)

    @cached_property
    def items(self) -> pd.DataFrame:
        return self._age(self.as_of)

    @cached_property
    def items_before(self) -> pd.DataFrame:
        """The open items a month before ``as_of``."""
        return self._age(self.previous)

    @cached_property
    def summary(self) -> pd.DataFrame:
        return summarise_items(self.items, self.ledger, self.settings.edges)

    @cached_property
    def buckets(self) -> pd.DataFrame:
        return bucket_change(self.items, self.items_before, self.settings.labels)

    @cached_property
    def rolls(self) -> pd.DataFrame:
        month = self.as_of.to_period("M")
        return roll_rates(
            self.ledger,
            month - (TREND_MONTHS - 1),
            month,
            basis=self.settings.basis,
            edges=self.settings.edges,
        )

    @cached_property
    def allowance(self) -> pd.DataFrame:
        if not _has_loss_rates(self.ledger, self.settings.labels):
            return pd.DataFrame()
        return allowance(
            self.ledger, self.as_of, basis=self.settings.basis, edges=self.settings.edges
        )

    @cached_property
    def movers(self) -> pd.DataFrame:
        return movers(self.items, self.items_before, self.ledger, self.settings.labels)

    @cached_property
    def carrying(self) -> pd.DataFrame:
        return self._carry(self.as_of, self.items)

    @cached_property
    def behaviour(self) -> pd.DataFrame:
        return payment_behaviour(self.ledger, self.as_of)

    @cached_property
    def top_overdue(self) -> pd.DataFrame:
        return top_overdue(self.summary, self.behaviour, self.settings.labels)

    @cached_property
    def scores(self) -> pd.DataFrame:
        return credit.payment_scores(self.ledger, self.as_of)

    @cached_property
    def holds(self) -> pd.DataFrame:
        return credit.credit_holds(self.ledger, self.as_of)

    @cached_property
    def holds_before(self) -> pd.DataFrame:
        return credit.credit_holds(self.ledger, self.previous)

    @cached_property
    def not_vetted(self) -> pd.DataFrame:
        return credit.not_vetted(self.ledger, self.as_of)

    @cached_property
    def credit_review(self) -> pd.DataFrame:
        return credit.credit_review(self.ledger, self.as_of)

    @cached_property
    def late_charges(self) -> pd.DataFrame:
        return penalties.late_charges(self.ledger, self.as_of)

    @property
    def issues(self) -> pd.DataFrame:
        return self.ledger.issues


def build_review(
    ledger: Ledger, as_of=None, *, basis=None, edges=None, cost_of_capital=None
) -> Review:
    """Review ``ledger`` as of the month end ``as_of`` (default: the last one the data covers).
    Blank parameters come from the ledger's policy; bad ones raise one ParameterError. See
    :class:`Review` for what comes back (its parts are computed when first used)."""
    return Review(
        ledger, settings(ledger, as_of, basis=basis, edges=edges, cost_of_capital=cost_of_capital)
    )


def _has_loss_rates(ledger: Ledger, labels: list[str]) -> bool:
    rates = resolve_policy(ledger.policy).allowance.loss_rates
    return all(label in rates for label in labels)


def net_total(ledger: Ledger, day: pd.Timestamp) -> int:
    """What customers owe in all as of ``day``, net of credits and unapplied cash: invoices
    dated on or before it less payments dated on or before it (SPEC §2.8), the aging total."""
    a, number = ledger.arrays, day_number(day)
    return int(a.amount[a.inv_day <= number].sum() - a.pay_amount[a.pay_day <= number].sum())


def kpi_table(
    history: pd.DataFrame, carrying_cents: list[int], *, first_month: str = ""
) -> pd.DataFrame:
    """The KPI tiles from 13 month rows of :func:`monthly_metrics` (a year ago .. now) with a
    ``total_cents`` column added (:func:`net_total` at each month end), and the carrying cost
    [a year ago, a month ago, now]. ``change`` is now minus a month ago; ``change_year`` now minus the same
    month a year earlier. Months before ``first_month`` (YYYY-MM, where the data starts) give
    NaN, not the zeros of an empty ledger."""
    h = history.assign(overdue_cents=history["ar_end_cents"] - history["current_cents"])
    known = h["month"] >= first_month
    now = h.iloc[-1]
    before = h.iloc[-2] if len(h) > 1 and known.iloc[-2] else None
    year = h.iloc[-13] if len(h) >= 13 and known.iloc[-13] else None
    rows = []
    for key, label, unit in KPIS:
        if key == "carrying_cost_cents":
            value = carrying_cents[2]
            prev = carrying_cents[1] if before is not None else np.nan
            ago = carrying_cents[0] if year is not None else np.nan
        else:
            value = now[key]
            prev = before[key] if before is not None else np.nan
            ago = year[key] if year is not None else np.nan
        rows.append(
            {
                "kpi": key,
                "label": label,
                "unit": unit,
                "value": float(value),
                "previous": float(prev),
                "change": float(value) - float(prev),
                "year_ago": float(ago),
                "change_year": float(value) - float(ago),
            }
        )
    return pd.DataFrame(rows, columns=KPI_COLUMNS)


def bucket_change(items: pd.DataFrame, before: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Per bucket (and ``unapplied``, ``total``): ``bucket, now_cents, previous_cents,
    change_cents`` between two aging frames."""
    order = labels + [UNAPPLIED]

    def totals(frame):
        return (
            frame.groupby("bucket", observed=False)["outstanding_cents"]
            .sum()
            .reindex(order, fill_value=0)
            .astype(np.int64)
        )

    now, prev = totals(items), totals(before)
    frame = pd.DataFrame(
        {"bucket": order, "now_cents": now.to_numpy(), "previous_cents": prev.to_numpy()}
    )
    total = {"bucket": "total", "now_cents": int(now.sum()), "previous_cents": int(prev.sum())}
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    frame["change_cents"] = frame["now_cents"] - frame["previous_cents"]
    return frame.astype(
        {"now_cents": np.int64, "previous_cents": np.int64, "change_cents": np.int64}
    )


def worst_bucket(items: pd.DataFrame, labels: list[str]) -> pd.Series:
    """Per customer, the index in ``labels`` of the oldest bucket holding a positive item."""
    owed = items[items["outstanding_cents"] > 0]
    codes = pd.Categorical(owed["bucket"].astype(str), categories=labels).codes
    return pd.Series(codes, index=owed["customer_id"].to_numpy()).groupby(level=0).max()


def movers(
    items: pd.DataFrame, before: pd.DataFrame, ledger: Ledger, labels: list[str]
) -> pd.DataFrame:
    """Customers whose oldest open debt sits in a worse bucket than a month earlier:
    ``customer_id, name, bucket_before, bucket_now, overdue_cents``, worst first."""
    now, prev = worst_bucket(items, labels), worst_bucket(before, labels)
    prev = prev.reindex(now.index, fill_value=0)
    worse = now[now > prev]
    owed = items[(items["outstanding_cents"] > 0) & (items["days_overdue"] > 0)]
    overdue = owed.groupby("customer_id")["outstanding_cents"].sum()
    ids = pd.Series(worse.index, dtype=object)
    frame = pd.DataFrame(
        {
            "customer_id": ids,
            "name": ledger.names(ids) if len(ids) else [],
            "bucket_before": [labels[k] for k in prev[worse.index]],
            "bucket_now": [labels[k] for k in worse],
            "overdue_cents": overdue.reindex(worse.index, fill_value=0).to_numpy(dtype=np.int64),
            "_rank": worse.to_numpy(),
        }
    )
    return (
        frame.sort_values(
            ["_rank", "overdue_cents", "customer_id"], ascending=[False, False, True], kind="stable"
        )
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def top_overdue(
    summary: pd.DataFrame, behaviour: pd.DataFrame, labels: list[str], n: int = 10
) -> pd.DataFrame:
    """The ``n`` customers with the largest overdue balance (every bucket but current):
    ``customer_id, name, overdue_cents, total_cents, oldest_bucket, avg_days_to_pay,
    days_beyond_terms, share_paid_late``."""
    late = [f"{label}_cents" for label in labels[1:]]
    frame = summary.assign(overdue_cents=summary[late].sum(axis=1).astype(np.int64))
    frame = frame[frame["overdue_cents"] > 0]
    owed = frame[late].to_numpy() > 0
    frame = frame.assign(oldest_bucket=[labels[1 + int(np.flatnonzero(r)[-1])] for r in owed])
    frame = frame.sort_values(
        ["overdue_cents", "customer_id"], ascending=[False, True], kind="stable"
    ).head(n)
    keep = ["customer_id", "avg_days_to_pay", "days_beyond_terms", "share_paid_late"]
    frame = frame.merge(behaviour[keep], on="customer_id", how="left")
    return frame[
        [
            "customer_id",
            "name",
            "overdue_cents",
            "total_cents",
            "oldest_bucket",
            "avg_days_to_pay",
            "days_beyond_terms",
            "share_paid_late",
        ]
    ]


def customer_detail(review: Review, customer_id: str) -> dict[str, pd.DataFrame]:
    """A customer's drill-down: ``items`` (its open items), ``payments`` (its payments up to the
    as-of date, newest first) and ``behaviour`` (its payment-behaviour row, empty if none)."""
    known = review.ledger.customers["customer_id"]
    if customer_id not in set(known) and customer_id not in set(review.items["customer_id"]):
        raise ParameterError(f"no customer {customer_id!r} in this ledger")
    pay = review.ledger.payments
    pay = pay[(pay["customer_id"] == customer_id) & (pay["payment_date"] <= review.as_of)]
    return {
        "items": review.items[review.items["customer_id"] == customer_id].reset_index(drop=True),
        "payments": pay[["payment_id", "payment_date", "amount_cents", "invoice_id"]]
        .sort_values("payment_date", ascending=False, kind="stable")
        .reset_index(drop=True),
        "behaviour": review.behaviour[review.behaviour["customer_id"] == customer_id].reset_index(
            drop=True
        ),
    }


def bucket_items(review: Review, bucket: str) -> pd.DataFrame:
    """The open items in one bucket (a label of the review's edges, or ``unapplied``), largest
    first."""
    if bucket not in review.settings.labels + [UNAPPLIED]:
        raise ParameterError(
            f"no bucket {bucket!r}; the buckets are "
            f"{', '.join(review.settings.labels + [UNAPPLIED])}"
        )
    items = review.items[review.items["bucket"] == bucket]
    return items.sort_values(
        ["outstanding_cents", "customer_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
