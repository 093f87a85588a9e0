"""Customers' payment behaviour (SPEC §3).

A *payment experience* is an invoice paid in the window ending at the as-of date (paid on the
day its outstanding first reached zero, with at least one payment among what cleared it) or an
invoice still open and overdue at that date, counted as if paid on it. Weights are amounts. The
window is the policy's ``[behaviour] window_months`` (12) unless given; ``"all"`` takes every
paid invoice in the history.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from arbook.core.config import resolve_policy
from arbook.core.dates import day_number, months_before
from arbook.core.errors import ParameterError
from arbook.core.i18n import _
from arbook.core.ledger import Ledger

BEHAVIOUR_COLUMNS = [
    "customer_id",
    "name",
    "experiences",
    "invoices_paid",
    "open_overdue",
    "avg_days_to_pay",
    "days_beyond_terms",
    "signed_days_to_due",
    "share_paid_late",
    "disputed",
    "experience_cents",
]


def cleared_days(ledger: Ledger, as_of) -> tuple[np.ndarray, np.ndarray]:
    """Per invoice row: the day its outstanding first reached zero counting payments and applied
    credit notes dated up to ``as_of`` (-1 if it has not), and whether a payment was among what
    cleared it. Money dated before its invoice counts from the invoice date."""
    day = day_number(as_of)
    a = ledger.arrays
    pay = np.flatnonzero((a.pay_target >= 0) & (a.pay_day <= day))
    cn = np.flatnonzero((a.credit_target >= 0) & (a.inv_day <= day))
    target = np.concatenate([a.pay_target[pay], a.credit_target[cn]])
    when = np.maximum(np.concatenate([a.pay_day[pay], a.inv_day[cn]]), a.inv_day[target])
    events = pd.DataFrame(
        {
            "target": target,
            "day": when,
            "cents": np.concatenate([a.pay_amount[pay], -a.amount[cn]]),
            "payment": np.concatenate([np.ones(len(pay), bool), np.zeros(len(cn), bool)]),
        }
    )
    events = events[a.inv_day[target] <= day]
    daily = (
        events.groupby(["target", "day"], sort=True)
        .agg(cents=("cents", "sum"), payment=("payment", "any"))
        .reset_index()
    )
    daily["reached"] = daily.groupby("target")["cents"].cumsum()
    daily["paid_yet"] = daily.groupby("target")["payment"].cummax()
    done = daily[daily["reached"].to_numpy() >= a.amount[daily["target"].to_numpy()]]
    first = done.groupby("target").first()
    cleared = np.full(len(a.amount), -1, dtype=np.int64)
    by_payment = np.zeros(len(a.amount), dtype=bool)
    cleared[first.index.to_numpy()] = first["day"].to_numpy()
    by_payment[first.index.to_numpy()] = first["paid_yet"].to_numpy(dtype=bool)
    return cleared, by_payment


#: The columns of :func:`experiences` and their dtypes.
EXPERIENCE_DTYPES = (
    ("customer_id", object),
    ("invoice_id", object),
    ("amount_cents", np.int64),
    ("invoice_day", np.int64),
    ("due_day", np.int64),
    ("paid_day", np.int64),
    ("paid", bool),
    ("disputed", bool),
)
ALL_HISTORY = "all"
Window = int | Literal["all"] | None


def window_start(ledger: Ledger, as_of, window_months: Window = None, *, policy=None) -> int:
    """The day after which paid invoices count as experiences at ``as_of``: ``window_months``
    calendar months back (None: the policy's, ``"all"``: the whole history)."""
    if window_months is None:
        window_months = resolve_policy(policy or ledger.policy).behaviour.window_months
    if window_months == ALL_HISTORY:
        return -1 << 40
    if (
        isinstance(window_months, bool)
        or not isinstance(window_months, int)
        or not (1 <= window_months <= 1200)
    ):
        said = _("window of {months} months; give 1 or more (12 is usual), or {all}")
        raise ParameterError(said.format(months=repr(window_months), all="'all'"))
    return day_number(months_before(as_of, window_months))


def experiences(
    ledger: Ledger, as_of, *, policy=None, window_months: Window = None
) -> pd.DataFrame:
    """One row per payment experience at ``as_of``: ``customer_id, invoice_id, amount_cents,
    invoice_day, due_day, paid_day, paid`` (False = open and overdue, counted as paid today),
    ``disputed``. ``window_months``: see :func:`window_start`.

    A ledger of open items only has no experience at all (none is returned): it lacks the
    paid invoices, and its overdue items alone would make every customer look slower than it
    is (:func:`~arbook.measures.history.needs_history` says why)."""
    since = window_start(ledger, as_of, window_months, policy=policy)
    if ledger.open_items_only:
        return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in EXPERIENCE_DTYPES})
    day = day_number(as_of)
    a, inv = ledger.arrays, ledger.invoices
    cleared, by_payment = cleared_days(ledger, as_of)
    positive = a.amount > 0
    paid = positive & by_payment & (cleared > since) & (cleared <= day) & (cleared >= 0)
    bal = ledger.balances(day)
    open_overdue = positive & (bal.outstanding > 0) & (a.due_day < day) & (a.inv_day <= day)
    rows = np.flatnonzero(paid | open_overdue)
    return pd.DataFrame(
        {
            "customer_id": inv["customer_id"].to_numpy()[rows],
            "invoice_id": inv["invoice_id"].to_numpy()[rows],
            "amount_cents": a.amount[rows],
            "invoice_day": a.inv_day[rows],
            "due_day": a.due_day[rows],
            "paid_day": np.where(paid[rows], cleared[rows], day),
            "paid": paid[rows],
            "disputed": inv["disputed"].to_numpy(dtype=bool)[rows],
        }
    )


def payment_behaviour(
    ledger: Ledger, as_of, *, policy=None, window_months: Window = None
) -> pd.DataFrame:
    """Per customer with any experience at ``as_of``: ``experiences, invoices_paid, open_overdue,
    avg_days_to_pay`` (mean paid - invoice date over paid invoices), ``days_beyond_terms``
    (amount-weighted days paid after due, never negative), ``signed_days_to_due`` (the same
    allowing early payment, negative = early), ``share_paid_late`` (of paid invoices, by count),
    ``disputed`` (experiences marked disputed), ``experience_cents``. Slowest payers first."""
    exp = experiences(ledger, as_of, policy=policy, window_months=window_months)
    late = exp["paid_day"] - exp["due_day"]
    weight = exp["amount_cents"].astype(float)
    exp = exp.assign(
        to_pay=np.where(exp["paid"], exp["paid_day"] - exp["invoice_day"], np.nan),
        late_paid=np.where(exp["paid"], (late > 0).astype(float), np.nan),
        dbt_w=weight * late.clip(lower=0),
        signed_w=weight * late,
        w=weight,
    )
    g = exp.groupby("customer_id", sort=True)
    frame = pd.DataFrame(
        {
            "experiences": g.size(),
            "invoices_paid": g["paid"].sum(),
            "open_overdue": g["paid"].apply(lambda s: int((~s).sum())),
            "avg_days_to_pay": g["to_pay"].mean(),
            "days_beyond_terms": g["dbt_w"].sum() / g["w"].sum(),
            "signed_days_to_due": g["signed_w"].sum() / g["w"].sum(),
            "share_paid_late": g["late_paid"].mean(),
            "disputed": g["disputed"].sum(),
            "experience_cents": g["amount_cents"].sum(),
        }
    ).reset_index()
    frame.insert(1, "name", ledger.names(frame["customer_id"]))
    frame = frame.astype(
        {
            "invoices_paid": np.int64,
            "disputed": np.int64,
            "experience_cents": np.int64,
            "open_overdue": np.int64,
        }
    )
    return frame.sort_values(
        ["days_beyond_terms", "customer_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)[BEHAVIOUR_COLUMNS]
