"""Statements and letters in the customer's currency (SPEC §8): a customer invoiced in USD in a
EUR book is written to in USD (its items, totals, payments, disputes and late charges, the fee
converted at the rate of the day it was charged); one with items in several currencies in the
book's, each foreign item with its own amount beside it. Worked by hand below."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ledger_of

import arbook
from arbook.collections.contacts import ContactLog
from arbook.collections.documents import customer_aging, customer_currency, letter, statement
from arbook.core.currencies import cents_in, own_part
from arbook.measures.exchange import document_balances

COMPANY = {"name": "Acme SL", "email": "ar@acme.example"}
AS_OF = "2026-03-31"
RATES = """
    currency,rate,date
    USD,0.90,2026-01-01
    USD,0.92,2026-02-01
    USD,0.95,2026-03-01
"""
# B is invoiced in USD only: U1 USD 100.00 (90.00 EUR), less USD 40.00 paid -> USD 60.00, due
# 2026-02-09, 50 days late (31-60); U2 USD 250.00 (230.00 EUR), due 2026-03-12, 19 days (1-30);
# USD 5.00 on account (Q2, 4.75 EUR). In USD: owed 310.00, credit -5.00, balance 305.00.
# A has M1 USD 100.00 (90.00 EUR) and M2 EUR 10.00: written to in EUR, balance 100.00.
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,applies_to,currency
    U1,B,2026-01-10,2026-02-09,100.00,,USD
    U2,B,2026-02-10,2026-03-12,250.00,,USD
    M1,A,2026-01-10,2026-02-09,100.00,,USD
    M2,A,2026-01-10,2026-02-09,10.00,,EUR
"""
PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id,currency
    Q1,B,2026-02-20,40.00,U1,USD
    Q2,B,2026-03-05,5.00,,USD
"""
CUSTOMERS = """
    customer_id,name,email,language,contact
    A,Alpha SA,a@alpha.example,en,
    B,Beta Inc,b@beta.example,en,Bo
"""
POLICY = {"currency": "EUR", "late_charges": {"annual_rate": 0.10, "fee": 10}}


@pytest.fixture
def ledger(tmp_path):
    book = ledger_of(
        tmp_path,
        policy=POLICY,
        invoices=INVOICES,
        payments=PAYMENTS,
        customers=CUSTOMERS,
        rates=RATES,
    )
    assert book.issues.empty, book.issues
    return book


def test_the_customers_currency(ledger):
    from conftest import SAMPLE

    assert customer_currency(ledger, "B", AS_OF) == "USD"  # everything open is in USD
    assert customer_currency(ledger, "A", AS_OF) == "EUR"  # USD and EUR: the book's
    sample = arbook.read_ledger(SAMPLE)  # a book in one currency: its own
    customer = sample.customers["customer_id"].iloc[0]
    assert customer_currency(sample, customer, "2026-06-30") == sample.currency


def test_a_usd_customers_statement_is_in_usd_and_equals_its_aging_in_usd(ledger):
    doc = statement(ledger, "B", AS_OF, lang="en", company=COMPANY)
    for text in (
        "U1 invoice  January 10, 2026  February 9, 2026  50  31-60  $60.00",
        "U2 invoice  February 10, 2026  March 12, 2026  19  1-30  $250.00",
        "Total owed  $310.00",
        "Credits and unapplied payments  -$5.00",
        "Total balance  $305.00",
        "February 20, 2026  Q1  U1  $40.00",
        "March 5, 2026  Q2  on account  $5.00",
    ):
        assert text in doc.text, text
    assert "€" not in doc.text and "in brackets" not in doc.text
    assert "Q2 on account  March 5, 2026      credit  -$5.00" in doc.text
    summary = arbook.aging_summary(ledger, AS_OF, basis="due", currency="document")
    row = summary[(summary["currency"] == "USD") & (summary["customer_id"] == "B")].iloc[0]
    assert (row["receivable_cents"], row["unapplied_cents"], row["total_cents"]) == (
        31000,
        -500,
        30500,
    )
    items, totals = customer_aging(ledger, "B", AS_OF, currency="USD")
    assert totals["total_cents"] == 30500 and set(items["currency"]) == {"USD"}


def test_a_usd_customers_letter_asks_for_usd(ledger):
    doc = letter(ledger, "B", AS_OF, "reminder", lang="en", company=COMPANY)
    for text in (
        "Total overdue  $310.00",
        "credits on your account  -$5.00",
        "Amount to pay now  $305.00",
    ):
        assert text in doc.text, text
    assert "€" not in doc.text


def test_a_customer_in_two_currencies_is_written_to_in_the_books(ledger):
    doc = statement(ledger, "A", AS_OF, lang="en", company=COMPANY)
    assert "M1 invoice  January 10, 2026  February 9, 2026  50  31-60  €90.00 ($100.00)" in doc.text
    assert "M2 invoice  January 10, 2026  February 9, 2026  50  31-60  €10.00\n" in doc.text
    assert "Amounts in EUR; an item in another currency counts at the rate of its date" in doc.text
    assert "Total balance  €100.00" in doc.text
    summary = arbook.aging_summary(ledger, AS_OF, basis="due").set_index("customer_id")
    assert summary.loc["A", "total_cents"] == 10000
    spanish = statement(ledger, "A", AS_OF, lang="es", company=COMPANY)
    assert "100,00\xa0US$" in spanish.text and "Importes en EUR" in spanish.text


def test_late_charges_and_disputes_in_the_customers_currency(ledger, tmp_path):
    # Interest at 10% a year on what is open in USD: U1 60.00 x 50 days = 0.82, U2 250.00 x 19
    # days = 1.30; the fee of EUR 10.00 charged on 2026-03-15 (rate 0.95) is USD 10.53.
    with ContactLog(path=tmp_path / "log.db") as log:
        log.add("B", channel="email", outcome="sent", who="t", step="second_call",
                at=dt.datetime(2026, 3, 15, tzinfo=dt.UTC), document="B/x.pdf",
                sha256="b" * 64)  # fmt: skip
        doc = statement(ledger, "B", AS_OF, lang="en", company=COMPANY, log=log)
        assert "March 15, 2026  Reminder: Overdue notice  $10.53" in doc.text
        assert "Interest on overdue items at 10% a year  $2.12" in doc.text
        assert "Total late charges  $12.65" in doc.text
        # a dispute of the whole of U2: its USD 250.00, not asked for by a letter
        log.open_dispute(
            "B", "U2", reason="price", who="Ann", at=dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
        )
        doc = letter(ledger, "B", AS_OF, "reminder", lang="en", company=COMPANY, log=log)
        assert "In dispute, not asked for in this letter: $250.00" in doc.text
        assert "Amount to pay now  $55.00" in doc.text
        doc = statement(ledger, "B", AS_OF, lang="en", company=COMPANY, log=log)
        assert "U2  price" in doc.text and "$250.00" in doc.text
        assert "Interest on overdue items at 10% a year  $0.82" in doc.text
        # a part in dispute, logged in book currency: EUR 27.00 of U1's EUR 54.00 open (90.00
        # less the USD 40.00 paid at the invoice's rate, 36.00) is half: USD 30.00
        log.open_dispute("B", "U1", reason="short", who="Ann", amount_cents=2700,
                         at=dt.datetime(2026, 3, 21, tzinfo=dt.UTC))  # fmt: skip
        doc = letter(ledger, "B", AS_OF, "reminder", lang="en", company=COMPANY, log=log)
    items, _ = customer_aging(ledger, "B", AS_OF, currency="USD")
    book = arbook.aging(ledger, AS_OF).set_index("document_id")
    assert book.loc["U1", "outstanding_cents"] == 5400
    assert "$30.00" in doc.text  # the USD 30.00 of U1 left to ask for, U2 wholly in dispute
    assert "In dispute, not asked for in this letter: $280.00" in doc.text
    assert int(items["outstanding_cents"].sum()) == 30500


def test_unapplied_cash_in_another_currency_is_revalued(ledger):
    # Q2: USD 5.00 received on 2026-03-05 at 0.95 is EUR 4.75 held; at the as-of rate (0.95)
    # nothing changes; U2's USD 250.00 (230.00 at 0.92) is worth 237.50: 7.50 unrealised gain.
    balances = document_balances(ledger, AS_OF).set_index("document_id")
    q2 = balances.loc["Q2"]
    assert (q2["kind"], q2["currency"], q2["outstanding_doc_cents"], q2["outstanding_cents"]) == (
        "payment",
        "USD",
        -500,
        -475,
    )
    assert q2["unrealised_cents"] == 0
    assert balances.loc["U2", "unrealised_cents"] == 750


def test_cash_received_at_one_rate_and_revalued_at_another(tmp_path):
    ledger = ledger_of(
        tmp_path,
        policy={"currency": "EUR"},
        invoices="invoice_id,customer_id,invoice_date,due_date,amount,currency\nE1,C,2026-01-05,,10.00,EUR\n",
        payments="payment_id,customer_id,payment_date,amount,invoice_id,currency\nC1,C,2026-01-15,50.00,,USD\n",
        rates=RATES,
    )
    row = document_balances(ledger, AS_OF).set_index("document_id").loc["C1"]
    # held at 0.90 (EUR 45.00); at the as-of rate 0.95 the customer is owed EUR 47.50: a loss
    assert (row["outstanding_cents"], row["revalued_cents"], row["unrealised_cents"]) == (
        -4500,
        -4750,
        -250,
    )
    fx = arbook.measures.exchange.exchange_differences(ledger, AS_OF).set_index("currency")
    assert fx.loc["USD", "unrealised_cents"] == -250 and fx.loc["USD", "open_doc_cents"] == -5000


def test_conversions_to_the_cent():
    from decimal import Decimal

    assert cents_in(1000, Decimal("0.95")) == 1053 and cents_in(-1000, Decimal("0.95")) == -1053
    assert own_part(9000, 9000, 10000) == 10000  # all of it: exactly
    assert own_part(4500, 9000, 10001) == 5001  # half of 100.01, half away from zero
    assert own_part(-4500, -9000, -10000) == -5000 and own_part(1, 0, 5) == 0
