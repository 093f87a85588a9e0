"""Money: exact int cents in, exact int cents out. The one reader of an amount a person types
(a form, a command-line flag, a policy or application file), the one rounding rule, and the one
formatter of cents for people, below every other layer so that reasons written by the core
(credit holds, limit reviews) read like the reports. ``views/format.py`` re-exports the
formatter with the other formats."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from arbook.core.parse import MAX_UNITS_DIGITS, parse_cents

NA = "n/a"


def half_up(value: Decimal) -> int:
    """``value`` (in cents) rounded to a whole number of cents, halves away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_money(value: object, *, least: int | None = None, example: str = "like 1234.56") -> int:
    """An amount as a person writes it -> exact int cents: ``1234.5``, ``1,234.56``, ``$ 12``,
    ``(99.95)`` (accounting parentheses are negative), or a number from a TOML file. At most two
    decimals; at least ``least`` cents when given. Raises ValueError saying what to write
    instead (``example`` shows the shape: "write it <example>")."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ValueError(f"{value!r} is not an amount of money; write it {example}")
    if isinstance(value, int):
        if abs(value) >= 10**MAX_UNITS_DIGITS:
            raise ValueError(f"{value!r} is too large an amount; check the figure")
        cents = value * 100
    else:
        text = str(value).strip()
        found, blank, bad = parse_cents(pd.Series([text], dtype="str"))
        if blank[0] or bad[0]:
            raise ValueError(_why_not_money(value, text, example))
        cents = int(found[0])
    if least is not None and cents < least:
        floor = "above 0" if least > 0 else "0 or more"
        raise ValueError(f"{value!r} must be {floor}; write the amount {example}")
    return cents


def _why_not_money(value: object, text: str, example: str) -> str:
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        number = None
    if number is not None and number.is_finite() and abs(number) >= 10**MAX_UNITS_DIGITS:
        return f"{value!r} is too large an amount; check the figure"  # 1e300: quantize can't
    if number is not None and number.is_finite() and number != number.quantize(Decimal("0.01")):
        rounded = number.quantize(Decimal("0.01"), ROUND_HALF_UP)
        return f"{value!r} has more than 2 decimals; round it to the cent, like {rounded}"
    return f"{value!r} is not an amount of money; write it {example}"


def format_cents(cents: object, *, sign: bool = False) -> str:
    """``123456`` -> ``1,234.56``; ``-5`` -> ``-0.05``; missing -> ``n/a``. Integer arithmetic
    only."""
    if cents is None or cents is pd.NA or (isinstance(cents, float) and math.isnan(cents)):
        return NA
    whole = int(cents)  # type: ignore[call-overload]
    units, rest = divmod(abs(whole), 100)
    prefix = "-" if whole < 0 else ("+" if sign and whole > 0 else "")
    return f"{prefix}{units:,}.{rest:02d}"


def format_money(cents: object, currency: str | None = None, *, sign: bool = False) -> str:
    """:func:`format_cents` followed by the ``currency`` when one is known (``1,234.56 EUR``):
    the one way a screen, a message or a digest names an amount (documents use the locale's
    own form, :func:`arbook.collections.documents.formats.money`)."""
    text = format_cents(cents, sign=sign)
    return f"{text} {currency}" if currency and text != NA else text


def cents_text(cents: npt.ArrayLike, decimal: str = ".") -> npt.NDArray[np.object_]:
    """Cents as plain amount text (``-1250.00``, or ``-1250,00`` with ``decimal=","``): no
    thousands separators, exact (integer arithmetic only), vectorised. The one writer of amounts
    that arbook computes into cells (an export's owed amount, a canonical file)."""
    values = np.asarray(cents, dtype=np.int64)
    size = np.abs(values)
    whole = pc.cast(pa.array(size // 100), pa.string())
    part = pc.utf8_lpad(pc.cast(pa.array(size % 100), pa.string()), 2, "0")
    sign = pa.array(np.where(values < 0, "-", ""))
    joined = pc.binary_join_element_wise(sign, whole, decimal, part, "")
    return np.asarray(joined.to_numpy(zero_copy_only=False), dtype=object)
