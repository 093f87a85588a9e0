"""The discount programme's views (:mod:`arbook.views.credit.discount`): its chart, summary,
terms and customer tables, and the panel that redraws them when a slider moves, headless."""

from __future__ import annotations

from conftest import DISCOUNT_AS_OF, DISCOUNT_INVOICES, DISCOUNT_PAYMENTS, ledger_fixture

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

AS_OF = DISCOUNT_AS_OF
ledger = ledger_fixture(invoices=DISCOUNT_INVOICES, payments=DISCOUNT_PAYMENTS)


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
