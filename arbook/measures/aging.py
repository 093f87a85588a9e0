"""Aging as of a date (SPEC §2): open items, buckets, the per-customer summary, and the
receivable's totals.

Positive items go in buckets by their days (past the due date, or since the invoice date under
the ``invoice`` basis); negative items (credit notes, unapplied cash, overpaid invoices) go in
``unapplied``, so bucket totals mean "what is owed and how late" and ``total = sum of buckets +
unapplied`` equals invoices minus payments to the cent (SPEC §2.8).

Every function takes ``policy=None`` (the ledger's own policy); ``basis=`` and ``edges=`` given
explicitly override it. Edges are days (``30,60,90,120``) or ``"months"``: calendar months of
the due date, as Xero's Aged Receivables columns them (:func:`bucket_codes`). A ledger of open
items only is aged at its report's date alone (:func:`~arbook.measures.history.check_as_of`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from arbook.core.config import (
    MONTH_LABELS,
    Edges,
    Policy,
    bucket_labels,
    check_basis,
    check_edges,
    resolve_policy,
)
from arbook.core.dates import EPOCH, day_number
from arbook.core.ledger import Balances, Ledger
from arbook.measures.history import check_as_of

UNAPPLIED = "unapplied"
ITEM_COLUMNS = [
    "customer_id",
    "document_id",
    "kind",
    "document_date",
    "due_date",
    "amount_cents",
    "paid_cents",
    "credited_cents",
    "outstanding_cents",
    "days_overdue",
    "bucket",
    "disputed",
]


def bucket_codes(days: np.ndarray, edges: Edges, day: int | None = None) -> np.ndarray:
    """Index into :func:`bucket_labels` for each days-overdue value (due on the day = current).

    Month edges (:data:`~arbook.core.config.MONTHS`) count calendar months between the as-of
    ``day`` (a day number, needed then) and the date the days count from, as Xero's Aged
    Receivables does: not yet due is current; due earlier in the as-of month ``< 1 month``; in
    the month before ``1 month`` (31 May and 1 May alike, as of 30 June); then ``2 months``,
    ``3 months`` and ``older``."""
    days = np.asarray(days)
    if not isinstance(edges, str):
        return np.searchsorted(np.asarray((0,) + tuple(edges)), days, side="left")
    if day is None:
        raise ValueError("month buckets need the as-of day")
    since = (EPOCH + (day - days).astype("timedelta64[D]")).astype("datetime64[M]")
    now = (EPOCH + np.timedelta64(day, "D")).astype("datetime64[M]")
    months = (now - since).astype(np.int64)
    last = len(MONTH_LABELS) - 1
    return np.where(days <= 0, 0, np.minimum(months + 1, last))


def bucket_dtype(edges: Edges) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(bucket_labels(edges) + [UNAPPLIED], ordered=True)


def aging_settings(
    ledger: Ledger, policy: Policy | str | None = None, basis: str | None = None, edges=None
) -> tuple[str, Edges]:
    """The checked ``(basis, edges)`` of one route: explicit values, else the policy's
    (``policy=None``: the ledger's)."""
    rules = resolve_policy(policy if policy is not None else ledger.policy).aging
    basis = check_basis(rules.basis if basis in (None, "") else basis)
    if isinstance(edges, str):
        edges = [e for e in edges.replace(";", ",").split(",") if e.strip()]
    return basis, check_edges(rules.edges if edges in (None, "", ()) else edges)


def aging(ledger: Ledger, as_of, *, policy=None, basis=None, edges=None) -> pd.DataFrame:
    """One row per open item as of ``as_of``, ordered by customer and date, with columns
    ``customer_id, document_id, kind, document_date, due_date, amount_cents, paid_cents,
    credited_cents, outstanding_cents, days_overdue, bucket, disputed``.

    ``days_overdue`` counts from the due date (basis ``due``) or the invoice date (``invoice``);
    for unapplied cash it is the age of the payment. Negative items are in bucket ``unapplied``.
    ``disputed`` is the invoice's flag (False for credits and cash): a disputed item is still
    owed, and shown as disputed wherever it is.
    """
    basis, edges = aging_settings(ledger, policy, basis, edges)
    check_as_of(ledger, as_of)
    day = day_number(as_of)
    bal = ledger.balances(day)
    docs = _document_items(ledger, bal, day, basis)
    cash = _payment_items(ledger, bal, day)
    items = pd.concat([docs, cash], ignore_index=True) if len(cash) else docs
    labels = np.asarray(bucket_labels(edges) + [UNAPPLIED], dtype=object)
    code = np.where(
        items["outstanding_cents"].to_numpy() > 0,
        bucket_codes(items["days_overdue"].to_numpy(dtype=np.int64), edges, day),
        len(labels) - 1,
    )
    items["bucket"] = pd.Categorical.from_codes(code, dtype=bucket_dtype(edges))
    items = items.sort_values(["customer_id", "document_date", "document_id"], kind="stable")
    return items.reset_index(drop=True)[ITEM_COLUMNS]


def _document_items(ledger: Ledger, bal: Balances, day: int, basis: str) -> pd.DataFrame:
    rows = np.flatnonzero(bal.doc_open)
    inv, a = ledger.invoices, ledger.arrays
    amount = a.amount[rows]
    since = a.due_day[rows] if basis == "due" else a.inv_day[rows]
    return pd.DataFrame(
        {
            "customer_id": inv["customer_id"].to_numpy()[rows],
            "document_id": inv["invoice_id"].to_numpy()[rows],
            "kind": np.where(amount < 0, "credit_note", "invoice"),
            "document_date": inv["invoice_date"].to_numpy()[rows],
            "due_date": inv["due_date"].to_numpy()[rows],
            "amount_cents": amount,
            "paid_cents": bal.paid[rows],
            "credited_cents": bal.credited[rows],
            "outstanding_cents": bal.outstanding[rows],
            "days_overdue": (day - since).astype(np.int64),
            "disputed": a.disputed[rows] & (amount > 0),
        }
    )


def _payment_items(ledger: Ledger, bal: Balances, day: int) -> pd.DataFrame:
    """Unapplied payment rows, one item per (customer, payment_id), dated by its first row."""
    rows = np.flatnonzero(bal.pay_open)
    if not len(rows):
        return pd.DataFrame(columns=[c for c in ITEM_COLUMNS if c != "bucket"])
    pay = ledger.payments.iloc[rows]
    grouped = pay.groupby(["customer_id", "payment_id"], sort=False).agg(
        document_date=("payment_date", "min"), paid_cents=("amount_cents", "sum")
    )
    grouped = grouped.reset_index()
    dates = grouped["document_date"].to_numpy().astype("datetime64[D]")
    zeros = np.zeros(len(grouped), dtype=np.int64)
    return pd.DataFrame(
        {
            "customer_id": grouped["customer_id"].to_numpy(),
            "document_id": grouped["payment_id"].to_numpy(),
            "kind": "payment",
            "document_date": grouped["document_date"].to_numpy(),
            "due_date": pd.Series(pd.NaT, index=grouped.index, dtype="datetime64[s]").to_numpy(),
            "amount_cents": zeros,
            "paid_cents": grouped["paid_cents"].to_numpy(dtype=np.int64),
            "credited_cents": zeros,
            "outstanding_cents": -grouped["paid_cents"].to_numpy(dtype=np.int64),
            "days_overdue": (day - (dates - EPOCH).astype(np.int64)).astype(np.int64),
            "disputed": np.zeros(len(grouped), dtype=bool),
        }
    )


#: Totals count what is more than this many days past due (SPEC §3's % over 60, 90, 120).
OVER_DAYS = (60, 90, 120)


@dataclass(frozen=True)
class Totals:
    """The receivable's totals at one date, the one definition every screen shows (SPEC §3):
    ``receivable_cents`` (total receivable: the sum of the buckets, what customers owe),
    ``unapplied_cents`` (credits and unapplied cash, 0 or negative), ``net_cents`` (net
    receivable = receivable + unapplied), ``overdue_cents`` (owed and past its due date,
    whatever the aging basis), ``not_due_cents`` (owed and not yet due), ``disputed_cents``
    (owed on invoices in dispute, inside the figures above) and ``over_60_cents``,
    ``over_90_cents``, ``over_120_cents`` (owed more than that many days past due)."""

    receivable_cents: int
    unapplied_cents: int
    net_cents: int
    overdue_cents: int
    not_due_cents: int
    disputed_cents: int
    over_60_cents: int
    over_90_cents: int
    over_120_cents: int


def receivable_totals(ledger: Ledger, as_of, *, balances: Balances | None = None) -> Totals:
    """The :class:`Totals` of ``ledger`` as of ``as_of`` (``balances``: that date's
    :meth:`Ledger.balances`, when the caller has them)."""
    check_as_of(ledger, as_of)
    day = day_number(as_of)
    bal = balances if balances is not None else ledger.balances(day)
    a = ledger.arrays
    out = bal.outstanding
    owed = out > 0
    late = day - a.due_day
    receivable = int(out[owed].sum())
    unapplied = int(out[out < 0].sum()) - int(a.pay_amount[bal.pay_open].sum())
    overdue = int(out[owed & (late > 0)].sum())
    over = {f"over_{n}_cents": int(out[owed & (late > n)].sum()) for n in OVER_DAYS}
    return Totals(
        receivable_cents=receivable,
        unapplied_cents=unapplied,
        net_cents=receivable + unapplied,
        overdue_cents=overdue,
        not_due_cents=receivable - overdue,
        disputed_cents=int(out[owed & a.disputed].sum()),
        **over,
    )


def past_due(items: pd.DataFrame, as_of) -> np.ndarray:
    """Per row of an :func:`aging` frame: owed (positive) and past its due date at ``as_of``,
    whatever the basis its ``days_overdue`` counts by."""
    day = np.datetime64(EPOCH + np.timedelta64(day_number(as_of), "D"), "s")
    due = items["due_date"].to_numpy(dtype="datetime64[s]")
    return (items["outstanding_cents"].to_numpy() > 0) & (due < day)


def summary_columns(edges: Edges) -> list[str]:
    """The money columns of :func:`aging_summary`, in order."""
    buckets = [f"{label}_cents" for label in bucket_labels(edges)]
    return buckets + ["receivable_cents", "unapplied_cents", "total_cents"]


def summarise_items(items: pd.DataFrame, ledger: Ledger, edges) -> pd.DataFrame:
    """Per-customer bucket totals of an :func:`aging` frame (see :func:`aging_summary`)."""
    edges = check_edges(edges)
    columns = summary_columns(edges)
    table = items.pivot_table(
        index="customer_id",
        columns="bucket",
        values="outstanding_cents",
        aggfunc="sum",
        fill_value=0,
        observed=False,
    )
    table = table.reindex(columns=bucket_dtype(edges).categories, fill_value=0).astype(np.int64)
    table.columns = columns[:-3] + ["unapplied_cents"]
    table.insert(len(columns) - 3, "receivable_cents", table[columns[:-3]].sum(axis=1))
    table["total_cents"] = table["receivable_cents"] + table["unapplied_cents"]
    table.insert(0, "name", ledger.names(table.index.to_series()))
    table = table.reset_index().rename_axis(columns=None)
    return table.sort_values(
        ["total_cents", "customer_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def aging_summary(ledger: Ledger, as_of, *, policy=None, basis=None, edges=None) -> pd.DataFrame:
    """One row per customer with any open item as of ``as_of``: ``customer_id, name``, a cents
    column per bucket (``current_cents``, ``1-30_cents``...), ``receivable_cents`` (their sum:
    what the customer owes), ``unapplied_cents`` (its credits and unapplied cash) and
    ``total_cents`` (net: receivable + unapplied), largest net first. A customer with no name
    listed shows its id."""
    basis, edges = aging_settings(ledger, policy, basis, edges)
    items = aging(ledger, as_of, basis=basis, edges=edges)
    return summarise_items(items, ledger, edges)
