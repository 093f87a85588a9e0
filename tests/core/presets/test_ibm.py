"""The IBM accounts-receivable sample's layout (presets.ibm): each row an invoice and, when
settled, one payment of the whole amount on SettledDate; hand-made here in two rows."""

from __future__ import annotations

import arbook
from arbook.core.load import read_table
from arbook.core.presets.ibm import IBM_EXTRAS, split


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
