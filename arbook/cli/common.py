"""What every ``arbook`` command shares: the data and report options, loading the ledger,
printing a frame for people or machines, the exit code, and where a document goes by default.

Everything printed for people goes through :func:`visible` (lines) or :func:`emit` (tables):
control characters from the data are shown as escapes (``\\n``, ``\\x1b``) and very long
text is cut with "…", so a customer's name can never move the cursor, ring the bell or fake a
row of a table. CSV and JSON carry the data exactly (CSV with formula cells made safe).
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

import pandas as pd

from arbook.core import i18n
from arbook.core.config import check_edges
from arbook.core.dates import date_text, format_count
from arbook.core.errors import ArbookError
from arbook.core.files import spreadsheet_csv
from arbook.core.i18n import N_, _, ngettext, using
from arbook.core.ledger import Ledger, read_ledger
from arbook.core.money import parse_money
from arbook.core.policy_file import POLICY_FILE
from arbook.core.presets import PRESETS
from arbook.measures.history import needs_history
from arbook.views.format import column_title, human_table, machine_frame, to_json

#: Exit codes: all well; the data has errors; the command cannot run as given (usage); arbook
#: itself failed (a bug: the details are in a log file); interrupted (Ctrl-C, 128 + SIGINT).
OK, DATA_ERRORS, USAGE, INTERNAL, INTERRUPTED = 0, 1, 2, 3, 130
#: The longest table cell and line shown whole; longer text keeps its start and end around "…".
CELL_LIMIT, LINE_LIMIT = 80, 500

# C0 and C1 controls, DEL, lone surrogates, line and paragraph separators and the bidirectional
# controls that can make a terminal show text in another order than it is.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def visible(value: object, limit: int = LINE_LIMIT) -> str:
    """``value`` as text safe for a terminal: each control character shown as its escape (a
    newline as ``\\n``, ESC as ``\\x1b``, a right-to-left override as ``\\u202e``) and text
    over ``limit`` characters cut to its first two thirds and last third around "…"."""
    text = str(value)
    if len(text) > limit:
        head = limit * 2 // 3
        text = f"{text[:head]}…{text[len(text) - (limit - head - 1) :]}"
    return _CONTROL.sub(_escape, text)


def say(*lines: object, err: bool = False) -> None:
    """Print each of ``lines`` on its own line (stdout, or stderr with ``err``), through
    :func:`visible`: one line of ours stays one line whatever the data in it."""
    stream = sys.stderr if err else sys.stdout
    for line in lines:
        print(visible(line), file=stream)


def say_latest_day(day) -> None:
    """Say on stderr that a command without ``--as-of`` works as of ``day``, the data's latest."""
    said = _("as of {date}, the data's latest day (--as-of to change)")
    say(said.format(date=date_text(day)), err=True)


def say_error(command: str, exc: BaseException) -> None:
    """Print ``exc``'s message on stderr, its first line after ``command`` (``arbook aging:
    ...``); a message of several lines (a policy file's every bad key) keeps its lines, each
    through :func:`visible`."""
    first, *more = str(exc).split("\n")
    say(f"{command}: {first}", *more, err=True)


def visible_frame(frame: pd.DataFrame, limit: int = CELL_LIMIT) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells went through :func:`visible` (cut at ``limit``)."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype.kind == "O" or isinstance(
            out[name].dtype, pd.StringDtype | pd.CategoricalDtype
        ):
            out[name] = (
                out[name]
                .astype(object)
                .map(lambda v: visible(v, limit) if isinstance(v, str) else v)
            )
    return out


def edges_arg(text: str):
    try:
        return check_edges([part.strip() for part in text.split(",")])
    except ArbookError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def preset_option(parser: argparse.ArgumentParser) -> None:
    """--preset: the data is one export file in that layout (the one definition of the flag)."""
    parser.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        help=_("read DATA as one export file in this layout (e.g. ibm)"),
    )


def data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "data",
        help=_(
            "folder with invoices/payments/customers files, or an accounting system's export "
            "(its layout recognised, or named with --preset)"
        ),
    )
    preset_option(parser)
    policy_option(parser)
    parser.add_argument(
        "--date-order",
        choices=("iso", "mdy", "dmy"),
        help=_("how dates are written (default ISO YYYY-MM-DD)"),
    )
    parser.add_argument(
        "--decimal",
        choices=(".", ","),
        default=None,
        help=_(
            "decimal mark in amounts (default: the one the amounts use; '.' if they do not say)"
        ),
    )
    parser.add_argument(
        "--encoding",
        help=_(
            "text encoding of CSV files that are not UTF-8, e.g. cp1252 or cp1251 (default: "
            "found from the file, and said when it is a guess)"
        ),
    )


def policy_option(parser: argparse.ArgumentParser) -> None:
    """--policy: the policy file (the one definition of the flag)."""
    parser.add_argument("--policy", help=_("policy TOML (default: arbook/defaults/policy.toml)"))


def aging_options(parser: argparse.ArgumentParser, *, edges: bool = True) -> None:
    """--basis and --edges: not given means the policy's (``[aging]``)."""
    parser.add_argument(
        "--basis",
        choices=("due", "invoice"),
        default=None,
        help=_(
            "bucket by days past the due date or since the invoice date (default: the "
            "policy's, due)"
        ),
    )
    if edges:
        edges_option(parser)


def edges_option(parser: argparse.ArgumentParser) -> None:
    """--edges: the aging's bucket edges (the one definition of the flag)."""
    parser.add_argument(
        "--edges",
        type=edges_arg,
        default=None,
        help=_(
            "bucket edges in days, e.g. 30,60,90,120, or 'months' for calendar months "
            "(default: the policy's)"
        ),
    )


def report_parser(
    sub, name: str, text: str, *, when: str, buckets: bool = False, basis: bool = False
) -> argparse.ArgumentParser:
    """A report command: data options, its date or month range, aging options, --format."""
    parser = sub.add_parser(name, help=text)
    data_options(parser)
    if when == "day":
        parser.add_argument("--as-of", required=True, help=_("the date to report at, YYYY-MM-DD"))
    else:
        months_options(parser)
    if buckets or basis:
        aging_options(parser, edges=buckets)
    format_option(parser)
    return parser


def months_options(parser: argparse.ArgumentParser) -> None:
    """--from and --to: a range of months."""
    parser.add_argument("--from", dest="start", required=True, help=_("first month, YYYY-MM"))
    parser.add_argument("--to", dest="end", required=True, help=_("last month, YYYY-MM"))


def format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help=_("table for people (default); csv or json keep cents exact"),
    )


def money_arg(text: str) -> int:
    """``"10.00"`` -> 1000 cents (argparse type): 0 or more, at most 2 decimals."""
    try:
        return parse_money(text, least=0, example="like 10.00")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def load_ledger(args) -> Ledger:
    """The ledger of DATA as the data options say; the policy's ``language`` becomes the
    interface's when nothing nearer chose (:func:`policy_language`)."""
    _peek_policy_language(args.data, args.policy)
    ledger = read_ledger(
        args.data,
        preset=args.preset,
        policy=args.policy,
        date_order=args.date_order,
        decimal=args.decimal,
        encoding=args.encoding,
    )
    policy_language(ledger)
    return ledger


def policy_language(ledger: Ledger) -> None:
    """Speak the ledger's policy's ``language`` when neither ``--lang`` nor ``ARBOOK_LANG``
    chose one (:func:`arbook.core.i18n.language` keeps that order; "" in the policy: the
    system's)."""
    i18n.set_policy_language(ledger.policy.language)


def _peek_policy_language(data: object, policy: object) -> None:
    """The ``language`` of the policy file the ledger will be read with (``--policy``, else
    the data folder's ``policy.toml``), taken before reading: the data's problems are told as
    they are found, in the language they are to be read in. A file that cannot be read is
    passed by: reading the ledger says what is wrong with it."""
    folder = Path(str(data)) if data else None
    path = Path(str(policy)) if policy else (folder / POLICY_FILE if folder else None)
    if path is None or not path.is_file():
        return
    try:
        with path.open("rb") as handle:
            i18n.set_policy_language(tomllib.load(handle).get("language"))
    except (OSError, ValueError):  # tomllib.TOMLDecodeError is a ValueError
        return


#: The titles the command line's tables give columns :data:`~arbook.views.format.COLUMN_TITLES`
#: does not title (their names in words, as :func:`~arbook.views.format.column_title` makes
#: them): marked here for the catalogue, translated by :func:`table_titles`.
COLUMN_WORDS = (
    N_("name"),
    N_("current"),
    N_("amount"),
    N_("paid"),
    N_("credited"),
    N_("outstanding"),
    N_("document"),
    N_("document id"),
    N_("document date"),
    N_("due date"),
    N_("date"),
    N_("kind"),
    N_("bucket"),
    N_("disputed"),
    N_("days overdue"),
    N_("days since invoice"),
    N_("month"),
    N_("sales"),
    N_("ar begin"),
    N_("ar end"),
    N_("add"),
    N_("not due"),
    N_("dso"),
    N_("dso 3m"),
    N_("dso countback"),
    N_("best possible dso"),
    N_("cei"),
    N_("days sales in receivables"),
    N_("ar turnover"),
    N_("pct current"),
    N_("pct over 60"),
    N_("pct over 90"),
    N_("pct over 120"),
    N_("balance"),
    N_("aging loss rate"),
    N_("aging allowance"),
    N_("roll rate"),
    N_("roll loss rate"),
    N_("roll allowance"),
    N_("invoices paid"),
    N_("experiences"),
    N_("experience"),
    N_("avg days to pay"),
    N_("days beyond terms"),
    N_("signed days to due"),
    N_("share paid late"),
    N_("open overdue"),
    N_("score"),
    N_("score 3m"),
    N_("score 12m"),
    N_("trend 3m"),
    N_("trend 12m"),
    N_("invoices"),
    N_("share late"),
    N_("disputes"),
    N_("utilisation"),
    N_("credit limit"),
    N_("exposure"),
    N_("oldest days overdue"),
    N_("reasons"),
    N_("change"),
    N_("suggested limit"),
    N_("items"),
    N_("interest"),
    N_("fee"),
    N_("total due"),
    N_("step"),
    N_("template"),
    N_("rank"),
    N_("phone"),
    N_("action"),
    N_("reason"),
    N_("oldest days"),
    N_("last contact"),
    N_("next date"),
    N_("step due"),
    N_("step label"),
    N_("as of"),
    N_("status"),
    N_("recorded at"),
    N_("to"),
    N_("pdf"),
    N_("dispute id"),
    N_("age days"),
    N_("owner"),
    N_("source"),
    N_("notes"),
    N_("last note"),
)


def table_titles(frame: pd.DataFrame, titles: dict | None = None) -> dict[str, str]:
    """Each column's title (:func:`~arbook.views.format.column_title`) in the interface
    language; a roll rate's ``current->1-30`` has each bucket's label translated."""

    def title(name: str) -> str:
        text = str(column_title(name, titles))
        return "->".join(_(part) for part in text.split("->"))

    return {name: title(name) for name in frame.columns}


def emit(frame: pd.DataFrame, fmt: str, *, total: bool = False, titles=None) -> None:
    """Print ``frame`` for people (``table``: titles as every screen titles them, in the
    interface language, text cells through :func:`visible`) or machines (``csv``: exact cents,
    text a spreadsheet would run made safe by :func:`~arbook.core.files.spreadsheet_csv`;
    ``json``: exact cents). CSV and JSON are the same in every language (ISO dates)."""
    if fmt == "csv":
        with using("en"):
            sys.stdout.write(spreadsheet_csv(machine_frame(frame)))
    elif fmt == "json":
        with using("en"):
            sys.stdout.write(to_json(frame) + "\n")
    else:
        shown = table_titles(frame, titles)
        sys.stdout.write(human_table(visible_frame(frame), total=total, titles=shown) + "\n")


def finish(ledger: Ledger, args=None) -> int:
    """DATA_ERRORS, with a note on stderr saying how to see them, when the data has errors;
    else OK. ``args`` (the command's) gives the note the ``--preset`` the data was read with."""
    errors = len(ledger.errors)
    if errors:
        preset = getattr(args, "preset", None)
        command = f"arbook check {ledger.source}{f' --preset {preset}' if preset else ''}"
        say(
            ngettext(
                "note: {count} problem(s) in the data left rows out of these numbers; "
                "run `{command}` to see them.",
                "note: {count} problem(s) in the data left rows out of these numbers; "
                "run `{command}` to see them.",
                errors,
            ).format(count=format_count(errors), command=command),
            err=True,
        )
        return DATA_ERRORS
    return OK


def default_outbox(data: str | Path) -> Path:
    """Where documents go without ``--out``: ``DATA/outbox`` for a ledger folder; for one file
    read with a preset, ``<file stem>-outbox`` beside it (``ibm.csv`` -> ``ibm-outbox``), so two
    clients' files in one folder never share an outbox (:func:`outbox_for`)."""
    from arbook.collections.documents.register import outbox_for

    return outbox_for(data)


def log_option(parser: argparse.ArgumentParser) -> None:
    """--log: the contact log (the one definition of the flag)."""
    parser.add_argument(
        "--log",
        default=None,
        help=_(
            "contact log: a SQLite file or any database URL, e.g. "
            "postgresql://user@host/arbook (default: $ARBOOK_LOG, else collections.db in the "
            "data folder: the log the dashboard writes)"
        ),
    )


def ladder_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ladder",
        default=None,
        help=_(
            "ladder TOML (default: ladder.toml in the data folder, else "
            "arbook/defaults/ladder.toml)"
        ),
    )


def open_log(args, ledger: Ledger, *, create: bool = False):
    """The contact log of ``--log``, else ``$ARBOOK_LOG``, else the client's ``collections.db``
    in the data folder: where the dashboard writes it
    (:func:`arbook.collections.contacts.log_location`, the one rule). None when there is none
    yet; a --log file that does not exist is an error, so a typo never starts an empty log.
    With ``create`` (a command that writes to the log) a log not started yet is started."""
    from arbook.collections.contacts import open_log as open_contact_log

    return open_contact_log(args.log, folder=ledger.folder, create=create)


def say_na(ledger, what: str, args) -> None:
    """Say once why ``what`` is n/a (:func:`~arbook.measures.history.needs_history`): below a
    table, on stderr beside CSV and JSON (their stdout stays the data)."""
    reason = needs_history(ledger, what)
    if reason and args.format == "table":
        say("", reason)
    elif reason:
        say(reason, err=True)


# -- the interface language ------------------------------------------------------------------


def language_asked(argv: list[str]) -> str | None:
    """The language of ``--lang X`` (or ``--lang=X``) in ``argv``, read before the parser is
    built so that its help is in that language; None when not given (or not one arbook speaks:
    the parser then says so, with the languages it speaks). Words after a lone ``--`` are
    arguments, not options."""
    for i, word in enumerate(argv):
        if word == "--":
            break
        value = None
        if word == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif word.startswith("--lang="):
            value = word.partition("=")[2]
        if value is not None and value in i18n.LANGUAGES:
            return value
    return None


def _parsers(parser: argparse.ArgumentParser):
    """``parser`` and every parser of its commands, actions and steps, depth first."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # an alias names one parser
                yield from _parsers(child)


def language_options(parser: argparse.ArgumentParser) -> None:
    """``--lang {en,es,ru}``, the interface language (messages, help, table titles), on
    ``parser`` and every command under it. A command whose ``--lang`` chooses its document's or
    its scripts' language (statement, letter, worklist, playbook) keeps it: that choice is the
    interface's too. Not given, it leaves no value (the language stays ``ARBOOK_LANG``'s, the
    policy's or the system's)."""
    for each in _parsers(parser):
        if "--lang" not in each._option_string_actions:
            each.add_argument(
                "--lang",
                choices=i18n.LANGUAGES,
                default=argparse.SUPPRESS,
                help=_(
                    "interface language: messages, help and table titles (default: "
                    "$ARBOOK_LANG, else the policy's language, else the system's)"
                ),
            )
