"""What a month-end review adds to the measures: the headline KPI table against a month and a
year earlier, how the aging moved, who moved to a worse bucket, and the largest overdue balances.
Pure functions of frames (money in int cents); :class:`arbook.workbook.review.Review` calls them.

"Overdue" counts from the due date whatever the aging basis (:func:`~arbook.measures.aging.
past_due`); the buckets follow the basis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.core.i18n import N_, _
from arbook.core.ledger import Ledger
from arbook.measures.aging import UNAPPLIED, past_due

#: The KPI tiles, in display order: (key, label, unit). Units: cents, days, ratio. The labels
#: are marked for the catalogue and translated where shown (:attr:`Review.kpis`). Total
#: receivable is SPEC §3's AR (the sum of the buckets); credits and unapplied cash are their
#: own tile; the carrying cost is shown a year at today's overdue balance (the headline) and
#: accrued to date, each labelled for what it is.
KPIS = (
    ("total_cents", N_("Total receivable"), "cents"),
    ("unapplied_cents", N_("Credits and unapplied cash"), "cents"),
    ("overdue_cents", N_("Overdue"), "cents"),
    ("pct_current", N_("% not yet due"), "ratio"),
    ("dso_countback", N_("DSO (count-back)"), "days"),
    ("best_possible_dso", N_("Best possible DSO"), "days"),
    ("add", N_("Average days delinquent"), "days"),
    ("cei", N_("Collection effectiveness (CEI)"), "ratio"),
    ("yearly_cost_cents", N_("You are their bank: a year at today's overdue"), "cents"),
    ("carrying_cost_cents", N_("Carrying cost accrued to date"), "cents"),
)
KPI_COLUMNS = ["kpi", "label", "unit", "value", "previous", "change", "year_ago", "change_year"]
#: The rows of :func:`bucket_change` after the buckets.
RECEIVABLE, NET = "total receivable", "net receivable"
#: The aging's bucket and row labels that are words (the others are days: ``1-30``, ``121+``),
#: marked for the catalogue: :func:`bucket_word` shows them in the language spoken.
BUCKET_WORDS = {
    "current": N_("current"),
    "< 1 month": N_("< 1 month"),
    "1 month": N_("1 month"),
    "2 months": N_("2 months"),
    "3 months": N_("3 months"),
    "older": N_("older"),
    UNAPPLIED: N_("unapplied"),
    RECEIVABLE: N_("total receivable"),
    NET: N_("net receivable"),
    "total": N_("total"),
}
TOP_OVERDUE_COLUMNS = [
    "customer_id",
    "name",
    "overdue_cents",
    "total_cents",
    "oldest_bucket",
    "avg_days_to_pay",
    "days_beyond_terms",
    "share_paid_late",
]


def bucket_word(label: object) -> str:
    """A bucket or a row of the aging (:func:`bucket_change`, the allowance's ``total``) as a
    person reads it, in the language spoken; a label of days as it is."""
    text = str(label)
    return _(BUCKET_WORDS[text]) if text in BUCKET_WORDS else text


def kpi_table(
    history: pd.DataFrame, carrying: dict[str, list[int]], *, first_month: str = ""
) -> pd.DataFrame:
    """The KPI tiles from 13 month rows of :func:`~arbook.measures.metrics.monthly_metrics`
    (a year ago .. now) and the carrying costs ``{"yearly_cost_cents": [a year ago, a month
    ago, now], "carrying_cost_cents": [...]}``. ``change`` is now minus a month ago;
    ``change_year`` now minus the same month a year earlier. Months before ``first_month``
    (YYYY-MM, where the data starts) give NaN, not the zeros of an empty ledger."""
    h = history.rename(columns={"ar_end_cents": "total_cents"})
    known = h["month"] >= first_month
    now = h.iloc[-1]
    before = h.iloc[-2] if len(h) > 1 and known.iloc[-2] else None
    year = h.iloc[-13] if len(h) >= 13 and known.iloc[-13] else None
    rows = []
    for key, label, unit in KPIS:
        if key in carrying:
            ago_v, prev_v, value = carrying[key]
            prev = prev_v if before is not None else np.nan
            ago = ago_v if year is not None else np.nan
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
    """Per bucket, then ``total receivable`` (the sum of the buckets), ``unapplied`` (credits and
    unapplied cash) and ``net receivable`` (the two together): ``bucket, now_cents,
    previous_cents, change_cents`` between two aging frames."""
    order = labels + [UNAPPLIED]

    def totals(frame: pd.DataFrame) -> pd.Series:
        sums = frame.groupby("bucket", observed=False)["outstanding_cents"].sum()
        return sums.reindex(order, fill_value=0).astype(np.int64)

    now, prev = totals(items), totals(before)
    rows = [(label, int(now[label]), int(prev[label])) for label in labels]
    rows.append((RECEIVABLE, int(now[labels].sum()), int(prev[labels].sum())))
    rows.append((UNAPPLIED, int(now[UNAPPLIED]), int(prev[UNAPPLIED])))
    rows.append((NET, int(now.sum()), int(prev.sum())))
    frame = pd.DataFrame(rows, columns=["bucket", "now_cents", "previous_cents"])
    frame["change_cents"] = frame["now_cents"] - frame["previous_cents"]
    return frame.astype(
        {"now_cents": np.int64, "previous_cents": np.int64, "change_cents": np.int64}
    )


def worst_bucket(items: pd.DataFrame, labels: list[str]) -> pd.Series:
    """Per customer, the index in ``labels`` of the oldest bucket holding a positive item."""
    owed = items[items["outstanding_cents"] > 0]
    codes = pd.Categorical(owed["bucket"].astype(str), categories=labels).codes
    return pd.Series(codes, index=owed["customer_id"].to_numpy()).groupby(level=0).max()


def overdue_by_customer(items: pd.DataFrame, as_of) -> pd.Series:
    """Overdue cents per customer id (past the due date, disputed items included: still owed)."""
    late = items[past_due(items, as_of)]
    return late.groupby("customer_id")["outstanding_cents"].sum().astype(np.int64)


def movers(
    items: pd.DataFrame, before: pd.DataFrame, ledger: Ledger, labels: list[str], as_of
) -> pd.DataFrame:
    """Customers whose oldest open debt sits in a worse bucket than a month earlier:
    ``customer_id, name, bucket_before, bucket_now, overdue_cents``, worst first."""
    now, prev = worst_bucket(items, labels), worst_bucket(before, labels)
    prev = prev.reindex(now.index, fill_value=0)
    worse = now[now > prev]
    overdue = overdue_by_customer(items, as_of)
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
    frame = frame.sort_values(
        ["_rank", "overdue_cents", "customer_id"], ascending=[False, False, True], kind="stable"
    )
    return frame.drop(columns="_rank").reset_index(drop=True)


def top_overdue(
    items: pd.DataFrame,
    summary: pd.DataFrame,
    behaviour: pd.DataFrame,
    labels: list[str],
    as_of,
    n: int = 10,
) -> pd.DataFrame:
    """The ``n`` customers with the largest overdue balance: ``customer_id, name,
    overdue_cents, total_cents`` (net), ``oldest_bucket, avg_days_to_pay, days_beyond_terms,
    share_paid_late``."""
    overdue = overdue_by_customer(items, as_of)
    overdue = overdue[overdue > 0]
    worst = worst_bucket(items, labels)
    frame = summary[summary["customer_id"].isin(overdue.index)][
        ["customer_id", "name", "total_cents"]
    ]
    frame = frame.assign(
        overdue_cents=overdue.reindex(frame["customer_id"]).to_numpy(dtype=np.int64),
        oldest_bucket=[labels[int(worst[c])] for c in frame["customer_id"]],
    )
    frame = frame.sort_values(
        ["overdue_cents", "customer_id"], ascending=[False, True], kind="stable"
    ).head(n)
    keep = ["customer_id", "avg_days_to_pay", "days_beyond_terms", "share_paid_late"]
    frame = frame.merge(behaviour[keep], on="customer_id", how="left")
    return frame[TOP_OVERDUE_COLUMNS].reset_index(drop=True)
