"""What a first meeting with a client finds missing in its credit and collection policy, as
facts from its own data (the walkthrough's "where the policy is missing" tells them). Each fact
comes from the review's parts, so it agrees with every other screen."""

from __future__ import annotations

import math
from dataclasses import dataclass

from arbook.collections.contacts import find_log
from arbook.core.config import LateChargePolicy, resolve_policy
from arbook.core.errors import ArbookError
from arbook.workbook.review import Review


@dataclass(frozen=True)
class PolicyFindings:
    """``owing`` customers who owe something; ``no_limit`` of them have no credit limit on file,
    ``over_limit`` owe more than it; ``on_hold`` must not get new credit; ``paid_late_share`` of
    the invoices paid in the experience window were paid late (NaN with none paid);
    ``over_60`` customers owe ``over_60_cents`` more than 60 days past due; ``disputed`` open
    invoices are in dispute (:attr:`Review.disputed`, the one rule: the data's flags and the
    review's contact log); ``unapplied`` customers hold credits or unapplied cash;
    ``contact_log`` is where the contact log is ("" when none has been started);
    ``late_charges`` the agreed penalties (the policy's ``[late_charges]``)."""

    owing: int
    no_limit: int
    over_limit: int
    on_hold: int
    paid_late_share: float
    over_60: int
    over_60_cents: int
    disputed: int
    unapplied: int
    contact_log: str
    late_charges: LateChargePolicy


def _log_of(review: Review) -> str:
    try:
        found = find_log(folder=review.ledger.folder)
    except ArbookError:
        return ""
    return "" if found is None else str(found)


def policy_findings(review: Review) -> PolicyFindings:
    """The :class:`PolicyFindings` of ``review``."""
    items, book = review.items, review.scores
    owed = items["outstanding_cents"] > 0
    owing = book[book["exposure_cents"] > 0]
    limit = owing["credit_limit_cents"]
    behaviour = review.behaviour
    paid = behaviour["invoices_paid"].to_numpy(dtype=float)
    late = (behaviour["share_paid_late"].fillna(0.0).to_numpy() * paid).sum()
    days_late = (review.as_of - items["due_date"]).dt.days
    old = items[owed & (days_late > 60)]
    return PolicyFindings(
        owing=len(owing),
        no_limit=int(limit.isna().sum()),
        over_limit=int((owing["exposure_cents"] > limit).fillna(False).sum()),
        on_hold=len(review.holds),
        paid_late_share=late / paid.sum() if paid.sum() else math.nan,
        over_60=int(old["customer_id"].nunique()),
        over_60_cents=review.totals.over_60_cents,
        disputed=len(review.disputed),
        unapplied=int(items.loc[~owed, "customer_id"].nunique()),
        contact_log=_log_of(review),
        late_charges=resolve_policy(review.ledger.policy).late_charges,
    )
