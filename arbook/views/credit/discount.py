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
from arbook.core.i18n import N_, _
from arbook.core.ledger import Ledger
from arbook.credit.discounts import (
    DiscountSimulation,
    discount_cost,
    discount_cost_compound,
    format_terms,
    parse_terms,
    simulate_discount,
    terms_text,
)
from arbook.measures.behaviour import experiences
from arbook.views.charts import WIDTH, to_svg
from arbook.views.format import format_cents, format_date, format_ratio
from arbook.views.html import CSS, error_box, esc, table_html

#: The parts of the net result, as the chart and the summary name them (translated where
#: shown).
PARTS = {
    "financing_saved_cents": N_("Financing saved"),
    "bad_debt_avoided_cents": N_("Bad debt avoided"),
    "collection_cost_avoided_cents": N_("Collection cost avoided"),
    "discount_cents": N_("Discounts granted (cost)"),
    "net_cents": N_("Net result"),
}
#: Column titles of the customers table (translated where shown).
CUSTOMER_TITLES = {
    "customer_id": N_("customer"),
    "name": N_("name"),
    "invoices": N_("invoices"),
    "sales_cents": N_("sales"),
    "days_to_pay": N_("days to pay"),
    "signed_days_to_due": N_("signed days to due"),
    "share_taken": N_("share taken"),
    "discount_cents": N_("discount"),
    "days_earlier": N_("days earlier"),
    "cash_freed_cents": N_("cash freed"),
    "financing_saved_cents": N_("financing saved"),
    "bad_debt_avoided_cents": N_("bad debt avoided"),
    "collection_cost_avoided_cents": N_("collection cost avoided"),
    "net_cents": N_("net"),
}


def shown_terms(sim: DiscountSimulation) -> str:
    """The simulation's terms for people, in the language spoken (``2/10 net 30``)."""
    return terms_text(sim.rate, sim.discount_days, sim.net_days)


def net_benefit_chart(sim: DiscountSimulation) -> alt.LayerChart:
    """Lines of the net result and its parts (discounts as a cost, below 0) against uptake, a
    zero rule and a dot at the simulated uptake; amounts in currency units a year."""
    parts = {k: _(v) for k, v in PARTS.items()}
    curve = sim.curve.assign(discount_cents=-sim.curve["discount_cents"])
    long = curve.melt(id_vars="uptake", value_vars=list(PARTS), var_name="part", value_name="cents")
    long["part"] = long["part"].map(parts)
    long["amount"] = long["cents"] / 100
    order = list(parts.values())
    uptake_title, amount_title = _("Uptake"), _("Amount")
    lines = (
        alt.Chart(long)
        .mark_line()
        .encode(
            x=alt.X(
                "uptake:Q",
                title=_("Uptake (share of eligible customers' sales)"),
                axis=alt.Axis(format="%"),
            ),
            y=alt.Y("amount:Q", title=_("A year"), axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "part:N",
                sort=order,
                title=None,
                scale=alt.Scale(
                    domain=order, range=["#4c9f70", "#a6c96a", "#f2c14e", "#d9534f", "#1d2733"]
                ),
            ),
            strokeWidth=alt.condition(
                alt.datum.part == parts["net_cents"], alt.value(3), alt.value(1.5)
            ),
            tooltip=[
                alt.Tooltip("part:N", title=" "),
                alt.Tooltip("uptake:Q", title=uptake_title, format=".0%"),
                alt.Tooltip("amount:Q", title=amount_title, format=",.2f"),
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
                alt.Tooltip("uptake:Q", title=uptake_title, format=".0%"),
                alt.Tooltip("amount:Q", title=parts["net_cents"], format=",.2f"),
            ],
        )
    )
    title = _("{terms}: what the programme would bring in a year, by uptake").format(
        terms=shown_terms(sim)
    )
    return alt.layer(zero, lines, here, title=title).properties(width=WIDTH, height=260)


def summary_rows(sim: DiscountSimulation) -> list[tuple[str, str]]:
    """(label, value) pairs of a simulation's results, for people."""
    pct = lambda v: format_ratio(v, percent=True)  # noqa: E731
    return [
        (
            _("Terms"),
            _(
                "{terms} (cost {cost} a year paid on day {day}; {observed} at the eligible "
                "customers' actual days)"
            ).format(
                terms=shown_terms(sim),
                cost=format_ratio(sim.annual_cost, percent=True, digits=2),
                day=sim.net_days,
                observed=format_ratio(sim.annual_cost_observed, percent=True, digits=2),
            ),
        ),
        (_("Sales in the 12 months"), format_cents(sim.sales_cents)),
        (_("Sales of eligible customers"), format_cents(sim.eligible_sales_cents)),
        (
            _("Uptake"),
            _("{share} of eligible sales: {amount}").format(
                share=pct(sim.uptake), amount=format_cents(sim.taken_sales_cents)
            ),
        ),
        (_("Discounts granted"), format_cents(-sim.discount_cents)),
        (
            _("Cash freed (once)"),
            _("{amount}, paid {days} days earlier on average").format(
                amount=format_cents(sim.cash_freed_cents), days=format_ratio(sim.days_earlier)
            ),
        ),
        (
            _("Financing saved"),
            _("{amount} at {rate} cost of capital").format(
                amount=format_cents(sim.financing_saved_cents), rate=pct(sim.cost_of_capital)
            ),
        ),
        (_("Bad debt avoided"), format_cents(sim.bad_debt_avoided_cents)),
        (_("Collection cost avoided"), format_cents(sim.collection_cost_avoided_cents)),
        (_("Net result a year"), format_cents(sim.net_cents, sign=True)),
        (
            _("DSO before / after"),
            _("{before} / {after} days").format(
                before=format_ratio(sim.dso_before), after=format_ratio(sim.dso_after)
            ),
        ),
        (
            _("Break-even uptake"),
            pct(sim.break_even_uptake)
            if not math.isnan(sim.break_even_uptake)
            else _("none: no uptake pays for it"),
        ),
        (_("Break-even cost of capital"), pct(sim.break_even_cost_of_capital)),
    ]


def summary_html(sim: DiscountSimulation) -> str:
    """The results as an HTML table, with a sentence saying whether the programme pays."""
    values = {
        "terms": esc(shown_terms(sim)),
        "uptake": esc(format_ratio(sim.uptake, percent=True)),
        "as_of": esc(format_date(sim.as_of)),
    }
    verdict = (
        _(
            "<b>Offering {terms} pays for itself</b> at {uptake} uptake, on the payments of "
            "the 12 months to {as_of}."
        )
        if sim.net_cents >= 0
        else _(
            "<b>Offering {terms} costs more than it brings</b> at {uptake} uptake, on the "
            "payments of the 12 months to {as_of}."
        )
    ).format(**values)
    rows = "".join(
        f'<tr><td>{esc(k)}</td><td class="num">{esc(v)}</td></tr>' for k, v in summary_rows(sim)
    )
    return (
        f'{CSS}<div class="arbook"><p>{verdict}</p><table class="arbook arbook-table">{rows}'
        "</table></div>"
    )


def terms_html(terms: str, pay_day: int | None = None) -> str:
    """What ``terms`` cost the seller a year: simple and compounded, paid on the net day (or
    ``pay_day``)."""
    rate, days, net = parse_terms(terms)
    simple = discount_cost(rate, days, net, pay_day)
    compound = discount_cost_compound(rate, days, net, pay_day)
    text = _(
        "{terms}, paid on day {day}: <b>{simple}</b> a year (simple), {compound} compounded."
    ).format(
        terms=esc(terms_text(rate, days, net)),
        day=pay_day or net,
        simple=format_ratio(simple, percent=True, digits=2),
        compound=format_ratio(compound, percent=True, digits=2),
    )
    return f'{CSS}<p class="arbook">{text}</p>'


def intro_html() -> str:
    """What the discount notebook is for, in the language spoken (the notebook's markdown is
    for its source only: Voilà shows this)."""
    parts = [
        _(
            "Terms like 2/10 net 30 give customers 2% off if they pay within 10 days. This "
            "page says what such terms cost a year, and simulates the programme on the "
            "client's own payments of the last 12 months: which customers would plausibly take "
            "it, the discounts granted, the cash freed and the financing it saves, the bad debt "
            "and collection cost avoided, and the net result, with the uptake and the cost of "
            "capital at which it breaks even."
        ),
    ]
    title = _("Early-payment discount: would it pay for itself?")
    paragraphs = "".join(f'<p class="arbook-note">{esc(p)}</p>' for p in parts)
    return f'<div class="arbook"><h2>{esc(title)}</h2>{paragraphs}</div>'


#: The explanation under each section of the discount notebook (translated where shown).
SECTION_NOTES = {
    "cost": N_(
        "The annualised cost to the seller: d / (1 − d) × 365 / (P − D), simple and compounded "
        "(d the discount, D the discount days, P the day customers pay)."
    ),
    "curve": N_(
        "Earliest payers take it first: they cost the discount and free little cash; later "
        "payers bring the financing saved and the bad debt avoided."
    ),
    "sliders": N_("Move the sliders: the simulation re-runs and the chart is redrawn."),
}
#: The sections' headings (translated where shown).
SECTION_TITLES = {
    "cost": N_("What the terms cost"),
    "programme": N_("The programme on the client's own payments"),
    "curve": N_("Net result by uptake"),
    "takers": N_("Who would take it"),
    "sliders": N_("Try other terms"),
}


def section_html(name: str) -> str:
    """The heading of the notebook's section ``name`` and its explanation, in the language
    spoken."""
    note = SECTION_NOTES.get(name)
    below = f'<p class="arbook-note">{esc(_(note))}</p>' if note else ""
    return f'<div class="arbook"><h3>{esc(_(SECTION_TITLES[name]))}</h3>{below}</div>'


def customers_html(sim: DiscountSimulation, *, max_rows: int = 25) -> str:
    """The customers who would take the discount, earliest payers first."""
    takers = sim.customers[sim.customers["share_taken"] > 0].drop(columns="eligible")
    titles = {k: _(v) for k, v in CUSTOMER_TITLES.items()}
    return CSS + table_html(takers, total=True, max_rows=max_rows, titles=titles)


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
            rate * 100, min=0.25, max=5, step=0.25, description=_("Discount %"), **slider
        )
        self.days = w.IntSlider(days, min=0, max=60, description=_("Discount days"), **slider)
        self.net = w.IntSlider(net, min=1, max=120, description=_("Net days"), **slider)
        self.uptake = w.FloatSlider(
            uptake,
            min=0,
            max=1,
            step=0.05,
            description=_("Uptake"),
            readout_format=".0%",
            **slider,
        )
        self.rate = w.FloatSlider(
            cost_of_capital,
            min=0,
            max=0.3,
            step=0.01,
            description=_("Cost of capital"),
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
