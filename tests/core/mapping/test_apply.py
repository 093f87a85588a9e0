"""Reading a file through a mapping (:mod:`arbook.core.mapping.apply`): invoices, credit
notes and payments told apart by a type column, due dates from terms, a row with only an amount
kept as an error, and a saved mapping loaded as the preset ``read_ledger(folder)`` uses."""

from __future__ import annotations

import pytest
from own_sheets import history_sheet, russian_sheet, totals

import arbook
from arbook.core import mapping
from arbook.core.errors import DataError
from arbook.core.mapping import Mapping


def test_history_with_types_terms_and_payments(tmp_path):
    path = history_sheet(tmp_path)
    found = mapping.suggest(path)
    m = found.mapping
    assert m.header_line == 2 and m.columns["amount"] == "Amount"
    assert m.columns["applies_to"] == "Against invoice" and m.columns["terms_days"] == "Terms"
    assert m.columns["document_type"] == "Type" and m.date_order == "dmy"
    assert not m.open_items_only and "face_amount" not in m.columns
    ledger = mapping.preview(path, m)
    assert not len(ledger.errors)
    assert len(ledger.payments) == 2 and ledger.payments["amount_cents"].sum() == 180_000
    credit = ledger.invoices.set_index("invoice_id").loc["CN-01"]
    assert credit["amount_cents"] == -25_050  # a credit note is negative, whatever its sign
    due = ledger.invoices.set_index("invoice_id")["due_date"]
    assert str(due["S-003"])[:10] == "2026-04-04"  # 20/03 + Net 15
    t = totals(ledger)
    assert t["total_cents"] == 100_000 + 50_000 + 225_050 - 25_050 - 100_000 - 80_000 + 12_000


def test_a_row_with_an_amount_and_nothing_else_is_an_error_not_lost(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(
        "Invoice,Customer,Date,Amount\nA1,Acme,2026-05-01,100.00\n,,,40.00\n", encoding="utf-8"
    )
    ledger = mapping.preview(path, mapping.suggest(path).mapping)
    assert list(ledger.errors["code"]) == ["unread_row"]
    assert int(ledger.errors["source_line"].iloc[0]) == 3


def test_save_load_and_read_ledger_uses_the_mapping(tmp_path):
    folder = tmp_path / "client"
    folder.mkdir()
    path = russian_sheet(folder)
    m = mapping.suggest(path).mapping
    saved = mapping.save(m, folder)
    assert saved == folder / "mapping.toml"
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    file, preset = mapping.load(saved)
    assert file == path and preset.name == "mapping"
    ledger = arbook.read_ledger(folder)
    assert ledger.preset == "mapping" and "mapping.toml" in ledger.read_as
    assert totals(ledger)["total_cents"] == 24_550_049
    assert ledger.open_items_only and ledger.report_date == arbook.read_ledger(folder).report_date


def test_load_names_a_missing_data_file(tmp_path):
    mapping.save(Mapping("gone.csv", 1, {"amount": "Amount"}), tmp_path)
    with pytest.raises(DataError, match=r'file = "gone.csv", but there is no such file'):
        mapping.load(tmp_path / "mapping.toml")
