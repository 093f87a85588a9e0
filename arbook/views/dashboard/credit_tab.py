"""The dashboard's Credit tab and the credit facts of a customer's drill-down (SPEC §5).

The tab answers "may I ship?" for a customer and an order (:mod:`.ship_box`), and shows how
customers' payment scores are spread (bands of ten points, coloured by the policy's hold floor
and raise threshold), how much of their credit limit the customers use, the customers on credit
hold with the reasons, and those owing without a credit limit. Every number comes from the
review's credit parts (:attr:`Review.scores`, ``holds``, ``not_vetted``,
``late_charges``); this module only lays them out.

DOM contract (the browser tests rely on it): the tab is ``.arbook-credit``; the "May I ship?"
box ``.arbook-ship`` (its parts in :mod:`.ship_box`); the score chart ``.arbook-chart-scores``;
the hold list ``.arbook-holds``; the not-vetted list ``.arbook-not-vetted``; the utilisation
chart sits in ``.arbook-utilisation``.
"""

from __future__ import annotations

import math

import altair as alt
import ipywidgets as w
import pandas as pd

from arbook.core.config import resolve_policy
from arbook.credit.penalties import late_charge_totals
from arbook.measures.history import na_text
from arbook.views.dashboard.ship_box import ShipBox
from arbook.views.format import NA, format_cents, format_ratio
from arbook.views.html import esc, table_html
from arbook.workbook.review import Review

#: Width of a score band in the distribution chart (points of 0-100).
BAND = 10
UNSCORED = "unscored"
#: Customers shown in the utilisation chart (the highest use of their limit first).
UTILISATION_TOP = 20
GROUP_COLOURS = {
    "below the hold floor": "#d9534f",
    "fair": "#f2c14e",
    "good (limit may rise)": "#4c9f70",
    UNSCORED: "#b8c4d6",
}
HOLD_TITLES = {
    "customer_id": "customer",
    "reasons": "why on hold",
    "exposure_cents": "owed",
    "credit_limit_cents": "credit limit",
    "oldest_days_overdue": "oldest overdue (days)",
}
CHARGE_TITLES = {
    "document_id": "document",
    "due_date": "due",
    "outstanding_cents": "overdue",
    "days_overdue": "days overdue",
    "interest_cents": "interest",
}


# -- charts ------------------------------------------------------------------------------------


def band_label(k: int) -> str:
    """``0–9`` .. ``90–100``: the last band takes the top score."""
    top = 100 if (k + 1) * BAND >= 100 else (k + 1) * BAND - 1
    return f"{k * BAND}–{top}"


def score_bands(scores: pd.DataFrame, *, floor: float, raise_at: float) -> pd.DataFrame:
    """Customers per score band (``band, customers, group, order``), every band present, plus an
    ``unscored`` band for customers without payment experience. A band wholly below ``floor`` is
    "below the hold floor"; one from ``raise_at`` up "good"; the rest "fair"."""
    score = scores["score"].astype(float)
    bands = 100 // BAND
    index = (score[score.notna()] // BAND).clip(upper=bands - 1).astype(int)
    counts = index.value_counts().reindex(range(bands), fill_value=0)
    rows = [
        {
            "band": band_label(k),
            "customers": int(counts[k]),
            "order": k,
            "group": (
                "below the hold floor"
                if (k + 1) * BAND <= floor
                else "good (limit may rise)"
                if k * BAND >= raise_at
                else "fair"
            ),
        }
        for k in range(bands)
    ]
    rows.append(
        {"band": UNSCORED, "customers": int(score.isna().sum()), "order": bands, "group": UNSCORED}
    )
    return pd.DataFrame(rows)


def scores_chart(scores: pd.DataFrame, *, floor: float, raise_at: float) -> alt.Chart:
    """Bars: how many customers score in each band of :data:`BAND` points."""
    frame = score_bands(scores, floor=floor, raise_at=raise_at)
    return (
        alt.Chart(frame, title="Payment scores: customers per band (100 = pays early)")
        .mark_bar()
        .encode(
            x=alt.X("band:N", sort=list(frame["band"]), title="Score", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("customers:Q", title="Customers", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "group:N",
                title=None,
                sort=list(GROUP_COLOURS),
                scale=alt.Scale(domain=list(GROUP_COLOURS), range=list(GROUP_COLOURS.values())),
            ),
            tooltip=[
                alt.Tooltip("band:N", title="Score"),
                alt.Tooltip("customers:Q", title="Customers"),
            ],
        )
        .properties(width=420, height=220)
    )


def limited(scores: pd.DataFrame) -> pd.DataFrame:
    """Customers with a credit limit, highest use of it first."""
    frame = scores[scores["credit_limit_cents"].notna() & (scores["credit_limit_cents"] > 0)]
    return frame.sort_values(
        ["utilisation", "customer_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def utilisation_chart(scores: pd.DataFrame, *, top: int = UTILISATION_TOP) -> alt.Chart:
    """Horizontal bars of what the ``top`` customers owe as a share of their credit limit, red
    when over it; clicking a bar selects its ``customer_id`` (the drill-down opens)."""
    head = limited(scores).head(top)
    frame = pd.DataFrame(
        {
            "customer_id": head["customer_id"],
            "utilisation": head["utilisation"].astype(float),
            "customer": head["name"] + " (" + head["customer_id"] + ")",
            "owed": head["exposure_cents"].astype(float) / 100,
            "limit": head["credit_limit_cents"].astype(float) / 100,
            "over": (head["utilisation"] > 1).map({True: "over the limit", False: "within it"}),
        }
    )
    pick = alt.selection_point(name="pick", fields=["customer_id"], on="click")
    return (
        alt.Chart(frame, title=f"Use of credit limits: the {len(frame)} highest")
        .mark_bar(cursor="pointer")
        .encode(
            y=alt.Y("customer:N", sort=list(frame["customer"]), title=None),
            x=alt.X("utilisation:Q", title="Owed / credit limit", axis=alt.Axis(format="%")),
            color=alt.Color(
                "over:N",
                title=None,
                scale=alt.Scale(
                    domain=["over the limit", "within it"], range=["#d9534f", "#9fb7d3"]
                ),
            ),
            detail="customer_id:N",
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)),
            tooltip=[
                alt.Tooltip("customer:N", title="Customer"),
                alt.Tooltip("owed:Q", title="Owed", format=",.2f"),
                alt.Tooltip("limit:Q", title="Credit limit", format=",.2f"),
                alt.Tooltip("utilisation:Q", title="Used", format=".0%"),
            ],
        )
        .add_params(pick)
        .properties(width=420, height=max(120, 20 * len(frame)))
    )


# -- HTML --------------------------------------------------------------------------------------


def _section(title: str) -> str:
    return f'<div class="arbook-section">{esc(title)}</div>'


def facts_html(review: Review) -> str:
    """One line: customers on hold and what they owe, customers not vetted, scored customers."""
    holds, vetted, scores = review.holds, review.not_vetted, review.scores
    facts = [
        (
            "On credit hold",
            f"{len(holds):,} owing {format_cents(int(holds['exposure_cents'].sum()))}",
        ),
        (
            "Owing without a credit limit",
            f"{len(vetted):,} owing {format_cents(int(vetted['exposure_cents'].sum()))}",
        ),
        (
            "Customers scored",
            na_text(review.ledger) or f"{int(scores['score'].notna().sum()):,} of {len(scores):,}",
        ),
    ]
    cells = "".join(f"<div>{esc(k)}<br><b>{esc(v)}</b></div>" for k, v in facts)
    return f'<div class="arbook arbook-facts">{cells}</div>'


def holds_html(review: Review) -> str:
    holds = review.holds  # largest exposure first
    return (
        f'<div class="arbook">{_section(f"On credit hold ({len(holds):,})")}'
        f"{table_html(holds, total=True, max_rows=200, titles=HOLD_TITLES)}</div>"
    )


def not_vetted_html(review: Review) -> str:
    frame = review.not_vetted
    note = (
        "Customers who owe money but have no credit limit on file: set one (or decide not "
        "to) before more goods go out."
    )
    return (
        f'<div class="arbook">{_section(f"Owing without a credit limit ({len(frame):,})")}'
        f'<p class="arbook-note">{esc(note)}</p>'
        f"{table_html(frame, total=True, max_rows=200, titles={'exposure_cents': 'owed'})}"
        "</div>"
    )


def utilisation_note(review: Review) -> str:
    scores = review.scores
    frame = scores[scores["credit_limit_cents"].notna()]
    over = int((frame["exposure_cents"] > frame["credit_limit_cents"]).sum())
    return (
        f'<p class="arbook arbook-note">{len(frame):,} '
        f"{'customer has' if len(frame) == 1 else 'customers have'} a credit limit; "
        f"{over:,} {'owes' if over == 1 else 'owe'} more than it.</p>"
    )


def _signed(value) -> str:
    return NA if value is None or pd.isna(value) else f"{float(value):+.1f}"


def customer_credit_html(review: Review, customer_id: str) -> tuple[list[tuple[str, str]], str]:
    """A customer's credit facts for the drill-down, as (label, value) pairs, and the HTML of
    its late charges (overdue items with interest at the policy's rate, and their total)."""
    scores = review.scores[review.scores["customer_id"] == customer_id]
    s = scores.iloc[0] if len(scores) else None
    holds = review.holds[review.holds["customer_id"] == customer_id]
    limit = None if s is None or pd.isna(s["credit_limit_cents"]) else int(s["credit_limit_cents"])
    used = None if s is None or pd.isna(s["utilisation"]) else float(s["utilisation"])
    unscored = na_text(review.ledger) or "unscored"  # without the history: n/a and why
    facts = [
        (
            "Payment score",
            unscored if s is None or pd.isna(s["score"]) else format_ratio(float(s["score"])),
        ),
        (
            "Score trend 3 / 12 months",
            na_text(review.ledger)
            or (NA if s is None else f"{_signed(s['trend_3m'])} / {_signed(s['trend_12m'])}"),
        ),
        ("Credit limit", "none (not vetted)" if limit is None else format_cents(limit)),
        (
            "Limit used",
            NA if used is None or math.isnan(used) else format_ratio(used, percent=True),
        ),
        ("On credit hold", f"yes: {holds['reasons'].iloc[0]}" if len(holds) else "no"),
    ]
    return facts, late_charges_html(review, customer_id)


def late_charges_html(review: Review, customer_id: str) -> str:
    """A customer's overdue items with interest at the policy's rate, and what is due in all
    (disputed items accrue nothing and are left out of the total)."""
    charges = review.late_charges
    mine = charges[charges["customer_id"] == customer_id]
    rate = format_ratio(charges.attrs.get("annual_rate", float("nan")), percent=True)
    totals = late_charge_totals(mine)
    due = totals.iloc[0] if len(totals) else None
    summary = (
        "nothing overdue"
        if due is None
        else (
            f"interest {format_cents(int(due['interest_cents']))}, fees "
            f"{format_cents(int(due['fee_cents']))}, total due "
            f"{format_cents(int(due['total_due_cents']))}"
        )
    )
    shown = mine.drop(columns="customer_id").assign(
        disputed=mine["disputed"].map({True: "disputed", False: ""})
    )
    return (
        f'<div class="arbook-late-charges" data-total-due="'
        f'{0 if due is None else int(due["total_due_cents"])}">'
        f"{_section(f'Late charges at the policy rate of {rate} a year: {summary}')}"
        f"{table_html(shown, total=True, max_rows=100, titles=CHARGE_TITLES)}</div>"
    )


# -- the tab -----------------------------------------------------------------------------------


def _box(cls: str) -> w.HTML:
    box = w.HTML()
    box.add_class(cls)
    return box


class CreditTab:
    """The widgets of the Credit tab; :meth:`render` fills them from a review. ``chart(name,
    make, box, as_of_only=...)`` is the dashboard's way of showing a chart (made once, then
    updated in place, clicks observed)."""

    def __init__(self):
        self.facts = _box("arbook-credit-facts")
        self.scores = w.VBox()
        self.utilisation_note = w.HTML()
        self.utilisation = w.VBox([self.utilisation_note])
        self.utilisation.add_class("arbook-utilisation")
        self.holds = _box("arbook-holds")
        self.not_vetted = _box("arbook-not-vetted")
        charts = w.HBox(
            [self.scores, self.utilisation],
            layout={"flex_flow": "row wrap", "align_items": "flex-start"},
        )
        self.ship = ShipBox()
        self.widget = w.VBox([self.facts, self.ship.widget, charts, self.holds, self.not_vetted])
        self.widget.add_class("arbook-credit")

    def render(self, review: Review, chart) -> None:
        policy = resolve_policy(review.ledger.policy).credit
        self.facts.value = facts_html(review)
        self.ship.render(review)
        chart(
            "scores",
            lambda: scores_chart(
                review.scores, floor=policy.score_floor, raise_at=policy.raise_score
            ),
            self.scores,
            as_of_only=True,
        )
        chart(
            "utilisation",
            lambda: utilisation_chart(review.scores),
            self.utilisation,
            as_of_only=True,
        )
        self.utilisation_note.value = utilisation_note(review)
        self.holds.value = holds_html(review)
        self.not_vetted.value = not_vetted_html(review)


__all__ = [
    "CreditTab",
    "customer_credit_html",
    "late_charges_html",
    "score_bands",
    "scores_chart",
    "utilisation_chart",
]
