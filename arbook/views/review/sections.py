"""The sections of the monthly review notebook (``arbook/notebooks/monthly_review.ipynb``).

Each section function takes a :class:`~arbook.workbook.review.Review` and returns the parts to show,
in order: ``IPython.display.HTML`` fragments and ``IPython.display.SVG`` charts (static, rendered by
vl-convert, so the report needs no JavaScript and no network). A notebook cell is then one line,
``show(headline(review))``, and the same parts can be built without a kernel (tests, benchmarks).
"""

from __future__ import annotations

from pathlib import Path

from IPython.display import HTML, SVG, display

from arbook.core.config import resolve_policy
from arbook.core.errors import format_issue
from arbook.core.ledger import read_ledger
from arbook.views import charts
from arbook.views.format import days_title, format_cents
from arbook.views.html import CSS, esc, issues_banner, kpi_tiles, na_note, table_html
from arbook.workbook.paths import data_source
from arbook.workbook.review import NO_TREND, Review, build_review

#: Data issues listed in full at the end of the report; the rest are counted.
ISSUES_SHOWN = 50


def open_review(
    data: str,
    as_of: str,
    *,
    policy: str = "",
    basis: str = "",
    edges: str = "",
    cost_of_capital=None,
    preset: str = "",
    log: str = "",
) -> Review:
    """The review of the ledger in folder ``data`` (with ``preset``: the export file ``data``
    in that layout) as of the month end ``as_of``. Blank ``policy``/``basis``/``edges`` mean the
    policy's defaults; bad values raise one ParameterError (or DataError for a folder or file
    that cannot be read). What is in dispute counts the disputes of the contact ``log`` (a
    SQLite file or a database URL; blank: the client's, found as every command finds it,
    :func:`arbook.collections.contacts.log_location`; none started, or no data folder and no
    ``$ARBOOK_LOG``: the data's flags alone); the log stays open with the review."""
    from arbook.collections.contacts import open_log

    source = data_source(data, preset=preset or None)
    ledger = read_ledger(source, policy=policy or None, preset=preset or None)
    return build_review(
        ledger,
        as_of,
        basis=basis or None,
        edges=edges or None,
        cost_of_capital=cost_of_capital,
        log=open_log(str(log or "") or None, folder=ledger.folder),
    )


def show(parts: list) -> None:
    """Display each part (HTML or SVG) in the notebook."""
    display(*parts)


def _html(fragment: str) -> HTML:
    return HTML(fragment)


def _svg(chart) -> SVG:
    return SVG(charts.to_svg(chart))


def _note(text: str) -> HTML:
    return HTML(f'<p class="arbook arbook-note">{esc(text)}</p>')


def title(review: Review, *, client: str = "", data: str = "") -> list:
    """The report's title: client (or the data folder's name), month end and the settings."""
    s = review.settings
    name = client or Path(data).name or "Receivables"
    rate = f"{s.cost_of_capital:.1%}"
    # The stylesheet goes out once, with the title; later sections rely on it.
    return [
        _html(
            CSS
            + f'<div class="arbook"><h1>{esc(name)}: receivables review, {esc(s.as_of.date())}</h1>'
            f'<p class="arbook-note">Buckets by {esc(days_title(s.basis))} '
            f"({esc(', '.join(s.labels))}); overdue counts from the due date; cost of capital "
            f"{esc(rate)} a year.</p></div>"
        )
    ]


def data_banner(review: Review) -> list:
    """One line counting the data issues (details in :func:`data_issues`)."""
    return [_html(issues_banner(review.issues))]


def _na(reason: str | None) -> list:
    """The n/a note with its reason, as a list of parts (none when there is no reason)."""
    return [_html(na_note(reason))] if reason else []


def headline(review: Review) -> list:
    """The KPI tiles (against last month and a year ago) and the 12-month trend chart; without
    the history, the reason instead of the chart."""
    if not review.has_history:
        return [_html(kpi_tiles(review.kpis)), *_na(review.why_na(NO_TREND))]
    return [_html(kpi_tiles(review.kpis)), _svg(charts.trend(review.trend))]


BUCKET_TITLES = {"now_cents": "Now", "previous_cents": "A month ago", "change_cents": "Change"}


def bucket_titles(basis: str) -> dict[str, str]:
    """The aging table's titles: the bucket column says what its days count."""
    return {"bucket": days_title(basis).capitalize(), **BUCKET_TITLES}


def aging(review: Review) -> list:
    """Aging now against a month ago (chart and table), then the largest balances by bucket."""
    labels = review.settings.labels
    table = _html(table_html(review.buckets, titles=bucket_titles(review.settings.basis)))
    by_customer = _svg(
        charts.aging_by_customer(review.summary, labels, basis=review.settings.basis)
    )
    if not review.has_history:
        return [*_na(review.why_na("The aging a month ago")), table, by_customer]
    return [
        _svg(charts.bucket_change(review.buckets, labels, basis=review.settings.basis)),
        table,
        by_customer,
    ]


def roll_rates(review: Review) -> list:
    """Month-end roll rates over the last 12 months: chart and table."""
    if not review.has_history:
        return _na(review.why_na("Roll rates"))
    return [_svg(charts.roll_rates(review.rolls)), _html(table_html(review.rolls))]


ALLOWANCE_TITLES = {
    "bucket": "Bucket",
    "balance_cents": "Balance",
    "aging_loss_rate": "Loss rate (aging)",
    "aging_allowance_cents": "Allowance (aging)",
    "roll_rate": "Average roll rate",
    "roll_loss_rate": "Loss rate (roll rates)",
    "roll_allowance_cents": "Allowance (roll rates)",
}


def allowance(review: Review) -> list:
    """The allowance for doubtful accounts by the aging method and the roll-rate method."""
    frame = review.allowance
    if frame.empty:
        return [
            _note(
                "No allowance: the policy has no loss rate for every bucket of these "
                "edges. Add them under [allowance.loss_rates] in the policy file."
            )
        ]
    total = frame[frame["bucket"] == "total"].iloc[0]
    text = (
        f"Aging method: {format_cents(total['aging_allowance_cents'])}; roll-rate method: "
        f"{format_cents(total['roll_allowance_cents'])}."
    )
    why = _na(review.why_na("The allowance by the roll-rate method"))
    return [_note(text), *why, _html(table_html(frame, titles=ALLOWANCE_TITLES))]


def movers(review: Review) -> list:
    """Customers whose oldest debt moved to a worse bucket during the month."""
    frame = review.movers
    if not review.has_history:
        return _na(review.why_na("Who moved to a worse bucket this month"))
    if frame.empty:
        return [_note("No customer moved to a worse bucket this month.")]
    return [_html(table_html(frame, titles={"overdue_cents": "Overdue now"}))]


def top_overdue(review: Review) -> list:
    """The ten largest overdue balances with how those customers pay."""
    return [
        *_na(review.why_na("How these customers pay (days to pay, days beyond terms)")),
        _html(
            table_html(
                review.top_overdue,
                titles={
                    "avg_days_to_pay": "avg days to pay",
                    "days_beyond_terms": "days beyond terms",
                    "share_paid_late": "share paid late",
                },
            )
        ),
    ]


def carrying(review: Review, *, top: int = 10) -> list:
    """You are their bank: what financing today's overdue balance costs a year, what it has
    cost so far, the chart and the top customers."""
    frame = review.carrying
    yearly = int(frame["yearly_cost_cents"].sum())
    accrued = int(frame["carrying_cost_cents"].sum())
    owed = int(frame["overdue_cents"].sum())
    text = (
        f"Financing today's {format_cents(owed)} overdue costs {format_cents(yearly)} a year at "
        f"{review.settings.cost_of_capital:.1%}; it has cost {format_cents(accrued)} so far."
    )
    if frame.empty:
        return [_note(text)]
    return [
        _note(text),
        _svg(charts.carrying_cost(frame, top=top)),
        _html(table_html(frame.drop(columns="cent_days"), total=True, max_rows=top)),
    ]


CREDIT_TITLES = {
    "customer_id": "customer",
    "reasons": "why on hold",
    "exposure_cents": "owed",
    "credit_limit_cents": "credit limit",
    "suggested_limit_cents": "suggested limit",
    "change_cents": "change",
    "oldest_days_overdue": "oldest overdue (days)",
    "score_3m": "score 3 months ago",
    "trend_3m": "change",
}
#: Customers listed in each direction of the score movers.
MOVERS_SHOWN = 10


def _heading(text: str) -> HTML:
    return HTML(f'<h3 class="arbook">{esc(text)}</h3>')


def _table(frame, text_if_empty: str, *, titles: dict | None = None, **kw) -> HTML:
    return (
        _note(text_if_empty)
        if frame.empty
        else _html(table_html(frame, titles={**CREDIT_TITLES, **(titles or {})}, **kw))
    )


def credit(review: Review, *, top: int = MOVERS_SHOWN) -> list:
    """Credit control (SPEC §5): holds placed and lifted since last month, the customers whose
    payment score moved most in three months (both ways), the limit changes the periodic review
    suggests and the customers owing without a credit limit."""
    now, before = review.holds, review.holds_before
    added, lifted = review.holds_added, review.holds_lifted
    scores = review.scores[review.scores["trend_3m"].notna()]
    cols = ["customer_id", "name", "score", "score_3m", "trend_3m", "exposure_cents"]
    falls = scores[scores["trend_3m"] < 0].nsmallest(top, "trend_3m")[cols]
    rises = scores[scores["trend_3m"] > 0].nlargest(top, "trend_3m")[cols]
    limits = review.credit_review
    limits = limits[limits["change_cents"] != 0].sort_values(
        ["change_cents", "customer_id"],
        key=lambda c: c.abs() if c.name == "change_cents" else c,
        ascending=[False, True],
        kind="stable",
    )
    vetted = review.not_vetted
    if not review.has_history:
        return _credit_without_history(review, limits, vetted)
    return [
        _note(
            f"{len(now):,} customers on credit hold, owing "
            f"{format_cents(int(now['exposure_cents'].sum()))}; a month ago {len(before):,}."
        ),
        _heading(f"Put on hold this month ({len(added):,})"),
        _table(added, "No customer went on hold this month.", total=True),
        _heading(f"Hold lifted this month ({len(lifted):,})"),
        _table(
            lifted,
            "No hold was lifted this month.",
            titles={"reasons": "why it was on hold", "exposure_cents": "owed a month ago"},
        ),
        _heading("Payment scores falling most (three months)"),
        _table(falls, "No customer's score fell."),
        _heading("Payment scores rising most (three months)"),
        _table(rises, "No customer's score rose."),
        _heading(f"Credit limits to change ({len(limits):,})"),
        _table(
            limits, "The limit review suggests no change.", max_rows=30, titles={"reasons": "why"}
        ),
        _heading(f"Owing without a credit limit ({len(vetted):,})"),
        _table(vetted, "Every customer who owes money has a credit limit.", total=True),
    ]


def _credit_without_history(review: Review, limits, vetted) -> list:
    """:func:`credit` of a ledger of open items only: the holds at the report's date (by limit
    and days overdue), the reasons holds over time and scores are n/a, the limits and the
    customers without one."""
    now = review.holds
    return [
        _note(
            f"{len(now):,} customers on credit hold, owing "
            f"{format_cents(int(now['exposure_cents'].sum()))}."
        ),
        _table(now, "No customer is on credit hold.", total=True),
        *_na(review.why_na("Holds put on and lifted this month")),
        _heading("Payment scores"),
        *_na(review.why_na("Payment scores")),
        _heading(f"Credit limits to change ({len(limits):,})"),
        _table(
            limits, "The limit review suggests no change.", max_rows=30, titles={"reasons": "why"}
        ),
        _heading(f"Owing without a credit limit ({len(vetted):,})"),
        _table(vetted, "Every customer who owes money has a credit limit.", total=True),
    ]


def data_issues(review: Review, *, limit: int = ISSUES_SHOWN) -> list:
    """The first ``limit`` data issues, one line each (``file:line: code: message. hint``)."""
    issues = review.issues
    if issues.empty:
        return [_note("No data issues: every row of the files was used.")]
    lines = [format_issue(row) for row in issues.head(limit).itertuples(index=False)]
    more = len(issues) - len(lines)
    tail = f"\n… and {more:,} more (run `arbook check` to list them all)." if more > 0 else ""
    return [_html(f'<pre class="arbook arbook-note">{esc(chr(10).join(lines) + tail)}</pre>')]


COLLECTION_TITLES = {
    "customer_id": "customer",
    "promise_cents": "promised",
    "promise_date": "promised for",
    "made_at": "made",
    "paid_cents": "paid",
    "first_contact": "first contact",
    "collected_cents": "paid after contact",
    "step_days": "step (days overdue)",
    "days_on_step": "days on the step",
    "oldest_days": "oldest overdue (days)",
    "overdue_cents": "overdue",
}


def collections(review: Review, log=None) -> list:
    """Collections (SPEC §7) in the month: contacts made (by channel and outcome), promises
    made and whether they were kept, what contacted customers paid after the contact, and the
    customers stuck on a ladder step (:func:`arbook.collections.activity.collection_summary`).
    ``log`` is a contact log, or where it is (a SQLite file or a database URL; blank: the
    review's own log, else the client's, found as every command finds it,
    :func:`arbook.collections.contacts.find_log`). Without one, a sentence says so and only the
    stuck customers are shown."""
    from arbook.collections.activity import collection_summary
    from arbook.collections.contacts import ContactLog, open_log

    if not review.has_history:  # promises kept and who stayed stuck need the payments
        return _na(
            review.why_na(
                "The collectors' month (promises kept, cash after contact, "
                "customers stuck on a step)"
            )
        )
    if not log and isinstance(review.log, ContactLog):  # the log the review counts disputes by
        log = review.log
    if not isinstance(log, ContactLog):
        opened = open_log(str(log or "") or None, folder=review.ledger.folder)
        if opened is None:
            return _collections(review, None, collection_summary)
        with opened:
            return _collections(review, opened, collection_summary)
    return _collections(review, log, collection_summary)


def _collections(review: Review, log, collection_summary) -> list:
    s = collection_summary(review.ledger, review.as_of, log)
    stuck = s["stuck"]
    from_days = resolve_policy(review.ledger.policy).collections.stuck_from_days
    parts = [
        _heading(f"Stuck on a ladder step for the month ({len(stuck):,})"),
        _table(
            stuck,
            f"No customer stayed on a step of {from_days} days overdue or more all month.",
            titles=COLLECTION_TITLES,
            total=True,
        ),
    ]
    if log is None:
        return [
            _note(
                "No contact log was found, so contacts, promises and cash collected "
                "after contact are not shown."
            )
        ] + parts
    promises = s["promises"].drop(columns="made_at")
    return [
        _note(
            f"{s['contacts']:,} contacts with {s['customers_contacted']:,} customers this "
            f"month; {len(promises):,} promises made: {s['kept']:,} kept, {s['broken']:,} "
            f"broken, {s['open']:,} open. Customers contacted paid "
            f"{format_cents(s['collected_cents'])} after the contact."
        ),
        _heading("Contacts by channel"),
        _table(s["by_channel"], "No contact was logged this month."),
        _heading("Contacts by outcome"),
        _table(s["by_outcome"], "No contact was logged this month."),
        _heading("Promises made this month"),
        _table(s["promise_status"], "No promise was made this month.", titles=COLLECTION_TITLES),
        _table(promises, "No promise was made this month.", titles=COLLECTION_TITLES, max_rows=30),
        _heading("Paid after contact"),
        _table(
            s["collected"],
            "No customer contacted this month paid after the contact.",
            titles=COLLECTION_TITLES,
            total=True,
            max_rows=30,
        ),
    ] + parts


#: Every section after the title, in report order (for callers that render them all).
SECTIONS = (
    data_banner,
    headline,
    aging,
    roll_rates,
    allowance,
    movers,
    top_overdue,
    carrying,
    credit,
    data_issues,
)


def all_parts(review: Review, *, client: str = "", data: str = "") -> list:
    """Every part of the report, title first (what the notebook shows, without a kernel)."""
    parts = title(review, client=client, data=data)
    for section in SECTIONS:
        parts += section(review)
    return parts


__all__ = [
    "ISSUES_SHOWN",
    "SECTIONS",
    "aging",
    "all_parts",
    "allowance",
    "carrying",
    "collections",
    "credit",
    "data_banner",
    "data_issues",
    "headline",
    "movers",
    "open_review",
    "roll_rates",
    "show",
    "title",
    "top_overdue",
]
