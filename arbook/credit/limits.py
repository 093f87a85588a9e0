"""The periodic credit-limit review (SPEC §5): raise a good payer who uses most of its limit,
cut a poor one, and suggest a limit for customers owing with none. Decisions the spec leaves
open:

- A customer without a limit gets a suggested one: its peak open balance over the last
  ``peak_months`` month ends up to the as-of date (and that date), times 1 + raise_step for a
  good payer not on hold, 1 - cut_step for a poor one, 1 otherwise or unscored; at least one
  ``limit_unit``.
- Suggested limits are rounded half-up to the policy's ``limit_unit`` (100.00 by default).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from arbook.core.config import CreditPolicy
from arbook.core.dates import date_text, day_number, day_stamp, format_count
from arbook.core.i18n import _, ngettext
from arbook.core.ledger import Ledger
from arbook.core.money import format_cents, half_up
from arbook.core.numbers import percent_text, short_number
from arbook.core.procedure import resolve_ladder
from arbook.credit.holds import broken_promises, hold_reasons
from arbook.credit.scores import exposure, rules_of, score_text, standing

REVIEW_COLUMNS = [
    "customer_id",
    "name",
    "score",
    "exposure_cents",
    "credit_limit_cents",
    "suggested_limit_cents",
    "change_cents",
    "reasons",
]


def _peak_exposure(ledger: Ledger, as_of, months: int) -> pd.Series:
    """Highest open positive balance per customer id over ``as_of`` and the last ``months``
    month ends up to it (as of 2026-10-31 and 12: 2025-11-30 ... 2026-10-31); on a ledger of
    open items only, the balance at ``as_of`` alone (earlier balances are not known)."""
    ends = pd.date_range(end=day_stamp(as_of), periods=months, freq="ME")
    days = {day_number(as_of)}
    if not ledger.open_items_only:
        days |= {day_number(d) for d in ends}
    peaks = pd.concat([exposure(ledger, day) for day in sorted(days)])
    return peaks.groupby(level=0).max()


def _round_limit(cents: Decimal, unit: int) -> int:
    """``cents`` rounded half-up to a multiple of ``unit`` cents."""
    return half_up(cents / unit) * unit


def _share(value: float) -> str:
    return percent_text(value) if np.isfinite(value) else _("all")


def _scored(score: float, below: float | None = None) -> str:
    """``score 80`` (``unscored`` for NaN), in the language spoken."""
    if np.isnan(score):
        return _("unscored")
    return _("score {score}").format(score=score_text(score, below))


def _new_limit(
    row, rules: CreditPolicy, held: str | None, peak: int, span: str = ""
) -> tuple[int, str]:
    """Suggested limit for a customer with none set, and why (see the module docstring);
    ``span`` says what the peak is over (blank: the policy's months)."""
    score = row.score
    if score < rules.cut_score:
        factor = 1 - Decimal(str(rules.cut_step))
        why = _scored(score, rules.cut_score)
    elif score >= rules.raise_score and not held:
        factor, why = 1 + Decimal(str(rules.raise_step)), _scored(score)
    else:
        factor = Decimal(1)
        why = _("{score}, on hold").format(score=_scored(score)) if held else _scored(score)
    unit = rules.limit_unit_cents
    suggested = max(unit, _round_limit(Decimal(int(peak)) * factor, unit))
    months = rules.peak_months
    span = span or ngettext("over {count} month", "over {count} months", months).format(
        count=format_count(months)
    )
    return suggested, _("no limit set: peak balance {peak} {span} x {factor} ({why})").format(
        peak=format_cents(peak), span=span, factor=short_number(factor), why=why
    )


def _review_row(row, rules: CreditPolicy, held: str | None) -> tuple[int, str]:
    """Suggested limit for a customer with a limit, and why."""
    limit, score, used = int(row.credit_limit_cents), row.score, row.utilisation
    good = score >= rules.raise_score and used >= rules.raise_utilisation
    if score < rules.cut_score:
        step = Decimal(str(rules.cut_step))
        return (
            _round_limit(limit * (1 - step), rules.limit_unit_cents),
            _("score {score} below {cut}: cut by {step}").format(
                score=score_text(score, rules.cut_score),
                cut=short_number(rules.cut_score),
                step=percent_text(step),
            ),
        )
    if good and held:
        return limit, _("{score} and {used} used, but on hold ({held}): not raised").format(
            score=_scored(score), used=_share(used), held=held
        )
    if good:
        step = Decimal(str(rules.raise_step))
        return (
            _round_limit(limit * (1 + step), rules.limit_unit_cents),
            _("{score} and {used} of the limit used: raise by {step}").format(
                score=_scored(score), used=_share(used), step=percent_text(step)
            ),
        )
    if np.isnan(score):
        return limit, _("unscored (no payment experience to judge by): no change")
    return limit, _("score {score}, {used} of the limit used: no change").format(
        score=score_text(score, rules.raise_score), used=_share(used)
    )


def credit_review(ledger: Ledger, as_of, *, policy=None, log=None, ladder=None) -> pd.DataFrame:
    """The periodic limit review at ``as_of``: every customer with a limit or an open balance,
    with ``customer_id, name, score, exposure_cents, credit_limit_cents`` (NA = none set),
    ``suggested_limit_cents``, ``change_cents`` (suggested minus the limit, counted from 0 when none
    is set) and ``reasons``. A good payer (score >= raise_score) using at least raise_utilisation of
    its limit is raised by raise_step unless on hold (:func:`~arbook.credit.holds.credit_holds`,
    with ``log`` and ``ladder`` if given); a poor one (score < cut_score) is cut by cut_step; others
    keep theirs. Customers without a limit get one from their peak balance (module docstring).
    Limits are rounded half-up to ``limit_unit``. Ordered by customer id."""
    pol = rules_of(ledger, policy)
    rules = pol.credit
    frame = standing(ledger, as_of, pol)
    steps = resolve_ladder(ladder, folder=ledger.folder)
    held = hold_reasons(frame, rules, steps, broken_promises(ledger, as_of, log, rules))
    rows = frame[frame["credit_limit_cents"].notna() | (frame["exposure_cents"] > 0)]
    peak = _peak_exposure(ledger, as_of, rules.peak_months)
    # an aging report: the balance at its date only (the months before it are not known)
    span = (
        _("on {date}, the report's date (no earlier balance is known)").format(
            date=date_text(as_of)
        )
        if ledger.open_items_only
        else ""
    )
    suggested, reasons = [], []
    for row in rows.itertuples():
        hold = held.get(row.Index)
        if pd.isna(row.credit_limit_cents):
            limit, why = _new_limit(row, rules, hold, int(peak.get(row.Index, 0)), span)
        else:
            limit, why = _review_row(row, rules, hold)
        suggested.append(limit)
        reasons.append(why)
    frame = (
        rows.rename_axis("customer_id")
        .reset_index()
        .assign(suggested_limit_cents=np.array(suggested, dtype=np.int64), reasons=reasons)
    )
    frame["change_cents"] = frame["suggested_limit_cents"] - frame["credit_limit_cents"].fillna(
        0
    ).astype(np.int64)
    frame = frame.sort_values("customer_id", kind="stable")
    return frame.reset_index(drop=True)[REVIEW_COLUMNS]
