"""The Altair charts of a review (:mod:`arbook.views.charts`), read as Vega-Lite specs: what each
plots (currency units from cents), the bucket axis titled by the aging basis, the click
selection the dashboard observes, and the static SVG the reports embed (no network)."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from arbook.views import charts

LABELS = ["current", "1-30", "31+"]
# A owes 100.00 current and 50.00 in 1-30; B owes nothing; C owes 30.00 in 31+.
SUMMARY = pd.DataFrame(
    {
        "customer_id": ["A", "B", "C"],
        "name": ["Alpha", "Beta", "Gamma"],
        "total_cents": [15_000, 0, 3_000],
        "current_cents": [10_000, 0, 0],
        "1-30_cents": [5_000, 0, 0],
        "31+_cents": [0, 0, 3_000],
    }
)
BUCKETS = pd.DataFrame(
    {
        "bucket": ["current", "1-30", "31+", "unapplied"],
        "now_cents": [10_000, 5_000, 3_000, -500],
        "previous_cents": [8_000, 0, 1_000, 0],
    }
)
DAYS = {"due": "Days overdue", "invoice": "Days since invoice"}


def rows(spec: dict, part: dict | None = None) -> list[dict]:
    """The data rows a (layer of a) spec plots."""
    return spec["datasets"][(part or spec)["data"]["name"]]


@pytest.mark.parametrize("basis", ["due", "invoice"])
def test_the_bucket_axis_is_titled_by_the_basis(basis):
    customers = charts.aging_by_customer(SUMMARY, LABELS, basis=basis).to_dict()
    assert customers["encoding"]["color"]["title"] == DAYS[basis]
    buckets = charts.aging_by_bucket(BUCKETS, LABELS, basis=basis).to_dict()
    assert buckets["encoding"]["x"]["title"] == DAYS[basis]
    assert buckets["title"] == f"Aging: what is owed, by {DAYS[basis].lower()}"
    change = charts.bucket_change(BUCKETS, LABELS, basis=basis).to_dict()
    assert change["encoding"]["x"]["title"] == DAYS[basis]


def test_aging_by_customer_stacks_the_buckets_of_the_largest_balances():
    spec = charts.aging_by_customer(SUMMARY, LABELS, basis="due").to_dict()
    # B owes nothing and is left out; empty segments are left out too
    assert [(r["customer"], r["bucket"], r["amount"], r["order"]) for r in rows(spec)] == [
        ("Alpha (A)", "current", 100.0, 0),
        ("Alpha (A)", "1-30", 50.0, 1),
        ("Gamma (C)", "31+", 30.0, 2),
    ]
    assert spec["encoding"]["y"]["sort"] == ["Alpha (A)", "Gamma (C)"]  # the summary's order
    assert spec["encoding"]["color"]["scale"] == {
        "domain": LABELS,
        "range": charts.PALETTE[:3],
    }
    assert spec["title"] == "Who owes what: the 2 largest balances"
    assert spec["height"] == 120 and spec["width"] == charts.WIDTH  # at least 120 high
    assert spec["params"][0]["name"] == charts.PICK == "pick"
    assert spec["params"][0]["select"]["fields"] == ["customer_id", "bucket"]
    assert spec["encoding"]["detail"]["field"] == "customer_id"  # kept in the clicked datum
    top = charts.aging_by_customer(SUMMARY, LABELS, basis="due", top=1).to_dict()
    assert {r["customer_id"] for r in rows(top)} == {"A"}
    assert top["title"] == "Who owes what: the 1 largest balances"


def test_aging_by_bucket_plots_the_buckets_not_the_unapplied():
    spec = charts.aging_by_bucket(BUCKETS, LABELS, basis="due").to_dict()
    assert [(r["bucket"], r["amount"], r["before"]) for r in rows(spec)] == [
        ("current", 100.0, 80.0),
        ("1-30", 50.0, 0.0),
        ("31+", 30.0, 10.0),
    ]
    assert spec["encoding"]["x"]["sort"] == LABELS
    assert spec["params"][0]["select"]["fields"] == ["bucket"]


def test_bucket_change_pairs_a_month_ago_and_now():
    spec = charts.bucket_change(BUCKETS, LABELS, basis="due").to_dict()
    assert sorted((r["bucket"], r["when"], r["amount"]) for r in rows(spec)) == [
        ("1-30", "a month ago", 0.0),
        ("1-30", "now", 50.0),
        ("31+", "a month ago", 10.0),
        ("31+", "now", 30.0),
        ("current", "a month ago", 80.0),
        ("current", "now", 100.0),
    ]
    assert spec["encoding"]["xOffset"]["sort"] == ["a month ago", "now"]


def test_trend_is_receivables_and_dso_on_two_axes():
    history = pd.DataFrame(
        {
            "month": ["2026-08", "2026-09"],
            "ar_end_cents": [123_456, 200_000],
            "dso_countback": [41.5, 38.0],
            "cei": [0.9, 0.8],  # other columns are not plotted
        }
    )
    spec = charts.trend(history).to_dict()
    bars, line = spec["layer"]
    assert bars["mark"]["type"] == "bar" and line["mark"]["type"] == "line"
    assert bars["encoding"]["y"]["title"] == "Receivable"
    assert line["encoding"]["y"]["title"] == "DSO (count-back, days)"
    assert spec["resolve"] == {"scale": {"y": "independent"}}
    assert rows(spec) == [
        {"month": "2026-08", "ar": 1234.56, "dso_countback": 41.5},
        {"month": "2026-09", "ar": 2000.0, "dso_countback": 38.0},
    ]


def test_roll_rates_one_line_per_transition_gaps_left_out():
    rolls = pd.DataFrame(
        {
            "month": ["2026-08", "2026-09"],
            "current->1-30": [0.25, 0.5],
            "1-30->31+": [math.nan, 0.1],  # nothing to roll from in August
        }
    )
    spec = charts.roll_rates(rolls).to_dict()
    assert [(r["month"], r["roll"], r["rate"]) for r in rows(spec)] == [
        ("2026-08", "current->1-30", 0.25),
        ("2026-09", "current->1-30", 0.5),
        ("2026-09", "1-30->31+", 0.1),
    ]
    assert spec["encoding"]["color"]["sort"] == ["current->1-30", "1-30->31+"]
    assert spec["encoding"]["y"]["axis"]["format"] == "%"


def test_carrying_cost_bars_of_the_top_balances():
    carrying = pd.DataFrame(
        {
            "name": ["Alpha", "Gamma", "Beta"],
            "overdue_cents": [50_000, 20_000, 1_000],
            "avg_days_overdue": [40.0, 20.0, 5.0],
            "yearly_cost_cents": [5_000, 2_000, 100],
            "carrying_cost_cents": [548, 110, 1],
        }
    )
    spec = charts.carrying_cost(carrying, top=2).to_dict()
    assert [(r["name"], r["cost"], r["accrued"], r["overdue"]) for r in rows(spec)] == [
        ("Alpha", 50.0, 5.48, 500.0),
        ("Gamma", 20.0, 1.1, 200.0),
    ]
    assert spec["encoding"]["x"]["title"] == "Carrying cost a year"


def test_to_svg_is_a_self_contained_picture():
    svg = charts.to_svg(charts.aging_by_bucket(BUCKETS, LABELS, basis="invoice"))
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<script" not in svg and "<image" not in svg
    # the only addresses are the XML namespaces, which nothing fetches
    assert set(re.findall(r"https?://[^\"\s]+", svg)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }
    assert "Days since invoice" in svg and "current" in svg
