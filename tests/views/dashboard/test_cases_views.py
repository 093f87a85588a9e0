"""The call screen's disputes and plans without widgets (:mod:`arbook.views.dashboard.
cases_views`): instalments read exactly to cents, every bad line named; the dispute list with
amount, age, owner and notes (an imported one says it came with the data); plans with their
instalments; the invoices a dispute or a plan may name."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from arbook.core.errors import ParameterError
from arbook.views.dashboard.cases_views import (
    dispute_options,
    disputes_html,
    open_invoices,
    parse_instalments,
    plans_html,
    running_plan,
)


def test_instalments_are_read_one_a_line_to_cents():
    text = " 2026-11-15 1,250.50 \n\n2026-12-15 100\n"
    assert parse_instalments(text) == [
        (dt.date(2026, 11, 15), 125050),
        (dt.date(2026, 12, 15), 10000),
    ]


@pytest.mark.parametrize(
    "text, words",
    [
        ("", ["instalments are empty"]),
        ("2026-02-30 10", ["instalment 1 date"]),
        ("2026-11-15 10\n2026-12-15 1.234", ["instalment 2 amount"]),
        ("2026-11-15", ["instalment 1", "has no amount"]),
        ("soon 10\n2026-11-15 -5", ["instalment 1 date", "instalment 2 amount"]),
        ("\n".join(f"2027-01-{d:02d} 1" for d in range(1, 29)) * 3, ["at most"]),
    ],
)
def test_bad_instalments_are_refused_naming_each_line(text, words):
    with pytest.raises(ParameterError) as refused:
        parse_instalments(text)
    assert all(w in str(refused.value) for w in words), str(refused.value)


DISPUTES = pd.DataFrame(
    {
        "dispute_id": ["", 7],
        "customer_id": ["C1", "C1"],
        "name": ["One", "One"],
        "document_id": ["INV-1", "INV-2"],
        "outstanding_cents": [50000, 30000],
        "disputed_cents": [50000, 12500],
        "days_overdue": pd.array([40, -3], dtype="Int64"),
        "age_days": pd.array([pd.NA, 5], dtype="Int64"),
        "reason": ["marked disputed in the data", "short <delivery>"],
        "owner": ["", "Bob"],
        "notes": [0, 3],
        "last_note": ["", "photos sent to <QA>"],
        "source": ["imported", "log"],
    }
)


def test_the_dispute_list_says_amount_age_and_where_it_came_from():
    shown = disputes_html(DISPUTES, "EUR")
    assert "2 open, 625.00 EUR not chased" in shown and "in dispute (EUR)" in shown
    assert "since the data was imported" in shown and "5 days" in shown
    assert "40 days overdue" in shown and "due in 3 days" in shown
    assert "imported (disputed = yes)" in shown and "contact log" in shown
    assert "&lt;delivery&gt;" in shown and "<delivery>" not in shown
    assert "<th" in shown and "notes</th>" in shown and "last note</th>" in shown
    assert '<td class="num">3</td>' in shown and "photos sent to &lt;QA&gt;" in shown
    assert "No open dispute" in disputes_html(DISPUTES.iloc[:0], None)
    assert dispute_options(DISPUTES, "EUR")[1] == ("INV-2 · 125.00 EUR · short <delivery>", "INV-2")


PLANS = pd.DataFrame(
    {
        "plan_id": [1, 2],
        "customer_id": ["C1", "C1"],
        "documents": [("INV-1",), ("INV-1", "INV-2")],
        "agreed_at": pd.to_datetime(["2026-09-01 10:00", "2026-10-31 12:00"], utc=True),
        "status": ["cancelled", "on track"],
        "instalments": [1, 2],
        "kept": [0, 1],
        "broken": [0, 0],
        "planned_cents": [10000, 40000],
        "paid_cents": [0, 20000],
        "next_due": pd.to_datetime([pd.NaT, "2026-12-15"]),
        "next_cents": pd.array([pd.NA, 20000], dtype="Int64"),
        "paused": [False, True],
    }
)
INSTALMENTS = pd.DataFrame(
    {
        "plan_id": [1, 2, 2],
        "customer_id": ["C1"] * 3,
        "number": [1, 1, 2],
        "due_date": pd.to_datetime(["2026-09-30", "2026-11-15", "2026-12-15"]),
        "amount_cents": [10000, 20000, 20000],
        "paid_cents": [0, 20000, 0],
        "status": ["cancelled", "kept", "open"],
    }
)


def test_plans_are_listed_newest_first_with_their_instalments():
    shown = plans_html(PLANS, INSTALMENTS, "EUR")
    assert shown.index('data-plan="2"') < shown.index('data-plan="1"')
    assert "Plan 2, agreed 2026-10-31 for INV-1, INV-2" in shown
    assert "1 of 2 instalments kept" in shown and "next 200.00 EUR due 2026-12-15" in shown
    assert "kept" in shown and "cancelled" in shown and "NaT" not in shown
    assert running_plan(PLANS) == 2 and running_plan(PLANS.iloc[:1]) is None
    assert "No payment plan" in plans_html(PLANS.iloc[:0], INSTALMENTS.iloc[:0], None)


def test_only_invoices_with_something_owed_can_be_named():
    items = pd.DataFrame(
        {
            "document_id": ["INV-2", "INV-1", "CN-1", "INV-3"],
            "kind": ["invoice", "invoice", "credit_note", "invoice"],
            "due_date": pd.to_datetime(["2026-11-03", "2026-09-01", "2026-09-01", "2026-08-01"]),
            "outstanding_cents": [5000, 7000, -100, 0],
            "days_overdue": [-3, 60, 60, 91],
            "disputed": [False, True, False, False],
        }
    )
    assert open_invoices(items, None) == [
        ("INV-1 · 70.00 · 60 days overdue (in dispute)", "INV-1"),
        ("INV-2 · 50.00 · due in 3 days", "INV-2"),
    ]
