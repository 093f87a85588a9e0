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
from pathlib import Path

import pandas as pd

from arbook.core.config import check_edges
from arbook.core.errors import ArbookError
from arbook.core.files import spreadsheet_csv
from arbook.core.ledger import Ledger, read_ledger
from arbook.core.money import parse_money
from arbook.core.presets import PRESETS
from arbook.measures.history import needs_history
from arbook.views.format import human_table, machine_frame, to_json

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
        help="read DATA as one export file in this layout (e.g. ibm)",
    )


def data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "data",
        help="folder with invoices/payments/customers files, or an accounting system's export "
        "(its layout recognised, or named with --preset)",
    )
    preset_option(parser)
    parser.add_argument("--policy", help="policy TOML (default: arbook/defaults/policy.toml)")
    parser.add_argument(
        "--date-order",
        choices=("iso", "mdy", "dmy"),
        help="how dates are written (default ISO YYYY-MM-DD)",
    )
    parser.add_argument(
        "--decimal",
        choices=(".", ","),
        default=None,
        help="decimal mark in amounts (default: the one the amounts use; '.' if they do not say)",
    )
    parser.add_argument(
        "--encoding",
        help="text encoding of CSV files that are not UTF-8, e.g. cp1252 or cp1251 (default: "
        "found from the file, and said when it is a guess)",
    )


def aging_options(parser: argparse.ArgumentParser, *, edges: bool = True) -> None:
    """--basis and --edges: not given means the policy's (``[aging]``)."""
    parser.add_argument(
        "--basis",
        choices=("due", "invoice"),
        default=None,
        help="bucket by days past the due date or since the invoice date (default: the "
        "policy's, due)",
    )
    if edges:
        parser.add_argument(
            "--edges",
            type=edges_arg,
            default=None,
            help="bucket edges in days, e.g. 30,60,90,120, or 'months' for calendar months "
            "(default: the policy's)",
        )


def report_parser(
    sub, name: str, text: str, *, when: str, buckets: bool = False, basis: bool = False
) -> argparse.ArgumentParser:
    """A report command: data options, its date or month range, aging options, --format."""
    parser = sub.add_parser(name, help=text)
    data_options(parser)
    if when == "day":
        parser.add_argument("--as-of", required=True, help="the date to report at, YYYY-MM-DD")
    else:
        parser.add_argument("--from", dest="start", required=True, help="first month, YYYY-MM")
        parser.add_argument("--to", dest="end", required=True, help="last month, YYYY-MM")
    if buckets or basis:
        aging_options(parser, edges=buckets)
    format_option(parser)
    return parser


def format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table for people (default); csv or json keep cents exact",
    )


def money_arg(text: str) -> int:
    """``"10.00"`` -> 1000 cents (argparse type): 0 or more, at most 2 decimals."""
    try:
        return parse_money(text, least=0, example="like 10.00")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def load_ledger(args) -> Ledger:
    return read_ledger(
        args.data,
        preset=args.preset,
        policy=args.policy,
        date_order=args.date_order,
        decimal=args.decimal,
        encoding=args.encoding,
    )


def emit(frame: pd.DataFrame, fmt: str, *, total: bool = False, titles=None) -> None:
    """Print ``frame`` for people (``table``: titles as every screen titles them, text cells
    through :func:`visible`) or machines (``csv``: exact cents, text a spreadsheet would run made
    safe by :func:`~arbook.core.files.spreadsheet_csv`; ``json``: exact cents)."""
    if fmt == "csv":
        sys.stdout.write(spreadsheet_csv(machine_frame(frame)))
    elif fmt == "json":
        sys.stdout.write(to_json(frame) + "\n")
    else:
        sys.stdout.write(human_table(visible_frame(frame), total=total, titles=titles) + "\n")


def finish(ledger: Ledger, args=None) -> int:
    """DATA_ERRORS, with a note on stderr saying how to see them, when the data has errors;
    else OK. ``args`` (the command's) gives the note the ``--preset`` the data was read with."""
    errors = len(ledger.errors)
    if errors:
        preset = getattr(args, "preset", None)
        say(
            f"note: {errors:,} problem(s) in the data left rows out of these numbers; "
            f"run `arbook check {ledger.source}{f' --preset {preset}' if preset else ''}` "
            "to see them.",
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
        help="contact log: a SQLite file or any database URL, e.g. "
        "postgresql://user@host/arbook (default: $ARBOOK_LOG, else collections.db in the data "
        "folder: the log the dashboard writes)",
    )


def ladder_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ladder",
        default=None,
        help="ladder TOML (default: ladder.toml in the data folder, else "
        "arbook/defaults/ladder.toml)",
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
