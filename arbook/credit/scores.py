"""Credit: the payment-history score, credit holds and the periodic limit review (SPEC §5).

The score is a PAYDEX-like 0-100 number (our own mapping, not D&B's algorithm) of a customer's
amount-weighted signed days to due over its payment experiences of the last 12 months (SPEC §3).
Holds and the review apply the ``[credit]`` rules of the policy. Decisions the spec leaves open:

- *Exposure* is the open positive balance (the sum of the aging buckets); credits and unapplied
  cash do not lower it, since they may be refunded or applied elsewhere.
- *Days overdue* for holds follow the policy's aging basis, so "61+ days overdue" matches the
  aging report. Disputed items do not count towards that rule (a dispute is being worked, not a
  refusal to pay; they accrue no late charges either) but do count in the exposure.
- A limit of 0 means no credit: any exposure is over it (utilisation is infinite; 0 when nothing
  is owed). A customer with no limit set is *not vetted*; it is never held for its limit.
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

from arbook.core.config import CreditPolicy, Policy, resolve_policy
from arbook.core.errors import ParameterError
from arbook.core.ledger import EPOCH, Ledger, day_number
from arbook.core.money import format_cents
from arbook.measures.behaviour import experiences
from arbook.measures.metrics import half_up

ANCHOR_DAYS = np.array([-30, -20, 0, 15, 22, 30, 60, 90, 120, 240], dtype=float)
ANCHOR_SCORES = np.array([100, 90, 80, 70, 60, 50, 40, 30, 20, 0], dtype=float)
WINDOW_MONTHS = 12

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
PROMISE_COLUMNS = {"customer_id", "status", "promise_date"}


def paydex(signed_days):
    """The payment-history score of signed days to due: linear between the SPEC §5 anchors
    (-30 -> 100 ... 120 -> 20, 240 -> 0), 100 earlier than -30, 0 later than 240. Returns a float
    for a scalar, an ndarray for an array; NaN (no experience) stays NaN."""
    days = np.asarray(signed_days, dtype=float)
    scores = np.where(np.isnan(days), np.nan, np.interp(days, ANCHOR_DAYS, ANCHOR_SCORES))
    return float(scores) if scores.ndim == 0 else scores


def _policy(ledger: Ledger, policy) -> Policy:
    return resolve_policy(policy if policy not in (None, "") else ledger.policy)


def _months_before(as_of, months: int) -> str:
    """``as_of`` moved back ``months`` calendar months (day clamped to the month), as ISO text."""
    date = pd.Timestamp(EPOCH + np.timedelta64(day_number(as_of), "D"))
    return (date - pd.DateOffset(months=months)).strftime("%Y-%m-%d")


def _scores(ledger: Ledger, as_of) -> pd.DataFrame:
    """Per customer with an experience at ``as_of``: ``score, invoices, share_late, disputes``."""
    exp = experiences(ledger, as_of, window_months=WINDOW_MONTHS)
    late = exp["paid_day"] - exp["due_day"]
    weight = exp["amount_cents"].astype(float)
    g = exp.assign(signed_w=weight * late, w=weight, late=(late > 0).astype(float)).groupby(
        "customer_id", sort=True
    )
    signed = g["signed_w"].sum() / g["w"].sum()
    return pd.DataFrame(
        {
            "score": pd.Series(paydex(signed.to_numpy()), index=signed.index, dtype=float),
            "invoices": g.size(),
            "share_late": g["late"].mean(),
            "disputes": g["disputed"].sum(),
        }
    )


def _exposure(ledger: Ledger, day: int) -> pd.Series:
    """Open positive balance per customer id at ``day`` (customers owing nothing are absent)."""
    outstanding = ledger.balances(day).outstanding
    owing = outstanding > 0
    ids = ledger.invoices["customer_id"].to_numpy()[owing]
    return pd.Series(outstanding[owing], index=ids).groupby(level=0).sum()


def _oldest_overdue(ledger: Ledger, day: int, basis: str) -> pd.Series:
    """Per customer id with an undisputed positive open item: its oldest days overdue, 0 when
    none is overdue."""
    outstanding = ledger.balances(day).outstanding
    a = ledger.arrays
    counted = (outstanding > 0) & ~ledger.invoices["disputed"].to_numpy(dtype=bool)
    days = day - (a.due_day if basis == "due" else a.inv_day)
    ids = ledger.invoices["customer_id"].to_numpy()[counted]
    return pd.Series(np.maximum(days[counted], 0), index=ids).groupby(level=0).max()


def _utilisation(exposure: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """exposure / limit; NaN without a limit; a zero limit is infinitely used (0 if unused)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = exposure / limit
    return np.where(limit == 0, np.where(exposure > 0, np.inf, 0.0), ratio)


def _book(ledger: Ledger, as_of) -> pd.DataFrame:
    """Every customer of the ledger, indexed by id: ``name, exposure_cents, credit_limit_cents,
    utilisation``, in the customers' order."""
    customers = ledger.customers
    ids = customers["customer_id"]
    exposure = _exposure(ledger, day_number(as_of)).reindex(ids, fill_value=0).astype(np.int64)
    limit = pd.array(customers["credit_limit_cents"], dtype="Int64")
    return pd.DataFrame(
        {
            "name": ledger.names(ids),
            "exposure_cents": exposure.to_numpy(),
            "credit_limit_cents": limit,
            "utilisation": _utilisation(
                exposure.to_numpy(dtype=float), limit.to_numpy(dtype=float, na_value=np.nan)
            ),
        },
        index=pd.Index(ids.to_numpy(), name="customer_id"),
    )


def payment_scores(ledger: Ledger, as_of, *, policy=None) -> pd.DataFrame:
    """One row per customer of the ledger with ``customer_id, name, score`` (0-100 from its
    experiences of the 12 months to ``as_of``; NaN = unscored), ``score_3m, score_12m`` (the
    same as of 3 and 12 months earlier), ``trend_3m, trend_12m`` (score minus those),
    ``invoices`` (experiences), ``share_late`` (of experiences paid or still open past due),
    ``disputes`` (disputed experiences), ``exposure_cents`` (open positive balance),
    ``credit_limit_cents`` (NA = none set) and ``utilisation`` (exposure / limit, NaN without a
    limit). Lowest score first, unscored last, then by customer id. ``policy`` is accepted for a
    uniform signature; the score itself has no policy settings."""
    _policy(ledger, policy)
    frame = _book(ledger, as_of).join(_scores(ledger, as_of))
    for months in (3, 12):
        earlier = _scores(ledger, _months_before(as_of, months))["score"]
        frame[f"score_{months}m"] = earlier.reindex(frame.index).astype(float)
        frame[f"trend_{months}m"] = frame["score"] - frame[f"score_{months}m"]
    frame[["invoices", "disputes"]] = frame[["invoices", "disputes"]].fillna(0).astype(np.int64)
    frame = frame.astype({"score": float, "share_late": float}).reset_index()
    frame = frame.sort_values(["score", "customer_id"], na_position="last", kind="stable")
    return frame.reset_index(drop=True)[SCORE_COLUMNS]


def _standing(ledger: Ledger, as_of, policy: Policy) -> pd.DataFrame:
    """:func:`_book` plus the current ``score`` and ``oldest_days_overdue`` (0 = none)."""
    frame = _book(ledger, as_of).join(_scores(ledger, as_of)["score"])
    oldest = _oldest_overdue(ledger, day_number(as_of), policy.aging.basis)
    frame["oldest_days_overdue"] = oldest.reindex(frame.index, fill_value=0).astype(np.int64)
    frame["score"] = frame["score"].astype(float)
    return frame


def _broken_promises(ledger: Ledger, as_of, log, rules: CreditPolicy) -> pd.Series:
    """Broken promises per customer id dated in the ``promise_window_days`` to ``as_of``; empty
    when there is no contact log."""
    if log is None:
        return pd.Series(dtype=np.int64)
    promises = log.promises(ledger, as_of)
    missing = PROMISE_COLUMNS - set(promises.columns)
    if missing:
        raise ParameterError(
            f"the contact log's promises lack {sorted(missing)}; "
            f"they need {sorted(PROMISE_COLUMNS)}"
        )
    day = day_number(as_of)
    dates = pd.to_datetime(promises["promise_date"]).to_numpy().astype("datetime64[D]")
    days = (dates - EPOCH).astype(np.int64)
    broken = promises["status"].astype("str").str.lower().to_numpy() == "broken"
    counted = broken & (days > day - rules.promise_window_days) & (days <= day)
    return promises.loc[counted, "customer_id"].value_counts()


def _score_text(score: float, below: float | None = None) -> str:
    """A score for reasons text to one decimal; cut rather than rounded when rounding would
    reach the threshold ``below`` it is said to be under (39.96 reads 39.9, not 40)."""
    shown = round(score, 1)
    if below is not None and shown >= below:
        shown = np.floor(score * 10) / 10
    return f"{shown:g}"


def _hold_reasons(row, rules: CreditPolicy, broken: int) -> list[str]:
    reasons = []
    limit = row.credit_limit_cents
    if rules.hold_over_limit and not pd.isna(limit) and row.exposure_cents > limit:
        reasons.append(f"over its limit by {format_cents(row.exposure_cents - limit)}")
    if row.oldest_days_overdue >= rules.hold_days_overdue:
        reasons.append(
            f"{rules.hold_days_overdue}+ days overdue (oldest {row.oldest_days_overdue} days)"
        )
    if row.score < rules.score_floor:  # an unscored customer (NaN) is never below the floor
        reasons.append(
            f"score {_score_text(row.score, rules.score_floor)} below the floor "
            f"{rules.score_floor:g}"
        )
    if broken >= rules.broken_promises:
        reasons.append(f"{broken} broken promises in {rules.promise_window_days} days")
    return reasons


def _holds(standing: pd.DataFrame, rules: CreditPolicy, broken: pd.Series) -> pd.Series:
    """Reasons text per customer id on hold."""
    reasons = {
        row.Index: "; ".join(found)
        for row in standing.itertuples()
        if (found := _hold_reasons(row, rules, int(broken.get(row.Index, 0))))
    }
    return pd.Series(reasons, dtype="str")


def credit_holds(ledger: Ledger, as_of, *, policy=None, log=None) -> pd.DataFrame:
    """Customers that must not get new credit at ``as_of``: ``customer_id, name, reasons`` (every
    rule that fired, joined with "; "), ``exposure_cents, credit_limit_cents,
    oldest_days_overdue`` (of undisputed open items, by the aging basis; 0 = none overdue) and
    ``score``. Rules (``policy.credit``): exposure over the limit (``hold_over_limit``), an
    undisputed item ``hold_days_overdue`` days overdue or more, a score below ``score_floor``
    (at the floor is fine; unscored never fires), ``broken_promises`` broken promises in
    ``promise_window_days``. ``log`` is the contact log (an object whose ``promises(ledger,
    as_of)`` returns ``customer_id, status, promise_date``; status "broken" counts); when it is
    None the broken-promise rule is skipped. Largest exposure first."""
    pol = _policy(ledger, policy)
    standing = _standing(ledger, as_of, pol)
    reasons = _holds(standing, pol.credit, _broken_promises(ledger, as_of, log, pol.credit))
    frame = standing.loc[reasons.index].assign(reasons=reasons).rename_axis("customer_id")
    frame = frame.reset_index().sort_values(
        ["exposure_cents", "customer_id"], ascending=[False, True], kind="stable"
    )
    return frame.reset_index(drop=True)[HOLD_COLUMNS]


def not_vetted(ledger: Ledger, as_of) -> pd.DataFrame:
    """Customers with an open positive balance at ``as_of`` and no credit limit set:
    ``customer_id, name, exposure_cents``, largest exposure first."""
    book = _book(ledger, as_of)
    frame = book[(book["exposure_cents"] > 0) & book["credit_limit_cents"].isna()].reset_index()
    frame = frame.sort_values(
        ["exposure_cents", "customer_id"], ascending=[False, True], kind="stable"
    )
    return frame.reset_index(drop=True)[NOT_VETTED_COLUMNS]


def _peak_exposure(ledger: Ledger, as_of, months: int) -> pd.Series:
    """Highest open positive balance per customer id over ``as_of`` and the last ``months``
    month ends up to it (as of 2026-10-31 and 12: 2025-11-30 ... 2026-10-31)."""
    ends = pd.date_range(end=pd.Timestamp(_months_before(as_of, 0)), periods=months, freq="ME")
    days = {day_number(as_of)} | {day_number(d) for d in ends}
    peaks = pd.concat([_exposure(ledger, day) for day in sorted(days)])
    return peaks.groupby(level=0).max()


def _round_limit(cents: Decimal, unit: int) -> int:
    """``cents`` rounded half-up to a multiple of ``unit`` cents."""
    return half_up(cents / unit) * unit


def _share(value: float) -> str:
    return f"{value:.0%}" if np.isfinite(value) else "all"


def _new_limit(row, rules: CreditPolicy, held: str | None, peak: int) -> tuple[int, str]:
    """Suggested limit for a customer with none set, and why (see the module docstring)."""
    score = row.score
    if score < rules.cut_score:
        factor = 1 - Decimal(str(rules.cut_step))
        why = f"score {_score_text(score, rules.cut_score)}"
    elif score >= rules.raise_score and not held:
        factor, why = 1 + Decimal(str(rules.raise_step)), f"score {_score_text(score)}"
    else:
        factor = Decimal(1)
        why = "unscored" if np.isnan(score) else f"score {_score_text(score)}"
        why += ", on hold" if held else ""
    unit = rules.limit_unit_cents
    suggested = max(unit, _round_limit(Decimal(int(peak)) * factor, unit))
    return suggested, (
        f"no limit set: peak balance {format_cents(peak)} over {rules.peak_months} "
        f"months x {factor:g} ({why})"
    )


def _review_row(row, rules: CreditPolicy, held: str | None) -> tuple[int, str]:
    """Suggested limit for a customer with a limit, and why."""
    limit, score, used = int(row.credit_limit_cents), row.score, row.utilisation
    scored = f"score {_score_text(score)}"
    good = score >= rules.raise_score and used >= rules.raise_utilisation
    if score < rules.cut_score:
        step = Decimal(str(rules.cut_step))
        return (
            _round_limit(limit * (1 - step), rules.limit_unit_cents),
            f"score {_score_text(score, rules.cut_score)} below {rules.cut_score:g}: "
            f"cut by {step:.0%}",
        )
    if good and held:
        return limit, f"{scored} and {_share(used)} used, but on hold ({held}): not raised"
    if good:
        step = Decimal(str(rules.raise_step))
        return (
            _round_limit(limit * (1 + step), rules.limit_unit_cents),
            f"{scored} and {_share(used)} of the limit used: raise by {step:.0%}",
        )
    if np.isnan(score):
        return limit, "unscored (no payment experience in 12 months): no change"
    return limit, (
        f"score {_score_text(score, rules.raise_score)}, {_share(used)} of the limit "
        "used: no change"
    )


def credit_review(ledger: Ledger, as_of, *, policy=None, log=None) -> pd.DataFrame:
    """The periodic limit review at ``as_of``: every customer with a limit or an open balance,
    with ``customer_id, name, score, exposure_cents, credit_limit_cents`` (NA = none set),
    ``suggested_limit_cents``, ``change_cents`` (suggested minus the limit, counted from 0 when
    none is set) and ``reasons``. A good payer (score >= raise_score) using at least
    raise_utilisation of its limit is raised by raise_step unless on hold (:func:`credit_holds`,
    with ``log`` if given); a poor one (score < cut_score) is cut by cut_step; others keep
    theirs. Customers without a limit get one from their peak balance (module docstring).
    Limits are rounded half-up to ``limit_unit``. Ordered by customer id."""
    pol = _policy(ledger, policy)
    rules = pol.credit
    standing = _standing(ledger, as_of, pol)
    held = _holds(standing, rules, _broken_promises(ledger, as_of, log, rules))
    rows = standing[standing["credit_limit_cents"].notna() | (standing["exposure_cents"] > 0)]
    peak = _peak_exposure(ledger, as_of, rules.peak_months)
    suggested, reasons = [], []
    for row in rows.itertuples():
        hold = held.get(row.Index)
        if pd.isna(row.credit_limit_cents):
            limit, why = _new_limit(row, rules, hold, int(peak.get(row.Index, 0)))
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
