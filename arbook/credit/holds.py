"""Credit holds (SPEC §5): the customers that must not get new credit, each with every reason,
and the customers owing money with no credit limit (not vetted).

A customer is on hold when any rule fires: exposure over its credit limit (``[credit]
hold_over_limit``); anything overdue from the ladder's credit-hold step on (the step with
``credit_hold = true``, +30 days in the shipped ladder: the step whose letter and script tell the
customer the account is on hold, so the hold list and what the customer was told agree; the
client's ``ladder.toml`` in its data folder when it has one); a payment score below
``score_floor``; ``broken_promises`` broken promises in ``promise_window_days`` (needs the contact
log). Disputed items do not count towards days overdue (a dispute is being worked, not a refusal
to pay) but do count in the exposure; with the contact log, its disputes count as the imported
flags do (:func:`~arbook.measures.disputes.disputed_cents`: one definition). A customer with no
limit set is never held for its limit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.core.config import CreditPolicy
from arbook.core.dates import EPOCH, day_number, format_count
from arbook.core.errors import ParameterError
from arbook.core.i18n import _, ngettext
from arbook.core.ledger import Ledger
from arbook.core.money import format_cents
from arbook.core.numbers import short_number
from arbook.core.procedure import Ladder, Step, resolve_ladder
from arbook.credit.scores import book, rules_of, score_text, standing
from arbook.measures.disputes import disputed_cents

HOLD_COLUMNS = [
    "customer_id",
    "name",
    "reasons",
    "exposure_cents",
    "credit_limit_cents",
    "oldest_days_overdue",
    "score",
]
NOT_VETTED_COLUMNS = ["customer_id", "name", "exposure_cents"]
PROMISE_COLUMNS = {"customer_id", "status", "promise_date"}


def broken_promises(ledger: Ledger, as_of, log, rules: CreditPolicy) -> pd.Series:
    """Broken promises per customer id dated in the ``promise_window_days`` to ``as_of``; empty
    when there is no contact log."""
    if log is None:
        return pd.Series(dtype=np.int64)
    promises = log.promises(ledger, as_of)
    missing = PROMISE_COLUMNS - set(promises.columns)
    if missing:
        raise ParameterError(
            _("the contact log's promises lack {missing}; they need {needed}").format(
                missing=sorted(missing), needed=sorted(PROMISE_COLUMNS)
            )
        )
    day = day_number(as_of)
    dates = pd.to_datetime(promises["promise_date"]).to_numpy().astype("datetime64[D]")
    days = (dates - EPOCH).astype(np.int64)
    broken = promises["status"].astype("str").str.lower().to_numpy() == "broken"
    counted = broken & (days > day - rules.promise_window_days) & (days <= day)
    return promises.loc[counted, "customer_id"].value_counts()


def _hold_reasons(row, rules: CreditPolicy, hold_step: Step | None, broken: int) -> list[str]:
    """The reasons ``row`` is on hold, each a sentence in the language spoken."""
    reasons = []
    limit = row.credit_limit_cents
    if rules.hold_over_limit and not pd.isna(limit) and row.exposure_cents > limit:
        reasons.append(
            _("over its limit by {amount}").format(amount=format_cents(row.exposure_cents - limit))
        )
    if hold_step is not None and row.oldest_days_overdue >= max(hold_step.days, 1):
        reasons.append(
            ngettext(
                "{days}+ days overdue (oldest {oldest} day), where the ladder puts the account "
                "on hold ({step})",
                "{days}+ days overdue (oldest {oldest} days), where the ladder puts the account "
                "on hold ({step})",
                int(row.oldest_days_overdue),
            ).format(
                days=format_count(max(hold_step.days, 1)),
                oldest=format_count(int(row.oldest_days_overdue)),
                step=_(hold_step.action) if hold_step.action else "",  # the ladder's own words
            )
        )
    if row.score < rules.score_floor:  # an unscored customer (NaN) is never below the floor
        reasons.append(
            _("score {score} below the floor {floor}").format(
                score=score_text(row.score, rules.score_floor),
                floor=short_number(rules.score_floor),
            )
        )
    if broken >= rules.broken_promises:
        reasons.append(
            ngettext(
                "{count} broken promise in {days} days",
                "{count} broken promises in {days} days",
                broken,
            ).format(count=format_count(broken), days=format_count(rules.promise_window_days))
        )
    return reasons


def hold_reasons(
    frame: pd.DataFrame, rules: CreditPolicy, ladder: Ladder, broken: pd.Series
) -> pd.Series:
    """Reasons text per customer id on hold, from a :func:`~arbook.credit.scores.standing`
    frame."""
    step = ladder.hold_step
    reasons = {
        row.Index: "; ".join(found)
        for row in frame.itertuples()
        if (found := _hold_reasons(row, rules, step, int(broken.get(row.Index, 0))))
    }
    return pd.Series(reasons, dtype="str")


def credit_holds(ledger: Ledger, as_of, *, policy=None, log=None, ladder=None) -> pd.DataFrame:
    """Customers that must not get new credit at ``as_of``: ``customer_id, name, reasons`` (every
    rule that fired, joined with "; "), ``exposure_cents, credit_limit_cents,
    oldest_days_overdue`` (of undisputed open items, days past due; 0 = none overdue) and
    ``score``; the rules are in the module docstring. ``log`` is the contact log (an object
    whose ``promises(ledger, as_of)`` returns ``customer_id, status, promise_date``; status
    "broken" counts); without it the broken-promise rule is skipped. ``ladder`` the ladder
    (default: the client's, else the shipped one). Largest exposure first."""
    pol = rules_of(ledger, policy)
    disputed = disputed_cents(ledger, as_of, log) if log is not None else None
    frame = standing(ledger, as_of, pol, disputed)
    steps = resolve_ladder(ladder, folder=ledger.folder)
    reasons = hold_reasons(
        frame, pol.credit, steps, broken_promises(ledger, as_of, log, pol.credit)
    )
    frame = frame.loc[reasons.index].assign(reasons=reasons).rename_axis("customer_id")
    frame = frame.reset_index().sort_values(
        ["exposure_cents", "customer_id"], ascending=[False, True], kind="stable"
    )
    return frame.reset_index(drop=True)[HOLD_COLUMNS]


def hold_changes(now: pd.DataFrame, before: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(put on, lifted)``: the rows of ``now`` (a :func:`credit_holds` frame) not on hold in
    ``before`` (the same at an earlier date), and the rows of ``before`` no longer on hold."""
    added = now[~now["customer_id"].isin(before["customer_id"])].reset_index(drop=True)
    lifted = before[~before["customer_id"].isin(now["customer_id"])].reset_index(drop=True)
    return added, lifted


def not_vetted(ledger: Ledger, as_of) -> pd.DataFrame:
    """Customers with an open positive balance at ``as_of`` and no credit limit set:
    ``customer_id, name, exposure_cents``, largest exposure first."""
    frame = book(ledger, as_of)
    frame = frame[(frame["exposure_cents"] > 0) & frame["credit_limit_cents"].isna()].reset_index()
    frame = frame.sort_values(
        ["exposure_cents", "customer_id"], ascending=[False, True], kind="stable"
    )
    return frame.reset_index(drop=True)[NOT_VETTED_COLUMNS]
