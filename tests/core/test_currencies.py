"""Dated rates and the one rounding of a conversion (:mod:`arbook.core.currencies`); how
payments settle their invoices in several currencies is tested in
tests/measures/test_exchange.py."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from arbook.core.currencies import UNDATED, Rates, cents_at, rate_of
from arbook.core.dates import day_number


def test_a_rate_holds_from_its_date_until_the_next():
    rates = Rates.of(
        [
            ("USD", day_number("2026-02-01"), Decimal("0.92")),
            ("USD", day_number("2026-01-01"), Decimal("0.90")),
            ("GBP", UNDATED, Decimal("1.15")),
        ]
    )
    days = np.array(
        [day_number(d) for d in ("2025-12-31", "2026-01-01", "2026-01-31", "2026-02-01")]
    )
    assert rates.at("USD", days) == [None, Decimal("0.90"), Decimal("0.90"), Decimal("0.92")]
    assert rates.at("GBP", days) == [Decimal("1.15")] * 4  # undated: every day
    assert rates.at("JPY", days[:1]) == [None]
    assert rates.first_day("USD") == day_number("2026-01-01") and rates.first_day("GBP") is None
    assert rates.codes() == ["GBP", "USD"] and "USD" in rates and bool(rates)
    assert not Rates()


def test_the_book_currency_is_one_to_one():
    days = np.array([0, 1])
    assert rate_of("EUR", "EUR", Rates(), days) == [Decimal(1), Decimal(1)]
    assert rate_of("USD", None, Rates(), days) == [Decimal(1), Decimal(1)]  # no book currency
    assert rate_of("USD", "EUR", Rates(), days) == [None, None]


@pytest.mark.parametrize(
    ("cents", "rate", "want"),
    [(10000, "0.9", 9000), (1, "0.5", 1), (-1, "0.5", -1), (3, "0.5", 2), (12345, "1.0835", 13376)],
)
def test_a_conversion_rounds_half_away_from_zero(cents, rate, want):
    assert cents_at(cents, Decimal(rate)) == want
