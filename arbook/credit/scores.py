"""The payment-history score of every customer (SPEC §5), and the credit standing holds and
the limit review start from.

The score is a PAYDEX-like 0-100 number (our own mapping, not D&B's algorithm) of a customer's
amount-weighted signed days to due over its payment experiences (SPEC §3, the policy's
``[behaviour]`` window), mapped linearly between the policy's ``[scores]`` anchors. Decisions
the spec leaves open:

- *Exposure* is the open positive balance (the sum of the aging buckets); credits and unapplied
  cash do not lower it, since they may be refunded or applied elsewhere.
- A limit of 0 means no credit: any exposure is over it (utilisation is infinite; 0 when nothing
  is owed). A customer with no limit set is *not vetted*.
- A ledger of open items only (an aging report) has no payment experience: every customer is
  unscored (NaN), with the reason :func:`~arbook.measures.history.needs_history` gives; its
  exposure and limits still hold at the report's date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.core.config import Policy, ScorePolicy, default_policy, resolve_policy
from arbook.core.dates import day_number, months_before
from arbook.core.ledger import Ledger
from arbook.core.numbers import local_number
from arbook.measures.behaviour import experiences
from arbook.measures.history import check_as_of

SCORE_COLUMNS = [
    "customer_id",
    "name",
    "score",
    "score_3m",
    "score_12m",
    "trend_3m",
    "trend_12m",
    "invoices",
    "share_late",
    "disputes",
    "exposure_cents",
    "credit_limit_cents",
    "utilisation",
]


def paydex(signed_days, anchors: ScorePolicy | None = None):
    """The payment-history score of signed days to due: linear between the policy's anchors
    (shipped: -30 -> 100 ... 120 -> 20, 240 -> 0), the first anchor's score earlier, the last's
    later. Returns a float for a scalar, an ndarray for an array; NaN (no experience) stays
    NaN."""
    anchors = anchors or default_policy().scores
    days = np.asarray(signed_days, dtype=float)
    mapped = np.interp(days, anchors.anchor_days, anchors.anchor_scores)
    scores = np.where(np.isnan(days), np.nan, mapped)
    return float(scores) if scores.ndim == 0 else scores


def rules_of(ledger: Ledger, policy) -> Policy:
    """The policy in force: ``policy`` when given, else the ledger's."""
    return resolve_policy(policy if policy not in (None, "") else ledger.policy)


def _scores(ledger: Ledger, as_of, policy: Policy) -> pd.DataFrame:
    """Per customer with an experience at ``as_of``: ``score, invoices, share_late, disputes``."""
    exp = experiences(ledger, as_of, policy=policy)
    late = exp["paid_day"] - exp["due_day"]
    weight = exp["amount_cents"].astype(float)
    g = exp.assign(signed_w=weight * late, w=weight, late=(late > 0).astype(float)).groupby(
        "customer_id", sort=True
    )
    signed = g["signed_w"].sum() / g["w"].sum()
    return pd.DataFrame(
        {
            "score": pd.Series(
                paydex(signed.to_numpy(), policy.scores), index=signed.index, dtype=float
            ),
            "invoices": g.size(),
            "share_late": g["late"].mean(),
            "disputes": g["disputed"].sum(),
        }
    )


def exposure(ledger: Ledger, day: int) -> pd.Series:
    """Open positive balance per customer id at ``day`` (customers owing nothing are absent)."""
    outstanding = ledger.balances(day).outstanding
    owing = outstanding > 0
    ids = ledger.invoices["customer_id"].to_numpy()[owing]
    return pd.Series(outstanding[owing], index=ids).groupby(level=0).sum()


def _utilisation(exposure: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """exposure / limit; NaN without a limit; a zero limit is infinitely used (0 if unused)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = exposure / limit
    return np.where(limit == 0, np.where(exposure > 0, np.inf, 0.0), ratio)


def book(ledger: Ledger, as_of) -> pd.DataFrame:
    """Every customer of the ledger, indexed by id: ``name, exposure_cents, credit_limit_cents,
    utilisation``, in the customers' order."""
    check_as_of(ledger, as_of)
    customers = ledger.customers
    ids = customers["customer_id"]
    owed = exposure(ledger, day_number(as_of)).reindex(ids, fill_value=0).astype(np.int64)
    limit = pd.array(customers["credit_limit_cents"], dtype="Int64")
    return pd.DataFrame(
        {
            "name": ledger.names(ids),
            "exposure_cents": owed.to_numpy(),
            "credit_limit_cents": limit,
            "utilisation": _utilisation(
                owed.to_numpy(dtype=float), limit.to_numpy(dtype=float, na_value=np.nan)
            ),
        },
        index=pd.Index(ids.to_numpy(), name="customer_id"),
    )


def payment_scores(ledger: Ledger, as_of, *, policy=None) -> pd.DataFrame:
    """One row per customer of the ledger with ``customer_id, name, score`` (0-100 from its
    experiences at ``as_of``; NaN = unscored), ``score_3m, score_12m`` (the
    same as of 3 and 12 months earlier), ``trend_3m, trend_12m`` (score minus those),
    ``invoices`` (experiences), ``share_late`` (of experiences paid or still open past due),
    ``disputes`` (disputed experiences), ``exposure_cents`` (open positive balance),
    ``credit_limit_cents`` (NA = none set) and ``utilisation`` (exposure / limit, NaN without a
    limit). Lowest score first, unscored last, then by customer id."""
    pol = rules_of(ledger, policy)
    frame = book(ledger, as_of).join(_scores(ledger, as_of, pol))
    for months in (3, 12):
        earlier = _scores(ledger, months_before(as_of, months), pol)["score"]
        frame[f"score_{months}m"] = earlier.reindex(frame.index).astype(float)
        frame[f"trend_{months}m"] = frame["score"] - frame[f"score_{months}m"]
    frame[["invoices", "disputes"]] = frame[["invoices", "disputes"]].fillna(0).astype(np.int64)
    frame = frame.astype({"score": float, "share_late": float}).reset_index()
    frame = frame.sort_values(["score", "customer_id"], na_position="last", kind="stable")
    return frame.reset_index(drop=True)[SCORE_COLUMNS]


def standing(
    ledger: Ledger, as_of, policy: Policy, disputed: pd.Series | None = None
) -> pd.DataFrame:
    """:func:`book` plus the current ``score`` and ``oldest_days_overdue``: the most days past
    due of the customer's undisputed open items (0 = none overdue; by due date, whatever the
    aging basis). ``disputed``: cents in dispute per document id
    (:func:`~arbook.measures.disputes.disputed_cents`, the contact log's disputes too); an item
    wholly in dispute does not count, one partly in dispute does. None: the ledger's flags."""
    frame = book(ledger, as_of).join(_scores(ledger, as_of, policy)["score"])
    oldest = _oldest_overdue(ledger, day_number(as_of), disputed)
    frame["oldest_days_overdue"] = oldest.reindex(frame.index, fill_value=0).astype(np.int64)
    frame["score"] = frame["score"].astype(float)
    return frame


def _oldest_overdue(ledger: Ledger, day: int, disputed: pd.Series | None = None) -> pd.Series:
    """Per customer id with an undisputed positive open item: its most days past due, 0 when
    none is overdue (``disputed``: see :func:`standing`)."""
    outstanding = ledger.balances(day).outstanding
    a = ledger.arrays
    if disputed is None:
        counted = (outstanding > 0) & ~a.disputed
    else:
        ids = ledger.invoices["invoice_id"].to_numpy(dtype=object)
        part = disputed.reindex(ids, fill_value=0).to_numpy(dtype=np.int64)
        counted = (outstanding > 0) & (part < outstanding)
    ids = ledger.invoices["customer_id"].to_numpy()[counted]
    days = np.maximum(day - a.due_day[counted], 0)
    return pd.Series(days, index=ids).groupby(level=0).max()


def score_text(score: float, below: float | None = None) -> str:
    """A score for reasons text to one decimal; cut rather than rounded when rounding would
    reach the threshold ``below`` it is said to be under (39.96 reads 39.9, not 40). With the
    decimal mark of the language spoken (39,9 in Spanish and Russian)."""
    shown = round(score, 1)
    if below is not None and shown >= below:
        shown = np.floor(score * 10) / 10
    return local_number(f"{shown:g}")


def scores_at(ledger: Ledger, as_of, *, policy=None) -> pd.Series:
    """The payment-history score per customer id with payment experience at ``as_of``
    (customers without any are absent: unscored)."""
    return _scores(ledger, as_of, rules_of(ledger, policy))["score"]
