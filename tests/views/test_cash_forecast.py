"""The cash forecast for people (:mod:`arbook.views.cash_forecast`): the chart, the sentences, the
tables' rows and titles, in English, Spanish and Russian."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
from conftest import SAMPLE
from i18n_check import english_left

import arbook
from arbook.core.i18n import using
from arbook.views.cash_forecast import (
    BACKTEST_TITLES,
    WEEK_PICK,
    backtest_sentence,
    backtest_table,
    forecast_chart,
    forecast_sentence,
    week_frame,
    week_rows,
    why_not_backtested,
)
from arbook.views.charts import to_svg

AS_OF = "2026-10-31"


@pytest.fixture(scope="module")
def sample():
    return arbook.read_ledger(SAMPLE)


@pytest.fixture(scope="module")
def weeks(sample):
    return arbook.cash_forecast(sample, AS_OF)


@pytest.fixture(scope="module")
def result(sample):
    return arbook.backtest(sample, "2026-01", "2026-03")


def test_the_chart_draws_each_week_with_its_interval_and_a_click(weeks, sample):
    chart = forecast_chart(weeks, currency=sample.currency)
    spec = chart.to_dict()
    params = spec.get("params", []) + [
        p for layer in spec["layer"] for p in layer.get("params", [])
    ]
    assert [p["name"] for p in params] == [WEEK_PICK]
    data = week_frame(weeks)
    assert len(data) == 13 and data["week"].tolist() == list(range(1, 14))
    assert data["expected"].sum() == pytest.approx(weeks["expected_cents"][:13].sum() / 100)
    svg = to_svg(chart)
    assert svg.count('role="graphics-symbol"') >= 26  # 13 bars and 13 interval rules
    assert "Cash expected from today's open items, week by week" in svg


def test_the_sentence_adds_up_and_speaks_each_language(weeks, sample):
    said = forecast_sentence(weeks, currency=sample.currency)
    assert said.startswith("Of 1,122,725.20 EUR open, ")
    soon = weeks.loc[~weeks["beyond"], "expected_cents"].sum()
    assert f"{soon / 100:,.2f} EUR is expected in the next 13 weeks (to 2027-01-30)" in said
    one = arbook.cash_forecast(sample, AS_OF, weeks=1)
    assert "in the next 1 week (to 2026-11-07)" in forecast_sentence(one)
    with using("ru"):
        two = forecast_sentence(arbook.cash_forecast(sample, AS_OF, weeks=2))
        assert "2 недели" in two and english_left(two, "ru") == []
    with using("es"):
        assert english_left(forecast_sentence(weeks, currency="EUR"), "es") == []


def test_week_rows_name_the_row_after_the_horizon(weeks):
    rows = week_rows(weeks)
    assert rows["week_start"].iloc[0] == "2026-11-01" and rows["week_end"].iloc[0] == "2026-11-07"
    assert rows["week_start"].iloc[-1] == "after 2027-01-30" and rows["week_end"].iloc[-1] == ""
    assert rows["expected_cents"].tolist() == weeks["expected_cents"].tolist()


def test_the_backtest_table_and_sentence(result):
    table = backtest_table(result)
    assert list(table.columns) == [BACKTEST_TITLES[k] for k in BACKTEST_TITLES]
    assert table.iloc[0, 0] == "arbook: the customer's days late, given the item is still open"
    assert table.iloc[0, 2].endswith("×") and table.iloc[1, 5] == ""  # a baseline: no interval
    said = backtest_sentence(result)
    assert said.startswith("Backtested at 3 month ends from 2026-01-31 to 2026-03-31")
    for lang in ("es", "ru"):
        with using(lang):
            shown = backtest_table(result)
            text = " ".join(shown.columns) + " " + " ".join(shown.iloc[:, 0])
            assert english_left(text + " " + backtest_sentence(result), lang) == []


def test_why_there_is_no_backtest(sample):
    report = dataclasses.replace(sample, open_items_only=True, report_date=pd.Timestamp(AS_OF))
    assert "it cannot be checked on this data" in why_not_backtested(report, AS_OF).lower()
    short = why_not_backtested(sample, "2025-06-30")
    assert "history runs from 2024-11-01 to 2025-06-30" in short and "13 weeks" in short


def test_the_chart_data_is_plain_json(weeks):
    # the dashboard's JupyterChart sends the chart's data to the browser as JSON
    json.dumps(forecast_chart(weeks).to_dict())
