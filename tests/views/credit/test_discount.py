"""The discount programme's views (:mod:`arbook.views.credit.discount`): its chart, summary,
terms and customer tables, and the panel that redraws them when a slider moves, headless."""

from __future__ import annotations

import pytest
from conftest import ledger_of

from arbook.credit.discounts import simulate_discount
from arbook.views import charts
from arbook.views.credit.discount import (
    DiscountPanel,
    customers_html,
    net_benefit_chart,
    summary_html,
    summary_rows,
    terms_html,
)

# The ledger of tests/credit/test_discounts.py, whose test_simulation_by_hand works out the
# numbers shown here (a net result of 9.76 a year at 20% and uptake 0.5).
AS_OF = "2026-06-30"
# Four customers, one invoice each on 2026-03-01 due 2026-03-31 (30 days), paid on day
# A 10 (20 days early), B 30 (on time), C 45 (15 late), D 90 (60 late).
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount
    A1,A,2026-03-01,2026-03-31,1000.00
    B1,B,2026-03-01,2026-03-31,2000.00
    C1,C,2026-03-01,2026-03-31,10000.00
    D1,D,2026-03-01,2026-03-31,4000.00
"""
PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id
    PA,A,2026-03-11,1000.00,A1
    PB,B,2026-03-31,2000.00,B1
    PC,C,2026-04-15,10000.00,C1
    PD,D,2026-05-30,4000.00,D1
"""


@pytest.fixture
def ledger(tmp_path):
    return ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS)


def test_views_headless(ledger):
    sim = simulate_discount(ledger, AS_OF, cost_of_capital=0.20, uptake=0.5)
    assert "<svg" in charts.to_svg(net_benefit_chart(sim))
    assert "2/10 net 30" in summary_html(sim) and "pays for itself" in summary_html(sim)
    assert dict(summary_rows(sim))["Net result a year"] == "+9.76"
    assert "37.24%" in terms_html("2/10 net 30") and "44.59%" in terms_html("2/10 net 30")
    assert "<table" in customers_html(sim) and ">D<" not in customers_html(sim)


def test_panel_redraws_when_a_slider_changes(ledger):
    panel = DiscountPanel(ledger, AS_OF, cost_of_capital=0.20, uptake=0.5)
    assert panel.redraws == 1 and panel.simulation.net_cents == 976
    first_chart = panel.chart.value
    panel.uptake.value = 1.0
    assert panel.redraws == 2 and panel.simulation.net_cents == 9943
    assert panel.chart.value != first_chart and "+99.43" in panel.summary.value
    panel.percent.value = 1.0
    assert panel.simulation.terms == "1/10 net 30" and panel.redraws == 3
    panel.days.value = 40  # not fewer than the net days: refused, the last views stay
    assert "fewer than the net days" in panel.status and panel.redraws == 3
    assert panel.simulation.terms == "1/10 net 30"
    panel.net.value = 60
    assert panel.status == "" and panel.simulation.terms == "1/40 net 60"
