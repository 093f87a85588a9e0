"""The credit, discount, collections and document commands of ``arbook`` (exit codes: see
:mod:`arbook.cli.commands`): argument parsing and one library call per command."""

from __future__ import annotations

import pandas as pd

from arbook.cli.common import (
    OK,
    data_options,
    emit,
    finish,
    format_option,
    ladder_option,
    load_ledger,
    log_option,
    money_arg,
    open_log,
    report_parser,
    say,
    say_na,
)
from arbook.core.config import LANGUAGES
from arbook.core.dates import days_text, format_count
from arbook.core.i18n import _, language
from arbook.credit.holds import credit_holds, not_vetted
from arbook.credit.limits import credit_review
from arbook.credit.scores import payment_scores
from arbook.views.format import format_cents, format_ratio


def policy_parsers(sub) -> None:
    """The credit, discount, collections and document commands."""
    discount_parsers(sub)
    report_parser(
        sub,
        "scores",
        _("payment-history score (0-100) of every customer, with trends"),
        when="day",
    )
    p = report_parser(
        sub,
        "holds",
        _("customers on credit hold and why, then those with no limit"),
        when="day",
    )
    p.add_argument(
        "--not-vetted",
        action="store_true",
        help=_("list only the customers owing money with no credit limit set"),
    )
    log_option(p)  # broken promises in the contact log also put a customer on hold
    ladder_option(p)  # the ladder's credit-hold step holds what is that far overdue
    p = report_parser(
        sub, "credit-review", _("suggested credit limits: raise, cut or set"), when="day"
    )
    log_option(p)
    ladder_option(p)
    collections_parsers(sub)
    document_parsers(sub)
    p = sub.add_parser("score", help=_("score a credit application; print the decision"))
    p.add_argument("file", help=_("the applicant's answers, a TOML or JSON file"))
    p.add_argument(
        "--scorecard", help=_("scorecard TOML (default: arbook/defaults/scorecard.toml)")
    )


def discount_parsers(sub) -> None:
    """late-charges, discount-cost and discount (SPEC §5 late charges, §6 discounts)."""
    p = report_parser(sub, "late-charges", _("interest and fees due on overdue items"), when="day")
    p.add_argument(
        "--rate",
        type=float,
        default=None,
        help=_("annual interest as a fraction, e.g. 0.10 (default: the policy's)"),
    )
    p.add_argument(
        "--fee",
        type=money_arg,
        default=None,
        help=_("fixed fee per reminder sent, e.g. 10.00 (default: the policy's)"),
    )
    p.add_argument(
        "--rules",
        choices=("contract", "eu"),
        default=None,
        help=_(
            "contract: the rate and fee; eu: reference rate + 8 points and 40.00 "
            "per overdue invoice (default: the policy's)"
        ),
    )
    p.add_argument(
        "--by",
        choices=("customer", "item", "reminder"),
        default="customer",
        help=_("one row per customer (default), per overdue item, or per reminder charged"),
    )
    log_option(p)  # the reminders sent, each charged the fee
    ladder_option(p)  # the steps from which late charges apply
    p = sub.add_parser("discount-cost", help=_("what early-payment terms cost a year"))
    p.add_argument("terms", help=_('e.g. "2/10 net 30"'))
    p.add_argument(
        "--pay-day",
        type=int,
        default=None,
        help=_("day customers pay today if later than the net days"),
    )
    format_option(p)
    p = report_parser(
        sub, "discount", _("would an early-payment discount pay for itself"), when="day"
    )
    p.add_argument("--terms", default=None, help=_('e.g. "2/10 net 30" (default: the policy\'s)'))
    p.add_argument(
        "--cost-of-capital",
        type=float,
        default=None,
        help=_("annual rate as a fraction, e.g. 0.10 (default: the policy's)"),
    )
    p.add_argument(
        "--uptake",
        type=float,
        default=None,
        help=_("share of eligible sales taking it, 0 to 1 (default: the policy's)"),
    )


def document_parsers(sub) -> None:
    """statement and letter: customer documents kept in the outbox and given to the customer
    (kept to print and post by default, e-mailed with --send, queued with --queue)."""
    from arbook.cli.documents import giving_options

    for name, text in (
        ("statement", _("a customer's statement of account: kept to post, e-mailed or queued")),
        ("letter", _("a collection letter for a ladder step: kept to post, e-mailed or queued")),
    ):
        p = sub.add_parser(name, help=text)
        data_options(p)
        p.add_argument("customer", help=_("the customer_id"))
        p.add_argument("--as-of", required=True, help=_("the document's date, YYYY-MM-DD"))
        if name == "letter":
            p.add_argument(
                "--template", required=True, choices=("reminder", "notice", "final_notice", "legal")
            )
        p.add_argument(
            "--step",
            default=None,
            help=_(
                "the ladder step (its key, e.g. second_call) the document acts on (default: "
                "the customer's step; a statement only when the ladder sends one there)"
            ),
        )
        ladder_option(p)
        p.add_argument(
            "--lang",
            choices=LANGUAGES,
            default=None,
            help=_(
                "language of the document (default: the customer's, else en); also the interface's"
            ),
        )
        p.add_argument(
            "--out",
            default=None,
            help=_(
                "outbox folder (default: DATA/outbox; for one file read with --preset, "
                "<file name without extension>-outbox beside it: ibm.csv -> ibm-outbox)"
            ),
        )
        p.add_argument(
            "--company",
            default=None,
            help=_(
                "TOML file with a [company] table (name, address, tax_id, bank, iban, bic, "
                "email, phone, logo, payment_note) over the policy's [company]"
            ),
        )
        giving_options(p)


def collections_parsers(sub) -> None:
    """worklist and playbook (SPEC §7)."""
    p = report_parser(sub, "worklist", _("who to call this morning and what to say"), when="day")
    log_option(p)
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help=_(
            "language of the call scripts (default: each customer's, else en); also the interface's"
        ),
    )
    ladder_option(p)
    p.add_argument("--xlsx", help=_("also write the worklist to this Excel file"))
    p = sub.add_parser("playbook", help=_("the excuse playbook: prepared answers and follow-ups"))
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help=_("language of the playbook and the interface (default: the interface's)"),
    )
    p.add_argument("--playbook", help=_("playbook TOML (default: arbook/defaults/playbook.toml)"))


def cmd_scores(args) -> int:
    ledger = load_ledger(args)
    emit(payment_scores(ledger, args.as_of), args.format)
    say_na(ledger, _("Payment scores"), args)
    return finish(ledger, args)


def cmd_holds(args) -> int:
    """Holds, and under them (table format) the customers owing without a limit; csv and json
    carry one table, so they give the holds, or the not-vetted list with --not-vetted."""
    ledger = load_ledger(args)
    unvetted = not_vetted(ledger, args.as_of)
    if args.not_vetted:
        emit(unvetted, args.format, total=True)
        return finish(ledger, args)
    log = open_log(args, ledger)
    emit(credit_holds(ledger, args.as_of, log=log, ladder=args.ladder), args.format)
    if args.format == "table":
        say(
            "",
            _("Owing with no credit limit set ({count}):").format(
                count=format_count(len(unvetted))
            ),
        )
        emit(unvetted, args.format, total=True)
    return finish(ledger, args)


def cmd_credit_review(args) -> int:
    ledger = load_ledger(args)
    log = open_log(args, ledger)
    emit(credit_review(ledger, args.as_of, log=log, ladder=args.ladder), args.format)
    say_na(ledger, _("Payment scores"), args)
    return finish(ledger, args)


def cmd_late_charges(args) -> int:
    from arbook.credit.penalties import (
        fee_basis_text,
        late_charge_totals,
        late_charges,
        reminder_fees,
    )

    ledger = load_ledger(args)
    log = open_log(args, ledger)
    try:
        charges = late_charges(
            ledger,
            args.as_of,
            annual_rate=args.rate,
            fee_cents=args.fee,
            preset=args.rules,
            log=log,
            ladder=args.ladder,
        )
        if args.by == "reminder":
            frame = reminder_fees(
                ledger, args.as_of, log, fee_cents=args.fee, preset=args.rules, ladder=args.ladder
            )
        else:
            frame = charges if args.by == "item" else late_charge_totals(charges)
    finally:
        if log is not None:
            log.close()
    emit(frame, args.format, total=True)
    if args.format == "table":
        terms = charges.attrs
        rate = format_ratio(terms["annual_rate"], percent=True, digits=2)
        if terms["preset"] == "eu":
            said = _(
                "Interest at {rate} a year on overdue items ({rules} terms), plus {fee} per "
                "overdue invoice; disputed items accrue nothing."
            ).format(rate=rate, rules=terms["preset"], fee=format_cents(terms["per_invoice_cents"]))
        else:
            said = _(
                "Interest at {rate} a year on overdue items ({rules} terms), plus {basis}, {fee} "
                "each; disputed items accrue nothing."
            ).format(
                rate=rate,
                rules=terms["preset"],
                basis=fee_basis_text(terms["fee_basis"]),
                fee=format_cents(terms["fee_cents"]),
            )
        say("", said)
    elif charges.attrs["fee_basis"] == "customer" and charges.attrs["preset"] != "eu":
        say(_("note: {note}").format(note=fee_basis_text("customer")), err=True)
    return finish(ledger, args)


def cmd_discount_cost(args) -> int:
    from arbook.credit.discounts import (
        discount_cost,
        discount_cost_compound,
        format_terms,
        parse_terms,
    )

    rate, days, net = parse_terms(args.terms)
    pay = net if args.pay_day is None else args.pay_day
    simple = discount_cost(rate, days, net, pay)
    compound = discount_cost_compound(rate, days, net, pay)
    if args.format == "table":
        say(
            _("{terms} paid on day {day}: {simple} a year simple, {compound} compounded").format(
                terms=format_terms(rate, days, net),
                day=pay,
                simple=format_ratio(simple, percent=True, digits=2),
                compound=format_ratio(compound, percent=True, digits=2),
            )
        )
    else:
        emit(
            pd.DataFrame(
                [
                    {
                        "terms": format_terms(rate, days, net),
                        "discount": rate,
                        "discount_days": days,
                        "net_days": net,
                        "pay_day": pay,
                        "simple_cost": simple,
                        "compound_cost": compound,
                    }
                ]
            ),
            args.format,
        )
    return OK


def cmd_discount(args) -> int:
    from arbook.credit.discounts import simulate_discount
    from arbook.views.credit.discount import summary_rows

    ledger = load_ledger(args)
    sim = simulate_discount(
        ledger,
        args.as_of,
        terms=args.terms,
        uptake=args.uptake,
        cost_of_capital=args.cost_of_capital,
    )
    if args.format == "table":
        width = max(len(label) for label, _value in summary_rows(sim))
        for label, value in summary_rows(sim):
            say(f"{label.ljust(width)}  {value}")
    else:
        emit(sim.totals, args.format)
    return finish(ledger, args)


def cmd_worklist(args) -> int:
    from arbook.collections.worklist import worklist, write_worklist

    ledger = load_ledger(args)
    log = open_log(args, ledger)
    # the scripts in --lang, else each in its customer's language
    frame = worklist(ledger, args.as_of, log=log, ladder=args.ladder, lang=args.lang)
    if args.xlsx:
        write_worklist(frame, args.xlsx)
    emit(frame.drop(columns="script") if args.format == "table" else frame, args.format)
    return finish(ledger, args)


def cmd_playbook(args) -> int:
    from arbook.collections.playbook import playbook_frame

    labels = [_("answer:"), _("pin down:"), _("next step:"), _("follow up:")]
    width = max(len(label) for label in labels) + 1
    answer, pin_down, next_step, follow_up = (label.ljust(width) for label in labels)
    lang = args.lang or language()
    for row in playbook_frame(lang, playbook=args.playbook).itertuples(index=False):
        say(
            f"[{row.code}] {row.excuse}",
            f"  {answer}{row.answer}",
            f"  {pin_down}{row.pin_down}",
            f"  {next_step}{row.next_step}",
            f"  {follow_up}{days_text(row.follow_up_days, sign=True)}",
            "",
        )
    return OK


def cmd_document(args) -> int:
    """statement / letter: make the document, keep it in the outbox, give it as the flags say
    (see :func:`arbook.cli.documents.give_document`); print its three paths and what became of
    it."""
    from arbook.cli.documents import give_document, open_writable_log
    from arbook.collections.documents import customer_language, letter, load_company, statement

    ledger = load_ledger(args)
    company = load_company(args.company) if args.company else None
    lang = args.lang or customer_language(ledger, args.customer)
    # the log's disputes, plans and charges: read from the client's log (--log when given)
    log = open_writable_log(args, ledger) if args.log else open_log(args, ledger)
    try:
        if args.command == "letter":
            doc = letter(
                ledger,
                args.customer,
                args.as_of,
                args.template,
                lang=lang,
                step=args.step,
                company=company,
                ladder=args.ladder,
                log=log,
            )
        else:
            doc = statement(
                ledger,
                args.customer,
                args.as_of,
                lang=lang,
                company=company,
                step=args.step,
                log=log,
                ladder=args.ladder,
            )
    finally:
        if log is not None:
            log.close()
    give_document(args, ledger, doc)
    return finish(ledger, args)


def cmd_score(args) -> int:
    from arbook.credit.application import score_application
    from arbook.views.credit.decision import decision_text

    say(*decision_text(score_application(args.file, scorecard=args.scorecard)).splitlines())
    return OK


POLICY_COMMANDS = {
    "late-charges": cmd_late_charges,
    "discount-cost": cmd_discount_cost,
    "discount": cmd_discount,
    "scores": cmd_scores,
    "holds": cmd_holds,
    "credit-review": cmd_credit_review,
    "score": cmd_score,
    "statement": cmd_document,
    "letter": cmd_document,
    "worklist": cmd_worklist,
    "playbook": cmd_playbook,
}
