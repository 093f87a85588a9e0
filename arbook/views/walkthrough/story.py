"""The consultant's walkthrough as sentences: the seeds' method for taking control of
receivables told with the client's own numbers, in the language spoken. Each ``story_*``
function takes a :class:`~arbook.workbook.review.Review` and returns an HTML fragment
(sentences, a table, the numbers formatted by ``views/format``); customer names are escaped.
The charts come as self-contained SVG text. Every number is the review's: the same total
receivable, overdue, carrying cost and chase order as the dashboard, the worklist and the
monthly review.

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
from babel.dates import format_date as babel_date

from arbook.core.dates import format_count
from arbook.core.i18n import N_, _, language, ngettext
from arbook.credit.application import sample_application, score_application
from arbook.credit.discounts import DiscountSimulation, simulate_discount
from arbook.views import charts
from arbook.views.credit.decision import decision_html
from arbook.views.credit.discount import net_benefit_chart, summary_html
from arbook.views.format import NA, days_title, format_date, format_ratio, money_text
from arbook.views.html import CSS, esc, issues_banner, kpi_tiles, table_html
from arbook.workbook.analytics import NET, RECEIVABLE, bucket_word
from arbook.workbook.findings import policy_findings
from arbook.workbook.review import Review

#: Customers shown, each with its reasons, in :func:`story_chase`.
CHASE_SHOWN = 5
#: How the aging table's rows after the buckets read (translated where shown).
BUCKET_ROWS = {
    RECEIVABLE: N_("Total receivable"),
    "unapplied": N_("Credits and unapplied cash"),
    NET: N_("Net receivable"),
}


def _money(cents, currency: str | None) -> str:
    """An amount in a sentence, with the book's currency
    (:func:`~arbook.views.format.money_text`)."""
    return money_text(int(cents), currency)


def _pct(value) -> str:
    return format_ratio(value, percent=True)


def _days(value) -> str:
    return format_ratio(value, digits=1)


def _count(n) -> str:
    return format_count(int(n))


def _share(part: int, whole: int) -> float:
    return part / whole if whole else math.nan


def ordinal(n: int) -> str:
    """``n`` as an ordinal for people: ``1st``, ``22nd`` in English, ``1.º``, ``1-й``."""
    if language() != "en":  # English picks its suffix by the number; the others have one form
        return _("{number}th").format(number=format_count(n))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def month_name(day: pd.Timestamp) -> str:
    """The month of ``day`` with its year: ``October 2026``, ``octubre de 2026``."""
    if language() == "en":
        return day.strftime("%B %Y")
    return babel_date(day.date(), format="LLLL y", locale=language())


def _kpi(review: Review, key: str, column: str = "value") -> float:
    kpis = review.kpis.set_index("kpi")
    return float(kpis.at[key, column])


def _block(*parts: str) -> str:
    return f'{CSS}<div class="arbook arbook-story">{"".join(parts)}</div>'


def story_title(review: Review, *, client: str = "", data: str = "") -> str:
    """The heading: client (or the data folder), as-of date, cost of capital, and the data-issues
    banner (rows with errors are kept out of every figure)."""
    who = client.strip() or str(data).strip() or _("your receivables")
    s = review.settings
    heading = _("Receivables walkthrough: {client}").format(client=who)
    note = _(
        "As of {date}; buckets by {days}, overdue from the due date; cost of capital {rate} a year."
    ).format(date=format_date(s.as_of), days=days_title(s.basis), rate=_pct(s.cost_of_capital))
    return _block(
        f"<h2>{esc(heading)}</h2>",
        f'<p class="arbook-note">{esc(note)}</p>',
        issues_banner(review.issues),
    )


def _aging_table(review: Review) -> str:
    rows = review.buckets["bucket"]
    frame = review.buckets.assign(
        bucket=[_(BUCKET_ROWS[b]) if b in BUCKET_ROWS else bucket_word(b) for b in rows]
    )
    titles = {
        "bucket": days_title(review.settings.basis).capitalize(),
        "now_cents": _("now"),
        "previous_cents": _("a month ago"),
        "change_cents": _("change"),
    }
    return table_html(frame, titles=titles)


def _month_ago(review: Review, row) -> str:
    """What the owed total was a month ago, and how it moved (or why that is not known)."""
    if pd.isna(row["change_cents"]):  # not known on open items only: n/a and why
        return (review.why_na(N_("What you were owed a month ago")) or "") + "."
    change = int(row["change_cents"])
    if not change:
        return _("That is the same as a month ago.")
    text = (
        _("A month ago you were owed {before}: up {change}.")
        if change > 0
        else _("A month ago you were owed {before}: down {change}.")
    )
    return text.format(
        before=_money(row["previous_cents"], review.ledger.currency),
        change=_money(abs(change), review.ledger.currency),
    )


def story_owed(review: Review) -> str:
    """Section 1: how much is owed, by how many customers, how much of it late and how late,
    who owes the most, and the change since last month; the aging table follows."""
    t = review.totals
    owed, overdue = t.receivable_cents, t.overdue_cents
    if owed == 0:
        nobody = _("As of {date} nobody owes you anything.").format(date=format_date(review.as_of))
        return _block(f"<p>{esc(nobody)}</p>")
    owing = review.summary[review.summary["receivable_cents"] > 0].sort_values(
        ["receivable_cents", "customer_id"], ascending=[False, True], kind="stable"
    )
    top, top5 = owing.iloc[0], int(owing["receivable_cents"].head(5).sum())
    row = review.buckets.set_index("bucket").loc[RECEIVABLE]
    lines = [
        ngettext(
            "As of {date}, <b>{count}</b> customers owe you <b>{owed}</b> (total receivable).",
            "As of {date}, <b>{count}</b> customers owe you <b>{owed}</b> (total receivable).",
            len(owing),
        ).format(
            date=format_date(review.as_of),
            count=_count(len(owing)),
            owed=_money(owed, review.ledger.currency),
        ),
        _(
            "<b>{overdue}</b> of it ({share}) is past due; {over_60} ({share_60}) is more than "
            "60 days late and {over_90} ({share_90}) more than 90 days late."
        ).format(
            overdue=_money(overdue, review.ledger.currency),
            share=_pct(_share(overdue, owed)),
            over_60=_money(t.over_60_cents, review.ledger.currency),
            share_60=_pct(_share(t.over_60_cents, owed)),
            over_90=_money(t.over_90_cents, review.ledger.currency),
            share_90=_pct(_share(t.over_90_cents, owed)),
        ),
        _(
            "The five largest debtors owe {top5} ({share} of the total); the largest, "
            "<b>{name}</b>, owes {owes}."
        ).format(
            top5=_money(top5, review.ledger.currency),
            share=_pct(_share(top5, owed)),
            name=esc(top["name"]),
            owes=_money(top["receivable_cents"], review.ledger.currency),
        ),
        _month_ago(review, row),
    ]
    if t.disputed_cents:
        lines.append(
            _(
                "{amount} of what is owed is on invoices in dispute: still owed, but not chased "
                "until each dispute is settled."
            ).format(amount=_money(t.disputed_cents, review.ledger.currency))
        )
    if t.unapplied_cents:
        lines.append(
            _(
                "Credits and unapplied cash of {amount} are not in these figures (net "
                "receivable {net}); they should be applied to invoices or refunded."
            ).format(
                amount=_money(-t.unapplied_cents, review.ledger.currency),
                net=_money(t.net_cents, review.ledger.currency),
            )
        )
    return _block("<p>" + " ".join(lines) + "</p>", _aging_table(review))


def _dearest(review: Review, yearly: int) -> str:
    """The customer whose overdue debt costs most to carry, in a sentence ("" when none)."""
    carrying = review.carrying
    if not (len(carrying) and yearly):
        return ""
    first = carrying.iloc[0]
    return " " + _(
        "The most expensive customer is <b>{name}</b>: {overdue} overdue for {days} days on "
        "average costs {cost} a year ({share} of the total)."
    ).format(
        name=esc(first["name"]),
        overdue=_money(first["overdue_cents"], review.ledger.currency),
        days=_days(first["avg_days_overdue"]),
        cost=_money(first["yearly_cost_cents"], review.ledger.currency),
        share=_pct(_share(int(first["yearly_cost_cents"]), yearly)),
    )


def _dso(review: Review) -> str:
    """Count-back DSO against the best possible DSO (the gap: average days delinquent)."""
    dso, best, add = (_kpi(review, k) for k in ("dso_countback", "best_possible_dso", "add"))
    if np.isfinite(dso):
        parts = [
            _(
                "Your customers take <b>{days} days</b> to pay (count-back DSO: the days of "
                "recent sales still unpaid). "
            ).format(days=_days(dso))
        ]
    else:
        why = review.why_na("DSO") or _(
            "DSO: n/a (the data does not reach back far enough to cover what is owed)"
        )
        parts = [why + ". "]
    if np.isfinite(best) and np.isfinite(add):
        parts.append(
            _(
                "If every customer paid exactly on terms it would be <b>{best} days</b> (best "
                "possible DSO), so customers pay on average <b>{late} days late</b> (average "
                "days delinquent). "
            ).format(best=_days(best), late=_days(add))
        )
    elif np.isfinite(best):
        parts.append(
            _(
                "If every customer paid exactly on terms it would be <b>{best} days</b> (best "
                "possible DSO). "
            ).format(best=_days(best))
        )
    return "".join(parts)


def _cei(review: Review) -> str:
    """The month's CEI in a sentence, or why it is n/a."""
    cei = _kpi(review, "cei")
    month = month_name(review.as_of)
    if np.isfinite(cei):
        return _(
            "Of what you could have collected in {month} (owed at the start of the month plus "
            "the month's sales, less what is not yet due), you collected <b>{cei}</b> (CEI); "
            "100% would mean every invoice due was paid."
        ).format(month=month, cei=_pct(cei))
    if not review.has_history:
        return (review.why_na("CEI") or "") + "."
    return _(
        "CEI is {na} for {month} (no month before it in the data, or nothing was collectible)."
    ).format(na=_(NA), month=month)


def story_cost(review: Review) -> str:
    """Section 2: you are their bank. What financing today's overdue balance costs a year at
    the client's cost of capital (the headline), what it has cost so far, and who costs most;
    count-back DSO against best possible DSO (the gap is the average days delinquent); the
    month's CEI; then the KPI tiles."""
    carrying = review.carrying
    yearly = int(carrying["yearly_cost_cents"].sum())
    accrued = int(carrying["carrying_cost_cents"].sum())
    bank = _(
        "You are your customers' bank. They hold <b>{overdue}</b> that is past due, a loan "
        "they never asked you for and pay no interest on. At your cost of capital of {rate} a "
        "year, financing that balance costs you <b>{yearly} a year</b>; what is overdue today "
        "has already cost you {accrued} since it fell due."
    ).format(
        overdue=_money(review.totals.overdue_cents, review.ledger.currency),
        rate=_pct(review.settings.cost_of_capital),
        yearly=_money(yearly, review.ledger.currency),
        accrued=_money(accrued, review.ledger.currency),
    )
    text = f"<p>{bank}{_dearest(review, yearly)}</p><p>{_dso(review)}{_cei(review)}</p>"
    return _block(text, kpi_tiles(review.kpis, currency=review.ledger.currency))


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


def _record(row: dict) -> str:
    """A customer's payment record in words: its score and days beyond terms."""
    score = row["score"]
    if score is None or not np.isfinite(score):
        return _("no payment record to judge by (counted as a middling risk)")
    dbt = row["days_beyond_terms"]
    if dbt is not None and np.isfinite(dbt):
        return _("payment score {score} of 100, paying {days} days beyond terms on average").format(
            score=format_ratio(score, digits=0), days=_days(max(dbt, 0.0))
        )
    return _("payment score {score} of 100").format(score=format_ratio(score, digits=0))


def chase_reason(row: dict, late_payers: int, currency: str | None = None) -> str:
    """Why one customer of :func:`chase_table` is where it is, in plain words (HTML)."""
    disputed = row["disputed_cents"]
    dispute = (
        " " + _("({amount} more in dispute, not chased)").format(amount=_money(disputed, currency))
        if disputed
        else ""
    )
    return ngettext(
        "<b>{name}</b> ({id}): {overdue} overdue{dispute}, the oldest item {days} days past "
        "due; {record}; carrying it costs {cost} a year. Of {late} late payers it is {by_amount} "
        "by amount and {by_age} by age.",
        "<b>{name}</b> ({id}): {overdue} overdue{dispute}, the oldest item {days} days past "
        "due; {record}; carrying it costs {cost} a year. Of {late} late payers it is {by_amount} "
        "by amount and {by_age} by age.",
        late_payers,
    ).format(
        name=esc(row["name"]),
        id=esc(row["customer_id"]),
        overdue=_money(row["overdue_cents"], currency),
        dispute=dispute,
        days=_count(row["oldest_days"]),
        record=_record(row),
        cost=_money(row["yearly_cost_cents"], currency),
        late=_count(late_payers),
        by_amount=ordinal(int(row["rank_amount"])),
        by_age=ordinal(int(row["rank_age"])),
    )


def _in_dispute(review: Review) -> str:
    """The customers with invoices in dispute: shown, never chased ("" when none)."""
    disputes = review.chase[review.chase["disputed_cents"] > 0]
    if not len(disputes):
        return ""
    names = ", ".join(esc(n) for n in disputes["name"].head(8))
    more = len(disputes) - 8
    if more > 0:
        names = _("{names} and {count} more").format(names=names, count=_count(more))
    text = ngettext(
        "{count} customers have {amount} on invoices in dispute ({names}). A disputed invoice "
        "is still owed but is not chased: settle the dispute first (credit it, or confirm it "
        "and it returns to the ladder).",
        "{count} customers have {amount} on invoices in dispute ({names}). A disputed invoice "
        "is still owed but is not chased: settle the dispute first (credit it, or confirm it "
        "and it returns to the ladder).",
        len(disputes),
    ).format(
        count=_count(len(disputes)),
        amount=_money(disputes["disputed_cents"].sum(), review.ledger.currency),
        names=names,
    )
    return f"<p>{text}</p>"


#: The chase table's titles (translated where shown).
CHASE_TITLES = {
    "rank": N_("rank"),
    "customer_id": N_("customer"),
    "name": N_("name"),
    "overdue_cents": N_("overdue (not in dispute)"),
    "disputed_cents": N_("in dispute"),
    "oldest_days": N_("oldest (days late)"),
    "score": N_("payment score"),
    "share_paid_late": N_("paid late"),
    "yearly_cost_cents": N_("carrying cost a year"),
}


def story_chase(review: Review, n: int = CHASE_SHOWN) -> str:
    """Section 3: how many customers are late, how much the first ``n`` of the worklist's order
    hold, why each comes first, the customers in dispute (shown, not chased), then the top of
    the list as a table."""
    chase = chase_table(review)
    in_dispute = _in_dispute(review)
    if chase.empty:
        nobody = _("No customer is late: nobody to chase this month.")
        return _block(f"<p>{esc(nobody)}</p>", in_dispute)
    total = int(chase["overdue_cents"].sum())
    head = chase.head(n)
    held = int(head["overdue_cents"].sum())
    intro = ngettext(
        "<b>{count}</b> customers are late with {total} not in dispute. Chase first where the "
        "most money is at risk: the largest and oldest debts of the customers who pay worst. "
        "The first {first} below hold {held} ({share} of it); the daily worklist follows the "
        "same order.",
        "<b>{count}</b> customers are late with {total} not in dispute. Chase first where the "
        "most money is at risk: the largest and oldest debts of the customers who pay worst. "
        "The first {first} below hold {held} ({share} of it); the daily worklist follows the "
        "same order.",
        len(chase),
    ).format(
        count=_count(len(chase)),
        total=_money(total, review.ledger.currency),
        first=_count(len(head)),
        held=_money(held, review.ledger.currency),
        share=_pct(_share(held, total)),
    )
    reasons = "".join(
        f"<li>{chase_reason(row, len(chase), review.ledger.currency)}</li>"
        for row in head.to_dict(orient="records")
    )
    shown = chase.head(max(n, 10))[list(CHASE_TITLES)]
    titles = {k: _(v) for k, v in CHASE_TITLES.items()}
    return _block(
        f"<p>{intro}</p>", f"<ol>{reasons}</ol>", table_html(shown, titles=titles), in_dispute
    )


def _late_charge_terms(review: Review) -> str:
    rules = policy_findings(review).late_charges
    if rules.preset == "eu":
        return _(
            "the EU late-payment rules apply ({rate} a year and {amount} per overdue invoice)"
        ).format(
            rate=_pct(rules.eu_reference_rate + rules.eu_margin),
            amount=_money(rules.eu_compensation_cents, review.ledger.currency),
        )
    if rules.annual_rate == 0 and rules.fee_cents == 0:
        return _("no late charge is agreed")
    return _("the agreed late charge is {rate} a year and a fee of {fee}").format(
        rate=_pct(rules.annual_rate), fee=_money(rules.fee_cents, review.ledger.currency)
    )


def _paid_late(review: Review, share: float) -> str:
    if not review.has_history:
        return esc(review.why_na(N_("The share of invoices paid late")))
    return _("{share} of the invoices paid in the last 12 months were paid late").format(
        share=_pct(share)
    )


def _policy_rows(review: Review) -> list[tuple[str, str, str]]:
    """The seven practices: (practice, what the data shows, next step), in words (HTML)."""
    f = policy_findings(review)
    logged = (
        _(
            "A contact log is kept ({place}): promises are checked against payments and "
            "counted as kept or broken."
        ).format(place=esc(f.contact_log))
        if f.contact_log
        else _(
            "No contact log has been started: no promise to pay can be checked or counted as "
            "broken."
        )
    )
    return [
        (
            _("Check credit before giving it"),
            ngettext(
                "{no_limit} of {owing} customers who owe you have no credit limit on file; "
                "{over} owe more than their limit; {held} should be on credit hold today.",
                "{no_limit} of {owing} customers who owe you have no credit limit on file; "
                "{over} owe more than their limit; {held} should be on credit hold today.",
                f.owing,
            ).format(
                no_limit=_count(f.no_limit),
                owing=_count(f.owing),
                over=_count(f.over_limit),
                held=_count(f.on_hold),
            ),
            _("Score every applicant (below) and hold the customers listed in the Credit tab"),
        ),
        (
            _("Agree terms and penalties"),
            _("{paid_late}; {terms}.").format(
                paid_late=_paid_late(review, f.paid_late_share), terms=_late_charge_terms(review)
            ),
            _("Agree a rate and a fee: {table} in the policy file, {command}").format(
                table="[late_charges]", command="`arbook late-charges`"
            ),
        ),
        (
            _("A scheduled escalation procedure"),
            ngettext(
                "{count} customers have {amount} more than 60 days overdue: a reminder, a call, "
                "a letter and a visit should each have had a date.",
                "{count} customers have {amount} more than 60 days overdue: a reminder, a call, "
                "a letter and a visit should each have had a date.",
                f.over_60,
            ).format(
                count=_count(f.over_60), amount=_money(f.over_60_cents, review.ledger.currency)
            ),
            _("Collection ladder and the daily worklist"),
        ),
        (
            _("Log every contact"),
            logged,
            _("Contact log with promises (the Collections tab)"),
        ),
        (
            _("Send statements"),
            ngettext(
                "{owing} customers owe you; {unapplied} have credits or unapplied cash a "
                "statement would bring to light.",
                "{owing} customers owe you; {unapplied} have credits or unapplied cash a "
                "statement would bring to light.",
                f.owing,
            ).format(owing=_count(f.owing), unapplied=_count(f.unapplied)),
            _("Customer statements"),
        ),
        (
            _("Prepared answers to excuses"),
            ngettext(
                "{count} open invoices are marked disputed; each needs a prepared answer and a "
                "follow-up date.",
                "{count} open invoices are marked disputed; each needs a prepared answer and a "
                "follow-up date.",
                f.disputed,
            ).format(count=_count(f.disputed)),
            _("Excuse playbook in the worklist"),
        ),
        (
            _("Reward early payment"),
            _(
                "An early-payment discount costs money; whether it pays for itself is worked "
                "out below with your own payment history."
            ),
            _("The discount simulation below, {command}").format(command="`arbook discount`"),
        ),
    ]


def story_policy(review: Review) -> str:
    """Section 4: the seven practices of a credit and collection policy, each with what this
    client's data shows and the arbook feature that fills the gap, as a table."""
    frame = pd.DataFrame(_policy_rows(review), columns=["practice", "shows", "next"])
    titles = {
        "practice": _("practice"),
        "shows": _("what your data shows"),
        "next": _("next step"),
    }
    lead = _(
        "What a credit and collection policy needs, what the data says is missing and what "
        "comes next:"
    )
    return _block(f"<p>{esc(lead)}</p>", table_html(frame, titles=titles))


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
    lead = _(
        "No customer should get credit before its creditworthiness is checked. This is what "
        "the check looks like for a new applicant: every answer earns points, the total gives a "
        "grade, and the grade gives a limit and terms agreed before the first delivery "
        "({command})."
    ).format(command="<code>arbook score application.toml</code>")
    return _block(f"<p>{lead}</p>", decision_html(decision))


def discount_simulation(review: Review) -> DiscountSimulation:
    """The policy's early-payment discount simulated on the 12 months to the review's date."""
    return simulate_discount(
        review.ledger, review.as_of, cost_of_capital=review.settings.cost_of_capital
    )


def story_discount(review: Review, sim: DiscountSimulation | None = None) -> str:
    """Section 4, rewarding early payment: what the policy's discount terms would have done over
    the last 12 months with this client's own customers, and where it breaks even; without
    the history, why it cannot be simulated."""
    why = review.why_na(N_("The discount simulated on your customers' payments"))
    if why:
        return _block(f"<p>{esc(why)}.</p>")
    sim = sim or discount_simulation(review)
    even = (
        _("no share of takers makes it pay")
        if math.isnan(sim.break_even_uptake)
        else _("it breaks even once {share} of the eligible sales take it").format(
            share=_pct(sim.break_even_uptake)
        )
    )
    text = (
        _(
            "Offered as <b>{terms}</b> over the last 12 months, with {uptake} of the eligible "
            "customers taking it, the discount would have paid for itself <b>{net}</b> a year: "
            "{discounts} of discounts against {saved} of financing saved and {avoided} of bad "
            "debt and collection cost avoided. Its annual cost is {cost}, against your cost of "
            "capital of {capital}; {even}."
        )
        if sim.net_cents >= 0
        else _(
            "Offered as <b>{terms}</b> over the last 12 months, with {uptake} of the eligible "
            "customers taking it, the discount would have cost you <b>{net}</b> a year: "
            "{discounts} of discounts against {saved} of financing saved and {avoided} of bad "
            "debt and collection cost avoided. Its annual cost is {cost}, against your cost of "
            "capital of {capital}; {even}."
        )
    )
    text = text.format(
        terms=esc(sim.terms),
        uptake=_pct(sim.uptake),
        net=_money(abs(sim.net_cents), review.ledger.currency),
        discounts=_money(sim.discount_cents, review.ledger.currency),
        saved=_money(sim.financing_saved_cents, review.ledger.currency),
        avoided=_money(
            sim.bad_debt_avoided_cents + sim.collection_cost_avoided_cents, review.ledger.currency
        ),
        cost=_pct(sim.annual_cost),
        capital=_pct(sim.cost_of_capital),
        even=even,
    )
    return _block(f"<p>{text}</p>", summary_html(sim))


def discount_chart(sim: DiscountSimulation) -> str:
    """SVG: the discount's net benefit against the share of customers taking it."""
    return charts.to_svg(net_benefit_chart(sim))
