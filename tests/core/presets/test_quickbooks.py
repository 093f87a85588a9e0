"""The qbo-aging and qbd-aging presets: QuickBooks Online and Desktop A/R Aging Detail reports
(the examples, with EXPECTED.md's figures; and reports of our own in the same layouts with other
quirks: sections oldest first and in capitals, a blank open balance, "$" amounts, more rows, an
XLSX export, journal entries, statement charges, an unknown transaction type)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from conftest import EXAMPLES, EXAMPLES_AS_OF, IBM, SAMPLE, figures, write_workbook

import arbook
from arbook.core.grid import read_grid
from arbook.core.presets import PRESETS, detect
from arbook.core.presets.quickbooks import terms_days

AS_OF = EXAMPLES_AS_OF
OURS = {
    "qbo-ar-aging-detail.csv": "qbo-aging",
    "qbd-ar-aging-detail.csv": "qbd-aging",
    "xero-sales-invoices-export.csv": "xero-invoices",
    "xero-aged-receivables-detail.xlsx": "xero-aged",
}


# EXPECTED.md §3 and §4
QBO_FIGURES = {
    "current": 1075745,
    "1-30": 473500,
    "31-60": 1367000,
    "61-90": 424520,
    "91-120": 321000,
    "121+": 893500,
    "receivable": 4555265,
    "unapplied": -214500,
    "net": 4340765,
    "items": 19,
}
QBD_FIGURES = {
    "current": 554850,
    "1-30": 680000,
    "31-60": 1291875,
    "61-90": 251500,
    "91-120": 273000,
    "121+": 611540,
    "receivable": 3662765,
    "unapplied": -176000,
    "net": 3486765,
    "items": 15,
}


@pytest.mark.parametrize("preset", ["qbo-aging", None])
def test_the_qbo_example_gives_the_expected_figures(preset):
    ledger = arbook.read_ledger(EXAMPLES / "qbo-ar-aging-detail.csv", preset=preset)
    assert ledger.preset == "qbo-aging"
    assert ledger.issues["code"].tolist() == ["open_items_only"]
    assert figures(ledger) == QBO_FIGURES
    assert ledger.report_date == pd.Timestamp(AS_OF)  # "As of June 30, 2026"
    assert ledger.open_items_only and ledger.lacks == (
        "the paid invoices, nor when the open ones were part-paid"
    )
    assert "dates MM/DD/YYYY; header on line 5; as of 2026-06-30" in ledger.read_as


@pytest.mark.parametrize("preset", ["qbd-aging", None])
def test_the_qbd_example_gives_the_expected_figures(preset):
    ledger = arbook.read_ledger(EXAMPLES / "qbd-ar-aging-detail.csv", preset=preset)
    assert ledger.preset == "qbd-aging"
    assert ledger.issues["code"].tolist() == ["open_items_only"]  # no spacer column reported
    assert figures(ledger) == QBD_FIGURES
    # no title rows: every row's Aging counts from its due date to one day, the report's
    assert ledger.report_date == pd.Timestamp(AS_OF)
    assert ledger.open_items_only


def test_the_qbo_items():
    ledger = arbook.read_ledger(EXAMPLES / "qbo-ar-aging-detail.csv")
    inv = ledger.invoices.set_index("invoice_id")
    # 15 invoices, 2 credit memos; the two payments are cash: the TOTAL and sections are not
    assert len(inv) == 17 and len(ledger.payments) == 2
    # Open balance is owed, Amount the face value (kept as the file writes it)
    assert inv.loc["3207", "amount_cents"] == 796000 and inv.loc["3207", "face_amount"] == (
        "12,960.00"
    )
    assert inv.loc["3253", "amount_cents"] == 64000
    # credit memos are standalone credits of their own date
    assert inv.loc["CM-1017", "amount_cents"] == -32500
    assert pd.isna(inv.loc["CM-1017", "applies_to"])
    assert inv.loc["CM-1021", "document_type"] == "Credit Memo"
    # a job keeps its full name; its parent is beside it
    job = inv.loc["3318"]
    assert job["customer_id"] == "Saguaro Vista HOA:Phase 2 common areas"
    assert job["parent_customer"] == "Saguaro Vista HOA"
    assert inv.loc["3284", "parent_customer"] == ""
    # payments: positive, no invoice; the one without a Num gets a made-up id
    pay = ledger.payments.set_index("payment_id")
    assert pay["amount_cents"].to_dict() == {
        "Pima County Library District 2026-05-28 1250.00": 125000,
        "7781": 47500,
    }
    assert pay["allocated_invoice_id"].isna().all()
    assert str(pay.loc["7781", "payment_date"].date()) == "2026-06-18"  # month first


def test_the_qbd_terms_and_columns():
    ledger = arbook.read_ledger(EXAMPLES / "qbd-ar-aging-detail.csv")
    inv = ledger.invoices.set_index("invoice_id")
    # terms on each invoice, as days; the discount of "2% 10 Net 30" is not a due date
    assert inv.loc["21790", ["terms", "terms_days"]].tolist() == ["2% 10 Net 30", "30"]
    assert inv.loc["21884", "terms_days"] == "0"  # Due on receipt
    assert inv.loc["21885", "terms_days"] == ""  # the credit memo has none
    # each customer's terms: those of its latest invoice
    terms = ledger.customers.set_index("customer_id")["terms_days"]
    assert terms.to_dict() == {
        "Birchwood Senior Living": 30,
        "Lakeview Elementary School District": 15,
        "Holloway, Grant": 0,
        "Harbor Point Marina": 15,
        "Okonkwo, Adaeze": 0,
        "Quarry Road Brewing Co.": 30,
    }
    # the file's Aging is kept beside the dates it follows from; P. O. # and Class too
    assert inv.loc["21688", ["days_past_due", "po_number", "class"]].tolist() == [
        "145",
        "PO 7391",
        "Commercial",
    ]
    assert ledger.payments["payment_id"].tolist() == ["10452"]  # the cheque number
    assert inv.loc["21885", "amount_cents"] == -26000


def test_terms_text_as_days():
    terms = pd.Series(
        ["Net 30", "Due on receipt", "2% 10 Net 30", "net15", "Net EOM", "45 days", "COD", ""]
    )
    assert terms_days(terms).tolist() == ["30", "0", "30", "15", "", "45", "0", ""]


# -- recognising the layouts -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".csv", ".xlsx")), ids=str
)
def test_each_example_is_recognised_and_ours_claim_no_other(path):
    grid = read_grid(path)
    claims = {p.name for p in PRESETS.values() if p.recognises(grid)}
    ours = set(OURS.values())
    if path.name in OURS:
        assert detect(grid) is PRESETS[OURS[path.name]]
        assert claims & ours == {OURS[path.name]}
    else:
        assert not claims & ours


def test_arbooks_files_and_the_ibm_sample_are_not_claimed():
    ours = set(OURS.values())
    for path in (SAMPLE / "invoices.csv", SAMPLE / "payments.csv", IBM):
        grid = read_grid(path)
        assert not {p.name for p in PRESETS.values() if p.recognises(grid)} & ours


# -- a QuickBooks Online report of our own -----------------------------------------------------

QBO_HEADER = [
    "",
    "Date",
    "Transaction type",
    "Num",
    "Customer full name",
    "Due date",
    "Amount",
    "Open balance",
]


def qbo_text(rows: list[list[str]], title: list[str] | None = None) -> str:
    """A QBO export: title rows, the header, ``rows``, every field quoted as QBO writes it."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for line in title or ["Foundry Distribution, Inc", "A/R Aging Detail Report"]:
        writer.writerow([line])
    writer.writerow(["As of Jul 25, 2026"])
    writer.writerow([])
    writer.writerow(QBO_HEADER)
    writer.writerows(rows)
    return out.getvalue()


def item(kind: str, day: str, num: str, who: str, due: str, amount: str, open_: str) -> list[str]:
    return ["", day, kind, num, who, due, amount, open_]


def label(text: str, open_: str = "") -> list[str]:
    return [text, "", "", "", "", "", "", open_]


# Oldest section first, CURRENT in capitals, as public parsers of real exports describe them;
# "$" amounts; a blank Open balance; a negative journal entry (a credit), a statement charge,
# an invoice without a Num, a footer with a leading space. As of 2026-07-25:
# 91+: SI-1 800.00 (due 2025-12-11: 226 days, 121+); JE-9 -40.00 (unapplied); SI-0 blank (paid)
# 1-30: Statement Charge 120.00 due 07/01 (24 days); CURRENT: SI-2 500.00, SI-3 1,200.50 (not
# due), a payment of 300.00 without Num. Net = 800 - 40 + 120 + 500 + 1200.50 - 300 = 2,280.50.
OWN_QBO = [
    label("91 or more days past due"),
    item("Invoice", "11/11/2025", "SI-1", "TACTICS", "12/11/2025", "$1,000.00", "$800.00"),
    item("Journal Entry", "01/23/2026", "JE-9", "ZUMIEZ", "", "-40.00", "-40.00"),
    item("Invoice", "01/02/2026", "SI-0", "ZUMIEZ", "02/01/2026", "75.00", ""),
    label("Total for 91 or more days past due", "760.00"),
    label("1 - 30 days past due"),
    item("Statement Charge", "06/15/2026", "", "ZUMIEZ", "07/01/2026", "120.00", "120.00"),
    label("Total for 1 - 30 days past due", "120.00"),
    label("CURRENT"),
    item("Invoice", "07/01/2026", "SI-2", "Sports Basement", "08/01/2026", "500.00", "500.00"),
    item("Invoice", "07/20/2026", "SI-3", "TACTICS", "08/19/2026", "1,200.50", "1,200.50"),
    item("Payment", "07/22/2026", "", "TACTICS", "", "-300.00", "-300.00"),
    label("Total for CURRENT", "1,400.50"),
    label("TOTAL", "2,280.50"),
    [],
    label(" Thursday, July 30, 2026 04:19 PM GMT-06:00"),
]
OWN_AS_OF = "2026-07-25"


@pytest.fixture
def own_qbo(tmp_path: Path) -> Path:
    path = tmp_path / "A_R Aging Detail Report.csv"
    path.write_text(qbo_text(OWN_QBO), encoding="utf-8")
    return path


def test_a_report_in_another_order_and_case(own_qbo):
    ledger = arbook.read_ledger(own_qbo)
    assert ledger.preset == "qbo-aging" and ledger.errors.empty
    assert ledger.report_date == pd.Timestamp(OWN_AS_OF)  # "As of Jul 25, 2026"
    got = figures(ledger, OWN_AS_OF)
    assert (got["net"], got["items"], got["unapplied"]) == (228050, 6, -34000)
    assert (got["current"], got["1-30"], got["121+"]) == (170050, 12000, 80000)
    inv = ledger.invoices.set_index("invoice_id")
    # the blank open balance is 0: SI-0 is not open, and no error
    assert "SI-0" not in inv.index and len(inv) == 5
    # the journal entry is a credit, due on its date; the statement charge has a made-up id
    assert inv.loc["JE-9", ["amount_cents", "document_type"]].tolist() == [-4000, "Journal Entry"]
    assert inv.loc["JE-9", "due_date"] == inv.loc["JE-9", "invoice_date"]
    assert "Statement Charge ZUMIEZ 2026-06-15 120.00" in inv.index
    assert ledger.payments["payment_id"].tolist() == ["TACTICS 2026-07-22 300.00"]


def test_many_rows_read_as_their_sum(tmp_path):
    """500 invoices over the five sections, every fifth part-paid, and 20 payments: the net is
    the sum of the open balances written, the items are those not zero."""
    rows, expected, items = [], 0, 0
    sections = ["CURRENT", "1 - 30 days past due", "31 - 60 days past due"]
    for s, section in enumerate(sections):
        rows.append(label(section))
        for n in range(200 if s == 0 else 150):
            number = f"{s}{n:04d}"
            face = 1000 + 37 * n  # cents... in units of 0.01
            owed = face // 2 if n % 5 == 0 else face
            rows.append(
                item(
                    "Invoice",
                    "06/01/2026",
                    number,
                    f"Customer {n % 23}",
                    "07/01/2026",
                    f"{face // 100:,}.{face % 100:02d}",
                    f"{owed // 100:,}.{owed % 100:02d}",
                )
            )
            expected, items = expected + owed, items + 1
        rows.append(label(f"Total for {section}"))
    for n in range(20):
        rows.append(item("Payment", "06/20/2026", f"CHK{n}", "Customer 1", "", "-10.00", "-10.00"))
        expected, items = expected - 1000, items + 1
    rows.append(label("TOTAL"))
    path = tmp_path / "big.csv"
    path.write_text(qbo_text(rows), encoding="utf-8")
    ledger = arbook.read_ledger(path)
    assert ledger.errors.empty and len(ledger.invoices) == 500 and len(ledger.payments) == 20
    got = figures(ledger, OWN_AS_OF)
    assert (got["net"], got["items"], got["unapplied"]) == (expected, items, -20000)


def test_an_xlsx_export_reads_as_the_csv(own_qbo, tmp_path):
    """The same report saved as XLSX: dates as Excel dates, amounts as numbers."""
    sheet: list[list[object]] = [["Foundry Distribution, Inc"], ["A/R Aging Detail Report"]]
    sheet += [["As of Jul 25, 2026"], [], list(QBO_HEADER)]
    for row in OWN_QBO:
        if not row or row[0]:
            sheet.append(list(row))
            continue
        cells: list[object] = list(row)
        for at in (1, 5):
            if cells[at]:
                month, day, year = str(cells[at]).split("/")
                cells[at] = pd.Timestamp(f"{year}-{month}-{day}").to_pydatetime()
        for at in (6, 7):
            if cells[at]:
                cells[at] = float(str(cells[at]).replace("$", "").replace(",", ""))
        sheet.append(cells)
    path = write_workbook(tmp_path / "aging.xlsx", **{"A_R Aging Detail": sheet})
    from_xlsx, from_csv = arbook.read_ledger(path), arbook.read_ledger(own_qbo)
    assert from_xlsx.preset == "qbo-aging" and from_xlsx.errors.empty
    assert figures(from_xlsx, OWN_AS_OF) == figures(from_csv, OWN_AS_OF)
    assert from_xlsx.report_date == from_csv.report_date
    columns = ["invoice_id", "customer_id", "invoice_date", "due_date", "amount_cents"]
    assert from_xlsx.invoices[columns].equals(from_csv.invoices[columns].loc[:, columns])


def test_an_unknown_type_is_reported_on_its_line(tmp_path):
    rows = [
        label("Current"),
        item("Invoice", "07/01/2026", "1", "A", "07/31/2026", "10.00", "10.00"),
        item("Sales Receipt", "07/02/2026", "2", "A", "", "5.00", "5.00"),
        item("Payment", "07/03/2026", "3", "A", "", "4.00", "4.00"),  # a payment owed?
        ["", "07/04/2026", "", "", "A", "", "", "7.00"],  # no type, no label
        ["", "", "", "", "", "", "", "99.00"],  # a stray total: structure, not a document
        label("TOTAL", "10.00"),
    ]
    path = tmp_path / "odd.csv"
    path.write_text(qbo_text(rows), encoding="utf-8")
    ledger = arbook.read_ledger(path)
    errors = ledger.errors
    assert errors["code"].tolist() == ["unread_row"] * 3
    assert errors["source_line"].tolist() == [8, 9, 10]  # 4 title rows, header, section, 1
    assert errors["value"].tolist()[:2] == ["Sales Receipt", "Payment"]
    assert "'Sales Receipt' is not one an A/R aging report holds" in errors["message"].iloc[0]
    assert "positive open balance (4.00)" in errors["message"].iloc[1]
    assert ledger.invoices["invoice_id"].tolist() == ["1"]  # the rest is left out, said so


def test_a_num_two_types_share_is_kept_apart(tmp_path):
    rows = [
        label("Current"),
        item("Invoice", "07/01/2026", "12", "A", "07/31/2026", "10.00", "10.00"),
        item("Journal Entry", "07/02/2026", "12", "B", "", "3.00", "3.00"),
    ]
    path = tmp_path / "shared-num.csv"
    path.write_text(qbo_text(rows), encoding="utf-8")
    ledger = arbook.read_ledger(path)
    assert ledger.errors.empty
    assert ledger.invoices["invoice_id"].tolist() == ["12", "Journal Entry 12"]


def test_an_ap_report_is_not_taken_for_receivables(tmp_path):
    path = tmp_path / "ap.csv"
    header = QBO_HEADER.copy()
    header[4] = "Vendor display name"
    path.write_text(",".join(header) + "\n,07/01/2026,Bill,1,V,07/31/2026,1.00,1.00\n")
    assert detect(read_grid(path)) is None or detect(read_grid(path)).name != "qbo-aging"


# -- a QuickBooks Desktop report of our own ----------------------------------------------------

QBD_HEADER = ",,,Type,,Date,,Num,,P. O. #,,Name,,Terms,,Due Date,,Class,,Aging,,Open Balance"


def qbd_row(kind: str, day: str, num: str, who: str, terms: str, due: str, aging: str, bal: str):
    cells = ["", "", "", kind, "", day, "", num, "", "", "", who, "", terms, "", due, "", "", ""]
    return ",".join(cells + [aging, "", bal])


def test_a_desktop_report_with_a_title_and_other_terms(tmp_path):
    lines = [
        "Harbor Supply Co",
        "A/R Aging Detail",
        "As of June 30, 2026",
        QBD_HEADER,
        "> 90," + "," * 20,
        qbd_row("Stmt Charge", "01/02/2026", "", '"Lee, Ann"', "Net 60", "03/03/2026", "119", "50"),
        "Total > 90," + "," * 20 + "50.00",
        "Current," + "," * 20,
        qbd_row("Invoice", "06/20/2026", "7", "Bay Co", "1% 10 Net 30", "07/20/2026", "", "900.00"),
        qbd_row("General Journal", "06/25/2026", "GJ1", "Bay Co", "", "", "", "-25.00"),
        qbd_row("Check", "06/26/2026", "1001", '"Lee, Ann"', "Net EOM", "06/26/2026", "", "60.00"),
        "Total Current," + "," * 20 + "935.00",
        "TOTAL," + "," * 20 + "985.00",
    ]
    path = tmp_path / "qbd.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    ledger = arbook.read_ledger(path)
    assert ledger.preset == "qbd-aging" and ledger.errors.empty
    assert ledger.report_date == pd.Timestamp(AS_OF)  # stated in the title
    got = figures(ledger)
    # 50.00 is 119 days past due (91-120); 900 current; the check 4 days (1-30); the journal
    # entry's credit unapplied
    assert (got["net"], got["91-120"], got["current"], got["1-30"]) == (98500, 5000, 90000, 6000)
    assert got["unapplied"] == -2500
    inv = ledger.invoices.set_index("invoice_id")
    assert inv["terms_days"].to_dict() == {
        "Stmt Charge Lee, Ann 2026-01-02 50.00": "60",
        "7": "30",
        "GJ1": "",
        "1001": "",
    }
    # Lee's latest invoice (the check) has no readable terms: its statement charge's are kept
    terms = ledger.customers.set_index("customer_id")["terms_days"]
    assert terms.to_dict() == {"Lee, Ann": 60, "Bay Co": 30}
