"""The dashboard's Cash forecast tab (:mod:`arbook.views.dashboard.forecast_tab`), headless: on
the sample through the module's Dashboard of test_app.py (its fixtures imported), on an aging
report (open items only) and a short history, and in Spanish and Russian."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from conftest import write_ledger
from i18n_check import english_left
from test_app import LAST, NOTE, PREVIOUS, REPORT, board, dash, ledger, open_board
from test_app_i18n import chart_texts, screen_text

import arbook
from arbook.core import i18n
from arbook.core.errors import ParameterError
from arbook.measures.backtest import year_backtest
from arbook.measures.forecast import week_items
from arbook.views.cash_forecast import (
    PREDICTION_TITLES,
    WEEK_PICK,
    backtest_sentence,
    forecast_sentence,
    why_not_backtested,
)
from arbook.views.dashboard import forecast_tab
from arbook.views.dashboard.app import COLLECTIONS, FORECAST, LOAD, TABS, Dashboard
from arbook.views.dashboard.forecast_tab import (
    PAGE_ROWS,
    check_week,
)
from arbook.views.format import format_cents, money_text
from arbook.views.html import esc_text
from arbook.workbook.review import build_review

# the fixtures of test_app.py serve this module too (its own Dashboard on the sample)
__all__ = ["board", "dash", "ledger", "open_board"]


def click_week(chart, week) -> None:
    """Set ``_vl_selections`` the way altair's JavaScript does after a click on a bar (the
    selection :data:`WEEK_PICK`); ``None``: a click beside the bars (nothing selected)."""
    if week is None:
        chart.set_state({"_vl_selections": {WEEK_PICK: {"value": None, "store": []}}})
        return
    signal = {"week": [week], "vlPoint": {"or": [{"week": week}]}}
    store = [{"unit": "", "fields": [{"field": "week", "type": "E"}], "values": [week]}]
    chart.set_state({"_vl_selections": {WEEK_PICK: {"value": signal, "store": store}}})


def shown(dash) -> forecast_tab.ForecastTab:
    dash.controls["tabs"].selected_index = FORECAST
    assert not dash.status_is_error, dash.status
    return dash.forecast


def title_of(tab) -> dict[str, str]:
    found = re.search(
        r'data-week="(\d+)" data-expected-cents="(\d+)" data-items="(\d+)">([^<]*)<',
        tab.items_head.value,
    )
    return dict(zip(("week", "cents", "items", "text"), found.groups())) if found else {}


# -- on the sample ---------------------------------------------------------------------------------


def test_the_tab_comes_after_collections_and_before_load_your_data(dash):
    assert TABS[COLLECTIONS:] == ("Collections", "Cash forecast", "Load your data")
    assert TABS.index("Cash forecast") == FORECAST and TABS.index("Load your data") == LOAD
    assert dash.controls["tabs"].get_title(FORECAST) == "Cash forecast"
    assert dash.controls["tabs"].children[FORECAST] is dash.forecast.widget
    assert "arbook-forecast" in dash.forecast.widget._dom_classes


def test_nothing_is_computed_before_the_tab_is_shown(ledger):
    fresh = Dashboard(ledger)
    assert "forecast" not in fresh.chart_widgets
    assert fresh.forecast.review is None and fresh.forecast._backtests == {}
    fresh.controls["tabs"].selected_index = FORECAST
    assert "forecast" in fresh.chart_widgets and fresh.forecast.review is fresh.review


def test_the_sentence_and_the_chart_are_the_forecasts(dash, ledger):
    tab = shown(dash)
    weeks = arbook.cash_forecast(ledger, LAST)
    said = forecast_sentence(weeks, currency=ledger.currency)
    assert said.startswith("Of 1,122,725.20 EUR open")  # the sample's total receivable
    assert esc_text(said) in tab.sentence.value and "arbook-na" not in tab.sentence.value
    spec = dash.chart_widgets["forecast"].spec
    assert "arbook-chart-forecast" in dash.chart_widgets["forecast"]._dom_classes
    assert [p["name"] for p in spec["params"]] == [WEEK_PICK]
    bars = spec["datasets"][spec["data"]["name"]]
    assert [row["week"] for row in bars] == list(range(1, 14))
    assert [round(row["expected"] * 100) for row in bars] == list(weeks["expected_cents"][:13])


def test_clicking_a_bar_lists_the_items_of_its_week(dash, ledger):
    tab = shown(dash)
    click_week(dash.chart_widgets["forecast"], 2)
    assert not dash.status_is_error, dash.status
    weeks = arbook.cash_forecast(ledger, LAST)
    cents = int(weeks["expected_cents"].iloc[1])
    items = week_items(ledger, LAST, 2)
    assert tab.week == 2 and int(tab.items["expected_cents"].sum()) == cents
    title = title_of(tab)
    assert title["week"] == "2" and int(title["cents"]) == cents
    assert title["text"] == (
        f"Expected in the week from 2026-11-08: {money_text(cents, 'EUR')} "
        f"from {len(items):,} items"
    )
    table = tab.items_body.value
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", table)
    assert heads == [
        "customer",
        "name",
        *(PREDICTION_TITLES[c] for c in list(PREDICTION_TITLES)[1:]),
    ]
    assert table.count("<tr><td") == PAGE_ROWS < len(items)  # a page at a time
    first = items.iloc[0]
    assert f">{first['document_id']}<" in table and format_cents(first["expected_cents"]) in table
    assert "Silverline Textiles Co." in table  # the customer's name beside its id


def test_the_items_are_paged_in_place(dash, ledger):
    tab = shown(dash)
    click_week(dash.chart_widgets["forecast"], 1)
    total, pages = len(tab.items), tab.pages
    assert pages == math.ceil(total / PAGE_ROWS) > 1 and tab.pager.layout.display is None
    assert tab._prev.disabled and not tab._next.disabled
    tab._next.click()
    assert tab.page == 1
    where = f"items {PAGE_ROWS + 1}–{2 * PAGE_ROWS} of {total:,} (page 2 of {pages})"
    assert where in tab._where.value
    tab.go(pages - 1)
    assert tab._next.disabled and tab.items_body.value.count("<tr><td") == total - PAGE_ROWS * (
        pages - 1
    )
    tab.go(pages)
    assert dash.status_is_error and f"there are pages 1 to {pages}" in dash.status
    assert tab.page == pages - 1


def test_the_button_lists_what_is_expected_after_the_horizon(dash, ledger):
    tab = shown(dash)
    tab.later.click()
    weeks = arbook.cash_forecast(ledger, LAST)
    later = int(weeks["expected_cents"].iloc[-1])
    assert tab.week == 14 and int(tab.items["expected_cents"].sum()) == later
    said = f"Expected after 2027-01-30: {money_text(later, 'EUR')} from {len(tab.items):,} items"
    assert title_of(tab)["text"] == said
    assert ">expected later<" in tab.items_body.value
    assert "2027-01-30" in tab.later.tooltip


def test_a_click_beside_the_bars_keeps_the_list_and_a_bad_week_is_refused(dash):
    tab = shown(dash)
    chart = dash.chart_widgets["forecast"]
    click_week(chart, 3)
    listed = tab.items_head.value
    click_week(chart, None)
    assert tab.items_head.value == listed and not dash.status_is_error
    click_week(chart, 99)
    assert dash.status_is_error and "week '99' is not one of the forecast's weeks" in dash.status
    assert tab.items_head.value == listed


@pytest.mark.parametrize("value", [0, 15, -1, 2.5, "2", None, True, math.nan, math.inf])
def test_check_week_takes_only_a_week_of_the_forecast(value):
    with pytest.raises(ParameterError, match="1 to 14"):
        check_week(value, 13)
    assert check_week(14, 13) == 14 and check_week(3.0, 13) == 3


def test_a_new_as_of_date_redraws_the_tab_and_drops_the_week(dash, ledger):
    tab = shown(dash)
    click_week(dash.chart_widgets["forecast"], 2)
    dash.set_as_of(PREVIOUS)  # the tab is shown: drawn again at once
    assert not dash.status_is_error, dash.status
    assert tab.review.as_of == pd.Timestamp(PREVIOUS) and tab.week == 0
    assert "Click a week's bar" in tab.items_head.value
    weeks = arbook.cash_forecast(ledger, PREVIOUS)
    said = forecast_sentence(weeks, currency=ledger.currency)
    assert esc_text(said) in tab.sentence.value
    expected = build_review(ledger, PREVIOUS).forecast_backtest
    assert esc_text(backtest_sentence(expected)) in tab.accuracy.value
    spec = dash.chart_widgets["forecast"].spec
    bars = spec["datasets"][spec["data"]["name"]]
    assert round(bars[0]["expected"] * 100) == weeks["expected_cents"].iloc[0]


def test_the_backtest_is_the_reviews_with_a_progress_bar_once_per_date(ledger, monkeypatch):
    expected = build_review(ledger, LAST).forecast_backtest
    steps = []
    mine = year_backtest(ledger, LAST, progress=lambda done, total: steps.append((done, total)))
    pd.testing.assert_frame_equal(mine.summary, expected.summary)
    assert (mine.start, mine.end) == (expected.start, expected.end)
    assert steps == [(k, 9) for k in range(1, 10)]  # 2025-11-30 to 2026-07-31

    dash = Dashboard(ledger)  # its own: nothing backtested yet
    tab = shown(dash)
    assert esc_text(backtest_sentence(expected)) in tab.accuracy.value
    assert "<table" in tab.accuracy.value and ">interval holds<" in tab.accuracy.value
    assert (tab.progress.value, tab.progress.max) == (9, 9)
    assert tab.progress_box.layout.display == "none"  # hidden when done
    assert "month end 9 of 9" in tab._progress_note.value

    calls = []
    monkeypatch.setattr(forecast_tab, "year_backtest", lambda *a, **k: calls.append(a))
    dash.set_basis("invoice")  # another review, the same date: the backtest is kept
    assert calls == [] and esc_text(backtest_sentence(expected)) in tab.accuracy.value


# -- an aging report and a short history -----------------------------------------------------------


def test_an_aging_report_forecasts_at_the_due_dates_and_says_why(open_board):
    dash = open_board
    tab = shown(dash)
    assert "Of 430.00 open, 430.00 is expected in the next 13 weeks" in tab.sentence.value
    assert (
        "Each open item is expected on its due date (an overdue one the next day), with no "
        "range around it: the data holds the items open on 2026-06-30, not payments"
    ) in tab.sentence.value
    assert 'class="arbook arbook-note arbook-na"' in tab.sentence.value
    assert NOTE.removeprefix("n/a (").rstrip(")") in tab.accuracy.value
    assert "It cannot be checked on this data" in tab.accuracy.value
    assert "<table" not in tab.accuracy.value and tab.progress_box.layout.display == "none"
    # I1 (100.00, overdue) and I3 (80.00, overdue) the day after the report; I2 on 2026-07-10
    click_week(dash.chart_widgets["forecast"], 1)
    assert set(tab.items["document_id"]) == {"I1", "I3"}
    assert title_of(tab)["text"] == "Expected in the week from 2026-07-01: 180.00 from 2 items"
    assert "no payment history in the data" in tab.items_body.value
    click_week(dash.chart_widgets["forecast"], 2)
    assert title_of(tab)["text"] == "Expected in the week from 2026-07-08: 250.00 from 1 item"
    assert year_backtest(dash.ledger, REPORT) is None


def test_a_short_history_says_why_there_is_no_backtest(tmp_path):
    folder = write_ledger(
        tmp_path / "ledger",
        invoices="""
            I1,A,2026-04-05,2026-05-05,100.00
            I2,A,2026-06-10,2026-07-10,250.00
        """,
    )
    short = arbook.read_ledger(folder)
    dash = Dashboard(short)
    tab = shown(dash)
    assert year_backtest(short, dash.review.as_of) is None
    assert dash.review.forecast_backtest is None
    said = why_not_backtested(short, dash.review.as_of)
    assert said == (
        "It cannot be checked yet: the history runs from 2026-04-05 to 2026-05-31, and a "
        "check needs a year of it to learn from and 13 weeks after that to score."
    )
    assert esc_text(said) in tab.accuracy.value


# -- in Spanish and Russian ------------------------------------------------------------------------

TITLES = {"es": "Previsión de cobros", "ru": "Прогноз поступлений"}


@pytest.mark.parametrize("lang", ["es", "ru"])
def test_the_tab_speaks_the_language(ledger, lang, tmp_path, monkeypatch):
    monkeypatch.setenv("ARBOOK_CONFIG_DIR", str(tmp_path / "config"))
    with i18n.using(lang):
        dash = Dashboard(ledger)
        assert dash.controls["tabs"].get_title(FORECAST) == TITLES[lang]
        tab = shown(dash)
        data = [
            *ledger.customers["customer_id"],
            *ledger.customers["name"],
            *ledger.invoices["invoice_id"],
        ]
        first = english_left(screen_text(tab.widget), lang, data=data)
        click_week(dash.chart_widgets["forecast"], 2)
        assert not dash.status_is_error, dash.status
        week = screen_text(tab.widget)
        tab.later.click()
        later = screen_text(tab.widget)
        texts = chart_texts(dash.chart_widgets["forecast"].spec)
        cents = int(arbook.cash_forecast(ledger, LAST)["expected_cents"].iloc[1])
        assert money_text(cents, "EUR") in title_of_text(week)
        heads = re.findall(r"<th[^>]*>([^<]*)</th>", tab.items_body.value)
        assert i18n.gettext("latest", lang) in heads  # the interval's end, not a recipient
        assert i18n.pgettext("recipient", "to") not in heads
        assert {
            "first": first,
            "week": english_left(week, lang, data=data),
            "later": english_left(later, lang, data=data),
            "chart": english_left("\n".join(texts), lang, data=data),
        } == {"first": [], "week": [], "later": [], "chart": []}


def title_of_text(text: str) -> str:
    found = re.search(r'data-items="\d+">([^<]*)<', text)
    return found.group(1) if found else ""
