"""Raw frames -> (clean typed frames, issues), following SPEC §1.

Every cell is parsed; every problem becomes one issue row naming file, line, column and value.
Rows with an error stay out of the clean frames; warnings keep the row and say what was done with
it (a payment for an unknown invoice becomes the payer's unapplied cash, and so on), so money is
never lost from the totals without a line saying so.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, TypeAlias, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from arbook.core import parse
from arbook.core.config import Policy
from arbook.core.currencies import UNDATED, Rates, cents_at, settle
from arbook.core.dates import day_number, days_of, iso
from arbook.core.errors import (
    ISSUE_COLUMNS,
    QUOTE_LIMIT,
    Issue,
    IssueCode,
    issues_frame,
    shorten,
)
from arbook.core.i18n import N_, _
from arbook.core.load import SOURCE_COLUMNS, Pieces, RawTable
from arbook.core.parse import Int64Array, Mask
from arbook.core.schemas import KNOWN, REQUIRED

KINDS = {
    "invoice_date": "date",
    "due_date": "date",
    "payment_date": "date",
    "amount": "money",
    "credit_limit": "money",
    "disputed": "flag",
    "terms_days": "whole",
    "currency": "currency",
    "date": "date",
}
#: The flags a hint names (a command-line flag is the same in every language).
FLAGS = {
    "dmy": "--date-order dmy",
    "mdy": "--date-order mdy",
    "decimal_comma": "--decimal ,",
}
#: What to do about each kind of bad cell (translated where an issue is made, its flags filled
#: in from :data:`FLAGS`).
HINTS = {
    "date": N_("Write dates as YYYY-MM-DD (or read the file with {dmy} or {mdy})."),
    "ambiguous_date": N_("Write it as YYYY-MM-DD, or read the file with {dmy} or {mdy}."),
    "mixed_date": N_(
        "Other dates in this column are written the other way round: correct this one, or write "
        "dates as YYYY-MM-DD."
    ),
    "money": N_(
        "Write amounts like 1234.56 (a sign, thousands separators and a currency sign are fine)."
    ),
    "flag": N_("Write yes or no."),
    "whole": N_("Write a whole number of days, e.g. 30."),
    "currency": N_("Write a three-letter ISO code such as USD or EUR."),
    "decimal_comma": N_(
        "It reads as money with a decimal comma: read the file with {decimal_comma} (or write "
        "amounts like 1234.56)."
    ),
    "decimal_point": N_(
        "It reads as money with a decimal point: read the file without {decimal_comma} (or "
        "write amounts like 1234,56)."
    ),
}
#: A table's file with a header and no rows, by table (other tables: the generic text).
_NO_ROWS = {
    "invoices": N_("the invoices file has a header but no rows"),
    "payments": N_("the payments file has a header but no rows"),
    "customers": N_("the customers file has a header but no rows"),
    "rates": N_("the rates file has a header but no rows"),
}
#: A row repeating the key of an earlier one, by what the key numbers (the ``what`` of
#: :func:`drop_duplicates`).
_REPEATS = {
    "invoice": N_("{column} {value} repeats the invoice on line {line}"),
    "customer": N_("{column} {value} repeats the customer on line {line}"),
}


def hint(kind: str) -> str:
    """The hint of :data:`HINTS` ``kind`` in the language spoken, its flags filled in."""
    return _(HINTS[kind]).format(**FLAGS)


def with_value(template: str, **fields: object) -> str:
    """``template`` (translated) with ``fields`` filled in and ``{value}`` kept for
    :meth:`Collector.cells` to fill with each quoted cell."""
    return template.format(value="{value}", **fields)


def each(template: str, **fields: object) -> npt.NDArray[np.object_]:
    """``template`` (translated) filled in for every row at once: each field one text per row
    (an array or Series of text) or one text for all. A column-wise ``str.format``."""
    out: Any = ""
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        out = out + literal
        if name is not None:
            value = fields[name]
            out = out + (value if isinstance(value, str) else np.asarray(value, dtype=object))
    return np.asarray(out, dtype=object)


#: An issue's message: text where ``{value}`` is the quoted cell, or one text per flagged row.
Message: TypeAlias = str | Callable[[Mask], "pd.Series | npt.NDArray[Any]"]
#: A parsed column: a Series (dates, text) or an array (cents, flags, whole numbers).
Values: TypeAlias = "pd.Series | npt.NDArray[Any]"
#: a column a preset has already read, handed to the validation so it is not read twice: dates
#: as :class:`~arbook.core.parse.ParsedDates`, money as ``(cents, blank, bad)``, one value per
#: row of the raw table; the raw cells are still there, for the messages about the bad ones
Reading: TypeAlias = "parse.ParsedDates | tuple[Int64Array, Mask, Mask]"
Readings: TypeAlias = "Mapping[str, Reading]"


class Collector:
    """Gathers issue rows, built column-wise so a file with a million bad rows stays fast."""

    def __init__(self) -> None:
        self.frames: list[pd.DataFrame] = []
        self.records: list[Issue] = []

    def file(self, issue: Issue) -> None:
        self.records.append(issue)

    def cells(
        self,
        raw: pd.DataFrame,
        mask: npt.ArrayLike,
        code: IssueCode,
        column: str | None,
        message: Message,
        hint: str,
    ) -> None:
        """One issue per row of ``raw`` where ``mask``.

        ``message`` is text in which ``{value}`` stands for the quoted cell, or a function of the
        mask returning one text per flagged row (built only when something is flagged).
        """
        flagged: Mask = np.asarray(mask, dtype=bool)
        if not flagged.any():
            return
        wanted = ["source_file", "source_line"] + ([column] if column in raw else [])
        rows = raw.loc[flagged, wanted]
        value = rows[column].astype("str") if column in rows else pd.Series(pd.NA, index=rows.index)
        long = value.str.len().fillna(0).to_numpy() > QUOTE_LIMIT
        if long.any():  # a 200 kB cell is quoted by its start, never echoed whole
            value = value.mask(long, value[long].map(shorten))
        text: npt.NDArray[Any] | str
        if callable(message):
            text = np.asarray(message(flagged), dtype=object)
        else:
            head, found, tail = message.partition("{value}")
            text = (head + "'" + value.fillna("") + "'" + tail).to_numpy() if found else message
        self.frames.append(
            pd.DataFrame(
                {
                    "severity": code.severity,
                    "code": code,
                    "source_file": rows["source_file"].to_numpy(),
                    "source_line": rows["source_line"].to_numpy(),
                    "column": column,
                    "value": value.to_numpy(),
                    "message": text,
                    "hint": hint,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        parts = [issues_frame(self.records)] + [f[ISSUE_COLUMNS] for f in self.frames]
        parts = [p for p in parts if len(p)]
        if not parts:
            return issues_frame()
        out = pd.concat(parts, ignore_index=True)
        out["source_line"] = out["source_line"].astype("Int64")
        for name in ISSUE_COLUMNS:
            if name != "source_line":
                out[name] = out[name].astype("str")
        return out.sort_values(
            ["source_file", "source_line", "column"], na_position="first", kind="stable"
        ).reset_index(drop=True)


def _quoted(raw: pd.DataFrame, column: str, mask: Mask) -> pd.Series:
    """The cells of ``column`` in the flagged rows, quoted for a message."""
    return "'" + raw[column][mask].astype("str").fillna("") + "'"


def parse_table(
    raw: pd.DataFrame | None,
    table: str,
    out: Collector,
    *,
    date_order: str = "iso",
    decimal: str = ".",
) -> tuple[pd.DataFrame, Mask]:
    """Parse one raw table; return ``(typed frame, row_ok)``.

    The typed frame has every known column of the table (absent optional ones as missing values),
    money as ``<name>_cents`` int64, plus the unknown columns as they were. A table missing a
    required column comes back empty, with one ``missing_column`` error each.
    """
    if raw is None:
        return pd.DataFrame(), np.zeros(0, dtype=bool)
    typed, ok = _parse_columns(raw, table, out, date_order=date_order, decimal=decimal)
    if typed is None:
        return pd.DataFrame(), np.zeros(0, dtype=bool)
    return pd.DataFrame(typed, copy=False), ok


def _parse_columns(
    raw: pd.DataFrame,
    table: str,
    out: Collector,
    piece: bool = False,
    *,
    date_order: str = "iso",
    decimal: str = ".",
    readings: Readings | None = None,
) -> tuple[dict[str, Values] | None, Mask]:
    """:func:`parse_table`'s columns, one array or Series each (None: a required column is
    missing, or there are no rows; said as an issue). ``piece``: ``raw`` is one piece of a
    larger table (see :func:`parse_rows`); ``readings``: columns already read (:data:`Reading`).
    """
    label = raw.attrs.get("label") or (raw["source_file"].iloc[0] if len(raw) else table)
    missing = [c for c in REQUIRED[table] if c not in raw.columns]
    if missing:
        present = ", ".join(c for c in raw.columns if c not in ("_extra_cells", *SOURCE_COLUMNS))
        for column in missing:
            out.file(
                Issue(
                    IssueCode.MISSING_COLUMN,
                    label,
                    1,
                    column,
                    None,
                    _("no {column} column; the whole file is left out").format(column=repr(column)),
                    _("Add the column {column} (the header has: {present}).").format(
                        column=repr(column), present=present
                    ),
                )
            )
        return None, np.zeros(0, dtype=bool)
    if not len(raw):
        code = IssueCode.NO_INVOICES if table == "invoices" else IssueCode.EMPTY_FILE
        out.file(
            Issue(
                code,
                label or table,
                None,
                None,
                None,
                _(_NO_ROWS[table])
                if table in _NO_ROWS
                else _("the {table} file has a header but no rows").format(table=table),
                _("Export it again with its rows, or remove the file."),
            )
        )
        return None, np.zeros(0, dtype=bool)
    typed: dict[str, Values] = {}
    ok = np.ones(len(raw), dtype=bool)
    for column in KNOWN[table]:
        cells = raw[column] if column in raw else pd.Series(pd.NA, index=raw.index, dtype="str")
        kind = KINDS.get(column, "text")
        read = (readings or {}).get(column)
        if read is not None and len(read[1]) != len(raw):
            raise ValueError(f"the reading of {column!r} has {len(read[1])} rows, not {len(raw)}")
        values, blank, bad = _parse_column(
            raw, cells, column, kind, out, date_order, decimal, piece, read
        )
        if column in REQUIRED[table]:
            out.cells(
                raw,
                blank,
                IssueCode.MISSING_VALUE,
                column,
                _("{column} is blank").format(column=column),
                _("Fill in the {column}; a row without it cannot be placed.").format(column=column),
            )
            bad = bad | blank
        ok &= ~bad
        typed[column + ("_cents" if kind == "money" else "")] = values
    if "_extra_cells" in raw:
        extra = ~parse.blank_mask(raw["_extra_cells"])
        out.cells(
            raw,
            extra,
            IssueCode.EXTRA_CELLS,
            "_extra_cells",
            _("the row has more cells than the header"),
            _("Quote cells that contain the separator."),
        )
        ok &= ~extra
    for column in raw.columns:  # the file's own columns, kept as they are
        if column not in KNOWN[table] and column not in ("_extra_cells", *SOURCE_COLUMNS):
            typed[column] = raw[column].reset_index(drop=True)
    return typed, ok


def parse_rows(
    raw: RawTable | None,
    table: str,
    out: Collector,
    options: Mapping[str, str],
    *,
    key: str | None = None,
    local: Callable[[dict[str, Values], pd.DataFrame, Mask], Mask] | None = None,
    readings: Readings | None = None,
) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """Parse a raw table, whole or a piece at a time, keeping only the rows without an error;
    ``options`` are how cells are read (``date_order``, ``decimal``).

    Returns ``(typed rows, refused)``. The typed rows carry ``source_file`` and
    ``source_line`` and stand for the file in later messages (its cells as read: dates as
    dates, text trimmed); None when nothing could be parsed (no table, a missing column, no
    rows). ``refused`` has each refused row's ``key`` and ``where`` it was. ``local`` is a check
    of one row at a time, ``(typed columns, raw piece, ok) -> ok``, made while the raw cells are
    at hand. In pieces, memory holds one piece of raw text at a time beside the typed rows.
    ``readings``: columns of a whole table already read (:data:`Reading`).
    """
    refused = [_refused()]
    if raw is None:
        return None, refused[0]
    in_pieces = isinstance(raw, Pieces)
    kept: list[dict[str, pd.Series]] = []
    batches = iter(raw if isinstance(raw, Pieces) else [raw])
    for batch in batches:
        typed, ok = _parse_columns(batch, table, out, in_pieces, **options, readings=readings)
        if typed is None:  # a missing column (each piece has the same header) or no rows
            for _rest in batches:  # the rest still read, so a line whole reading reports is too
                pass
            break
        if local is not None:
            ok = local(typed, batch, ok)
        typed["source_file"] = batch["source_file"]
        typed["source_line"] = batch["source_line"]
        if key is not None and not ok.all():
            refused.append(_refused(batch[~ok], _rows(typed[key], ~ok).to_numpy()))
        kept.append({name: _rows(values, ok) for name, values in typed.items()})
    if isinstance(raw, Pieces):
        for issue in raw.issues:
            out.file(issue)
    if not kept:
        return None, refused[0]
    columns: dict[str, pd.Series] = {}
    for name in list(kept[0]):  # a column at a time, each piece's part let go as it is joined
        parts = [piece.pop(name) for piece in kept]
        columns[name] = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        del parts
    return pd.DataFrame(columns, copy=False), pd.concat(refused, ignore_index=True)


def _rows(values: Values, ok: Mask) -> pd.Series:
    """The ok rows of one parsed column, as a Series numbered from 0."""
    series = values if isinstance(values, pd.Series) else pd.Series(values, copy=False)
    if ok.all():
        return series.reset_index(drop=True)
    return series[ok].reset_index(drop=True)


def _parse_column(
    raw: pd.DataFrame,
    cells: pd.Series,
    column: str,
    kind: str,
    out: Collector,
    date_order: str,
    decimal: str,
    piece: bool = False,
    read: Reading | None = None,
) -> tuple[Values, Mask, Mask]:
    """Parse one column by kind (or take its ``read``ing), reporting its bad cells; return
    ``(values, blank, bad)``."""
    values: Values
    if kind == "date":
        dates = read if isinstance(read, parse.ParsedDates) else None
        if dates is None:
            dates = parse.parse_dates(cells, date_order, piece=piece)
        values, blank, bad, ambiguous, mixed = dates
        out.cells(
            raw,
            ambiguous,
            IssueCode.AMBIGUOUS_DATE,
            column,
            with_value(_("{column} {value} could be day/month or month/day"), column=column),
            hint("ambiguous_date"),
        )
        out.cells(
            raw,
            mixed,
            IssueCode.BAD_DATE,
            column,
            with_value(
                _("{column} {value} contradicts the day/month order of the column's other dates"),
                column=column,
            ),
            hint("mixed_date"),
        )
        out.cells(
            raw,
            bad & ~ambiguous & ~mixed,
            IssueCode.BAD_DATE,
            column,
            with_value(_("{column} {value} is not a date"), column=column),
            hint("date"),
        )
        return values, blank, bad
    if kind == "money":
        money = read if read is not None and not isinstance(read, parse.ParsedDates) else None
        values, blank, bad = money or parse.parse_cents(cells, decimal)
        other = parse.misread_decimal(cells, bad, decimal)  # 1.234,50 without --decimal ,
        for flagged, said in (
            (bad & ~other, "money"),
            (other, "decimal_comma" if decimal == "." else "decimal_point"),
        ):
            out.cells(
                raw,
                flagged,
                IssueCode.BAD_AMOUNT,
                column,
                with_value(_("{column} {value} is not an amount of money"), column=column),
                hint(said),
            )
        return values, blank, bad
    if kind == "flag":
        values, bad = parse.parse_flag(cells)
        out.cells(
            raw,
            bad,
            IssueCode.BAD_FLAG,
            column,
            with_value(_("{column} {value} is not yes or no"), column=column),
            hint("flag"),
        )
        return values, np.zeros(len(cells), dtype=bool), bad
    if kind == "whole":
        values, blank, bad = parse.parse_whole(cells)
        out.cells(
            raw,
            bad,
            IssueCode.BAD_NUMBER,
            column,
            with_value(_("{column} {value} is not a whole number from 0 to 3650"), column=column),
            hint("whole"),
        )
        return values, blank, bad
    if kind == "currency":
        values, bad = parse.parse_currency(cells)
        out.cells(
            raw,
            bad,
            IssueCode.BAD_CURRENCY,
            column,
            with_value(_("{column} {value} is not a currency code"), column=column),
            hint("currency"),
        )
        return values.reset_index(drop=True), parse.blank_mask(cells), bad
    values = parse.clean_text(cells)
    return values.reset_index(drop=True), values.isna().to_numpy(), np.zeros(len(cells), dtype=bool)


def drop_duplicates(
    frame: pd.DataFrame,
    raw: pd.DataFrame,
    ok: Mask,
    key: str,
    code: IssueCode,
    out: Collector,
    what: str,
) -> Mask:
    """Mark later rows repeating ``key`` as errors (the first is kept); return the new ``ok``.
    ``raw`` locates the rows (and may be ``frame`` itself); ``what`` is what the key numbers
    (``invoice``, ``customer``)."""
    dup, first_row = parse.repeats(frame[key], ok, clean=True)  # a parsed column
    if dup.any():
        lines = raw["source_line"].to_numpy()[first_row[dup]].astype(str).astype(object)
        said = (
            _(_REPEATS[what])
            if what in _REPEATS
            else _("{column} {value} repeats the {what} on line {line}")
        )
        out.cells(
            raw,
            dup,
            code,
            key,
            lambda m: each(
                said,
                column=key,
                value="'" + np.asarray(frame[key][m].astype("str"), dtype=object) + "'",
                what=what,
                line=lines,
            ),
            _("The first is kept; give this one its own number or delete it."),
        )
    return ok & ~dup


def book_currency(invoices: pd.DataFrame, policy: Policy) -> str | None:
    """The policy's currency, else the most common one on the invoices (ties: alphabetical)."""
    if policy.currency:
        return policy.currency
    codes = invoices["currency"].dropna() if "currency" in invoices else pd.Series([], dtype="str")
    if codes.empty:
        return None
    counts = codes.value_counts()
    return cast(str, sorted(counts[counts == counts.max()].index)[0])  # codes are text


#: Rates a real pair of currencies has (book units per unit): beyond them a typo, not a rate.
RATE_RANGE = (Decimal("0.000001"), Decimal(1_000_000))


def parse_rates(raw: pd.DataFrame | None, out: Collector) -> Rates:
    """Exchange rates (book currency per unit) from the optional rates table: a ``date`` column
    (optional) says from when each holds (SPEC §8); a rate without one holds on every day no
    dated rate covers."""
    frame, ok = parse_table(raw, "rates", out)
    if raw is None:  # no rates table, so no rows either
        return Rates()
    rows: list[tuple[str, int, Decimal]] = []
    lines: dict[tuple[str, int], int] = {}
    dates = frame["date"] if "date" in frame else pd.Series(pd.NaT, index=frame.index)
    for row, day, good, line, file in zip(
        frame.itertuples(index=False), dates, ok, raw["source_line"], raw["source_file"]
    ):
        if not good:
            continue
        currency = cast(str, row.currency)  # parsed: a three-letter code
        try:
            rate = Decimal(str(row.rate))
            if not rate.is_finite() or not RATE_RANGE[0] <= rate <= RATE_RANGE[1]:
                raise InvalidOperation
        except InvalidOperation:
            out.file(
                Issue(
                    IssueCode.BAD_AMOUNT,
                    file,
                    int(line),
                    "rate",
                    str(row.rate),
                    _("{column} {value} is not a number from 0.000001 to 1,000,000").format(
                        column="rate", value=repr(shorten(str(row.rate)))
                    ),
                    _("Write the rate as book currency per unit, e.g. 1.0834."),
                )
            )
            continue
        start = UNDATED if pd.isna(day) else day_number(day)
        key = (currency, start)
        if key in lines:  # two rates for one currency and day: neither trusted over the other
            out.file(
                Issue(
                    IssueCode.DUPLICATE_RATE,
                    file,
                    int(line),
                    "currency",
                    currency,
                    _("{column} {value} repeats the rate on line {line}").format(
                        column="currency", value=repr(currency), line=lines[key]
                    ),
                    _("The first is kept; delete the row that is out of date."),
                )
            )
            continue
        lines[key] = int(line)
        rows.append((currency, start, rate))
    return Rates.of(rows)


def convert_currency(
    cents: Int64Array,
    currency: pd.Series,
    book: str | None,
    rates: Rates,
    days: Int64Array | None = None,
) -> tuple[Int64Array, Mask, Mask]:
    """Return ``(book cents, foreign mask, unconvertible mask)``; rounding half-up to the cent,
    at the rate holding on each row's day (``days``; None: an undated rate only).
    ``currency`` is each row's code (text; missing counts as foreign when there is a book)."""
    foreign = (
        np.asarray((currency != book).fillna(True), dtype=bool)
        if book
        else np.zeros(len(cents), dtype=bool)
    )
    if not foreign.any():
        return cents, foreign, foreign.copy()
    when = np.full(len(cents), UNDATED, dtype=np.int64) if days is None else days
    missing = foreign & ~currency.isin(rates.codes()).to_numpy()
    converted = cents.copy()
    for code in rates.codes():
        rows = np.flatnonzero(foreign & (currency == code).to_numpy(dtype=bool, na_value=False))
        found = rates.at(code, when[rows])
        values = [0 if r is None else cents_at(int(c), r) for c, r in zip(cents[rows], found)]
        # no rate on the row's day, or converted beyond the largest amount a file may hold:
        # unconvertible, never wrapped
        big = np.array(
            [r is None or abs(v) >= parse.MAX_CENTS for v, r in zip(values, found)], dtype=bool
        )
        missing[rows[big]] = True
        converted[rows] = [0 if b else v for v, b in zip(values, big)]
    return converted, foreign & ~missing, missing


def rate_hint(book: str | None) -> str:
    """What to do about a missing rate."""
    return _(
        "Add a rates.csv beside the data (columns currency, rate = {book} per unit, and date "
        "from when each holds), give one to `arbook import` with --rates, type them in the "
        'dashboard\'s "{tab}", or convert the amount.'
    ).format(book=book, tab=_("Load your data"))


def missing_rate_text(
    frame: pd.DataFrame,
    rows: Mask,
    *,
    codes: pd.Series,
    book: str | None,
    rates: Rates,
    date: str,
) -> npt.NDArray[np.object_]:
    """Why each of ``rows`` could not be converted, naming its currency and the date a rate is
    needed for: no rate for the currency at all, or none dated on or before the row's ``date``
    column (the rates file's first one named)."""
    out = []
    for code, day in zip(codes[rows], frame[date].to_numpy()[rows]):
        first = rates.first_day(code) if code in rates else None
        shown = iso(day)
        if first is None:
            said = _(
                "{column} {value} differs from the book's {book} and no exchange rate is given"
            ).format(column="currency", value=repr(code), book=book)
        else:
            said = _(
                "{column} {value} has no rate on {date}: the rates file's first {code} rate is "
                "dated {first}"
            ).format(column="currency", value=repr(code), date=shown, code=code, first=iso(first))
        out.append(said)
    return np.array(out, dtype=object)


def clean_invoices(
    raw: RawTable | None,
    out: Collector,
    policy: Policy,
    customers: pd.DataFrame,
    rates: Rates,
    readings: Readings | None = None,
    links: dict[str, Int64Array] | None = None,
    **options: str,
) -> tuple[pd.DataFrame, str | None, pd.DataFrame]:
    """Return ``(invoices frame, book currency, refused rows)``: parsed, deduplicated, due dates
    filled, currencies converted, credit notes linked to the invoice they apply to. ``links``:
    given a dict, it gets ``credit_target``, each row's invoice row it applies to (-1: none)."""
    parsed, refused = parse_rows(raw, "invoices", out, options, key="invoice_id", readings=readings)
    if parsed is None:
        if links is not None:
            links["credit_target"] = np.zeros(0, dtype=np.int64)
        return _empty_invoices(), policy.currency, refused
    frame = parsed
    ok = drop_duplicates(
        frame,
        frame,
        np.ones(len(frame), dtype=bool),
        "invoice_id",
        IssueCode.DUPLICATE_INVOICE,
        out,
        "invoice",
    )
    book = book_currency(frame[["currency"]][ok] if not ok.all() else frame, policy)
    codes = frame["currency"].fillna(book) if book else frame["currency"]
    amounts = frame["amount_cents"].to_numpy()
    days = days_of(frame["invoice_date"])
    cents, converted, missing = convert_currency(amounts, codes, book, rates, days)
    out.cells(
        frame,
        missing & ok,
        IssueCode.CURRENCY_MIX,
        "currency",
        partial(missing_rate_text, frame, codes=codes, book=book, rates=rates, date="invoice_date"),
        rate_hint(book),
    )
    ok &= ~missing
    frame = frame.assign(currency=codes, amount_cents=cents)
    if converted.any():
        original = pd.Series(amounts, dtype="Int64")
        frame["original_amount_cents"] = original.where(pd.Series(converted)).to_numpy()
    del amounts, codes, cents
    if not ok.all():
        refused = pd.concat(
            [refused, _refused(frame[~ok], frame["invoice_id"].to_numpy()[~ok])],
            ignore_index=True,
        )
        frame = _keep(frame, ok)
    frame = _fill_due_dates(frame, customers, policy)
    late = (frame["due_date"] < frame["invoice_date"]).to_numpy() & (
        frame["due_from"] == "file"
    ).to_numpy()
    out.cells(
        frame,
        late,
        IssueCode.DUE_BEFORE_INVOICE,
        "due_date",
        lambda m: each(
            _("{column} {value} is before the {invoice_column} {invoice_date}"),
            column="due_date",
            value=_quoted(frame, "due_date", m),
            invoice_column="invoice_date",
            invoice_date=_quoted(frame, "invoice_date", m),
        ),
        _("Kept as given (it ages from that due date); correct the date if it is a typo."),
    )
    frame["applied_invoice_id"], credit_rows = _link_credit_notes(frame, frame, out)
    frame = frame.astype({"disputed": bool, "currency": "str"})
    if links is not None:  # row for row the frame returned
        links["credit_target"] = credit_rows
    return order_columns(frame, INVOICE_ORDER), book, refused


def _keep(frame: pd.DataFrame, ok: Mask) -> pd.DataFrame:
    """The ``ok`` rows, taken a column at a time (the whole frame is never held twice)."""
    return pd.DataFrame({n: _rows(frame.pop(n), ok) for n in list(frame.columns)}, copy=False)


INVOICE_ORDER = [
    "invoice_id",
    "customer_id",
    "invoice_date",
    "due_date",
    "amount_cents",
    "applies_to",
    "applied_invoice_id",
    "currency",
    "original_amount_cents",
    "disputed",
    "due_from",
]
PAYMENT_ORDER = [
    "payment_id",
    "customer_id",
    "payment_date",
    "amount_cents",
    "invoice_id",
    "allocated_invoice_id",
]
CUSTOMER_ORDER = [
    "customer_id",
    "name",
    "credit_limit_cents",
    "terms_days",
    "email",
    "phone",
    "language",
    "contact",
    "segment",
    "listed",
]


def order_columns(frame: pd.DataFrame, canonical: list[str]) -> pd.DataFrame:
    """Canonical columns first, then the file's own extra columns, then the source location."""
    first = [c for c in canonical if c in frame]
    last = ["source_file", "source_line"]
    middle = [c for c in frame.columns if c not in first and c not in last]
    return frame[first + middle + [c for c in last if c in frame]]


def _refused(
    rows: pd.DataFrame | None = None, keys: npt.NDArray[Any] | None = None
) -> pd.DataFrame:
    """invoice_id -> where a refused row was (``rows`` locate them), to explain payments that
    name it."""
    if rows is None or keys is None or not len(rows):
        return pd.DataFrame(
            {"invoice_id": pd.Series([], dtype="str"), "where": pd.Series([], dtype="str")}
        )
    where = rows["source_file"].astype("str") + ":" + rows["source_line"].astype("str")
    return pd.DataFrame({"invoice_id": pd.Series(keys, dtype="str"), "where": where.to_numpy()})


def _empty_invoices() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "invoice_id": pd.Series([], dtype="str"),
            "customer_id": pd.Series([], dtype="str"),
            "invoice_date": pd.Series([], dtype="datetime64[s]"),
            "due_date": pd.Series([], dtype="datetime64[s]"),
            "amount_cents": pd.Series([], dtype="int64"),
            "applies_to": pd.Series([], dtype="str"),
            "currency": pd.Series([], dtype="str"),
            "disputed": pd.Series([], dtype="bool"),
            "due_from": pd.Series([], dtype="str"),
            "applied_invoice_id": pd.Series([], dtype="str"),
            "source_file": pd.Series([], dtype="category"),
            "source_line": pd.Series([], dtype="int64"),
        }
    )


def _fill_due_dates(frame: pd.DataFrame, customers: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Blank due dates become invoice_date + the customer's terms_days, else the policy's."""
    has_terms = np.zeros(len(frame), dtype=bool)
    days = np.full(len(frame), policy.default_terms_days, dtype=np.int64)
    if len(customers):
        # pandas-stubs: pd.array() takes no Series, though pandas does
        terms = pd.array(customers["terms_days"], dtype="Int64")  # type: ignore[call-overload]
        known = ~np.asarray(pd.isna(terms), dtype=bool)
        at = parse.index_of(frame["customer_id"], customers["customer_id"], clean=True)
        safe = np.where(at >= 0, at, 0)
        has_terms = (at >= 0) & known[safe]
        days = np.where(has_terms, np.asarray(terms.fillna(0), dtype=np.int64)[safe], days)
    given = frame["due_date"].notna().to_numpy()
    filled = frame["invoice_date"].to_numpy() + days.astype("timedelta64[D]")
    due = np.where(given, frame["due_date"].to_numpy(), filled).astype("datetime64[s]")
    source = pd.Categorical.from_codes(
        np.where(given, 0, np.where(has_terms, 1, 2)),
        categories=pd.Index(["file", "terms", "default"]),
    )
    return frame.assign(due_date=due, due_from=source)


def _link_credit_notes(
    frame: pd.DataFrame, raw: pd.DataFrame, out: Collector
) -> tuple[pd.Series, Int64Array]:
    """``applied_invoice_id`` for credit notes whose applies_to names a positive invoice of the
    same customer; everything else gets a warning and stays standalone (missing). Also each
    row's invoice row so applied (-1 for none)."""
    applies = frame["applies_to"]
    has = applies.notna().to_numpy()
    credit = (frame["amount_cents"] < 0).to_numpy()
    out.cells(
        raw,
        has & ~credit,
        IssueCode.APPLIES_TO_IGNORED,
        "applies_to",
        with_value(_("{column} {value} on an invoice of a positive amount"), column="applies_to"),
        _("Only credit notes (negative amounts) apply to an invoice; clear the cell."),
    )
    wanted = has & credit
    target = np.full(len(frame), -1, dtype=np.int64)
    rows = np.flatnonzero(wanted)
    if len(rows):  # hashing every invoice id only when some credit note names one
        target[rows] = parse.index_of(applies.iloc[rows], frame["invoice_id"], clean=True)
    found = target >= 0
    same = parse.same_text(frame["customer_id"], frame["customer_id"], target, clean=True)
    positive = found & (frame["amount_cents"].to_numpy()[np.where(found, target, 0)] > 0)
    valid = wanted & same & positive

    def message(m: Mask) -> npt.NDArray[np.object_]:
        fields = {"column": "applies_to", "value": _quoted(raw, "applies_to", m)}
        return np.where(
            ~found[m],
            each(_("credit note {column} {value} names no invoice in the ledger"), **fields),
            np.where(
                ~same[m],
                each(
                    _("credit note {column} {value} names an invoice of another customer"), **fields
                ),
                each(_("credit note {column} {value} names another credit note"), **fields),
            ),
        )

    out.cells(
        raw,
        wanted & ~valid,
        IssueCode.UNKNOWN_CREDIT_TARGET,
        "applies_to",
        message,
        _("It counts as a standalone credit of its customer; fix {column} to link it.").format(
            column="applies_to"
        ),
    )
    return applies.where(valid), np.where(valid, target, -1)


def clean_payments(
    raw: RawTable | None,
    out: Collector,
    invoices: pd.DataFrame,
    rejected: pd.DataFrame,
    readings: Readings | None = None,
    links: dict[str, Int64Array] | None = None,
    **options: str,
) -> pd.DataFrame:
    """Return the payments frame: parsed, non-positive rows out, allocations checked.
    ``links``: given a dict, it gets ``pay_target``, each row's invoice row (-1: unapplied)."""

    given = []

    def positive(typed: dict[str, Values], batch: pd.DataFrame, ok: Mask) -> Mask:
        given.append("currency" in batch.columns)
        nonpositive = ok & (np.asarray(typed["amount_cents"]) <= 0)
        out.cells(
            batch,
            nonpositive,
            IssueCode.NONPOSITIVE_PAYMENT,
            "amount",
            with_value(_("{column} {value} is not a positive payment"), column="amount"),
            _(
                "Record refunds and reversals as credit notes or corrections, not negative "
                "payments."
            ),
        )
        return ok & ~nonpositive

    frame, _refused_rows = parse_rows(
        raw, "payments", out, options, local=positive, readings=readings
    )
    if frame is None:
        if links is not None:
            links["pay_target"] = np.zeros(0, dtype=np.int64)
        return _empty_payments()
    frame["allocated_invoice_id"], invoice_rows = _allocate(frame, frame, invoices, rejected, out)
    frame = order_columns(frame, PAYMENT_ORDER)
    if links is not None:  # row for row the frame returned
        links["pay_target"] = invoice_rows
    frame.attrs["currency_given"] = any(given)
    return frame


def settle_currencies(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    book: str | None,
    rates: Rates,
    out: Collector,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Payments and applied credit notes settled in their invoice's currency (SPEC §8,
    :mod:`arbook.core.currencies`): each payment's ``currency`` (a blank cell: the book's; no
    currency column at all: its invoice's, the usual export, else the book's), ``paid_cents``
    in it, ``book_cents`` at its date's rate, ``amount_cents`` what it took off its invoice in
    book currency, ``settled_cents`` in the invoice's currency and ``exchange_cents`` (the
    realised exchange difference, ``book_cents - amount_cents``); an applied credit note's
    ``amount_cents`` is what it took off its invoice at that invoice's rate. A payment in another
    currency than its invoice is a warning naming both; one whose rate is missing an error, the
    row left out. A book in one currency is returned as it is, with those columns."""
    if book is None:  # no currency named anywhere: every amount is what it says
        return invoices, payments
    given = bool(payments.attrs.get("currency_given"))
    if _one_currency(invoices, payments, book, given):
        return invoices, payments  # before any lookup: the usual book, in one currency
    target = pd.Index(invoices["invoice_id"]).get_indexer(
        payments["allocated_invoice_id"].fillna("\0")
    )
    inv_cur = invoices["currency"].to_numpy(dtype=object)
    own = payments["currency"].to_numpy(dtype=object) if given else None
    allocated = target >= 0
    theirs = (
        np.where(allocated, inv_cur[np.where(allocated, target, 0)], book)
        if len(inv_cur)
        else np.full(len(payments), book, dtype=object)
    )
    if own is None:
        currency = np.where(allocated, theirs, book).astype(object)
    else:
        blank = pd.isna(own)
        currency = np.where(blank, book, own).astype(object)
    currency = np.where(pd.isna(currency), "", currency).astype(object)
    paid = payments["amount_cents"].to_numpy(dtype=np.int64)
    if (currency == book).all() and (inv_cur == book).all():
        return invoices, payments  # one currency: every amount is what it says
    doc = invoices.get("original_amount_cents")
    doc_cents = (
        doc.fillna(invoices["amount_cents"]).to_numpy(dtype=np.int64)
        if doc is not None
        else invoices["amount_cents"].to_numpy(dtype=np.int64)
    )
    done = settle(invoices, doc_cents, payments, currency, paid, book, rates)
    cross = allocated & (currency != theirs)
    out.cells(
        payments,
        cross & ~done.missing,
        IssueCode.CURRENCY_CROSS,
        "currency",
        lambda m: each(
            _("{column} {value} differs from its invoice's {theirs}"),
            column="currency",
            value=[repr(c) for c in currency[m]],
            theirs=theirs[m],
        ),
        _(
            "Converted through {book} at the payment's date; check the payment's currency, or "
            "record it in the invoice's currency."
        ).format(book=book),
    )
    out.cells(
        payments,
        done.missing,
        IssueCode.CURRENCY_MIX,
        "currency",
        partial(
            missing_rate_text,
            payments,
            codes=pd.Series(np.where(currency == book, theirs, currency)),
            book=book,
            rates=rates,
            date="payment_date",
        ),
        rate_hint(book),
    )
    payments = payments.assign(
        currency=currency,
        paid_cents=paid,
        book_cents=done.book_cents,
        amount_cents=done.taken_cents,
        settled_cents=done.settled_cents,
        exchange_cents=done.book_cents - done.taken_cents,
    )
    if done.missing.any():
        payments = payments[~done.missing].reset_index(drop=True)
    invoices = invoices.assign(amount_cents=done.credit_cents, settles_cents=done.credit_settles)
    return invoices, payments


def _one_currency(invoices: pd.DataFrame, payments: pd.DataFrame, book: str, given: bool) -> bool:
    """Whether every invoice is in the book's currency and so is every payment (a blank
    currency cell is the book's; without a currency column, a payment is in its invoice's)."""
    if not (invoices["currency"] == book).all():
        return False
    if not given:
        return True
    own = payments["currency"]
    return bool((own.isna() | (own == book)).all())


def _empty_payments() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "payment_id": pd.Series([], dtype="str"),
            "customer_id": pd.Series([], dtype="str"),
            "payment_date": pd.Series([], dtype="datetime64[s]"),
            "amount_cents": pd.Series([], dtype="int64"),
            "invoice_id": pd.Series([], dtype="str"),
            "allocated_invoice_id": pd.Series([], dtype="str"),
            "source_file": pd.Series([], dtype="category"),
            "source_line": pd.Series([], dtype="int64"),
        }
    )


def _allocate(
    frame: pd.DataFrame,
    raw: pd.DataFrame,
    invoices: pd.DataFrame,
    rejected: pd.DataFrame,
    out: Collector,
) -> tuple[pd.Series, Int64Array]:
    """The invoice each payment row settles, or missing (unapplied cash), with a warning for
    every named invoice that is unknown, another customer's, or a credit note; and the row of
    that invoice in ``invoices`` (-1 for none)."""
    named = frame["invoice_id"].notna().to_numpy()
    target = parse.index_of(frame["invoice_id"], invoices["invoice_id"], clean=True)
    found = target >= 0
    safe = np.where(found, target, 0)
    same = parse.same_text(invoices["customer_id"], frame["customer_id"], target, clean=True)
    amounts = invoices["amount_cents"].to_numpy()
    # no invoice survived (all rejected, or none): nothing can be found, nothing taken from them
    credit = found & (amounts[safe] < 0) if len(amounts) else found
    unknown = named & ~found
    if unknown.any():
        where = (
            frame["invoice_id"].map(rejected.groupby("invoice_id")["where"].first())
            if len(rejected)
            else pd.Series(pd.NA, index=frame.index)
        )
        rejected_at = where.notna().to_numpy()

        def why(m: Mask) -> npt.NDArray[np.object_]:
            fields = {"column": "invoice_id", "value": _quoted(raw, "invoice_id", m)}
            return np.where(
                rejected_at[m],
                each(
                    _("{column} {value} was rejected ({where})"),
                    where=where[m].fillna("").astype("str"),
                    **fields,
                ),
                each(_("{column} {value} is not in the invoices"), **fields),
            )

        out.cells(
            raw,
            unknown,
            IssueCode.UNKNOWN_INVOICE,
            "invoice_id",
            why,
            _("Counted as the payer's unapplied cash; correct {column} to apply it.").format(
                column="invoice_id"
            ),
        )
    other = named & found & ~same
    out.cells(
        raw,
        other,
        IssueCode.OTHER_CUSTOMER_INVOICE,
        "invoice_id",
        lambda m: each(
            _("{column} {value} belongs to customer {owner}, not the payer {payer}"),
            column="invoice_id",
            value=_quoted(raw, "invoice_id", m),
            owner=invoices["customer_id"].to_numpy()[safe[m]],
            payer=frame["customer_id"][m].astype("str"),
        ),
        _("Counted as the payer's unapplied cash; check who paid or which invoice."),
    )
    out.cells(
        raw,
        named & same & credit,
        IssueCode.PAYMENT_TO_CREDIT_NOTE,
        "invoice_id",
        with_value(_("{column} {value} is a credit note, not an invoice"), column="invoice_id"),
        _("Counted as the payer's unapplied cash; allocate it to an invoice."),
    )
    valid = named & same & ~credit
    allocated = frame["invoice_id"] if (valid | ~named).all() else frame["invoice_id"].where(valid)
    return allocated, np.where(valid, target, -1)


def clean_customers(raw: pd.DataFrame | None, out: Collector, **options: str) -> pd.DataFrame:
    """Return the listed customers: parsed, deduplicated, negative credit limits rejected."""
    frame, ok = parse_table(raw, "customers", out, **options)
    if raw is None or not len(frame):
        return pd.DataFrame(
            {"customer_id": pd.Series([], dtype="str"), "terms_days": pd.Series([], dtype="Int64")}
        )
    negative = ok & (frame["credit_limit_cents"] < 0)
    out.cells(
        raw,
        negative,
        IssueCode.BAD_AMOUNT,
        "credit_limit",
        with_value(_("{column} {value} is negative"), column="credit_limit"),
        _("Write 0 for no credit, or leave it blank if no limit was set."),
    )
    ok = drop_duplicates(
        frame, raw, ok & ~negative, "customer_id", IssueCode.DUPLICATE_CUSTOMER, out, "customer"
    )
    blank_limit = (
        parse.blank_mask(raw["credit_limit"])
        if "credit_limit" in raw
        else np.ones(len(raw), dtype=bool)
    )
    blank_terms = (
        parse.blank_mask(raw["terms_days"])
        if "terms_days" in raw
        else np.ones(len(raw), dtype=bool)
    )
    # pandas-stubs: pd.array() takes no Series, though pandas does
    limits = pd.array(frame["credit_limit_cents"], dtype="Int64")  # type: ignore[call-overload]
    frame["credit_limit_cents"] = limits
    frame.loc[blank_limit, "credit_limit_cents"] = pd.NA
    terms = pd.array(frame["terms_days"], dtype="Int64")  # type: ignore[call-overload]
    frame["terms_days"] = terms
    frame.loc[blank_terms, "terms_days"] = pd.NA
    frame["source_file"] = raw["source_file"].array
    frame["source_line"] = raw["source_line"].to_numpy()
    return frame[ok].reset_index(drop=True)
