"""What the walkthrough notebook says between its sections, in the language spoken: the method,
what each step shows and the next steps (a notebook's markdown cannot be translated, so the
notebook shows :func:`explain`'s HTML instead). Commands, files and policy tables are given as
code, never translated."""

from __future__ import annotations

from IPython.display import HTML

from arbook.core.i18n import N_, _
from arbook.views.html import esc

#: Each part's heading, its paragraphs and its list of terms (a term, then what it means);
#: every text marked for the catalogue, translated where shown. ``{name}`` in a text is code.
PARTS: dict[str, dict] = {
    "intro": {
        "heading": N_("Walkthrough: taking control of your receivables"),
        "level": 1,
        "paragraphs": [
            N_(
                "The consultant's guided tour for a first meeting with a client, told with the "
                "client's own data. It follows one method in four steps:"
            ),
        ],
        "steps": [
            N_("What you are owed, by whom, and how late."),
            N_(
                "What that costs you. Customers who pay late are borrowing from you: you are "
                "their bank."
            ),
            N_("Who to chase first, and why."),
            N_("Where the credit and collection policy is missing, and the next steps."),
        ],
        "after": [
            N_(
                "Pick the client's data folder and a month end in the picker below and press "
                "Use this data: every section is redrawn."
            ),
        ],
    },
    "load": {
        "heading": N_("Load your data"),
        "level": 3,
        "paragraphs": [
            N_(
                "If the client's books are not in arbook's three files nor in an export arbook "
                "knows (QuickBooks, Xero, ERPNext, 1C, the Spanish sales book...), map them "
                "here: pick the file in the data folder or upload it, check the header row "
                "found and the column suggested for each of arbook's fields (change any of "
                "them), and the totals and problems that mapping gives."
            ),
            N_(
                "Save mapping writes {file} in the data folder; from then on every arbook "
                "command, the dashboard and this walkthrough read the folder through it, and "
                "the story below is redrawn on it."
            ),
        ],
        "code": {"file": "mapping.toml"},
    },
    "owed": {
        "heading": N_("1. What you are owed, by whom, and how late"),
        "paragraphs": [
            N_(
                "The first step is an honest account: who owes you money, how much, and how "
                "late it is."
            ),
        ],
        "terms": [
            (
                N_("Owed"),
                N_("everything customers still have to pay on their invoices at the month end."),
            ),
            (
                N_("Past due"),
                N_("the part whose due date has passed; current means not yet due."),
            ),
            (
                N_("Buckets"),
                N_(
                    "what is owed sorted by how many days it is past its due date. The older a "
                    "debt, the less likely it is to be paid: money more than 90 days late is "
                    "often never collected."
                ),
            ),
            (
                N_("Credits and unapplied cash"),
                N_(
                    "money customers paid without saying which invoice, or credit notes not "
                    "yet set against an invoice. They are kept apart so the buckets show only "
                    "what is owed."
                ),
            ),
        ],
    },
    "cost": {
        "heading": N_("2. What it costs you: you are their bank"),
        "paragraphs": [
            N_(
                "A customer who pays 60, 90 or 120 days late is borrowing your money, "
                "interest-free. That money is missing from your cash flow, and you pay for it: "
                "with your own credit line or with the cash you could not invest."
            ),
        ],
        "terms": [
            (
                N_("Carrying cost a year"),
                N_(
                    "what financing today's overdue balance costs you for a year at your cost "
                    'of capital: the overdue amount × the yearly rate. That is the "you are '
                    'their bank" figure.'
                ),
            ),
            (
                N_("Carrying cost to date"),
                N_(
                    "what it has already cost since each overdue invoice fell due: each "
                    "overdue amount × the days it is late × the yearly rate / 365."
                ),
            ),
            (
                N_("DSO"),
                N_(
                    "days sales outstanding, count-back: how many days of recent sales are "
                    "still unpaid, roughly how long customers take to pay you."
                ),
            ),
            (
                N_("Best possible DSO"),
                N_(
                    "what DSO would be if every customer paid exactly on the due date: the part "
                    "of DSO your terms explain."
                ),
            ),
            (
                N_("Average days delinquent"),
                N_(
                    "the difference, the part your customers add by paying late. That part is "
                    "what a collection policy can win back."
                ),
            ),
            (
                N_("CEI"),
                N_(
                    "the collection effectiveness index: the share of what you could have "
                    "collected this month (what was owed at the start plus the month's sales, "
                    "less what is not yet due) that you did collect. 100% means every invoice "
                    "that fell due was paid."
                ),
            ),
        ],
    },
    "chase": {
        "heading": N_("3. Who to chase first, and why"),
        "paragraphs": [
            N_(
                "You cannot call everyone today, so rank the late payers. The order is the "
                "daily worklist's, the expected loss a call can avoid: a customer comes first "
                "when it owes a lot, has owed it for long, and has a poor payment record:"
            ),
            N_(
                "priority = Σ overdue amount × min(1 + days late / 30, 5) × (1 + (100 − "
                "payment score) / 100)"
            ),
            N_(
                "(a month late doubles an item's weight, up to five times from 120 days; a "
                "payment score of 0 doubles the whole, a customer with no payment record counts "
                "as a score of 50). Each of the first customers comes with the reasons it is "
                "there: what it owes, how late, its payment score and what carrying its debt "
                "costs you."
            ),
            N_(
                "Invoices in dispute are still owed but are never chased: they are listed apart "
                "until the dispute is settled. The weights live in the policy file ({table})."
            ),
        ],
        "code": {"table": "[collections]"},
    },
    "policy": {
        "heading": N_("4. Where the policy is missing"),
        "paragraphs": [
            N_(
                "Most receivables problems are policy problems. A working credit and collection "
                "policy has seven parts; the table says, for each, what this client's data "
                "shows."
            ),
        ],
        "terms": [
            (
                N_("Check credit before giving it"),
                N_(
                    "score every new customer on a credit application and set a limit and terms "
                    "before the first invoice; hold further credit when the limit is passed."
                ),
            ),
            (
                N_("Agree terms and penalties"),
                N_("in writing, before the sale: when payment is due and what lateness costs."),
            ),
            (
                N_("A scheduled escalation procedure"),
                N_(
                    "write down the steps (a friendly reminder, a call, a letter, a visit, a "
                    "final notice, credit hold, an agency) and the day each one happens, and "
                    "run it every time an invoice falls due unpaid. Review the list every day."
                ),
            ),
            (
                N_("Log every contact"),
                N_(
                    "date, who, what was said, what was promised. A promise not kept is the "
                    "next step's reason."
                ),
            ),
            (
                N_("Send statements"),
                N_("a copy of every open invoice, payment and credit to the customer, one kept."),
            ),
            (
                N_("Prepared answers to excuses"),
                N_(
                    'for "it is in the pile of unopened mail", "the cheque is in the post", '
                    '"the person who signs is away"..., a ready answer, the facts to pin down '
                    "(when, who, how much) and the next step with its date. Keep them by the "
                    "phone."
                ),
            ),
            (
                N_("Reward early payment"),
                N_(
                    "a discount for paying early can pay for itself when it frees cash that "
                    "costs you more than the discount."
                ),
            ),
        ],
    },
    "applicant": {
        "heading": N_("Before credit: score every applicant"),
        "level": 3,
        "paragraphs": [
            N_(
                "The first gap to close. A new customer fills in a credit application; every "
                "answer earns points (years in business, trade references, the bank's opinion, "
                "financial strength by Altman's Z'', a guarantee), the total gives a grade A–E, "
                "and the grade gives a credit limit and terms agreed before the first delivery."
            ),
            N_("Here is the shipped sample applicant; {notebook} scores the client's own."),
        ],
        "code": {"notebook": "notebooks/credit_application.ipynb"},
    },
    "discount": {
        "heading": N_("Reward early payment, only where it pays"),
        "level": 3,
        "paragraphs": [
            N_(
                "A discount for paying early (say 2% within 10 days instead of 30) costs the "
                "discount and frees cash sooner. Whether it pays for itself depends on who "
                "would take it: customers who already pay on time cost the discount and free "
                "nothing."
            ),
            N_(
                "Here it is simulated on the client's own last 12 months; {notebook} has "
                "sliders for the terms and assumptions."
            ),
        ],
        "code": {"notebook": "notebooks/discount_program.ipynb"},
    },
    "steps": {
        "heading": N_("Three steps for every new debtor"),
        "level": 3,
        "paragraphs": [
            N_(
                "Decide now what happens the day a customer stops paying, not after. Write down "
                "three steps you will take every time a customer becomes a debtor, keep them on "
                "your computer, and take them every time, for every customer: a friendly "
                "reminder, a phone call, a letter or a personal visit, whatever works best for "
                "you and you will have time for. Customers learn that you are serious and that "
                "the only way to stop the reminders is to pay."
            ),
            N_(
                "The form starts with three sensible steps, counted in days from the due date: "
                "a friendly reminder e-mail 3 days before it, a phone call 7 days after, a "
                "written notice (late charges start) 15 days after. Pick another step from the "
                "ladder or change the days, action and owner with the client."
            ),
            N_(
                "Save as the client's ladder writes {file} in their data folder: the three "
                "steps first, then the later steps of the shipped ladder (final notice, visit, "
                "agency), each with its call script. From then on arbook follows it for this "
                "client: the daily worklist ({worklist}), the credit holds (the step that tells "
                "the customer the account is on hold is where {holds} starts holding it) and "
                "the dashboard's Collections tab."
            ),
        ],
        "code": {
            "file": "ladder.toml",
            "worklist": "arbook worklist DATA --as-of D",
            "holds": "arbook holds",
        },
    },
    "company": {
        "heading": N_("Your company on every document"),
        "level": 3,
        "paragraphs": [
            N_(
                "A statement or a letter is one the client can send only when it says who sends "
                "it: the company's name, address and tax id, the bank details to pay into, an "
                "e-mail and a phone number to answer on."
            ),
            N_(
                "Fill them in once with the client; Save the company details writes them into "
                "the {table} table of {file} in their data folder (the rest of that file is "
                "kept as it is), where {commands} and the dashboard find them. Until the "
                "company is named, documents are drafts to preview and nothing goes to a "
                "customer."
            ),
        ],
        "code": {
            "table": "[company]",
            "file": "policy.toml",
            "commands": "arbook daily, arbook statement, arbook letter",
        },
    },
    "next": {
        "heading": N_("Next steps"),
        "paragraphs": [
            N_("What to set up with the client, in the order of a first engagement:"),
        ],
        "steps": [
            N_(
                "Credit policy, now: copy {policy} and {scorecard} into the client's folder and "
                "agree the numbers: the scorecard's points and grades, the hold rules "
                "({credit}), the late-charge rate and fee ({late_charges}), and whether to "
                "offer an early-payment discount ({discounts}). Score every new applicant "
                "({score}), review limits each month ({credit_review}) and stop new credit to "
                "the customers on hold ({holds}, the dashboard's Credit tab)."
            ),
            N_("The monthly review ({review}) for the client's board, every month end."),
            N_(
                "Collections, every morning: the dashboard's Collections tab (or {worklist}) "
                "lists who to contact today and why, broken promises first, with the call "
                "script of each customer's step on the ladder and the prepared answers to the "
                "usual excuses; log every call, e-mail and visit there (the contact log keeps "
                "its promises and checks them against payments), and send statements and "
                "ladder letters from the outbox ({documents})."
            ),
        ],
        "code": {
            "policy": "arbook/defaults/policy.toml",
            "scorecard": "scorecard.toml",
            "credit": "[credit]",
            "late_charges": "[late_charges]",
            "discounts": "[discounts]",
            "score": "arbook score",
            "credit_review": "arbook credit-review",
            "holds": "arbook holds",
            "review": "arbook review",
            "worklist": "arbook worklist",
            "documents": "arbook statement, arbook letter",
        },
    },
}


def _text(message: str, code: dict[str, str]) -> str:
    """``message`` translated and escaped, its ``{name}`` fields filled with ``code``."""
    filled = {name: f"<code>{esc(value)}</code>" for name, value in code.items()}
    return esc(_(message)).format(**filled) if "{" in message else esc(_(message))


def explain_html(name: str) -> str:
    """The HTML of part ``name`` of :data:`PARTS` in the language spoken: its heading, its
    paragraphs, its numbered steps or its terms with what each means."""
    part = PARTS[name]
    code = part.get("code", {})
    level = part.get("level", 2)
    out = [f"<h{level}>{esc(_(part['heading']))}</h{level}>"]
    out += [f"<p>{_text(p, code)}</p>" for p in part.get("paragraphs", [])]
    if part.get("steps"):
        out.append("<ol>" + "".join(f"<li>{_text(s, code)}</li>" for s in part["steps"]) + "</ol>")
    if part.get("terms"):
        items = "".join(
            f"<li><b>{esc(_(term))}</b>: {_text(meaning, code)}</li>"
            for term, meaning in part["terms"]
        )
        out.append(f"<ul>{items}</ul>")
    out += [f"<p>{_text(p, code)}</p>" for p in part.get("after", [])]
    return '<div class="arbook arbook-prose">' + "".join(out) + "</div>"


def explain(name: str) -> HTML:
    """Part ``name`` of the walkthrough's prose, to display as a notebook cell's value."""
    return HTML(explain_html(name))
