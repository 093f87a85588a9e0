"""Several currencies, exactly (SPEC §8): payments settle their invoice in its currency, dated
rates, the realised and unrealised exchange differences, and the identities per currency and in
book currency, on hand-worked ledgers and random ones."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ledger_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arbook
from arbook.measures.exchange import document_balances, exchange_differences

POLICY = 'currency = "EUR"\n'
RATES = """
    currency,rate,date
    USD,0.90,2026-01-01
    USD,0.92,2026-02-01
    USD,0.95,2026-03-01
    GBP,1.15,
"""


def book(tmp_path, invoices: str, payments: str = "", rates: str = RATES) -> arbook.Ledger:
    tables = {"invoices": invoices, "rates": rates}
    if payments:
        tables["payments"] = payments
    return ledger_of(tmp_path, policy={"currency": "EUR"}, **tables)


def owed(ledger, as_of: str) -> dict[str, int]:
    items = arbook.aging(ledger, as_of).set_index("document_id")
    return items["outstanding_cents"].to_dict()


USD_100 = """
    invoice_id,customer_id,invoice_date,due_date,amount,applies_to,currency
    I1,A,2026-01-10,2026-02-09,100.00,,USD
"""


@pytest.mark.parametrize("column", [True, False])
def test_a_usd_invoice_paid_in_usd_closes_at_zero(tmp_path, column):
    """The issue's example: USD 100.00 (90.00 EUR at the invoice's rate) paid with USD 100.00.
    Without a currency column, a payment is in its invoice's currency."""
    payments = (
        "payment_id,customer_id,payment_date,amount,invoice_id,currency\nP1,A,2026-02-05,100.00,I1,USD\n"
        if column
        else "payment_id,customer_id,payment_date,amount,invoice_id\nP1,A,2026-02-05,100.00,I1\n"
    )
    ledger = book(tmp_path, USD_100, payments)
    assert ledger.issues.empty
    assert ledger.invoices.loc[0, "amount_cents"] == 9000  # at 0.90, the invoice's date
    assert owed(ledger, "2026-02-28") == {}  # closed in USD and in EUR: nothing open
    summary = arbook.aging_summary(ledger, "2026-02-28")
    assert int(summary["total_cents"].sum()) == 0 and int(summary["unapplied_cents"].sum()) == 0
    pay = ledger.payments.iloc[0]
    assert (pay["paid_cents"], pay["book_cents"], pay["amount_cents"]) == (10000, 9200, 9000)
    fx = exchange_differences(ledger, "2026-02-28").set_index("currency")
    assert fx.loc["USD", "realised_cents"] == 200  # USD 100 came in worth 92.00, booked at 90.00
    assert fx.loc["USD", "open_doc_cents"] == 0 and fx.loc["USD", "unrealised_cents"] == 0


def test_part_paid_then_revalued(tmp_path):
    """USD 40.00 paid when USD is 0.92: USD 60.00 open, 54.00 EUR at the invoice's 0.90;
    realised 40 x (0.92 - 0.90) = 0.80; at 0.95 on 2026-03-31 the 60.00 are worth 57.00."""
    payments = "payment_id,customer_id,payment_date,amount,invoice_id\nP1,A,2026-02-05,40.00,I1\n"
    ledger = book(tmp_path, USD_100, payments)
    assert owed(ledger, "2026-03-31") == {"I1": 5400}
    row = document_balances(ledger, "2026-03-31").iloc[0]
    assert (row["outstanding_doc_cents"], row["outstanding_cents"]) == (6000, 5400)
    assert (row["revalued_cents"], row["unrealised_cents"]) == (5700, 300)
    fx = exchange_differences(ledger, "2026-03-31").set_index("currency").loc["USD"]
    assert (fx["realised_cents"], fx["unrealised_cents"]) == (80, 300)
    # paid in two parts that close it: exactly 0 in both currencies, whatever the rounding
    more = "P2,A,2026-03-05,60.00,I1\n"
    closed = book(tmp_path / "two", USD_100, payments + more)
    assert owed(closed, "2026-03-31") == {}
    assert int(closed.payments["amount_cents"].sum()) == 9000


def test_over_payment_in_the_invoices_currency(tmp_path):
    payments = "payment_id,customer_id,payment_date,amount,invoice_id\nP1,A,2026-02-05,110.00,I1\n"
    ledger = book(tmp_path, USD_100, payments)
    assert owed(ledger, "2026-02-28") == {"I1": -900}  # USD 10.00 over, at the invoice's 0.90
    assert document_balances(ledger, "2026-02-28").iloc[0]["outstanding_doc_cents"] == -1000


def test_a_payment_in_another_currency_is_converted_through_the_book_and_said(tmp_path):
    """EUR 46.00 against the USD invoice on 2026-02-05 (0.92): USD 50.00 settled, taken off at
    the invoice's 0.90 (45.00 EUR): realised 1.00. GBP 40.00 (undated 1.15 = EUR 46.00): the
    same."""
    payments = """
        payment_id,customer_id,payment_date,amount,invoice_id,currency
        P1,A,2026-02-05,46.00,I1,EUR
        P2,A,2026-02-06,40.00,I1,GBP
    """
    ledger = book(tmp_path, USD_100, payments)
    warned = ledger.issues.set_index("source_line")
    assert list(warned["code"]) == ["currency_cross", "currency_cross"]
    assert warned.loc[2, "message"] == "currency 'EUR' differs from its invoice's USD"
    assert "Converted through EUR at the payment's date" in warned.loc[2, "hint"]
    assert owed(ledger, "2026-02-28") == {}  # USD 50 + USD 50: closed
    assert ledger.payments["settled_cents"].tolist() == [5000, 5000]
    assert ledger.payments["exchange_cents"].tolist() == [100, 100]


def test_a_credit_note_in_a_third_currency(tmp_path):
    """GBP 20.00 credited against the USD invoice on 2026-02-10: GBP 20 = EUR 23.00 = USD 25.00
    at 0.92; it takes USD 25.00 off at the invoice's 0.90 (22.50 EUR)."""
    invoices = USD_100 + "C1,A,2026-02-10,,-20.00,I1,GBP\n"
    ledger = book(tmp_path, invoices)
    assert owed(ledger, "2026-02-28") == {"I1": 6750}  # USD 75.00 at 0.90
    credit = ledger.invoices.set_index("invoice_id").loc["C1"]
    assert credit["amount_cents"] == -2250 and credit["settles_cents"] == 2500
    assert document_balances(ledger, "2026-02-28").iloc[0]["outstanding_doc_cents"] == 7500


def test_a_rate_holds_from_its_date_until_the_next(tmp_path):
    invoices = """
        invoice_id,customer_id,invoice_date,due_date,amount,applies_to,currency
        J1,A,2026-01-31,,100.00,,USD
        J2,A,2026-02-01,,100.00,,USD
        J3,A,2026-03-15,,100.00,,USD
    """
    ledger = book(tmp_path, invoices)
    amounts = ledger.invoices.set_index("invoice_id")["amount_cents"].to_dict()
    assert amounts == {"J1": 9000, "J2": 9200, "J3": 9500}
    # an undated rate holds on every day no dated one covers (before the first)
    undated = book(
        tmp_path / "u", invoices, rates="currency,rate,date\nUSD,0.80,\nUSD,0.92,2026-02-01\n"
    )
    assert undated.invoices.set_index("invoice_id")["amount_cents"].to_dict() == {
        "J1": 8000,
        "J2": 9200,
        "J3": 9200,
    }


def test_a_missing_rate_names_the_currency_and_the_date(tmp_path):
    invoices = """
        invoice_id,customer_id,invoice_date,due_date,amount,applies_to,currency
        K1,A,2025-12-20,,100.00,,USD
        K2,A,2026-01-20,,100.00,,USD
    """
    payments = """
        payment_id,customer_id,payment_date,amount,invoice_id,currency
        Q1,A,2026-01-25,10.00,K2,USD
        Q2,A,2025-12-28,10.00,,USD
    """
    ledger = book(tmp_path, invoices, payments)
    errors = ledger.errors
    assert list(errors["source_line"]) == [2, 3]
    assert set(errors["code"]) == {"currency_mix"}
    assert errors.iloc[0]["message"] == (
        "currency 'USD' has no rate on 2025-12-20: the rates file's first USD rate is dated "
        "2026-01-01"
    )
    assert "and date from when each holds" in errors.iloc[0]["hint"]
    assert errors.iloc[1]["source_file"].endswith("payments.csv")
    assert list(ledger.invoices["invoice_id"]) == ["K2"] and list(
        ledger.payments["payment_id"]
    ) == ["Q1"]


def test_one_currency_books_are_untouched(sample_ledger):
    assert "exchange_cents" not in sample_ledger.payments
    fx = exchange_differences(sample_ledger, "2026-10-31")
    assert list(fx["currency"]) == ["EUR"] and fx["realised_cents"].tolist() == [0]
    assert fx["unrealised_cents"].tolist() == [0]
    items = arbook.aging(sample_ledger, "2026-10-31")  # what is open, credits and cash too
    assert fx["open_cents"].sum() == fx["open_doc_cents"].sum() == items["outstanding_cents"].sum()


@pytest.fixture(scope="module")
def sample_ledger():
    from conftest import SAMPLE

    return arbook.read_ledger(SAMPLE)


# -- random ledgers: the identities per currency and in book currency -----------------------

BASE = pd.Timestamp("2026-01-01")
CODES = ["EUR", "USD", "GBP"]


@st.composite
def ledgers(draw):
    invoices, payments = [], []
    n = draw(st.integers(1, 10))
    for i in range(n):
        day = draw(st.integers(0, 120))
        cents = draw(st.integers(-30_000, 300_000).filter(lambda c: c != 0))
        target = draw(st.sampled_from(["", "", f"I{draw(st.integers(0, n - 1))}"]))
        invoices.append(
            {
                "invoice_id": f"I{i}",
                "customer_id": draw(st.sampled_from("AB")),
                "invoice_date": f"{BASE + pd.Timedelta(days=day):%Y-%m-%d}",
                "due_date": "",
                "amount": f"{cents / 100:.2f}",
                "applies_to": target if cents < 0 and target != f"I{i}" else "",
                "currency": draw(st.sampled_from(CODES)),
            }
        )
    for p in range(draw(st.integers(0, 10))):
        payments.append(
            {
                "payment_id": f"P{p}",
                "customer_id": draw(st.sampled_from("AB")),
                "payment_date": f"{BASE + pd.Timedelta(days=draw(st.integers(0, 150))):%Y-%m-%d}",
                "amount": f"{draw(st.integers(1, 300_000)) / 100:.2f}",
                "invoice_id": draw(st.sampled_from(["", f"I{draw(st.integers(0, n - 1))}"])),
                "currency": draw(st.sampled_from([*CODES, ""])),
            }
        )
    rates = [("USD", "0.9000", "2025-12-01"), ("GBP", "1.1500", "2025-12-01")]
    for _k in range(draw(st.integers(0, 4))):
        rates.append(
            (
                draw(st.sampled_from(["USD", "GBP"])),
                f"{draw(st.integers(5000, 20000)) / 10000:.4f}",
                f"{BASE + pd.Timedelta(days=draw(st.integers(0, 150))):%Y-%m-%d}",
            )
        )
    as_of = f"{BASE + pd.Timedelta(days=draw(st.integers(0, 160))):%Y-%m-%d}"
    return pd.DataFrame(invoices), pd.DataFrame(payments), rates, as_of


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_identities_hold_per_currency_and_in_book_currency(tmp_path_factory, case):
    invoices, payments, rates, as_of = case
    folder = tmp_path_factory.mktemp("fx")
    invoices.to_csv(folder / "invoices.csv", index=False)
    if len(payments):
        payments.to_csv(folder / "payments.csv", index=False)
    seen, rows = set(), ["currency,rate,date"]
    for code, rate, day in rates:
        if (code, day) not in seen:
            seen.add((code, day))
            rows.append(f"{code},{rate},{day}")
    (folder / "rates.csv").write_text("\n".join(rows) + "\n")
    (folder / "policy.toml").write_text(POLICY)
    ledger = arbook.read_ledger(folder)
    assert ledger.errors.empty, ledger.errors
    inv, pay = ledger.invoices, ledger.payments
    inv_on = inv["invoice_date"] <= as_of
    pay_on = pay["payment_date"] <= as_of
    summary = arbook.aging_summary(ledger, as_of)
    net = int(summary["total_cents"].sum())
    # in book currency: what is open = invoices - payments at their own rates + realised
    book_cents = pay["book_cents"] if "book_cents" in pay else pay["amount_cents"]
    exchange = pay["exchange_cents"] if "exchange_cents" in pay else 0 * pay["amount_cents"]
    assert net == int(inv.loc[inv_on, "amount_cents"].sum()) - int(book_cents[pay_on].sum()) + int(
        exchange[pay_on].sum()
    )
    # per currency: what is open in it = its documents - what settled them, in it
    balances = document_balances(ledger, as_of)
    doc = (
        inv["original_amount_cents"].fillna(inv["amount_cents"])
        if "original_amount_cents" in inv
        else inv["amount_cents"]
    )
    for code in CODES:
        mine = inv["currency"] == code
        target = pay["allocated_invoice_id"].map(inv.set_index("invoice_id")["currency"])
        settled = pay["settled_cents"] if "settled_cents" in pay else pay["amount_cents"]
        exists = pay["allocated_invoice_id"].map(
            inv.set_index("invoice_id")["invoice_date"] <= as_of
        )  # money dated before its invoice counts once the invoice exists
        exists = exists.astype("boolean").fillna(False).astype(bool)
        paid = int(settled[pay_on & (target == code) & exists].sum())
        credits = inv["applied_invoice_id"].map(inv.set_index("invoice_id")["currency"])
        takes = inv["settles_cents"] if "settles_cents" in inv else -inv["amount_cents"]
        target_on = (
            inv["applied_invoice_id"]
            .map(inv.set_index("invoice_id")["invoice_date"] <= as_of)
            .astype("boolean")
            .fillna(False)
            .astype(bool)
        )
        applied = inv_on & inv["applied_invoice_id"].notna() & target_on  # any currency
        applied_on = applied & (credits == code)  # credits taken off this currency's invoices
        own = int(doc[inv_on & mine & ~applied].sum())
        expected = own - paid - int(takes[applied_on].sum())
        docs = balances[(balances["currency"] == code) & (balances["kind"] != "payment")]
        assert int(docs["outstanding_doc_cents"].sum()) == expected, code
    # unapplied cash is held in the payment's own currency, and in book currency at its date
    cash = arbook.aging(ledger, as_of, currency="document")
    cash = cash[cash["kind"] == "payment"].groupby("currency")["outstanding_cents"].sum()
    held = balances[balances["kind"] == "payment"]
    assert held.groupby("currency")["outstanding_doc_cents"].sum().to_dict() == cash.to_dict()
    book_cash = arbook.aging(ledger, as_of)
    assert int(held["outstanding_cents"].sum()) == int(
        book_cash.loc[book_cash["kind"] == "payment", "outstanding_cents"].sum()
    )
    # an invoice settled in full in its currency is closed in book currency too
    for row in balances.itertuples(index=False):
        if row.outstanding_doc_cents == 0:
            assert row.outstanding_cents == 0


def test_aging_in_each_documents_currency(tmp_path):
    payments = """
        payment_id,customer_id,payment_date,amount,invoice_id,currency
        P1,A,2026-02-05,40.00,I1,USD
        P2,B,2026-03-05,5.00,,USD
    """
    invoices = (
        USD_100 + "I2,A,2026-01-10,2026-02-09,10.00,,EUR\nI3,B,2026-03-01,2026-03-31,50.00,,USD\n"
    )
    ledger = book(tmp_path, invoices, payments)
    items = arbook.aging(ledger, "2026-03-31", currency="document")
    assert list(items.columns[:3]) == ["customer_id", "currency", "document_id"]
    mine = items.set_index("document_id")
    assert mine.loc["I1", ["currency", "outstanding_cents", "paid_cents"]].tolist() == [
        "USD",
        6000,
        4000,
    ]
    assert mine.loc["P2", ["currency", "outstanding_cents"]].tolist() == ["USD", -500]
    summary = arbook.aging_summary(ledger, "2026-03-31", currency="document")
    assert summary["currency"].tolist() == ["EUR", "USD", "USD"]  # the book's block first
    usd = summary[summary["currency"] == "USD"].set_index("customer_id")
    assert usd.loc["A", "total_cents"] == 6000 and usd.loc["B", "total_cents"] == 4500
    book_summary = arbook.aging_summary(ledger, "2026-03-31")
    assert book_summary.set_index("customer_id").loc["B", "total_cents"] == 4275  # at 0.95
    with pytest.raises(arbook.ParameterError, match="is not one of book"):
        arbook.aging(ledger, "2026-03-31", currency="USD")


def test_an_import_writes_each_payment_in_its_own_currency(tmp_path):
    from arbook.core.mapping.canonical import canonical_frames

    payments = "payment_id,customer_id,payment_date,amount,invoice_id\nP1,A,2026-02-05,40.00,I1\n"
    ledger = book(tmp_path, USD_100, payments)
    written = canonical_frames(ledger)["payments"].iloc[0]
    assert (written["amount"], written["currency"]) == ("40.00", "USD")  # not 36.00 EUR
