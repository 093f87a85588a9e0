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
from babel.numbers import format_currency

from arbook.core.i18n import N_, _, language, number_marks
from arbook.core.parse import MAX_UNITS_DIGITS, parse_cents

NA = N_("n/a")


def half_up(value: Decimal) -> int:
    """``value`` (in cents) rounded to a whole number of cents, halves away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_money(value: object, *, least: int | None = None, example: str | None = None) -> int:
    """An amount as a person writes it -> exact int cents: ``1234.5``, ``1,234.56``, ``$ 12``,
    ``(99.95)`` (accounting parentheses are negative), or a number from a TOML file. At most two
    decimals; at least ``least`` cents when given. Raises ValueError saying what to write
    instead (``example`` shows the shape, "write it <example>"; by default "like 1234.56")."""
    example = _("like 1234.56") if example is None else example
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        said = _("{value} is not an amount of money; write it {example}")
        raise ValueError(said.format(value=repr(value), example=example))
    if isinstance(value, int):
        if abs(value) >= 10**MAX_UNITS_DIGITS:
            said = _("{value} is too large an amount; check the figure")
            raise ValueError(said.format(value=repr(value)))
        cents = value * 100
    else:
        text = str(value).strip()
        found, blank, bad = parse_cents(pd.Series([text], dtype="str"))
        if blank[0] or bad[0]:
            raise ValueError(_why_not_money(value, text, example))
        cents = int(found[0])
    if least is not None and cents < least:
        said = (
            _("{value} must be above 0; write the amount {example}")
            if least > 0
            else _("{value} must be 0 or more; write the amount {example}")
        )
        raise ValueError(said.format(value=repr(value), example=example))
    return cents


def _why_not_money(value: object, text: str, example: str) -> str:
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        number = None
    if number is not None and number.is_finite() and abs(number) >= 10**MAX_UNITS_DIGITS:
        # 1e300: quantize cannot
        return _("{value} is too large an amount; check the figure").format(value=repr(value))
    if number is not None and number.is_finite() and number != number.quantize(Decimal("0.01")):
        rounded = number.quantize(Decimal("0.01"), ROUND_HALF_UP)
        said = _("{value} has more than 2 decimals; round it to the cent, like {rounded}")
        return said.format(value=repr(value), rounded=rounded)
    said = _("{value} is not an amount of money; write it {example}")
    return said.format(value=repr(value), example=example)


def format_cents(cents: object, *, sign: bool = False, lang: str | None = None) -> str:
    """``123456`` -> ``1,234.56`` (``1.234,56`` in Spanish, ``1 234,56`` in Russian: the
    language spoken, :func:`arbook.core.i18n.language`, or ``lang``); ``-5`` -> ``-0.05``;
    missing -> ``n/a``. Integer arithmetic only."""
    if cents is None or cents is pd.NA or (isinstance(cents, float) and math.isnan(cents)):
        return _(NA)
    whole = int(cents)  # type: ignore[call-overload]
    units, rest = divmod(abs(whole), 100)
    prefix = "-" if whole < 0 else ("+" if sign and whole > 0 else "")
    group, decimal = number_marks(lang or language())
    return f"{prefix}{units:,}".replace(",", group) + f"{decimal}{rest:02d}"


def format_money(
    cents: object, currency: str | None = None, *, sign: bool = False, lang: str | None = None
) -> str:
    """An amount with its ``currency`` when one is known: the one way a screen, a message or a
    digest names an amount. English (arbook's international English) writes the ISO code after
    the number, ``1,234.56 EUR``; Spanish and Russian write it as their locale does (CLDR,
    through Babel): ``1.234,56 €``, ``1 234,56 ₽``. Without a currency, :func:`format_cents`."""
    lang = lang or language()
    text = format_cents(cents, sign=sign, lang=lang)
    if not currency or text == _(NA):
        return text
    if lang == "en":
        return f"{text} {currency}"
    whole = int(cents)  # type: ignore[call-overload]
    shown = format_currency(Decimal(whole).scaleb(-2), currency, locale=lang)
    return f"+{shown}" if sign and whole > 0 else shown


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
