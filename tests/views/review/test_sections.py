"""The monthly review's sections (:mod:`arbook.views.review.sections`) on their own, without
running the notebook: the data-issues banner and listing, the credit section's holds placed and
lifted."""

from __future__ import annotations

from conftest import SAMPLE, write_ledger

import arbook
from arbook.views.review import sections as report_sections
from arbook.workbook.review import build_review

AS_OF = "2026-10-31"


def test_data_issues_section_lists_issues_with_their_location(tmp_path):
    folder = write_ledger(
        tmp_path / "ledger",
        invoices="""
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,C1,2026-10-01,2026-10-31,100.00
        I2,C1,2026-10-40,2026-11-30,50.00
        """,
    )
    review = report_sections.open_review(str(folder), AS_OF)
    banner = report_sections.data_banner(review)[0].data
    assert 'data-errors="1"' in banner
    listing = report_sections.data_issues(review)[0].data
    assert "invoices.csv:3: bad_date" in listing


def test_credit_section_lists_holds_placed_and_lifted():
    from arbook.credit import credit_holds

    ledger = arbook.read_ledger(SAMPLE)
    now, before = credit_holds(ledger, AS_OF), credit_holds(ledger, "2026-09-30")
    added = set(now["customer_id"]) - set(before["customer_id"])
    lifted = set(before["customer_id"]) - set(now["customer_id"])
    assert added and lifted  # the sample has both this month
    parts = [p.data for p in report_sections.credit(build_review(ledger, AS_OF))]
    text = "".join(parts)
    assert f"{len(now):,} customers on credit hold" in text
    placed = text[
        text.index(f"Put on hold this month ({len(added):,})") : text.index(
            "Hold lifted this month"
        )
    ]
    assert all(f">{c}<" in placed for c in added)
    assert all(f">{c}<" not in placed for c in set(now["customer_id"]) - added)
    released = text[
        text.index(f"Hold lifted this month ({len(lifted):,})") : text.index(
            "Payment scores falling most"
        )
    ]
    assert all(f">{c}<" in released for c in lifted)
    assert "Credit limits to change" in text and "Owing without a credit limit" in text
