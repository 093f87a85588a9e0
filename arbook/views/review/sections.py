"""The sections of the monthly review notebook (``arbook/notebooks/monthly_review.ipynb``).

Each section function takes a :class:`~arbook.workbook.review.Review` and returns the parts to show,
in order: ``IPython.display.HTML`` fragments and ``IPython.display.SVG`` charts (static, rendered by
vl-convert, so the report needs no JavaScript and no network). A notebook cell is then one line,
``show(headline(review))``, and the same parts can be built without a kernel (tests, benchmarks).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from babel.dates import format_date as babel_date
from IPython.display import HTML, SVG, display

from arbook.core.config import resolve_policy
from arbook.core.dates import date_text, format_count
from arbook.core.errors import format_issue
from arbook.core.i18n import N_, _, language, ngettext, pgettext, set_policy_language
from arbook.core.ledger import read_ledger
from arbook.core.numbers import percent_text
from arbook.views import charts
from arbook.views.format import days_title, money_text
from arbook.views.html import CSS, esc, issues_banner, kpi_tiles, na_note, table_html
from arbook.workbook.analytics import bucket_word
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
    ``$ARBOOK_LOG``: the data's flags alone); the log stays open with the review. The policy's
    ``language`` is spoken when nothing nearer chose one, as every command does."""
    from arbook.collections.contacts import open_log

    source = data_source(data, preset=preset or None)
    ledger = read_ledger(source, policy=policy or None, preset=preset or None)
    set_policy_language(ledger.policy.language)
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


#: What each section shows, said under its heading (:func:`heading`) in the language spoken (the
#: notebook has no prose of its own: a markdown cell cannot be translated).
INTROS = {
    "data_banner": N_(
        "How many rows of the files had problems; rows with errors are left out of every "
        "figure below."
    ),
    "headline": N_(
        "The month's key figures, each against the month before and the same month a year ago."
    ),
    "aging": N_("What is owed by how late it is, now and a month ago, and who owes the most."),
    "roll_rates": N_(
        "The share of each bucket that was not paid and moved one bucket older by the next "
        "month end."
    ),
    "allowance": N_(
        "What may never be collected, by the policy's loss rates (aging method) and by the "
        "roll rates."
    ),
    "movers": N_("Customers whose oldest unpaid invoice moved to a later bucket during the month."),
    "top_overdue": N_(
        "The ten customers owing the most past their due dates, with how they have paid "
        "over the last year."
    ),
    "carrying": N_(
        "The yearly cost of financing the overdue balances at the client's cost of capital."
    ),
    "credit": N_(
        "Customers put on credit hold or released since last month, whose payment scores "
        "moved most, the credit-limit changes the policy suggests, and who owes money "
        "without a credit limit."
    ),
    "collections": N_(
        "The collectors' month: contacts made by channel and outcome, promises made and "
        "whether they were kept, what contacted customers paid after the contact, and the "
        "customers stuck on a step of the collection ladder all month."
    ),
    "data_issues": N_(
        "Every problem found in the files (the first {count}), with where it is and how to fix it."
    ),
}


def heading(section: str) -> str:
    """The heading of ``section`` (a key of :data:`INTROS`) in the language spoken."""
    return {
        "data_banner": pgettext("review section", "Data checks"),
        "headline": pgettext("review section", "Headline figures"),
        "aging": pgettext("review section", "Aging and how it changed"),
        "roll_rates": pgettext("review section", "Roll rates"),
        "allowance": pgettext("review section", "Allowance for doubtful accounts"),
        "movers": pgettext("review section", "Customers getting worse"),
        "top_overdue": pgettext("review section", "Largest overdue balances"),
        "carrying": pgettext("review section", "What it costs to be their bank"),
        "credit": pgettext("review section", "Credit control"),
        "collections": pgettext("review section", "Collections"),
        "data_issues": pgettext("review section", "Data issues"),
    }[section]


def intro(section: str, **fields) -> HTML:
    """The heading of ``section`` (a key of :data:`INTROS`) and what it shows, translated."""
    text = _(INTROS[section]).format(**fields)
    return _html(
        f'<h2 class="arbook">{esc(heading(section))}</h2>'
        f'<p class="arbook arbook-note">{esc(text)}</p>'
    )


def _money(review: Review, cents) -> str:
    """An amount in a sentence, with the book's currency
    (:func:`~arbook.views.format.money_text`)."""
    return money_text(cents, review.ledger.currency)


def _buckets_in_words(frame, *columns: str):
    return frame.assign(**{c: frame[c].map(bucket_word) for c in columns if c in frame})


def _titles(titles: dict) -> dict:
    """``titles`` (column -> a marked text) in the language spoken."""
    return {column: _(text) for column, text in titles.items()}


def title(review: Review, *, client: str = "", data: str = "") -> list:
    """The report's title: client (or the data folder's name), month end and the settings."""
    s = review.settings
    name = client or Path(data).name or _("Receivables")
    named = _("{client}: receivables review, {date}").format(client=name, date=date_text(s.as_of))
    note = _(
        "Buckets by {days} ({buckets}); overdue counts from the due date; cost of capital "
        "{rate} a year."
    ).format(
        days=days_title(s.basis),
        buckets=", ".join(bucket_word(label) for label in s.labels),
        rate=percent_text(s.cost_of_capital, 1),
    )
    # The stylesheet goes out once, with the title; later sections rely on it.
    return [
        _html(
            CSS + f'<div class="arbook"><h1>{esc(named)}</h1>'
            f'<p class="arbook-note">{esc(note)}</p></div>'
        )
    ]


def data_banner(review: Review) -> list:
    """One line counting the data issues (details in :func:`data_issues`)."""
    return [intro("data_banner"), _html(issues_banner(review.issues))]


def _na(reason: str | None) -> list:
    """The n/a note with its reason, as a list of parts (none when there is no reason)."""
    return [_html(na_note(reason))] if reason else []


def headline(review: Review) -> list:
    """The KPI tiles (against last month and a year ago) and the 12-month trend chart; without
    the history, the reason instead of the chart."""
    tiles = _html(kpi_tiles(review.kpis, currency=review.ledger.currency))
    if not review.has_history:
        return [intro("headline"), tiles, *_na(review.why_na(NO_TREND))]
    return [intro("headline"), tiles, _svg(charts.trend(review.trend))]


BUCKET_TITLES = {
    "now_cents": N_("Now"),
    "previous_cents": N_("A month ago"),
    "change_cents": N_("Change"),
}


def bucket_titles(basis: str) -> dict[str, str]:
    """The aging table's titles: the bucket column says what its days count."""
    return {"bucket": days_title(basis).capitalize(), **_titles(BUCKET_TITLES)}


def aging(review: Review) -> list:
    """Aging now against a month ago (chart and table), then the largest balances by bucket."""
    labels = review.settings.labels
    frame = _buckets_in_words(review.buckets, "bucket")
    table = _html(table_html(frame, titles=bucket_titles(review.settings.basis)))
    by_customer = _svg(
        charts.aging_by_customer(review.summary, labels, basis=review.settings.basis)
    )
    exchange = [_note(line)] if (line := exchange_line(review)) else []
    if not review.has_history:
        why = review.why_na(N_("The aging a month ago"))
        return [intro("aging"), *_na(why), table, *exchange, by_customer]
    return [
        intro("aging"),
        _svg(charts.bucket_change(review.buckets, labels, basis=review.settings.basis)),
        table,
        *exchange,
        by_customer,
    ]


def exchange_line(review: Review) -> str:
    """The exchange differences of a book in several currencies, one sentence ("" for a book in
    one): realised by the payments up to the as-of date, unrealised on what is open at its
    rates (:func:`~arbook.measures.exchange.exchange_differences`)."""
    fx = review.exchange
    other = fx[fx["currency"] != (review.ledger.currency or "")]
    if other.empty:
        return ""
    currency = review.ledger.currency
    said = _(
        "In {book}, the amounts in {codes} count at their documents' rates; exchange "
        "differences: {realised} realised by the payments so far, {unrealised} unrealised on "
        "what is open at the rates of {date}."
    )
    return said.format(
        book=currency,
        codes=", ".join(other["currency"]),
        realised=money_text(int(fx["realised_cents"].sum()), currency, sign=True),
        unrealised=money_text(int(fx["unrealised_cents"].sum()), currency, sign=True),
        date=date_text(review.as_of),
    )


def month_text(month: object) -> str:
    """A month (``2026-10``) for people: as it is in English, the locale's short form in Spanish
    and Russian (``oct 2026``)."""
    text = str(month)
    if language() == "en" or len(text) != 7:
        return text
    return babel_date(date.fromisoformat(f"{text}-01"), format="LLL y", locale=language())


def roll_rates(review: Review) -> list:
    """Month-end roll rates over the last 12 months: chart and table."""
    if not review.has_history:
        return [intro("roll_rates"), *_na(review.why_na(N_("Roll rates")))]
    frame = review.rolls.assign(month=review.rolls["month"].map(month_text))
    titles = {"month": _("month")}
    titles.update(
        {c: "->".join(map(bucket_word, c.split("->"))) for c in frame.columns if "->" in c}
    )
    return [
        intro("roll_rates"),
        _svg(charts.roll_rates(review.rolls)),
        _html(table_html(frame, titles=titles)),
    ]


ALLOWANCE_TITLES = {
    "bucket": N_("Bucket"),
    "balance_cents": N_("Balance"),
    "aging_loss_rate": N_("Loss rate (aging)"),
    "aging_allowance_cents": N_("Allowance (aging)"),
    "roll_rate": N_("Average roll rate"),
    "roll_loss_rate": N_("Loss rate (roll rates)"),
    "roll_allowance_cents": N_("Allowance (roll rates)"),
}


def allowance(review: Review) -> list:
    """The allowance for doubtful accounts by the aging method and the roll-rate method."""
    frame = review.allowance
    if frame.empty:
        text = _(
            "No allowance: the policy has no loss rate for every bucket of these "
            "edges. Add them under [allowance.loss_rates] in the policy file."
        )
        return [intro("allowance"), _note(text)]
    total = frame[frame["bucket"] == "total"].iloc[0]
    text = _("Aging method: {aging}; roll-rate method: {roll}.").format(
        aging=_money(review, total["aging_allowance_cents"]),
        roll=_money(review, total["roll_allowance_cents"]),
    )
    why = _na(review.why_na(N_("The allowance by the roll-rate method")))
    table = table_html(_buckets_in_words(frame, "bucket"), titles=_titles(ALLOWANCE_TITLES))
    return [intro("allowance"), _note(text), *why, _html(table)]


#: The titles of the customer tables' columns :data:`~arbook.views.format.COLUMN_TITLES` does
#: not title.
CUSTOMER_TITLES = {
    "name": N_("name"),
    "bucket_before": N_("bucket before"),
    "bucket_now": N_("bucket now"),
    "oldest_bucket": N_("oldest bucket"),
    "avg_days_to_pay": N_("avg days to pay"),
    "days_beyond_terms": N_("days beyond terms"),
    "share_paid_late": N_("share paid late"),
}


def movers(review: Review) -> list:
    """Customers whose oldest debt moved to a worse bucket during the month."""
    frame = review.movers
    if not review.has_history:
        why = review.why_na(N_("Who moved to a worse bucket this month"))
        return [intro("movers"), *_na(why)]
    if frame.empty:
        return [intro("movers"), _note(_("No customer moved to a worse bucket this month."))]
    titles = {**_titles(CUSTOMER_TITLES), "overdue_cents": _("Overdue now")}
    frame = _buckets_in_words(frame, "bucket_before", "bucket_now")
    return [intro("movers"), _html(table_html(frame, titles=titles))]


def top_overdue(review: Review) -> list:
    """The ten largest overdue balances with how those customers pay."""
    why = review.why_na(N_("How these customers pay (days to pay, days beyond terms)"))
    frame = _buckets_in_words(review.top_overdue, "oldest_bucket")
    return [
        intro("top_overdue"),
        *_na(why),
        _html(table_html(frame, titles=_titles(CUSTOMER_TITLES))),
    ]


def carrying(review: Review, *, top: int = 10) -> list:
    """You are their bank: what financing today's overdue balance costs a year, what it has
    cost so far, the chart and the top customers."""
    frame = review.carrying
    yearly = int(frame["yearly_cost_cents"].sum())
    accrued = int(frame["carrying_cost_cents"].sum())
    owed = int(frame["overdue_cents"].sum())
    text = _(
        "Financing today's {overdue} overdue costs {yearly} a year at {rate}; it has cost "
        "{accrued} so far."
    ).format(
        overdue=_money(review, owed),
        yearly=_money(review, yearly),
        rate=percent_text(review.settings.cost_of_capital, 1),
        accrued=_money(review, accrued),
    )
    if frame.empty:
        return [intro("carrying"), _note(text)]
    table = table_html(
        frame.drop(columns="cent_days"), total=True, max_rows=top, titles=_titles(CUSTOMER_TITLES)
    )
    return [
        intro("carrying"),
        _note(text),
        _svg(charts.carrying_cost(frame, top=top)),
        _html(table),
    ]


CREDIT_TITLES = {
    "customer_id": N_("customer"),
    "name": N_("name"),
    "reasons": N_("why on hold"),
    "exposure_cents": N_("owed"),
    "credit_limit_cents": N_("credit limit"),
    "suggested_limit_cents": N_("suggested limit"),
    "change_cents": N_("change"),
    "oldest_days_overdue": N_("oldest overdue (days)"),
    "score": N_("score"),
    "score_3m": N_("score 3 months ago"),
    "trend_3m": N_("change"),
}
#: Customers listed in each direction of the score movers.
MOVERS_SHOWN = 10


def _heading(text: str) -> HTML:
    return HTML(f'<h3 class="arbook">{esc(text)}</h3>')


def _table(frame, text_if_empty: str, *, titles: dict | None = None, **kw) -> HTML:
    """``frame`` as a table titled by :data:`CREDIT_TITLES` and ``titles`` (marked texts),
    translated; ``text_if_empty`` (translated) when it has no row."""
    if frame.empty:
        return _note(text_if_empty)
    return _html(table_html(frame, titles=_titles({**CREDIT_TITLES, **(titles or {})}), **kw))


def _on_hold(review: Review, before: int | None = None) -> str:
    """How many customers are on credit hold and what they owe (and how many were a month
    ago, when ``before`` is known)."""
    now = review.holds
    count, amount = len(now), _money(review, now["exposure_cents"].sum())
    if before is None:
        text = ngettext(
            "{count} customers on credit hold, owing {amount}.",
            "{count} customers on credit hold, owing {amount}.",
            count,
        )
    else:
        text = ngettext(
            "{count} customers on credit hold, owing {amount}; a month ago {before}.",
            "{count} customers on credit hold, owing {amount}; a month ago {before}.",
            count,
        )
    return text.format(count=format_count(count), amount=amount, before=format_count(before or 0))


def credit(review: Review, *, top: int = MOVERS_SHOWN) -> list:
    """Credit control (SPEC §5): holds placed and lifted since last month, the customers whose
    payment score moved most in three months (both ways), the limit changes the periodic review
    suggests and the customers owing without a credit limit."""
    before = review.holds_before
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
        return [intro("credit"), *_credit_without_history(review, limits, vetted)]
    return [
        intro("credit"),
        _note(_on_hold(review, len(before))),
        _heading(_("Put on hold this month ({count})").format(count=format_count(len(added)))),
        _table(added, _("No customer went on hold this month."), total=True),
        _heading(_("Hold lifted this month ({count})").format(count=format_count(len(lifted)))),
        _table(
            lifted,
            _("No hold was lifted this month."),
            titles={"reasons": N_("why it was on hold"), "exposure_cents": N_("owed a month ago")},
        ),
        _heading(_("Payment scores falling most (three months)")),
        _table(falls, _("No customer's score fell.")),
        _heading(_("Payment scores rising most (three months)")),
        _table(rises, _("No customer's score rose.")),
        *_limits_and_vetted(limits, vetted),
    ]


def _limits_and_vetted(limits, vetted) -> list:
    """The credit limits the review would change and the customers owing without one."""
    return [
        _heading(_("Credit limits to change ({count})").format(count=format_count(len(limits)))),
        _table(
            limits,
            _("The limit review suggests no change."),
            max_rows=30,
            titles={"reasons": N_("why")},
        ),
        _heading(
            _("Owing without a credit limit ({count})").format(count=format_count(len(vetted)))
        ),
        _table(vetted, _("Every customer who owes money has a credit limit."), total=True),
    ]


def _credit_without_history(review: Review, limits, vetted) -> list:
    """:func:`credit` of a ledger of open items only: the holds at the report's date (by limit
    and days overdue), the reasons holds over time and scores are n/a, the limits and the
    customers without one."""
    return [
        _note(_on_hold(review)),
        _table(review.holds, _("No customer is on credit hold."), total=True),
        *_na(review.why_na(N_("Holds put on and lifted this month"))),
        _heading(pgettext("review section", "Payment scores")),
        *_na(review.why_na(N_("Payment scores"))),
        *_limits_and_vetted(limits, vetted),
    ]


def data_issues(review: Review, *, limit: int = ISSUES_SHOWN) -> list:
    """The first ``limit`` data issues, one line each (``file:line: code: message. hint``)."""
    issues = review.issues
    head = intro("data_issues", count=format_count(limit))
    if issues.empty:
        return [head, _note(_("No data issues: every row of the files was used."))]
    lines = [format_issue(row) for row in issues.head(limit).itertuples(index=False)]
    more = len(issues) - len(lines)
    tail = (
        "\n"
        + ngettext(
            "… and {count} more (run `arbook check` to list them all).",
            "… and {count} more (run `arbook check` to list them all).",
            more,
        ).format(count=format_count(more))
        if more > 0
        else ""
    )
    listing = esc(chr(10).join(lines) + tail)
    return [head, _html(f'<pre class="arbook arbook-note">{listing}</pre>')]


COLLECTION_TITLES = {
    "customer_id": N_("customer"),
    "name": N_("name"),
    "channel": N_("channel"),
    "outcome": N_("outcome"),
    "contacts": N_("contacts"),
    "status": N_("status"),
    "promises": N_("promises"),
    "promise_cents": N_("promised"),
    "promise_date": N_("promised for"),
    "paid_cents": N_("paid"),
    "first_contact": N_("first contact"),
    "collected_cents": N_("paid after contact"),
    "step": N_("step"),
    "step_days": N_("step (days overdue)"),
    "days_on_step": N_("days on the step"),
    "oldest_days": N_("oldest overdue (days)"),
    "overdue_cents": N_("overdue"),
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
        why = review.why_na(
            N_(
                "The collectors' month (promises kept, cash after contact, "
                "customers stuck on a step)"
            )
        )
        return [intro("collections"), *_na(why)]
    if not log and isinstance(review.log, ContactLog):  # the log the review counts disputes by
        log = review.log
    if not isinstance(log, ContactLog):
        opened = open_log(str(log or "") or None, folder=review.ledger.folder)
        if opened is None:
            return [intro("collections"), *_collections(review, None, collection_summary)]
        with opened:
            return [intro("collections"), *_collections(review, opened, collection_summary)]
    return [intro("collections"), *_collections(review, log, collection_summary)]


def _in_words(summary: dict) -> dict:
    """The collection summary's codes (channels, outcomes, promise statuses, ladder steps) as
    a person reads them."""
    from arbook.collections.contacts import channel_label, outcome_label
    from arbook.collections.ladder import step_text
    from arbook.collections.promises import status_label

    out = dict(summary)
    for name, column, label in (
        ("by_channel", "channel", channel_label),
        ("by_outcome", "outcome", outcome_label),
        ("promise_status", "status", status_label),
        ("promises", "status", status_label),
        ("stuck", "step", step_text),
    ):
        frame = summary[name]
        out[name] = frame.assign(**{column: frame[column].map(label)})
    return out


def _collections(review: Review, log, collection_summary) -> list:
    s = _in_words(collection_summary(review.ledger, review.as_of, log))
    stuck = s["stuck"]
    from_days = resolve_policy(review.ledger.policy).collections.stuck_from_days
    none_stuck = _("No customer stayed on a step of {days} days overdue or more all month.").format(
        days=format_count(from_days)
    )
    parts = [
        _heading(
            _("Stuck on a ladder step for the month ({count})").format(
                count=format_count(len(stuck))
            )
        ),
        _table(stuck, none_stuck, titles=COLLECTION_TITLES, total=True),
    ]
    if log is None:
        text = _(
            "No contact log was found, so contacts, promises and cash collected "
            "after contact are not shown."
        )
        return [_note(text), *parts]
    promises = s["promises"].drop(columns="made_at")
    month = _(
        "{contacts} contacts with {customers} customers this month; {promises} promises made: "
        "{kept} kept, {broken} broken, {open} open. Customers contacted paid {amount} after "
        "the contact."
    ).format(
        contacts=format_count(s["contacts"]),
        customers=format_count(s["customers_contacted"]),
        promises=format_count(len(promises)),
        kept=format_count(s["kept"]),
        broken=format_count(s["broken"]),
        open=format_count(s["open"]),
        amount=_money(review, s["collected_cents"]),
    )
    no_contact, no_promise = (
        _("No contact was logged this month."),
        _("No promise was made this month."),
    )
    return [
        _note(month),
        _heading(_("Contacts by channel")),
        _table(s["by_channel"], no_contact, titles=COLLECTION_TITLES),
        _heading(_("Contacts by outcome")),
        _table(s["by_outcome"], no_contact, titles=COLLECTION_TITLES),
        _heading(_("Promises made this month")),
        _table(s["promise_status"], no_promise, titles=COLLECTION_TITLES),
        _table(promises, no_promise, titles=COLLECTION_TITLES, max_rows=30),
        _heading(_("Paid after contact")),
        _table(
            s["collected"],
            _("No customer contacted this month paid after the contact."),
            titles=COLLECTION_TITLES,
            total=True,
            max_rows=30,
        ),
        *parts,
    ]


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
    from arbook.views.review.forecast_section import forecast  # it imports this module

    parts = title(review, client=client, data=data)
    for section in SECTIONS:
        parts += section(review) + (forecast(review) if section is top_overdue else [])
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
