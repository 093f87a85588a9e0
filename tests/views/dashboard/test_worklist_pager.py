"""The worklist a page at a time (:mod:`arbook.views.dashboard.worklist_pager`): every row on
exactly one page, in order; a row's button opens its customer; a page that does not exist is
refused in a sentence; the page of a customer is found again."""

from __future__ import annotations

from contextlib import contextmanager

import pandas as pd
import pytest

from arbook.core.errors import ParameterError
from arbook.views.dashboard.worklist_pager import PAGE_ROWS, WorklistPager

ROWS = 2 * PAGE_ROWS + 3  # three pages, the last one short


def _frame(count: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rank": range(1, count + 1),
            "customer_id": [f"C{i:03d}" for i in range(count)],
            "name": [f"Customer {i} <b>" for i in range(count)],
            "phone": "",
            "overdue_cents": 1000,
            "oldest_days": range(-2, count - 2),
            "step": "reminder",
            "action": "reminder e-mail",
            "reason": "reached 'reminder'",
            "script": "",
            "last_contact": pd.NaT,
            "next_date": pd.NaT,
            "disputed_cents": 0,
            "step_label": "reminder",
            "step_due": True,
            "template": "statement",
        }
    )


@contextmanager
def _raising():
    yield


@pytest.fixture
def pager():
    opened: list[str] = []
    board = WorklistPager(opened.append, _raising)
    board.show(_frame(ROWS), "2026-10-31", "EUR")
    board.opened = opened
    return board


def test_every_row_is_on_one_page_in_order(pager):
    assert pager.pages == 3
    seen = []
    for page in range(pager.pages):
        pager.go(page)
        seen += pager.shown
    assert seen == [f"C{i:03d}" for i in range(ROWS)]
    assert len(pager.shown) == 3 and pager._next.disabled and not pager._prev.disabled
    assert "customers 25–27 of 27 (page 3 of 3)" in pager._where.value


def test_a_rows_button_opens_its_customer(pager):
    pager.go(1)
    pager._buttons[4].click()
    assert pager.opened == [f"C{PAGE_ROWS + 4:03d}"]
    assert pager._buttons[4].description == f"C{PAGE_ROWS + 4:03d}"
    cell = pager._cells[4].value
    assert f'data-customer="C{PAGE_ROWS + 4:03d}"' in cell
    assert f"Customer {PAGE_ROWS + 4} &lt;b&gt;" in cell  # a name is text, never markup


@pytest.mark.parametrize("page", [-1, 3, "2", 1.0, True])
def test_a_page_that_does_not_exist_is_refused(pager, page):
    with pytest.raises(ParameterError, match="pages 1 to 3"):
        pager.go(page)
    assert pager.page == 0


def test_the_page_shown_stays_when_it_still_exists(pager):
    assert pager.page_of(f"C{2 * PAGE_ROWS:03d}") == 2 and pager.page_of("nobody") is None
    pager.go(2)
    pager.show(_frame(PAGE_ROWS + 1), "2026-10-31", None)  # a shorter worklist: page 2 is gone
    assert pager.page == 1 and pager.shown == [f"C{PAGE_ROWS:03d}"]
    pager.show(_frame(0), "2026-10-31", None)
    assert pager.shown == [] and "Nobody to contact today" in pager._where.value
    assert pager._head.layout.display == "none"
