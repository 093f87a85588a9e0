"""What ``problems`` catches (:mod:`arbook.core.mapping.problems`): the examples' traps
(drafts, repeated numbers, withholding), nothing mapped to amount, a face value where an open
balance exists, what was paid beside a face value, amounts in the other decimal mark."""

from __future__ import annotations

from conftest import EXAMPLES
from own_sheets import spanish_sheet

from arbook.core import mapping


def test_traps_of_the_examples_are_named():
    xero = mapping.problems(
        mapping.suggest(EXAMPLES / "xero-sales-invoices-export.csv").mapping,
        EXAMPLES / "xero-sales-invoices-export.csv",
    )
    assert any("'Draft'" in p for p in xero) and any("repeat" in p for p in xero)
    aeat = EXAMPLES / "aeat-libro-facturas-expedidas.csv"
    said = mapping.problems(mapping.suggest(aeat).mapping, aeat)
    assert any("'Importe Retención' is withheld" in p for p in said)


def test_problems_catch_the_face_value_trap():
    path = EXAMPLES / "qbo-ar-aging-detail.csv"
    m = mapping.suggest(path).mapping
    m.columns["amount"] = "Amount"
    del m.columns["face_amount"]
    said = mapping.problems(m, path)
    assert any("'Open balance'" in p and "face value" in p for p in said)


def test_problems_catch_nothing_mapped_to_amount_and_missing_columns():
    path = EXAMPLES / "qbo-ar-aging-detail.csv"
    m = mapping.suggest(path).mapping
    del m.columns["amount"]
    m.columns["currency"] = "Currency code"
    said = mapping.problems(m, path)
    assert any(p.startswith("nothing is mapped to amount") for p in said)
    assert any("'Currency code'" in p for p in said)
    m.columns.pop("invoice_date")
    assert any("invoice_date" in p for p in mapping.problems(m, path))


def test_problems_catch_what_was_paid_beside_a_face_value(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(
        "Invoice,Customer,Date,Total,Paid\nA1,Acme,2026-05-01,100.00,100.00\n"
        "A2,Acme,2026-06-01,50.00,0.00\n",
        encoding="utf-8",
    )
    found = mapping.suggest(path)
    assert found.mapping.columns["amount"] == "Total"
    assert "Paid" not in found.mapping.columns.values()
    assert any("Paid looks like what has been paid" in n for n in found.notes)
    assert any("'Paid', what was paid" in p for p in mapping.problems(found.mapping, path))


def test_problems_catch_amounts_in_the_other_decimal_mark(tmp_path):
    path = spanish_sheet(tmp_path)
    m = mapping.suggest(path).mapping
    m.decimal = "."
    said = mapping.problems(m, path)
    assert any('read with decimal = ","' in p for p in said)
