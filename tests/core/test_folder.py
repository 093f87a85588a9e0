"""Which file of a data folder is which table (:mod:`arbook.core.folder`): exact names, close
names read or explained, and every other file named in a warning."""

from __future__ import annotations

import pytest
from conftest import write_ledger

import arbook
from arbook.core.errors import DataError, IssueCode
from arbook.core.folder import find_tables, table_of

INVOICES = """
    invoice_id,customer_id,invoice_date,amount
    I1,A,2026-01-05,100.00
"""
PAYMENTS = "payment_id,customer_id,payment_date,amount,invoice_id\nP1,A,2026-01-20,40.00,I1\n"


@pytest.mark.parametrize(
    "name, table, exact",
    [
        ("invoices.csv", "invoices", True),
        ("Invoices.CSV", "invoices", True),
        ("payments.xls", "payments", True),
        ("payments.xlsm", "payments", True),
        ("payments.tsv", "payments", True),
        ("payments (1).csv", "payments", False),
        ("Payments 2026.csv", "payments", False),
        ("2026-06 payments.xlsx", "payments", False),
        ("payments.csv.csv", "payments", False),
        ("payments - Copy.csv", "payments", False),
        ("payment.csv", "payments", False),
        ("pagos.csv", "payments", False),
        ("Оплаты.xlsx", "payments", False),
        ("clientes.csv", "customers", False),
        ("notes.csv", None, False),
        ("payments.json", None, False),
        ("collections.db", None, False),
    ],
)
def test_table_of_a_file_name(name, table, exact):
    assert table_of(name) == (table, exact)


def test_find_tables_by_name_whatever_the_case(tmp_path):
    for name in ("Invoices.CSV", "payments.parquet", "notes.csv", "customers.json"):
        (tmp_path / name).write_text("a\n1\n")
    (tmp_path / "collections.db").write_bytes(b"")  # arbook's own: no warning
    (tmp_path / "outbox").mkdir()
    tables, issues = find_tables(tmp_path)
    assert tables == {
        "invoices": tmp_path / "Invoices.CSV",
        "payments": tmp_path / "payments.parquet",
    }
    # notes is no table and a .json customers file is no ledger file: both named, not passed over
    assert [(i.code, i.value) for i in issues] == [
        (IssueCode.UNKNOWN_FILE, "customers.json"),
        (IssueCode.UNKNOWN_FILE, "notes.csv"),
    ]
    with pytest.raises(DataError, match="is a file; give the folder"):
        find_tables(tmp_path / "notes.csv")


@pytest.mark.parametrize(
    "name", ["payments (1).csv", "Payments 2026.csv", "payments.csv.csv", "payments.tsv"]
)
def test_a_payments_file_under_a_close_name_is_read_and_said(tmp_path, name):
    folder = write_ledger(tmp_path / "d", invoices=INVOICES)
    sep = "\t" if name.endswith(".tsv") else ","
    (folder / name).write_text(PAYMENTS.replace(",", sep), encoding="utf-8")
    ledger = arbook.read_ledger(folder)
    # the 40.00 paid is not lost: the invoice is open for 60.00
    assert arbook.aging(ledger, "2026-02-28")["outstanding_cents"].sum() == 6000
    said = ledger.issues[ledger.issues["code"] == "close_name"]
    assert len(said) == (0 if name.endswith(".tsv") else 1)
    if len(said):
        assert said["message"].iloc[0] == f"{name} is read as the payments file"


def test_a_close_name_beside_the_exact_one_is_left_out_with_a_warning(tmp_path):
    folder = write_ledger(tmp_path / "d", invoices=INVOICES, payments=PAYMENTS)
    (folder / "payments (1).csv").write_text(PAYMENTS.replace("40.00", "10.00"))
    ledger = arbook.read_ledger(folder)
    assert ledger.payments["amount_cents"].tolist() == [4000]
    (issue,) = ledger.issues.itertuples(index=False)
    assert issue.code == "close_name" and issue.severity == "warning"
    assert (
        issue.message
        == "payments (1).csv looks like a payments file but is not read: payments.csv is"
    )


def test_two_files_for_one_table_are_refused(tmp_path):
    folder = write_ledger(tmp_path / "d", invoices=INVOICES)
    for name in ("payments 2025.csv", "payments 2026.csv"):
        (folder / name).write_text(PAYMENTS)
    with pytest.raises(DataError, match=r"payments 2025\.csv, payments 2026\.csv are all payments"):
        arbook.read_ledger(folder)


def test_dangling_and_looping_links_are_located_errors(tmp_path):
    folder = write_ledger(tmp_path / "d", invoices=INVOICES)
    (folder / "payments.csv").symlink_to(tmp_path / "gone.csv")
    (folder / "customers.csv").symlink_to(folder / "customers.csv")
    ledger = arbook.read_ledger(folder)
    messages = dict(zip(ledger.issues["source_file"], ledger.issues["message"]))
    assert (
        messages[str(folder / "payments.csv")]
        == f"is a link to {tmp_path / 'gone.csv'}, which does not exist"
    )
    assert messages[str(folder / "customers.csv")] == "is a link that leads back to itself"
    assert set(ledger.issues["code"]) == {"unreadable_file"}
