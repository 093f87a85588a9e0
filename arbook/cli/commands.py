"""The ``arbook`` command: argument parsing and one library call per command.

Exit codes: 0 all well; 1 the data has errors (rows were left out: the output is still printed,
with a note on stderr; or the data gives no result at all: no invoices file, a customer's e-mail
that is two addresses); 2 the command cannot run as given (bad option, no such file or folder,
bad policy file, a file that cannot be read or written); 3 arbook itself failed (a bug: one line
says so and where the details were logged, see :mod:`arbook.cli.crash`); 130 interrupted. No
input ever ends in a traceback. ``credit-check`` also answers in its code: 0 allow, 4 warn, 5 block
(:mod:`arbook.cli.credit_check`).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from arbook.cli import argparse_texts
from arbook.cli.common import (
    DATA_ERRORS,
    INTERRUPTED,
    OK,
    USAGE,
    data_options,
    edges_option,
    emit,
    finish,
    language_asked,
    language_options,
    load_ledger,
    months_options,
    policy_language,
    policy_option,
    preset_option,
    report_parser,
    say,
    say_error,
    say_na,
)
from arbook.cli.crash import internal_error, tolerant_streams
from arbook.cli.credit_check import check_parser, cmd_credit_check
from arbook.cli.daily_cmd import cmd_daily, daily_parser
from arbook.cli.documents import cmd_outbox, outbox_parser
from arbook.cli.engines_cli import engine_options, measured
from arbook.cli.forecast_cmd import cmd_forecast, forecast_parser
from arbook.cli.log import cmd_log, log_parser
from arbook.cli.policy import POLICY_COMMANDS, policy_parsers
from arbook.cli.rates_cmd import cmd_rates, rates_parser
from arbook.core import i18n, memory
from arbook.core.config import edges_text
from arbook.core.dates import format_count
from arbook.core.errors import ArbookError, DataError, format_issue
from arbook.core.i18n import _, ngettext
from arbook.measures.aging import aging, aging_settings, aging_summary
from arbook.measures.behaviour import payment_behaviour
from arbook.measures.carrying import carrying_cost, cost_of_capital
from arbook.measures.metrics import allowance, monthly_metrics, roll_rates
from arbook.views.format import days_title, format_ratio, money_text, to_json


def build_parser() -> argparse.ArgumentParser:
    """The parser of every ``arbook`` command, its texts in the interface language spoken now
    (each command, action and step with ``--lang``: :func:`language_options`)."""
    parser = argparse.ArgumentParser(prog="arbook", description=_("Accounts-receivable workbook."))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help=_("list every problem in a ledger's files"))
    data_options(p)
    p.add_argument("--json", action="store_true", help=_("issues as JSON records"))

    p = report_parser(
        sub, "aging", _("who owes what and how late, as of a date"), when="day", buckets=True
    )
    p.add_argument(
        "--by",
        choices=("customer", "item"),
        default="customer",
        help=_("one row per customer (default) or per open item"),
    )
    p.add_argument(
        "--currency",
        choices=("book", "document"),
        default="book",
        help=_(
            "book: every amount in the book's currency at its document's rate (default); "
            "document: each in its own currency, one block per currency"
        ),
    )
    engine_options(p)
    p = report_parser(
        sub,
        "metrics",
        _("monthly DSO, CEI, aging shares and turnover"),
        when="months",
        buckets=True,
    )
    engine_options(p)
    p = report_parser(
        sub, "behaviour", _("how each customer pays (days to pay, beyond terms)"), when="day"
    )
    p.add_argument(
        "--window-months",
        type=int,
        default=None,
        help=_("paid invoices counted from this many months back (default: the policy's, 12)"),
    )
    p = report_parser(
        sub, "carrying-cost", _("what financing the overdue balances costs"), when="day"
    )
    p.add_argument(
        "--rate",
        type=float,
        default=None,
        help=_("annual cost of capital as a fraction, e.g. 0.12 for 12%% (default: the policy's)"),
    )
    report_parser(
        sub, "roll-rates", _("month-end roll rates between buckets"), when="months", buckets=True
    )
    report_parser(
        sub,
        "allowance",
        _("allowance for doubtful accounts, both methods"),
        when="day",
        buckets=True,
    )
    policy_parsers(sub)

    p = sub.add_parser("sample", help=_("write a generated sample ledger"))
    p.add_argument("out", help=_("folder to write invoices/payments/customers into"))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--customers", type=int, default=150)
    p.add_argument("--months", type=int, default=24)
    p.add_argument(
        "--invoices", type=int, default=None, help=_("exact size (default ~25 a customer a year)")
    )
    p.add_argument("--end", default="2026-10-31", help=_("last day covered (a month end)"))
    p.add_argument("--parquet", action="store_true", help=_("write Parquet instead of CSV"))

    p = sub.add_parser("dashboard", help=_("open the dashboard in the browser (Voila)"))
    p.add_argument(
        "data",
        nargs="?",
        default=None,
        help=_("ledger folder (default: data/sample, or a generated sample)"),
    )
    p.add_argument("--port", type=int, default=8866, help=_("port to serve on (default 8866)"))
    preset_option(p)
    p.add_argument(
        "--as-of",
        default=None,
        help=_("month end shown first (default: the last one the data covers)"),
    )
    policy_option(p)
    p.add_argument(
        "--ip",
        default="127.0.0.1",
        help=_("address to listen on (default 127.0.0.1: this machine only)"),
    )
    p.add_argument("--open", action="store_true", help=_("open a browser tab when ready"))
    p.add_argument(
        "--log",
        default=None,
        help=_(
            "contact log of the Collections tab: a SQLite "
            "file or database URL (default: collections.db in the data folder)"
        ),
    )

    p = sub.add_parser("review", help=_("write the monthly review (notebook and HTML report)"))
    p.add_argument("data", help=_("ledger folder"))
    p.add_argument("--as-of", required=True, help=_("month end reviewed, YYYY-MM-DD"))
    p.add_argument("--out", default="reports", help=_("folder for the reports (default reports/)"))
    _review_options(p)

    p = sub.add_parser("batch", help=_("monthly reviews for many months and/or clients"))
    p.add_argument("data", nargs="+", help=_("one or more ledger folders (one per client)"))
    months_options(p)
    p.add_argument("--out", default="reports", help=_("folder for the reports (default reports/)"))
    p.add_argument("--jobs", type=int, default=1, help=_("reviews run at once (default 1)"))
    _review_options(p)
    _import_parsers(sub)
    check_parser(sub)
    daily_parser(sub)
    forecast_parser(sub)
    rates_parser(sub)
    log_parser(sub)
    outbox_parser(sub)
    language_options(parser)
    return parser


def _review_options(parser: argparse.ArgumentParser) -> None:
    preset_option(parser)
    parser.add_argument(
        "--client",
        default=None,
        help=_("client name shown in the title (default: the data folder's name)"),
    )
    parser.add_argument(
        "--cost-of-capital",
        type=float,
        default=None,
        help=_("annual rate as a fraction, e.g. 0.10 (default: the policy's)"),
    )
    parser.add_argument(
        "--basis",
        choices=("due", "invoice"),
        default=None,
        help=_("aging basis (default: the policy's)"),
    )
    edges_option(parser)
    policy_option(parser)
    parser.add_argument(
        "--log",
        default=None,
        help=_(
            "contact log, a SQLite file or database "
            "URL (default: <data>/collections.db when it exists)"
        ),
    )


def cmd_check(args) -> int:
    ledger = load_ledger(args)
    if args.json:
        sys.stdout.write(to_json(ledger.issues) + "\n")
    else:
        if ledger.read_as:
            say(ledger.read_as, err=True)
        say(*(format_issue(row) for row in ledger.issues.itertuples(index=False)))
        say(f"{ledger.source}: {ledger.describe()}", err=True)
    return DATA_ERRORS if len(ledger.errors) else OK


def cmd_aging(args) -> int:
    ledger, read = measured(args)
    which = aging if args.by == "item" else aging_summary
    frame = which(ledger, args.as_of, basis=args.basis, edges=args.edges, currency=args.currency)
    titles = {"days_overdue": days_title(aging_settings(ledger, None, args.basis)[0])}
    if args.currency == "document" and args.format == "table":
        for number, (code, block) in enumerate(frame.groupby("currency", sort=False)):
            say(*([""] if number else []), _("In {currency}:").format(currency=code or "?"))
            emit(
                block.drop(columns="currency"),
                args.format,
                total=args.by == "customer",
                titles=titles,
            )
    else:
        emit(frame, args.format, total=args.by == "customer", titles=titles)
    return finish(read, args) if read is not None else OK


def cmd_metrics(args) -> int:
    ledger, read = measured(args)
    emit(
        monthly_metrics(ledger, args.start, args.end, basis=args.basis, edges=args.edges).drop(
            columns=["as_of"] if args.format == "table" else []
        ),
        args.format,
    )
    if read is None:
        return OK
    say_na(read, _("DSO, CEI, credit sales, turnover and every month but the report's"), args)
    return finish(read, args)


def cmd_behaviour(args) -> int:
    ledger = load_ledger(args)
    emit(payment_behaviour(ledger, args.as_of, window_months=args.window_months), args.format)
    say_na(ledger, _("Payment behaviour (days to pay, days beyond terms)"), args)
    return finish(ledger, args)


def cmd_carrying_cost(args) -> int:
    ledger = load_ledger(args)
    rate = cost_of_capital(ledger, args.rate)
    frame = carrying_cost(ledger, args.as_of, rate)
    emit(
        frame.drop(columns="cent_days") if args.format == "table" else frame,
        args.format,
        total=True,
    )
    if args.format == "table":
        say(
            "",
            _(
                "You are their bank: financing the {overdue} overdue costs {yearly} a year at "
                "{rate}; it has cost {so_far} so far."
            ).format(
                overdue=money_text(frame["overdue_cents"].sum(), ledger.currency),
                yearly=money_text(frame["yearly_cost_cents"].sum(), ledger.currency),
                rate=format_ratio(rate, percent=True, digits=2),
                so_far=money_text(frame["carrying_cost_cents"].sum(), ledger.currency),
            ),
        )
    return finish(ledger, args)


def cmd_roll_rates(args) -> int:
    ledger = load_ledger(args)
    emit(roll_rates(ledger, args.start, args.end, basis=args.basis, edges=args.edges), args.format)
    say_na(ledger, _("Roll rates"), args)
    return finish(ledger, args)


def cmd_allowance(args) -> int:
    ledger = load_ledger(args)
    emit(allowance(ledger, args.as_of, basis=args.basis, edges=args.edges), args.format)
    say_na(ledger, _("The allowance by the roll-rate method"), args)
    return finish(ledger, args)


def cmd_sample(args) -> int:
    from arbook.workbook.sample import make_sample

    try:
        paths = make_sample(
            Path(args.out),
            seed=args.seed,
            customers=args.customers,
            months=args.months,
            end=args.end,
            invoices=args.invoices,
            fmt="parquet" if args.parquet else "csv",
        )
    except (ValueError, OSError) as exc:
        say_error("arbook sample", exc)
        return USAGE
    say(*paths.values())
    return OK


def cmd_dashboard(args) -> int:
    from arbook.workbook.serve import serve_dashboard

    return serve_dashboard(
        args.data,
        port=args.port,
        as_of=args.as_of,
        policy=args.policy,
        ip=args.ip,
        open_browser=args.open,
        log=args.log,
        preset=args.preset,
        lang=getattr(args, "lang", None),  # --lang: every page starts in it
    )


def _review_params(args) -> dict:
    return {
        "client": args.client,
        "cost_of_capital": args.cost_of_capital,
        "basis": args.basis,
        "edges": edges_text(args.edges) if args.edges else None,
        "policy": args.policy,
        "log": args.log,
        "preset": args.preset,
        "lang": getattr(args, "lang", None),
    }


def cmd_review(args) -> int:
    from arbook.workbook.report import run_review

    run = run_review(args.data, args.as_of, args.out, **_review_params(args))
    say(run.html)
    return OK


def cmd_batch(args) -> int:
    from arbook.workbook.report import run_batch

    result = run_batch(
        args.data, args.start, args.end, args.out, jobs=args.jobs, **_review_params(args)
    )
    for run in result.runs:
        if not run.ok:
            say(
                _("arbook batch: {data} {as_of}: {error}").format(
                    data=run.data, as_of=run.as_of, error=run.error
                ),
                err=True,
            )
    say(result.index)
    return OK if all(run.ok for run in result.runs) else DATA_ERRORS


def _import_parsers(sub) -> None:
    """``arbook mapping FILE`` and ``arbook import FILE --out DIR``: a client's own layout."""
    p = sub.add_parser(
        "mapping", help=_("suggest how a file's columns map onto arbook's (TOML to edit by hand)")
    )
    p.add_argument("data", metavar="FILE", help=_("the data file (CSV or Excel) to map"))
    _file_encoding(p)
    p.add_argument(
        "--save",
        action="store_true",
        help=_(
            "also write it as mapping.toml beside FILE: every command reading that folder "
            "then uses it"
        ),
    )
    p.add_argument(
        "--force",
        action="store_true",
        help=_("with --save: replace a mapping.toml already there"),
    )

    p = sub.add_parser(
        "import", help=_("write a file's data as arbook's own invoices/payments/customers files")
    )
    p.add_argument("data", metavar="FILE", help=_("the export or sheet to read (or a data folder)"))
    p.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help=_("folder to write invoices.csv, payments.csv, customers.csv (and rates.csv) into"),
    )
    p.add_argument(
        "--rates",
        metavar="FILE",
        help=_(
            "exchange rates for the amounts in other currencies (CSV: currency, rate, date; "
            "`arbook rates ecb` writes one); copied to the --out folder"
        ),
    )
    how = p.add_mutually_exclusive_group()
    preset_option(how)
    how.add_argument(
        "--mapping",
        metavar="MAPPING.toml",
        help=_("read FILE through this mapping (write one with `arbook mapping FILE`)"),
    )
    policy_option(p)
    _file_encoding(p)
    p.add_argument(
        "--force",
        action="store_true",
        help=_("replace arbook's files already in DIR (older ones not written again are removed)"),
    )


def _file_encoding(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--encoding",
        help=_(
            "text encoding of a CSV file that is not UTF-8, e.g. cp1252 (default: found from "
            "the file)"
        ),
    )


def cmd_mapping(args) -> int:
    from arbook.core import mapping

    path = Path(args.data)
    if not path.is_file():
        what = (
            _("arbook mapping: {path}: is a folder; give the data file in it")
            if path.is_dir()
            else _("arbook mapping: {path}: no such file")
        )
        say(what.format(path=path), err=True)
        return USAGE
    target = path.parent / mapping.MAPPING_FILE
    if args.save and target.exists() and not args.force:
        say(
            _(
                "arbook mapping: {path} already exists; nothing was written. Add --force to "
                "replace it, or leave --save out to only print the suggestion."
            ).format(path=target),
            err=True,
        )
        return USAGE
    suggestion = mapping.suggest(path, encoding=args.encoding)
    sys.stdout.write(suggestion.mapping.to_toml())
    say(*(_("note: {note}").format(note=note) for note in suggestion.notes), err=True)
    problems = mapping.problems(suggestion.mapping, path)
    say(*(_("problem: {problem}").format(problem=found) for found in problems), err=True)
    if args.save:
        saved = mapping.save(suggestion.mapping, path.parent)
        say(
            _("saved {path}: every command reading {folder} now uses it").format(
                path=saved, folder=path.parent
            ),
            err=True,
        )
    return OK


def cmd_import(args) -> int:
    from arbook.core import mapping
    from arbook.core.ledger import read_ledger

    path = Path(args.data)
    if not path.exists():
        say(_("arbook import: {path}: no such file or folder").format(path=path), err=True)
        return USAGE
    rates = Path(args.rates) if args.rates else None
    if rates is not None and not rates.is_file():
        say(_("arbook import: --rates {path}: no such file").format(path=rates), err=True)
        return USAGE
    if args.mapping:
        if not path.is_file():
            say(
                _("arbook import: {path}: is a folder; --mapping reads one data file").format(
                    path=path
                ),
                err=True,
            )
            return USAGE
        chosen = mapping.read(Path(args.mapping))
        if args.encoding:
            chosen.encoding = args.encoding
        ledger = mapping.preview(path, chosen, policy=args.policy, rates=rates)
    else:
        ledger = read_ledger(
            path, preset=args.preset, policy=args.policy, encoding=args.encoding, rates=rates
        )
    policy_language(ledger)
    if ledger.read_as:
        say(ledger.read_as, err=True)
    say(*(format_issue(row) for row in ledger.issues.itertuples(index=False)), err=True)
    try:
        written, removed = mapping.write_canonical(ledger, Path(args.out), force=args.force)
    except DataError as exc:
        say_error("arbook import", exc)
        return USAGE
    say(*written)
    for old in removed:
        say(
            _("removed {path}: from before, and this import has no such table").format(path=old),
            err=True,
        )
    if ledger.open_items_only:
        say(
            _(
                "note: {file} holds the items open on one date, not a history; the "
                "invoices/payments files cannot say so, {note} records it"
            ).format(file=path.name, note=Path(args.out) / mapping.IMPORT_NOTE),
            err=True,
        )
    say(f"{ledger.source}: {ledger.describe()}", err=True)
    if len(ledger.errors):
        say(
            ngettext(
                "note: {count} problem(s) left rows out of the files written (listed above)",
                "note: {count} problem(s) left rows out of the files written (listed above)",
                len(ledger.errors),
            ).format(count=format_count(len(ledger.errors))),
            err=True,
        )
        return DATA_ERRORS
    return OK


COMMANDS = {
    "check": cmd_check,
    "aging": cmd_aging,
    "metrics": cmd_metrics,
    "behaviour": cmd_behaviour,
    "carrying-cost": cmd_carrying_cost,
    "roll-rates": cmd_roll_rates,
    "allowance": cmd_allowance,
    "sample": cmd_sample,
    "dashboard": cmd_dashboard,
    "review": cmd_review,
    "batch": cmd_batch,
    "mapping": cmd_mapping,
    "import": cmd_import,
    "credit-check": cmd_credit_check,
    "daily": cmd_daily,
    "forecast": cmd_forecast,
    "rates": cmd_rates,
    "log": cmd_log,
    "outbox": cmd_outbox,
    **POLICY_COMMANDS,
}


def data_error_code(args) -> int:
    """The exit code of a DataError: USAGE when the DATA argument itself is wrong (no such file
    or folder, or a file in a layout no preset recognises, given without ``--preset``), else
    DATA_ERRORS (the folder has no or two invoices files, a customer's e-mail is not one
    address...)."""
    data = getattr(args, "data", None)
    if isinstance(data, str):
        path = Path(data)
        if not path.exists() or (path.is_file() and not getattr(args, "preset", None)):
            return USAGE
    return DATA_ERRORS


def run() -> int:
    """The ``arbook`` command as installed: memory given back promptly (see
    :mod:`arbook.core.memory`; it sets process-wide allocator settings, which a command may and a
    library call should not), then :func:`main`."""
    memory.lean()
    return main()


def main(argv: list[str] | None = None) -> int:
    """Run one ``arbook`` command; return its exit code (see the module's docstring). Whatever
    happens, the user sees one line per problem, never a traceback.

    Everything it says is in the interface language: ``--lang`` (read from ``argv`` before
    the parser is built, so ``--help`` is in it too), else ``ARBOOK_LANG``, else the policy's
    ``language`` once the ledger is read, else the system locale, else English
    (:mod:`arbook.core.i18n`); argparse's own texts too (:func:`argparse_texts.install`). The
    choice lasts the command: ``main`` leaves the language as it found it."""
    tolerant_streams()
    argparse_texts.install()
    words = [str(word) for word in (sys.argv[1:] if argv is None else argv)]
    with _interface_language(language_asked(words)):
        return _run_command(argv)


@contextlib.contextmanager
def _interface_language(lang: str | None) -> Iterator[None]:
    """Speak ``lang`` (None: leave the choice to ``ARBOOK_LANG``, the policy, the system)
    while a command runs; then put back the choice and the policy's language as they were (a
    program or a test calling :func:`main` again starts afresh)."""
    with i18n.kept():
        if lang is not None:
            i18n.set_language(lang)
        yield


def _run_command(argv: list[str] | None) -> int:
    command, args = "arbook", None
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "lang", None):  # given as --lan, say: argparse takes a prefix
            i18n.set_language(args.lang)
        command = f"arbook {args.command}"
        return COMMANDS[args.command](args)
    except DataError as exc:
        say_error(command, exc)
        return data_error_code(args)
    except ArbookError as exc:
        say_error(command, exc)
        return USAGE
    except BrokenPipeError:  # the reader of stdout went away (`arbook aging ... | head`)
        return OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        say(f"{command}: {where}{exc.strerror or exc}", err=True)
        return USAGE
    except KeyboardInterrupt:
        say(_("{command}: interrupted").format(command=command), err=True)
        return INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - a bug: one line for the user, the traceback logged
        return internal_error(command, exc, argv)


if __name__ == "__main__":
    sys.exit(main())
