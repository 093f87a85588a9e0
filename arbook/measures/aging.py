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
from arbook.core.errors import ParameterError
from arbook.core.i18n import _
from arbook.core.ledger import Balances, Ledger
from arbook.engines.backends import Source, check_engine, currency_refusal, source
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
    ``3 months`` and ``older``. ``day`` may be an array, one as-of day per value."""
    days = np.asarray(days)
    if not isinstance(edges, str):
        return np.searchsorted(np.asarray((0,) + tuple(edges)), days, side="left")
    if day is None:
        raise ValueError("month buckets need the as-of day")
    day = np.asarray(day, dtype=np.int64)  # one as-of day, or one per value
    since = (EPOCH + (day - days).astype("timedelta64[D]")).astype("datetime64[M]")
    now = (EPOCH + day.astype("timedelta64[D]")).astype("datetime64[M]")
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


#: The currencies an aging can be in: the book's (every figure's), or each document's own.
CURRENCIES = ("book", "document")


def check_currency(currency: str) -> str:
    if currency not in CURRENCIES:
        said = _(
            "currency {value} is not one of book (every amount in the book's currency, at its "
            "document's rate) or document (each in its own, one block per currency)"
        )
        raise ParameterError(said.format(value=repr(currency)))
    return currency


def engine_source(ledger: Ledger | Source, engine=None, currency: str = "book") -> Source | None:
    """Where a measure runs: None for the in-memory path (no ``engine``, or "memory", with a
    Ledger); else the :class:`~arbook.engines.Source` of ``ledger`` in ``engine`` (a Source
    given as ``ledger`` is its own engine's). Engines age in book currency only."""
    if isinstance(ledger, Source):
        if engine is not None and check_engine(engine) != ledger.engine:
            said = _("engine {engine} was asked for data that is in engine {theirs}")
            raise ParameterError(said.format(engine=repr(engine), theirs=repr(ledger.engine)))
        found = ledger
    else:
        name = check_engine(engine)
        if name == "memory":
            return None
        if name == "postgres":
            raise ParameterError(
                _(
                    "engine postgres needs its database: make the source with "
                    "arbook.engines.source({engine}, ledger, db=URL) and pass it as the ledger"
                ).format(engine=repr(name))
            )
        found = source(name, ledger)
    if check_currency(currency) != "book":
        raise ParameterError(currency_refusal(found.engine))
    return found


def aging(
    ledger: Ledger,
    as_of,
    *,
    policy=None,
    basis=None,
    edges=None,
    currency: str = "book",
    engine=None,
) -> pd.DataFrame:
    """One row per open item as of ``as_of``, ordered by customer and date, with columns
    ``customer_id, document_id, kind, document_date, due_date, amount_cents, paid_cents,
    credited_cents, outstanding_cents, days_overdue, bucket, disputed``.

    ``currency="book"`` (default): amounts in the book's currency, each document at its own
    date's rate (SPEC §8). ``"document"``: each in its own currency, named in a ``currency``
    column after ``customer_id`` (a payment settles its invoice in the invoice's currency).

    ``days_overdue`` counts from the due date (basis ``due``) or the invoice date (``invoice``);
    for unapplied cash it is the age of the payment. Negative items are in bucket ``unapplied``.
    ``disputed`` is the invoice's flag (False for credits and cash): a disputed item is still
    owed, and shown as disputed wherever it is.

    ``engine``: "duckdb" or "spark" compute it there (see :mod:`arbook.engines`); ``ledger``
    may then be an :func:`arbook.engines.source` (a Parquet folder, a database's tables).
    """
    basis, edges = aging_settings(ledger, policy, basis, edges)
    src = engine_source(ledger, engine, currency)
    if src is not None:
        from arbook.engines import results

        if src.ledger is not None:
            check_as_of(src.ledger, as_of)
        labels = bucket_labels(edges) + [UNAPPLIED]
        return results.aging_items(src, day_number(as_of), basis, edges, labels)
    own = check_currency(currency) == "document"
    check_as_of(ledger, as_of)
    day = day_number(as_of)
    bal = ledger.balances(day)
    docs = _document_items(ledger, bal, day, basis, own)
    cash = _payment_items(ledger, bal, day, own)
    items = pd.concat([docs, cash], ignore_index=True) if len(cash) else docs
    labels = np.asarray(bucket_labels(edges) + [UNAPPLIED], dtype=object)
    code = np.where(
        items["outstanding_cents"].to_numpy() > 0,
        bucket_codes(items["days_overdue"].to_numpy(dtype=np.int64), edges, day),
        len(labels) - 1,
    )
    items["bucket"] = pd.Categorical.from_codes(code, dtype=bucket_dtype(edges))
    order = ["currency", "customer_id"] if own else ["customer_id"]
    items = items.sort_values([*order, "document_date", "document_id"], kind="stable")
    columns = [*ITEM_COLUMNS[:1], "currency", *ITEM_COLUMNS[1:]] if own else ITEM_COLUMNS
    return items.reset_index(drop=True)[columns]


def document_currencies(ledger: Ledger) -> np.ndarray:
    """Per invoice row, its currency (the book's for one the data gives none; "" when neither
    names one)."""
    codes = ledger.invoices["currency"].astype(object)
    return codes.where(codes.notna(), ledger.currency).fillna("").to_numpy(dtype=object)


def payments_own(ledger: Ledger, pay: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Of payment rows ``pay`` (of ``ledger.payments``): each one's amount in its own currency
    and that currency (the book's where none is given; "" when neither names one)."""
    cents = pay["paid_cents"] if "paid_cents" in pay else pay["amount_cents"]
    code = pay["currency"] if "currency" in pay else pd.Series(ledger.currency, index=pay.index)
    return cents, code.astype(object).fillna(ledger.currency or "")


def document_amounts(ledger: Ledger, day: int) -> tuple[np.ndarray, ...]:
    """Per invoice row, in the document's own currency at ``day``: its amount, what payments
    and applied credit notes took off it, and what is outstanding (0 for one not issued yet or
    applied to an invoice). In a book of one currency these are the book's amounts."""
    a, inv, pay = ledger.arrays, ledger.invoices, ledger.payments
    if "original_amount_cents" in inv:
        amount = inv["original_amount_cents"].fillna(inv["amount_cents"]).to_numpy(np.int64)
    else:
        amount = a.amount
    settled = pay["settled_cents"] if "settled_cents" in pay else pay["amount_cents"]
    exists = a.inv_day <= day
    counted = (a.pay_target >= 0) & (a.pay_day <= day)
    counted &= exists[np.where(a.pay_target >= 0, a.pay_target, 0)]
    paid = exact_sums(a.pay_target[counted], settled.to_numpy(np.int64)[counted], len(amount))
    takes = inv["settles_cents"].to_numpy(np.int64) if "settles_cents" in inv else -a.amount
    applied = (a.credit_target >= 0) & exists
    applied &= exists[np.where(a.credit_target >= 0, a.credit_target, 0)]
    credited = exact_sums(a.credit_target[applied], takes[applied], len(amount))
    outstanding = np.where(exists & ~applied, amount - paid - credited, 0).astype(np.int64)
    return amount, paid, credited, outstanding


def _document_items(
    ledger: Ledger, bal: Balances, day: int, basis: str, own: bool = False
) -> pd.DataFrame:
    inv, a = ledger.invoices, ledger.arrays
    if own:
        amounts, paid, credited, outstanding = document_amounts(ledger, day)
        rows = np.flatnonzero((outstanding != 0) | bal.doc_open)
    else:
        amounts, paid, credited, outstanding = a.amount, bal.paid, bal.credited, bal.outstanding
        rows = np.flatnonzero(bal.doc_open)
    amount = amounts[rows]
    since = a.due_day[rows] if basis == "due" else a.inv_day[rows]

    def picked(column: str) -> np.ndarray:
        # the rows first, then values: not a million ids made Python strings for 90,000 items
        return inv[column].take(rows).to_numpy()

    frame = pd.DataFrame(
        {
            "customer_id": picked("customer_id"),
            "document_id": picked("invoice_id"),
            "kind": np.where(amount < 0, "credit_note", "invoice"),
            "document_date": picked("invoice_date"),
            "due_date": picked("due_date"),
            "amount_cents": amount,
            "paid_cents": paid[rows],
            "credited_cents": credited[rows],
            "outstanding_cents": outstanding[rows],
            "days_overdue": (day - since).astype(np.int64),
            "disputed": a.disputed[rows] & (amount > 0),
        }
    )
    if own:
        frame.insert(1, "currency", document_currencies(ledger)[rows])
        frame = frame[frame["outstanding_cents"].to_numpy() != 0]
    return frame


def _payment_items(ledger: Ledger, bal: Balances, day: int, own: bool = False) -> pd.DataFrame:
    """Unapplied payment rows, one item per (customer, payment_id), dated by its first row
    (``own``: per currency too, in the payment's own currency)."""
    rows = np.flatnonzero(bal.pay_open)
    columns = [c for c in ITEM_COLUMNS if c != "bucket"]
    if not len(rows):
        return pd.DataFrame(columns=[columns[0], "currency", *columns[1:]] if own else columns)
    pay = ledger.payments.iloc[rows]
    keys = ["customer_id", "payment_id"]
    if own:
        money, code = payments_own(ledger, pay)
        pay = pay.assign(amount_cents=money, currency=code)
        keys.append("currency")
    grouped = pay.groupby(keys, sort=False).agg(
        document_date=("payment_date", "min"), paid_cents=("amount_cents", "sum")
    )
    grouped = grouped.reset_index()
    dates = grouped["document_date"].to_numpy().astype("datetime64[D]")
    zeros = np.zeros(len(grouped), dtype=np.int64)
    frame = pd.DataFrame(
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
    if own:
        frame.insert(1, "currency", grouped["currency"].to_numpy(dtype=object))
    return frame


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


#: Below this sum of absolute cents a float64 bincount adds integers exactly.
EXACT_FLOAT = float(2**53)


def exact_sums(keys: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Per key in ``range(size)``, the int64 sum of ``values`` at it, exactly (a float bincount
    while every partial sum is an integer below 2**53, else integer adds)."""
    values = np.asarray(values, dtype=np.int64)
    if float(np.abs(values, dtype=np.float64).sum()) < EXACT_FLOAT:
        return np.rint(np.bincount(keys, weights=values, minlength=size)).astype(np.int64)
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, keys, values)
    return out


def summary_of_balances(ledger: Ledger, as_of, basis: str, edges) -> pd.DataFrame:
    """:func:`aging_summary` in book currency straight from the balances: each open document's
    outstanding into its customer's bucket, unapplied cash into the customer's credits, with no
    item rows built (the same frame :func:`summarise_items` gives from :func:`aging`)."""
    check_as_of(ledger, as_of)
    day = day_number(as_of)
    bal, a = ledger.balances(day), ledger.arrays
    inv_codes, pay_codes, ids = ledger.customer_codes
    columns = summary_columns(edges)
    width = len(columns) - 2  # the buckets and unapplied
    rows = np.flatnonzero(bal.doc_open)
    owed = bal.outstanding[rows]
    since = a.due_day[rows] if basis == "due" else a.inv_day[rows]
    bucket = np.where(owed > 0, bucket_codes(day - since, edges, day), width - 1)
    cash = np.flatnonzero(bal.pay_open)
    keys = np.concatenate([inv_codes[rows] * width + bucket, pay_codes[cash] * width + width - 1])
    sums = exact_sums(keys, np.concatenate([owed, -a.pay_amount[cash]]), len(ids) * width)
    sums = sums.reshape(len(ids), width)
    present = np.flatnonzero(np.bincount(keys // width, minlength=len(ids)) > 0)
    table = pd.DataFrame(sums[present], columns=[*columns[:-3], "unapplied_cents"])
    table.insert(len(columns) - 3, "receivable_cents", sums[present, :-1].sum(axis=1))
    table["total_cents"] = table["receivable_cents"] + table["unapplied_cents"]
    customers = pd.Series(ids[present], dtype=ledger.invoices["customer_id"].dtype)
    table.insert(0, "name", ledger.names(customers))
    table.insert(0, "customer_id", customers.to_numpy())
    order = np.lexsort((table["customer_id"].to_numpy(dtype=object), -table["total_cents"]))
    return table.iloc[order].reset_index(drop=True)


def aging_summary(
    ledger: Ledger,
    as_of,
    *,
    policy=None,
    basis=None,
    edges=None,
    currency: str = "book",
    engine=None,
) -> pd.DataFrame:
    """One row per customer with any open item as of ``as_of``: ``customer_id, name``, a cents
    column per bucket (``current_cents``, ``1-30_cents``...), ``receivable_cents`` (their sum:
    what the customer owes), ``unapplied_cents`` (its credits and unapplied cash) and
    ``total_cents`` (net: receivable + unapplied), largest net first. A customer with no name
    listed shows its id. ``currency="document"``: one block per currency (a ``currency``
    column first, the book's block first), each in that currency (see :func:`aging`).
    ``engine``: as for :func:`aging`."""
    basis, edges = aging_settings(ledger, policy, basis, edges)
    src = engine_source(ledger, engine, currency)
    if src is not None:
        from arbook.engines import results

        if src.ledger is not None:
            check_as_of(src.ledger, as_of)
        return results.summary(src, day_number(as_of), basis, edges, summary_columns(edges))
    if check_currency(currency) == "book":
        return summary_of_balances(ledger, as_of, basis, edges)
    items = aging(ledger, as_of, basis=basis, edges=edges, currency=currency)
    codes = sorted(set(items["currency"]), key=lambda c: (c != (ledger.currency or ""), c))
    blocks = [
        summarise_items(items[items["currency"] == code], ledger, edges).assign(currency=code)
        for code in codes
    ]
    if not blocks:
        blocks = [summarise_items(items, ledger, edges).assign(currency="")]
    frame = pd.concat(blocks, ignore_index=True)
    return frame[["currency", *[c for c in frame.columns if c != "currency"]]]
