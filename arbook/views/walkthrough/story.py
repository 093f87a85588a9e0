"""The consultant's walkthrough as sentences: the seeds' method for taking control of
receivables told with the client's own numbers. Each ``story_*`` function takes a
:class:`~arbook.workbook.review.Review` and returns an HTML fragment (sentences, a table, the
numbers formatted by ``views/format``); customer names are escaped. The charts come as
self-contained SVG text. Every number is the review's: the same total receivable, overdue,
carrying cost and chase order as the dashboard, the worklist and the monthly review.

1. :func:`story_owed` what you are owed, by whom, how late;
2. :func:`story_cost` what that costs you: carrying cost, DSO against best possible DSO, CEI;
3. :func:`story_chase` who to chase first and why (the worklist's ranking,
   :func:`arbook.collections.chase_ranking`);
4. :func:`story_policy` where the credit and collection policy is missing, with next steps;
   :func:`story_applicant` a new applicant scored before credit; :func:`story_discount` what an
   early-payment discount would have done with the client's own customers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from arbook.credit.application import sample_application, score_application
from arbook.credit.discounts import DiscountSimulation, simulate_discount
from arbook.views import charts
from arbook.views.credit.decision import decision_html
from arbook.views.credit.discount import net_benefit_chart, summary_html
from arbook.views.format import NA, days_title, format_cents, format_date, format_ratio
from arbook.views.html import CSS, esc, issues_banner, kpi_tiles, table_html
from arbook.workbook.analytics import NET, RECEIVABLE
from arbook.workbook.findings import policy_findings
from arbook.workbook.review import Review

#: Customers shown, each with its reasons, in :func:`story_chase`.
CHASE_SHOWN = 5
#: How the aging table's rows after the buckets read.
BUCKET_ROWS = {
    RECEIVABLE: "Total receivable",
    "unapplied": "Credits and unapplied cash",
    NET: "Net receivable",
}


def _money(cents) -> str:
    return format_cents(int(cents))


def _pct(value) -> str:
    return format_ratio(value, percent=True)


def _days(value) -> str:
    return format_ratio(value, digits=1)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else math.nan


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _kpi(review: Review, key: str, column: str = "value") -> float:
    kpis = review.kpis.set_index("kpi")
    return float(kpis.at[key, column])


def _block(*parts: str) -> str:
    return f'{CSS}<div class="arbook arbook-story">{"".join(parts)}</div>'


def story_title(review: Review, *, client: str = "", data: str = "") -> str:
    """The heading: client (or the data folder), as-of date, cost of capital, and the data-issues
    banner (rows with errors are kept out of every figure)."""
    who = client.strip() or str(data).strip() or "your receivables"
    s = review.settings
    return _block(
        f"<h2>Receivables walkthrough: {esc(who)}</h2>",
        f'<p class="arbook-note">As of {format_date(s.as_of)}; buckets by '
        f"{esc(days_title(s.basis))}, overdue from the due date; cost of capital "
        f"{_pct(s.cost_of_capital)} a year.</p>",
        issues_banner(review.issues),
    )


def _aging_table(review: Review) -> str:
    frame = review.buckets.assign(bucket=review.buckets["bucket"].replace(BUCKET_ROWS))
    titles = {
        "bucket": days_title(review.settings.basis).capitalize(),
        "now_cents": "now",
        "previous_cents": "a month ago",
        "change_cents": "change",
    }
    return table_html(frame, titles=titles)


def story_owed(review: Review) -> str:
    """Section 1: how much is owed, by how many customers, how much of it late and how late,
    who owes the most, and the change since last month; the aging table follows."""
    t = review.totals
    owed, overdue = t.receivable_cents, t.overdue_cents
    if owed == 0:
        return _block(f"<p>As of {format_date(review.as_of)} nobody owes you anything.</p>")
    owing = review.summary[review.summary["receivable_cents"] > 0].sort_values(
        ["receivable_cents", "customer_id"], ascending=[False, True], kind="stable"
    )
    top, top5 = owing.iloc[0], int(owing["receivable_cents"].head(5).sum())
    row = review.buckets.set_index("bucket").loc[RECEIVABLE]
    known = not pd.isna(row["change_cents"])  # not known on open items only: n/a and why
    change = int(row["change_cents"]) if known else 0
    lines = [
        f"As of {format_date(review.as_of)}, <b>{len(owing):,}</b> customers owe you "
        f"<b>{_money(owed)}</b> (total receivable).",
        f"<b>{_money(overdue)}</b> of it ({_pct(_share(overdue, owed))}) is past due; "
        f"{_money(t.over_60_cents)} ({_pct(_share(t.over_60_cents, owed))}) is more than "
        f"60 days late and {_money(t.over_90_cents)} "
        f"({_pct(_share(t.over_90_cents, owed))}) more than 90 days late.",
        f"The five largest debtors owe {_money(top5)} ({_pct(_share(top5, owed))} of the "
        f"total); the largest, <b>{esc(top['name'])}</b>, owes "
        f"{_money(top['receivable_cents'])}.",
        f"{review.why_na('What you were owed a month ago')}."
        if not known
        else f"A month ago you were owed {_money(row['previous_cents'])}: "
        f"{'up' if change > 0 else 'down'} {_money(abs(change))}."
        if change
        else "That is the same as a month ago.",
    ]
    if t.disputed_cents:
        lines.append(
            f"{_money(t.disputed_cents)} of what is owed is on invoices in dispute: still owed, "
            "but not chased until each dispute is settled."
        )
    if t.unapplied_cents:
        lines.append(
            f"Credits and unapplied cash of {_money(-t.unapplied_cents)} are not in these "
            f"figures (net receivable {_money(t.net_cents)}); they should be applied to "
            "invoices or refunded."
        )
    return _block("<p>" + " ".join(lines) + "</p>", _aging_table(review))


def story_cost(review: Review) -> str:
    """Section 2: you are their bank. What financing today's overdue balance costs a year at
    the client's cost of capital (the headline), what it has cost so far, and who costs most;
    count-back DSO against best possible DSO (the gap is the average days delinquent); the
    month's CEI; then the KPI tiles."""
    rate = review.settings.cost_of_capital
    carrying = review.carrying
    yearly = int(carrying["yearly_cost_cents"].sum())
    accrued = int(carrying["carrying_cost_cents"].sum())
    overdue = review.totals.overdue_cents
    dso, best, add = (_kpi(review, k) for k in ("dso_countback", "best_possible_dso", "add"))
    cei = _kpi(review, "cei")
    parts = [
        f"<p>You are your customers' bank. They hold <b>{_money(overdue)}</b> that is past "
        f"due, a loan they never asked you for and pay no interest on. At your cost of "
        f"capital of {_pct(rate)} a year, financing that balance costs you <b>{_money(yearly)}"
        f" a year</b>; what is overdue today has already cost you {_money(accrued)} since it "
        "fell due."
    ]
    if len(carrying) and yearly:
        first = carrying.iloc[0]
        parts.append(
            f" The most expensive customer is <b>{esc(first['name'])}</b>: "
            f"{_money(first['overdue_cents'])} overdue for "
            f"{_days(first['avg_days_overdue'])} days on average costs "
            f"{_money(first['yearly_cost_cents'])} a year "
            f"({_pct(_share(int(first['yearly_cost_cents']), yearly))} of the total)."
        )
    parts.append("</p><p>")
    if np.isfinite(dso):
        parts.append(
            f"Your customers take <b>{_days(dso)} days</b> to pay (count-back DSO: the "
            "days of recent sales still unpaid). "
        )
    else:
        parts.append(
            (
                review.why_na("DSO")
                or "DSO: n/a (the data does not reach back far enough to cover what is owed)"
            )
            + ". "
        )
    if np.isfinite(best):
        parts.append(
            f"If every customer paid exactly on terms it would be <b>{_days(best)} "
            f"days</b> (best possible DSO)"
        )
        parts.append(
            f", so customers pay on average <b>{_days(add)} days late</b> (average "
            "days delinquent). "
            if np.isfinite(add)
            else ". "
        )
    if np.isfinite(cei):
        parts.append(
            f"Of what you could have collected in {review.as_of.strftime('%B %Y')} "
            f"(owed at the start of the month plus the month's sales, less what is not "
            f"yet due), you collected <b>{_pct(cei)}</b> (CEI); 100% would mean every "
            "invoice due was paid."
        )
    else:
        parts.append(
            (review.why_na("CEI") + ".")
            if not review.has_history
            else f"CEI is {NA} for {review.as_of.strftime('%B %Y')} (no month before it "
            "in the data, or nothing was collectible)."
        )
    return _block("".join(parts) + "</p>", kpi_tiles(review.kpis))


def chase_table(review: Review) -> pd.DataFrame:
    """The customers to chase, in the worklist's order (:attr:`Review.chase`, those with
    undisputed debt past due), with their payment record and what carrying them costs a year:
    ``rank, customer_id, name, overdue_cents, disputed_cents, oldest_days, score,
    days_beyond_terms, share_paid_late, yearly_cost_cents, rank_amount, rank_age``."""
    chase = review.chase
    frame = chase[chase["overdue_cents"] > 0].reset_index(drop=True)
    behaviour = review.behaviour.set_index("customer_id")
    ids = frame["customer_id"]
    for column in ("days_beyond_terms", "share_paid_late"):
        frame[column] = behaviour[column].reindex(ids).to_numpy(dtype=float)
    cost = review.carrying.set_index("customer_id")["yearly_cost_cents"]
    frame["yearly_cost_cents"] = cost.reindex(ids, fill_value=0).to_numpy(dtype=np.int64)
    for column, source in (("rank_amount", "overdue_cents"), ("rank_age", "oldest_days")):
        frame[column] = frame[source].rank(method="min", ascending=False).astype(np.int64)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1, dtype=np.int64))
    return frame.drop(columns=["risk", "priority"])


def chase_reason(row: dict, late_payers: int) -> str:
    """Why one customer of :func:`chase_table` is where it is, in plain words (HTML)."""
    score = row["score"]
    if score is None or not np.isfinite(score):
        record = "no payment record to judge by (counted as a middling risk)"
    else:
        record = f"payment score {score:.0f} of 100"
        dbt = row["days_beyond_terms"]
        if dbt is not None and np.isfinite(dbt):
            record += f", paying {_days(max(dbt, 0.0))} days beyond terms on average"
    disputed = row["disputed_cents"]
    dispute = f" ({_money(disputed)} more in dispute, not chased)" if disputed else ""
    return (
        f"<b>{esc(row['name'])}</b> ({esc(row['customer_id'])}): "
        f"{_money(row['overdue_cents'])} overdue{dispute}, the oldest item "
        f"{row['oldest_days']:,} days past due; {record}; carrying it costs "
        f"{_money(row['yearly_cost_cents'])} a year. Of {late_payers:,} late payers it is "
        f"{_ordinal(row['rank_amount'])} by amount and {_ordinal(row['rank_age'])} by age."
    )


def story_chase(review: Review, n: int = CHASE_SHOWN) -> str:
    """Section 3: how many customers are late, how much the first ``n`` of the worklist's order
    hold, why each comes first, the customers in dispute (shown, not chased), then the top of
    the list as a table."""
    chase = chase_table(review)
    disputes = review.chase[review.chase["disputed_cents"] > 0]
    in_dispute = ""
    if len(disputes):
        names = ", ".join(esc(n) for n in disputes["name"].head(8))
        more = f" and {len(disputes) - 8:,} more" if len(disputes) > 8 else ""
        in_dispute = (
            f"<p>{len(disputes):,} customers have {_money(disputes['disputed_cents'].sum())} on "
            f"invoices in dispute ({names}{more}). A disputed invoice is still owed but is not "
            "chased: settle the dispute first (credit it, or confirm it and it returns to the "
            "ladder).</p>"
        )
    if chase.empty:
        return _block("<p>No customer is late: nobody to chase this month.</p>", in_dispute)
    total = int(chase["overdue_cents"].sum())
    head = chase.head(n)
    held = int(head["overdue_cents"].sum())
    intro = (
        f"<p><b>{len(chase):,}</b> customers are late with {_money(total)} not in dispute. "
        f"Chase first where the most money is at risk: the largest and oldest debts of the "
        f"customers who pay worst. The first {len(head):,} below hold {_money(held)} "
        f"({_pct(_share(held, total))} of it); the daily worklist follows the same order.</p>"
    )
    reasons = "".join(
        f"<li>{chase_reason(row, len(chase))}</li>" for row in head.to_dict(orient="records")
    )
    shown = chase.head(max(n, 10))[
        [
            "rank",
            "customer_id",
            "name",
            "overdue_cents",
            "disputed_cents",
            "oldest_days",
            "score",
            "share_paid_late",
            "yearly_cost_cents",
        ]
    ]
    table = table_html(
        shown,
        titles={
            "overdue_cents": "overdue (not in dispute)",
            "oldest_days": "oldest (days late)",
            "score": "payment score",
            "share_paid_late": "paid late",
        },
    )
    return _block(intro, f"<ol>{reasons}</ol>", table, in_dispute)


def _late_charge_terms(review: Review) -> str:
    rules = policy_findings(review).late_charges
    if rules.preset == "eu":
        return (
            f"the EU late-payment rules apply ({_pct(rules.eu_reference_rate + rules.eu_margin)}"
            f" a year and {_money(rules.eu_compensation_cents)} per overdue invoice)"
        )
    if rules.annual_rate == 0 and rules.fee_cents == 0:
        return "no late charge is agreed"
    return (
        f"the agreed late charge is {_pct(rules.annual_rate)} a year and a fee of "
        f"{_money(rules.fee_cents)}"
    )


def story_policy(review: Review) -> str:
    """Section 4: the seven practices of a credit and collection policy, each with what this
    client's data shows and the arbook feature that fills the gap, as a table."""
    f = policy_findings(review)
    logged = (
        f"A contact log is kept ({esc(f.contact_log)}): promises are checked against payments "
        "and counted as kept or broken."
        if f.contact_log
        else "No contact log has been started: no promise to pay can be checked or counted as "
        "broken."
    )
    rows = [
        (
            "Check credit before giving it",
            f"{f.no_limit:,} of {f.owing:,} customers who owe you have no credit limit on "
            f"file; {f.over_limit:,} owe more than their limit; {f.on_hold:,} should be on "
            "credit hold today.",
            "Score every applicant (below) and hold the customers listed in the Credit tab",
        ),
        (
            "Agree terms and penalties",
            (
                f"{esc(review.why_na('The share of invoices paid late'))}"
                if not review.has_history
                else f"{_pct(f.paid_late_share)} of the invoices paid in the last 12 months "
                "were paid late"
            )
            + f"; {_late_charge_terms(review)}.",
            "Agree a rate and a fee: [late_charges] in the policy file, `arbook late-charges`",
        ),
        (
            "A scheduled escalation procedure",
            f"{f.over_60:,} customers have {_money(f.over_60_cents)} more than 60 days "
            "overdue: a reminder, a call, a letter and a visit should each have had a date.",
            "Collection ladder and the daily worklist",
        ),
        ("Log every contact", logged, "Contact log with promises (the Collections tab)"),
        (
            "Send statements",
            f"{f.owing:,} customers owe you; {f.unapplied:,} have credits or unapplied cash "
            "a statement would bring to light.",
            "Customer statements",
        ),
        (
            "Prepared answers to excuses",
            f"{f.disputed:,} open invoices are marked disputed; each needs a prepared answer "
            "and a follow-up date.",
            "Excuse playbook in the worklist",
        ),
        (
            "Reward early payment",
            "An early-payment discount costs money; whether it pays for itself is worked out "
            "below with your own payment history.",
            "The discount simulation below, `arbook discount`",
        ),
    ]
    frame = pd.DataFrame(rows, columns=["practice", "what your data shows", "next step"])
    return _block(
        "<p>What a credit and collection policy needs, what the data says is missing "
        "and what comes next:</p>",
        table_html(frame),
    )


def owed_chart(review: Review) -> str:
    """SVG: what is owed per bucket now."""
    return charts.to_svg(
        charts.aging_by_bucket(review.buckets, review.settings.labels, basis=review.settings.basis)
    )


def cost_chart(review: Review) -> str:
    """SVG: what the largest overdue balances cost a year to carry."""
    return charts.to_svg(charts.carrying_cost(review.carrying))


def story_applicant(application=None) -> str:
    """Section 4, credit before credit: an applicant (default: the shipped sample) scored by the
    default scorecard, with the points of every line and the recommended limit and terms."""
    decision = score_application(application or sample_application())
    return _block(
        "<p>No customer should get credit before its creditworthiness is checked. This is what "
        "the check looks like for a new applicant: every answer earns points, the total gives a "
        "grade, and the grade gives a limit and terms agreed before the first delivery "
        "(<code>arbook score application.toml</code>).</p>",
        decision_html(decision),
    )


def discount_simulation(review: Review) -> DiscountSimulation:
    """The policy's early-payment discount simulated on the 12 months to the review's date."""
    return simulate_discount(
        review.ledger, review.as_of, cost_of_capital=review.settings.cost_of_capital
    )


def story_discount(review: Review, sim: DiscountSimulation | None = None) -> str:
    """Section 4, rewarding early payment: what the policy's discount terms would have done over
    the last 12 months with this client's own customers, and where it breaks even; without
    the history, why it cannot be simulated."""
    why = review.why_na("The discount simulated on your customers' payments")
    if why:
        return _block(f"<p>{esc(why)}.</p>")
    sim = sim or discount_simulation(review)
    verdict = "would have paid for itself" if sim.net_cents >= 0 else "would have cost you"
    even = (
        "no share of takers makes it pay"
        if math.isnan(sim.break_even_uptake)
        else f"it breaks even once {_pct(sim.break_even_uptake)} of the eligible sales take it"
    )
    return _block(
        f"<p>Offered as <b>{esc(sim.terms)}</b> over the last 12 months, with "
        f"{_pct(sim.uptake)} of the eligible customers taking it, the discount "
        f"{verdict} <b>{_money(abs(sim.net_cents))}</b> a year: {_money(sim.discount_cents)} of "
        f"discounts against {_money(sim.financing_saved_cents)} of financing saved and "
        f"{_money(sim.bad_debt_avoided_cents + sim.collection_cost_avoided_cents)} of bad debt "
        f"and collection cost avoided. Its annual cost is {_pct(sim.annual_cost)}, against your "
        f"cost of capital of {_pct(sim.cost_of_capital)}; {even}.</p>",
        summary_html(sim),
    )


def discount_chart(sim: DiscountSimulation) -> str:
    """SVG: the discount's net benefit against the share of customers taking it."""
    return charts.to_svg(net_benefit_chart(sim))
