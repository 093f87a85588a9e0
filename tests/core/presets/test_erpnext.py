"""The erpnext-ar preset: ERPNext's Accounts Receivable report (the examples, and reports of our
own with a Customer Name column, payment-term rows, a journal entry, month-first dates, as
XLSX), and the Sales Invoice and Payment Entry list exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, EXAMPLES_AS_OF, IBM, SAMPLE, figures, write_workbook

import arbook
from arbook.core.grid import read_grid
from arbook.core.presets import PRESETS

AS_OF = EXAMPLES_AS_OF


# EXPECTED.md §5, the same for both files (their range columns differ, and are not read)
REPORT_FIGURES = {
    "current": 25838000,
    "1-30": 16464000,
    "31-60": 19650000,
    "61-90": 13230000,
    "91-120": 9050000,
    "121+": 43590000,
    "receivable": 127822000,
    "unapplied": -5875000,
    "net": 121947000,
    "items": 16,
}
REPORTS = ["erpnext-accounts-receivable.csv", "erpnext-accounts-receivable.not-due-unranged.csv"]


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("preset", ["erpnext-ar", None])
def test_the_examples_give_the_expected_figures(name, preset):
    ledger = arbook.read_ledger(EXAMPLES / name, preset=preset)
    assert ledger.preset == "erpnext-ar" and ledger.errors.empty
    assert set(ledger.issues["code"]) == {"open_items_only"}
    assert figures(ledger) == REPORT_FIGURES
    # every row's Age (Days) counts to one date: the report's
    assert ledger.report_date == arbook.core.dates.day_stamp(AS_OF)
    assert ledger.open_items_only and "Paid Amount is a total" in ledger.lacks
    assert ledger.currency == "KES"
    assert "dates DD/MM/YYYY" in ledger.read_as


def test_the_report_rows_as_items():
    ledger = arbook.read_ledger(EXAMPLES / REPORTS[0])
    inv = ledger.invoices.set_index("invoice_id")
    # the Total row is dropped: 15 documents and one payment, no "Total" among them
    assert len(inv) == 15 and "Total" not in inv.index and len(ledger.payments) == 1
    # the open balance is what is owed, the face value is kept
    assert inv.loc["ACC-SINV-2026-00108", "amount_cents"] == 12390000
    assert inv.loc["ACC-SINV-2026-00108", "face_amount"] == "186400.00"
    # the return folded into 00155 leaves 40,000.00; the standalone return is a credit note
    assert inv.loc["ACC-SINV-2026-00155", "amount_cents"] == 4000000
    assert inv.loc["ACC-SINV-RET-2026-00009", "amount_cents"] == -1375000
    assert pd_na(inv.loc["ACC-SINV-RET-2026-00009", "applies_to"])
    # the Payment Entry's advance is unapplied cash of its customer, a positive payment row
    pay = ledger.payments.iloc[0]
    assert (pay["payment_id"], pay["customer_id"], pay["amount_cents"]) == (
        "ACC-PAY-2026-00214",
        "Amani Primary School",
        4500000,
    )
    assert pd_na(pay["allocated_invoice_id"]) and str(pay["payment_date"].date()) == "2026-06-10"
    # due dates come from the file; the items keep their lines
    assert str(inv.loc["ACC-SINV-2026-00227", "due_date"].date()) == "2026-06-30"
    assert inv.loc["ACC-SINV-2026-00108", "source_line"] == 2


def pd_na(value: object) -> bool:
    return value is None or value != value or str(value) in ("<NA>", "nan", "")


HEADER = (
    "Posting Date,Party Type,Party,Receivable Account,Customer Name,Customer Contact,Cost Center,"
    "Voucher Type,Voucher No,Due Date,Payment Term,Invoice Grand Total,Invoiced Amount,"
    "Paid Amount,Credit Note,Outstanding Amount,Age (Days),0-30,31-60,61-90,91-120,121-Above,"
    "Currency,Customer LPO,Territory,Customer Group"
)
# A report by naming series (Customer Name column), based on payment terms: CUST-00007's
# invoice 00401 in two terms (two rows, one Voucher No), a journal entry debit without a due
# date (aged from its posting date), a journal entry credit (unapplied), dates month first
# (06/15/2026 settles it), "Total" at the end. As of 2026-06-30:
#   00401 term 1: due 05/15 (46 days, 31-60) 600.00; term 2: due 06/15 (15, 1-30) 400.00
#   JV-0009 debit 250.00 posted 03/31 (91 days, 91-120); JV-0010 credit -80.00 unapplied
#   00410 due 07/20 (current) 1,000.00 of CUST-00008
OWN_REPORT = f"""{HEADER}
04/15/2026,Customer,CUST-00007,Debtors - KE,Tana River Traders,,Main - KE,Sales Invoice,ACC-SINV-2026-00401,05/15/2026,Advance 60%,1000.00,600.00,0.00,0.00,600.00,46,0.00,600.00,0.00,0.00,0.00,KES,,Coast,Commercial
04/15/2026,Customer,CUST-00007,Debtors - KE,Tana River Traders,,Main - KE,Sales Invoice,ACC-SINV-2026-00401,06/15/2026,Balance 40%,1000.00,400.00,0.00,0.00,400.00,15,400.00,0.00,0.00,0.00,0.00,KES,,Coast,Commercial
03/31/2026,Customer,CUST-00007,Debtors - KE,Tana River Traders,,Main - KE,Journal Entry,ACC-JV-2026-0009,,,0.00,250.00,0.00,0.00,250.00,91,0.00,0.00,0.00,250.00,0.00,KES,,Coast,Commercial
06/02/2026,Customer,CUST-00008,Debtors - KE,"Kilifi Farmers, Ltd",,Main - KE,Journal Entry,ACC-JV-2026-0010,,,0.00,0.00,80.00,0.00,-80.00,28,-80.00,0.00,0.00,0.00,0.00,KES,,Coast,Commercial
06/20/2026,Customer,CUST-00008,Debtors - KE,"Kilifi Farmers, Ltd",,Main - KE,Sales Invoice,ACC-SINV-2026-00410,07/20/2026,,1000.00,1000.00,0.00,0.00,1000.00,-20,0.00,0.00,0.00,0.00,0.00,KES,,Coast,Commercial
Total,,,,,,,,,,,,2850.00,80.00,0.00,2170.00,,,,,,,,,,
"""  # noqa: E501
OWN_FIGURES = {
    "current": 100000,
    "1-30": 40000,
    "31-60": 60000,
    "61-90": 0,
    "91-120": 25000,
    "121+": 0,
    "receivable": 225000,
    "unapplied": -8000,
    "net": 217000,
    "items": 5,
}


def test_a_report_by_naming_series_with_payment_terms(tmp_path):
    path = tmp_path / "Accounts Receivable.csv"
    path.write_text(OWN_REPORT, encoding="utf-8")
    ledger = arbook.read_ledger(path)
    assert ledger.preset == "erpnext-ar" and ledger.errors.empty
    assert figures(ledger) == OWN_FIGURES
    assert "dates MM/DD/YYYY" in ledger.read_as
    inv = ledger.invoices.set_index("invoice_id")
    # one row per payment term: one Voucher No, two items
    assert {"ACC-SINV-2026-00401/1", "ACC-SINV-2026-00401/2"} <= set(inv.index)
    # a debit with no due date is due on its posting date, as ERPNext ages it
    assert str(inv.loc["ACC-JV-2026-0009", "due_date"].date()) == "2026-03-31"
    assert ledger.payments["payment_id"].tolist() == ["ACC-JV-2026-0010"]
    # Party is the id; the Customer Name column names the customer
    names = ledger.customers.set_index("customer_id")["name"]
    assert (
        names["CUST-00007"] == "Tana River Traders" and names["CUST-00008"] == "Kilifi Farmers, Ltd"
    )
    assert ledger.report_date == arbook.core.dates.day_stamp(AS_OF)


def typed(cell: str) -> object:
    """A CSV cell as the workbook export holds it: dates as dates, amounts as numbers."""
    if re.fullmatch(r"\d\d/\d\d/\d{4}", cell):
        month, day, year = (int(part) for part in cell.split("/"))
        return dt.datetime(year, month, day)
    if re.fullmatch(r"-?\d+(\.\d+)?", cell):
        return float(cell) if "." in cell else int(cell)
    return cell or None


def test_the_report_as_a_workbook(tmp_path):
    rows = [[typed(cell) for cell in row] for row in csv.reader(io.StringIO(OWN_REPORT))]
    path = write_workbook(tmp_path / "Accounts Receivable.xlsx", Report=rows)
    ledger = arbook.read_ledger(path)
    assert ledger.preset == "erpnext-ar" and ledger.errors.empty
    assert figures(ledger) == OWN_FIGURES
    assert ledger.report_date == arbook.core.dates.day_stamp(AS_OF)


def test_an_unknown_voucher_type_is_left_out_and_said(tmp_path):
    path = tmp_path / "ar.csv"
    lines = OWN_REPORT.splitlines()
    lines.insert(2, lines[1].replace("Sales Invoice,ACC-SINV-2026-00401", "Dunning,DUNN-0001"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ledger = arbook.read_ledger(path)
    unread = ledger.issues[ledger.issues["code"] == "unread_row"]
    assert unread["source_line"].tolist() == [3] and unread["value"].tolist() == ["Dunning"]
    assert figures(ledger) == OWN_FIGURES  # the row is out, nothing else moves


# A Sales Invoice list export (report view, labels): 00001 paid, 00002 part-paid and reduced by
# its return RET-00001 (netted: the return's own outstanding is 0), 00003 open, a draft and a
# cancelled invoice (not receivables), a standalone return RET-00002 still open (-100.00), one
# refunded (RET-00003: nothing left to credit).
# Paid parts: 00001 1,000.00; 00002 2,000.00 - 300.00 - 1,500.00 = 200.00.
SALES_INVOICES = """ID,Customer,Customer Name,Date,Payment Due Date,Grand Total,Rounded Total,Outstanding Amount,Is Return (Credit Note),Return Against,Currency,Status,Docstatus
ACC-SINV-2026-00001,CUST-00001,Jua Kali Electricals,05-01-2026,04-02-2026,1000.00,1000.00,0.00,0,,KES,Paid,1
ACC-SINV-2026-00002,CUST-00001,Jua Kali Electricals,10-05-2026,09-06-2026,2000.00,2000.00,1500.00,0,,KES,Overdue,1
ACC-SINV-RET-2026-00001,CUST-00001,Jua Kali Electricals,20-05-2026,20-05-2026,-300.00,-300.00,0.00,1,ACC-SINV-2026-00002,KES,Return,1
ACC-SINV-2026-00003,CUST-00002,Baraka Hardware,15-06-2026,15-07-2026,500.00,500.00,500.00,0,,KES,Unpaid,1
ACC-SINV-2026-00004,CUST-00002,Baraka Hardware,16-06-2026,16-07-2026,700.00,700.00,700.00,0,,KES,Draft,0
ACC-SINV-2026-00005,CUST-00002,Baraka Hardware,17-06-2026,17-07-2026,800.00,800.00,800.00,0,,KES,Cancelled,2
ACC-SINV-RET-2026-00002,CUST-00002,Baraka Hardware,18-06-2026,18-06-2026,-100.00,-100.00,-100.00,1,,KES,Return,1
ACC-SINV-RET-2026-00003,CUST-00002,Baraka Hardware,18-06-2026,18-06-2026,-50.00,-50.00,0.00,1,,KES,Return,1
"""  # noqa: E501


def test_a_sales_invoice_list_export_is_a_history(tmp_path):
    path = tmp_path / "Sales Invoice.csv"
    path.write_text(SALES_INVOICES, encoding="utf-8")
    ledger = arbook.read_ledger(path)
    assert ledger.preset == "erpnext-ar" and not ledger.open_items_only
    inv = ledger.invoices.set_index("invoice_id")
    # drafts and cancelled invoices are not receivables
    assert "ACC-SINV-2026-00004" not in inv.index and "ACC-SINV-2026-00005" not in inv.index
    assert inv.loc["ACC-SINV-RET-2026-00001", "applied_invoice_id"] == "ACC-SINV-2026-00002"
    assert inv.loc["ACC-SINV-RET-2026-00001", "amount_cents"] == -30000
    assert pd_na(inv.loc["ACC-SINV-RET-2026-00002", "applies_to"])
    assert "ACC-SINV-RET-2026-00003" not in inv.index  # refunded: no credit left
    paid = ledger.payments.set_index("allocated_invoice_id")["amount_cents"]
    assert paid.to_dict() == {"ACC-SINV-2026-00001": 100000, "ACC-SINV-2026-00002": 20000}
    # the payments' dates are not in the export: made up, and said
    made = ledger.issues[ledger.issues["code"] == "made_up"]
    assert len(made) == 1 and "2026-06-18" in made["message"].iloc[0]
    assert set(ledger.issues["code"]) == {"made_up"}
    # today's balances are the export's Outstanding Amounts: 1,500.00 + 500.00 - 100.00
    got = figures(ledger)
    assert (got["net"], got["receivable"], got["unapplied"], got["items"]) == (
        190000,
        200000,
        -10000,
        3,
    )
    assert ledger.customers.set_index("customer_id").loc["CUST-00002", "name"] == "Baraka Hardware"


# A Payment Entry list export (Data Export: a second reference on a line of its own): PAY-1
# 1,200.00 of which 1,000.00 to 00001 and 200.00 unallocated; PAY-2 150.00 + 50.00; a refund
# paid out (Pay) is not a receipt; a cancelled entry is out.
PAYMENT_ENTRIES = """ID,Payment Type,Party Type,Party,Party Name,Posting Date,Paid Amount,Unallocated Amount,Docstatus,Type (Payment References),Name (Payment References),Allocated (Payment References)
ACC-PAY-2026-00001,Receive,Customer,CUST-00001,Jua Kali Electricals,20-01-2026,1200.00,200.00,1,Sales Invoice,ACC-SINV-2026-00001,1000.00
ACC-PAY-2026-00002,Receive,Customer,CUST-00001,Jua Kali Electricals,01-06-2026,200.00,0.00,1,Sales Invoice,ACC-SINV-2026-00002,150.00
,,,,,,,,,Sales Invoice,ACC-SINV-2026-00003,50.00
ACC-PAY-2026-00003,Pay,Customer,CUST-00002,Baraka Hardware,02-06-2026,90.00,90.00,1,,,
ACC-PAY-2026-00004,Receive,Customer,CUST-00002,Baraka Hardware,03-06-2026,90.00,90.00,2,,,
"""  # noqa: E501


def test_a_payment_entry_list_export(tmp_path):
    from arbook.core.presets.erpnext import read

    path = tmp_path / "Payment Entry.csv"
    path.write_text(PAYMENT_ENTRIES, encoding="utf-8")
    imported = read(read_grid(path))
    pay = imported.tables["payments"]
    assert pay[["payment_id", "payment_date", "amount", "invoice_id"]].values.tolist() == [
        ["ACC-PAY-2026-00001", "20-01-2026", "1000.00", "ACC-SINV-2026-00001"],
        ["ACC-PAY-2026-00001", "20-01-2026", "200.00", ""],
        ["ACC-PAY-2026-00002", "01-06-2026", "150.00", "ACC-SINV-2026-00002"],
        ["ACC-PAY-2026-00002", "01-06-2026", "50.00", "ACC-SINV-2026-00003"],
    ]
    assert [(i.code, i.source_line, i.value) for i in imported.issues] == [("unread_row", 5, "Pay")]
    assert not imported.open_items_only


OTHERS = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".csv", ".xlsx"))


@pytest.mark.parametrize(
    "path", [*OTHERS, SAMPLE / "invoices.csv", IBM], ids=lambda p: Path(p).name
)
def test_recognises_its_examples_and_no_other(path):
    assert PRESETS["erpnext-ar"].recognises(read_grid(path)) == path.name.startswith("erpnext")


def readings_are_the_cells_read(imported) -> None:
    """Each reading the preset hands the validation is the validation's own reading of the
    cells it put in the table (under the file's date order and decimal mark)."""
    from arbook.core import parse

    assert imported.readings
    for table, readings in imported.readings.items():
        raw = imported.tables.get(table)
        for column, reading in readings.items():
            if raw is None:
                assert len(reading[1]) == 0
                continue
            if isinstance(reading, parse.ParsedDates):
                expected = parse.parse_dates(raw[column], imported.date_order)
                assert reading.values.equals(expected.values), column
                parts = zip(reading[1:], expected[1:], strict=True)
            else:
                parts = zip(reading, parse.parse_cents(raw[column], imported.decimal), strict=True)
            assert all(a.tolist() == b.tolist() for a, b in parts), column


REPORT_CASES = {
    "own": OWN_REPORT,
    # a credit that does not read (an invoice, for the ledger to report), a row with no due
    # date, a payment below the Total row
    "odd": OWN_REPORT.replace("-80.00,28", "-8x.00,28").replace("05/15/2026,Advance", ",Adv")
    + "06/25/2026,Customer,CUST-00009,Debtors - KE,,,Main - KE,Payment Entry,ACC-PAY-1,,,"
    "0.00,0.00,0.00,0.00,-15.00,5,,,,,,KES,,Coast,Commercial\n",
}


@pytest.mark.parametrize("name", REPORTS)
def test_the_report_hands_its_readings_on(name):
    from arbook.core.presets.erpnext import read

    readings_are_the_cells_read(read(read_grid(EXAMPLES / name)))


@pytest.mark.parametrize("case", REPORT_CASES)
def test_the_readings_of_reports_of_our_own(tmp_path, case):
    from arbook.core.presets.erpnext import read

    path = tmp_path / "ar.csv"
    path.write_text(REPORT_CASES[case], encoding="utf-8")
    imported = read(read_grid(path))
    readings_are_the_cells_read(imported)
    paid = {"own": ["ACC-JV-2026-0010"], "odd": ["ACC-PAY-1"]}[case]
    assert imported.tables["payments"]["payment_id"].tolist() == paid
