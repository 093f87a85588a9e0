"""Reading ledger files into raw frames (load): CSV (any separator, BOM, blank lines), XLSX and
Parquet alike, column names case-insensitive, every row stamped with its file and line, and
the folder's files found or refused clearly."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ledger_of

import arbook
from arbook.core.errors import IssueCode
from arbook.core.load import normalise_name, read_table, table_from_frame


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


@pytest.mark.parametrize(
    "name, normal",
    [
        ("invoice_id", "invoice_id"),
        ("Invoice ID", "invoice_id"),
        ("\ufeff Due-Date ", "due_date"),  # a BOM, spaces and a dash
        ("CUSTOMER   id", "customer_id"),  # a run of white space is one _
        (3, "3"),
    ],
)
def test_normalise_name(name, normal):
    assert normalise_name(name) == normal


def test_read_table_refuses_what_it_cannot_read(tmp_path):
    (tmp_path / "invoices.json").write_text("{}")
    frame, (issue,) = read_table(tmp_path / "invoices.json", label="inv")
    assert frame is None
    assert (issue.code, issue.source_file, issue.source_line) == (
        IssueCode.UNREADABLE_FILE,
        "inv",
        None,
    )
    assert issue.message == ".json files are not read"


def test_an_empty_file_is_graver_for_invoices(tmp_path):
    for name in ("invoices.csv", "payments.csv", "x.csv"):
        (tmp_path / name).write_bytes(b"")
    assert read_table(tmp_path / "invoices.csv")[1][0].code == IssueCode.NO_INVOICES
    assert read_table(tmp_path / "payments.csv")[1][0].code == IssueCode.EMPTY_FILE
    # what the file holds can be said (a preset's one file holds invoices)
    assert read_table(tmp_path / "x.csv", table="invoices")[1][0].code == IssueCode.NO_INVOICES
    assert read_table(tmp_path / "x.csv")[0] is None


def test_rows_are_stamped_with_file_and_line(tmp_path):
    path = tmp_path / "payments.csv"
    path.write_text("Payment ID,Amount\nP1,1.00\n,\nP2,2.00\n", encoding="utf-8")
    frame, issues = read_table(path, label="payments.csv")
    assert issues == []
    assert list(frame.columns) == ["source_file", "payment_id", "amount", "source_line"]
    # the blank row (line 3) is dropped; the lines are the file's
    assert frame[["payment_id", "source_line"]].values.tolist() == [["P1", 2], ["P2", 4]]
    assert frame["source_file"].dtype == "category" and set(frame["source_file"]) == {
        "payments.csv"
    }
    assert frame.attrs["label"] == "payments.csv"


def test_table_from_frame_numbers_rows_like_a_file():
    given = pd.DataFrame({"Invoice ID": ["a", "", "b"], "AMOUNT": ["1", "", "2"]}, index=[7, 8, 9])
    frame, issues = table_from_frame(given, "invoices")
    assert issues == []
    # the caller's index is ignored: first row = line 2; the blank row 3 is dropped
    assert frame[["invoice_id", "amount", "source_line"]].values.tolist() == [
        ["a", "1", 2],
        ["b", "2", 4],
    ]
    assert list(given.columns) == ["Invoice ID", "AMOUNT"]  # the caller's frame is not changed


def test_two_columns_of_one_name_keep_the_first():
    frame, (issue,) = table_from_frame(
        pd.DataFrame([["a", "b"]], columns=["Amount", "amount"]), "inv"
    )
    assert frame["amount"].tolist() == ["a"]
    assert (issue.code, issue.column) == (IssueCode.DUPLICATE_COLUMN, "amount")
    assert issue.message == "the columns 'Amount' and 'amount' are both 'amount'; the first is used"
