"""Presets (presets): one file in someone else's layout mapped onto the canonical tables; the
IBM accounts-receivable sample's layout, hand-made here in three rows."""

from __future__ import annotations

import pytest

import arbook
from arbook.core.errors import IssueCode
from arbook.core.load import read_table
from arbook.core.presets import PRESETS, Preset, missing_columns


def test_the_presets():
    assert list(PRESETS) == [
        "ibm",
        "qbo-aging",
        "qbd-aging",
        "xero-invoices",
        "xero-aged",
        "erpnext-ar",
        "1c-osv62",
        "aeat-expedidas",
        "sap-open-items",
    ]
    ibm = PRESETS["ibm"]
    assert isinstance(ibm, Preset) and ibm.name == "ibm" and ibm.date_order == "mdy"
    assert ibm.required == (
        "customerid",
        "invoicenumber",
        "invoicedate",
        "duedate",
        "invoiceamount",
        "disputed",
        "settleddate",
    )
    assert all(column == column.lower() for column in ibm.required)  # names as load makes them


def test_missing_columns_are_each_named(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("customerID,invoiceNumber,InvoiceAmount\nC1,1,2.00\n", encoding="utf-8")
    raw, _ = read_table(path, label="other.csv")
    found = missing_columns(PRESETS["ibm"], raw)
    assert [i.column for i in found] == ["invoicedate", "duedate", "disputed", "settleddate"]
    first = found[0]
    assert (first.code, first.source_file, first.source_line) == (
        IssueCode.MISSING_COLUMN,
        "other.csv",
        1,
    )
    assert (
        first.message == "no 'invoicedate' column, which the ibm preset needs; the file is left out"
    )
    assert "leave --preset out" in first.hint
    # through read_ledger: the file is left out, the issues are the ledger's
    ledger = arbook.read_ledger(path, preset="ibm")
    assert ledger.invoices.empty and set(ledger.issues["code"]) == {"missing_column"}
    assert len(ledger.issues) == 4


# -- recognising a layout ------------------------------------------------------------------------


def test_a_file_in_a_known_layout_is_read_without_naming_its_preset(ibm_file):
    named = arbook.read_ledger(ibm_file, preset="ibm")
    found = arbook.read_ledger(ibm_file)
    assert (named.preset, found.preset) == ("ibm", "ibm")
    assert found.invoices.drop(columns="source_file").equals(
        named.invoices.drop(columns="source_file")
    )
    assert found.read_as == (
        "ar.csv: read as IBM accounts-receivable sample (preset ibm, recognised from its "
        "header); UTF-8, comma-separated; decimal point; dates MM/DD/YYYY; header on line 1"
    )
    assert named.read_as.startswith(
        "ar.csv: read as IBM accounts-receivable sample (preset ibm, as asked)"
    )
    assert not found.open_items_only and found.history_note == ""


def test_arbooks_own_invoices_file_is_read_alone(tmp_path):
    path = tmp_path / "invoices.csv"
    path.write_text('invoice_id,customer_id,invoice_date,amount\nI1,A,2026-01-05,"12,50"\n')
    ledger = arbook.read_ledger(path)
    assert ledger.preset is None and ledger.invoices["amount_cents"].tolist() == [1250]
    assert ledger.read_as == (
        "invoices.csv: arbook's own invoices file, read alone; amounts with a decimal comma, "
        "as they are written (invoices)"
    )


def test_a_file_in_no_known_layout_says_how_to_map_it(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("Cliente;Importe\nAna;12,50\n", encoding="utf-8")
    with pytest.raises(
        arbook.DataError, match=r"mine\.csv: a file in a layout .* `arbook mapping` on it"
    ):
        arbook.read_ledger(path)


def test_a_folder_may_hold_one_export_instead_of_arbooks_files(tmp_path, ibm_file):
    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "export from the system.csv").write_bytes(ibm_file.read_bytes())
    ledger = arbook.read_ledger(folder)
    assert ledger.preset == "ibm" and len(ledger.invoices) == 2
    assert ledger.source == str(folder) and ledger.folder == folder
    (folder / "second.csv").write_bytes(ibm_file.read_bytes())
    with pytest.raises(arbook.DataError, match="are all exports; keep one"):
        arbook.read_ledger(folder)


def test_arbooks_own_files_are_not_taken_for_an_export(ibm_file):
    from conftest import SAMPLE

    from arbook.core.grid import read_grid
    from arbook.core.presets import detect

    assert detect(read_grid(SAMPLE / "invoices.csv")) is None
    assert detect(read_grid(ibm_file)) is PRESETS["ibm"]
    assert arbook.read_ledger(SAMPLE).read_as == (
        "sample: arbook's own files (invoices.csv, payments.csv, customers.csv)"
    )
