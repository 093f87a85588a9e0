"""Your own layout: a mapping of a file's columns onto arbook's invoices, saved beside the data.

A bookkeeper's own sheet, or an export arbook has no preset for (Sage, Zoho, FreshBooks, Holded,
МойСклад...), is read through a :class:`Mapping`: which of its columns holds each of arbook's
fields (:data:`FIELDS`), on which line its header is, how its dates and decimals are written,
and whether its amounts are open balances on one date (an aging report) or a history.

:func:`suggest` proposes one from the file itself: the header row is the row of the first rows
whose cells match most header names (English, Spanish, Russian: the vocabulary is data, in
``arbook/defaults/mapping_synonyms.toml``), and the cells below each column decide between
candidates (dates, money, unique ids...). :func:`problems` says in words what would make the
numbers wrong (nothing mapped to ``amount``; a face value mapped where an open balance exists);
:func:`preview` gives the ledger the mapping reads, to see the totals before saving;
:func:`save` writes ``mapping.toml`` (commented TOML, to edit by hand) and :func:`load` reads it
back as a :class:`~arbook.core.presets.Preset`, which ``read_ledger(folder)`` then uses.

A mapped file is read like any export: raw text cells under arbook's column names, every row
keeping its file and line, so the validation reports bad cells in the file's own terms. Rows
that are not items are left out: blank and heading rows silently, total rows (a "Total..." cell
and no number, date or customer) as totals, anything else with an amount as an ``unread_row``
error. A row's type column, where mapped, says whether it is an invoice, a credit note (made
negative) or a payment (cash received, unapplied unless it names the invoice it settles).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from importlib import resources
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from arbook.core import grid as grids
from arbook.core import money, parse, sheets
from arbook.core.config import PolicyLike
from arbook.core.errors import DataError, Issue, IssueCode, PolicyError
from arbook.core.files import write_atomic
from arbook.core.folder import IMPORT_NOTE, MAPPING_FILE
from arbook.core.presets import Imported, Preset
from arbook.core.rules_file import decode, read_bytes, rules_file, shown
from arbook.core.schemas import normalise_name

if TYPE_CHECKING:
    from arbook.core.ledger import Ledger

#: the canonical targets a column may map to, in display order. ``amount`` is what is owed on
#: the document: its open balance where the file has one; ``face_amount`` its total as issued.
FIELDS: tuple[str, ...] = (
    "invoice_id",
    "customer_id",
    "customer_name",
    "invoice_date",
    "due_date",
    "amount",
    "face_amount",
    "applies_to",
    "currency",
    "disputed",
    "terms_days",
    "document_type",
)

#: what each field is, in words (for the screen and the TOML's comments)
FIELD_WORDS: dict[str, str] = {
    "invoice_id": "the document's number",
    "customer_id": "the customer's code (else its name is its id)",
    "customer_name": "the customer's name",
    "invoice_date": "the date the document was issued",
    "due_date": "the date payment is due",
    "amount": "what is owed on the document: the open balance where the file has one",
    "face_amount": "the document's total as issued, beside an open balance",
    "applies_to": "for a credit note or payment: the invoice it is against",
    "currency": "a three-letter currency code",
    "disputed": "yes/no: the customer disputes it",
    "terms_days": "payment terms, in days (or 'Net 30')",
    "document_type": "invoice / credit note / payment",
}

#: the fields a mapping needs (``customer_id`` is also given by ``customer_name`` alone)
REQUIRED: tuple[str, ...] = ("invoice_id", "customer_id", "invoice_date", "amount")

DATE_ORDERS = ("iso", "dmy", "mdy")
DECIMALS = (".", ",")
#: what a file of open balances lacks, in words (Ledger.lacks)
OPEN_LACKS = "the paid invoices, nor payments and their dates"
#: the rows looked at for the header, and the rows below it whose cells are profiled
HEADER_ROWS = 40
SAMPLE_ROWS = 2000
PREVIEW_ROWS = 10
#: a text file up to this size is profiled whole; a bigger one by its first rows
PROFILE_BYTES = 4 << 20
#: the least score a candidate needs to be mapped by :func:`suggest`
THRESHOLD = 0.45
_ACCENTS = str.maketrans("áéíóúüñàèìòùâêîôûçãõäöëïÿ", "aeiouunaeiouaeioucaoaoeiy")
_CAMEL = re.compile(r"(?<=[a-zа-яё])(?=[A-ZА-ЯЁ])")  # InvoiceAmountDue: three words
_NUMBER_SIGN = re.compile(r"n\.?\s?[º°o]\.?(?=\s|$|\d)|[#№]")
_TERMS = re.compile(
    r"^\s*(?:(?:net|neto|нетто|n)\s*(\d{1,4})|(\d{1,4})\s*(?:days?|d|dias|días|дн\.?|дней|дня|день)"
    r"|(\d{1,4})|(?:due on receipt|on receipt|contado|al contado|при получении))\s*$",
    re.IGNORECASE,
)
#: a workbook's number cell as arbook's sheet reader writes it (".15g": 45500.5, -12, 1e+20)
_NUMBER_CELL = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?")
_DISCOUNT_TERMS = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*%\s*\d+\s*,?\s*net\s*(\d{1,4})\s*$", re.I)
_DATE_IN_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{4}"
    r"|[^\W\d_]+\.? \d{1,2},? \d{4}|\d{1,2}(?: de)? [^\W\d_]+\.?(?: de)? \d{4}(?: ?г\.?)?"
)


# -- the mapping ---------------------------------------------------------------------------------


@dataclass
class Mapping:
    """How one file's columns map onto arbook's fields. ``file`` is the data file's name,
    relative to the folder the mapping is saved in; ``header_line`` the file's line (a sheet's
    row) of the header; ``columns`` field -> the column's header as the file writes it."""

    file: str
    header_line: int
    columns: dict[str, str]
    date_order: str = "iso"  # "iso" | "dmy" | "mdy"
    decimal: str = "."  # "." | ","
    open_items_only: bool = False  # the amounts are open balances on one date (an aging report)
    report_date: str | None = None  # ISO date the report is as of, when open_items_only
    sheet: str | None = None
    encoding: str | None = None

    def to_toml(self) -> str:
        """The mapping as commented TOML, to read and edit by hand; unmapped fields are listed
        as comments, so a column can be mapped by removing a ``#``."""
        lines = [
            "# arbook mapping: how the columns of a file map onto arbook's invoices.",
            "# arbook reads the data folder through it (every command, the dashboard); edit it",
            '# by hand or on the dashboard\'s "Load your data" step. Check it with `arbook check`.',
            "",
            "# the data file, relative to this file's folder",
            f"file = {_q(self.file)}",
            "# the file's line (a sheet's row) that holds the column headers",
            f"header_line = {int(self.header_line)}",
        ]
        lines.append("# the sheet of a workbook the rows are on")
        lines.append(f"sheet = {_q(self.sheet)}" if self.sheet else '# sheet = "Sheet1"')
        lines.append("# the text encoding of a CSV file that is not UTF-8 (cp1252, cp1251...)")
        lines.append(
            f"encoding = {_q(self.encoding)}" if self.encoding else '# encoding = "cp1252"'
        )
        lines += [
            '# how dates are written: "iso" 2026-06-30, "dmy" 30/06/2026, "mdy" 06/30/2026',
            f"date_order = {_q(self.date_order)}",
            '# the decimal mark of amounts: "." (1,234.50) or "," (1.234,50 or 1 234,50)',
            f"decimal = {_q(self.decimal)}",
            "# true when the amounts are the open balances on one date (an aging report): the",
            "# file then holds no history, and DSO, CEI, payment behaviour... are n/a",
            f"open_items_only = {'true' if self.open_items_only else 'false'}",
            "# the date the balances are as of (YYYY-MM-DD), when open_items_only",
            f"report_date = {_q(self.report_date)}"
            if self.report_date
            else '# report_date = "2026-06-30"',
            "",
            "# arbook's field = the file's column header, as the file writes it",
            "[columns]",
        ]
        for name in FIELDS:
            comment = f"  # {FIELD_WORDS[name]}"
            if name in self.columns:
                lines.append(f"{name} = {_q(self.columns[name])}{comment}")
            else:
                lines.append(f'# {name} = ""{comment}')
        for name, header in self.columns.items():  # pragma: no cover - from_toml refuses these
            if name not in FIELDS:
                lines.append(f"{name} = {_q(header)}")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_toml(cls, text: str, where: str) -> Mapping:
        """A mapping from its TOML ``text``; PolicyError naming ``where``, the line and the key
        of every problem (all of them, one a line) and what to write instead."""
        parsed = rules_file(text, where)
        data = parsed.data
        problems: list[str] = []

        def bad(loc: tuple[str, ...], what: str) -> None:
            problems.append(f"{parsed.at(loc)}: {what}")

        known = {
            "file",
            "header_line",
            "date_order",
            "decimal",
            "open_items_only",
            "report_date",
            "sheet",
            "encoding",
            "columns",
        }
        for key in data:
            if key not in known:
                bad((key,), f"unknown key; the keys are {', '.join(sorted(known))}")
        file = data.get("file")
        if not isinstance(file, str) or not file.strip():
            bad(("file",), 'give the data file\'s name in quotes, e.g. file = "ledger.xlsx"')
            file = ""
        elif PurePath(file).is_absolute() or ".." in PurePath(file).parts:
            bad(("file",), f"{shown(file)} is outside this folder; give a name in the folder")
        header = data.get("header_line")
        if isinstance(header, bool) or not isinstance(header, int) or header < 1:
            bad(("header_line",), "give the header's line number, a whole number from 1")
            header = 1
        order = data.get("date_order", "iso")
        if order not in DATE_ORDERS:
            bad(("date_order",), f"{shown(order)}; use one of {', '.join(map(_q, DATE_ORDERS))}")
            order = "iso"
        decimal = data.get("decimal", ".")
        if decimal not in DECIMALS:
            bad(("decimal",), f'{shown(decimal)}; use "." or ","')
            decimal = "."
        open_items = data.get("open_items_only", False)
        if not isinstance(open_items, bool):
            bad(("open_items_only",), f"{shown(open_items)}; write true or false")
            open_items = False
        report = data.get("report_date")
        if report is not None:
            report = _iso_date(report)
            if report is None:
                bad(("report_date",), f'{shown(data["report_date"])}; write it as "2026-06-30"')
        texts: dict[str, str | None] = {}
        for key in ("sheet", "encoding"):
            value = data.get(key)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                bad((key,), f"{shown(value)}; write it in quotes, or leave the key out")
                value = None
            texts[key] = value
        columns: dict[str, str] = {}
        given = data.get("columns", {})
        if not isinstance(given, dict):
            bad(("columns",), 'write the columns as a [columns] table of field = "header"')
            given = {}
        for name, header_text in given.items():
            if name not in FIELDS:
                near = _nearest(name, FIELDS)
                hint = f" (did you mean {near}?)" if near else ""
                bad(
                    ("columns", name),
                    f"not a field of arbook's{hint}; the fields are {', '.join(FIELDS)}",
                )
            elif not isinstance(header_text, str) or not header_text.strip():
                bad(
                    ("columns", name),
                    f"{shown(header_text)}; give the file's column header "
                    "in quotes, or comment the line out",
                )
            else:
                columns[name] = header_text
        if problems:
            raise PolicyError("\n".join(problems))
        return cls(
            file=str(file),
            header_line=int(header),
            columns=columns,
            date_order=str(order),
            decimal=str(decimal),
            open_items_only=bool(open_items),
            report_date=report,
            sheet=texts["sheet"],
            encoding=texts["encoding"],
        )


def _q(value: object) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(str(value), ensure_ascii=False)


def _iso_date(value: object) -> str | None:
    """``value`` (a TOML date or "YYYY-MM-DD" text) as ISO text; None if it is not one."""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return str(value.isoformat())[:10]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return pd.Timestamp(value.strip()).strftime("%Y-%m-%d")
        except ValueError:
            return None
    return None


def _nearest(word: str, choices: tuple[str, ...]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


# -- the vocabulary ------------------------------------------------------------------------------


def header_key(text: object) -> str:
    """A header (or a type's value) compared loosely: lower case, "ё" as "е", accents on Latin
    letters dropped, "#", "№", "Nº" as "no", every run of other punctuation and spaces one
    space. ``"Nº Factura"`` -> ``"no factura"``, ``"Invoice #"`` -> ``"invoice no"``."""
    key = (
        _CAMEL.sub(" ", str(text).strip().lstrip("\ufeff"))
        .lower()
        .replace("ё", "е")
        .translate(_ACCENTS)
    )
    key = _NUMBER_SIGN.sub(" no ", key)
    return re.sub(r"[\W_]+", " ", key).strip()


@dataclass(frozen=True)
class Vocabulary:
    """The header names of each field (strong and weak), the headers of what was paid, the
    values of a type column by kind, the words of total rows and of a report's date."""

    strong: dict[str, tuple[str, ...]]
    weak: dict[str, tuple[str, ...]]
    paid: tuple[str, ...]
    types: dict[str, tuple[str, ...]]
    totals: tuple[str, ...]
    report_words: tuple[str, ...]
    not_owed: tuple[str, ...]
    ignore: tuple[str, ...]
    status_columns: tuple[str, ...]
    not_documents: tuple[str, ...]
    withheld: tuple[str, ...]


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, ``arbook/defaults/mapping_synonyms.toml``, keys compared by
    :func:`header_key`."""
    text = resources.files("arbook.defaults").joinpath("mapping_synonyms.toml").read_text("utf-8")
    data = tomllib.loads(text)

    def keys(words: list[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k for k in map(header_key, words) if k))

    fields = data["fields"]
    return Vocabulary(
        strong={f: keys(fields[f].get("strong", [])) for f in FIELDS},
        weak={f: keys(fields[f].get("weak", [])) for f in FIELDS},
        paid=keys(data["paid"]["names"]),
        types={kind: keys(words) for kind, words in data["document_types"].items()},
        totals=keys(data["totals"]["words"]),
        report_words=keys(data["report_date"]["words"]),
        not_owed=keys(data["not_owed"]["words"]),
        ignore=keys(data["ignore"]["words"]),
        status_columns=keys(data["status"]["columns"]),
        not_documents=keys(data["status"]["not_documents"]),
        withheld=keys(data["withheld"]["words"]),
    )


def _holds(key: str, words: tuple[str, ...]) -> str | None:
    """The first of ``words`` that is whole words of ``key``, or None."""
    padded = f" {key} "
    return next((w for w in words if f" {w} " in padded), None)


def _name_score(key: str, names: tuple[str, ...]) -> tuple[float, str]:
    """How well a header key matches one of ``names``: 1 for the same words, else (when a name
    is whole words of the header) more the more of the header it covers; the name matched."""
    best, which = 0.0, ""
    padded = f" {key} "
    for name in names:
        if name == key:
            return 1.0, name
        if f" {name} " in padded:
            score = 0.45 + 0.35 * len(name) / len(key)
            if score > best:
                best, which = score, name
    return best, which


@lru_cache(maxsize=1 << 14)
def header_score(header: str, name: str) -> tuple[float, str]:
    """How well ``header`` names the field ``name`` (0..1) and why, in words."""
    key = header_key(header)
    if not key:
        return 0.0, ""
    words = vocabulary()
    if _holds(key, words.ignore) and _name_score(key, words.strong[name])[0] < 1.0:
        return 0.0, ""
    if name in ("amount", "face_amount") and is_paid(header):
        return 0.0, ""
    strong, said = _name_score(key, words.strong[name])
    weak, said_weak = _name_score(key, words.weak[name])
    weak *= 0.7
    other = _holds(key, words.not_owed) if name in ("amount", "face_amount") else None
    if other and max(strong, weak) > 0:
        return 0.2 * max(strong, weak), (
            f"its header {header!r} holds {other!r}: it is not what is owed, nor the total"
        )
    if strong >= weak and strong > 0:
        how = "is" if strong == 1.0 else f"holds {said!r}, which is"
        return strong, f"its header {header!r} {how} a name for {name}"
    if weak > 0:
        how = "may be" if weak >= 0.69 else f"holds {said_weak!r}, which may be"
        return weak, f"its header {header!r} {how} a name for {name}"
    return 0.0, ""


def is_open_balance(header: str) -> bool:
    """The header names an open balance (what is still owed), not a face value nor a tax."""
    key = header_key(header)
    words = vocabulary()
    return _name_score(key, words.strong["amount"])[0] > 0 and not _holds(key, words.not_owed)


def is_paid(header: str) -> bool:
    """The header names what has been paid on a document (and not what is left to pay)."""
    return _name_score(header_key(header), vocabulary().paid)[0] > 0 and not is_open_balance(header)


def document_kind(value: object) -> str:
    """What a type column's value says a row is: "invoice", "credit", "payment", "" when blank,
    "unknown" when the vocabulary does not know it."""
    key = header_key(value) if isinstance(value, str) else ""
    if not key:
        return ""
    for kind, words in vocabulary().types.items():
        if key in words:
            return kind
    for kind, words in vocabulary().types.items():
        if any(f" {w} " in f" {key} " for w in words if len(w) > 3):
            return kind
    return "unknown"


# -- what a column's cells look like --------------------------------------------------------------


@dataclass
class Profile:
    """A column's header and what its cells look like (shares of its non-blank cells)."""

    position: int
    header: str
    cells: list[str]  # every sample row's cell, blanks included (rows aligned across columns)
    filled: int = 0
    dates: float = 0.0
    money: float = 0.0
    decimals: float = 0.0  # money cells with a decimal mark or a thousands separator
    unique: float = 0.0
    whole: float = 0.0
    codes: float = 0.0
    flags: float = 0.0
    terms: float = 0.0
    distinct: int = 0
    negative: float = 0.0


def profile(position: int, header: str, cells: list[str]) -> Profile:
    """What the cells under ``header`` look like: shares that read as dates, money, whole
    numbers, currency codes, yes/no, terms; how unique they are."""
    found = Profile(position, header, cells)
    text = [c.strip() for c in cells if c.strip()]
    found.filled = len(text)
    if not text:
        return found
    series = pd.Series(text, dtype=object)
    n = len(text)
    dates = parse.parse_dates(series)
    found.dates = float((~dates.bad | dates.ambiguous | dates.mixed).sum()) / n
    point, comma = parse.parse_cents(series, "."), parse.parse_cents(series, ",")
    money = ~point[2] | ~comma[2]
    found.money = float(money.sum()) / n
    marked = series.str.contains(r"[.,\s\u00a0]\d", regex=True).to_numpy(dtype=bool)
    found.decimals = float((money & marked).sum()) / n
    cents = np.where(~point[2], point[0], comma[0])
    found.negative = float((money & (cents < 0)).sum()) / n
    found.unique = series.nunique() / n
    found.distinct = int(series.nunique())
    found.whole = float(series.str.fullmatch(r"\d+").sum()) / n
    found.codes = float(series.str.fullmatch(r"[A-Za-z]{3}").sum()) / n
    flag_bad = parse.parse_flag(series)[1]
    found.flags = float((~flag_bad).sum()) / n
    found.terms = float(sum(terms_days(t) is not None for t in text)) / n
    return found


def terms_days(text: str) -> int | None:
    """Payment terms as days: ``30``, ``Net 30``, ``30 días``, ``30 дней``, ``2% 10 Net 30``
    (the net days), ``Due on receipt`` (0); None when the text is not terms."""
    match = _TERMS.match(text) or _DISCOUNT_TERMS.match(text)
    if match is None:
        return None
    days = next((g for g in match.groups() if g), None)
    return int(days) if days is not None else 0


def _pct(share: float) -> str:
    return f"{share:.0%}"


def value_fit(name: str, p: Profile) -> tuple[float, str]:
    """How well a column's cells fit the field ``name`` (0..1), and why in words."""
    if p.filled == 0:
        return 0.6, "its cells are blank in the first rows"
    if name in ("invoice_date", "due_date"):
        return max(p.dates, 0.05), f"{_pct(p.dates)} of its cells read as dates"
    if name in ("amount", "face_amount"):
        if p.dates > 0.5:
            return 0.05, "its cells are dates, not money"
        return max(p.money, 0.05), f"{_pct(p.money)} of its cells read as money"
    if name == "currency":
        return max(p.codes, 0.1), f"{_pct(p.codes)} of its cells are three-letter codes"
    if name == "disputed":
        return max(p.flags, 0.1), f"{_pct(p.flags)} of its cells are yes/no"
    if name == "terms_days":
        return max(p.terms, 0.1), f"{_pct(p.terms)} of its cells read as payment terms"
    if p.dates > 0.8:
        return 0.2, "its cells are dates"
    money_like = p.money > 0.9 and p.decimals > 0.5
    if name == "invoice_id":
        if money_like:
            return 0.2, "its cells look like money"
        return 0.6 + 0.4 * p.unique, f"{_pct(p.unique)} of its cells are different"
    if name in ("customer_id", "customer_name"):
        if money_like:
            return 0.2, "its cells look like money"
        if name == "customer_name" and p.whole > 0.8:
            return 0.5, "its cells are numbers, not names"
        return 1.0, f"{p.distinct} different values in {p.filled} rows"
    if name == "document_type":
        if p.money > 0.5:
            return 0.1, "its cells are numbers"
        few = p.distinct <= max(12, int(p.filled * 0.3))
        return (1.0, f"{p.distinct} different values") if few else (0.4, "many different values")
    return (0.2, "its cells look like money") if money_like else (1.0, "")


# -- suggesting a mapping ------------------------------------------------------------------------


@dataclass
class Candidate:
    """A column that may hold a field: its header as written, a score (0..1; the best is
    mapped when over :data:`THRESHOLD`) and why, in words."""

    column: str
    score: float
    reason: str


@dataclass
class Suggestion:
    """What :func:`suggest` found: the suggested ``mapping``, the ``candidates`` of each field
    (best first), the file's first rows below the header (``preview``: its cells as written, the
    file's line numbers as the index), the ``header_line`` and ``notes`` on what was decided."""

    mapping: Mapping
    candidates: dict[str, list[Candidate]]
    preview: pd.DataFrame
    header_line: int
    notes: list[str]
    columns: list[str] = field(default_factory=list)  # the header's cells, as written


def read_grid(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> grids.Grid:
    """The file as a :class:`~arbook.core.grid.Grid` (a workbook's ``sheet`` when named, else
    its first sheet with cells); DataError in words when it cannot be read."""
    try:
        grid = grids.read_grid(path, str(path), encoding)
    except grids.GridError as exc:
        raise DataError(f"{path}: {exc.issue.message}. {exc.issue.hint}".strip()) from None
    if sheet and grid.kind == "workbook" and grid.sheet != sheet:
        grid = _sheet_grid(grid, sheet)
    return grid


def _sheet_grid(grid: grids.Grid, sheet: str) -> grids.Grid:
    """``grid``'s workbook read from its sheet named ``sheet``."""
    try:
        for title, rows in sheets._sheets_of(grid.path, grid.label):
            if title == sheet:
                listed = list(rows)
                return grids.Grid(
                    grid.path,
                    grid.label,
                    "workbook",
                    listed[: grids.HEAD_ROWS],
                    sheet=title,
                    _rows=listed,
                )
    except sheets.WorkbookError as exc:
        raise DataError(f"{grid.path}: {exc.issue.message}") from None
    raise DataError(
        f"{grid.path}: no sheet named {sheet!r} (the mapping's sheet); name one of its sheets, "
        "or remove the sheet line to read the first"
    )


def find_header(grid: grids.Grid) -> int:
    """The line of the header among the first rows: the row with most cells that match a
    field's names, then most cells that look like names (not numbers or dates); title rows
    above it are skipped. A file none of whose rows matches: its first row with most names."""
    rows = [(line, [c for c in cells if c.strip()]) for line, cells in grid.head[:HEADER_ROWS]]
    rows = [(line, filled) for line, filled in rows if len(filled) >= 2]
    if not rows:
        return grid.head[0][0] if grid.head else 1
    names = _name_like([c for _, filled in rows for c in filled])
    best: tuple[int, int, int] | None = None
    line_of_best, at = rows[0][0], 0
    for line, filled in rows:
        matched = sum(1 for c in filled if _best_score(c) >= THRESHOLD)
        named = int(names[at : at + len(filled)].sum())
        at += len(filled)
        score = (matched, named, -line)
        if best is None or score > best:
            best, line_of_best = score, line
    return line_of_best


def _best_score(cell: str) -> float:
    return max(header_score(cell, f)[0] for f in FIELDS)


def _name_like(cells: list[str]) -> np.ndarray:
    """True for each cell that looks like a column's name: short text with a letter, neither
    money nor a date."""
    text = pd.Series([c.strip() for c in cells], dtype=object)
    letters = text.str.contains(r"[^\W\d_]", regex=True).to_numpy(dtype=bool)
    short = (text.str.len() <= 60).to_numpy(dtype=bool)
    money = ~parse.parse_cents(text, ".")[2] | ~parse.parse_cents(text, ",")[2]
    dates = ~parse.parse_dates(text, "dmy").bad
    return np.asarray(letters & short & ~money & ~dates, dtype=bool)


def _sample_rows(grid: grids.Grid, header: int) -> list[tuple[int, list[str]]]:
    """The rows below the header that are profiled (blank rows left out)."""
    small = grid.kind == "workbook" or grid.path.stat().st_size <= PROFILE_BYTES
    rows = grid.cells() if small else grid.head
    below = [(n, c) for n, c in rows if n > header and any(x.strip() for x in c)]
    return below[:SAMPLE_ROWS]


def _header_cells(grid: grids.Grid, header: int) -> list[str]:
    return next((list(c) for n, c in grid.head if n == header), [])


def _preview_frame(names: list[str], rows: list[tuple[int, list[str]]]) -> pd.DataFrame:
    shown_names = _unique_names(names)
    body = [(c + [""] * len(shown_names))[: len(shown_names)] for _, c in rows[:PREVIEW_ROWS]]
    frame = pd.DataFrame(body, columns=shown_names, dtype=object)
    frame.index = pd.Index([n for n, _ in rows[:PREVIEW_ROWS]], name="line")
    return frame


def _unique_names(names: list[str]) -> list[str]:
    """Header cells as column labels: a blank one as "(column N)", a repeated one numbered."""
    out: list[str] = []
    for i, name in enumerate(names, start=1):
        label = name if name.strip() else f"(column {i})"
        while label in out:
            label = f"{label} ({i})"
        out.append(label)
    return out


def suggest(path: Path, *, encoding: str | None = None) -> Suggestion:
    """A suggested mapping of the file at ``path``: its header row, each field's candidate
    columns (by header names, then by what their cells look like), the date order and decimal
    mark its cells settle, and whether its amounts are open balances. Raises DataError when the
    file cannot be read as rows at all."""
    path = Path(path)
    grid = read_grid(path, encoding=encoding)
    header = find_header(grid)
    names = _header_cells(grid, header)
    rows = _sample_rows(grid, header)
    profiles = [
        profile(i, name, [(c[i] if i < len(c) else "") for _, c in rows])
        for i, name in enumerate(names)
        if name.strip()
    ]
    candidates = _candidates(profiles)
    columns, notes = _choose(profiles, candidates)
    mapped = {f: profiles_by_header(profiles)[h] for f, h in columns.items()}
    date_order, date_note = _date_order(mapped)
    decimal = _decimal(mapped, grid.kind == "workbook")
    report = _report_date(grid, header, date_order)
    open_items = "amount" in columns and (is_open_balance(columns["amount"]) or bool(report))
    mapping = Mapping(
        file=path.name,
        header_line=header,
        columns=columns,
        date_order=date_order,
        decimal=decimal,
        open_items_only=open_items,
        report_date=report,
        sheet=grid.sheet if grid.kind == "workbook" else None,
        encoding=encoding or _named_encoding(grid),
    )
    where = "row" if grid.kind == "workbook" else "line"
    head = [f"the header is on {where} {header}: {', '.join(n for n in names if n.strip())}"]
    if header > 1:
        head.append(f"the {header - 1} {where}(s) above it are titles, skipped")
    notes = head + notes
    if date_note:
        notes.append(date_note)
    notes.append(
        "amounts with a decimal comma" if decimal == "," else "amounts with a decimal point"
    )
    if open_items:
        when = f" on {report}" if report else ""
        why = (
            f"{columns['amount']!r} is an open balance"
            if is_open_balance(columns["amount"])
            else f"the title says the report is as of {report}"
        )
        notes.append(
            f"{why}: the file lists what was open{when}, not a history (open_items_only = "
            "true); DSO, CEI, payment behaviour... will be n/a"
        )
        if report is None:
            notes.append("the file does not say the date it is as of: set report_date")
    unmapped = [p.header for p in profiles if p.header not in columns.values()]
    if unmapped:
        notes.append(f"not mapped (kept out): {', '.join(unmapped)}")
    return Suggestion(
        mapping=mapping,
        candidates=candidates,
        preview=_preview_frame(names, rows),
        header_line=header,
        notes=notes,
        columns=[n for n in names if n.strip()],
    )


def profiles_by_header(profiles: list[Profile]) -> dict[str, Profile]:
    out: dict[str, Profile] = {}
    for p in profiles:
        out.setdefault(p.header, p)
    return out


def _named_encoding(grid: grids.Grid) -> str | None:
    """The encoding a text file was read with, when it is not UTF-8 (kept in the mapping so it
    is never guessed again)."""
    if grid.kind != "text" or not grid.encoding:
        return None
    return None if grid.encoding.replace("-", "_").lower() in ("utf_8", "utf8") else grid.encoding


def _candidates(profiles: list[Profile]) -> dict[str, list[Candidate]]:
    """Each field's candidate columns, best first: by header name times cell fit; columns with
    no name for a date or money field but cells that fit, at a low score (listed, not mapped)."""
    out: dict[str, list[Candidate]] = {}
    for name in FIELDS:
        found: list[Candidate] = []
        for p in profiles:
            named, why = header_score(p.header, name)
            fit, how = value_fit(name, p)
            if named > 0:
                reason = f"{why}; {how}" if how else why
                found.append(Candidate(p.header, round(named * fit, 3), reason))
            elif name in ("invoice_date", "due_date", "amount", "face_amount") and fit >= 0.9:
                reason = f"its header says nothing, but {how}"
                found.append(Candidate(p.header, round(0.3 * fit, 3), reason))
        found.sort(key=lambda c: -c.score)
        out[name] = found
    return out


def _choose(
    profiles: list[Profile], candidates: dict[str, list[Candidate]]
) -> tuple[dict[str, str], list[str]]:
    """Each field's column: the best-scoring pairs first, a column to one field; then the money
    columns settled: an open balance is ``amount`` and a face value beside it ``face_amount``;
    of two money columns named alike, the one smaller or equal on every row is the open one."""
    position = {p.header: p.position for p in profiles}
    pairs = sorted(
        (
            (-c.score, FIELDS.index(f), position.get(c.column, 0), f, c.column)
            for f, cs in candidates.items()
            for c in cs
        ),
    )
    columns: dict[str, str] = {}
    taken: set[str] = set()
    for minus, _, _, name, column in pairs:
        score = -minus
        if score < THRESHOLD or name in columns or column in taken:
            continue
        if name in ("amount", "face_amount"):
            continue  # settled below, together
        columns[name] = column
        taken.add(column)
    notes: list[str] = []
    by_header = profiles_by_header(profiles)
    money = [
        c.column
        for c in candidates["amount"] + candidates["face_amount"]
        if c.score >= THRESHOLD and c.column not in taken
    ]
    money = list(dict.fromkeys(money))
    open_named = [c for c in money if is_open_balance(c)]
    face_named = [c for c in money if c not in open_named]
    if open_named:
        columns["amount"] = open_named[0]
        if face_named:
            columns["face_amount"] = face_named[0]
            notes.append(
                f"{open_named[0]} and {face_named[0]} both look like money: {open_named[0]} is "
                f"mapped to amount (what is owed), {face_named[0]} to face_amount"
            )
    elif len(face_named) >= 2:
        first, second = face_named[0], face_named[1]
        smaller = _smaller_everywhere(by_header[first], by_header[second])
        if smaller is not None:
            larger = second if smaller == first else first
            columns["amount"], columns["face_amount"] = smaller, larger
            notes.append(
                f"{first} and {second} both look like money: {smaller} is smaller or equal on "
                f"every row, so it is taken as the open balance (amount, what is owed) and "
                f"{larger} as face_amount; check this"
            )
        else:
            columns["amount"] = first
            notes.append(
                f"{first} and {second} both look like money and neither is named like an open "
                f"balance: {first} is mapped to amount; check which one is what is owed"
            )
    elif face_named:
        columns["amount"] = face_named[0]
    paid = [p.header for p in profiles if is_paid(p.header) and p.header not in columns.values()]
    if paid and "amount" in columns and not is_open_balance(columns["amount"]):
        notes.append(
            f"{paid[0]} looks like what has been paid, and no column is an open balance: "
            f"{columns['amount']} is read as what is owed in full, so paid invoices would count "
            "as open; add an open-balance column to the file, or keep only the open rows"
        )
    return {f: columns[f] for f in FIELDS if f in columns}, notes


def _smaller_everywhere(a: Profile, b: Profile) -> str | None:
    """Of two money columns, the header of the one whose amount is smaller or equal (in size)
    on every row where both read, and smaller on some; None when neither is."""
    both = pd.DataFrame({"a": a.cells, "b": b.cells}, dtype=object)
    keep = (both["a"].str.strip() != "") & (both["b"].str.strip() != "")
    both = both[keep]
    if both.empty:
        return None
    decimal = parse.decimal_of(pd.concat([both["a"], both["b"]])) or "."
    ca, _, bad_a = parse.parse_cents(both["a"], decimal)
    cb, _, bad_b = parse.parse_cents(both["b"], decimal)
    ok = ~bad_a & ~bad_b
    if not ok.any():
        return None
    ca, cb = np.abs(ca[ok]), np.abs(cb[ok])
    if (cb <= ca).all() and (cb < ca).any():
        return b.header
    if (ca <= cb).all() and (ca < cb).any():
        return a.header
    return None


def _date_order(mapped: dict[str, Profile]) -> tuple[str, str]:
    """The date order the mapped date columns' cells settle, and a note saying how."""
    cells = [
        c
        for name in ("invoice_date", "due_date")
        if name in mapped
        for c in mapped[name].cells
        if c.strip()
    ]
    if not cells:
        return "iso", ""
    series = pd.Series(cells, dtype=object)
    found = parse.infer_date_order(series)
    words = {"dmy": "day first (DD/MM/YYYY)", "mdy": "month first (MM/DD/YYYY)"}
    if found is not None:
        return found, f"dates are written {words[found]}, as their cells show"
    numeric = series.str.fullmatch(r"\s*\d{1,2}[./-]\d{1,2}[./-]\d{4}.*").any()
    if numeric:
        return "iso", (
            "the dates do not show whether the day or the month comes first: set date_order "
            '("dmy" or "mdy"), or the dates that read both ways are reported'
        )
    return "iso", ""


def _decimal(mapped: dict[str, Profile], workbook: bool) -> str:
    """The decimal mark the mapped money cells settle ("." when they do not). In a workbook,
    cells that are numbers (``45500.5``, as arbook writes a number cell) say nothing about how
    the text cells are written, so only text cells count there."""
    cells = [c for n in ("amount", "face_amount") if n in mapped for c in mapped[n].cells]
    cells = [c for c in cells if c.strip() and not (workbook and _NUMBER_CELL.fullmatch(c))]
    series = pd.Series(cells, dtype=object)
    return (parse.decimal_of(series) if len(series) else None) or "."


def _report_date(grid: grids.Grid, header: int, date_order: str) -> str | None:
    """The date the title rows say the report is as of ("As of June 30, 2026", "на 30.06.2026",
    "a 30/06/2026"), as ISO text; None when they do not say."""
    words = vocabulary().report_words
    for line, cells in grid.head:
        if line >= header:
            break
        for cell in cells:
            key = f" {header_key(cell)} "
            if not any(f" {w} " in key for w in words):
                continue
            for found in _DATE_IN_TEXT.findall(cell):
                order = date_order if date_order != "iso" else "dmy"
                read = parse.parse_dates(pd.Series([found], dtype=object), order)
                if not read.bad[0]:
                    return pd.Timestamp(read.values.iloc[0]).strftime("%Y-%m-%d")
    return None


# -- what could be wrong -------------------------------------------------------------------------


def problems(mapping: Mapping, path: Path) -> list[str]:
    """What in ``mapping`` would make the numbers of the file at ``path`` wrong or incomplete,
    in words (empty when nothing): nothing mapped to amount; a face value mapped to amount where
    the file has an open balance (or what was paid beside it); a required field unmapped; a
    mapped column the header does not have; dates or amounts that do not read as set."""
    out: list[str] = []
    columns = mapping.columns
    if "amount" not in columns:
        out.append(
            "nothing is mapped to amount (what is owed on each document): map the column of "
            "open balances, or of the documents' amounts"
        )
    if "customer_id" not in columns and "customer_name" not in columns:
        out.append("nothing is mapped to customer_id or customer_name: whose is each document?")
    if "invoice_date" not in columns:
        out.append("nothing is mapped to invoice_date: each document needs its date")
    if "invoice_id" not in columns:
        out.append(
            "nothing is mapped to invoice_id: each row's number will be made from its line, "
            "so payments and credit notes cannot name the invoices"
        )
    try:
        grid = read_grid(path, encoding=mapping.encoding, sheet=mapping.sheet)
    except DataError as exc:
        return out + [str(exc)]
    header = _mapped_header(mapping, grid)
    names = _header_cells(grid, header if header is not None else mapping.header_line)
    keys = {normalise_name(n): n for n in names if n.strip()}
    where = "row" if grid.kind == "workbook" else "line"
    if header is None:
        absent = [h for h in columns.values() if normalise_name(h) not in keys]
        out.append(
            f"the header on {where} {mapping.header_line} has no column "
            f"{', '.join(repr(h) for h in absent)}: check header_line and the column names"
        )
        return out
    if header != mapping.header_line:
        out.append(f"the header is on {where} {header}, not {mapping.header_line}: it is used")
    amount = columns.get("amount")
    if amount is not None:
        opens = [n for n in keys.values() if is_open_balance(n) and n != amount]
        if opens and not is_open_balance(amount):
            out.append(
                f"amount is mapped to {amount!r}, a face value, but the file has an open "
                f"balance, {opens[0]!r}: paid parts would count as owed. Map {opens[0]!r} to "
                f"amount (and {amount!r} to face_amount)"
            )
        paid = [n for n in keys.values() if is_paid(n)]
        if paid and not is_open_balance(amount) and not opens:
            out.append(
                f"amount is mapped to {amount!r} and the file has {paid[0]!r}, what was paid: "
                "the paid invoices and parts would count as still owed"
            )
        if is_open_balance(amount) and not mapping.open_items_only:
            out.append(
                f"amount is {amount!r}, an open balance, but open_items_only is off: DSO, "
                "CEI and payment behaviour would be computed from a partial history; turn it on"
            )
    if mapping.open_items_only and not mapping.report_date:
        out.append("open_items_only is on but report_date is not set: the date of the balances")
    if columns.get("amount") is not None and columns.get("amount") == columns.get("face_amount"):
        out.append("amount and face_amount are the same column")
    twice = [h for h in set(columns.values()) if list(columns.values()).count(h) > 1]
    for h in twice:
        if h != columns.get("amount"):
            fields = [f for f, c in columns.items() if c == h]
            out.append(f"{h!r} is mapped to {', '.join(fields)}: one column, several fields")
    out += _cell_problems(mapping, grid, header)
    return out


def _cell_problems(mapping: Mapping, grid: grids.Grid, header: int) -> list[str]:
    """Dates and amounts of the item rows that do not read as the mapping says."""
    out: list[str] = []
    frame = _rows_of(mapping, grid, header)[0]
    rows = _item_rows(mapping, frame)[0]
    items = frame[rows]
    for name in ("invoice_date", "due_date"):
        column = _column(mapping, items, name)
        if column is None:
            continue
        read = parse.parse_dates(column.reset_index(drop=True), mapping.date_order)
        bad = read.bad & ~read.blank
        if bad.any():
            first = column.iloc[int(np.argmax(bad))]
            kind = "read two ways (day/month)" if read.ambiguous.any() else "do not read as dates"
            out.append(
                f"{int(bad.sum())} {name} cell(s) of {mapping.columns[name]!r} {kind} "
                f"(first: {shown(first)}); check date_order"
            )
    for name in ("amount", "face_amount"):
        column = _column(mapping, items, name)
        if column is None:
            continue
        column = column.reset_index(drop=True)
        bad = parse.parse_cents(column, mapping.decimal)[2]
        if bad.any():
            other = parse.misread_decimal(column, bad, mapping.decimal)
            first = column.iloc[int(np.argmax(bad))]
            hint = (
                f"; they read with decimal = {_q(',' if mapping.decimal == '.' else '.')}"
                if other.any()
                else ""
            )
            out.append(
                f"{int(bad.sum())} {name} cell(s) of {mapping.columns[name]!r} do not read as "
                f"money (first: {shown(first)}){hint}"
            )
    written = {normalise_name(c): c for c in _header_cells(grid, header) if c.strip()}
    out += _status_problems(items, written)
    out += _repeat_problems(mapping, items)
    out += _withheld_problems(mapping, items, written)
    types = _column(mapping, items, "document_type")
    if types is not None:
        unknown = sorted({v for v in types.dropna().astype(str) if document_kind(v) == "unknown"})
        if unknown:
            out.append(
                f"document types arbook does not know, read as invoices (negative: credits): "
                f"{', '.join(repr(u) for u in unknown[:8])}"
            )
    return out


def _repeat_problems(mapping: Mapping, items: pd.DataFrame) -> list[str]:
    """Document numbers that repeat: every row after the first is left out as a duplicate. A
    file of one row per line item, or numbered per series, needs its own reading."""
    ids = _column(mapping, items, "invoice_id")
    if ids is None:
        return []
    text = _stripped(ids)
    text = text[text != ""]
    repeated = text[text.duplicated(keep=False)]
    if repeated.empty:
        return []
    lines = items.loc[repeated.index, "source_line"]
    first = repeated.iloc[0]
    where = ", ".join(str(n) for n in lines[repeated == first].head(3))
    return [
        f"{repeated.nunique()} number(s) of {mapping.columns['invoice_id']!r} repeat (first: "
        f"{shown(first)}, lines {where}): each row after the first is left out as a duplicate. "
        "A file of one row per line item, or numbered per series, needs its preset or a column "
        "with the whole number"
    ]


def _withheld_problems(mapping: Mapping, items: pd.DataFrame, written: dict[str, str]) -> list[str]:
    """A withholding column (IRPF, retención) with amounts beside the mapped amount: the
    customer keeps it back, so the amount overstates what it owes."""
    if "amount" not in mapping.columns:
        return []
    words = vocabulary().withheld
    out: list[str] = []
    for name in items.columns:
        key = header_key(name)
        if name in ("source_file", "source_line") or not _holds(key, words):
            continue
        if _holds(key, ("tipo", "rate", "tasa", "ставка", "percent", "porcentaje")):
            continue  # the rate, not the amount withheld
        cents, blank, bad = parse.parse_cents(
            items[name].reset_index(drop=True).astype(object), mapping.decimal
        )
        if (~blank & ~bad & (cents != 0)).any():
            out.append(
                f"{written.get(name, name)!r} is withheld by the customer (it pays the total "
                "less it): "
                f"{mapping.columns['amount']!r} overstates what is owed where it is not 0"
            )
    return out


def _status_problems(items: pd.DataFrame, written: dict[str, str]) -> list[str]:
    """A status column saying some rows are drafts or voided: the mapping reads them as
    documents all the same."""
    out: list[str] = []
    words = vocabulary()
    for name in items.columns:
        if header_key(name) not in words.status_columns:
            continue
        values = items[name].dropna().astype(str)
        odd = sorted({v for v in values if header_key(v) in words.not_documents})
        if odd:
            out.append(
                f"{written.get(name, name)!r} says some rows are "
                f"{', '.join(repr(v) for v in odd)}: "
                "the mapping reads them as documents all the same; delete those rows first"
            )
    return out


# -- reading a file through a mapping ------------------------------------------------------------


def as_preset(mapping: Mapping) -> Preset:
    """A Preset named "mapping" whose ``read(grid)`` applies ``mapping`` (it never recognises a
    file by itself: it is chosen by the mapping.toml beside the data)."""

    def read(grid: grids.Grid) -> Imported:
        return apply(mapping, grid)

    return Preset(
        name="mapping",
        title="file mapped by mapping.toml",
        read=read,
        required=tuple(normalise_name(h) for h in mapping.columns.values()),
        date_order=mapping.date_order,
        open_items_only=mapping.open_items_only,
        recognise=lambda grid: False,
        description="your own layout, mapped column by column in mapping.toml",
    )


def _mapped_header(mapping: Mapping, grid: grids.Grid) -> int | None:
    """The line of the mapping's header: ``header_line`` when that row holds every mapped
    column, else the first row that does (a title row more or less since it was saved)."""
    wanted = list(mapping.columns.values())
    if not wanted:
        return mapping.header_line
    if grid.find_row(wanted, within=grids.HEAD_ROWS) == mapping.header_line:
        return mapping.header_line
    names = {normalise_name(c) for c in _header_cells(grid, mapping.header_line)}
    if {normalise_name(h) for h in wanted} <= names:
        return mapping.header_line
    return grid.find_row(wanted)


def _column(mapping: Mapping, frame: pd.DataFrame, name: str) -> pd.Series | None:
    header = mapping.columns.get(name)
    if header is None:
        return None
    key = normalise_name(header)
    return frame[key] if key in frame.columns else None


def _blank(series: pd.Series | None, n: int) -> np.ndarray:
    return np.ones(n, dtype=bool) if series is None else parse.blank_mask(series)


def _totalish(series: pd.Series) -> np.ndarray:
    """Cells that start with a total word ("Total for Current", "Итого", "Total Haworth")."""
    words = vocabulary().totals
    firsts = tuple({w.split()[0] for w in words})
    cells = series.fillna("").astype(str)
    # cheap first: only cells whose first letters are a total word's are compared in full
    maybe = cells.str.lstrip().str.lower().str.startswith(firsts).to_numpy(dtype=bool)
    found = np.zeros(len(series), dtype=bool)
    if maybe.any():
        keys = cells[maybe].map(header_key)
        hit = keys.map(lambda k: any(k == w or k.startswith(w + " ") for w in words))
        found[maybe] = hit.to_numpy(dtype=bool)
    return found


def _total_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows one of whose cells starts with a total word."""
    found = np.zeros(len(frame), dtype=bool)
    for c in frame.columns:
        if c not in ("source_file", "source_line"):
            found |= _totalish(frame[c])
    return found


def _item_rows(mapping: Mapping, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``(items, unread)``: the rows that are documents, and the rows with an amount that are
    neither documents nor totals (left out as errors). Blank, heading and total rows (a total
    word, no document number, no date) are neither."""
    n = len(frame)
    col = partial(_column, mapping, frame)
    no_id = _blank(col("invoice_id"), n)
    no_date = _blank(col("invoice_date"), n)
    no_one = _blank(col("customer_id"), n) & _blank(col("customer_name"), n)
    totals = _total_rows(frame)
    ids = col("invoice_id")
    if ids is not None:
        no_id |= _totalish(ids)  # "Итого" in the number column: no number
    date = col("invoice_date")
    if date is not None:
        no_date |= totals & parse.parse_dates(date.reset_index(drop=True), mapping.date_order).bad
    total_rows = totals & no_id & no_date
    no_amount = _blank(col("amount"), n)
    heading = no_id & no_date & no_amount
    items = ~(no_id & no_date & no_one) & ~total_rows & ~heading
    unread = no_id & no_date & no_one & ~total_rows & ~no_amount
    return items, unread


def _rows_of(mapping: Mapping, grid: grids.Grid, header: int) -> tuple[pd.DataFrame, list[Issue]]:
    """The rows below the header as the mapping reads them: customers filled down from
    heading rows, a workbook's number cells in the mapping's decimal mark."""
    frame, issues = grid.table(header)
    frame = _fill_down(mapping, frame)
    if grid.kind == "workbook" and mapping.decimal == ",":
        frame = _comma_numbers(mapping, frame)
    return frame, issues


def _comma_numbers(mapping: Mapping, frame: pd.DataFrame) -> pd.DataFrame:
    """A workbook whose amounts are text with a decimal comma ("10 000,00") may hold number
    cells too, which the sheet reader writes with a point (``45500.5``): those are written with
    the comma, so one decimal mark reads every cell. (A number with three decimals is not
    money and is left as it is, to be reported.)"""
    frame = frame.copy()
    for name in ("amount", "face_amount"):
        column = _column(mapping, frame, name)
        if column is None:
            continue
        text = column.fillna("").astype(str)
        number = text.str.fullmatch(r"-?\d+\.\d{1,2}")
        frame[normalise_name(mapping.columns[name])] = text.where(
            ~number, text.str.replace(".", ",", regex=False)
        ).where(column.notna(), column)
    return frame


def _fill_down(mapping: Mapping, frame: pd.DataFrame) -> pd.DataFrame:
    """A report grouped by customer (a heading row with the customer alone, its items below
    with the customer cell blank): each item takes its heading's customer. Rows of a file
    with no such headings are left as they are."""
    n = len(frame)
    col = partial(_column, mapping, frame)
    keys = [mapping.columns[f] for f in ("customer_id", "customer_name") if col(f) is not None]
    if not keys or n == 0:
        return frame
    no_doc = (
        _blank(col("invoice_id"), n) & _blank(col("invoice_date"), n) & _blank(col("amount"), n)
    )
    totals = _total_rows(frame)
    frame = frame.copy()
    for header in keys:
        key = normalise_name(header)
        cells = frame[key]
        blank = parse.blank_mask(cells)
        heading = no_doc & ~blank & ~totals
        if not heading.any():
            continue
        group = cells.astype(object).where(pd.Series(heading, index=cells.index))
        group[totals] = ""  # a total row ends its group
        filled = group.ffill().fillna("").to_numpy(dtype=object)
        take = blank & ~no_doc & (filled != "")
        frame[key] = np.where(take, filled, cells.astype(object))
    return frame


def _money_text(cents: np.ndarray, decimal: str) -> np.ndarray:
    """Cents as amount text in the file's decimal mark, no thousands separators."""
    return money.cents_text(cents, decimal)


def apply(mapping: Mapping, grid: grids.Grid) -> Imported:
    """The raw canonical tables ``mapping`` reads from ``grid`` (see the module's docstring)."""
    base = dict(
        date_order=mapping.date_order,
        decimal=mapping.decimal,
        open_items_only=mapping.open_items_only,
        lacks=OPEN_LACKS if mapping.open_items_only else "",
        report_date=pd.Timestamp(mapping.report_date) if mapping.report_date else None,
    )
    issues: list[Issue] = []
    if (mapping.encoding and grid.kind == "text" and grid.encoding != mapping.encoding) or (
        mapping.sheet and grid.kind == "workbook" and grid.sheet != mapping.sheet
    ):
        try:
            grid = read_grid(grid.path, encoding=mapping.encoding, sheet=mapping.sheet)
        except DataError as exc:
            issue = Issue(
                IssueCode.UNREADABLE_FILE,
                grid.label,
                None,
                None,
                None,
                str(exc),
                "Fix the sheet or encoding line of mapping.toml.",
            )
            return Imported({}, [issue], **base)  # type: ignore[arg-type]
    header = _mapped_header(mapping, grid)
    if header is None:
        absent = ", ".join(repr(h) for h in mapping.columns.values())
        issue = Issue(
            IssueCode.MISSING_COLUMN,
            grid.label,
            mapping.header_line,
            None,
            None,
            f"no header row with the mapped columns {absent}; the file is left out",
            "Check header_line and the [columns] of mapping.toml against the file "
            "(`arbook mapping FILE` suggests a new one).",
        )
        return Imported({}, [issue], **base)  # type: ignore[arg-type]
    frame, found = _rows_of(mapping, grid, header)
    issues += found
    missing = [f for f in mapping.columns if _column(mapping, frame, f) is None]
    for name in missing:
        issues.append(
            Issue(
                IssueCode.MISSING_COLUMN,
                grid.label,
                header,
                normalise_name(mapping.columns[name]),
                None,
                f"no column {mapping.columns[name]!r}, which mapping.toml maps to {name}",
                "Rename the column in mapping.toml's [columns] to the file's header.",
            )
        )
    needed = {"amount", "invoice_date"} | (
        {"customer_id"} if "customer_name" not in mapping.columns else set()
    )
    if needed - (set(mapping.columns) - set(missing)):
        lacking = sorted(needed - (set(mapping.columns) - set(missing)))
        issues.append(
            Issue(
                IssueCode.MISSING_COLUMN,
                grid.label,
                None,
                None,
                None,
                f"mapping.toml maps no column to {', '.join(lacking)}; the file is left out",
                "Map those fields in mapping.toml's [columns] (`arbook mapping FILE`).",
            )
        )
        return Imported({}, issues, header_line=header, **base)  # type: ignore[arg-type]
    tables, more = _tables(mapping, frame, grid.label)
    return Imported(tables, issues + more, header_line=header, **base)  # type: ignore[arg-type]


def _tables(
    mapping: Mapping, frame: pd.DataFrame, label: str
) -> tuple[dict[str, pd.DataFrame], list[Issue]]:
    """Invoices, payments and customers from the item rows of ``frame``."""
    issues: list[Issue] = []
    items, unread = _item_rows(mapping, frame)
    for i in np.flatnonzero(unread):
        issues.append(
            Issue(
                IssueCode.UNREAD_ROW,
                label,
                int(frame["source_line"].iloc[i]),
                None,
                shown(
                    " ".join(
                        str(v)
                        for v in frame.iloc[i].drop(["source_file", "source_line"]).dropna()
                        if str(v).strip()
                    ),
                    60,
                ),
                "a row with an amount but no document number, date or customer; left out",
                "Give it its number, date and customer, or delete it if it is a total.",
            )
        )
    rows = frame[items].reset_index(drop=True)
    rows.attrs["label"] = frame.attrs.get("label", label)
    n = len(rows)
    col = partial(_column, mapping, rows)
    text = _stripped
    empty = pd.Series([""] * n, dtype=object)
    given_ids = col("invoice_id")
    ids = text(given_ids) if given_ids is not None else empty.copy()
    customer_id = col("customer_id")
    name = col("customer_name")
    customers = text(customer_id) if customer_id is not None else empty.copy()
    if name is not None:
        customers = customers.where(customers != "", text(name))
    lines = rows["source_line"].astype(np.int64)
    amount_text = col("amount")
    assert amount_text is not None
    cents, blank, bad = parse.parse_cents(amount_text.reset_index(drop=True), mapping.decimal)
    ok = ~blank & ~bad
    types = col("document_type")
    kinds = (
        _by_value(types, document_kind).to_numpy(dtype=object)
        if types is not None
        else np.array([""] * n, dtype=object)
    )
    no_id = (ids == "").to_numpy()
    payment = (kinds == "payment") | (
        (kinds != "invoice") & (kinds != "credit") & no_id & ok & (cents < 0)
    )
    credit = (kinds == "credit") & ok & (cents > 0) & ~payment
    amounts = amount_text.reset_index(drop=True).astype(object).copy()
    if credit.any():
        amounts[credit] = _money_text(-cents[credit], mapping.decimal)
    made_up = no_id
    if made_up.any():
        ids[made_up] = "line-" + lines[made_up].astype(str)
        first = int(lines[made_up].iloc[0])
        issues.append(
            Issue(
                IssueCode.MADE_UP,
                label,
                first,
                "invoice_id",
                None,
                f"{int(made_up.sum())} row(s) have no document number"
                + (
                    f" in {mapping.columns['invoice_id']!r}"
                    if "invoice_id" in mapping.columns
                    else ""
                )
                + ": each is given the id line-<its line>",
                "Give each document its number in the file, so payments and credit notes can "
                "name it.",
            )
        )
    columns: dict[str, object] = {
        "invoice_id": ids,
        "customer_id": customers,
        "invoice_date": col("invoice_date"),
        "due_date": col("due_date") if col("due_date") is not None else empty,
        "amount": amounts,
    }
    for extra in ("applies_to", "currency", "disputed", "face_amount", "document_type"):
        if col(extra) is not None:
            columns[extra] = col(extra)
    if name is not None:
        columns["customer_name"] = name
    terms = col("terms_days")
    if terms is not None and col("due_date") is None:
        columns["due_date"] = _due_from_terms(rows, mapping, terms)
    table = pd.DataFrame(columns)
    tables: dict[str, pd.DataFrame] = {}
    invoices = table[~payment]
    if len(invoices):
        tables["invoices"] = _located(invoices, rows[~payment], label)
    if payment.any():
        paid = table[payment]
        pay_cents = np.abs(cents[payment])
        pay_ids = ids[payment]
        against = col("applies_to")
        target = text(against)[payment] if against is not None else ""
        payments = pd.DataFrame(
            {
                "payment_id": pay_ids,
                "customer_id": paid["customer_id"],
                "payment_date": paid["invoice_date"],
                "amount": _money_text(pay_cents, mapping.decimal),
                "invoice_id": target,
            }
        )
        tables["payments"] = _located(payments, rows[payment], label)
    listed = _customers(mapping, rows, customers, terms)
    if listed is not None:
        tables["customers"] = listed
    return tables, issues


def _stripped(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip()


def _located(table: pd.DataFrame, rows: pd.DataFrame, label: str) -> pd.DataFrame:
    out = pd.concat(
        [table.reset_index(drop=True), rows[["source_file", "source_line"]].reset_index(drop=True)],
        axis=1,
    )
    out.attrs["label"] = rows.attrs.get("label", label)
    return out


def _by_value(series: pd.Series, read: Callable[[str], object]) -> pd.Series:
    """``read`` of each cell's text, called once per distinct value (a column of a million
    rows holds a few types or terms)."""
    text = series.fillna("").astype(str)
    return text.map({value: read(value) for value in text.unique()})


def _terms_of(terms: pd.Series) -> pd.Series:
    """Days of each terms cell (float, NaN where it is not terms)."""
    days = _by_value(terms, terms_days)
    return pd.to_numeric(days, errors="coerce").reset_index(drop=True)


def _due_from_terms(rows: pd.DataFrame, mapping: Mapping, terms: pd.Series) -> pd.Series:
    """Each row's due date from its date and its terms (ISO text), where both read; blank where
    not (the customer's or the policy's terms then apply)."""
    dates = parse.parse_dates(
        _column(mapping, rows, "invoice_date").reset_index(drop=True),  # type: ignore[union-attr]
        mapping.date_order,
    )
    days = _terms_of(terms)
    due = dates.values + pd.to_timedelta(days, unit="D")
    return _day_text(due)


def _customers(
    mapping: Mapping, rows: pd.DataFrame, ids: pd.Series, terms: pd.Series | None
) -> pd.DataFrame | None:
    """A customers table (id, name, terms) when the file names or gives terms: each customer's
    first name and terms; terms only where every row of the customer agrees."""
    name = _column(mapping, rows, "customer_name")
    if name is None and terms is None:
        return None
    frame = pd.DataFrame({"customer_id": ids.reset_index(drop=True)})
    if name is not None:
        frame["name"] = name.fillna("").astype(str).str.strip().reset_index(drop=True)
    if terms is not None:
        days = _terms_of(terms)
        frame["terms_days"] = days.map(lambda d: "" if pd.isna(d) else str(int(d)))
    frame["source_line"] = rows["source_line"].to_numpy()
    frame = frame[frame["customer_id"] != ""]
    if "terms_days" in frame:
        agree = frame.groupby("customer_id")["terms_days"].transform("nunique") <= 1
        frame.loc[~agree, "terms_days"] = ""
    first = frame.drop_duplicates("customer_id").reset_index(drop=True)
    first.insert(0, "source_file", rows["source_file"].iloc[: len(first)].to_numpy())
    first = first[[c for c in first.columns if c != "source_line"] + ["source_line"]]
    first.attrs["label"] = rows.attrs.get("label", "")
    return first


# -- the ledger a mapping gives; saving and loading ----------------------------------------------


def preview(path: Path, mapping: Mapping, *, policy: PolicyLike = None) -> Ledger:
    """The ledger ``mapping`` reads from the file at ``path`` (a
    :class:`~arbook.core.ledger.Ledger`), to show its totals and every problem before saving."""
    from arbook.core import ledger as ledgers  # ledger imports this module when it reads one

    path = Path(path)
    return ledgers._read_export(path, as_preset(mapping), policy, mapping.encoding, named=True)


def save(mapping: Mapping, folder: Path) -> Path:
    """Write ``mapping`` to ``<folder>/mapping.toml`` atomically (the old one stays whole until
    the new one is complete and reads back); returns its path. DataError when the folder holds
    arbook's own invoices file, which the mapping would hide."""
    from arbook.core.folder import table_of

    target = Path(folder) / MAPPING_FILE
    own = [
        p.name
        for p in sorted(Path(folder).iterdir())
        if p.is_file() and p.name != mapping.file and table_of(p.name)[0] == "invoices"
    ]
    if own:
        raise DataError(
            f"{folder}: holds arbook's own invoices file {own[0]}, which a mapping.toml there "
            "would hide (the folder would be read through the mapping); keep the file to map in "
            "a folder of its own"
        )
    text = mapping.to_toml()
    Mapping.from_toml(text, str(target))  # what is written must read back
    return write_atomic(target, text)


def read(path: Path) -> Mapping:
    """The mapping saved at ``path`` (PolicyError in the file's terms when it is wrong)."""
    path = Path(path)
    raw = read_bytes(path, "mapping", "Write one with `arbook mapping FILE --save`.")
    return Mapping.from_toml(decode(raw, str(path)), str(path))


def load(path: Path) -> tuple[Path, Preset]:
    """A saved mapping.toml: the data file it maps (in its folder) and :func:`as_preset` of it.
    DataError when that file is not there."""
    path = Path(path)
    mapping = read(path)
    file = path.parent / mapping.file
    if not file.is_file():
        raise DataError(
            f"{path}: file = {_q(mapping.file)}, but there is no such file in {path.parent}; "
            "put the data file back, or correct the file line of mapping.toml"
        )
    return file, as_preset(mapping)


# -- writing arbook's own files (``arbook import``) ----------------------------------------------

#: the canonical tables ``write_canonical`` writes, in order
CANONICAL = ("invoices", "payments", "customers")
_INTERNAL = {"amount_cents", "applied_invoice_id", "due_from", "source_file", "source_line"}


def cents_text(cents: object) -> str:
    """Cents as an amount with a point and two decimals (``-1234.50``): exact, no float."""
    return str(money.cents_text([int(cents)])[0])  # type: ignore[call-overload]


def _day_text(series: pd.Series) -> pd.Series:
    """Dates as ISO text, blank where there is none."""
    text: pd.Series = series.dt.strftime("%Y-%m-%d").fillna("").astype(object)
    return text


def _money_column(series: pd.Series) -> pd.Series:
    """An extra money column (``face_amount``, as the file wrote it) as exact '.' amounts where
    it reads; as written where it does not."""
    text = series.fillna("").astype(str)
    decimal = parse.decimal_of(text[text.str.strip() != ""]) or "."
    cents, blank, bad = parse.parse_cents(text.reset_index(drop=True), decimal)
    out = text.reset_index(drop=True).astype(object).copy()
    good = ~blank & ~bad
    out[good] = money.cents_text(cents[good])
    out.index = series.index
    return out


def canonical_frames(ledger: Ledger) -> dict[str, pd.DataFrame]:
    """The ledger as arbook's own tables, text ready to write: ISO dates, amounts with '.' and
    two decimals from the exact cents, only tables with rows. A due date the file did not give
    (filled from terms) is left blank, so reading the files again fills it the same way."""
    out: dict[str, pd.DataFrame] = {}
    inv = ledger.invoices
    if len(inv):
        amount = inv.get("original_amount_cents", inv["amount_cents"])
        amount = amount.where(amount.notna(), inv["amount_cents"])
        frame = pd.DataFrame(
            {
                "invoice_id": inv["invoice_id"].astype(object),
                "customer_id": inv["customer_id"].astype(object),
                "invoice_date": _day_text(inv["invoice_date"]),
                "due_date": _day_text(inv["due_date"]).where(
                    (inv["due_from"].astype(str) == "file").to_numpy(), ""
                ),
                "amount": money.cents_text(amount.to_numpy(dtype=np.int64)),
                "applies_to": inv["applies_to"].fillna("").astype(object),
                "currency": inv["currency"].fillna("").astype(object),
                "disputed": np.where(inv["disputed"].to_numpy(dtype=bool), "yes", "no"),
            }
        )
        for name in inv.columns:
            if name in frame.columns or name in _INTERNAL or name == "original_amount_cents":
                continue
            column = inv[name]
            frame[name] = (
                _money_column(column)
                if name == "face_amount"
                else column.astype(object).where(column.notna(), "")
            )
        out["invoices"] = frame
    pay = ledger.payments
    if len(pay):
        out["payments"] = pd.DataFrame(
            {
                "payment_id": pay["payment_id"].astype(object),
                "customer_id": pay["customer_id"].astype(object),
                "payment_date": _day_text(pay["payment_date"]),
                "amount": money.cents_text(pay["amount_cents"].to_numpy(dtype=np.int64)),
                "invoice_id": pay["invoice_id"].fillna("").astype(object),
            }
        )
    listed = ledger.customers[ledger.customers["listed"].to_numpy(dtype=bool)]
    if len(listed):
        frame = pd.DataFrame({"customer_id": listed["customer_id"].astype(object)})
        for name in listed.columns:
            if name in ("customer_id", "listed") or name in _INTERNAL:
                continue
            column = listed[name]
            if not column.notna().any():
                continue
            if name == "credit_limit_cents":
                frame["credit_limit"] = [
                    "" if pd.isna(c) else cents_text(c) for c in column.astype(object)
                ]
            elif name == "terms_days":
                frame[name] = ["" if pd.isna(t) else str(int(t)) for t in column.astype(object)]
            else:
                frame[name] = column.astype(object).where(column.notna(), "")
        out["customers"] = frame.reset_index(drop=True)
    return out


def import_note(ledger: Ledger) -> str | None:
    """What the canonical files cannot say about an import of open items (an aging report):
    that they hold the items open on one date, not a history; None for a history."""
    if not ledger.open_items_only:
        return None
    lines = [
        "# arbook import: what the invoices/payments files beside this one cannot say.",
        "# They were written from a file of the items open on one date (an aging report), not",
        "# from a history: DSO, CEI, payment behaviour and earlier as-of dates are not in them.",
        f"source = {_q(ledger.source)}",
        f"read_as = {_q(ledger.read_as)}",
        "open_items_only = true",
        f"lacks = {_q(ledger.lacks or OPEN_LACKS)}",
    ]
    if ledger.report_date is not None:
        lines.append(f"report_date = {_q(f'{ledger.report_date:%Y-%m-%d}')}")
    return "\n".join(lines) + "\n"


def with_import_note(ledger: Ledger, note: Path) -> Ledger:
    """``ledger`` (read from canonical files) marked as :data:`IMPORT_NOTE` ``note`` says: the
    items open on one date, not a history (``open_items_only``, ``report_date``, ``lacks`` and
    the ``open_items_only`` warning), as the export it was imported from was. A note that does
    not say so leaves the ledger as it is; a note that cannot be read is a PolicyError."""
    from dataclasses import replace

    from arbook.core.errors import issues_frame

    raw = read_bytes(Path(note), "import note", "Delete it, or run `arbook import` again.")
    parsed = rules_file(decode(raw, str(note)), str(note))
    data = parsed.data
    if data.get("open_items_only") is not True:
        return ledger
    report = _iso_date(data.get("report_date"))
    lacks = str(data.get("lacks") or OPEN_LACKS)
    when = report or "its date"
    issue = Issue(
        IssueCode.OPEN_ITEMS_ONLY,
        str(note),
        None,
        None,
        "import",
        f"the files were imported from {data.get('source', 'an export')}, which holds the "
        f"items open on {when}, not {lacks}: DSO, CEI, roll rates, turnover, payment "
        f"behaviour, scores, the carrying cost before {when} and every earlier as-of date "
        "are n/a",
        "For those figures, import the invoices and payments with their dates instead.",
    )
    issues = pd.concat([issues_frame([issue]), ledger.issues], ignore_index=True)
    return replace(
        ledger,
        issues=issues,
        open_items_only=True,
        report_date=pd.Timestamp(report) if report else None,
        lacks=lacks,
    )


def write_canonical(
    ledger: Ledger, folder: Path, *, force: bool = False
) -> tuple[list[Path], list[Path]]:
    """Write the ledger's tables into ``folder`` as arbook's own CSV files (and, for open items,
    :data:`IMPORT_NOTE`): every file to a temporary name first, then all renamed, so a failure
    leaves no half-written file. Returns ``(written, removed)``. Refuses (DataError) to replace
    files already there unless ``force``; with ``force``, an older table this import does not
    write (a payments file when the new data has none) is removed, never left to mix in."""
    from arbook.core.folder import SUFFIXES, table_of

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise DataError(f"{folder}: is a file; --out names the folder to write into")
    frames = canonical_frames(ledger)
    if not frames:
        raise DataError(
            f"{ledger.source}: nothing to write: no invoice, payment or customer was read "
            "(see the problems above)"
        )
    texts = {
        f"{name}.csv": frame.to_csv(index=False, lineterminator="\n")
        for name, frame in frames.items()
    }
    note = import_note(ledger)
    if note is not None:
        texts[IMPORT_NOTE] = note
    if (folder / MAPPING_FILE).exists():
        raise DataError(
            f"{folder}: holds a {MAPPING_FILE}, which arbook would read instead of the files "
            "written; give another --out folder"
        )
    old = (
        [
            p
            for p in sorted(folder.iterdir())
            if p.is_file()
            and (
                (p.suffix.lower() in SUFFIXES and table_of(p.name)[0] in CANONICAL)
                or p.name == IMPORT_NOTE
            )
        ]
        if folder.is_dir()
        else []
    )
    if old and not force:
        names = ", ".join(p.name for p in old)
        raise DataError(
            f"{folder}: already holds {names}; nothing was written. Give an empty --out folder, "
            "or add --force to replace them"
        )
    folder.mkdir(parents=True, exist_ok=True)
    temps: dict[Path, Path] = {}
    try:
        for name, text in texts.items():
            target = folder / name
            tmp = folder / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
            with open(tmp, "x", encoding="utf-8", newline="") as handle:
                handle.write(text)
            temps[target] = tmp
        for target, tmp in temps.items():
            os.replace(tmp, target)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    removed = [p for p in old if p not in temps]
    for path in removed:
        path.unlink()
    return list(temps), removed


__all__ = [
    "FIELDS",
    "Candidate",
    "Mapping",
    "Suggestion",
    "as_preset",
    "load",
    "preview",
    "problems",
    "save",
    "suggest",
    "with_import_note",
    "write_canonical",
]
