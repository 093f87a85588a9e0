"""The monthly review's sections (:mod:`arbook.views.review.sections`) on their own, without
running the notebook: the data-issues banner and listing, the credit section's holds placed and
lifted."""

from __future__ import annotations

import pytest
from conftest import SAMPLE, write_ledger

import arbook
from arbook.views.review import sections as report_sections
from arbook.workbook.review import build_review

AS_OF = "2026-10-31"


def test_data_issues_section_lists_issues_with_their_location(tmp_path):
    folder = write_ledger(
        tmp_path / "ledger",
        invoices="""
        I1,C1,2026-10-01,2026-10-31,100.00
        I2,C1,2026-10-40,2026-11-30,50.00
        """,
    )
    review = report_sections.open_review(str(folder), AS_OF)
    banner = report_sections.data_banner(review)[-1].data
    assert 'data-errors="1"' in banner
    listing = report_sections.data_issues(review)[-1].data
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


def test_every_section_of_an_aging_report_says_what_is_na_and_why(tmp_path):
    """A ledger of open items only (an aging report of 2026-06-30): the trend, the aging a
    month ago, roll rates, the roll-rate allowance, movers, payment behaviour, holds over time,
    scores and the collectors' month each say n/a with the one reason; nothing is drawn from
    the partial history."""
    import dataclasses
    import re

    import pandas as pd

    folder = write_ledger(
        tmp_path / "ledger",
        invoices="""
        I1,C1,2026-04-01,2026-05-01,100.00
        I2,C2,2026-06-01,2026-07-01,50.00
        """,
    )
    ledger = dataclasses.replace(
        arbook.read_ledger(folder),
        open_items_only=True,
        report_date=pd.Timestamp("2026-06-30"),
        lacks="payments and their dates",
    )
    review = build_review(ledger)
    page = "".join(p.data for p in report_sections.all_parts(review))
    page += "".join(p.data for p in report_sections.collections(review))
    note = "n/a (the data holds the items open on 2026-06-30, not payments and their dates)"
    reasons = re.findall(r'<p class="arbook arbook-note arbook-na">([^<]*)</p>', page)
    assert [r.removesuffix(": " + note) for r in reasons] == [
        "The 12-month trend and every comparison with an earlier month",
        "The aging a month ago",
        "Roll rates",
        "The allowance by the roll-rate method",
        "Who moved to a worse bucket this month",
        "How these customers pay (days to pay, days beyond terms)",
        "Holds put on and lifted this month",
        "Payment scores",
        "The collectors&#x27; month (promises kept, cash after contact, customers stuck on a step)",
    ]
    tiles = re.findall(r'data-kpi="([a-z_]+)" title="[^"]*" data-why="n/a"', page)
    assert tiles == ["dso_countback", "best_possible_dso", "add", "cei"]
    assert "No customer moved to a worse bucket" not in page  # not known, not "none"
    # a ledger with its history has no such note
    full = build_review(arbook.read_ledger(folder), "2026-06-30")
    assert 'arbook-na">' not in "".join(p.data for p in report_sections.all_parts(full))


@pytest.mark.parametrize("lang", ["es", "ru"])
def test_an_aging_report_says_what_is_na_in_the_language(tmp_path, lang):
    """The review of an aging report (open items only) in Spanish and Russian: every section's
    heading, its n/a reasons and the tiles' reasons translated, no English word of the
    catalogue left (what the data lacks is the data's own text here)."""
    import dataclasses

    import pandas as pd
    from i18n_check import english_left

    from arbook.core.i18n import using

    folder = write_ledger(
        tmp_path / "ledger",
        invoices="""
        I1,C1,2026-04-01,2026-05-01,100.00
        I2,C2,2026-06-01,2026-07-01,50.00
        """,
    )
    lacks = "payments and their dates"
    with using(lang):
        ledger = dataclasses.replace(
            arbook.read_ledger(folder),
            open_items_only=True,
            report_date=pd.Timestamp("2026-06-30"),
            lacks=lacks,
        )
        review = build_review(ledger)
        parts = report_sections.all_parts(review) + report_sections.collections(review)
    page = "".join(p.data for p in parts if not str(p.data).lstrip().startswith("<svg"))
    assert english_left(page, lang, data=["C1", "C2", lacks]) == []
    heading = {"es": "Tasas de traspaso", "ru": "Коэффициенты перехода"}[lang]
    assert f'<h2 class="arbook">{heading}</h2>' in page
    assert page.count('data-why="n/a"') == 4  # the tiles that need the history


def test_a_book_in_several_currencies_has_its_exchange_line(tmp_path):
    """Book EUR; USD 100.00 invoiced at 0.90 (90.00 EUR), USD 40.00 paid at 0.92: realised
    +0.80; the USD 60.00 open revalued at 0.95 on 2026-03-31: +3.00 unrealised."""
    from conftest import two_currency_book

    from arbook.views.review.sections import exchange_line

    ledger = two_currency_book(
        tmp_path,
        "currency,rate,date\nUSD,0.90,2026-01-01\nUSD,0.92,2026-02-01\nUSD,0.95,2026-03-01",
        payments="payment_id,customer_id,payment_date,amount,invoice_id\nP1,A,2026-02-05,40.00,I1",
    )
    review = arbook.build_review(ledger, "2026-03-31")
    assert exchange_line(review) == (
        "In EUR, the amounts in USD count at their documents' rates; exchange differences: "
        "+0.80 EUR realised by the payments so far, +3.00 EUR unrealised on what is open at "
        "the rates of 2026-03-31."
    )
    page = "".join(getattr(p, "data", str(p)) for p in report_sections.aging(review))
    assert "+3.00 EUR unrealised" in page
    assert exchange_line(arbook.build_review(arbook.read_ledger(SAMPLE), "2026-10-31")) == ""
