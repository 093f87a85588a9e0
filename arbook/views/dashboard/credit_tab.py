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
from arbook.core.dates import format_count
from arbook.core.i18n import N_, _, ngettext, pgettext
from arbook.credit.penalties import late_charge_totals
from arbook.measures.history import na_text
from arbook.views.dashboard.ship_box import ShipBox
from arbook.views.format import NA, format_cents, format_ratio
from arbook.views.html import esc, table_html
from arbook.workbook.review import Review

#: Width of a score band in the distribution chart (points of 0-100).
BAND = 10
UNSCORED = N_("unscored")
#: Customers shown in the utilisation chart (the highest use of their limit first).
UTILISATION_TOP = 20
#: The score chart's groups (translated where shown) and their colours.
BELOW_FLOOR, FAIR, GOOD = N_("below the hold floor"), N_("fair"), N_("good (limit may rise)")
GROUP_COLOURS = {
    BELOW_FLOOR: "#d9534f",
    FAIR: "#f2c14e",
    GOOD: "#4c9f70",
    UNSCORED: "#b8c4d6",
}
OVER, WITHIN = N_("over the limit"), N_("within it")
HOLD_TITLES = {
    "customer_id": N_("customer"),
    "name": N_("name"),
    "reasons": N_("why on hold"),
    "exposure_cents": N_("owed"),
    "credit_limit_cents": N_("credit limit"),
    "oldest_days_overdue": N_("oldest overdue (days)"),
    "score": N_("score"),
}
NOT_VETTED_TITLES = {
    "customer_id": N_("customer"),
    "name": N_("name"),
    "exposure_cents": N_("owed"),
}


def _titles(titles: dict[str, str]) -> dict[str, str]:
    return {k: _(v) for k, v in titles.items()}


def charge_titles() -> dict[str, str]:
    """The late-charges table's column titles in the language spoken."""
    return {
        "document_id": _("document"),
        "due_date": pgettext("a date", "due"),
        "outstanding_cents": _("overdue"),
        "days_overdue": _("days overdue"),
        "disputed": _("disputed"),
        "interest_cents": _("interest"),
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
            "group": _(
                BELOW_FLOOR if (k + 1) * BAND <= floor else GOOD if k * BAND >= raise_at else FAIR
            ),
        }
        for k in range(bands)
    ]
    unscored = _(UNSCORED)
    rows.append(
        {"band": unscored, "customers": int(score.isna().sum()), "order": bands, "group": unscored}
    )
    return pd.DataFrame(rows)


def scores_chart(scores: pd.DataFrame, *, floor: float, raise_at: float) -> alt.Chart:
    """Bars: how many customers score in each band of :data:`BAND` points."""
    frame = score_bands(scores, floor=floor, raise_at=raise_at)
    groups = [_(g) for g in GROUP_COLOURS]
    score_title, customers_title = _("Score"), _("Customers")
    return (
        alt.Chart(frame, title=_("Payment scores: customers per band (100 = pays early)"))
        .mark_bar()
        .encode(
            x=alt.X(
                "band:N", sort=list(frame["band"]), title=score_title, axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("customers:Q", title=customers_title, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "group:N",
                title=None,
                sort=groups,
                scale=alt.Scale(domain=groups, range=list(GROUP_COLOURS.values())),
            ),
            tooltip=[
                alt.Tooltip("band:N", title=score_title),
                alt.Tooltip("customers:Q", title=customers_title),
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
            "over": (head["utilisation"] > 1).map({True: _(OVER), False: _(WITHIN)}),
        }
    )
    pick = alt.selection_point(name="pick", fields=["customer_id"], on="click")
    title = ngettext(
        "Use of credit limits: the {count} highest",
        "Use of credit limits: the {count} highest",
        len(frame),
    ).format(count=format_count(len(frame)))
    return (
        alt.Chart(frame, title=title)
        .mark_bar(cursor="pointer")
        .encode(
            y=alt.Y("customer:N", sort=list(frame["customer"]), title=None),
            x=alt.X("utilisation:Q", title=_("Owed / credit limit"), axis=alt.Axis(format="%")),
            color=alt.Color(
                "over:N",
                title=None,
                scale=alt.Scale(domain=[_(OVER), _(WITHIN)], range=["#d9534f", "#9fb7d3"]),
            ),
            detail="customer_id:N",
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)),
            tooltip=[
                alt.Tooltip("customer:N", title=_("Customer")),
                alt.Tooltip("owed:Q", title=_("Owed"), format=",.2f"),
                alt.Tooltip("limit:Q", title=_("Credit limit"), format=",.2f"),
                alt.Tooltip("utilisation:Q", title=_("Used"), format=".0%"),
            ],
        )
        .add_params(pick)
        .properties(width=420, height=max(120, 20 * len(frame)))
    )


# -- HTML --------------------------------------------------------------------------------------


def _section(title: str) -> str:
    return f'<div class="arbook-section">{esc(title)}</div>'


def _owing(count: int, cents: int) -> str:
    return ngettext("{count} owing {amount}", "{count} owing {amount}", count).format(
        count=format_count(count), amount=format_cents(cents)
    )


def facts_html(review: Review) -> str:
    """One line: customers on hold and what they owe, customers not vetted, scored customers."""
    holds, vetted, scores = review.holds, review.not_vetted, review.scores
    facts = [
        (_("On credit hold"), _owing(len(holds), int(holds["exposure_cents"].sum()))),
        (
            _("Owing without a credit limit"),
            _owing(len(vetted), int(vetted["exposure_cents"].sum())),
        ),
        (
            _("Customers scored"),
            na_text(review.ledger)
            or _("{scored} of {total}").format(
                scored=format_count(int(scores["score"].notna().sum())),
                total=format_count(len(scores)),
            ),
        ),
    ]
    cells = "".join(f"<div>{esc(k)}<br><b>{esc(v)}</b></div>" for k, v in facts)
    return f'<div class="arbook arbook-facts">{cells}</div>'


def holds_html(review: Review) -> str:
    holds = review.holds  # largest exposure first
    title = _("On credit hold ({count})").format(count=format_count(len(holds)))
    return (
        f'<div class="arbook">{_section(title)}'
        f"{table_html(holds, total=True, max_rows=200, titles=_titles(HOLD_TITLES))}</div>"
    )


def not_vetted_html(review: Review) -> str:
    frame = review.not_vetted
    note = _(
        "Customers who owe money but have no credit limit on file: set one (or decide not "
        "to) before more goods go out."
    )
    title = _("Owing without a credit limit ({count})").format(count=format_count(len(frame)))
    table = table_html(frame, total=True, max_rows=200, titles=_titles(NOT_VETTED_TITLES))
    return (
        f'<div class="arbook">{_section(title)}<p class="arbook-note">{esc(note)}</p>{table}</div>'
    )


def utilisation_note(review: Review) -> str:
    scores = review.scores
    frame = scores[scores["credit_limit_cents"].notna()]
    over = int((frame["exposure_cents"] > frame["credit_limit_cents"]).sum())
    limits = ngettext(
        "{count} customer has a credit limit", "{count} customers have a credit limit", len(frame)
    ).format(count=format_count(len(frame)))
    above = ngettext("{count} owes more than it", "{count} owe more than it", over).format(
        count=format_count(over)
    )
    text = _("{limits}; {above}.").format(limits=limits, above=above)
    return f'<p class="arbook arbook-note">{esc(text)}</p>'


def _signed(value) -> str:
    if value is None or pd.isna(value):
        return _(NA)
    number = float(value)
    return ("-" if number < 0 else "+") + format_ratio(abs(number), digits=1)


def customer_credit_html(review: Review, customer_id: str) -> tuple[list[tuple[str, str]], str]:
    """A customer's credit facts for the drill-down, as (label, value) pairs, and the HTML of
    its late charges (overdue items with interest at the policy's rate, and their total)."""
    scores = review.scores[review.scores["customer_id"] == customer_id]
    s = scores.iloc[0] if len(scores) else None
    holds = review.holds[review.holds["customer_id"] == customer_id]
    limit = None if s is None or pd.isna(s["credit_limit_cents"]) else int(s["credit_limit_cents"])
    used = None if s is None or pd.isna(s["utilisation"]) else float(s["utilisation"])
    unscored = na_text(review.ledger) or _(UNSCORED)  # without the history: n/a and why
    facts = [
        (
            _("Payment score"),
            unscored if s is None or pd.isna(s["score"]) else format_ratio(float(s["score"])),
        ),
        (
            _("Score trend 3 / 12 months"),
            na_text(review.ledger)
            or (
                _(NA)
                if s is None
                else _("{three} / {twelve}").format(
                    three=_signed(s["trend_3m"]), twelve=_signed(s["trend_12m"])
                )
            ),
        ),
        (_("Credit limit"), _("none (not vetted)") if limit is None else format_cents(limit)),
        (
            _("Limit used"),
            _(NA) if used is None or math.isnan(used) else format_ratio(used, percent=True),
        ),
        (
            _("On credit hold"),
            _("yes: {reasons}").format(reasons=holds["reasons"].iloc[0]) if len(holds) else _("no"),
        ),
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
        _("nothing overdue")
        if due is None
        else _("interest {interest}, fees {fees}, total due {total}").format(
            interest=format_cents(int(due["interest_cents"])),
            fees=format_cents(int(due["fee_cents"])),
            total=format_cents(int(due["total_due_cents"])),
        )
    )
    shown = mine.drop(columns="customer_id").assign(
        disputed=mine["disputed"].map({True: _("disputed"), False: ""})
    )
    title = _("Late charges at the policy rate of {rate} a year: {summary}").format(
        rate=rate, summary=summary
    )
    return (
        f'<div class="arbook-late-charges" data-total-due="'
        f'{0 if due is None else int(due["total_due_cents"])}">'
        f"{_section(title)}"
        f"{table_html(shown, total=True, max_rows=100, titles=charge_titles())}</div>"
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
