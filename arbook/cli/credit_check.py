"""``arbook credit-check``: "may I ship?" for one customer and order (see
:mod:`arbook.credit.check`), the answer also in the exit code for a scheduler or an ERP hook."""

from __future__ import annotations

import json
import sys

from arbook.cli.common import (
    OK,
    data_options,
    finish,
    ladder_option,
    load_ledger,
    log_option,
    money_arg,
    open_log,
    say,
    say_latest_day,
)
from arbook.core.i18n import N_, _

#: The answer's exit code: 0 allow; 4 warn; 5 block (1, 2, 3 and 130 keep their meaning for
#: every command: the data has errors, the command cannot run as given, a bug, interrupted).
ANSWER_CODES = {"allow": OK, "warn": 4, "block": 5}
EXIT_CODES = N_(
    "Exit code: 0 allow, 4 warn, 5 block; 1 the data has errors (the answer is still printed, "
    "but rows left out of the data may change it: run `arbook check DATA`); 2 it cannot run as "
    "given (unknown customer, bad amount or option); 3 arbook itself failed."
)


def check_parser(sub) -> None:
    p = sub.add_parser(
        "credit-check",
        help=_('"may I ship?": allow, warn or block an order, with every reason'),
        description=_(
            "May this order go out on credit to this customer? Answers allow, warn or "
            "block with every reason that applies (over its limit after the order, on credit "
            "hold and why, not vetted, broken promises or plan instalments, overdue beyond the "
            "policy's days); the policy's [credit_check] says which reasons warn and which block."
        ),
        epilog=_(EXIT_CODES),
    )
    data_options(p)
    p.add_argument("customer", metavar="CUSTOMER", help=_("the customer_id"))
    p.add_argument(
        "amount",
        metavar="AMOUNT",
        type=money_arg,
        help=_("the order's amount in the book's currency, e.g. 3000.00 or 3,000.00"),
    )
    p.add_argument(
        "--as-of",
        default=None,
        help=_(
            "the day of the order, YYYY-MM-DD (default: the data's latest day, the day the "
            "dashboard's Collections tab works from)"
        ),
    )
    log_option(p)  # broken promises and plan instalments, and holds for broken promises
    ladder_option(p)  # the ladder's credit-hold step
    p.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help=_("table for people (default); json for a program (money in exact cents)"),
    )


def cmd_credit_check(args) -> int:
    from arbook.collections.worklist import work_day
    from arbook.core.ledger import default_as_of
    from arbook.credit.check import answer_word, credit_check

    ledger = load_ledger(args)
    as_of = args.as_of
    if as_of is None:
        as_of = work_day(ledger, default_as_of(ledger))
        say_latest_day(as_of)
    log = open_log(args, ledger)
    try:
        check = credit_check(ledger, args.customer, args.amount, as_of, log=log, ladder=args.ladder)
    finally:
        if log is not None:
            log.close()
    if args.format == "json":
        sys.stdout.write(json.dumps(check.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        effects = {r.effect: answer_word(r.effect) for r in check.reasons}
        width = max(map(len, effects.values()), default=0)
        say(
            check.headline,
            *(f"  {effects[r.effect].ljust(width)}  {r.label}" for r in check.reasons),
        )
    data = finish(ledger, args)
    return data if data != OK else ANSWER_CODES[check.answer]
