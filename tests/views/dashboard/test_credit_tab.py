"""The dashboard's Credit tab and the credit facts of a drill-down
(:mod:`arbook.views.dashboard.credit_tab`): on the sample through the module's Dashboard of
test_app.py (its fixtures imported), and the tab's pieces on small hand-made ledgers."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from conftest import write_ledger
from test_app import LAST, PREVIOUS, board, click, dash, ledger

import arbook
from arbook.views.dashboard.app import Dashboard
from arbook.views.dashboard.credit_tab import (
    CreditTab,
    band_label,
    customer_credit_html,
    late_charges_html,
    limited,
    score_bands,
    utilisation_chart,
)
from arbook.views.html import esc
from arbook.workbook.review import build_review

# the fixtures of test_app.py serve this module too (its own Dashboard on the sample)
__all__ = ["board", "dash", "ledger"]

# -- on the sample, through the dashboard ----------------------------------------------------------

CREDIT_TAB = 3


def test_credit_tab_lists_the_holds_with_their_reasons(dash, ledger):
    from arbook.credit import credit_holds, not_vetted

    dash.controls["tabs"].selected_index = CREDIT_TAB
    assert dash.controls["tabs"].get_title(CREDIT_TAB) == "Credit"
    credit = dash._credit
    assert "arbook-credit" in credit.widget._dom_classes
    holds = credit_holds(ledger, LAST)
    c0140 = holds[holds["customer_id"] == "C0140"]
    assert len(c0140) == 1  # the sample's customer that goes bad: over its limit, 61+ overdue
    html = credit.holds.value
    assert "arbook-holds" in credit.holds._dom_classes
    assert f"On credit hold ({len(holds):,})" in html
    row = re.search(r"<tr><td[^>]*>C0140</td>.*?</tr>", html).group(0)
    assert esc(c0140["reasons"].iloc[0]) in row
    for customer in holds["customer_id"]:
        assert f">{customer}<" in html
    vetted = not_vetted(ledger, LAST)
    assert "arbook-not-vetted" in credit.not_vetted._dom_classes
    assert f"({len(vetted):,})" in credit.not_vetted.value
    assert all(f">{c}<" in credit.not_vetted.value for c in vetted["customer_id"])


def test_credit_tab_charts_scores_and_utilisation(dash):
    dash.controls["tabs"].selected_index = CREDIT_TAB
    scores = dash.review.scores
    chart = dash.chart_widgets["scores"]
    assert "arbook-chart-scores" in chart._dom_classes
    values = chart.spec["datasets"][chart.spec["data"]["name"]]
    assert sum(v["customers"] for v in values) == len(scores)
    unscored = next(v for v in values if v["band"] == "unscored")["customers"]
    assert unscored == int(scores["score"].isna().sum())
    assert "arbook-utilisation" in dash._credit.utilisation._dom_classes
    assert dash.chart_widgets["utilisation"] in dash._credit.utilisation.children
    click(dash.chart_widgets["utilisation"], customer_id="C0140")  # a bar opens the drill-down
    assert dash.controls["tabs"].selected_index == 2
    assert 'data-customer="C0140"' in dash.drill_html


def test_credit_tab_follows_the_as_of_date(dash, ledger):
    from arbook.credit import credit_holds

    dash.controls["tabs"].selected_index = CREDIT_TAB
    chart = dash.chart_widgets["scores"]
    spec = chart.spec
    dash.set_as_of(PREVIOUS)
    assert dash.chart_widgets["scores"] is chart and chart.spec != spec
    holds = credit_holds(ledger, PREVIOUS)
    assert f"On credit hold ({len(holds):,})" in dash._credit.holds.value


def test_drill_down_shows_credit_and_late_charges(dash):
    from arbook.credit.penalties import late_charges

    dash.select_customer("C0140")
    html = dash.drill_html
    review = dash.review
    score = review.scores.set_index("customer_id").loc["C0140"]
    assert f"Payment score<br><b>{score['score']:.1f}</b>" in html
    assert f"{score['trend_3m']:+.1f} / {score['trend_12m']:+.1f}" in html
    assert "Credit limit<br><b>87,000.00</b>" in html
    assert f"Limit used<br><b>{score['utilisation'] * 100:.1f}%</b>" in html
    assert "On credit hold<br><b>yes: " in html
    charges = late_charges(review.ledger, LAST)
    mine = charges[charges["customer_id"] == "C0140"]
    assert len(mine) > 0 and "Late charges at the policy rate of 0.0% a year" in html
    section = html[html.index('class="arbook-late-charges"') :]
    for doc in mine["document_id"]:
        assert doc in section
    live = mine[~mine["disputed"]]
    due = int(live["outstanding_cents"].sum() + live["interest_cents"].sum())
    assert f'data-total-due="{due}"' in section


def test_drill_down_late_charges_at_a_policy_rate(tmp_path):
    # One invoice of 100.00 due 2026-03-16, unpaid: 15 days overdue on 03-31. At 10% a year
    # with a fee of 10.00: interest 100 x 0.10 / 365 x 15 = 0.41, total due 110.41 (SPEC §5).
    # (B's April invoice only makes March a month end the data covers.)
    folder = write_ledger(
        tmp_path / "ledger",
        invoices="""
        I1,A,2026-02-14,2026-03-16,100.00
        I2,B,2026-04-01,2026-05-01,10.00
        """,
        customers="""
        customer_id,name,credit_limit
        A,Alpha Ltd,50.00
        B,Beta Ltd,
        """,
    )
    (tmp_path / "policy.toml").write_text("[late_charges]\nannual_rate = 0.10\nfee = 10.00\n")
    board = Dashboard(
        arbook.read_ledger(folder, policy=tmp_path / "policy.toml"), as_of="2026-03-31"
    )
    board.select_customer("A")
    html = board.drill_html
    assert "policy rate of 10.0% a year: interest 0.41, fees 10.00, total due 110.41" in html
    assert 'data-total-due="11041"' in html
    assert "On credit hold<br><b>yes: " in html  # 100.00 owed on a limit of 50.00


# -- the tab's pieces, on a small ledger -----------------------------------------------------------

AS_OF = "2026-03-31"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A owes 100.00, 15 days overdue, on a limit of 50.00 (held; scores 70); B owes 10.00 with no
    limit (not vetted); C owes 40.00, due today, on a limit of 80.00. B and C are unscored."""
    folder = write_ledger(
        tmp_path_factory.mktemp("credit") / "ledger",
        invoices="""
        I1,A,2026-02-14,2026-03-16,100.00
        I2,B,2026-03-20,2026-04-19,10.00
        I3,C,2026-03-01,2026-03-31,40.00
        """,
        customers="""
        customer_id,name,credit_limit
        A,Alpha <Ltd>,50.00
        B,Beta Ltd,
        C,Gamma,80.00
        """,
    )
    return build_review(arbook.read_ledger(folder), AS_OF)


def test_band_labels():
    assert [band_label(k) for k in (0, 1, 8, 9)] == ["0–9", "10–19", "80–89", "90–100"]


def test_score_bands_count_customers_and_colour_by_the_policy():
    scores = pd.DataFrame({"score": [5, 39.9, 40, 79.99, 80, 100, math.nan]})
    bands = score_bands(scores, floor=40, raise_at=80).set_index("band")
    assert list(bands.index) == [band_label(k) for k in range(10)] + ["unscored"]
    # 5 -> 0–9, 39.9 -> 30–39, 40 -> 40–49, 79.99 -> 70–79, 80 -> 80–89, 100 -> 90–100
    assert bands["customers"].to_dict() == {
        **{band_label(k): 0 for k in range(10)},
        "0–9": 1,
        "30–39": 1,
        "40–49": 1,
        "70–79": 1,
        "80–89": 1,
        "90–100": 1,
        "unscored": 1,
    }
    groups = bands["group"].tolist()
    assert groups[:4] == ["below the hold floor"] * 4  # every score in them is below 40
    assert groups[4:8] == ["fair"] * 4
    assert groups[8:10] == ["good (limit may rise)"] * 2  # from 80 up
    assert groups[10] == "unscored"
    # a floor inside a band leaves that band fair: not every score in it is below the floor
    assert score_bands(scores, floor=45, raise_at=80)["group"][4] == "fair"


def test_the_tab_renders_a_review(small):
    tab, calls = CreditTab(), []

    def chart(name, make, box, *, as_of_only=False):
        calls.append((name, box, as_of_only))
        return make()

    tab.render(small, chart)
    assert calls == [("scores", tab.scores, True), ("utilisation", tab.utilisation, True)]
    assert tab.facts.value == (
        '<div class="arbook arbook-facts">'
        "<div>On credit hold<br><b>1 owing 100.00</b></div>"
        "<div>Owing without a credit limit<br><b>1 owing 10.00</b></div>"
        "<div>Customers scored<br><b>1 of 3</b></div></div>"
    )
    holds = tab.holds.value
    assert "On credit hold (1)" in holds and ">why on hold</th>" in holds
    assert "Alpha &lt;Ltd&gt;" in holds and "<Ltd>" not in holds
    assert ">over its limit by 50.00<" in holds and ">Beta Ltd<" not in holds
    assert "Owing without a credit limit (1)" in tab.not_vetted.value
    assert ">Beta Ltd<" in tab.not_vetted.value
    assert tab.utilisation_note.value == (
        '<p class="arbook arbook-note">2 customers have a credit limit; 1 owes more than it.</p>'
    )


def test_utilisation_chart_highest_use_first(small):
    assert limited(small.scores)["customer_id"].tolist() == ["A", "C"]  # B has no limit
    spec = utilisation_chart(small.scores).to_dict()
    assert spec["datasets"][spec["data"]["name"]] == [
        {
            "customer_id": "A",
            "utilisation": 2.0,
            "customer": "Alpha <Ltd> (A)",
            "owed": 100.0,
            "limit": 50.0,
            "over": "over the limit",
        },
        {
            "customer_id": "C",
            "utilisation": 0.5,
            "customer": "Gamma (C)",
            "owed": 40.0,
            "limit": 80.0,
            "over": "within it",
        },
    ]
    assert spec["title"] == "Use of credit limits: the 2 highest"
    assert spec["params"][0]["select"]["fields"] == ["customer_id"]  # a click opens the drill


def test_customer_credit_facts(small):
    facts, charges = customer_credit_html(small, "A")
    assert facts == [
        ("Payment score", "70.0"),
        ("Score trend 3 / 12 months", "n/a / n/a"),
        ("Credit limit", "50.00"),
        ("Limit used", "200.0%"),
        ("On credit hold", "yes: over its limit by 50.00"),
    ]
    # the shipped policy charges nothing: 100.00 overdue is what is due
    assert 'data-total-due="10000"' in charges
    assert "policy rate of 0.0% a year: interest 0.00, fees 0.00, total due 100.00" in charges
    facts, _ = customer_credit_html(small, "B")
    assert dict(facts) == {
        "Payment score": "unscored",
        "Score trend 3 / 12 months": "n/a / n/a",
        "Credit limit": "none (not vetted)",
        "Limit used": "n/a",
        "On credit hold": "no",
    }
    none_due = late_charges_html(small, "B")  # not yet due
    assert 'data-total-due="0"' in none_due and "a year: nothing overdue" in none_due
    assert "Nothing to show." in none_due
