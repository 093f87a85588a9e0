"""The daily run (issue 13): today's worklist, what changed, the documents due, the digest."""

from __future__ import annotations

import pandas as pd
from conftest import ledger_of

from arbook.workbook.daily import DOCUMENT_COLUMNS, daily_run, digest_text

INVOICES = """
    IA,A,2026-09-21,2026-10-21,1000.00
    IB,B,2026-08-02,2026-09-01,500.00
    IC,C,2026-09-30,2026-10-30,3000.00
    ID,D,2026-10-04,2026-11-03,200.00
"""
CUSTOMERS = """
    customer_id,name,email,language,contact
    A,Alpha Ltd,a@example.com,en,Ann
    B,Beta Ltd,b@example.com,en,Bob
    C,Gamma SA,c@example.es,es,Carla
    D,Delta,d@example.com,en,Dan
"""


def _ledger(tmp_path):
    return ledger_of(tmp_path, invoices=INVOICES, customers=CUSTOMERS)


def test_the_day_defaults_to_the_data_latest_and_says_so(tmp_path):
    run = daily_run(_ledger(tmp_path), out=tmp_path / "digest")
    assert run.day == pd.Timestamp("2026-10-04")  # the newest invoice
    assert "the data's latest day" in run.day_said
    assert run.previous == pd.Timestamp("2026-10-02")  # a Sunday's last working day: Friday
    assert "the data's latest day" in run.digest["txt"].read_text("utf-8")


def test_a_day_lists_what_changed_the_worklist_and_the_documents_due(tmp_path):
    run = daily_run(_ledger(tmp_path), "2026-10-31", out=tmp_path / "digest")
    assert list(run.changes["newly_overdue"]["document_id"]) == ["IC"]
    crossed = set(run.changes["crossed_step"]["customer_id"])
    assert crossed == {"B", "C", "D"}
    assert list(run.worklist["customer_id"]) == ["C", "B", "A", "D"]
    # documents due by the ladder: C reminder (statement), B agency (legal letter), D pre-due
    # reminder; A's step (first call) is a phone call, no document
    docs = run.documents.set_index("customer_id")
    assert list(run.documents.columns) == DOCUMENT_COLUMNS
    assert set(docs.index) == {"B", "C", "D"} and docs.loc["C", "document"] == "statement"
    assert (docs["status"] == "due").all()  # no send path given: listed, nothing made
    text = digest_text(run)
    assert "Newly overdue (1):" in text and "IC, 3,000.00 due 2026-10-30" in text
    assert "C Gamma SA: pre due -> reminder (reminder e-mail with statement)" in text
    assert "D Delta: no step -> pre due" in text and "pre_due" not in text
    assert "Today's worklist: 4 customers" in text
    html = run.digest["html"].read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Gamma SA" in html and "http" not in html
    assert run.digest["html"].name == "2026-10-31.html"


def test_a_note_shared_by_many_documents_is_said_once(tmp_path):
    def refuse(ledger, day, rows):
        return pd.DataFrame(
            {
                "customer_id": rows["customer_id"],
                "name": rows["name"],
                "step": rows["step_label"],
                "document": rows["template"],
                "status": "refused",
                "file": "",
                "note": "no company name: set [company] name",
            },
            columns=DOCUMENT_COLUMNS,
        )

    run = daily_run(_ledger(tmp_path), "2026-10-31", documents=refuse, out=tmp_path / "d")
    text = digest_text(run)
    assert text.count("no company name") == 1
    assert "note 1: no company name: set [company] name" in text
    assert text.count("refused (note 1)") == 3
    assert "note 1: no company name" in run.digest["html"].read_text("utf-8")
