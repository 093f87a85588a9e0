"""The consultant's walkthrough as sentences: the seeds' method for taking control of receivables
told with the client's own numbers. Each ``story_*`` function takes a :class:`~arbook.workbook.review.Review`
and returns an HTML fragment (sentences, a table, the numbers formatted by ``views/format``);
customer names are escaped. The charts come as self-contained SVG text.

1. :func:`story_owed` what you are owed, by whom, how late;
2. :func:`story_cost` what that costs you: carrying cost, DSO against best possible DSO, CEI;
3. :func:`story_chase` who to chase first and why (ranking: :func:`chase_list`);
4. :func:`story_policy` where the credit and collection policy is missing, with next steps;
   :func:`story_applicant` a new applicant scored before credit; :func:`story_discount` what an
   early-payment discount would have done with the client's own customers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from arbook.core.config import resolve_policy
from arbook.credit.application import sample_application, score_application
from arbook.credit.discounts import DiscountSimulation, simulate_discount
from arbook.views import charts
from arbook.views.credit.decision import decision_html
from arbook.views.credit.discount import net_benefit_chart, summary_html
from arbook.views.format import NA, format_cents, format_date, format_ratio
from arbook.views.html import CSS, esc, issues_banner, kpi_tiles, table_html
from arbook.workbook.review import Review

#: Days that count as "one month" in the chase ranking's age and behaviour factors.
CHASE_MONTH_DAYS = 30
#: Customers shown, each with its reasons, in :func:`story_chase`.
CHASE_SHOWN = 5
CHASE_COLUMNS = [
    "rank",
    "customer_id",
    "name",
    "overdue_cents",
    "oldest_days",
    "days_beyond_terms",
    "share_paid_late",
    "carrying_cost_cents",
    "priority",
    "rank_amount",
    "rank_age",
    "rank_behaviour",
]


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
        f'<p class="arbook-note">As of {format_date(s.as_of)}; days overdue counted from the '
        f"{esc(s.basis)} date; cost of capital {_pct(s.cost_of_capital)} a year.</p>",
        issues_banner(review.issues),
    )


def owed_figures(review: Review) -> dict:
    """The numbers :func:`story_owed` tells: ``owed_cents`` (open positive balance),
    ``customers`` owing, ``overdue_cents``, ``over_60_cents``, ``over_90_cents``,
    ``unapplied_cents``, ``top5_cents`` (five largest balances), ``previous_cents``."""
    items = review.items
    owed = items[items["outstanding_cents"] > 0]
    late = owed["days_overdue"]
    totals = (
        owed.groupby("customer_id")["outstanding_cents"]
        .sum()
        .sort_values(ascending=False, kind="stable")
    )
    buckets = review.buckets.set_index("bucket")
    labels = review.settings.labels
    return {
        "owed_cents": int(owed["outstanding_cents"].sum()),
        "customers": len(totals),
        "overdue_cents": int(owed.loc[late > 0, "outstanding_cents"].sum()),
        "over_60_cents": int(owed.loc[late > 60, "outstanding_cents"].sum()),
        "over_90_cents": int(owed.loc[late > 90, "outstanding_cents"].sum()),
        "unapplied_cents": int(
            items.loc[items["outstanding_cents"] < 0, "outstanding_cents"].sum()
        ),
        "top5_cents": int(totals.head(5).sum()),
        "previous_cents": int(buckets.loc[labels, "previous_cents"].sum()),
    }


def story_owed(review: Review) -> str:
    """Section 1: how much is owed, by how many customers, how much of it late and how late,
    who owes the most, and the change since last month; the aging table follows."""
    f = owed_figures(review)
    owed, overdue = f["owed_cents"], f["overdue_cents"]
    if owed == 0:
        return _block(f"<p>As of {format_date(review.as_of)} nobody owes you anything.</p>")
    top = review.summary.sort_values(
        ["total_cents", "customer_id"], ascending=[False, True], kind="stable"
    ).iloc[0]
    change = owed - f["previous_cents"]
    lines = [
        f"As of {format_date(review.as_of)}, <b>{f['customers']:,}</b> customers owe you "
        f"<b>{_money(owed)}</b>.",
        f"<b>{_money(overdue)}</b> of it ({_pct(_share(overdue, owed))}) is past due; "
        f"{_money(f['over_60_cents'])} ({_pct(_share(f['over_60_cents'], owed))}) is more than "
        f"60 days late and {_money(f['over_90_cents'])} "
        f"({_pct(_share(f['over_90_cents'], owed))}) more than 90 days late.",
        f"The five largest debtors owe {_money(f['top5_cents'])} "
        f"({_pct(_share(f['top5_cents'], owed))} of the total); the largest, "
        f"<b>{esc(top['name'])}</b>, owes {_money(top['total_cents'])}.",
        f"A month ago you were owed {_money(f['previous_cents'])}: "
        f"{'up' if change > 0 else 'down'} {_money(abs(change))}."
        if change
        else "That is the same as a month ago.",
    ]
    if f["unapplied_cents"]:
        lines.append(
            f"Credits and unapplied cash of {_money(-f['unapplied_cents'])} are not in "
            "these figures; they should be applied to invoices or refunded."
        )
    table = table_html(
        review.buckets,
        titles={"now_cents": "now", "previous_cents": "a month ago", "change_cents": "change"},
    )
    return _block("<p>" + " ".join(lines) + "</p>", table)


def story_cost(review: Review) -> str:
    """Section 2: you are their bank. The yearly carrying cost of the overdue balance at the
    client's cost of capital and who costs most; count-back DSO against best possible DSO (the
    gap is the average days delinquent); the month's CEI; then the KPI tiles."""
    rate = review.settings.cost_of_capital
    carrying = review.carrying
    cost = int(carrying["carrying_cost_cents"].sum())
    overdue = int(carrying["overdue_cents"].sum())
    dso, best, add = (_kpi(review, k) for k in ("dso_countback", "best_possible_dso", "add"))
    cei = _kpi(review, "cei")
    parts = [
        f"<p>You are your customers' bank. They hold <b>{_money(overdue)}</b> that is past "
        f"due, a loan they never asked you for and pay no interest on. At your cost of "
        f"capital of {_pct(rate)} a year, carrying it costs you <b>{_money(cost)}</b> a "
        "year."
    ]
    if len(carrying) and cost:
        first = carrying.iloc[0]
        parts.append(
            f" The most expensive customer is <b>{esc(first['name'])}</b>: "
            f"{_money(first['overdue_cents'])} overdue for "
            f"{_days(first['avg_days_overdue'])} days on average costs "
            f"{_money(first['carrying_cost_cents'])} a year "
            f"({_pct(_share(int(first['carrying_cost_cents']), cost))} of the total)."
        )
    parts.append("</p><p>")
    if np.isfinite(dso):
        parts.append(
            f"Your customers take <b>{_days(dso)} days</b> to pay (count-back DSO: the "
            "days of recent sales still unpaid). "
        )
    else:
        parts.append("DSO is n/a: the data does not reach back far enough to cover what is owed. ")
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
            f"CEI is {NA} for {review.as_of.strftime('%B %Y')} (no month before it "
            "in the data, or nothing was collectible)."
        )
    return _block("".join(parts) + "</p>", kpi_tiles(review.kpis))


def chase_list(review: Review) -> pd.DataFrame:
    """Every customer with an overdue balance, in the order to chase them: by ``priority`` =
    overdue amount × (1 + days the oldest overdue item is late / 30) × (1 + days beyond terms
    over the last 12 months / 30), largest first, ties by customer id. A customer with no
    payment history has 0 days beyond terms. ``rank_amount``, ``rank_age`` and
    ``rank_behaviour`` (1 = worst) say which of the three put it where it is."""
    items = review.items
    late = items[(items["outstanding_cents"] > 0) & (items["days_overdue"] > 0)]
    g = late.groupby("customer_id", sort=True)
    frame = pd.DataFrame(
        {"overdue_cents": g["outstanding_cents"].sum(), "oldest_days": g["days_overdue"].max()}
    ).reset_index()
    behaviour = review.behaviour.set_index("customer_id")
    frame["days_beyond_terms"] = (
        behaviour["days_beyond_terms"].reindex(frame["customer_id"]).to_numpy(dtype=float)
    )
    frame["share_paid_late"] = (
        behaviour["share_paid_late"].reindex(frame["customer_id"]).to_numpy(dtype=float)
    )
    cost = review.carrying.set_index("customer_id")["carrying_cost_cents"]
    frame["carrying_cost_cents"] = cost.reindex(frame["customer_id"], fill_value=0).to_numpy(
        dtype=np.int64
    )
    dbt = frame["days_beyond_terms"].fillna(0.0).clip(lower=0.0)
    frame["priority"] = (
        frame["overdue_cents"]
        / 100
        * (1 + frame["oldest_days"] / CHASE_MONTH_DAYS)
        * (1 + dbt / CHASE_MONTH_DAYS)
    )
    for column, source in (
        ("rank_amount", frame["overdue_cents"]),
        ("rank_age", frame["oldest_days"]),
        ("rank_behaviour", dbt),
    ):
        frame[column] = source.rank(method="min", ascending=False).astype(np.int64)
    frame = frame.sort_values(
        ["priority", "customer_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1, dtype=np.int64))
    frame.insert(2, "name", review.ledger.names(frame["customer_id"]) if len(frame) else [])
    return frame[CHASE_COLUMNS]


def chase_reason(row: dict, delinquents: int) -> str:
    """Why one customer of :func:`chase_list` is where it is, in plain words (HTML)."""
    dbt = row["days_beyond_terms"]
    if dbt is None or not np.isfinite(dbt):
        record = "no payment record in the last 12 months to judge by"
    else:
        record = f"over the last 12 months paid {_days(max(dbt, 0.0))} days beyond terms on average"
        if np.isfinite(row["share_paid_late"]):
            record += f", {_pct(row['share_paid_late'])} of invoices late"
    return (
        f"<b>{esc(row['name'])}</b> ({esc(row['customer_id'])}): "
        f"{_money(row['overdue_cents'])} overdue, the oldest item {row['oldest_days']:,} "
        f"days past due; {record}; carrying it costs {_money(row['carrying_cost_cents'])} "
        f"a year. Of {delinquents:,} late payers it is {_ordinal(row['rank_amount'])} by "
        f"amount, {_ordinal(row['rank_age'])} by age and "
        f"{_ordinal(row['rank_behaviour'])} by payment record."
    )


def story_chase(review: Review, n: int = CHASE_SHOWN) -> str:
    """Section 3: how many customers are late, how much the first ``n`` of the chase list hold,
    and why each of them comes first; then the top of the list as a table."""
    chase = chase_list(review)
    if chase.empty:
        return _block("<p>No customer is late: nobody to chase this month.</p>")
    total = int(chase["overdue_cents"].sum())
    head = chase.head(n)
    held = int(head["overdue_cents"].sum())
    intro = (
        f"<p><b>{len(chase):,}</b> customers are late with {_money(total)}. Chase first "
        f"those who owe the most, for the longest, and pay worst: the first "
        f"{len(head):,} below hold {_money(held)} ({_pct(_share(held, total))} of all "
        "that is overdue).</p>"
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
            "oldest_days",
            "days_beyond_terms",
            "share_paid_late",
            "carrying_cost_cents",
        ]
    ]
    table = table_html(
        shown,
        titles={
            "oldest_days": "oldest (days late)",
            "days_beyond_terms": "days beyond terms",
            "share_paid_late": "paid late",
            "carrying_cost_cents": "carrying cost a year",
        },
    )
    return _block(intro, f"<ol>{reasons}</ol>", table)


def policy_figures(review: Review) -> dict:
    """The facts :func:`story_policy` quotes: customers owing with ``no_limit`` (no credit limit
    on file) and ``over_limit`` (owing more than it), ``paid_late_share`` of invoices paid in the
    last 12 months, ``over_60`` customers and ``over_60_cents``, ``disputed`` open disputed
    invoices, ``unapplied`` customers with credits or unapplied cash, ``on_hold`` customers that
    must not get new credit, ``late_charge`` the agreed penalties in words."""
    items, summary = review.items, review.summary
    owing = summary[summary["total_cents"] > 0]
    limits = review.ledger.customers.set_index("customer_id")["credit_limit_cents"]
    limit = limits.reindex(owing["customer_id"]).to_numpy(dtype=float)
    behaviour = review.behaviour
    paid = behaviour["invoices_paid"].to_numpy(dtype=float)
    late = (behaviour["share_paid_late"].fillna(0.0).to_numpy() * paid).sum()
    old = items[(items["outstanding_cents"] > 0) & (items["days_overdue"] > 60)]
    disputed_ids = set(review.ledger.invoices.loc[review.ledger.invoices["disputed"], "invoice_id"])
    open_docs = items[items["outstanding_cents"] > 0]["document_id"]
    return {
        "owing": len(owing),
        "no_limit": int(np.isnan(limit).sum()),
        "over_limit": int((owing["total_cents"].to_numpy(dtype=float) > limit).sum()),
        "paid_late_share": _share(late, paid.sum()),
        "over_60": int(old["customer_id"].nunique()),
        "over_60_cents": int(old["outstanding_cents"].sum()),
        "disputed": int(open_docs.isin(disputed_ids).sum()),
        "unapplied": int(items.loc[items["outstanding_cents"] < 0, "customer_id"].nunique()),
        "on_hold": len(review.holds),
        "late_charge": _late_charge_terms(review),
    }


def _late_charge_terms(review: Review) -> str:
    rules = resolve_policy(review.ledger.policy).late_charges
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
    f = policy_figures(review)
    rows = [
        (
            "Check credit before giving it",
            f"{f['no_limit']:,} of {f['owing']:,} customers who owe you have no credit limit on "
            f"file; {f['over_limit']:,} owe more than their limit; {f['on_hold']:,} should be on "
            "credit hold today.",
            "Score every applicant (below) and hold the customers listed in the Credit tab",
        ),
        (
            "Agree terms and penalties",
            f"{_pct(f['paid_late_share'])} of the invoices paid in the last 12 months were paid "
            f"late; {f['late_charge']}.",
            "Agree a rate and a fee: [late_charges] in the policy file, `arbook late-charges`",
        ),
        (
            "A scheduled escalation procedure",
            f"{f['over_60']:,} customers have {_money(f['over_60_cents'])} more than 60 days "
            "overdue: a reminder, a call, a letter and a visit should each have had a date.",
            "Collection ladder and the daily worklist",
        ),
        (
            "Log every contact",
            "The data holds no contact log: no promise to pay can be checked or counted as broken.",
            "Contact log with promises",
        ),
        (
            "Send statements",
            f"{f['owing']:,} customers owe you; {f['unapplied']:,} have credits or unapplied cash "
            "a statement would bring to light.",
            "Customer statements",
        ),
        (
            "Prepared answers to excuses",
            f"{f['disputed']:,} open invoices are marked disputed; each needs a prepared answer "
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
    return charts.to_svg(charts.aging_by_bucket(review.buckets, review.settings.labels))


def cost_chart(review: Review) -> str:
    """SVG: the yearly carrying cost of the most expensive customers."""
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
    the last 12 months with this client's own customers, and where it breaks even."""
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
