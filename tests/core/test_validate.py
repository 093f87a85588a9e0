"""Validation: one fixture folder per issue code, with its expected messages (SPEC §1)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES, ledger_of

import arbook
from arbook.core.errors import ISSUE_COLUMNS, IssueCode, format_issue

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
    expected = (folder / "expected.md").read_text(encoding="utf-8").splitlines()
    assert rendered(ledger, folder) == expected
    assert folder.name in set(ledger.issues["code"])
    assert list(ledger.issues.columns) == ISSUE_COLUMNS
    severity = IssueCode(folder.name).severity
    assert set(ledger.issues.loc[ledger.issues["code"] == folder.name, "severity"]) == {severity}


def test_error_rows_stay_out_and_warning_rows_keep_their_money():
    ledger = arbook.read_ledger(FIXTURES / "unknown_invoice")
    # The duplicate I1 (line 4) and the bad-dated I3 (line 5) are out; I1 and I2 are in.
    assert ledger.invoices["invoice_id"].tolist() == ["I1", "I2"]
    # Both payments stay, as unapplied cash of A: 10.00 + 5.00.
    items = arbook.aging(ledger, "2026-02-01").set_index("document_id")
    assert items.loc[["P1", "P2"], "outstanding_cents"].tolist() == [-1000, -500]
    assert items.loc["I1", "outstanding_cents"] == 10000  # nothing applied to it


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


def test_blank_due_date_from_terms_then_policy_default(tmp_path):
    ledger = ledger_of(
        tmp_path,
        customers="customer_id,terms_days\nA,45\n",
        invoices="""
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
