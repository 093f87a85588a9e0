"""Altair charts of a review. Builders return ``alt.Chart`` objects; the dashboard shows them
through ``alt.JupyterChart`` (offline bundle, selections observed from Python) and reports embed
them as static SVG from :func:`to_svg` (vl-convert: self-contained, no JavaScript, no network).

Money is plotted in currency units (cents / 100); every chart carries a tooltip with the exact
formatted amount.

Every text drawn is in the language spoken when the chart is built: titles, axis, legend and
tooltip titles, and the bucket labels on an axis or a legend (``current`` and ``unapplied``
are codes in the data, which keeps them for the clicks the dashboard reads: only what is drawn
is translated). In Spanish and Russian the numbers take the language's marks (``1 234,56``) and
the tooltips' amounts the ledger's currency (``1 234,56 €``), through the chart's Vega locale.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from arbook.core.i18n import N_, _, language, ngettext, number_marks
from arbook.core.money import format_money
from arbook.measures.aging import UNAPPLIED
from arbook.views.format import bucket_text

#: Bucket colours from fresh (green) to old (dark red); enough for up to 8 buckets.
PALETTE = ["#4c9f70", "#a6c96a", "#f2c14e", "#f08a4b", "#d9534f", "#a4243b", "#6b1e2e", "#3d0f1a"]
WIDTH = 560
#: Name of the click selection on bucket and customer charts (read by the dashboard).
PICK = "pick"
#: The axis and legend title of buckets, by aging basis.
DAYS_AXIS = {"due": N_("Days overdue"), "invoice": N_("Days since invoice")}
#: The aging chart's title, by aging basis.
AGING_TITLES = {
    "due": N_("Aging: what is owed, by days overdue"),
    "invoice": N_("Aging: what is owed, by days since invoice"),
}
#: The two bars of each bucket in :func:`bucket_change`, in order.
WHEN = (N_("a month ago"), N_("now"))


def _days(basis: str) -> str:
    """The axis title of buckets: ``Days overdue`` or ``Days since invoice``."""
    return _(DAYS_AXIS[basis])


def _bucket_scale(labels: list[str]) -> alt.Scale:
    return alt.Scale(domain=labels, range=PALETTE[: len(labels)])


def _bucket_labels(labels: list[str]):
    """A Vega ``labelExpr`` drawing each bucket of ``labels`` in the language spoken
    (``current`` -> ``no vencido``); Undefined when every label reads as it is."""
    pairs = [(label, bucket_text(label)) for label in labels]
    expr = "datum.value"
    for label, shown in reversed([p for p in pairs if p[0] != p[1]]):
        quoted = (json.dumps(t, ensure_ascii=False) for t in (label, shown))
        expr = "datum.value === {} ? {} : {}".format(*quoted, expr)
    return alt.Undefined if expr == "datum.value" else expr


def _money(currency: str | None) -> str:
    """The d3 format of an exact amount in a tooltip: with the currency (in :func:`spoken`'s
    locale) in Spanish and Russian, the number alone in English."""
    return "$,.2f" if currency and language() != "en" else ",.2f"


def number_locale(currency: str | None = None) -> dict | None:
    """The Vega locale of the language spoken: its thousands and decimal marks and where the
    ledger's ``currency`` goes (as :func:`~arbook.core.money.format_money` writes it); None in
    English (Vega's own)."""
    lang = language()
    if lang == "en":
        return None
    group, decimal = number_marks(lang)
    one = f"1{decimal}00"
    prefix, _one, suffix = format_money(100, currency).partition(one) if currency else ("", "", "")
    return {
        "number": {
            "decimal": decimal,
            "thousands": group,
            "grouping": [3],
            "currency": [prefix, suffix],
        }
    }


def spoken(chart, currency: str | None = None):
    """``chart`` with the number marks (and ``currency``) of the language spoken: unchanged in
    English."""
    locale = number_locale(currency)
    return chart if locale is None else chart.configure(locale=locale)


def aging_by_customer(
    summary: pd.DataFrame,
    labels: list[str],
    *,
    basis: str,
    top: int = 15,
    currency: str | None = None,
) -> alt.Chart:
    """Horizontal stacked bars: the ``top`` customers by total owed, one segment per bucket.
    Clicking a segment selects its ``customer_id`` and ``bucket`` (selection :data:`PICK`)."""
    head = summary[summary["total_cents"] > 0].head(top)
    long = head.melt(
        id_vars=["customer_id", "name"],
        value_vars=[f"{b}_cents" for b in labels],
        var_name="bucket",
        value_name="cents",
    )
    long["bucket"] = long["bucket"].str.removesuffix("_cents")
    long = long[long["cents"] > 0].assign(
        amount=lambda f: f["cents"] / 100,
        order=lambda f: f["bucket"].map(labels.index),
        bucket_shown=lambda f: f["bucket"].map(bucket_text),
    )
    pick = alt.selection_point(name=PICK, fields=["customer_id", "bucket"], on="click")
    order = list(head["name"] + " (" + head["customer_id"] + ")")
    long["customer"] = long["name"] + " (" + long["customer_id"] + ")"
    title = ngettext(
        "Who owes what: the {count} largest balances",
        "Who owes what: the {count} largest balances",
        len(head),
    ).format(count=len(head))
    chart = (
        alt.Chart(long, title=title)
        .mark_bar(cursor="pointer")
        .encode(
            y=alt.Y("customer:N", sort=order, title=None),
            x=alt.X("sum(amount):Q", title=_("Owed"), axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "bucket:N",
                scale=_bucket_scale(labels),
                title=_days(basis),
                sort=labels,
                legend=alt.Legend(labelExpr=_bucket_labels(labels)),
            ),
            order=alt.Order("order:Q"),
            # Bars are summed by the encoded fields: a customer_id detail keeps it in the
            # clicked datum.
            detail="customer_id:N",
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
            tooltip=[
                alt.Tooltip("name:N", title=_("Customer")),
                alt.Tooltip("bucket_shown:N", title=_("Bucket")),
                alt.Tooltip("amount:Q", title=_("Owed"), format=_money(currency)),
            ],
        )
        .add_params(pick)
        .properties(width=WIDTH, height=max(120, 22 * len(head)))
    )
    return spoken(chart, currency)


def aging_by_bucket(
    buckets: pd.DataFrame, labels: list[str], *, basis: str, currency: str | None = None
) -> alt.Chart:
    """Bars of what is owed per bucket now, from :attr:`Review.buckets`; clicking a bar
    selects its ``bucket`` (selection :data:`PICK`)."""
    frame = buckets[buckets["bucket"].isin(labels)].assign(
        amount=lambda f: f["now_cents"] / 100,
        before=lambda f: f["previous_cents"] / 100,
        bucket_shown=lambda f: f["bucket"].map(bucket_text),
    )
    pick = alt.selection_point(name=PICK, fields=["bucket"], on="click")
    axis = alt.Axis(labelAngle=0, labelExpr=_bucket_labels(labels))
    money = _money(currency)
    chart = (
        alt.Chart(frame, title=_(AGING_TITLES[basis]))
        .mark_bar(cursor="pointer")
        .encode(
            x=alt.X("bucket:N", sort=labels, title=_days(basis), axis=axis),
            y=alt.Y("amount:Q", title=_("Owed"), axis=alt.Axis(format=",.0f")),
            color=alt.Color("bucket:N", scale=_bucket_scale(labels), legend=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
            tooltip=[
                alt.Tooltip("bucket_shown:N", title=_("Bucket")),
                alt.Tooltip("amount:Q", title=_("Owed now"), format=money),
                alt.Tooltip("before:Q", title=_("A month ago"), format=money),
            ],
        )
        .add_params(pick)
        .properties(width=WIDTH, height=240)
    )
    return spoken(chart, currency)


def bucket_change(
    buckets: pd.DataFrame, labels: list[str], *, basis: str, currency: str | None = None
) -> alt.Chart:
    """Grouped bars: each bucket a month ago and now (``when``: those words, drawn as they
    are, in the language spoken)."""
    frame = buckets[buckets["bucket"].isin(labels)]
    long = frame.melt(
        id_vars="bucket",
        value_vars=["previous_cents", "now_cents"],
        var_name="when",
        value_name="cents",
    )
    when = [_(text) for text in WHEN]
    long["when"] = long["when"].map(dict(zip(["previous_cents", "now_cents"], when)))
    long["amount"] = long["cents"] / 100
    long["bucket_shown"] = long["bucket"].map(bucket_text)
    axis = alt.Axis(labelAngle=0, labelExpr=_bucket_labels(labels))
    chart = (
        alt.Chart(long, title=_("Aging now and a month ago"))
        .mark_bar()
        .encode(
            x=alt.X("bucket:N", sort=labels, title=_days(basis), axis=axis),
            xOffset=alt.XOffset("when:N", sort=when),
            y=alt.Y("amount:Q", title=_("Owed"), axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "when:N",
                scale=alt.Scale(domain=when, range=["#b8c4d6", "#2f5d8a"]),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("bucket_shown:N", title=_("Bucket")),
                alt.Tooltip("when:N", title=_("When")),
                alt.Tooltip("amount:Q", title=_("Owed"), format=_money(currency)),
            ],
        )
        .properties(width=WIDTH, height=240)
    )
    return spoken(chart, currency)


def trend(history: pd.DataFrame, *, currency: str | None = None) -> alt.Chart:
    """AR at each month end (bars) and count-back DSO (line, right axis) over the months of
    ``history`` (a :func:`monthly_metrics` frame). Neither depends on the aging basis or the
    bucket edges, so the dashboard redraws it only when the as-of date changes."""
    frame = history.assign(ar=history["ar_end_cents"] / 100)[["month", "ar", "dso_countback"]]
    # total receivable (SPEC §3), the number of the "Total receivable" tile
    base = alt.Chart(frame, title=_("Receivables and DSO, month ends")).encode(
        x=alt.X("month:O", title=None, axis=alt.Axis(labelAngle=-40))
    )
    bars = base.mark_bar(color="#9fb7d3").encode(
        y=alt.Y("ar:Q", title=_("Receivable"), axis=alt.Axis(format=",.0f")),
        tooltip=[
            alt.Tooltip("month:O", title=_("Month")),
            alt.Tooltip("ar:Q", title=_("Total receivable"), format=_money(currency)),
            alt.Tooltip("dso_countback:Q", title="DSO", format=".1f"),
        ],
    )
    line = base.mark_line(color="#a4243b", point=alt.OverlayMarkDef(color="#a4243b")).encode(
        y=alt.Y("dso_countback:Q", title=_("DSO (count-back, days)"))
    )
    chart = alt.layer(bars, line).resolve_scale(y="independent")
    return spoken(chart.properties(width=WIDTH, height=240), currency)


def roll_rates(rolls: pd.DataFrame) -> alt.Chart:
    """One line per bucket transition over the months of a :func:`roll_rates` frame."""
    long = rolls.melt(id_vars="month", var_name="roll", value_name="rate").dropna()
    long["roll"] = long["roll"].map(bucket_text)  # drawn as they are: each bucket in words
    chart = (
        alt.Chart(long, title=_("Roll rates: share of a bucket that moved one bucket older"))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=None, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("rate:Q", title=_("Roll rate"), axis=alt.Axis(format="%")),
            color=alt.Color("roll:N", title=None, sort=[bucket_text(c) for c in rolls.columns[1:]]),
            tooltip=[
                alt.Tooltip("month:O", title=_("Month")),
                alt.Tooltip("roll:N", title=_("Roll")),
                alt.Tooltip("rate:Q", title=_("Roll rate"), format=".1%"),
            ],
        )
        .properties(width=WIDTH, height=240)
    )
    return spoken(chart)


def carrying_cost(
    carrying: pd.DataFrame, *, top: int = 10, currency: str | None = None
) -> alt.Chart:
    """Bars of what financing each of the ``top`` largest overdue balances costs a year at the
    cost of capital (``yearly_cost_cents``; the tooltip adds the cost accrued to date)."""
    head = carrying.head(top).assign(
        cost=lambda f: f["yearly_cost_cents"] / 100,
        accrued=lambda f: f["carrying_cost_cents"] / 100,
        overdue=lambda f: f["overdue_cents"] / 100,
    )
    money = _money(currency)
    chart = (
        alt.Chart(
            head, title=_("What it costs to be their bank: a year at today's overdue balance")
        )
        .mark_bar(color="#a4243b")
        .encode(
            y=alt.Y("name:N", sort="-x", title=None),
            x=alt.X("cost:Q", title=_("Carrying cost a year"), axis=alt.Axis(format=",.0f")),
            tooltip=[
                alt.Tooltip("name:N", title=_("Customer")),
                alt.Tooltip("overdue:Q", title=_("Overdue"), format=money),
                alt.Tooltip("avg_days_overdue:Q", title=_("Avg days overdue"), format=".0f"),
                alt.Tooltip("cost:Q", title=_("Cost a year"), format=money),
                alt.Tooltip("accrued:Q", title=_("Cost accrued to date"), format=money),
            ],
        )
        .properties(width=WIDTH, height=max(120, 22 * len(head)))
    )
    return spoken(chart, currency)


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as a standalone SVG document (vl-convert renders it in-process, no network),
    its numbers with the marks of the language spoken (a chart built elsewhere too)."""
    import vl_convert as vlc

    spec = chart.to_dict()
    locale = number_locale()
    if locale is not None and "locale" not in spec.get("config", {}):
        spec["config"] = {**spec.get("config", {}), "locale": locale}
    return vlc.vegalite_to_svg(spec, vl_version=_vl_version())


def warm_up() -> None:
    """Render one small chart, so that vl-convert's JavaScript engine and Vega-Lite are loaded
    (a second or so the first time in a process) before a report needs them."""
    to_svg(alt.Chart(pd.DataFrame({"x": [1]})).mark_bar().encode(x="x:Q"))


def _vl_version() -> str:
    major_minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return "_".join(["v" + major_minor[0], major_minor[1]])


__all__ = [
    "PICK",
    "UNAPPLIED",
    "aging_by_bucket",
    "aging_by_customer",
    "bucket_change",
    "carrying_cost",
    "number_locale",
    "roll_rates",
    "spoken",
    "to_svg",
    "trend",
    "warm_up",
]
