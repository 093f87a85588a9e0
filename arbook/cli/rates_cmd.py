"""``arbook rates ecb FILE --out DATA``: the ECB's published reference rates (a file the user
downloaded; nothing is fetched) written as the ``rates.csv`` of a ledger folder
(:mod:`arbook.core.rates_ecb`)."""

from __future__ import annotations

from pathlib import Path

from arbook.cli.common import OK, USAGE, say
from arbook.core.dates import format_count
from arbook.core.i18n import _, ngettext


def rates_parser(sub) -> None:
    p = sub.add_parser(
        "rates",
        help=_("exchange rates for a ledger folder, from a central bank's published file"),
        description=_(
            "Writes DATA/rates.csv (currency, rate, date: the book's currency per unit, from "
            "each day on) from the European Central Bank's reference rates file "
            "(eurofxref-hist.csv or eurofxref.csv, downloaded from the ECB's site: nothing is "
            "fetched). The book's currency is the folder's policy's, else --book, else EUR."
        ),
    )
    p.add_argument("source", choices=("ecb",), metavar="ecb", help=_("the file's publisher"))
    p.add_argument("file", metavar="FILE", help=_("the ECB's CSV file"))
    p.add_argument("--out", required=True, metavar="DATA", help=_("the ledger folder"))
    p.add_argument("--book", default=None, help=_("the book's currency (default: the policy's)"))
    p.add_argument(
        "--currencies",
        default=None,
        help=_("only these, comma-separated (default: every currency the file gives)"),
    )
    p.add_argument("--force", action="store_true", help=_("replace a rates.csv already there"))


def cmd_rates(args) -> int:
    from arbook.core.config import load_policy
    from arbook.core.files import spreadsheet_csv, write_atomic
    from arbook.core.rates_ecb import read_ecb

    folder = Path(args.out)
    if not folder.is_dir():
        say(
            _("{folder}: no such folder; give the ledger folder with --out").format(folder=folder),
            err=True,
        )
        return USAGE
    target = folder / "rates.csv"
    if target.exists() and not args.force:
        said = _("{file} is already there; give --force to replace it (nothing was written)")
        say(said.format(file=target), err=True)
        return USAGE
    book = args.book
    if book is None:
        own = folder / "policy.toml"
        book = (load_policy(own).currency if own.is_file() else None) or "EUR"
    codes = [c.strip().upper() for c in args.currencies.split(",")] if args.currencies else None
    rates = read_ecb(args.file, book, codes)
    write_atomic(target, spreadsheet_csv(rates))
    days = int(rates["date"].nunique())
    said = ngettext(
        "{file}: {rows} rates of {currencies} currencies over {days} day, in {book} per unit",
        "{file}: {rows} rates of {currencies} currencies over {days} days, in {book} per unit",
        days,
    )
    say(
        said.format(
            file=target,
            rows=format_count(len(rates)),
            currencies=format_count(int(rates["currency"].nunique())),
            days=format_count(days),
            book=book,
        )
    )
    return OK
