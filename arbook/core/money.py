"""Money as text: the one formatter of int cents for people, below every other layer so that
reasons written by the core (credit holds, limit reviews) read like the reports.
``views/format.py`` re-exports it with the other formats."""

from __future__ import annotations

import math

import pandas as pd

NA = "n/a"


def format_cents(cents, *, sign: bool = False) -> str:
    """``123456`` -> ``1,234.56``; ``-5`` -> ``-0.05``; missing -> ``n/a``. Integer arithmetic only."""
    if cents is None or cents is pd.NA or (isinstance(cents, float) and math.isnan(cents)):
        return NA
    cents = int(cents)
    units, rest = divmod(abs(cents), 100)
    prefix = "-" if cents < 0 else ("+" if sign and cents > 0 else "")
    return f"{prefix}{units:,}.{rest:02d}"
