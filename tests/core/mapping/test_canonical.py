"""arbook's own files written from a ledger (:mod:`arbook.core.mapping.canonical`): the tables as
text, the refusal to overwrite and ``force`` removing a table the import no longer writes, and
the import note of an import of open items, written and read back onto the ledger."""

from __future__ import annotations

import dataclasses
import tomllib

import pytest
from conftest import ledger_of

from arbook.core import mapping
from arbook.core.errors import DataError

INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount
    I1,C1,2026-01-05,2026-02-04,"1,234.56"
    I2,C1,2026-03-05,,99.99
"""
PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id
    P1,C1,2026-02-01,1000.00,I1
"""
CUSTOMERS = """
    customer_id,name,terms_days,credit_limit
    C1,Acme,45,5000
"""


def test_canonical_frames_are_text_from_the_exact_cents(tmp_path):
    ledger = ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)
    frames = mapping.canonical_frames(ledger)
    assert list(frames) == [t for t in mapping.CANONICAL if t != "rates"]  # none: no rates file
    invoices = frames["invoices"].set_index("invoice_id")
    assert invoices.loc["I1", "amount"] == "1234.56"  # "1,234.56" read, written with a point
    assert invoices.loc["I1", "due_date"] == "2026-02-04"
    assert invoices.loc["I2", "due_date"] == ""  # from C1's 45 days: left to the terms
    assert frames["payments"].loc[0, "amount"] == "1000.00"
    assert frames["customers"].loc[0, "credit_limit"] == "5000.00"
    assert mapping.cents_text(-123_450) == "-1234.50"


def test_write_canonical_refuses_files_there_and_force_replaces_them(tmp_path):
    ledger = ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS)
    out = tmp_path / "out"
    written, removed = mapping.write_canonical(ledger, out)
    assert [p.name for p in written] == ["invoices.csv", "payments.csv"] and removed == []
    with pytest.raises(DataError, match=r"already holds invoices\.csv, payments\.csv"):
        mapping.write_canonical(ledger, out)
    no_payments = dataclasses.replace(ledger, payments=ledger.payments.iloc[0:0])
    written, removed = mapping.write_canonical(no_payments, out, force=True)
    assert [p.name for p in written] == ["invoices.csv"]
    assert removed == [out / "payments.csv"]  # an older table is removed, never left to mix in
    assert sorted(p.name for p in out.iterdir()) == ["invoices.csv"]


def test_import_note_of_open_items_is_read_back_onto_the_ledger(tmp_path):
    history = ledger_of(tmp_path, invoices=INVOICES)
    assert mapping.import_note(history) is None  # a history needs no note
    opened = dataclasses.replace(history, open_items_only=True, report_date=None, lacks="")
    note = tomllib.loads(mapping.import_note(opened) or "")
    assert note["open_items_only"] is True and note["lacks"] == mapping.OPEN_LACKS
    path = tmp_path / mapping.IMPORT_NOTE
    path.write_text('source = "aging.csv"\nopen_items_only = true\nreport_date = "2026-06-30"\n')
    marked = mapping.with_import_note(history, path)
    assert marked.open_items_only and str(marked.report_date)[:10] == "2026-06-30"
    assert marked.lacks == mapping.OPEN_LACKS
    assert list(marked.issues["code"]).count("open_items_only") == 1
    path.write_text('source = "ledger.csv"\n')
    assert mapping.with_import_note(history, path) is history  # it does not say: as it is


def test_typed_rates_become_a_rates_file(tmp_path):
    assert mapping.typed_rates("  \n") == ""
    assert mapping.typed_rates("USD, 0.92, 2026-01-01\n\nGBP,1.15\n") == (
        "currency,rate,date\nUSD, 0.92, 2026-01-01\nGBP,1.15\n"
    )
    assert mapping.typed_rates("Currency, Rate\nUSD,0.9") == "Currency, Rate\nUSD,0.9\n"
    path = mapping.save_rates("USD,0.92", tmp_path)
    assert path == tmp_path / "rates.csv" and path.read_text() == "currency,rate,date\nUSD,0.92\n"
    assert mapping.save_rates("", tmp_path) is None and not path.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary file left
