"""Where each customer stands and who to chase first (SPEC §7): the one ranking, used by the
daily worklist and by the walkthrough's "who to chase first".

A customer's *position* is its open invoices with something still outstanding. It sits on the
ladder step of its invoice with the most days past due that is not wholly in dispute (by the
due date, whatever the aging basis). What is in dispute (:func:`arbook.measures.disputes.
disputed_cents`: an imported ``disputed = yes`` invoice, or a dispute in the contact log on an
invoice or part of it) is still owed but not chased: it is counted apart (``disputed_cents``)
and never weighs in the ranking, while the undisputed rest of a partly disputed invoice is
chased as any other; a customer whose overdue debt is all in dispute is listed as in dispute,
not chased. A customer whose credits (credit notes, unapplied
cash) cover its whole balance is not chased either: the cash should be applied, not collected.

Ranking, by *expected loss avoided* (the policy's ``[collections]``)::

    sum over undisputed overdue items of  outstanding x min(1 + days overdue / age_month_days,
        age_weight_cap)  x  (1 + risk),   risk = (100 - payment score) / 100, unscored_risk
        without a score

(with the shipped numbers a month late doubles an item's weight, capped at 5 from 120 days; a
score of 0 doubles the whole). Ties: larger overdue amount, then customer id. The worklist puts
promises due today and broken promises first, then this order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.core.ledger import Ledger
from arbook.credit.scores import rules_of, scores_at
from arbook.measures.aging import aging
from arbook.measures.disputes import disputed_of, log_disputes

POSITION_COLUMNS = [
    "overdue_cents",
    "oldest_days",
    "weighted_cents",
    "disputed_cents",
    "chased",
    "planned_cents",  # owed on a payment plan kept so far: paused on the ladder
]
RANKING_COLUMNS = [
    "customer_id",
    "name",
    "overdue_cents",
    "disputed_cents",
    "oldest_days",
    "score",
    "risk",
    "priority",
]


def positions(
    ledger: Ledger,
    as_of,
    *,
    policy=None,
    log=None,
    disputed: pd.Series | None = None,
    paused=None,
) -> pd.DataFrame:
    """Per customer owing at ``as_of`` (net of its credits; indexed by id): ``overdue_cents``
    (the undisputed part of items past due), ``oldest_days`` (most days past due of its items
    not wholly in dispute; of its disputed ones when it has no other), ``weighted_cents`` (the
    age-weighted overdue amount of the module docstring), ``disputed_cents`` (owed and in
    dispute) and ``chased`` (False when everything it owes is in dispute: no ladder step, no
    chasing). What is in dispute is ``disputed`` (cents per document id, as
    :func:`~arbook.measures.disputes.disputed_cents` gives) when given, else that of the
    contact ``log`` at ``as_of`` with the ledger's flags (``log=None``: the flags alone).
    ``paused``: document ids on a payment plan that is kept so far (SPEC §7: paused on the
    ladder): still owed, counted in ``planned_cents``, but neither overdue for the ladder nor
    chased; a customer whose undisputed debt is all on such a plan is not ``chased``."""
    rules = rules_of(ledger, policy).collections
    items = aging(ledger, as_of, basis="due")
    if disputed is None:
        disputed = disputed_of(items, log_disputes(log, as_of))
    net = items.groupby("customer_id")["outstanding_cents"].sum()
    owed = items[
        (items["outstanding_cents"] > 0)
        & (items["kind"] == "invoice")
        & items["customer_id"].isin(net[net > 0].index)
    ]
    amount = owed["outstanding_cents"].to_numpy(dtype=np.int64)
    found = pd.Index(disputed.index, dtype=object).get_indexer(
        owed["document_id"].to_numpy(dtype=object)
    )
    cents = np.append(disputed.to_numpy(dtype=np.int64), 0)  # found = -1 picks the 0
    part = cents[found]
    part = np.minimum(part, amount)
    on_plan = np.zeros(len(owed), dtype=bool)
    if paused is not None and len(paused):
        on_plan = owed["document_id"].isin(pd.Index(paused)).to_numpy()
    chased = (part < amount) & ~on_plan  # something undisputed and not on a plan to chase
    days = owed["days_overdue"].to_numpy(dtype=float)
    late = np.where((days > 0) & chased, amount - part, 0)
    weight = np.minimum(1 + np.maximum(days, 0) / rules.age_month_days, rules.age_weight_cap)
    frame = owed.assign(
        overdue_cents=late.astype(np.int64),
        weighted_cents=late * weight,
        disputed_cents=part.astype(np.int64),
        planned_cents=np.where(on_plan, amount - part, 0).astype(np.int64),
        live_days=np.where(chased, days, np.nan),
        chased=chased,
    )
    g = frame.groupby("customer_id")
    result = g.agg(
        overdue_cents=("overdue_cents", "sum"),
        weighted_cents=("weighted_cents", "sum"),
        disputed_cents=("disputed_cents", "sum"),
        planned_cents=("planned_cents", "sum"),
        chased=("chased", "any"),
        live_days=("live_days", "max"),
        any_days=("days_overdue", "max"),
    )
    oldest = result["live_days"].where(result["chased"], result["any_days"])
    result["oldest_days"] = oldest.astype(np.int64)
    return result[POSITION_COLUMNS]


def risk_of(scores: pd.Series, unscored_risk: float) -> pd.Series:
    """(100 − score) / 100 per customer; ``unscored_risk`` where there is no score."""
    return ((100 - scores) / 100).fillna(unscored_risk)


def chase_ranking(ledger: Ledger, as_of, *, policy=None, log=None) -> pd.DataFrame:
    """Every customer owing at ``as_of`` in the order to chase them, by expected loss avoided
    (module docstring): ``customer_id, name, overdue_cents, disputed_cents, oldest_days,
    score`` (NaN = unscored), ``risk`` and ``priority``. Customers with nothing undisputed to
    chase come last, with priority 0. The contact ``log``'s disputes count as :func:`positions`
    says."""
    pol = rules_of(ledger, policy)
    pos = positions(ledger, as_of, policy=pol, log=log)
    return rank(pos, scores_at(ledger, as_of, policy=pol), ledger, pol.collections.unscored_risk)


def rank(
    pos: pd.DataFrame, scores: pd.Series, ledger: Ledger, unscored_risk: float
) -> pd.DataFrame:
    """The :func:`chase_ranking` frame of :func:`positions` ``pos`` and ``scores`` per id."""
    ids = pos.index.to_series()
    score = scores.reindex(pos.index).astype(float)
    risk = risk_of(score, unscored_risk)
    frame = pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "name": ledger.names(ids) if len(ids) else np.array([], dtype=object),
            "overdue_cents": pos["overdue_cents"].to_numpy(dtype=np.int64),
            "disputed_cents": pos["disputed_cents"].to_numpy(dtype=np.int64),
            "oldest_days": pos["oldest_days"].to_numpy(dtype=np.int64),
            "score": score.to_numpy(),
            "risk": risk.to_numpy(),
            "priority": pos["weighted_cents"].to_numpy(dtype=float) * (1 + risk.to_numpy()),
            "chased": pos["chased"].to_numpy(dtype=bool),
        }
    )
    frame = frame.sort_values(
        ["chased", "priority", "overdue_cents", "customer_id"],
        ascending=[False, False, False, True],
        kind="stable",
    )
    return frame.reset_index(drop=True)[RANKING_COLUMNS]
