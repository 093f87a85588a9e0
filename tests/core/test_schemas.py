"""Column contracts (schemas): the clean frames of a ledger and the open items of aging follow
their pandera models, and a frame that breaks one is refused with every failing cell."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pytest
from conftest import FIXTURES, ledger_of

import arbook
from arbook.core.schemas import (
    CUSTOMER_COLUMNS,
    INVOICE_COLUMNS,
    KNOWN,
    PAYMENT_COLUMNS,
    REQUIRED,
    Customers,
    Invoices,
    OpenItems,
    Payments,
    check,
)


def test_clean_frames_follow_their_schemas(tmp_path):
    ledger = arbook.read_ledger(FIXTURES / "unknown_credit_target")
    check(ledger.invoices, Invoices)
    check(ledger.payments, Payments)
    check(ledger.customers, Customers)
    assert ledger.invoices["amount_cents"].dtype == "int64"
    assert ledger.invoices["invoice_date"].dtype.kind == "M"


def test_required_columns_are_known_columns():
    assert set(REQUIRED) == set(KNOWN) == {"invoices", "payments", "customers", "rates"}
    for table, columns in REQUIRED.items():
        assert set(columns) <= set(KNOWN[table]), table
    assert REQUIRED["invoices"] == ("invoice_id", "customer_id", "invoice_date", "amount")
    assert KNOWN["invoices"] is INVOICE_COLUMNS and KNOWN["payments"] is PAYMENT_COLUMNS
    assert KNOWN["customers"] is CUSTOMER_COLUMNS


def test_open_items_follow_their_schema(tmp_path):
    ledger = ledger_of(
        tmp_path,
        invoices="""
        I1,A,2026-01-01,2026-01-31,10.00
        C1,A,2026-01-05,,-2.00
    """,
        payments="payment_id,customer_id,payment_date,amount\nP1,B,2026-01-10,3.00\n",
    )
    items = arbook.aging(ledger, "2026-02-15")
    pd.testing.assert_frame_equal(check(items, OpenItems), items)  # the frame comes back
    assert sorted(items["kind"]) == ["credit_note", "invoice", "payment"]


def test_a_broken_frame_lists_every_failure(tmp_path):
    ledger = ledger_of(
        tmp_path,
        invoices="invoice_id,customer_id,invoice_date,amount\nI1,A,2026-01-01,10.00\n",
        payments="payment_id,customer_id,payment_date,amount\nP1,A,2026-01-10,3.00\n",
    )
    check(ledger.payments, Payments)
    bad = ledger.payments.assign(amount_cents=-1, customer_id=1)  # not positive; not text
    with pytest.raises(pandera.errors.SchemaErrors) as err:
        check(bad, Payments)
    failed = set(err.value.failure_cases["column"])
    assert {"amount_cents", "customer_id"} <= failed  # lazily: both, not just the first
    items = arbook.aging(ledger, "2026-12-31")
    check(items, OpenItems)
    with pytest.raises(pandera.errors.SchemaErrors) as err:  # strict: nothing beyond the contract
        check(items.assign(extra=1), OpenItems)
    assert err.value.failure_cases["check"].tolist() == ["column_in_schema"]
