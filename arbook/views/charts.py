"""Altair charts of a review. Builders return ``alt.Chart`` objects; the dashboard shows them
through ``alt.JupyterChart`` (offline bundle, selections observed from Python) and reports embed
them as static SVG from :func:`to_svg` (vl-convert: self-contained, no JavaScript, no network).

Money is plotted in currency units (cents / 100); every chart carries a tooltip with the exact
formatted amount.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from arbook.measures.aging import UNAPPLIED
from arbook.views.format import days_title

#: Bucket colours from fresh (green) to old (dark red); enough for up to 8 buckets.
PALETTE = ["#4c9f70", "#a6c96a", "#f2c14e", "#f08a4b", "#d9534f", "#a4243b", "#6b1e2e", "#3d0f1a"]
WIDTH = 560
#: Name of the click selection on bucket and customer charts (read by the dashboard).
PICK = "pick"


def _days(basis: str) -> str:
    """The axis title of buckets: ``Days overdue`` or ``Days since invoice``."""
    return days_title(basis).capitalize()


def _bucket_scale(labels: list[str]) -> alt.Scale:
    return alt.Scale(domain=labels, range=PALETTE[: len(labels)])


def aging_by_customer(
    summary: pd.DataFrame, labels: list[str], *, basis: str, top: int = 15
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
        amount=lambda f: f["cents"] / 100, order=lambda f: f["bucket"].map(labels.index)
    )
    pick = alt.selection_point(name=PICK, fields=["customer_id", "bucket"], on="click")
    order = list(head["name"] + " (" + head["customer_id"] + ")")
    long["customer"] = long["name"] + " (" + long["customer_id"] + ")"
    return (
        alt.Chart(long, title=f"Who owes what: the {len(head)} largest balances")
        .mark_bar(cursor="pointer")
        .encode(
            y=alt.Y("customer:N", sort=order, title=None),
            x=alt.X("sum(amount):Q", title="Owed", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "bucket:N", scale=_bucket_scale(labels), title=_days(basis), sort=labels
            ),
            order=alt.Order("order:Q"),
            # Bars are summed by the encoded fields: a customer_id detail keeps it in the
            # clicked datum.
            detail="customer_id:N",
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
            tooltip=[
                alt.Tooltip("name:N", title="Customer"),
                alt.Tooltip("bucket:N", title="Bucket"),
                alt.Tooltip("amount:Q", title="Owed", format=",.2f"),
            ],
        )
        .add_params(pick)
        .properties(width=WIDTH, height=max(120, 22 * len(head)))
    )


def aging_by_bucket(buckets: pd.DataFrame, labels: list[str], *, basis: str) -> alt.Chart:
    """Bars of what is owed per bucket now, from :attr:`Review.buckets`; clicking a bar
    selects its ``bucket`` (selection :data:`PICK`)."""
    frame = buckets[buckets["bucket"].isin(labels)].assign(
        amount=lambda f: f["now_cents"] / 100, before=lambda f: f["previous_cents"] / 100
    )
    pick = alt.selection_point(name=PICK, fields=["bucket"], on="click")
    return (
        alt.Chart(frame, title=f"Aging: what is owed, by {days_title(basis)}")
        .mark_bar(cursor="pointer")
        .encode(
            x=alt.X("bucket:N", sort=labels, title=_days(basis), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("amount:Q", title="Owed", axis=alt.Axis(format=",.0f")),
            color=alt.Color("bucket:N", scale=_bucket_scale(labels), legend=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
            tooltip=[
                alt.Tooltip("bucket:N", title="Bucket"),
                alt.Tooltip("amount:Q", title="Owed now", format=",.2f"),
                alt.Tooltip("before:Q", title="A month ago", format=",.2f"),
            ],
        )
        .add_params(pick)
        .properties(width=WIDTH, height=240)
    )


def bucket_change(buckets: pd.DataFrame, labels: list[str], *, basis: str) -> alt.Chart:
    """Grouped bars: each bucket a month ago and now."""
    frame = buckets[buckets["bucket"].isin(labels)]
    long = frame.melt(
        id_vars="bucket",
        value_vars=["previous_cents", "now_cents"],
        var_name="when",
        value_name="cents",
    )
    long["when"] = long["when"].map({"previous_cents": "a month ago", "now_cents": "now"})
    long["amount"] = long["cents"] / 100
    return (
        alt.Chart(long, title="Aging now and a month ago")
        .mark_bar()
        .encode(
            x=alt.X("bucket:N", sort=labels, title=_days(basis), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("when:N", sort=["a month ago", "now"]),
            y=alt.Y("amount:Q", title="Owed", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "when:N",
                scale=alt.Scale(domain=["a month ago", "now"], range=["#b8c4d6", "#2f5d8a"]),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("bucket:N"),
                alt.Tooltip("when:N"),
                alt.Tooltip("amount:Q", title="Owed", format=",.2f"),
            ],
        )
        .properties(width=WIDTH, height=240)
    )


def trend(history: pd.DataFrame) -> alt.Chart:
    """AR at each month end (bars) and count-back DSO (line, right axis) over the months of
    ``history`` (a :func:`monthly_metrics` frame). Neither depends on the aging basis or the
    bucket edges, so the dashboard redraws it only when the as-of date changes."""
    frame = history.assign(ar=history["ar_end_cents"] / 100)[["month", "ar", "dso_countback"]]
    # total receivable (SPEC §3), the number of the "Total receivable" tile
    base = alt.Chart(frame, title="Receivables and DSO, month ends").encode(
        x=alt.X("month:O", title=None, axis=alt.Axis(labelAngle=-40))
    )
    bars = base.mark_bar(color="#9fb7d3").encode(
        y=alt.Y("ar:Q", title="Receivable", axis=alt.Axis(format=",.0f")),
        tooltip=[
            alt.Tooltip("month:O"),
            alt.Tooltip("ar:Q", title="Total receivable", format=",.2f"),
            alt.Tooltip("dso_countback:Q", title="DSO", format=".1f"),
        ],
    )
    line = base.mark_line(color="#a4243b", point=alt.OverlayMarkDef(color="#a4243b")).encode(
        y=alt.Y("dso_countback:Q", title="DSO (count-back, days)")
    )
    return alt.layer(bars, line).resolve_scale(y="independent").properties(width=WIDTH, height=240)


def roll_rates(rolls: pd.DataFrame) -> alt.Chart:
    """One line per bucket transition over the months of a :func:`roll_rates` frame."""
    long = rolls.melt(id_vars="month", var_name="roll", value_name="rate").dropna()
    return (
        alt.Chart(long, title="Roll rates: share of a bucket that moved one bucket older")
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=None, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("rate:Q", title="Roll rate", axis=alt.Axis(format="%")),
            color=alt.Color("roll:N", title=None, sort=list(rolls.columns[1:])),
            tooltip=[
                alt.Tooltip("month:O"),
                alt.Tooltip("roll:N"),
                alt.Tooltip("rate:Q", format=".1%"),
            ],
        )
        .properties(width=WIDTH, height=240)
    )


def carrying_cost(carrying: pd.DataFrame, *, top: int = 10) -> alt.Chart:
    """Bars of what financing each of the ``top`` largest overdue balances costs a year at the
    cost of capital (``yearly_cost_cents``; the tooltip adds the cost accrued to date)."""
    head = carrying.head(top).assign(
        cost=lambda f: f["yearly_cost_cents"] / 100,
        accrued=lambda f: f["carrying_cost_cents"] / 100,
        overdue=lambda f: f["overdue_cents"] / 100,
    )
    return (
        alt.Chart(head, title="What it costs to be their bank: a year at today's overdue balance")
        .mark_bar(color="#a4243b")
        .encode(
            y=alt.Y("name:N", sort="-x", title=None),
            x=alt.X("cost:Q", title="Carrying cost a year", axis=alt.Axis(format=",.0f")),
            tooltip=[
                alt.Tooltip("name:N", title="Customer"),
                alt.Tooltip("overdue:Q", title="Overdue", format=",.2f"),
                alt.Tooltip("avg_days_overdue:Q", title="Avg days overdue", format=".0f"),
                alt.Tooltip("cost:Q", title="Cost a year", format=",.2f"),
                alt.Tooltip("accrued:Q", title="Cost accrued to date", format=",.2f"),
            ],
        )
        .properties(width=WIDTH, height=max(120, 22 * len(head)))
    )


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as a standalone SVG document (vl-convert renders it in-process, no network)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_dict(), vl_version=_vl_version())


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
    "roll_rates",
    "to_svg",
    "trend",
]
