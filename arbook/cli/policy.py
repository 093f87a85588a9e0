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
from arbook.core.dates import days_text
from arbook.credit.holds import credit_holds, not_vetted
from arbook.credit.limits import credit_review
from arbook.credit.scores import payment_scores
from arbook.views.format import format_cents


def policy_parsers(sub) -> None:
    """The credit, discount, collections and document commands."""
    discount_parsers(sub)
    report_parser(
        sub, "scores", "payment-history score (0-100) of every customer, with trends", when="day"
    )
    p = report_parser(
        sub, "holds", "customers on credit hold and why, then those with no limit", when="day"
    )
    p.add_argument(
        "--not-vetted",
        action="store_true",
        help="list only the customers owing money with no credit limit set",
    )
    log_option(p)  # broken promises in the contact log also put a customer on hold
    ladder_option(p)  # the ladder's credit-hold step holds what is that far overdue
    p = report_parser(
        sub, "credit-review", "suggested credit limits: raise, cut or set", when="day"
    )
    log_option(p)
    ladder_option(p)
    collections_parsers(sub)
    document_parsers(sub)
    p = sub.add_parser("score", help="score a credit application; print the decision")
    p.add_argument("file", help="the applicant's answers, a TOML or JSON file")
    p.add_argument("--scorecard", help="scorecard TOML (default: arbook/defaults/scorecard.toml)")


def discount_parsers(sub) -> None:
    """late-charges, discount-cost and discount (SPEC §5 late charges, §6 discounts)."""
    p = report_parser(sub, "late-charges", "interest and fees due on overdue items", when="day")
    p.add_argument(
        "--rate",
        type=float,
        default=None,
        help="annual interest as a fraction, e.g. 0.10 (default: the policy's)",
    )
    p.add_argument(
        "--fee",
        type=money_arg,
        default=None,
        help="fixed fee per reminder sent, e.g. 10.00 (default: the policy's)",
    )
    p.add_argument(
        "--rules",
        choices=("contract", "eu"),
        default=None,
        help="contract: the rate and fee; eu: reference rate + 8 points and 40.00 "
        "per overdue invoice (default: the policy's)",
    )
    p.add_argument(
        "--by",
        choices=("customer", "item", "reminder"),
        default="customer",
        help="one row per customer (default), per overdue item, or per reminder charged",
    )
    log_option(p)  # the reminders sent, each charged the fee
    ladder_option(p)  # the steps from which late charges apply
    p = sub.add_parser("discount-cost", help="what early-payment terms cost a year")
    p.add_argument("terms", help='e.g. "2/10 net 30"')
    p.add_argument(
        "--pay-day",
        type=int,
        default=None,
        help="day customers pay today if later than the net days",
    )
    format_option(p)
    p = report_parser(sub, "discount", "would an early-payment discount pay for itself", when="day")
    p.add_argument("--terms", default=None, help='e.g. "2/10 net 30" (default: the policy\'s)')
    p.add_argument(
        "--cost-of-capital",
        type=float,
        default=None,
        help="annual rate as a fraction, e.g. 0.10 (default: the policy's)",
    )
    p.add_argument(
        "--uptake",
        type=float,
        default=None,
        help="share of eligible sales taking it, 0 to 1 (default: the policy's)",
    )


def document_parsers(sub) -> None:
    """statement and letter: customer documents kept in the outbox and given to the customer
    (kept to print and post by default, e-mailed with --send, queued with --queue)."""
    from arbook.cli.documents import giving_options

    for name, text in (
        ("statement", "a customer's statement of account: kept to post, e-mailed or queued"),
        ("letter", "a collection letter for a ladder step: kept to post, e-mailed or queued"),
    ):
        p = sub.add_parser(name, help=text)
        data_options(p)
        p.add_argument("customer", help="the customer_id")
        p.add_argument("--as-of", required=True, help="the document's date, YYYY-MM-DD")
        if name == "letter":
            p.add_argument(
                "--template", required=True, choices=("reminder", "notice", "final_notice", "legal")
            )
        p.add_argument(
            "--step",
            default=None,
            help="the ladder step (its key, e.g. second_call) the document acts on (default: "
            "the customer's step; a statement only when the ladder sends one there)",
        )
        ladder_option(p)
        p.add_argument(
            "--lang",
            choices=("en", "es", "ru"),
            default=None,
            help="language (default: the customer's, else en)",
        )
        p.add_argument(
            "--out",
            default=None,
            help="outbox folder (default: DATA/outbox; for one file read with --preset, "
            "<file name without extension>-outbox beside it: ibm.csv -> ibm-outbox)",
        )
        p.add_argument(
            "--company",
            default=None,
            help="TOML file with a [company] table (name, address, tax_id, bank, iban, bic, "
            "email, phone, logo, payment_note) over the policy's [company]",
        )
        giving_options(p)


def collections_parsers(sub) -> None:
    """worklist and playbook (SPEC §7)."""
    p = report_parser(sub, "worklist", "who to call this morning and what to say", when="day")
    log_option(p)
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="script language")
    ladder_option(p)
    p.add_argument("--xlsx", help="also write the worklist to this Excel file")
    p = sub.add_parser("playbook", help="the excuse playbook: prepared answers and follow-ups")
    p.add_argument("--lang", choices=LANGUAGES, default="en")
    p.add_argument("--playbook", help="playbook TOML (default: arbook/defaults/playbook.toml)")


def cmd_scores(args) -> int:
    ledger = load_ledger(args)
    emit(payment_scores(ledger, args.as_of), args.format)
    say_na(ledger, "Payment scores", args)
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
        say("", f"Owing with no credit limit set ({len(unvetted):,}):")
        emit(unvetted, args.format, total=True)
    return finish(ledger, args)


def cmd_credit_review(args) -> int:
    ledger = load_ledger(args)
    log = open_log(args, ledger)
    emit(credit_review(ledger, args.as_of, log=log, ladder=args.ladder), args.format)
    say_na(ledger, "Payment scores", args)
    return finish(ledger, args)


def cmd_late_charges(args) -> int:
    from arbook.credit.penalties import FEE_BASIS, late_charge_totals, late_charges, reminder_fees

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
        extra = (
            f"{format_cents(terms['per_invoice_cents'])} per overdue invoice"
            if terms["preset"] == "eu"
            else f"{FEE_BASIS[terms['fee_basis']]}, {format_cents(terms['fee_cents'])} each"
        )
        say(
            "",
            f"Interest at {terms['annual_rate']:.2%} a year on overdue items ({terms['preset']}"
            f" terms), plus {extra}; disputed items accrue nothing.",
        )
    elif charges.attrs["fee_basis"] == "customer" and charges.attrs["preset"] != "eu":
        say(f"note: {FEE_BASIS['customer']}", err=True)
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
            f"{format_terms(rate, days, net)} paid on day {pay}: {simple:.2%} a year simple, "
            f"{compound:.2%} compounded"
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
        width = max(len(label) for label, _ in summary_rows(sim))
        for label, value in summary_rows(sim):
            say(f"{label.ljust(width)}  {value}")
    else:
        emit(sim.totals, args.format)
    return finish(ledger, args)


def cmd_worklist(args) -> int:
    from arbook.collections.worklist import worklist, write_worklist

    ledger = load_ledger(args)
    log = open_log(args, ledger)
    frame = worklist(ledger, args.as_of, log=log, ladder=args.ladder, lang=args.lang)
    if args.xlsx:
        write_worklist(frame, args.xlsx)
    emit(frame.drop(columns="script") if args.format == "table" else frame, args.format)
    return finish(ledger, args)


def cmd_playbook(args) -> int:
    from arbook.collections.playbook import playbook_frame

    for row in playbook_frame(args.lang, playbook=args.playbook).itertuples(index=False):
        say(
            f"[{row.code}] {row.excuse}",
            f"  answer:    {row.answer}",
            f"  pin down:  {row.pin_down}",
            f"  next step: {row.next_step}",
            f"  follow up: {days_text(row.follow_up_days, sign=True)}",
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
        )
    else:
        log = open_writable_log(args, ledger) if args.log else open_log(args, ledger)
        try:
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
