"""The drill-down: a customer's facts (what it owes, credits, what is in dispute, payment
behaviour), its open items and payments; one bucket's open items with their count and sum; the
hint before anything is picked. Amounts name the ledger's currency."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

import arbook
from arbook.views.dashboard.drill import drill_bucket_html, drill_customer_html, drill_hint
from arbook.views.format import money_text
from arbook.workbook.review import build_review

SAMPLE = ROOT / "data" / "sample"
AS_OF = "2026-10-31"


@pytest.fixture(scope="module")
def review():
    return build_review(arbook.read_ledger(SAMPLE), AS_OF)


def test_a_customer_shows_what_it_owes_with_the_currency(review):
    html = drill_customer_html(review, "C0140")
    summary = review.summary.set_index("customer_id")
    owes = money_text(int(summary.at["C0140", "receivable_cents"]), review.ledger.currency)
    assert 'data-customer="C0140"' in html and "Silverline Textiles Co." in html
    assert f"Owes<br><b>{owes}</b>" in html and owes.endswith(" EUR")
    assert "Average days to pay" in html and "Open items (" in html


def test_a_bucket_lists_its_items_with_their_count_and_sum(review):
    html = drill_bucket_html(review, "121+")
    items = review.items[review.items["bucket"].astype(str) == "121+"]
    total = money_text(int(items["outstanding_cents"].sum()), review.ledger.currency)
    head = re.search(r"<h3>(.*?)</h3>", html).group(1)
    assert head == f"Open items 121+ days overdue: {len(items):,} items, {total}"


def test_the_hint_names_the_tab_to_pick_from():
    assert '"Who owes what"' in drill_hint().replace("&quot;", '"')
