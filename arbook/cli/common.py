"""What every ``arbook`` command shares: the data and report options, loading the ledger,
printing a frame for people or machines, and the exit code."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from arbook.core.config import check_edges
from arbook.core.errors import ArbookError
from arbook.core.ledger import Ledger, read_ledger
from arbook.core.money import parse_money
from arbook.core.presets import PRESETS
from arbook.views.format import human_table, to_csv, to_json

OK, DATA_ERRORS, USAGE = 0, 1, 2


def edges_arg(text: str):
    try:
        return check_edges([part.strip() for part in text.split(",")])
    except ArbookError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "data", help="folder with invoices/payments/customers files (or one file with --preset)"
    )
    parser.add_argument("--preset", choices=sorted(PRESETS), help="read one file in this layout")
    parser.add_argument("--policy", help="policy TOML (default: arbook/defaults/policy.toml)")
    parser.add_argument(
        "--date-order",
        choices=("iso", "mdy", "dmy"),
        help="how dates are written (default ISO YYYY-MM-DD)",
    )
    parser.add_argument(
        "--decimal", choices=(".", ","), default=".", help="decimal mark in amounts (default '.')"
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
            help="bucket edges in days, e.g. 30,60,90,120 (default: the policy's)",
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
    )


def emit(frame: pd.DataFrame, fmt: str, *, total: bool = False, titles=None) -> None:
    """Print ``frame`` for people (``table``: titles as every screen titles them) or machines
    (``csv``, ``json``: column names and exact cents)."""
    if fmt == "csv":
        sys.stdout.write(to_csv(frame))
    elif fmt == "json":
        sys.stdout.write(to_json(frame) + "\n")
    else:
        sys.stdout.write(human_table(frame, total=total, titles=titles) + "\n")


def finish(ledger: Ledger) -> int:
    errors = len(ledger.errors)
    if errors:
        print(
            f"note: {errors:,} problem(s) in the data left rows out of these numbers; "
            f"run `arbook check {ledger.source}` to see them.",
            file=sys.stderr,
        )
        return DATA_ERRORS
    return OK


def log_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log",
        default=None,
        help="contact log: a SQLite file or a database URL (default: $ARBOOK_LOG, else "
        "collections.db in the data folder when there is one)",
    )


def ladder_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ladder",
        default=None,
        help="ladder TOML (default: ladder.toml in the data folder, else "
        "arbook/defaults/ladder.toml)",
    )


def open_log(args, ledger: Ledger):
    """The contact log of ``--log``, else the client's (None when it has none yet); a --log
    file that does not exist is an error, so a typo never starts an empty log."""
    from arbook.collections.contacts import open_log as open_contact_log

    return open_contact_log(args.log, folder=ledger.folder)
