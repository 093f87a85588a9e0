"""The xero-invoices and xero-aged presets: Xero's sales invoices export and its Aged Receivables
Detail report (the examples, with EXPECTED.md's figures; and files of our own in the same layouts:
an invoice's lines in two places, Deleted and Voided documents, an unknown type or status, a
line that disagrees with its invoice, month-first dates, a partly used credit note, a prepayment;
a report with the invoice number first, a contact named "Total ...", two overpayments)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from conftest import EXAMPLES, EXAMPLES_AS_OF, figures, write_workbook

import arbook

AS_OF = EXAMPLES_AS_OF


# EXPECTED.md §1 and §2
INVOICES_FIGURES = {
    "current": 205275,
    "1-30": 608580,
    "31-60": 126500,
    "61-90": 252400,
    "91-120": 327051,
    "121+": 415730,
    "receivable": 1935536,
    "unapplied": -36340,
    "net": 1899196,
    "items": 15,
}
AGED_FIGURES = {
    "current": 412550,
    "1-30": 729216,
    "31-60": 603600,
    "61-90": 614330,
    "91-120": 383160,
    "121+": 2020275,
    "receivable": 4763131,
    "unapplied": -44500,
    "net": 4718631,
    "items": 19,
}


@pytest.mark.parametrize("preset", ["xero-invoices", None])
def test_the_invoices_example_gives_the_expected_figures(preset):
    ledger = arbook.read_ledger(EXAMPLES / "xero-sales-invoices-export.csv", preset=preset)
    assert ledger.preset == "xero-invoices" and ledger.errors.empty
    assert ledger.issues["code"].tolist() == ["open_items_only", "made_up"]
    assert figures(ledger) == INVOICES_FIGURES
    # Xero states no as-of date in this export; the payment dates are what it lacks
    assert ledger.report_date is None
    assert ledger.open_items_only and ledger.lacks == "the dates payments were received"
    assert ledger.currency == "NZD" and "dates DD/MM/YYYY" in ledger.read_as


@pytest.mark.parametrize("preset", ["xero-aged", None])
def test_the_aged_example_gives_the_expected_figures(preset):
    ledger = arbook.read_ledger(EXAMPLES / "xero-aged-receivables-detail.xlsx", preset=preset)
    assert ledger.preset == "xero-aged"
    assert ledger.issues["code"].tolist() == ["open_items_only"]
    assert figures(ledger) == AGED_FIGURES
    assert ledger.report_date == pd.Timestamp(AS_OF)  # "As at 30 June 2026"
    assert ledger.open_items_only


def test_the_invoices_documents():
    ledger = arbook.read_ledger(EXAMPLES / "xero-sales-invoices-export.csv")
    inv = ledger.invoices.set_index("invoice_id")
    # 29 lines, 18 documents: the draft out, the overpayment a payment, 16 invoices and notes
    assert len(inv) == 16 and "INV-2206" not in inv.index
    # invoice-level fields are read once: INV-2197 has four lines and one Total
    assert inv.loc["INV-2197", "amount_cents"] == 551080
    # the credit note is written positive; it is a standalone credit
    assert inv.loc["CN-0042", "amount_cents"] == -27600
    assert pd.isna(inv.loc["CN-0042", "applies_to"])
    assert inv.loc["CN-0042", "face_amount"] == "-276.00"
    # part-paid INV-2184: its face amount, and what is no longer due as a payment of it dated
    # the invoice's date (the export has no payment dates: the made_up warning says so)
    assert inv.loc["INV-2184", "amount_cents"] == 411800
    pay = ledger.payments.set_index("payment_id")
    paid = pay.loc["INV-2184 paid"]
    assert (paid["amount_cents"], paid["allocated_invoice_id"]) == (210000, "INV-2184")
    assert paid["payment_date"] == inv.loc["INV-2184", "invoice_date"]
    assert pay.loc["INV-2168 paid", "amount_cents"] == 119715  # Paid: not open
    # the overpayment is unapplied cash with an id of its own
    over = pay.loc["Riverside Motors, Petone 2026-06-12 87.40"]
    assert over["amount_cents"] == 8740 and pd.isna(over["allocated_invoice_id"])
    made_up = ledger.issues[ledger.issues["code"] == "made_up"].iloc[0]
    assert made_up["value"] == "5" and "dated its invoice's date" in made_up["message"]
    # customers with their e-mail address
    emails = ledger.customers.set_index("customer_id")["email"]
    assert emails["Kapiti Coast District Council"] == "ap@kcdc.example"


def test_the_aged_items():
    ledger = arbook.read_ledger(EXAMPLES / "xero-aged-receivables-detail.xlsx")
    inv = ledger.invoices.set_index("invoice_id")
    assert len(inv) == 18 and "Total" not in inv.index  # 17 invoices and the credit note
    assert inv.loc["CN-0107 Misprinted menus", ["customer_id", "amount_cents"]].tolist() == [
        "Haworth Tearooms Ltd",
        -18000,
    ]
    assert inv.loc["INV-10440", "amount_cents"] == 76550  # not yet due: owed all the same
    pay = ledger.payments.iloc[0]
    assert (pay["payment_id"], pay["customer_id"], pay["amount_cents"]) == (
        "Northern Heritage Railway Trust 2026-06-03 265.00",
        "Northern Heritage Railway Trust",
        26500,
    )


# -- a sales invoices export of our own ---------------------------------------------------------

HEADER = (EXAMPLES / "xero-sales-invoices-export.csv").read_text(encoding="utf-8").splitlines()[0]
COLUMNS = HEADER.split(",")


def line(**cells: str) -> list[str]:
    """One line of the export: ``cells`` by column name, the rest blank."""
    return [cells.get(c, "") for c in COLUMNS]


def doc(number: str, who: str, day: str, due: str, total: str, paid: str, owed: str, **more):
    cells = {"InvoiceNumber": number, "ContactName": who, "InvoiceDate": day, "DueDate": due}
    cells |= {"Total": total, "InvoiceAmountPaid": paid, "InvoiceAmountDue": owed}
    cells |= {"Currency": "USD", "Type": "Sales invoice", "Status": "Awaiting Payment"}
    return line(**(cells | more))


def export(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


# A US organisation (month first: 07/20/2026 settles it). As of 2026-07-31:
# I-1 1,000.00, 400 paid, lines on rows 2 and 5 (in two places): owed 600, due 07/20 (11 days)
# I-2 250.00 not due; its line 4 repeats it with another Total: reported, I-2 read from line 3
# I-3 Deleted, I-4 Voided, I-5 Draft: left out; I-6 a "Bill": reported, left out
# C-1 a credit note of 300.00 of which 120.00 is left; a prepayment of 50.00 from Acme.
# Net = 600 + 250 - 120 - 50 = 680.00
OWN = [
    doc("I-1", "Acme", "07/01/2026", "07/20/2026", "1000.00", "400.00", "600.00", LineAmount="700"),
    doc("I-2", "Bolt", "07/25/2026", "08/24/2026", "250.00", "0.00", "250.00"),
    doc("I-2", "Bolt", "07/25/2026", "08/24/2026", "260.00", "0.00", "260.00"),
    doc("I-1", "Acme", "07/01/2026", "07/20/2026", "1000.00", "400.00", "600.00", LineAmount="300"),
    doc("I-3", "Acme", "07/02/2026", "08/01/2026", "80.00", "0.00", "80.00", Status="Deleted"),
    doc("I-4", "Acme", "07/03/2026", "08/02/2026", "90.00", "0.00", "90.00", Status="Voided"),
    doc("I-5", "Bolt", "07/04/2026", "08/03/2026", "95.00", "0.00", "95.00", Status="Draft"),
    doc("I-6", "Bolt", "07/05/2026", "08/04/2026", "15.00", "0.00", "15.00", Type="Bill"),
    doc("C-1", "Bolt", "07/06/2026", "07/06/2026", "300.00", "180.00", "120.00",
        Type="Sales credit note"),
    doc("", "Acme", "07/28/2026", "", "50.00", "0.00", "50.00", Type="Sales prepayment"),
]  # fmt: skip


@pytest.fixture
def own_export(tmp_path: Path) -> Path:
    path = tmp_path / "SalesInvoices.csv"
    path.write_text(export(OWN), encoding="utf-8")
    return path


def test_an_export_with_other_quirks(own_export):
    ledger = arbook.read_ledger(own_export)
    assert ledger.preset == "xero-invoices" and "dates MM/DD/YYYY" in ledger.read_as
    errors = ledger.errors
    assert errors[["code", "source_line"]].values.tolist() == [["unread_row", 4], ["unread_row", 9]]
    assert "other invoice-level fields" in errors["message"].iloc[0]
    assert errors["value"].iloc[1] == "Bill / Awaiting Payment"
    inv = ledger.invoices.set_index("invoice_id")
    assert sorted(inv.index) == ["C-1", "I-1", "I-2"]
    assert inv.loc["I-2", "amount_cents"] == 25000  # from its first line
    assert inv.loc["C-1", "amount_cents"] == -12000  # what is left of the credit
    got = figures(ledger, "2026-07-31")
    assert (got["net"], got["items"], got["1-30"], got["current"]) == (68000, 4, 60000, 25000)
    assert got["unapplied"] == -17000
    pay = ledger.payments.set_index("payment_id")["amount_cents"]
    assert pay.to_dict() == {"I-1 paid": 40000, "Acme 2026-07-28 50.00": 5000}


# -- an aged receivables report of our own ------------------------------------------------------


def test_an_aged_report_with_the_number_first(tmp_path):
    """The layout a public parser's fixture has: no contact column (the contact's name in the
    first column, alone), a Current column; a contact whose name begins with "Total"; two
    overpayments and two credits sharing a reference."""
    header = ["Invoice Number", "Invoice Date", "Due Date", "Invoice Reference", "Current"]
    header += ["< 1 Month", "1 Month", "2 Months", "3 Months", "Older", "Total"]

    def row(number, day, due, ref, total):
        return [number, datetime(*day), datetime(*due), ref, 0, 0, 0, 0, 0, 0, total]

    sheet = [
        ["Aged Receivables Detail"],
        ["Fixture Pty Ltd"],
        ["As at 31 March 2026"],
        ["Ageing by due date"],
        header,
        ["Total Fitness Ltd"],
        row("X-1", (2026, 1, 15), (2026, 2, 14), "", 2000.0),
        row(None, (2026, 3, 1), (2026, 3, 1), "Overpayment", -100.0),
        row(None, (2026, 3, 2), (2026, 3, 2), "Credit", -30.0),
        ["Total Total Fitness Ltd", None, None, None, 0, 0, 0, 0, 0, 0, 1870.0],
        ["Other Co"],
        row("X-2", (2026, 3, 10), (2026, 4, 9), "", 500.0),
        row(None, (2026, 3, 1), (2026, 3, 1), "Overpayment", -100.0),
        row(None, (2026, 3, 5), (2026, 3, 5), "Credit", -20.0),
        ["Total Other Co", None, None, None, 0, 0, 0, 0, 0, 0, 380.0],
        ["Total", None, None, None, 0, 0, 0, 0, 0, 0, 2000.0],
    ]
    path = write_workbook(tmp_path / "aged.xlsx", **{"Aged Receivables Detail": sheet})
    ledger = arbook.read_ledger(path)
    assert ledger.preset == "xero-aged" and ledger.errors.empty
    assert ledger.report_date == pd.Timestamp("2026-03-31")
    inv = ledger.invoices.set_index("invoice_id")
    # "Total Fitness Ltd" is a contact (its row holds its name alone), not a total row
    assert inv.loc["X-1", "customer_id"] == "Total Fitness Ltd"
    # "Credit" is no id of its own (two items have it): made-up ids
    assert sorted(inv.index) == [
        "Other Co 2026-03-05 20.00",
        "Total Fitness Ltd 2026-03-02 30.00",
        "X-1",
        "X-2",
    ]
    assert ledger.payments.set_index("customer_id")["amount_cents"].to_dict() == {
        "Total Fitness Ltd": 10000,
        "Other Co": 10000,
    }
    got = figures(ledger, "2026-03-31")
    assert (got["net"], got["items"], got["unapplied"]) == (225000, 6, -25000)


def test_an_aged_row_that_is_neither_item_nor_total(tmp_path):
    sheet = [
        ["As at 30 June 2026"],
        ["Contact", "Invoice Date", "Due Date", "Invoice Number", "Invoice Reference", "Total"],
        ["A Ltd"],
        [None, datetime(2026, 6, 1), datetime(2026, 7, 1), "N-1", "", 10.0],
        ["Subtotal A Ltd", None, None, None, None, 10.0],
        ["Total A Ltd", None, None, None, None, 10.0],
    ]
    path = write_workbook(tmp_path / "aged.xlsx", **{"Aged Receivables Detail": sheet})
    ledger = arbook.read_ledger(path, preset="xero-aged")
    assert ledger.errors[["code", "source_line"]].values.tolist() == [["unread_row", 5]]
    assert ledger.invoices["invoice_id"].tolist() == ["N-1"]
