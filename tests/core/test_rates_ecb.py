"""The ECB's published reference rates read as a ledger's rates (:mod:`arbook.core.rates_ecb`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import arbook
from arbook.core.errors import DataError
from arbook.core.rates_ecb import read_ecb

HISTORY = (
    "Date,USD,JPY,GBP,RUB,\n"
    "2026-12-04,1.0548,160.12,0.8312,N/A,\n"
    "2026-12-03,1.0500,159.90,0.8300,N/A,\n"
)
TODAY = "Date, USD, JPY, GBP, \n04 December 2026, 1.0548, 160.12, 0.8312, \n"


@pytest.fixture
def history(tmp_path):
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text(HISTORY, encoding="utf-8")
    return path


def test_a_book_in_euros_takes_the_inverse(history):
    rates = read_ecb(history)
    assert list(rates.columns) == ["currency", "rate", "date"]
    assert rates["date"].tolist() == ["2026-12-03"] * 3 + ["2026-12-04"] * 3  # oldest first
    usd = rates[(rates["currency"] == "USD") & (rates["date"] == "2026-12-04")].iloc[0]
    assert Decimal(usd["rate"]) == (Decimal(1) / Decimal("1.0548")).quantize(Decimal("1e-18"))
    assert "RUB" not in set(rates["currency"])  # N/A every day: no rate, never a zero


def test_a_book_in_another_currency_takes_the_cross_rate(tmp_path):
    path = tmp_path / "eurofxref.csv"
    path.write_text(TODAY, encoding="utf-8")
    rates = read_ecb(path, "USD").set_index("currency")["rate"]
    assert rates["EUR"] == "1.0548"  # dollars per euro, as the ECB gives it
    assert Decimal(rates["GBP"]) == (Decimal("1.0548") / Decimal("0.8312")).quantize(
        Decimal("1e-18")
    )
    assert set(read_ecb(path, "USD", ["GBP"])["currency"]) == {"GBP"}


def test_the_rates_convert_a_ledger(tmp_path, history):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "invoices.csv").write_text(
        "invoice_id,customer_id,invoice_date,amount,currency\nI1,A,2026-12-04,105.48,USD\n"
        "I2,A,2026-12-04,1.00,EUR\n"
    )
    read_ecb(history).to_csv(folder / "rates.csv", index=False)
    ledger = arbook.read_ledger(folder, policy={"currency": "EUR"})
    assert ledger.errors.empty
    assert ledger.invoices.set_index("invoice_id").loc["I1", "amount_cents"] == 10000


def test_another_file_or_an_unquoted_book_is_refused_in_words(tmp_path, history):
    other = tmp_path / "invoices.csv"
    other.write_text("invoice_id,amount\nI1,5\n")
    with pytest.raises(DataError, match="not the ECB's reference rates layout"):
        read_ecb(other)
    with pytest.raises(DataError, match="the ECB quotes no KES, the book's currency"):
        read_ecb(history, "KES")
    broken = tmp_path / "broken.csv"
    broken.write_text("Date,USD\nyesterday,1.05\n")
    with pytest.raises(DataError, match=r"broken.csv:2: Date 'yesterday' is not a date"):
        read_ecb(broken)
