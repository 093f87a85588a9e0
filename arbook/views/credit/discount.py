"""Views of the early-payment discount simulation: the net benefit against uptake (Altair; show
it through :func:`arbook.views.charts.to_svg`), an HTML summary, the cost of the terms, the
customers table, and :class:`DiscountPanel`, sliders that re-run the simulation and redraw."""

from __future__ import annotations

import math

import altair as alt
import ipywidgets as w
import pandas as pd
from traitlets import HasTraits, Int, Unicode

from arbook.core.config import resolve_policy
from arbook.core.errors import ArbookError
from arbook.core.ledger import Ledger
from arbook.credit.discounts import (
    DiscountSimulation,
    discount_cost,
    discount_cost_compound,
    format_terms,
    parse_terms,
    simulate_discount,
)
from arbook.measures.behaviour import experiences
from arbook.views.charts import WIDTH, to_svg
from arbook.views.format import format_cents, format_ratio
from arbook.views.html import CSS, error_box, esc, table_html

PARTS = {
    "financing_saved_cents": "Financing saved",
    "bad_debt_avoided_cents": "Bad debt avoided",
    "collection_cost_avoided_cents": "Collection cost avoided",
    "discount_cents": "Discounts granted (cost)",
    "net_cents": "Net result",
}


def net_benefit_chart(sim: DiscountSimulation) -> alt.LayerChart:
    """Lines of the net result and its parts (discounts as a cost, below 0) against uptake, a
    zero rule and a dot at the simulated uptake; amounts in currency units a year."""
    curve = sim.curve.assign(discount_cents=-sim.curve["discount_cents"])
    long = curve.melt(id_vars="uptake", value_vars=list(PARTS), var_name="part", value_name="cents")
    long["part"] = long["part"].map(PARTS)
    long["amount"] = long["cents"] / 100
    order = list(PARTS.values())
    lines = (
        alt.Chart(long)
        .mark_line()
        .encode(
            x=alt.X(
                "uptake:Q",
                title="Uptake (share of eligible customers' sales)",
                axis=alt.Axis(format="%"),
            ),
            y=alt.Y("amount:Q", title="A year", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "part:N",
                sort=order,
                title=None,
                scale=alt.Scale(
                    domain=order, range=["#4c9f70", "#a6c96a", "#f2c14e", "#d9534f", "#1d2733"]
                ),
            ),
            strokeWidth=alt.condition(alt.datum.part == "Net result", alt.value(3), alt.value(1.5)),
            tooltip=[
                alt.Tooltip("part:N", title=" "),
                alt.Tooltip("uptake:Q", format=".0%"),
                alt.Tooltip("amount:Q", title="Amount", format=",.2f"),
            ],
        )
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#8a96a3").encode(y="y:Q")
    here = (
        alt.Chart(pd.DataFrame({"uptake": [sim.uptake], "amount": [sim.net_cents / 100]}))
        .mark_point(size=90, filled=True, color="#1d2733")
        .encode(
            x="uptake:Q",
            y="amount:Q",
            tooltip=[
                alt.Tooltip("uptake:Q", format=".0%"),
                alt.Tooltip("amount:Q", title="Net result", format=",.2f"),
            ],
        )
    )
    title = f"{sim.terms}: what the programme would bring in a year, by uptake"
    return alt.layer(zero, lines, here, title=title).properties(width=WIDTH, height=260)


def summary_rows(sim: DiscountSimulation) -> list[tuple[str, str]]:
    """(label, value) pairs of a simulation's results, for people."""
    pct = lambda v: format_ratio(v, percent=True)  # noqa: E731
    return [
        (
            "Terms",
            f"{sim.terms} (cost {format_ratio(sim.annual_cost, percent=True, digits=2)} a "
            f"year paid on day {sim.net_days}; "
            f"{format_ratio(sim.annual_cost_observed, percent=True, digits=2)} at the "
            "eligible customers' actual days)",
        ),
        ("Sales in the 12 months", format_cents(sim.sales_cents)),
        ("Sales of eligible customers", format_cents(sim.eligible_sales_cents)),
        ("Uptake", f"{pct(sim.uptake)} of eligible sales: {format_cents(sim.taken_sales_cents)}"),
        ("Discounts granted", format_cents(-sim.discount_cents)),
        (
            "Cash freed (once)",
            f"{format_cents(sim.cash_freed_cents)}, paid "
            f"{format_ratio(sim.days_earlier)} days earlier on average",
        ),
        (
            "Financing saved",
            f"{format_cents(sim.financing_saved_cents)} at "
            f"{pct(sim.cost_of_capital)} cost of capital",
        ),
        ("Bad debt avoided", format_cents(sim.bad_debt_avoided_cents)),
        ("Collection cost avoided", format_cents(sim.collection_cost_avoided_cents)),
        ("Net result a year", format_cents(sim.net_cents, sign=True)),
        (
            "DSO before / after",
            f"{format_ratio(sim.dso_before)} / {format_ratio(sim.dso_after)} days",
        ),
        (
            "Break-even uptake",
            pct(sim.break_even_uptake)
            if not math.isnan(sim.break_even_uptake)
            else "none: no uptake pays for it",
        ),
        ("Break-even cost of capital", pct(sim.break_even_cost_of_capital)),
    ]


def summary_html(sim: DiscountSimulation) -> str:
    """The results as an HTML table, with a sentence saying whether the programme pays."""
    verdict = "pays for itself" if sim.net_cents >= 0 else "costs more than it brings"
    rows = "".join(
        f'<tr><td>{esc(k)}</td><td class="num">{esc(v)}</td></tr>' for k, v in summary_rows(sim)
    )
    return (
        f'{CSS}<div class="arbook"><p><b>Offering {esc(sim.terms)} {verdict}</b> at '
        f"{esc(format_ratio(sim.uptake, percent=True))} uptake, on the payments of the 12 "
        f'months to {esc(sim.as_of)}.</p><table class="arbook arbook-table">{rows}</table>'
        "</div>"
    )


def terms_html(terms: str, pay_day: int | None = None) -> str:
    """What ``terms`` cost the seller a year: simple and compounded, paid on the net day (or
    ``pay_day``)."""
    rate, days, net = parse_terms(terms)
    simple = discount_cost(rate, days, net, pay_day)
    compound = discount_cost_compound(rate, days, net, pay_day)
    return (
        f'{CSS}<p class="arbook">{esc(format_terms(rate, days, net))}, paid on day '
        f"{pay_day or net}: <b>{format_ratio(simple, percent=True, digits=2)}</b> a year "
        f"(simple), {format_ratio(compound, percent=True, digits=2)} compounded.</p>"
    )


def customers_html(sim: DiscountSimulation, *, max_rows: int = 25) -> str:
    """The customers who would take the discount, earliest payers first."""
    takers = sim.customers[sim.customers["share_taken"] > 0].drop(columns="eligible")
    return CSS + table_html(takers, total=True, max_rows=max_rows)


class DiscountPanel(HasTraits):
    """Sliders for the discount %, discount days, net days, uptake and cost of capital; each
    change re-runs the simulation (experiences computed once) and redraws the summary and chart.
    ``widget`` is the root; ``simulation`` the latest good result; ``status`` says what went
    wrong when a combination is refused (then the last good views stay); ``redraws`` counts."""

    status = Unicode("")
    redraws = Int(0)

    def __init__(
        self,
        ledger: Ledger,
        as_of,
        *,
        terms: str | None = None,
        cost_of_capital: float | None = None,
        uptake: float | None = None,
        policy=None,
    ):
        super().__init__()
        self.ledger, self.as_of, self.policy = ledger, as_of, policy
        # the sliders start from the policy (the one route); explicit values override it
        rules = resolve_policy(policy if policy is not None else ledger.policy)
        cost_of_capital = float(
            rules.cost_of_capital if cost_of_capital in (None, "") else cost_of_capital
        )
        uptake = float(rules.discounts.uptake if uptake in (None, "") else uptake)
        self._history = experiences(ledger, as_of, policy=rules)
        rate, days, net = parse_terms(terms or rules.discounts.terms)
        slider = dict(continuous_update=False, style={"description_width": "130px"})
        self.percent = w.FloatSlider(
            rate * 100, min=0.25, max=5, step=0.25, description="Discount %", **slider
        )
        self.days = w.IntSlider(days, min=0, max=60, description="Discount days", **slider)
        self.net = w.IntSlider(net, min=1, max=120, description="Net days", **slider)
        self.uptake = w.FloatSlider(
            uptake, min=0, max=1, step=0.05, description="Uptake", readout_format=".0%", **slider
        )
        self.rate = w.FloatSlider(
            cost_of_capital,
            min=0,
            max=0.3,
            step=0.01,
            description="Cost of capital",
            readout_format=".0%",
            **slider,
        )
        self.message, self.summary, self.chart = w.HTML(), w.HTML(), w.HTML()
        controls = [self.percent, self.days, self.net, self.uptake, self.rate]
        self.widget = w.VBox(
            [
                w.HBox([w.VBox(controls[:3]), w.VBox(controls[3:])]),
                self.message,
                w.HBox([self.summary, self.chart]),
            ]
        )
        self.simulation: DiscountSimulation | None = None
        for control in controls:
            control.observe(self._changed, names="value")
        self.redraw()

    def _changed(self, _change) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Re-run the simulation with the sliders' values and redraw; a refused combination
        (e.g. discount days not fewer than net days) is reported and the last views stay."""
        terms = format_terms(self.percent.value / 100, self.days.value, self.net.value)
        try:
            sim = simulate_discount(
                self.ledger,
                self.as_of,
                terms=terms,
                policy=self.policy,
                cost_of_capital=self.rate.value,
                uptake=self.uptake.value,
                history=self._history,
            )
        except ArbookError as exc:
            self.status = str(exc)
            self.message.value = error_box(str(exc))
            return
        self.simulation, self.status, self.message.value = sim, "", ""
        self.summary.value = summary_html(sim)
        self.chart.value = to_svg(net_benefit_chart(sim))
        self.redraws += 1
