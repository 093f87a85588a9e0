"""Receivables metrics (SPEC §3–4): DSO in its forms, CEI, aging shares, turnover, roll rates
and the allowance for doubtful accounts.

Money stays int64 cents; ratios are floats; anything undefined (no sales, no balance, not enough
history) is NaN, never 0. The bucket columns follow the aging basis; what is *current* (not yet
due) and how many days an amount is *overdue* always count from the due date, whatever the
basis, so % current, best possible DSO, ADD, CEI and the shares over 60/90/120 days mean the
same under either basis. Every function takes ``policy=None`` (the ledger's own policy);
``basis=`` and ``edges=`` given explicitly override it (``edges="months"``: calendar months).

A ledger of open items only (an aging report) has no history: DSO, CEI, sales, turnover, roll
rates and the roll-rate allowance are NaN / NA there, and only the month end that is the
report's date has an aging (:mod:`arbook.measures.history`).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from arbook.core.config import resolve_policy
from arbook.core.dates import day_number, month_end_day, parse_month
from arbook.core.errors import ParameterError
from arbook.core.i18n import _, ngettext
from arbook.core.ledger import Ledger
from arbook.core.money import half_up
from arbook.measures import sweep
from arbook.measures.aging import (
    OVER_DAYS,
    aging_settings,
    bucket_codes,
    bucket_labels,
    engine_source,
    receivable_totals,
)
from arbook.measures.history import check_as_of, dated


def _owed(ledger: Ledger, day: int, basis: str, edges) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per document at ``day``: outstanding, days past due, bucket code by ``basis`` (-1 where
    nothing is owed)."""
    bal = ledger.balances(day)
    a = ledger.arrays
    late = day - a.due_day
    days = late if basis == "due" else day - a.inv_day
    code = np.where(bal.outstanding > 0, bucket_codes(days, edges, day), -1)
    return bal.outstanding, late, code


def _state(ledger: Ledger, day: int, basis: str, edges) -> dict:
    """The receivable at ``day``: its :class:`~arbook.measures.aging.Totals` (``ar`` the total
    receivable, ``not_due``, ``unapplied``, ``over_60/90/120``) and the balance per bucket."""
    bal = ledger.balances(day)
    a = ledger.arrays
    days = day - (a.due_day if basis == "due" else a.inv_day)
    owed = bal.outstanding > 0
    buckets = np.zeros(len(bucket_labels(edges)), dtype=np.int64)
    np.add.at(buckets, bucket_codes(days[owed], edges, day), bal.outstanding[owed])
    t = receivable_totals(ledger, day, balances=bal)
    state = {
        "ar": t.receivable_cents,
        "buckets": buckets,
        "not_due": t.not_due_cents,
        "unapplied": t.unapplied_cents,
    }
    return state | {f"over_{n}": getattr(t, f"over_{n}_cents") for n in OVER_DAYS}


def _empty_state(labels: list[str]) -> dict:
    state = {"ar": 0, "buckets": np.zeros(len(labels), np.int64), "not_due": 0, "unapplied": 0}
    return state | {f"over_{n}": 0 for n in OVER_DAYS}


def _monthly_sales(ledger: Ledger) -> pd.Series:
    """Credit sales (credit notes netted) per calendar month, int cents, indexed by Period."""
    inv = ledger.invoices
    if not len(inv):
        return pd.Series(dtype=np.int64)
    months = inv["invoice_date"].dt.to_period("M")
    return inv.groupby(months)["amount_cents"].sum().astype(np.int64)


def _ratio(numerator, denominator) -> float:
    return float(numerator) / float(denominator) if denominator > 0 else float("nan")


def countback_dso(ar: int, month: pd.Period, sales: pd.Series, first: pd.Period) -> float:
    """Count-back DSO: walk back month by month eating AR with each month's sales (SPEC §3)."""
    if ar <= 0:
        return 0.0 if ar == 0 else float("nan")
    days, left, period = 0.0, ar, month
    while period >= first:
        month_sales = int(sales.get(period, 0))
        if 0 < month_sales >= left:
            return days + period.days_in_month * left / month_sales
        left -= max(month_sales, 0)
        days += period.days_in_month
        period -= 1
    return float("nan")


def _after(start: object, end: object) -> str:
    """The message for a first month after the last (the command's flags)."""
    said = _("{start_flag} {start} is after {end_flag} {end}")
    return said.format(start_flag="--from", start=start, end_flag="--to", end=end)


def monthly_metrics(
    ledger: Ledger, start, end, *, policy=None, basis=None, edges=None, engine=None
):
    """One row per calendar month from ``start`` to ``end`` ("YYYY-MM"), as of each month end:
    ``month, as_of, sales_cents, ar_begin_cents, ar_end_cents``, a cents column per bucket
    (``current_cents`` the first), ``not_due_cents`` and ``overdue_cents`` (owed and not yet /
    already past its due date: under the due basis ``not_due_cents`` is the current bucket),
    ``unapplied_cents`` (credits and unapplied cash: net receivable = ar_end + unapplied),
    ``dso, dso_3m, dso_countback, best_possible_dso, add, cei, pct_current, pct_over_60,
    pct_over_90, pct_over_120, ar_turnover, days_sales_in_receivables`` (SPEC §3; "current" in
    the ratios is what is not yet due).

    ``engine``: "duckdb" or "spark" compute the month-end balances there, every month end in one
    query (see :mod:`arbook.engines`); ``ledger`` may then be an :func:`arbook.engines.source`."""
    basis, edges = aging_settings(ledger, policy, basis, edges)
    first_month, last_month = parse_month(start), parse_month(end)
    if last_month < first_month:
        raise ParameterError(_after(start, end))
    src = engine_source(ledger, engine)
    if src is not None:
        return _engine_metrics(src, first_month, last_month, basis, edges)
    if ledger.open_items_only:
        return _without_history(ledger, first_month, last_month, basis, edges)
    labels = bucket_labels(edges)
    sales = _monthly_sales(ledger)
    data_first = sales.index.min() if len(sales) else first_month
    states: dict[pd.Period, dict] = {}

    def state(period):
        if period not in states:
            states[period] = (
                _state(ledger, month_end_day(period), basis, edges)
                if period >= data_first
                else _empty_state(labels)
            )
        return states[period]

    periods = pd.period_range(first_month, last_month, freq="M")
    # every month end a row reads (its own, the one before, a year back for the turnover),
    # in one pass over the ledger (arbook.measures.sweep) instead of one per month end
    needed = sorted(
        {p - k for p in periods for k in range(13 if p - 11 >= data_first else 2)}
        & set(pd.period_range(data_first, last_month, freq="M"))
    )
    days = [month_end_day(p) for p in needed]
    states.update(zip(needed, sweep.states(ledger, days, basis, edges)))
    rows = [_month_row(period, state, sales, data_first, labels) for period in periods]
    return pd.DataFrame(rows)


def _engine_metrics(src, first_month, last_month, basis, edges) -> pd.DataFrame:
    """:func:`monthly_metrics` with the month-end states and the sales computed in ``src``'s
    engine (one query for every month end needed); the ratios from them as in memory."""
    from arbook.engines import results

    if src.ledger is not None and src.ledger.open_items_only:
        raise ParameterError(
            _("a ledger of open items only has no history for an engine to measure; use no engine")
        )
    labels = bucket_labels(edges)
    sales = results.sales(src)
    data_first = sales.index.min() if len(sales) else first_month
    periods = [
        p for p in pd.period_range(first_month - 12, last_month, freq="M") if p >= data_first
    ]
    found = results.states(src, periods, basis, edges)

    def state(period):
        return found.get(month_end_day(period)) or _empty_state(labels)

    rows = [
        _month_row(period, state, sales, data_first, labels)
        for period in pd.period_range(first_month, last_month, freq="M")
    ]
    return pd.DataFrame(rows)


#: The monthly figures computed from the history: n/a on a ledger of open items only, whatever
#: the month (see :mod:`arbook.measures.history`).
HISTORY_COLUMNS = (
    "sales_cents",
    "ar_begin_cents",
    "dso",
    "dso_3m",
    "dso_countback",
    "best_possible_dso",
    "add",
    "cei",
    "ar_turnover",
    "days_sales_in_receivables",
)


def _without_history(ledger: Ledger, first_month, last_month, basis, edges) -> pd.DataFrame:
    """:func:`monthly_metrics` of a ledger of open items only: the aging figures (AR, buckets,
    not due, overdue, unapplied, the shares) at the month end that is the report's date, NA in
    every other month; the figures of :data:`HISTORY_COLUMNS` NA / NaN in every month. Money
    columns are ``Int64`` so that NA is not a zero."""
    labels = bucket_labels(edges)
    periods = pd.period_range(first_month, last_month, freq="M")
    known = np.array([dated(ledger, month_end_day(p)) for p in periods], dtype=bool)

    def state(period):
        day = month_end_day(period)
        return _state(ledger, day, basis, edges) if dated(ledger, day) else _empty_state(labels)

    sales = pd.Series(dtype=np.int64)
    frame = pd.DataFrame([_month_row(p, state, sales, first_month, labels) for p in periods])
    money = [c for c in frame.columns if c.endswith("_cents")]
    frame = frame.astype(dict.fromkeys(money, "Int64"))
    ratios = [c for c in frame.columns if c not in money and c not in ("month", "as_of")]
    frame[[c for c in HISTORY_COLUMNS if c in money]] = pd.NA
    frame[[c for c in HISTORY_COLUMNS if c in ratios]] = np.nan
    frame.loc[~known, money] = pd.NA
    frame.loc[~known, ratios] = np.nan
    return frame.astype(dict.fromkeys(money, "Int64") | dict.fromkeys(ratios, float))


def _month_row(period, state, sales, data_first, labels) -> dict:
    now, before = state(period), state(period - 1)
    s = int(sales.get(period, 0))
    ar, current, days = now["ar"], now["not_due"], period.days_in_month
    row = {
        "month": str(period),
        "as_of": period.end_time.normalize(),
        "sales_cents": s,
        "ar_begin_cents": before["ar"],
        "ar_end_cents": ar,
    }
    row.update({f"{label}_cents": int(v) for label, v in zip(labels, now["buckets"])})
    row.update(
        {
            "not_due_cents": current,
            "overdue_cents": ar - current,
            "unapplied_cents": now["unapplied"],
        }
    )
    dso = _ratio(ar, s) * days
    quarter = [period - k for k in range(3)]
    if quarter[-1] >= data_first:
        dso_3m = _ratio(ar, sum(int(sales.get(p, 0)) for p in quarter)) * sum(
            p.days_in_month for p in quarter
        )
    else:
        dso_3m = float("nan")
    best = _ratio(current, s) * days
    year = [period - k for k in range(12)]
    if year[-1] >= data_first:
        mean_ar = np.mean([state(period - k)["ar"] for k in range(13)])
        turnover = _ratio(sum(int(sales.get(p, 0)) for p in year), mean_ar)
    else:
        turnover = float("nan")
    denominator = before["ar"] + s - current
    row.update(
        {
            "dso": dso,
            "dso_3m": dso_3m,
            "dso_countback": countback_dso(ar, period, sales, data_first),
            "best_possible_dso": best,
            "add": dso - best,
            "cei": (before["ar"] + s - ar) / denominator if denominator > 0 else float("nan"),
            "pct_current": _ratio(current, ar),
            "pct_over_60": _ratio(now["over_60"], ar),
            "pct_over_90": _ratio(now["over_90"], ar),
            "pct_over_120": _ratio(now["over_120"], ar),
            "ar_turnover": turnover,
            "days_sales_in_receivables": _ratio(365, turnover),
        }
    )
    return row


def roll_rates(ledger: Ledger, start, end, *, policy=None, basis=None, edges=None):
    """Month-end roll rates (SPEC §4): for each month from ``start`` to ``end`` and each bucket
    k, the balance in bucket k+1 at that month end / the balance in bucket k a month earlier.
    Columns ``month`` then ``<k>-><k+1>`` (e.g. ``current->1-30``); NaN when nothing was in k.

    The last bucket is open-ended, so its balance is mostly money that was already there a month
    earlier; counting that stock as "rolled" would give rates far above 100%. Into the last
    bucket only the inflow counts: its balance at t less what was already in it at t-1.
    """
    basis, edges = aging_settings(ledger, policy, basis, edges)
    first_month, last_month = parse_month(start), parse_month(end)
    if last_month < first_month:
        raise ParameterError(_after(start, end))
    labels = bucket_labels(edges)
    last = len(labels) - 1
    if ledger.open_items_only:  # no month-end balances but the report's: no roll
        names = [f"{labels[k]}->{labels[k + 1]}" for k in range(last)]
        months = [str(p) for p in pd.period_range(first_month, last_month, freq="M")]
        return pd.DataFrame({"month": months} | dict.fromkeys(names, np.nan))
    rows = []
    before = _owed(ledger, month_end_day(first_month - 1), basis, edges)
    for period in pd.period_range(first_month, last_month, freq="M"):
        now = _owed(ledger, month_end_day(period), basis, edges)
        out_now, _days_now, code_now = now
        out_before, _days_before, code_before = before
        row = {"month": str(period)}
        for k in range(last):
            into = code_now == k + 1
            if k + 1 == last:
                into &= code_before != last
            row[f"{labels[k]}->{labels[k + 1]}"] = _ratio(
                out_now[into].sum(), out_before[code_before == k].sum()
            )
        rows.append(row)
        before = now
    return pd.DataFrame(rows)


def allowance(ledger: Ledger, as_of, *, policy=None, basis=None, edges=None):
    """Allowance for doubtful accounts at ``as_of`` by both methods of SPEC §4.

    One row per bucket and a final ``total`` row: ``bucket, balance_cents, aging_loss_rate,
    aging_allowance_cents, roll_rate, roll_loss_rate, roll_allowance_cents``. Aging method: the
    policy's loss rate per bucket. Roll-rate method: the product of the average roll rates over
    the policy's ``roll_months`` month ends up to ``as_of``, from the bucket through the last one,
    times the policy's write-off rate of the last bucket. Amounts round half-up to the cent.
    """
    policy = resolve_policy(policy if policy is not None else ledger.policy)
    basis, edges = aging_settings(ledger, policy, basis, edges)
    labels = bucket_labels(edges)
    missing = [b for b in labels if b not in policy.allowance.loss_rates]
    if missing:
        said = ngettext(
            "the policy has no loss rate for bucket(s) {buckets}; add them under {key} (the "
            "bucket edges and the rates must match)",
            "the policy has no loss rate for bucket(s) {buckets}; add them under {key} (the "
            "bucket edges and the rates must match)",
            len(missing),
        )
        raise ParameterError(said.format(buckets=", ".join(missing), key="[allowance] loss_rates"))
    check_as_of(ledger, as_of)
    balances = _state(ledger, day_number(as_of), basis, edges)["buckets"]
    last_end = pd.Period(pd.Timestamp(as_of), freq="M")
    if pd.Timestamp(as_of) != last_end.end_time.normalize():
        last_end -= 1
    months = policy.allowance.roll_months
    rolls = roll_rates(ledger, last_end - (months - 1), last_end, basis=basis, edges=edges)
    average = rolls.drop(columns="month").mean(skipna=True).to_numpy()
    loss = np.empty(len(labels))
    loss[-1] = policy.allowance.writeoff_rate
    for k in range(len(labels) - 2, -1, -1):
        # Nothing rolled on from bucket k: nothing reaches write-off through it, even when the
        # buckets after it were never observed (0 x unknown = 0; unknown x positive = unknown).
        loss[k] = 0.0 if average[k] == 0 else average[k] * loss[k + 1]
    if ledger.open_items_only:  # the roll-rate method needs month-end history: n/a throughout
        loss[:] = np.nan
    rows = []
    for k, label in enumerate(labels):
        rate = policy.allowance.loss_rates[label]
        rows.append(
            {
                "bucket": label,
                "balance_cents": int(balances[k]),
                "aging_loss_rate": rate,
                "aging_allowance_cents": half_up(Decimal(int(balances[k])) * Decimal(str(rate))),
                "roll_rate": average[k] if k < len(labels) - 1 else float("nan"),
                "roll_loss_rate": loss[k],
                "roll_allowance_cents": (
                    half_up(Decimal(int(balances[k])) * Decimal(float(loss[k])))
                    if np.isfinite(loss[k])
                    else pd.NA
                ),
            }
        )
    frame = pd.DataFrame(rows).astype({"roll_allowance_cents": "Int64"})
    # A bucket never seen in the history has no roll rate: its allowance is unknown (NA), and so
    # is the total if money sits in it now. Nothing is quietly counted as zero.
    unknown = frame["roll_allowance_cents"].isna() & (frame["balance_cents"] != 0)
    total = {
        "bucket": "total",
        "balance_cents": int(frame["balance_cents"].sum()),
        "aging_allowance_cents": int(frame["aging_allowance_cents"].sum()),
        "roll_allowance_cents": pd.NA
        if unknown.any()
        else int(frame["roll_allowance_cents"].sum(skipna=True)),
    }
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True).astype(
        {"roll_allowance_cents": "Int64"}
    )
