"""Several currencies, exactly (SPEC §8).

Rates are book-currency units per unit of another currency, dated: a rate holds from its date
until the next one; a rate without a date holds on every day no dated rate covers (before the
first dated one). Documents convert to the book currency at their own date's rate.

A payment settles its invoice **in the invoice's currency**: a payment in that currency counts
at its face value; one in another currency is converted through the book currency at the
payment's date. An invoice settled in full in its currency is closed, outstanding exactly 0 in
its currency and in the book's: what each settlement takes off the invoice in book currency is
the difference of the invoice's book values (at the invoice's rate) before and after it, so the
takings add up to the invoice's book amount exactly when the invoice is settled (the same for a
credit note applied to it, which reverses it at its rate). What a payment is worth in book
currency at its own date less what it took off in book currency is the **realised** exchange
difference; the as-of revaluation of what is open is the **unrealised** one
(:func:`unrealised`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import numpy.typing as npt
import pandas as pd

from arbook.core.dates import days_of

#: The day of a rate given without a date: before every dated one.
UNDATED = -(1 << 40)
ONE = Decimal(1)

Days = npt.NDArray[np.int64]


def cents_at(cents: int, rate: Decimal) -> int:
    """``cents`` times ``rate``, to the cent, half away from zero."""
    return int((Decimal(int(cents)) * rate).quantize(ONE, rounding=ROUND_HALF_UP))


def cents_in(cents: int, rate: Decimal) -> int:
    """Book-currency ``cents`` in the currency whose ``rate`` (book units per unit) is given:
    ``cents`` divided by ``rate``, to the cent, half away from zero."""
    return int((Decimal(int(cents)) / rate).quantize(ONE, rounding=ROUND_HALF_UP))


def own_part(cents: int, book: int, own: int) -> int:
    """Of an item open ``book`` cents in book currency and ``own`` in its own currency, the part
    ``cents`` (in book currency) in its own: all of ``own`` for all of ``book`` (exactly), else
    in proportion, half away from zero (0 when nothing is open)."""
    cents, book, own = int(cents), int(book), int(own)
    if book == 0 or cents == 0:
        return 0
    if cents == book:
        return own
    sign = -1 if (cents * own < 0) != (book < 0) else 1
    num, den = abs(cents * own), abs(book)
    return sign * ((2 * num + den) // (2 * den))


@dataclass(frozen=True)
class Rates:
    """The rates of a ledger: per currency, the days rates start on (ascending; :data:`UNDATED`
    for an undated rate) and the rates."""

    table: dict[str, tuple[Days, tuple[Decimal, ...]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.table)

    def __contains__(self, currency: object) -> bool:
        return currency in self.table

    def codes(self) -> list[str]:
        return sorted(self.table)

    def at(self, currency: str, days: Days) -> list[Decimal | None]:
        """The rate of ``currency`` holding on each of ``days`` (None where none does)."""
        if currency not in self.table:
            return [None] * len(days)
        starts, rates = self.table[currency]
        index = np.searchsorted(starts, np.asarray(days, dtype=np.int64), side="right") - 1
        return [rates[i] if i >= 0 else None for i in index.tolist()]

    def first_day(self, currency: str) -> int | None:
        """The day ``currency``'s first dated rate starts (None: it has an undated one, or
        none)."""
        if currency not in self.table:
            return None
        start = int(self.table[currency][0][0])
        return None if start == UNDATED else start

    @classmethod
    def of(cls, rows: list[tuple[str, int, Decimal]]) -> Rates:
        """From ``(currency, start day or UNDATED, rate)`` rows, each (currency, day) once."""
        table: dict[str, tuple[Days, tuple[Decimal, ...]]] = {}
        for code in sorted({r[0] for r in rows}):
            mine = sorted((day, rate) for c, day, rate in rows if c == code)
            starts = np.array([d for d, _r in mine], dtype=np.int64)
            table[code] = (starts, tuple(r for _d, r in mine))
        return cls(table)


def rate_of(currency: str, book: str | None, rates: Rates, days: Days) -> list[Decimal | None]:
    """Book-currency units per unit of ``currency`` on each of ``days``: 1 for the book's own
    (and when there is no book currency), else the rates' (None where none holds)."""
    if not book or currency == book:
        return [ONE] * len(days)
    return rates.at(currency, days)


@dataclass(frozen=True)
class Settled:
    """What :func:`settle` gives, per payment row and per invoice row (NaN-free int64)."""

    pay_currency: npt.NDArray[np.object_]  # each payment's own currency
    paid_cents: Days  # in its own currency (as in the file)
    book_cents: Days  # in book currency at its own date (unconvertible: 0, with ``missing``)
    taken_cents: Days  # what it took off its invoice, in book currency (the ledger's amount)
    settled_cents: Days  # what it took off its invoice, in the invoice's currency
    missing: npt.NDArray[np.bool_]  # no rate for its currency (or its invoice's) on its date
    credit_cents: Days  # per invoice row: an applied credit note's amount in book currency
    credit_settles: Days  # per invoice row: what it took off its invoice, in that currency


def settle(
    invoices: pd.DataFrame,
    doc_cents: Days,
    payments: pd.DataFrame,
    pay_currency: npt.NDArray[np.object_],
    paid_cents: Days,
    book: str | None,
    rates: Rates,
) -> Settled:
    """Settle every payment row and applied credit note in its invoice's currency (see the
    module's docstring). ``invoices`` carry ``invoice_id, invoice_date, currency,
    amount_cents`` (book, at their rate) and ``applied_invoice_id``; ``doc_cents`` their
    amounts in their own currency; ``payments`` carry ``payment_date`` and
    ``allocated_invoice_id``; ``pay_currency`` and ``paid_cents`` each payment's currency and
    amount in it."""
    n_pay = len(payments)
    inv_ids = pd.Index(invoices["invoice_id"])
    inv_day = days_of(invoices["invoice_date"])
    inv_cur = invoices["currency"].to_numpy(dtype=object)
    inv_book = invoices["amount_cents"].to_numpy(dtype=np.int64)
    pay_day = days_of(payments["payment_date"])
    target = inv_ids.get_indexer(payments["allocated_invoice_id"].fillna("\0"))
    book_cents = paid_cents.copy()
    missing = np.zeros(n_pay, dtype=bool)
    for code in sorted({c for c in pay_currency.tolist() if c != book}):
        rows = np.flatnonzero(pay_currency == code)
        for at, rate in zip(rows.tolist(), rate_of(code, book, rates, pay_day[rows]), strict=True):
            if rate is None:
                missing[at] = True
                book_cents[at] = 0
            else:
                book_cents[at] = cents_at(paid_cents[at], rate)
    taken = book_cents.copy()
    settled = paid_cents.copy()
    credit_cents = inv_book.copy()
    credit_settles = np.where(inv_book < 0, -doc_cents, 0).astype(np.int64)
    # the settlements of invoices that involve another currency than the book's, in order
    applied = inv_ids.get_indexer(invoices["applied_invoice_id"].fillna("\0"))
    foreign_inv = np.array([c != book for c in inv_cur.tolist()], dtype=bool) if book else None
    if foreign_inv is None:
        return Settled(pay_currency, paid_cents, book_cents, taken, settled, missing,
                       credit_cents, credit_settles)  # fmt: skip
    pay_rows = np.flatnonzero(target >= 0)
    pay_rows = pay_rows[
        foreign_inv[target[pay_rows]] | (pay_currency[pay_rows] != inv_cur[target[pay_rows]])
    ]
    credit_rows = np.flatnonzero(applied >= 0)
    credit_rows = credit_rows[
        foreign_inv[applied[credit_rows]] | (inv_cur[credit_rows] != inv_cur[applied[credit_rows]])
    ]
    events = pd.DataFrame(
        {
            "invoice": np.concatenate([target[pay_rows], applied[credit_rows]]),
            "day": np.concatenate([pay_day[pay_rows], inv_day[credit_rows]]),
            "kind": np.concatenate([np.zeros(len(pay_rows)), np.ones(len(credit_rows))]),
            "row": np.concatenate([pay_rows, credit_rows]),
        }
    ).sort_values(["invoice", "day", "kind", "row"], kind="stable")
    invoice_of = events["invoice"].to_numpy(dtype=np.int64)
    row_of = events["row"].to_numpy(dtype=np.int64)
    day_of = events["day"].to_numpy(dtype=np.int64)
    kind_of = events["kind"].to_numpy()
    code_of = inv_cur[invoice_of]
    own_of = np.empty(len(events), dtype=object)  # the settling money's own currency
    paying = kind_of == 0
    own_of[paying] = pay_currency[row_of[paying]]
    own_of[~paying] = inv_cur[row_of[~paying]]
    # every rate the events need, looked up once per currency: each invoice's at its date, and
    # for an event in another currency than its invoice both currencies' at the event's day
    inv_rate = _rates_on(code_of, inv_day[invoice_of], book, rates)
    cross = own_of != code_of
    mine = _rates_on(own_of[cross], day_of[cross], book, rates)
    theirs = _rates_on(code_of[cross], day_of[cross], book, rates)
    across: dict[int, tuple[Decimal | None, Decimal | None]] = dict(
        zip(np.flatnonzero(cross).tolist(), zip(mine, theirs, strict=True), strict=True)
    )
    done: dict[int, int] = {}  # per invoice: settled so far, in its currency
    for at in range(len(events)):
        invoice, row, kind = int(invoice_of[at]), int(row_of[at]), kind_of[at]
        if kind == 0:
            amount, when_missing = int(paid_cents[row]), bool(missing[row])
        else:
            amount, when_missing = int(-doc_cents[row]), False
        in_invoice: int | None = amount
        if at in across:
            ours, their = across[at]
            in_invoice = (
                None
                if ours is None or their is None
                else int((Decimal(amount) * ours / their).quantize(ONE, rounding=ROUND_HALF_UP))
            )
        if in_invoice is None or when_missing:
            if kind == 0:
                missing[row] = True
                taken[row], settled[row] = 0, 0
            continue
        rate = inv_rate[at]
        before = done.get(invoice, 0)
        after = before + in_invoice
        done[invoice] = after
        # (an invoice without its rate was not converted: refused, reported there)
        step = 0 if rate is None else cents_at(after, rate) - cents_at(before, rate)
        if kind == 0:
            taken[row], settled[row] = step, in_invoice
        else:
            credit_cents[row], credit_settles[row] = -step, in_invoice
    return Settled(pay_currency, paid_cents, book_cents, taken, settled, missing, credit_cents,
                   credit_settles)  # fmt: skip


def _rates_on(
    codes: npt.NDArray[np.object_], days: Days, book: str | None, rates: Rates
) -> list[Decimal | None]:
    """The rate of each ``codes[i]`` on ``days[i]``, looked up once per currency."""
    out: list[Decimal | None] = [None] * len(codes)
    for code in set(codes.tolist()):
        rows = np.flatnonzero(codes == code)
        for at, rate in zip(rows.tolist(), rate_of(code, book, rates, days[rows]), strict=True):
            out[at] = rate
    return out
