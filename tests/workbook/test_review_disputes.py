"""What the review says is in dispute follows the one rule (SPEC §7,
:func:`arbook.measures.disputes.disputed_cents`): the data's ``disputed = yes`` flags with the
contact log's disputes. The review's ``disputed``, its items, its totals, the findings, the
dashboard's drill-downs and the call screen's items agree, and a record in the log reaches the
dashboard's cached reviews."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import ledger_of

from arbook.collections.contacts import ContactLog
from arbook.core.money import format_money
from arbook.measures.disputes import disputed_cents
from arbook.views.dashboard.caches import ReviewCache
from arbook.views.dashboard.collections_views import items_html
from arbook.views.dashboard.drill import drill_bucket_html, drill_customer_html
from arbook.workbook.findings import policy_findings
from arbook.workbook.review import build_review

AS_OF = "2026-10-31"
OCT20 = dt.datetime(2026, 10, 20, 9, 0, tzinfo=dt.UTC)
NOV02 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
# As of 2026-10-31: A owes A1 1,000.00 (due 10-01, 30 days overdue) and A2 200.00 (not due);
# B owes B1 500.00 (due 09-01), imported as disputed; C paid C1 (C2 comes in November, so the
# data covers October's month end). So the data's flags alone put 500.00 in dispute (B1).
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,disputed
    A1,A,2026-09-01,2026-10-01,1000.00,no
    A2,A,2026-10-15,2026-11-14,200.00,no
    B1,B,2026-08-01,2026-09-01,500.00,yes
    C1,C,2026-09-01,2026-10-01,100.00,no
    C2,C,2026-11-03,2026-12-03,100.00,no
"""
PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id
    PC,C,2026-10-20,100.00,C1
"""
CUSTOMERS = """
    customer_id,name
    A,Alpha Ltd
    B,Beta Ltd
    C,Gamma SA
"""
FACT = "In dispute (not chased)"


@pytest.fixture
def ledger(tmp_path, monkeypatch):
    monkeypatch.delenv("ARBOOK_LOG", raising=False)  # the log is the data folder's
    return ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


@pytest.fixture
def log(ledger):
    with ContactLog(path=ledger.folder / "collections.db") as opened:
        yield opened


def in_dispute(review) -> dict[str, int]:
    """Cents in dispute per document, as the review's items carry them (documents with some)."""
    items = review.items
    assert (items["disputed"] == (items["disputed_cents"] > 0)).all()  # never the bare flag
    some = items[items["disputed"]]
    return dict(zip(some["document_id"], some["disputed_cents"].astype(int)))


def agrees(review, log, expected: dict[str, int]) -> None:
    """The review's disputes are ``expected``, and are the rule's, wherever the review shows
    them."""
    rule = disputed_cents(review.ledger, review.as_of, log)
    assert dict(review.disputed.astype(int)) == dict(rule.astype(int)) == expected
    assert in_dispute(review) == expected
    assert review.totals.disputed_cents == int(review.disputed.sum()) == sum(expected.values())
    assert policy_findings(review).disputed == len(expected)
    chase = review.chase.set_index("customer_id")["disputed_cents"]
    assert int(chase.sum()) == sum(expected.values())


def test_without_a_log_the_flags_alone(ledger):
    review = build_review(ledger, AS_OF)
    agrees(review, None, {"B1": 50000})
    assert "disputed_cents" in review.items and review.items["disputed_cents"].dtype == "int64"


def test_a_log_dispute_on_an_unflagged_invoice_counts(ledger, log):
    log.open_dispute("A", "A1", reason="price", who="ann", at=OCT20)
    log.open_dispute("A", "A2", reason="late", who="ann", at=NOV02)  # after the as-of date
    review = build_review(ledger, AS_OF, log=log)
    agrees(review, log, {"A1": 100000, "B1": 50000})
    assert build_review(ledger, AS_OF).totals.disputed_cents == 50000  # the flags alone


def test_a_log_resolution_closes_a_flagged_invoice(ledger, log):
    log.resolve_document("B", "B1", resolution="rejected", who="ann", at=OCT20)
    review = build_review(ledger, AS_OF, log=log)
    agrees(review, log, {})
    assert FACT not in drill_customer_html(review, "B")


def test_a_partial_dispute_is_its_amount(ledger, log):
    log.open_dispute("A", "A1", reason="price", who="ann", amount_cents=30000, at=OCT20)
    review = build_review(ledger, AS_OF, log=log)
    agrees(review, log, {"A1": 30000, "B1": 50000})
    # the aging still holds all that is owed: what is in dispute is still owed
    a1 = review.items.set_index("document_id").loc["A1"]
    assert (int(a1["outstanding_cents"]), int(a1["disputed_cents"])) == (100000, 30000)


def test_the_drill_downs_show_the_rules_amount(ledger, log):
    log.open_dispute("A", "A1", reason="price", who="ann", amount_cents=30000, at=OCT20)
    review = build_review(ledger, AS_OF, log=log)
    shown = drill_customer_html(review, "A")
    assert f"{FACT}<br><b>{format_money(30000)}</b>" in shown  # 300.00 (the book has no currency)
    assert FACT not in drill_customer_html(review, "C")
    bucket = review.items.set_index("document_id").loc["A1", "bucket"]
    table = drill_bucket_html(review, str(bucket))
    assert '<th class="num">in dispute</th>' in table and format_money(30000) in table
    # the same review without the log: only the imported flag, and A has nothing in dispute
    assert FACT not in drill_customer_html(build_review(ledger, AS_OF), "A")


def test_the_call_screens_items_show_the_amount():
    items = pd.DataFrame(
        {
            "document_id": ["A1", "A2"],
            "kind": ["invoice", "invoice"],
            "document_date": pd.to_datetime(["2026-09-01", "2026-10-15"]),
            "due_date": pd.to_datetime(["2026-10-01", "2026-11-14"]),
            "amount_cents": [100000, 20000],
            "outstanding_cents": [100000, 20000],
            "days_overdue": [30, -14],
            "disputed": [True, False],
            "disputed_cents": [30000, 0],
        }
    )
    shown = items_html(items, "EUR")
    assert format_money(30000, "EUR") in shown and "yes" not in shown


def test_a_cached_review_reads_the_log_again_after_a_record(ledger, log):
    cache = ReviewCache(ledger, log=lambda: log)
    review = cache.get(build_review(ledger, AS_OF).settings)
    assert review.totals.disputed_cents == 50000
    aged = review.items
    log.open_dispute("A", "A1", reason="price", who="ann", amount_cents=30000, at=OCT20)
    assert review.totals.disputed_cents == 50000  # kept until it is told
    cache.reread_log()
    assert cache.get(review.settings) is review  # the same review, its other parts kept
    agrees(review, log, {"A1": 30000, "B1": 50000})
    pd.testing.assert_frame_equal(
        review.items.drop(columns=["disputed", "disputed_cents"]),
        aged.drop(columns=["disputed", "disputed_cents"]),
    )


def test_the_dashboard_drill_down_follows_the_collections_tab(ledger, log):
    from arbook.views.dashboard.app import Dashboard

    log.open_dispute("A", "A1", reason="price", who="ann", amount_cents=30000, at=OCT20)
    board = Dashboard(ledger, as_of=AS_OF)
    board.select_customer("A")
    assert f"{FACT}<br><b>{format_money(30000)}</b>" in board.drill_html
    board.controls["tabs"].selected_index = 4  # Collections: the tab's own log is the same file
    assert not board.status_is_error, board.status
    tab = board.collections
    number = int(tab.log.disputes(customer_id="A")["dispute_id"].iloc[0])
    tab.log.resolve_dispute(number, resolution="credited", who="ann", at=OCT20)
    tab.refresh()  # what each of the tab's forms does after a record
    board.select_customer("A")
    assert FACT not in board.drill_html
    assert board.review.totals.disputed_cents == 50000
    tab.log.close()


def test_the_daily_digest_says_in_dispute_by_the_rule(ledger, log, tmp_path):
    from arbook.workbook.daily import daily_run, digest_text

    # on Friday 2026-10-02 A1 (due 10-01) is newly overdue; a log dispute for 300.00 of it,
    # opened the day before, counts: its line says how much is in dispute
    oct01 = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
    log.open_dispute("A", "A1", reason="price", who="ann", amount_cents=30000, at=oct01)
    line = "A1, 1,000.00 due 2026-10-01"
    before = digest_text(daily_run(ledger, "2026-10-02", out=tmp_path / "a")).splitlines()
    assert any(row.endswith(line) for row in before)  # without the log: nothing in dispute
    run = daily_run(ledger, "2026-10-02", log=log, out=tmp_path / "b")
    new = run.changes["newly_overdue"].set_index("document_id")
    assert (bool(new.loc["A1", "disputed"]), int(new.loc["A1", "disputed_cents"])) == (True, 30000)
    assert f"{line} ({format_money(30000)} in dispute)" in digest_text(run)


def test_the_monthly_review_reads_the_data_folders_log(ledger, log):
    from arbook.views.review.sections import open_review

    log.open_dispute("A", "A1", reason="price", who="ann", amount_cents=30000, at=OCT20)
    review = open_review(str(ledger.folder), AS_OF)
    try:
        agrees(review, log, {"A1": 30000, "B1": 50000})
    finally:
        review.log.close()
