"""Exchange rates from the European Central Bank's published files (SPEC §8): read offline,
from a file the user downloaded, never from the network.

The layouts read are the ECB's euro foreign exchange reference rates as CSV: the history
``eurofxref-hist.csv`` (``Date,USD,JPY,...,`` then ``2026-12-04,1.0548,...``, a trailing comma,
``N/A`` where a currency has no rate that day) and the day's ``eurofxref.csv`` (``Date, USD,
JPY, ...`` then ``04 December 2026, 1.0548, ...``). Every rate there is units of the currency
per one euro. For a book in euros arbook's rate is its inverse (euros per unit); for a book in
another currency the ECB quotes (a book in USD, say), the cross rate through the euro
(``USD per unit of X = USD per EUR / X per EUR``, and for the euro itself ``USD per EUR``).
An inverse or a cross rate has no exact decimal: it is kept to :data:`PLACES` (18 decimal
places), whose rounding moves no amount arbook can hold (under 10^13 units) by as much as a
thousandth of a cent before the conversion is rounded to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from arbook.core.errors import DataError
from arbook.core.i18n import _
from arbook.core.parse import parse_dates

#: Decimal places of a rate converted from the ECB's (an inverse or a cross rate).
PLACES = Decimal("1e-18")
EURO = "EUR"


def read_ecb(
    path: str | Path, book: str = EURO, currencies: list[str] | None = None
) -> pd.DataFrame:
    """The rates of the ECB file ``path`` as arbook's rates table for a book in ``book``:
    ``currency, rate, date`` (text, as a ``rates.csv`` holds them), one row per currency and
    day the file gives a rate, oldest first; ``currencies`` keeps only those. A file that is
    not the ECB's layout, or a book currency it does not quote, is a :class:`DataError` naming
    the file and what to do."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, skipinitialspace=True, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(
            _("{file}: cannot be read as the ECB's rates ({reason})").format(file=path, reason=exc)
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[:, [c for c in frame.columns if c and not c.startswith("Unnamed")]]
    if not len(frame.columns) or frame.columns[0] != "Date" or len(frame.columns) < 2:
        said = _(
            "{file}: not the ECB's reference rates layout (a first column Date, then one column "
            "per currency: eurofxref-hist.csv or eurofxref.csv from the ECB's site)"
        )
        raise DataError(said.format(file=path))
    quoted = list(frame.columns[1:])
    if book != EURO and book not in quoted:
        said = _(
            "{file}: the ECB quotes no {book}, the book's currency; give rates in {book} per "
            "unit in a rates.csv of your own"
        )
        raise DataError(said.format(file=path, book=book))
    dates = parse_dates(frame["Date"].str.strip())
    bad = dates.bad | dates.blank
    if bad.any():
        line = int(bad.argmax()) + 2
        said = _("{file}:{line}: Date {value} is not a date; the rows are the ECB's days")
        raise DataError(said.format(file=path, line=line, value=repr(frame["Date"].iloc[line - 2])))
    wanted = [c for c in quoted if c != book and (currencies is None or c in currencies)]
    if book != EURO and (currencies is None or EURO in currencies):
        wanted.append(EURO)
    rows = []
    for at, day in enumerate(dates.values):
        per_euro = {c: _number(frame[c].iloc[at]) for c in quoted}
        book_per_euro = Decimal(1) if book == EURO else per_euro.get(book)
        if book_per_euro is None:
            continue  # no rate of the book's currency that day: nothing converts
        for code in wanted:
            theirs = Decimal(1) if code == EURO else per_euro.get(code)
            if theirs is None:
                continue
            rate = (book_per_euro / theirs).quantize(PLACES, rounding=ROUND_HALF_UP)
            rows.append((code, f"{rate.normalize():f}", f"{day:%Y-%m-%d}"))
    out = pd.DataFrame(rows, columns=["currency", "rate", "date"])
    return out.sort_values(["date", "currency"], kind="stable").reset_index(drop=True)


def _number(text: str) -> Decimal | None:
    """A rate cell: a positive number, else None (``N/A``, blank)."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None
