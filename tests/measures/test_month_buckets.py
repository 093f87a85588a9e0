"""Calendar-month buckets (``edges="months"``), as Xero's Aged Receivables Detail columns them:
current = not yet due (due on the as-of date is current, SPEC §2.6); ``< 1 month`` = due
earlier in the as-of date's month; ``1 month`` = due in the month before; ``2 months``,
``3 months``; ``older``. Checked by hand at month ends, leap years, the 1st of a month and a
year boundary, and against the month columns of the Xero example (EXPECTED.md §2)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import SHARED

import arbook
from arbook.cli.commands import main
from arbook.core.config import MONTH_LABELS, check_edges, edges_text, load_policy
from arbook.core.dates import day_number
from arbook.core.errors import PolicyError
from arbook.measures.aging import bucket_codes, bucket_labels
from arbook.measures.metrics import monthly_metrics, roll_rates

XERO = SHARED / "import-examples" / "xero-aged-receivables-detail.xlsx"
AS_OF = "2026-06-30"


def month_bucket(due: str, as_of: str) -> str:
    """The month bucket of an item due on ``due``, through the one definition."""
    day = day_number(as_of)
    days = np.array([day - day_number(due)])
    return MONTH_LABELS[int(bucket_codes(days, "months", day)[0])]


def test_labels_and_edges_text():
    assert bucket_labels("months") == [
        "current",
        "< 1 month",
        "1 month",
        "2 months",
        "3 months",
        "older",
    ]
    assert check_edges("Months") == check_edges(["months"]) == "months"
    assert edges_text("months") == "months" and edges_text((30, 60)) == "30,60"


@pytest.mark.parametrize(
    ("due", "as_of", "bucket"),
    [
        # EXPECTED.md §2 rule 5, as of 30 June 2026
        ("2026-07-15", "2026-06-30", "current"),
        ("2026-06-30", "2026-06-30", "current"),  # due on the day: not yet overdue
        ("2026-06-29", "2026-06-30", "< 1 month"),
        ("2026-06-01", "2026-06-30", "< 1 month"),
        ("2026-05-31", "2026-06-30", "1 month"),  # INV-10401, 30 days
        ("2026-05-01", "2026-06-30", "1 month"),  # INV-10398, 60 days: the same column
        ("2026-04-30", "2026-06-30", "2 months"),  # INV-10392, 61 days
        ("2026-03-31", "2026-06-30", "3 months"),  # INV-10379, 91 days
        ("2026-03-01", "2026-06-30", "3 months"),  # INV-10355, 121 days
        ("2026-02-28", "2026-06-30", "older"),  # INV-10340, 122 days
        # as of the 1st: nothing can be "< 1 month" overdue; yesterday is last month
        ("2026-07-01", "2026-07-01", "current"),
        ("2026-06-30", "2026-07-01", "1 month"),
        ("2026-06-01", "2026-07-01", "1 month"),
        ("2026-05-31", "2026-07-01", "2 months"),
        # leap year, as of the last day of February 2024 and of March 2024
        ("2024-02-29", "2024-02-29", "current"),
        ("2024-02-28", "2024-02-29", "< 1 month"),
        ("2024-01-31", "2024-02-29", "1 month"),
        ("2024-02-29", "2024-03-31", "1 month"),
        ("2023-12-01", "2024-03-31", "3 months"),
        ("2023-11-30", "2024-03-31", "older"),
        # a February that is not a leap year
        ("2026-02-27", "2026-02-28", "< 1 month"),
        ("2026-01-31", "2026-02-28", "1 month"),
        # across the year end
        ("2025-12-31", "2026-01-15", "1 month"),
        ("2025-10-01", "2026-01-15", "3 months"),
        ("2025-09-30", "2026-01-15", "older"),
    ],
)
def test_every_month_boundary(due, as_of, bucket):
    assert month_bucket(due, as_of) == bucket


def _ledger(rows: list[tuple[str, str, str, str]], payments=None) -> arbook.Ledger:
    invoices = pd.DataFrame(
        rows, columns=["invoice_id", "customer_id", "due_date", "amount"]
    ).assign(invoice_date="2025-01-01")
    return arbook.ledger_from_frames(invoices, payments)


def test_aging_and_summary_by_month_through_a_ledger():
    ledger = _ledger(
        [
            ("A1", "A", "2026-06-30", "10.00"),
            ("A2", "A", "2026-06-29", "20.00"),
            ("A3", "A", "2026-05-31", "30.00"),
            ("B1", "B", "2026-05-01", "40.00"),
            ("B2", "B", "2026-04-30", "50.00"),
            ("B3", "B", "2026-02-28", "60.00"),
            ("B4", "B", "2026-03-01", "70.00"),
            ("CN", "B", "2026-06-10", "-5.00"),
        ]
    )
    assert ledger.errors.empty
    items = arbook.aging(ledger, AS_OF, edges="months").set_index("document_id")
    assert items["bucket"].astype(str).to_dict() == {
        "A1": "current",
        "A2": "< 1 month",
        "A3": "1 month",
        "B1": "1 month",
        "B2": "2 months",
        "B3": "older",
        "B4": "3 months",
        "CN": "unapplied",  # negative items stay out of the buckets (SPEC §2.7)
    }
    summary = arbook.aging_summary(ledger, AS_OF, edges="months").set_index("customer_id")
    assert summary.loc["A", ["current_cents", "< 1 month_cents", "1 month_cents"]].tolist() == [
        1000,
        2000,
        3000,
    ]
    assert summary.loc["B", "1 month_cents"] == 4000 and summary.loc["B", "older_cents"] == 6000
    assert summary.loc["B", "unapplied_cents"] == -500
    assert summary.loc["B", "total_cents"] == 4000 + 5000 + 6000 + 7000 - 500
    # the invoice basis counts months from the invoice date (1 January 2025: older)
    by_invoice = arbook.aging(ledger, AS_OF, edges="months", basis="invoice")
    assert set(by_invoice["bucket"].astype(str)) == {"older", "unapplied"}


def test_monthly_metrics_and_roll_rates_take_month_edges():
    ledger = _ledger([("A1", "A", "2026-05-15", "100.00"), ("A2", "A", "2026-06-15", "30.00")])
    m = monthly_metrics(ledger, "2026-05", "2026-06", edges="months").set_index("month")
    # 31 May: A1 due 15 May -> "< 1 month"; 30 June: A1 -> "1 month", A2 -> "< 1 month"
    assert m.loc["2026-05", "< 1 month_cents"] == 10000
    assert m.loc["2026-06", ["< 1 month_cents", "1 month_cents"]].tolist() == [3000, 10000]
    rolls = roll_rates(ledger, "2026-06", "2026-06", edges="months")
    assert rolls.loc[0, "< 1 month->1 month"] == 1.0  # all of May's "< 1 month" rolled on


def test_a_policy_may_set_month_edges_with_a_rate_per_month_bucket():
    rates = dict(zip(MONTH_LABELS, (0.01, 0.02, 0.05, 0.1, 0.2, 0.5), strict=True))
    policy = load_policy({"aging": {"edges": "months"}, "allowance": {"loss_rates": rates}})
    assert policy.aging.edges == "months"
    ledger = _ledger([("A1", "A", "2026-05-15", "100.00")])
    items = arbook.aging(ledger, AS_OF, policy=policy)
    assert items["bucket"].astype(str).tolist() == ["1 month"]
    with pytest.raises(PolicyError, match=r'the \[aging\] edges "months" make the buckets'):
        load_policy({"aging": {"edges": "months"}})  # the shipped rates name day buckets


def test_the_cli_takes_edges_months(tmp_path, capsys):
    folder = tmp_path / "ledger"
    folder.mkdir()
    (folder / "invoices.csv").write_text(
        "invoice_id,customer_id,invoice_date,due_date,amount\n"
        "A1,A,2026-04-01,2026-05-31,30.00\nA2,A,2026-04-01,2026-04-30,50.00\n"
    )
    code = main(["aging", str(folder), "--as-of", AS_OF, "--edges", "months", "--format", "csv"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0].startswith(
        "customer_id,name,current_cents,< 1 month_cents,1 month_cents,2 months_cents,"
        "3 months_cents,older_cents,"
    )
    assert ",0,0,3000,5000,0,0," in out.splitlines()[1]


# -- the Xero example: its month columns reconcile with arbook's month buckets --------------------

#: EXPECTED.md §2: the file's final Total row by month column (credits inside), and what is
#: not yet due (in no month column).
XERO_COLUMNS = {
    "< 1 month": 618500,
    "1 month": 669816,
    "2 months": 614330,
    "3 months": 694035,
    "older": 1709400,
}
XERO_NOT_DUE = 412550


def xero_frames(path: Path = XERO) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The items of the Xero Aged Receivables Detail as arbook's frames, read with openpyxl:
    contact header rows fill the customer down, ``Total ...`` rows are skipped; an item's open
    balance is its Total; a credit note (no Invoice Number) is a negative invoice named by its
    reference, the overpayment a payment on account (SPEC §2 rule 3)."""
    sheet = openpyxl.load_workbook(path, data_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(k for k, row in enumerate(rows) if row[0] == "Contact Account Number")
    col = {name: k for k, name in enumerate(rows[header]) if name}
    invoices, payments, contact = [], [], None
    for row in rows[header + 1 :]:
        if row[0] is not None:
            contact = None if str(row[0]).startswith("Total") else row[0]
            continue
        if contact is None or row[col["Total"]] is None:
            continue
        total = round(float(row[col["Total"]]), 2)
        due, ref = row[col["Due Date"]].date(), row[col["Invoice Reference"]]
        number = row[col["Invoice Number"]]
        if number is None and ref == "Overpayment":
            payments.append((f"{contact} {due}", contact, str(due), f"{-total:.2f}"))
            continue
        doc = number or ref.split()[0]
        invoices.append((doc, contact, str(row[col["Invoice Date"]].date()), str(due), total))
    inv = pd.DataFrame(
        invoices, columns=["invoice_id", "customer_id", "invoice_date", "due_date", "amount"]
    ).assign(amount=lambda f: f["amount"].map("{:.2f}".format))
    pay = pd.DataFrame(
        payments, columns=["payment_id", "customer_id", "payment_date", "amount"]
    ).assign(invoice_id="")
    return inv, pay


def _columns_like_xero(ledger: arbook.Ledger) -> dict[str, int]:
    """arbook's month buckets with each credit added to the month of its date, as Xero's
    columns hold them (arbook keeps credits apart, as unapplied: SPEC §2.7)."""
    items = arbook.aging(ledger, AS_OF, edges="months")
    day = day_number(AS_OF)
    codes = bucket_codes(items["days_overdue"].to_numpy(dtype=np.int64), "months", day)
    month = np.asarray(MONTH_LABELS, dtype=object)[codes]
    return items.groupby(month)["outstanding_cents"].sum().astype(int).to_dict()


def _check_xero(ledger: arbook.Ledger) -> None:
    summary = arbook.aging_summary(ledger, AS_OF, edges="months")
    buckets = summary[[f"{label}_cents" for label in MONTH_LABELS]].sum()
    assert buckets["current_cents"] == XERO_NOT_DUE
    # positive items only in arbook's buckets; the two credits are unapplied
    assert buckets["< 1 month_cents"] == XERO_COLUMNS["< 1 month"] + 26500  # overpayment
    assert buckets["1 month_cents"] == XERO_COLUMNS["1 month"] + 18000  # CN-0107
    for label in ("2 months", "3 months", "older"):
        assert buckets[f"{label}_cents"] == XERO_COLUMNS[label], label
    assert int(summary["unapplied_cents"].sum()) == -44500
    assert int(summary["total_cents"].sum()) == 4718631  # net receivable, EXPECTED §2
    # and with the credits in the month of their date, Xero's own columns to the cent
    columns = _columns_like_xero(ledger)
    assert {k: columns[k] for k in XERO_COLUMNS} == XERO_COLUMNS
    assert columns["current"] == XERO_NOT_DUE


def test_the_xero_example_built_from_its_items():
    invoices, payments = xero_frames()
    assert len(invoices) + len(payments) == 19  # item rows, EXPECTED §2
    ledger = arbook.ledger_from_frames(invoices, payments)
    assert ledger.errors.empty, ledger.errors
    _check_xero(ledger)


def test_the_xero_example_read_by_its_preset():
    _check_xero(arbook.read_ledger(XERO))
