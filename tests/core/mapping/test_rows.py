"""A file's rows as a mapping sees them (:mod:`arbook.core.mapping.rows`): customers filled
down from heading rows, total rows skipped, and a header moved by a title row found again."""

from __future__ import annotations

from conftest import EXAMPLES
from own_sheets import AS_OF

from arbook.core import mapping


def test_xero_aged_fills_the_contact_down_and_skips_total_rows():
    path = EXAMPLES / "xero-aged-receivables-detail.xlsx"
    m = mapping.suggest(path).mapping
    assert m.columns["amount"] == "Total" and m.columns["due_date"] == "Due Date"
    assert m.open_items_only and m.report_date == AS_OF  # "As at 30 June 2026"
    ledger = mapping.preview(path, m)
    assert not len(ledger.errors) and ledger.invoices["customer_id"].notna().all()
    assert len(ledger.customers) == 6


def test_header_moved_by_a_title_row_is_found_again(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("Invoice,Customer,Date,Amount\nA1,Acme,2026-05-01,100.00\n", "utf-8")
    m = mapping.suggest(path).mapping
    path.write_text("My list\nInvoice,Customer,Date,Amount\nA1,Acme,2026-05-01,100.00\n", "utf-8")
    ledger = mapping.preview(path, m)
    assert not len(ledger.errors) and len(ledger.invoices) == 1
    assert any("header is on line 2" in p for p in mapping.problems(m, path))
