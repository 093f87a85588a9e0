"""``--engine`` and ``--db``: where ``arbook aging`` and ``arbook metrics`` compute.

``--engine memory`` (or no flag) is arbook's own in-memory path. ``--engine duckdb`` or
``spark`` on a folder of canonical Parquet files (``invoices.parquet``, ``payments.parquet``,
or folders of part files) reads them lazily in the engine, for data larger than memory; on any
other data the ledger is read and checked as always, then measured in the engine.
``--engine postgres --db URL`` measures the tables ``invoices``, ``payments`` (and
``customers``) of that database; DATA is then not given.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from arbook.cli.common import load_ledger
from arbook.core.errors import ParameterError
from arbook.core.i18n import _
from arbook.core.ledger import Ledger
from arbook.engines import ENGINES, Source, check_engine, source
from arbook.engines.backends import parquet_folder


def engine_options(parser: argparse.ArgumentParser) -> None:
    """--engine and --db; DATA becomes optional (a database given with --db replaces it)."""
    for action in parser._actions:  # argparse has no public way to loosen a positional
        if action.dest == "data":
            action.nargs = "?"
            action.default = None
    parser.add_argument(
        "--engine",
        default=None,
        metavar="ENGINE",
        help=_(
            "where to compute: {engines}. memory is arbook's own (default); duckdb and spark read "
            "a folder of Parquet files lazily (larger than memory); postgres the tables of --db"
        ).format(engines=", ".join(ENGINES)),
    )
    parser.add_argument(
        "--db",
        default=None,
        metavar="URL",
        help=_(
            "with --engine postgres: the database holding tables invoices, payments (and "
            "customers), e.g. postgresql://user:password@host/database"
        ),
    )


def measured(args) -> tuple[Ledger | Source, Ledger | None]:
    """What the command measures, as the flags say: ``(ledger or engine source, the ledger
    read, None when the engine reads the data itself)``."""
    engine = check_engine(args.engine, "--engine")
    if args.db is not None and engine != "postgres":
        raise ParameterError(
            _("{flag} is for {engine_flag} postgres").format(flag="--db", engine_flag="--engine")
        )
    if engine == "postgres":
        if args.db is None:
            raise ParameterError(
                _("{engine_flag} postgres reads the tables of a database: give {flag} URL").format(
                    engine_flag="--engine", flag="--db"
                )
            )
        if args.data is not None:
            raise ParameterError(
                _("give DATA or {flag}, not both (with {flag} the tables are the data)").format(
                    flag="--db"
                )
            )
        return source("postgres", db=args.db, policy=args.policy), None
    if args.data is None:
        raise ParameterError(_("give DATA: the ledger's folder or file"))
    if engine == "memory":
        ledger = load_ledger(args)
        return ledger, ledger
    if parquet_folder(Path(args.data)):
        return source(engine, args.data, policy=args.policy), None
    ledger = load_ledger(args)
    return source(engine, ledger), ledger
