"""Numbers for people in the language spoken: a percentage in the locale's form (``85%`` in
English, ``85 %`` in Spanish and Russian, CLDR's through Babel), a ratio or a threshold with the
language's marks (``1,234.5``; ``1.234,5``; ``1 234,5``). The one place a fraction becomes a
percentage on a screen, in a sentence or on a document. English stays as Python writes it."""

from __future__ import annotations

import math
from decimal import Decimal

from babel import Locale
from babel.numbers import format_decimal, format_percent

from arbook.core.i18n import _, language, number_marks
from arbook.core.money import NA

__all__ = ["local_number", "percent_text", "ratio_text", "short_number"]

#: The most decimals a percentage shows when it is written "as needed" (``digits=None``).
MOST_DIGITS = 4


def local_number(text: str, lang: str | None = None) -> str:
    """``text``, a number written the English way (``1,234.5``), with the marks of ``lang``
    (default: the language spoken): ``1.234,5``, ``1 234,5``."""
    lang = lang or language()
    if lang == "en":
        return text
    group, decimal = number_marks(lang)
    marks: dict[str, str | int | None] = {",": group, ".": decimal}
    return text.translate(str.maketrans(marks))


def _needed(value: float) -> int:
    """The fewest decimals (at most :data:`MOST_DIGITS`) that write ``value`` as a percentage
    without rounding it (``0.1215`` -> 2: ``12.15%``)."""
    exact = round(value * 100, MOST_DIGITS)
    return next(d for d in range(MOST_DIGITS + 1) if round(value * 100, d) == exact)


def percent_text(
    value: float | Decimal | None, digits: int | None = 0, lang: str | None = None
) -> str:
    """A fraction as a percentage for people: ``0.25`` -> ``25%`` (``25 %`` in Spanish and
    Russian); ``digits=None``: as many decimals as the value has (a rate of 12.15% is never
    shown as 12%); ``n/a`` when undefined."""
    if value is None or not math.isfinite(float(value)):
        return _(NA)
    digits = _needed(float(value)) if digits is None else digits
    lang = lang or language()
    if lang == "en":
        return format(value, f".{digits}%")  # a Decimal keeps its own rounding
    fraction = "." + "0" * digits if digits else ""
    pattern = Locale.parse(lang).percent_formats[None].pattern.replace("0", f"0{fraction}", 1)
    return str(format_percent(value, pattern, locale=lang))


def ratio_text(value: float, digits: int = 1, lang: str | None = None) -> str:
    """A ratio (a DSO in days, a turnover) for people: ``1,234.5``, ``1.234,5``; ``n/a`` when
    undefined."""
    if not math.isfinite(float(value)):
        return _(NA)
    lang = lang or language()
    if lang == "en":
        return f"{value:,.{digits}f}"
    fraction = "." + "0" * digits if digits else ""
    return str(format_decimal(value, f"#,##0{fraction}", locale=lang))


def short_number(value: float | Decimal, lang: str | None = None) -> str:
    """A threshold or a factor as Python's ``:g`` writes it (``40``, ``1.25``), with the
    language's decimal mark."""
    return local_number(format(value, "g"), lang)
