"""The monthly review's "Cash forecast" section (:mod:`arbook.views.review.forecast_section`,
issue 15) built from a Review of the sample as of 2026-10-31, without running the notebook: its
heading and sentence, the chart as SVG, the weeks' and the soonest items' tables adding up to
the review's own figures, the backtest; a ledger of open items only and one too short to
backtest saying why there is no backtest; Spanish and Russian with no English left."""

from __future__ import annotations

import dataclasses
import html
import re

import nbformat
import pandas as pd
import pytest
from conftest import ROOT, SAMPLE, write_ledger
from i18n_check import english_left

import arbook
from arbook.core.dates import date_text
from arbook.core.i18n import using
from arbook.views.cash_forecast import backtest_sentence, backtest_table, forecast_sentence
from arbook.views.format import format_cents
from arbook.views.review import forecast_section, sections
from arbook.workbook.review import build_review

AS_OF = "2026-10-31"
#: Spanish month abbreviations that are English words too: "31 ago 2026", "17 may 2026".
SPANISH_MONTHS = ["ago", "may"]
#: The money columns of the weeks' table, in order.
WEEK_MONEY = ["expected_cents", "low_cents", "high_cents"]


@pytest.fixture(scope="module")
def review():
    return build_review(arbook.read_ledger(SAMPLE), AS_OF)


@pytest.fixture(scope="module")
def parts(review):
    return [p.data for p in forecast_section.forecast(review)]


def _tables(parts: list[str]) -> list[str]:
    return [t for p in parts for t in re.findall(r"<table.*?</table>", p, re.S)]


def _rows(table: str) -> list[list[str]]:
    """The cells of each body row of ``table``, as text (the total row last, when there is)."""
    body = re.search(r"<tbody>(.*)</tbody>", table, re.S).group(1)
    return [
        [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_the_section_has_its_heading_sentence_and_chart(review, parts):
    assert parts[0].startswith('<h2 class="arbook">Cash forecast</h2>')
    assert 'class="arbook arbook-note">When today' in parts[0]
    said = forecast_sentence(review.forecast, currency="EUR")
    assert said.startswith("Of 1,122,725.20 EUR open") and html.escape(said) in parts[1]
    (svg,) = [p for p in parts if p.lstrip().startswith("<svg")]
    assert "Cash expected from today" in svg  # static, drawn by vl-convert: no script
    assert "<script" not in "".join(parts)


def test_the_weeks_table_adds_up_to_the_forecast(review, parts):
    weeks = review.forecast
    rows = _rows(_tables(parts)[0])
    # the 13 weeks and the row after them; no total row (a sum of lows is no low of the sum)
    assert len(rows) == len(weeks)
    assert rows[0][:3] == ["2026-11-01", "2026-11-07", format_cents(weeks["expected_cents"][0])]
    # the row after the horizon (13 weeks from 2026-11-01 end on 2027-01-30) says so in words
    assert rows[-1][:2] == ["after 2027-01-30", ""]
    for row, (_i, week) in zip(rows, weeks.iterrows(), strict=True):
        assert row[2:] == [format_cents(int(week[c])) for c in WEEK_MONEY]
    # expected_cents adds up to what the open items owe, exactly (the sentence says the total)
    open_cents = int(review.predictions["outstanding_cents"].sum())
    assert int(weeks["expected_cents"].sum()) == open_cents
    assert "Of 1,122,725.20 EUR open" in "".join(parts)


def test_the_largest_items_expected_in_the_first_four_weeks(review, parts):
    # the first four weeks run 2026-11-01 to 2026-11-28
    p = review.predictions
    soon = p[(p["predicted_date"] >= "2026-11-01") & (p["predicted_date"] <= "2026-11-28")]
    top = soon.sort_values("outstanding_cents", ascending=False, kind="stable").head(10)
    assert len(top) == 10 and len(p) > len(soon) > 10
    assert any("<h3" in x and "Largest items expected to be paid by 2026-11-28" in x for x in parts)
    rows = _rows(_tables(parts)[1])
    names = review.ledger.names(top["customer_id"])
    assert [r[0] for r in rows[:-1]] == list(names)
    assert [r[1] for r in rows[:-1]] == list(top["document_id"])
    assert [r[4] for r in rows[:-1]] == [date_text(d) for d in top["predicted_date"]]
    assert rows[-1][0] == "Total"
    assert rows[-1][2] == format_cents(int(top["outstanding_cents"].sum()))
    # C0032's 32,612.07 is the largest item but expected on 2026-11-29, a day after: left out
    largest = p.loc[p["outstanding_cents"].idxmax()]
    assert largest["predicted_date"] == pd.Timestamp("2026-11-29")
    assert largest["document_id"] not in {r[1] for r in rows}


def test_how_accurate_it_was_on_the_history(review, parts):
    result = review.forecast_backtest
    assert result is not None
    head = parts.index('<h3 class="arbook">How accurate was it on your history</h3>')
    assert html.escape(backtest_sentence(result)) in parts[head + 1]
    rows = _rows(_tables(parts)[2])
    shown = backtest_table(result)
    assert rows == shown.astype(str).values.tolist()
    assert rows[0][0].startswith("arbook: ") and len(rows) == 5  # the model, then 4 baselines


def test_the_review_shows_it_after_the_largest_overdue_balances(review):
    page = "".join(p.data for p in sections.all_parts(review))
    assert page.index("Largest overdue balances") < page.index(">Cash forecast<")
    assert page.index(">Cash forecast<") < page.index("What it costs to be their bank")
    nb = nbformat.read(ROOT / "arbook" / "notebooks" / "monthly_review.ipynb", as_version=4)
    cells = [c.source for c in nb.cells]
    assert cells[cells.index("show(top_overdue(review))") + 1] == "show(forecast(review))"
    assert "import forecast\n" in cells[1]


def _aging_report(tmp_path) -> arbook.Ledger:
    """A ledger of open items only: an aging report of 2026-06-30."""
    folder = write_ledger(
        tmp_path / "ledger",
        invoices="""
        I1,C1,2026-04-01,2026-05-01,100.00
        I2,C2,2026-06-01,2026-07-20,50.00
        """,
    )
    return dataclasses.replace(
        arbook.read_ledger(folder),
        open_items_only=True,
        report_date=pd.Timestamp("2026-06-30"),
        lacks="payments and their dates",
    )


def test_an_aging_report_says_why_there_is_no_backtest(tmp_path):
    ledger = _aging_report(tmp_path)
    review = build_review(ledger)
    assert review.forecast_backtest is None
    parts = [p.data for p in forecast_section.forecast(review)]
    page = "".join(parts)
    why = (
        "It cannot be checked on this data, and each item is expected when it falls due (at once "
        "if overdue): the data holds the items open on 2026-06-30, not payments and their dates."
    )
    assert f'<p class="arbook arbook-note">{why}</p>' in page
    assert 'arbook-na"' not in page  # not a figure left n/a: the forecast is there
    # each item at its due date; I1, overdue since 2026-05-01, on the first day forecast
    assert "Of 150.00 open" in page  # the weeks add up to what is open
    items = _rows(_tables(parts)[1])
    assert [r[1] for r in items[:-1]] == ["I1", "I2"]
    assert items[1][4] == "2026-07-20"  # I2 on its due date, in the third week
    assert all("due date" in r[-1] for r in items[:-1])


def test_a_short_history_says_why_there_is_no_backtest(tmp_path):
    # four months of invoices and payments: a backtest needs a year to learn from first
    folder = write_ledger(
        tmp_path / "ledger",
        invoices="""
        I1,C1,2026-06-01,2026-07-01,100.00
        I2,C1,2026-07-01,2026-07-31,100.00
        I3,C1,2026-09-01,2026-10-01,100.00
        """,
        payments="""
        P1,C1,2026-07-03,100.00,I1
        P2,C1,2026-08-02,100.00,I2
        """,
    )
    review = build_review(arbook.read_ledger(folder), AS_OF)
    assert review.forecast_backtest is None
    page = "".join(p.data for p in forecast_section.forecast(review))
    assert (
        "It cannot be checked yet: the history runs from 2026-06-01 to 2026-09-01, and a check "
        "needs a year of it to learn from and 13 weeks after that to score."
    ) in page


@pytest.mark.parametrize("lang", ["es", "ru"])
def test_the_section_in_the_language(lang, tmp_path):
    """The sample's section and an aging report's reason in Spanish and Russian: no English word
    of the catalogue left (the customers' ids and names are data), the heading translated, the
    end of a date range not an e-mail's recipient."""
    ledger = arbook.read_ledger(SAMPLE)
    names = [*ledger.customers["customer_id"], *ledger.names(ledger.customers["customer_id"])]
    with using(lang):
        parts = forecast_section.forecast(build_review(arbook.read_ledger(SAMPLE), AS_OF))
        parts += forecast_section.forecast(build_review(_aging_report(tmp_path)))
    page = "".join(p.data for p in parts if not p.data.lstrip().startswith("<svg"))
    lacks = "payments and their dates"  # the data's own words
    assert english_left(page, lang, data=[*names, *SPANISH_MONTHS, "C1", "C2", lacks]) == []
    heading = {"es": "Previsión de cobros", "ru": "Прогноз поступлений"}[lang]
    assert page.startswith(f'<h2 class="arbook">{heading}</h2>')
    recipient = {"es": "destinatario", "ru": "кому"}[lang]
    assert recipient not in page
    after = {"es": "después del 30 ene 2027", "ru": "после 30 янв. 2027\u202fг."}[lang]
    assert f">{after}<" in page
