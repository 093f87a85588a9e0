"""What the Collections tab's form sends, read exactly
(:mod:`arbook.views.dashboard.collections_views`): amounts to whole cents, days as ISO dates,
anything else refused in a sentence; and what it shows: labels, never codes or ``NaT``."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from arbook.core.errors import ParameterError
from arbook.core.procedure import resolve_playbook
from arbook.views.dashboard.collections_views import (
    history_html,
    parse_amount,
    parse_day,
    worklist_head_html,
    worklist_row_html,
)


@pytest.mark.parametrize(
    "text, cents",
    [
        ("12", 1200),
        ("12.3", 1230),
        ("12.34", 1234),
        ("1,234.50", 123450),
        (" 0.01 ", 1),
        ("", None),
    ],
)
def test_amounts_parse_exactly_to_cents(text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", ["12.345", "-5", "1e3", "12,34", "abc", "0", "0.00", "1.2.3"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(ParameterError, match="amount"):
        parse_amount(text)


def test_days_are_iso_or_refused():
    assert parse_day("2026-11-02", "next") == dt.date(2026, 11, 2)
    assert parse_day(" ", "next") is None
    for bad in ("2026-02-30", "02/11/2026", "tomorrow"):
        with pytest.raises(ParameterError, match="YYYY-MM-DD"):
            parse_day(bad, "next")


# -- labels and rows -----------------------------------------------------------------------------


ROW = {
    "rank": 3,
    "customer_id": "C<1>",
    "name": "Ann & <b>Co</b>",
    "phone": "",
    "overdue_cents": 0,
    "oldest_days": -3,
    "step": "pre_due",
    "action": "friendly reminder e-mail",
    "reason": "reached 'pre due'",
    "script": "",
    "last_contact": pd.NaT,
    "next_date": pd.NaT,
    "disputed_cents": 4200,
    "step_label": "pre due",
    "step_due": True,
    "template": "reminder",
}


def test_a_worklist_row_is_escaped_labelled_and_has_no_nat():
    row = worklist_row_html(ROW, "EUR")
    assert 'data-customer="C&lt;1&gt;"' in row and "<b>Co</b>" not in row
    for text in ("due in 3 days", "never", "pre due", "+ 42.00 in dispute"):
        assert text in row, text
    assert "NaT" not in row and "pre_due" not in row and "n/a" not in row
    assert "overdue (EUR)" in worklist_head_html("EUR")
    assert worklist_head_html(None).count("<th ") == worklist_row_html(ROW, None).count("<td ")


def test_the_history_shows_labels_and_blanks():
    history = pd.DataFrame(
        {
            "at": pd.to_datetime(["2026-10-31 12:00"], utc=True),
            "who": ["Ann"],
            "channel": ["letter"],
            "outcome": ["saved"],
            "excuse": [None],
            "promise_cents": pd.array([pd.NA], dtype="Int64"),
            "promise_date": pd.to_datetime([pd.NaT]),
            "next_date": pd.to_datetime([pd.NaT]),
            "step": ["final_notice"],
            "document": ["C0140/notice.eml"],
            "note": [""],
        }
    )
    shown = history_html(
        history, playbook=resolve_playbook(None), lang="en", currency="EUR",
    )  # fmt: skip
    assert "final notice" in shown and "document kept to print and post" in shown
    assert "promised (EUR)" in shown
    for code in ("final_notice", "saved<", "NaT", "n/a", "None"):
        assert code not in shown, code
