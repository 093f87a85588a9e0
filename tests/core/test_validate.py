"""Validation: one fixture folder per issue code, with its expected messages (SPEC §1)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES, ledger_of

import arbook
from arbook.core.errors import ISSUE_COLUMNS, IssueCode, format_issue
from arbook.core.schemas import Customers, Invoices, Payments, check

FOLDERS = sorted(p for p in FIXTURES.iterdir() if p.is_dir())


def rendered(ledger: arbook.Ledger, folder: Path) -> list[str]:
    return [
        format_issue(r).replace(str(folder) + "/", "")
        for r in ledger.issues.itertuples(index=False)
    ]


def test_every_code_has_a_fixture():
    assert {p.name for p in FOLDERS} == {code.value for code in IssueCode}


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_fixture_gives_its_expected_messages(folder):
    ledger = arbook.read_ledger(folder)
    expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert rendered(ledger, folder) == expected
    assert folder.name in set(ledger.issues["code"])
    assert list(ledger.issues.columns) == ISSUE_COLUMNS
    severity = IssueCode(folder.name).severity
    assert set(ledger.issues.loc[ledger.issues["code"] == folder.name, "severity"]) == {severity}


def test_clean_frames_follow_their_schemas(tmp_path):
    ledger = arbook.read_ledger(FIXTURES / "unknown_credit_target")
    check(ledger.invoices, Invoices)
    check(ledger.payments, Payments)
    check(ledger.customers, Customers)
    assert ledger.invoices["amount_cents"].dtype == "int64"
    assert ledger.invoices["invoice_date"].dtype.kind == "M"


def test_error_rows_stay_out_and_warning_rows_keep_their_money():
    ledger = arbook.read_ledger(FIXTURES / "unknown_invoice")
    # The duplicate I1 (line 4) and the bad-dated I3 (line 5) are out; I1 and I2 are in.
    assert ledger.invoices["invoice_id"].tolist() == ["I1", "I2"]
    # Both payments stay, as unapplied cash of A: 10.00 + 5.00.
    items = arbook.aging(ledger, "2026-02-01").set_index("document_id")
    assert items.loc[["P1", "P2"], "outstanding_cents"].tolist() == [-1000, -500]
    assert items.loc["I1", "outstanding_cents"] == 10000  # nothing applied to it


def test_bad_rows_are_counted_where_the_user_looks():
    ledger = arbook.read_ledger(FIXTURES / "bad_date")
    assert len(ledger.errors) == 2 and ledger.invoices.empty
    assert "2 errors" in ledger.describe()


def test_every_problem_not_just_the_first(tmp_path):
    ledger = ledger_of(
        tmp_path,
        invoices="""
        invoice_id,customer_id,invoice_date,amount,disputed
        I1,A,2026-13-01,abc,maybe
        I2,,2026-01-01,10.00,no
        I3,B,2026-01-02,20.00,no
    """,
    )
    found = (
        ledger.issues[["source_line", "column", "code"]].astype(str).agg(":".join, axis=1).tolist()
    )
    assert found == [
        "2:amount:bad_amount",
        "2:disputed:bad_flag",
        "2:invoice_date:bad_date",
        "3:customer_id:missing_value",
    ]
    assert ledger.invoices["invoice_id"].tolist() == ["I3"]


def test_columns_are_case_insensitive_and_extra_columns_kept(tmp_path):
    ledger = ledger_of(
        tmp_path,
        invoices="""
        Invoice ID,CUSTOMER_ID,Invoice_Date,Amount,Region
        I1,A,2026-01-01,"$1,234.50",North
    """,
    )
    assert ledger.issues.empty
    assert ledger.invoices.loc[0, "amount_cents"] == 123450
    assert ledger.invoices.loc[0, "region"] == "North"


def test_blank_due_date_from_terms_then_policy_default(tmp_path):
    ledger = ledger_of(
        tmp_path,
        customers="customer_id,terms_days\nA,45\n",
        invoices="""
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,A,2026-01-01,,10.00
        I2,B,2026-01-01,,10.00
        I3,B,2026-01-01,2026-01-10,10.00
    """,
    )
    inv = ledger.invoices.set_index("invoice_id")
    assert (
        inv.loc["I1", "due_date"] == pd.Timestamp("2026-02-15")
        and inv.loc["I1", "due_from"] == "terms"
    )
    assert (
        inv.loc["I2", "due_date"] == pd.Timestamp("2026-01-31")
        and inv.loc["I2", "due_from"] == "default"
    )
    assert inv.loc["I3", "due_from"] == "file"


def test_semicolon_files_blank_lines_and_bom(tmp_path):
    folder = tmp_path / "semi"
    folder.mkdir()
    (folder / "invoices.csv").write_bytes(
        "\ufeffinvoice_id;customer_id;invoice_date;amount\nI1;A;2026-01-01;10.00\n\nI2;A;2026-01-02;bad\n".encode()
    )
    ledger = arbook.read_ledger(folder)
    assert ledger.invoices["invoice_id"].tolist() == ["I1"]
    # the blank line 3 is skipped, and the bad row is still reported on its true line, 4.
    assert ledger.issues[["source_line", "code"]].values.tolist() == [[4, "bad_amount"]]


def test_other_currency_converted_with_rates(tmp_path):
    ledger = ledger_of(
        tmp_path,
        rates="currency,rate\nEUR,1.0835\n",
        invoices="""
        invoice_id,customer_id,invoice_date,amount,currency
        I1,A,2026-01-01,100.00,USD
        I2,A,2026-01-01,100.00,USD
        I3,A,2026-01-02,10.01,EUR
    """,
    )
    assert ledger.issues.empty and ledger.currency == "USD"
    inv = ledger.invoices.set_index("invoice_id")
    # 10.01 EUR x 1.0835 = 10.845835 USD -> 10.85 (half-up to the cent)
    assert inv.loc["I3", "amount_cents"] == 1085 and inv.loc["I3", "original_amount_cents"] == 1001


def test_bad_rate_is_reported_on_its_own_line(tmp_path):
    ledger = ledger_of(
        tmp_path,
        rates="currency,rate\nEUR,1.0835\nEUR,-1\n",
        invoices="""
        invoice_id,customer_id,invoice_date,amount,currency
        I1,A,2026-01-01,100.00,USD
        I2,A,2026-01-01,100.00,USD
        I3,A,2026-01-02,10.01,EUR
    """,
    )
    assert ledger.issues[["source_line", "column", "code"]].values.tolist() == [
        [3, "rate", "bad_amount"]
    ]
    # the good EUR rate on line 2 still converts
    assert ledger.invoices.set_index("invoice_id").loc["I3", "amount_cents"] == 1085


def test_date_order_option_reads_slashed_dates(tmp_path):
    folder = tmp_path / "dmy"
    folder.mkdir()
    (folder / "invoices.csv").write_text(
        "invoice_id,customer_id,invoice_date,amount\nI1,A,03/04/2026,1.00\n"
    )
    assert arbook.read_ledger(folder, date_order="dmy").invoices.loc[
        0, "invoice_date"
    ] == pd.Timestamp("2026-04-03")
    assert arbook.read_ledger(folder, date_order="mdy").invoices.loc[
        0, "invoice_date"
    ] == pd.Timestamp("2026-03-04")


def test_xlsx_and_parquet_read_like_csv(tmp_path):
    frame = pd.DataFrame(
        {
            "invoice_id": ["I1", "I2"],
            "customer_id": ["A", "B"],
            "invoice_date": pd.to_datetime(["2026-01-01", "2026-01-02"]),
            "amount": [10.5, 20.25],
        }
    )
    for suffix, write in (
        (".xlsx", lambda f, p: f.to_excel(p, index=False)),
        (".parquet", lambda f, p: f.to_parquet(p)),
    ):
        folder = tmp_path / suffix.strip(".")
        folder.mkdir()
        write(frame, folder / f"invoices{suffix}")
        ledger = arbook.read_ledger(folder)
        assert ledger.issues.empty, ledger.issues
        assert ledger.invoices["amount_cents"].tolist() == [1050, 2025]
        assert ledger.invoices["invoice_date"].tolist() == list(frame["invoice_date"])


def test_xlsx_bad_cell_is_located_on_its_sheet_row(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    pd.DataFrame(
        {
            "invoice_id": ["I1", "I2", "I3"],
            "customer_id": ["A", "B", "C"],
            "invoice_date": ["2026-01-01", "someday", "2026-01-03"],
            "amount": ["1", "2", "3"],
        }
    ).to_excel(folder / "invoices.xlsx", index=False)
    issue = arbook.read_ledger(folder).issues.iloc[0]
    assert (issue["source_line"], issue["column"], issue["code"]) == (3, "invoice_date", "bad_date")


def test_from_frames_validates_the_same_way():
    ledger = arbook.ledger_from_frames(
        pd.DataFrame(
            {
                "invoice_id": ["I1", "I1"],
                "customer_id": ["A", "A"],
                "invoice_date": ["2026-01-01", "2026-01-02"],
                "amount": ["1.00", "2.00"],
            }
        )
    )
    assert ledger.issues.loc[0, "code"] == "duplicate_invoice"
    assert (
        ledger.issues.loc[0, "source_file"] == "invoices"
        and ledger.issues.loc[0, "source_line"] == 3
    )
    with pytest.raises(arbook.ParameterError):
        arbook.ledger_from_frames([1, 2])


def test_float_amounts_must_hold_whole_cents():
    ledger = arbook.ledger_from_frames(
        pd.DataFrame(
            {
                "invoice_id": ["I1", "I2"],
                "customer_id": ["A", "A"],
                "invoice_date": ["2026-01-01", "2026-01-01"],
                "amount": [0.1 + 0.2, 1.005],
            }
        )
    )
    assert ledger.invoices["amount_cents"].tolist() == [30]
    assert ledger.issues["code"].tolist() == ["bad_amount"]


def test_missing_folder_and_files_raise_clearly(tmp_path):
    with pytest.raises(arbook.DataError, match="no such folder"):
        arbook.read_ledger(tmp_path / "nope")
    with pytest.raises(arbook.DataError, match="no invoices file"):
        arbook.read_ledger(tmp_path)
    (tmp_path / "invoices.csv").write_text("x")
    (tmp_path / "invoices.xlsx").write_text("x")
    with pytest.raises(arbook.DataError, match="keep one"):
        arbook.read_ledger(tmp_path)
    with pytest.raises(arbook.DataError, match="preset"):
        arbook.read_ledger(tmp_path / "invoices.csv")
    with pytest.raises(arbook.DataError, match="unknown preset"):
        arbook.read_ledger(tmp_path / "invoices.csv", preset="sap")


def test_bom_without_blank_lines_takes_the_fast_reader(tmp_path):
    folder = tmp_path / "bom"
    folder.mkdir()
    (folder / "invoices.csv").write_bytes(
        "\ufeffinvoice_id,customer_id,invoice_date,amount\nI1,A,2026-01-01,10.00\nI2,A,2026-01-02,x\n".encode()
    )
    ledger = arbook.read_ledger(folder)
    assert ledger.invoices["invoice_id"].tolist() == ["I1"]
    assert ledger.issues[["source_line", "code"]].values.tolist() == [[3, "bad_amount"]]


def test_parquet_and_csv_of_one_business_are_the_same_ledger(tmp_path):
    from arbook.workbook.sample import make_sample

    make_sample(tmp_path / "csv", seed=5, customers=30, months=6)
    make_sample(tmp_path / "pq", seed=5, customers=30, months=6, fmt="parquet")
    a, b = arbook.read_ledger(tmp_path / "csv"), arbook.read_ledger(tmp_path / "pq")
    assert a.issues.empty and b.issues.empty
    for name in ("invoices", "payments"):
        left, right = getattr(a, name), getattr(b, name)
        money = [c for c in left.columns if c.endswith(("_cents", "_date"))]
        pd.testing.assert_frame_equal(left[money], right[money])
    assert arbook.aging_summary(a, "2026-10-31").equals(arbook.aging_summary(b, "2026-10-31"))
