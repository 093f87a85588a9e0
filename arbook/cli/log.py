"""``arbook log``: the contact log from the command line (SPEC §7). List: ``history``,
``promises``, ``disputes``, ``plans``, ``export``; record: ``add`` (a contact), ``dispute open |
note | resolve``, ``plan add | cancel``. Exit codes: see :mod:`arbook.cli.commands`.

Every action takes DATA (the ledger: names, what is owed, and where the log is by default)
and ``--log`` (a SQLite file or any database URL; default ``$ARBOOK_LOG``, else
``collections.db`` in the data folder: the log the dashboard writes). Argument parsing and one
library call each; tables for people show labels ("no answer"), CSV and JSON the codes. The
help and the messages are in the interface language (:mod:`arbook.core.i18n`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

from arbook.cli.common import (
    data_options,
    finish,
    format_option,
    load_ledger,
    log_option,
    open_log,
)
from arbook.cli.log_actions import READERS, WRITERS, day_arg, writable
from arbook.collections.contacts import CHANNELS, DOCUMENT_OUTCOMES, OUTCOMES
from arbook.core.errors import ParameterError
from arbook.core.i18n import _
from arbook.core.money import parse_money
from arbook.measures.disputes import RESOLUTIONS

#: the library's names for what the user gave as an argument, for its messages
FLAGS = {
    "customer_id": "CUSTOMER",
    "document_id": "DOCUMENT",
    "promise_cents": "--promise",
    "promise_date": "--promise-date",
    "next_date": "--next",
    "amount_cents": "--amount",
    "resolution": "--as",
    "excuse": "--excuse",
    "reason": "--reason",
    "owner": "--owner",
    "who": "--who",
    "note": "--note",
    "at": "--at",
}
# names with an underscore are never a word of a sentence; the others only where a problem
# starts with them ("note is 2,001 characters long; ...")
_NAMES = re.compile(
    r"\b(" + "|".join(n for n in FLAGS if "_" in n) + r")\b"
    r"|(?:(?<=^)|(?<=: )|(?<=; ))(" + "|".join(n for n in FLAGS if "_" not in n) + r")(?= is )"
)


# -- argument types ----------------------------------------------------------------------------


def moment_arg(text: str) -> dt.datetime:
    """``--at``: a day (at the current time of day, UTC, as the dashboard's form stamps it) or a
    moment (``2026-10-31T09:30``: local time unless it names its offset)."""
    text = text.strip()
    try:
        if len(text) == 10:
            now = dt.datetime.now(dt.UTC)
            return dt.datetime.combine(dt.date.fromisoformat(text), now.timetz())
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a date or a time; write YYYY-MM-DD or YYYY-MM-DDTHH:MM").format(
                text=repr(text)
            )
        ) from None
    return moment.astimezone(dt.UTC)


def amount_arg(text: str) -> int:
    """An amount above 0 as a person writes it -> cents."""
    try:
        return parse_money(text, least=1, example=_("like 1250.00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def instalment_arg(text: str) -> tuple[dt.date, int]:
    """``2026-11-15=500.00`` -> (date, cents)."""
    day, sep, amount = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(
            _("{text}: write an instalment as DATE=AMOUNT, e.g. 2026-11-15=500.00").format(
                text=repr(text)
            )
        )
    return day_arg(day), amount_arg(amount)


# -- the parsers -------------------------------------------------------------------------------


def _action(sub, name: str, text: str) -> argparse.ArgumentParser:
    """An action's parser; ``text`` (translated) is its help and description."""
    p = sub.add_parser(name, help=text, description=text)
    data_options(p)
    log_option(p)
    return p


def _recorder(p: argparse.ArgumentParser, *, note: str | None = None) -> None:
    p.add_argument("--who", default=None, help=_("who did it (default: $USER)"))
    p.add_argument("--note", default="", help=note or _("a note"))
    p.add_argument(
        "--at",
        type=moment_arg,
        default=None,
        help=_("when, YYYY-MM-DD or YYYY-MM-DDTHH:MM (default: now)"),
    )


def _lister(p: argparse.ArgumentParser, *, customer: bool = True) -> None:
    p.add_argument(
        "--as-of", default=None, help=_("the day, YYYY-MM-DD (default: the data's latest day)")
    )
    if customer:
        p.add_argument("--customer", default=None, help=_("only this customer_id"))
    format_option(p)


def log_parser(sub) -> None:
    """``arbook log`` and its actions."""
    p = sub.add_parser(
        "log",
        help=_("the contact log: log a contact; list the history, promises, disputes and plans"),
    )
    acts = p.add_subparsers(dest="log_action", required=True, metavar="ACTION")
    a = _action(acts, "add", _("log a contact: a call, an e-mail, a letter, a visit"))
    a.add_argument("customer", help=_("the customer_id"))
    a.add_argument("--channel", required=True, choices=CHANNELS)
    a.add_argument(
        "--outcome",
        required=True,
        choices=[o for o in OUTCOMES if o not in DOCUMENT_OUTCOMES],
        help=_(
            "what came of it (a document sent or kept to post is logged by the command that "
            "makes it: statement, letter, outbox)"
        ),
    )
    a.add_argument(
        "--excuse", default=None, help=_("what they said: a code of `arbook playbook`, or text")
    )
    a.add_argument("--promise", type=amount_arg, default=None, metavar="AMOUNT")
    a.add_argument("--promise-date", type=day_arg, default=None, metavar="D")
    a.add_argument("--next", dest="next_date", type=day_arg, default=None, metavar="D")
    _recorder(a, note=_("what was said"))
    h = _action(acts, "history", _("the contacts logged, newest first"))
    h.add_argument("customer", nargs="?", default=None, help=_("only this customer_id"))
    h.add_argument("--all", action="store_true", help=_("corrected entries too (the audit trail)"))
    format_option(h)
    _lister(_action(acts, "promises", _("every promise to pay: kept, broken or open")))
    d = _action(acts, "disputes", _("the disputes open on a day: amount, age, owner"))
    _lister(d)
    d.add_argument("--all", action="store_true", help=_("every dispute in the log, resolved too"))
    pl = _action(acts, "plans", _("payment plans: on track, broken, completed or cancelled"))
    _lister(pl)
    pl.add_argument("--instalments", action="store_true", help=_("one row per instalment"))
    e = _action(acts, "export", _("write the contact log to a CSV or Excel file"))
    e.add_argument("file", help=_("FILE.csv or FILE.xlsx"))
    e.add_argument("--all", action="store_true", help=_("corrected entries too (the audit trail)"))
    _dispute_parsers(acts)
    _plan_parsers(acts)


def _dispute_parsers(acts) -> None:
    group = acts.add_parser("dispute", help=_("open, note or resolve a dispute on an invoice"))
    steps = group.add_subparsers(dest="dispute_action", required=True, metavar="STEP")
    o = _action(steps, "open", _("open a dispute on an invoice, or on part of it"))
    o.add_argument("customer", help=_("the customer_id"))
    o.add_argument("document", help=_("the invoice_id"))
    o.add_argument("--reason", required=True, help=_("what the customer disputes"))
    o.add_argument(
        "--amount", type=amount_arg, default=None, help=_("the part in dispute (default: all owed)")
    )
    o.add_argument("--owner", default=None, help=_("who works the dispute (default: nobody yet)"))
    _recorder(o)
    n = _action(steps, "note", _("add a note to an open dispute (or give it a new owner)"))
    n.add_argument("dispute", type=int, help=_("the dispute's id (arbook log disputes)"))
    n.add_argument("--owner", default=None, help=_("who works the dispute from now"))
    _recorder(n, note=_("what happened"))
    r = _action(steps, "resolve", _("resolve a dispute: paid, credited or rejected"))
    r.add_argument("dispute", type=int, nargs="?", default=None, help=_("the dispute's id"))
    r.add_argument(
        "--document", default=None, help=_("resolve the dispute on this invoice (an imported one)")
    )
    r.add_argument("--as", dest="resolution", required=True, choices=RESOLUTIONS)
    _recorder(r)


def _plan_parsers(acts) -> None:
    group = acts.add_parser("plan", help=_("agree or cancel a payment plan"))
    steps = group.add_subparsers(dest="plan_action", required=True, metavar="STEP")
    a = _action(steps, "add", _("agree a payment plan: instalments for listed invoices"))
    a.add_argument("customer", help=_("the customer_id"))
    a.add_argument(
        "--documents", required=True, help=_("the invoices it pays, comma-separated: INV1,INV2")
    )
    a.add_argument(
        "--instalment",
        dest="instalments",
        type=instalment_arg,
        action="append",
        required=True,
        metavar="DATE=AMOUNT",
        help=_("one instalment, e.g. 2026-11-15=500.00; repeat for each"),
    )
    _recorder(a)
    c = _action(steps, "cancel", _("cancel a payment plan (its items are chased again)"))
    c.add_argument("plan", type=int, help=_("the plan's id (arbook log plans)"))
    _recorder(c, note=_("why"))


def in_flags(message: str) -> str:
    """A library message in the user's terms: ``promise_cents`` as ``--promise``."""
    return _NAMES.sub(lambda m: FLAGS[m.group()], message)


def cmd_log(args) -> int:
    """``arbook log ACTION``: load the ledger, open the log (a recording action starts it when
    there is none yet), do the one thing, close the log."""
    ledger = load_ledger(args)
    writes = args.log_action in WRITERS
    log = writable(args, ledger) if writes else open_log(args, ledger)
    try:
        (WRITERS if writes else READERS)[args.log_action](args, ledger, log)
    except ParameterError as exc:
        raise ParameterError(in_flags(str(exc))) from None
    finally:
        if log is not None:
            log.close()
    return finish(ledger, args)
