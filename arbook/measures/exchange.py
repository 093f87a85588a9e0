"""What is open in each currency, and the exchange differences (SPEC §8).

A ledger holds every document in book currency at its own date's rate (the aging, the totals,
every figure) and, for a document in another currency, its amount in that currency; payments
settle their invoice in the invoice's currency (:mod:`arbook.core.currencies`). Here:

- :func:`document_balances`: each open item (documents and unapplied cash) in its own currency
  and in book currency, with its value at the as-of date's rate and the difference
  (unrealised);
- :func:`exchange_differences`: per currency, what is open in it and in book currency, the
  realised difference of the payments up to the as-of date and the unrealised one of what is
  open (the revaluation at the as-of rate less the book value at the documents' rates).

The SPEC §2.8 identity holds per currency to the cent, and in book currency once the realised
difference is added: total receivable + unapplied = invoices - payments at their own rates +
realised (tests/measures/test_exchange.py proves both on random ledgers).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.core.currencies import cents_at, rate_of
from arbook.core.dates import day_number
from arbook.core.ledger import Ledger
from arbook.measures.aging import document_amounts, document_currencies, payments_own

BALANCE_COLUMNS = [
    "customer_id",
    "document_id",
    "kind",
    "currency",
    "outstanding_doc_cents",
    "outstanding_cents",
    "revalued_cents",
    "unrealised_cents",
]
EXCHANGE_COLUMNS = [
    "currency",
    "open_doc_cents",
    "open_cents",
    "revalued_cents",
    "unrealised_cents",
    "realised_cents",
]


def document_outstanding(ledger: Ledger, as_of: object) -> np.ndarray:
    """Per invoice row: what is outstanding at ``as_of`` in the document's own currency
    (:func:`~arbook.measures.aging.document_amounts`)."""
    return document_amounts(ledger, day_number(as_of))[3]


def held_balances(ledger: Ledger, as_of: object) -> pd.DataFrame:
    """One row per open item at ``as_of``, documents then unapplied cash: ``customer_id,
    document_id, kind`` (``invoice``, ``credit_note``, ``payment``), ``currency``, what is
    outstanding in that currency (``outstanding_doc_cents``; negative for a credit or cash) and
    in book currency at the item's own date's rate (``outstanding_cents``, the aging's): the
    columns of :func:`document_balances` before the revaluation."""
    day = day_number(as_of)
    inv = ledger.invoices
    own = document_outstanding(ledger, day)
    bal = ledger.balances(day)
    book = bal.outstanding
    rows = np.flatnonzero((own != 0) | (book != 0))
    docs = pd.DataFrame(
        {
            "customer_id": inv["customer_id"].to_numpy()[rows],
            "document_id": inv["invoice_id"].to_numpy()[rows],
            "kind": np.where(ledger.arrays.amount[rows] < 0, "credit_note", "invoice"),
            "currency": document_currencies(ledger)[rows],
            "outstanding_doc_cents": own[rows],
            "outstanding_cents": book[rows],
        }
    )
    frame = pd.concat([docs, _unapplied_cash(ledger, bal.pay_open)], ignore_index=True)
    return frame.astype({"outstanding_doc_cents": np.int64, "outstanding_cents": np.int64})


def document_balances(ledger: Ledger, as_of: object) -> pd.DataFrame:
    """:func:`held_balances` with each item's value at the as-of date's rate
    (``revalued_cents``) and the difference (``unrealised_cents``; positive: a gain). Unapplied
    cash in another currency is revalued as a document is."""
    day = day_number(as_of)
    frame = held_balances(ledger, day)
    codes = frame["currency"].to_numpy(dtype=object)
    revalued = frame["outstanding_cents"].to_numpy(dtype=np.int64).copy()
    for code in sorted(set(codes.tolist())):
        if not ledger.currency or not code or code == ledger.currency:
            continue
        mine = np.flatnonzero(codes == code)
        rate = rate_of(code, ledger.currency, ledger.rates, np.array([day]))[0]
        if rate is not None:
            held = frame["outstanding_doc_cents"].to_numpy(dtype=np.int64)[mine]
            revalued[mine] = [cents_at(int(c), rate) for c in held]
    frame["revalued_cents"] = revalued
    frame["unrealised_cents"] = revalued - frame["outstanding_cents"].to_numpy(dtype=np.int64)
    return frame[BALANCE_COLUMNS]


def _unapplied_cash(ledger: Ledger, pay_open: np.ndarray) -> pd.DataFrame:
    """The unapplied payment rows (``pay_open``), one row per customer, payment and currency:
    in the payment's own currency and in book currency at its date."""
    pay = ledger.payments.iloc[np.flatnonzero(pay_open)]
    own, code = payments_own(ledger, pay)
    frame = pd.DataFrame(
        {
            "customer_id": pay["customer_id"].to_numpy(dtype=object),
            "document_id": pay["payment_id"].to_numpy(dtype=object),
            "kind": "payment",
            "currency": code.to_numpy(dtype=object),
            "outstanding_doc_cents": -own.to_numpy(dtype=np.int64),
            "outstanding_cents": -pay["amount_cents"].to_numpy(dtype=np.int64),
        }
    )
    keys = ["customer_id", "document_id", "kind", "currency"]
    return frame.groupby(keys, sort=False, as_index=False)[
        ["outstanding_doc_cents", "outstanding_cents"]
    ].sum()


def exchange_differences(ledger: Ledger, as_of: object) -> pd.DataFrame:
    """Per currency of what is open (documents and unapplied cash, :func:`document_balances`):
    ``open_doc_cents`` (what is open in it), ``open_cents`` (in book currency at the items'
    own dates' rates), ``revalued_cents`` (at the as-of
    rate), ``unrealised_cents`` (the difference), ``realised_cents`` (what the payments dated
    up to ``as_of`` settling its invoices were worth at their own rates less what they took off
    at the invoices' rates). The book's own currency first."""
    day = day_number(as_of)
    balances = document_balances(ledger, day)
    grouped = balances.groupby("currency", sort=True)[
        ["outstanding_doc_cents", "outstanding_cents", "revalued_cents", "unrealised_cents"]
    ].sum()
    pay = ledger.payments
    realised = pd.Series(dtype=np.int64)
    if "exchange_cents" in pay and len(pay):
        a = ledger.arrays
        counted = (a.pay_target >= 0) & (a.pay_day <= day)
        target = a.pay_target[counted]
        codes = ledger.invoices["currency"].to_numpy(dtype=object)[target]
        realised = (
            pd.Series(pay["exchange_cents"].to_numpy(dtype=np.int64)[counted]).groupby(codes).sum()
        )
    frame = grouped.rename(
        columns={"outstanding_doc_cents": "open_doc_cents", "outstanding_cents": "open_cents"}
    )
    frame = frame.reindex(frame.index.union(realised.index), fill_value=0)
    frame["realised_cents"] = realised.reindex(frame.index, fill_value=0).astype(np.int64)
    frame = frame.astype(np.int64).reset_index(names="currency")
    first = frame["currency"] == (ledger.currency or "")
    return pd.concat([frame[first], frame[~first]], ignore_index=True)[EXCHANGE_COLUMNS]
