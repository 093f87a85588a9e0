"""Presets (presets): one file in someone else's layout mapped onto the canonical tables; the
IBM accounts-receivable sample's layout, hand-made here in three rows."""

from __future__ import annotations

import pytest

import arbook
from arbook.core.errors import IssueCode
from arbook.core.load import read_table
from arbook.core.presets import PRESETS, Preset, missing_columns
from arbook.core.presets.ibm import IBM_EXTRAS, split

# The IBM layout (dates month/day/year): 0001 settled on 1/15/2013; 0002 disputed and open.
IBM_ROWS = (
    "countryCode,customerID,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,"
    "SettledDate,DaysLate\n"
    """391,C1,0001,1/2/2013,2/1/2013,55.94,No,1/15/2013,0
406,C2,0002,1/26/2013,2/25/2013,61.74,Yes,,0
"""
)


@pytest.fixture
def ibm_file(tmp_path):
    path = tmp_path / "ar.csv"
    path.write_text(IBM_ROWS, encoding="utf-8")
    return path


def test_the_presets():
    assert list(PRESETS) == ["ibm"]
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


def test_ibm_split_maps_each_row_to_an_invoice_and_its_settlement(ibm_file):
    raw, _ = read_table(ibm_file, label="ar.csv", table="invoices")
    tables = split(raw)
    assert set(tables) == {"invoices", "payments"}
    invoices, payments = tables["invoices"], tables["payments"]
    assert invoices[
        ["invoice_id", "customer_id", "invoice_date", "amount", "disputed"]
    ].values.tolist() == [
        ["0001", "C1", "1/2/2013", "55.94", "No"],
        ["0002", "C2", "1/26/2013", "61.74", "Yes"],
    ]
    # the extra columns present are kept under canonical names; absent ones are not invented
    assert invoices[["country_code", "days_late"]].values.tolist() == [["391", "0"], ["406", "0"]]
    assert "paperless_bill" not in invoices and set(IBM_EXTRAS.values()) >= {
        "country_code",
        "days_late",
    }
    # one payment of the whole amount on the settled date, for the settled row only
    assert payments[
        ["payment_id", "customer_id", "payment_date", "amount", "invoice_id"]
    ].values.tolist() == [["SETTLE-0001", "C1", "1/15/2013", "55.94", "0001"]]
    # every row keeps its file and line
    assert invoices["source_line"].tolist() == [2, 3] and payments["source_line"].tolist() == [2]
    assert invoices.attrs["label"] == payments.attrs["label"] == "ar.csv"


def test_a_preset_file_reads_into_a_ledger(ibm_file):
    ledger = arbook.read_ledger(ibm_file, preset="ibm")
    assert ledger.issues.empty
    inv = ledger.invoices.set_index("invoice_id")
    assert str(inv.loc["0001", "invoice_date"].date()) == "2013-01-02"  # month/day/year
    assert inv["amount_cents"].tolist() == [5594, 6174]
    assert inv["disputed"].tolist() == [False, True]
    assert ledger.payments["allocated_invoice_id"].tolist() == ["0001"]
    assert arbook.aging(ledger, "2013-03-31")["document_id"].tolist() == ["0002"]


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
    with pytest.raises(arbook.DataError, match=r"arbook mapping .*mine\.csv"):
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
