"""The validated ledger (ledger): reading and building it, where it came from, what is
outstanding on each document as of a date, the month ends it covers, and its one-line count."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, ledger_of, write_ledger

import arbook
from arbook.core.dates import day_number
from arbook.core.errors import ParameterError
from arbook.core.ledger import default_as_of, month_ends

# Rows of ledger.invoices in file order: I1, I2, CN1, I3, CN2; of ledger.payments: P1..P4.
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,applies_to
    I1,A,2026-01-10,2026-02-09,100.00,
    I2,A,2026-02-01,2026-03-03,50.00,
    CN1,A,2026-01-20,,-30.00,I1
    I3,B,2026-03-05,2026-04-04,20.00,
    CN2,B,2026-01-05,,-5.00,I3
"""
PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id
    P1,A,2026-01-31,40.00,I1
    P2,A,2026-02-15,10.00,I2
    P3,B,2026-02-10,7.00,
    P4,A,2026-03-10,50.00,I1
"""


@pytest.fixture
def ledger(tmp_path):
    return ledger_of(
        tmp_path, invoices=INVOICES, payments=PAYMENTS, customers="customer_id,name\nZ,Zeta\n"
    )


def test_bad_rows_are_counted_where_the_user_looks():
    ledger = arbook.read_ledger(FIXTURES / "bad_date")
    # three dates are bad; I3's 19/04/2026 settles the column day first and stays in
    assert len(ledger.errors) == 3 and ledger.invoices["invoice_id"].tolist() == ["I3"]
    assert "3 errors" in ledger.describe()


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


def test_balances_hand_worked(ledger):
    # As of 2026-02-28: I1 100.00 - P1 40.00 - CN1 30.00 = 30.00 (P4 is in March); I2 50.00 -
    # P2 10.00 = 40.00; CN1 applied to I1: 0 of its own; I3 not there yet; CN2 waits for I3, so
    # it is a standalone credit of -5.00 for now. P3 names no invoice: open (unapplied cash).
    b = ledger.balances("2026-02-28")
    assert b.as_of == day_number("2026-02-28") == 20512
    assert b.paid.tolist() == [4000, 1000, 0, 0, 0]
    assert b.credited.tolist() == [3000, 0, 0, 0, 0]
    assert b.outstanding.tolist() == [3000, 4000, 0, 0, -500]
    assert b.doc_open.tolist() == [True, True, False, False, True]
    assert b.pay_open.tolist() == [False, False, True, False]
    assert b.outstanding.dtype == np.int64


def test_balances_later_and_before_anything(ledger):
    # As of 2026-03-31: P4 50.00 overpays I1: 100 - 90 - 30 = -20.00; I3 is there, CN2 applies
    # to it: 20.00 - 5.00 = 15.00, and CN2 is 0 of its own.
    b = ledger.balances("2026-03-31")
    assert b.paid.tolist() == [9000, 1000, 0, 0, 0]
    assert b.credited.tolist() == [3000, 0, 0, 500, 0]
    assert b.outstanding.tolist() == [-2000, 4000, 0, 1500, 0]
    assert b.pay_open.tolist() == [False, False, True, False]
    before = ledger.balances("2025-12-31")
    assert not before.outstanding.any() and not before.doc_open.any()
    assert not before.pay_open.any()


def test_balances_take_a_day_number_or_a_date(ledger):
    by_text = ledger.balances("2026-02-28").outstanding
    assert (ledger.balances(20512).outstanding == by_text).all()
    assert (ledger.balances(np.int64(20512)).outstanding == by_text).all()
    assert (ledger.balances(pd.Timestamp("2026-02-28")).outstanding == by_text).all()
    with pytest.raises(ParameterError, match="write it as YYYY-MM-DD"):
        ledger.balances("28/02/2026")


def test_first_and_last_day_and_month_ends(ledger):
    assert ledger.first_day == pd.Timestamp("2026-01-05")  # CN2, the earliest document
    assert ledger.last_day == pd.Timestamp("2026-03-10")  # P4, later than any invoice
    # from January's end to the last month end on or before 03-10
    assert month_ends(ledger) == [pd.Timestamp("2026-01-31"), pd.Timestamp("2026-02-28")]
    assert default_as_of(ledger) == pd.Timestamp("2026-02-28")


def test_month_ends_of_short_and_empty_ledgers(tmp_path):
    # one invoice on 01-10: its month's end even though the data stop before it
    short = ledger_of(
        tmp_path, invoices="invoice_id,customer_id,invoice_date,amount\nI1,A,2026-01-10,1.00\n"
    )
    assert month_ends(short) == [pd.Timestamp("2026-01-31")]
    # a last payment on a month end counts that month
    on_the_day = ledger_of(
        tmp_path / "b",
        invoices="invoice_id,customer_id,invoice_date,amount\nI1,A,2026-01-10,1.00\n",
        payments="payment_id,customer_id,payment_date,amount\nP1,A,2026-03-31,1.00\n",
    )
    assert month_ends(on_the_day)[-1] == pd.Timestamp("2026-03-31")
    assert len(month_ends(on_the_day)) == 3
    empty = arbook.ledger_from_frames(
        pd.DataFrame(columns=["invoice_id", "customer_id", "invoice_date", "amount"])
    )
    assert empty.first_day is None and empty.last_day is None and month_ends(empty) == []
    with pytest.raises(ParameterError, match="no invoices, so there is no date to review"):
        default_as_of(empty)


def test_folder_is_where_the_client_files_sit(tmp_path):
    folder = write_ledger(
        tmp_path / "client", invoices="invoice_id,customer_id,invoice_date,amount\n"
    )
    assert arbook.read_ledger(folder).folder == folder
    ibm = tmp_path / "ibm" / "ar.csv"
    ibm.parent.mkdir()
    ibm.write_text("customerID\n", encoding="utf-8")
    assert arbook.read_ledger(ibm, preset="ibm").folder == ibm.parent  # the file's folder
    frames = arbook.ledger_from_frames(pd.DataFrame({"invoice_id": ["I1"]}))
    assert frames.source == "frames" and frames.folder is None
    assert (
        arbook.Ledger(frames.invoices, frames.payments, frames.customers, frames.issues).folder
        is None
    )


def test_errors_warnings_names_and_description(ledger, tmp_path):
    assert ledger.errors.empty and ledger.warnings.empty
    assert ledger.describe() == "5 invoices, 4 payment rows, 3 customers; 0 errors, 0 warnings"
    # listed customers first (file order), then those seen only in documents, by id
    assert ledger.customers[["customer_id", "listed"]].values.tolist() == [
        ["Z", True],
        ["A", False],
        ["B", False],
    ]
    assert ledger.names(pd.Series(["Z", "A", "Q"])).tolist() == ["Zeta", "A", "Q"]
    mixed = ledger_of(
        tmp_path / "mixed",  # not the fixture's folder, which has payments
        invoices="""
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,A,2026-01-10,2026-01-01,1.00
        I2,A,someday,,1.00
    """,
    )
    assert mixed.errors["code"].tolist() == ["bad_date"]
    assert mixed.warnings["code"].tolist() == ["due_before_invoice"]
    assert mixed.describe().endswith("; 1 errors, 1 warnings")


def test_a_large_file_is_checked_in_pieces_and_what_only_the_whole_settles_is_read_whole(
    tmp_path, monkeypatch
):
    from arbook.core import csvfile, load

    monkeypatch.setattr(csvfile, "PIECE", 200)
    rows = [f"I{i},C1,2026-01-{1 + i % 28:02d},{i}.00" for i in range(1, 60)]
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "invoices.csv"
    path.write_text("invoice_id,customer_id,invoice_date,amount\n" + "\n".join(rows) + "\n")
    table, _ = load.read_table(path, table="invoices", pieces=True)
    assert isinstance(table, load.Pieces)
    assert isinstance(load.read_table(path, table="invoices")[0], pd.DataFrame)
    ledger = arbook.read_ledger(folder)
    assert len(ledger.invoices) == 59 and ledger.invoices["source_line"].tolist() == list(
        range(2, 61)
    )
    # day/month dates far down the file, settled by a 19/04 only there: the whole column decides
    rows[-1] = "I59,C1,19/04/2026,59.00"
    rows[-2] = "I58,C1,03/04/2026,58.00"
    path.write_text("invoice_id,customer_id,invoice_date,amount\n" + "\n".join(rows) + "\n")
    ledger = arbook.read_ledger(folder)
    dates = dict(zip(ledger.invoices["invoice_id"], ledger.invoices["invoice_date"]))
    assert dates["I58"] == pd.Timestamp("2026-04-03") and ledger.issues.empty


def test_a_large_parquet_table_is_checked_in_pieces_as_it_is_whole(tmp_path, monkeypatch):
    """Parquet of more rows than a piece is read a batch at a time: the same ledger and the
    same issues, located on the same rows, as read whole (bad cells in later pieces, an id
    repeated across pieces, a payment to a rejected invoice, decimals, dictionaries, a time
    zone, row groups smaller and larger than a piece)."""
    from decimal import Decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    from arbook.core import load

    n = 40
    ids = [f"I{i:03d}" for i in range(n)]
    ids[31] = "I004"  # repeats an id of the first piece
    dates = [f"2026-01-{1 + i % 28:02d}" for i in range(n)]
    dates[17] = "someday"  # a bad date in a middle piece
    invoices = pa.table(
        {
            "invoice_id": ids,
            "customer_id": pa.array([f"C{i % 3}" for i in range(n)]).dictionary_encode(),
            "invoice_date": dates,
            "amount": pa.array([Decimal(f"{i + 1}.25") for i in range(n)], pa.decimal128(10, 2)),
        }
    )
    paid = pd.Timestamp("2026-02-01", tz="Europe/Madrid")
    payments = pa.table(
        {
            "payment_id": [f"P{i}" for i in range(12)],
            "customer_id": [f"C{i % 3}" for i in range(12)],
            "payment_date": pa.array([paid] * 12, pa.timestamp("us", tz="Europe/Madrid")),
            "amount": [1.25] * 12,
            "invoice_id": [ids[i * 3] for i in range(11)] + ["I017"],  # I017 was rejected
        }
    )
    folder = tmp_path / "data"
    folder.mkdir()
    pq.write_table(invoices, folder / "invoices.parquet", row_group_size=9)
    pq.write_table(payments, folder / "payments.parquet", row_group_size=100)
    whole = arbook.read_ledger(folder)
    monkeypatch.setattr(load, "PARQUET_ROWS", 5)
    table, _ = load.read_table(folder / "invoices.parquet", table="invoices", pieces=True)
    assert isinstance(table, load.ParquetPieces)
    pieced = arbook.read_ledger(folder)
    for name in ("issues", "invoices", "payments", "customers"):
        pd.testing.assert_frame_equal(getattr(pieced, name), getattr(whole, name), obj=name)
    codes = sorted(set(whole.issues["code"]))
    assert {"bad_date", "duplicate_invoice", "unknown_invoice"} <= set(codes), codes
    lines = dict(zip(whole.errors["code"], whole.errors["source_line"]))
    assert lines["bad_date"] == 19 and lines["duplicate_invoice"] == 33


def test_the_arrays_take_validations_links_and_they_are_the_ids_links():
    """The ledger's arrays use the invoice rows validation found for each payment and credit
    note; finding them again from the ids gives the same rows (a random ledger of every kind
    of link: allocated, unknown, another customer's, to a credit note, credit notes applied
    and standalone); a ledger whose frames are replaced finds its own."""
    from dataclasses import replace

    from hypothesis import given, settings
    from strategies import ledgers

    @settings(max_examples=40, deadline=None)
    @given(ledgers())
    def check(case):
        invoices, payments, _as_of, _edges = case
        ledger = arbook.ledger_from_frames(invoices, payments)
        assert ledger.links is not None and ledger.links.of(ledger.invoices, ledger.payments)
        pay, credit = ledger._find_links()
        assert np.array_equal(ledger.arrays.pay_target, pay)
        assert np.array_equal(ledger.arrays.credit_target, credit)
        other = replace(ledger, payments=ledger.payments.iloc[::-1].reset_index(drop=True))
        assert not other.links.of(other.invoices, other.payments)
        assert np.array_equal(other.arrays.pay_target, other._find_links()[0])

    check()
