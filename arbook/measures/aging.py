"""Aging as of a date (SPEC §2): open items, buckets, and the per-customer summary.

Positive items go in buckets by days overdue; negative items (credit notes, unapplied cash,
overpaid invoices) go in ``unapplied``, so bucket totals mean "what is owed and how late" and
``total = sum of buckets + unapplied`` equals invoices minus payments to the cent (SPEC §2.8).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.core.config import DEFAULT_EDGES, check_edges
from arbook.core.errors import ParameterError
from arbook.core.ledger import EPOCH, Ledger, day_number

UNAPPLIED = "unapplied"
BASES = ("due", "invoice")
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
]


def bucket_labels(edges=DEFAULT_EDGES) -> list[str]:
    """Labels for ``edges``: (30, 60) -> ``current, 1-30, 31-60, 61+``."""
    edges = check_edges(edges)
    lows = (1,) + tuple(e + 1 for e in edges[:-1])
    return ["current"] + [f"{lo}-{hi}" for lo, hi in zip(lows, edges)] + [f"{edges[-1] + 1}+"]


def bucket_codes(days: np.ndarray, edges) -> np.ndarray:
    """Index into :func:`bucket_labels` for each days-overdue value (due on the day = current)."""
    return np.searchsorted(np.asarray((0,) + tuple(edges)), days, side="left")


def check_basis(basis: str) -> str:
    if basis not in BASES:
        raise ParameterError(f"aging basis {basis!r}; use 'due' or 'invoice'")
    return basis


def bucket_dtype(edges) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(bucket_labels(edges) + [UNAPPLIED], ordered=True)


def aging(ledger: Ledger, as_of, *, basis: str = "due", edges=DEFAULT_EDGES) -> pd.DataFrame:
    """One row per open item as of ``as_of``, ordered by customer and date, with columns
    ``customer_id, document_id, kind, document_date, due_date, amount_cents, paid_cents,
    credited_cents, outstanding_cents, days_overdue, bucket``.

    ``days_overdue`` counts from the due date (``basis="due"``) or the invoice date; for unapplied
    cash it is the age of the payment. Negative items are in bucket ``unapplied``.
    """
    edges, basis = check_edges(edges), check_basis(basis)
    day = day_number(as_of)
    bal = ledger.balances(day)
    docs = _document_items(ledger, bal, day, basis)
    cash = _payment_items(ledger, bal, day)
    items = pd.concat([docs, cash], ignore_index=True) if len(cash) else docs
    labels = np.asarray(bucket_labels(edges) + [UNAPPLIED], dtype=object)
    code = np.where(
        items["outstanding_cents"].to_numpy() > 0,
        bucket_codes(items["days_overdue"].to_numpy(), edges),
        len(labels) - 1,
    )
    items["bucket"] = pd.Categorical.from_codes(code, dtype=bucket_dtype(edges))
    items = items.sort_values(["customer_id", "document_date", "document_id"], kind="stable")
    return items.reset_index(drop=True)[ITEM_COLUMNS]


def _document_items(ledger: Ledger, bal, day: int, basis: str) -> pd.DataFrame:
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
        }
    )


def _payment_items(ledger: Ledger, bal, day: int) -> pd.DataFrame:
    """Unapplied payment rows, one item per (customer, payment_id), dated by its first row."""
    rows = np.flatnonzero(bal.pay_open)
    if not len(rows):
        return pd.DataFrame(columns=ITEM_COLUMNS[:-1])
    pay = ledger.payments.iloc[rows]
    grouped = pay.groupby(["customer_id", "payment_id"], sort=False).agg(
        document_date=("payment_date", "min"), paid_cents=("amount_cents", "sum")
    )
    grouped = grouped.reset_index()
    dates = grouped["document_date"].to_numpy().astype("datetime64[D]")
    return pd.DataFrame(
        {
            "customer_id": grouped["customer_id"].to_numpy(),
            "document_id": grouped["payment_id"].to_numpy(),
            "kind": "payment",
            "document_date": grouped["document_date"].to_numpy(),
            "due_date": pd.Series(pd.NaT, index=grouped.index, dtype="datetime64[s]").to_numpy(),
            "amount_cents": np.zeros(len(grouped), dtype=np.int64),
            "paid_cents": grouped["paid_cents"].to_numpy(dtype=np.int64),
            "credited_cents": np.zeros(len(grouped), dtype=np.int64),
            "outstanding_cents": -grouped["paid_cents"].to_numpy(dtype=np.int64),
            "days_overdue": (day - (dates - EPOCH).astype(np.int64)).astype(np.int64),
        }
    )


def summary_columns(edges=DEFAULT_EDGES) -> list[str]:
    """The money columns of :func:`aging_summary`, in order."""
    return [f"{label}_cents" for label in bucket_labels(edges)] + ["unapplied_cents", "total_cents"]


def summarise_items(items: pd.DataFrame, ledger: Ledger, edges=DEFAULT_EDGES):
    """Per-customer bucket totals of an :func:`aging` frame (see :func:`aging_summary`)."""
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
    table.columns = columns[:-1]
    table["total_cents"] = table.sum(axis=1)
    table.insert(0, "name", ledger.names(table.index.to_series()))
    table = table.reset_index().rename_axis(columns=None)
    return table.sort_values(
        ["total_cents", "customer_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def aging_summary(ledger: Ledger, as_of, *, basis: str = "due", edges=DEFAULT_EDGES):
    """One row per customer with any open item as of ``as_of``: ``customer_id, name``, a cents
    column per bucket (``current_cents``, ``1-30_cents``...), ``unapplied_cents`` and
    ``total_cents``, largest total first. A customer with no name listed shows its id."""
    items = aging(ledger, as_of, basis=basis, edges=edges)
    return summarise_items(items, ledger, edges)
