"""Raw frames -> (clean typed frames, issues), following SPEC §1.

Every cell is parsed; every problem becomes one issue row naming file, line, column and value.
Rows with an error stay out of the clean frames; warnings keep the row and say what was done with
it (a payment for an unknown invoice becomes the payer's unapplied cash, and so on), so money is
never lost from the totals without a line saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeAlias, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from arbook.core import parse
from arbook.core.config import Policy
from arbook.core.errors import (
    ISSUE_COLUMNS,
    QUOTE_LIMIT,
    Issue,
    IssueCode,
    issues_frame,
    shorten,
)
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
}
HINTS = {
    "date": (
        "Write dates as YYYY-MM-DD (or read the file with --date-order dmy or --date-order mdy)."
    ),
    "ambiguous_date": (
        "Write it as YYYY-MM-DD, or read the file with --date-order dmy or --date-order mdy."
    ),
    "mixed_date": (
        "Other dates in this column are written the other way round: correct this one, or write "
        "dates as YYYY-MM-DD."
    ),
    "money": (
        "Write amounts like 1234.56 (a sign, thousands separators and a currency sign are fine)."
    ),
    "flag": "Write yes or no.",
    "whole": "Write a whole number of days, e.g. 30.",
    "currency": "Write a three-letter ISO code such as USD or EUR.",
    "decimal_comma": (
        "It reads as money with a decimal comma: read the file with --decimal , (or write "
        "amounts like 1234.56)."
    ),
    "decimal_point": (
        "It reads as money with a decimal point: read the file without --decimal , (or write "
        "amounts like 1234,56)."
    ),
}


#: An issue's message: text where ``{value}`` is the quoted cell, or one text per flagged row.
Message: TypeAlias = str | Callable[[Mask], "pd.Series | npt.NDArray[Any]"]
#: A parsed column: a Series (dates, text) or an array (cents, flags, whole numbers).
Values: TypeAlias = "pd.Series | npt.NDArray[Any]"


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
        rows = raw[flagged]
        value = rows[column].astype("str") if column in rows else pd.Series(pd.NA, index=rows.index)
        long = value.str.len().fillna(0).to_numpy() > QUOTE_LIMIT
        if long.any():  # a 200 kB cell is quoted by its start, never echoed whole
            value = value.mask(long, value[long].map(shorten))
        text: npt.NDArray[Any] | str
        if callable(message):
            text = np.asarray(message(flagged), dtype=object)
        else:
            head, _, tail = message.partition("{value}")
            text = (head + "'" + value.fillna("") + "'" + tail).to_numpy() if _ else message
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
    label = raw.attrs.get("label") or (raw["source_file"].iloc[0] if len(raw) else table)
    missing = [c for c in REQUIRED[table] if c not in raw.columns]
    if missing:
        present = ", ".join(c for c in raw.columns if c not in ("source_file", "source_line"))
        for column in missing:
            out.file(
                Issue(
                    IssueCode.MISSING_COLUMN,
                    label,
                    1,
                    column,
                    None,
                    f"no {column!r} column; the whole file is left out",
                    f"Add the column {column!r} (the header has: {present}).",
                )
            )
        return pd.DataFrame(), np.zeros(0, dtype=bool)
    if not len(raw):
        code = IssueCode.NO_INVOICES if table == "invoices" else IssueCode.EMPTY_FILE
        out.file(
            Issue(
                code,
                label or table,
                None,
                None,
                None,
                f"the {table} file has a header but no rows",
                "Export it again with its rows, or remove the file.",
            )
        )
        return pd.DataFrame(), np.zeros(0, dtype=bool)
    typed: dict[str, Values] = {}
    ok = np.ones(len(raw), dtype=bool)
    for column in KNOWN[table]:
        cells = raw[column] if column in raw else pd.Series(pd.NA, index=raw.index, dtype="str")
        kind = KINDS.get(column, "text")
        values, blank, bad = _parse_column(raw, cells, column, kind, out, date_order, decimal)
        if column in REQUIRED[table]:
            out.cells(
                raw,
                blank,
                IssueCode.MISSING_VALUE,
                column,
                f"{column} is blank",
                f"Fill in the {column}; a row without it cannot be placed.",
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
            "the row has more cells than the header",
            "Quote cells that contain the separator.",
        )
        ok &= ~extra
    frame = pd.DataFrame(typed, copy=False)
    unknown = [
        c
        for c in raw.columns
        if c not in KNOWN[table] and c not in ("_extra_cells", "source_file", "source_line")
    ]
    if unknown:  # in one go: a column at a time is quadratic (2,000 columns took 17 s)
        frame = pd.concat([frame, raw[unknown].reset_index(drop=True)], axis=1)
    return frame, ok


def _parse_column(
    raw: pd.DataFrame,
    cells: pd.Series,
    column: str,
    kind: str,
    out: Collector,
    date_order: str,
    decimal: str,
) -> tuple[Values, Mask, Mask]:
    """Parse one column by kind, reporting its bad cells; return ``(values, blank, bad)``."""
    values: Values
    if kind == "date":
        values, blank, bad, ambiguous, mixed = parse.parse_dates(cells, date_order)
        out.cells(
            raw,
            ambiguous,
            IssueCode.AMBIGUOUS_DATE,
            column,
            column + " {value} could be day/month or month/day",
            HINTS["ambiguous_date"],
        )
        out.cells(
            raw,
            mixed,
            IssueCode.BAD_DATE,
            column,
            column + " {value} contradicts the day/month order of the column's other dates",
            HINTS["mixed_date"],
        )
        out.cells(
            raw,
            bad & ~ambiguous & ~mixed,
            IssueCode.BAD_DATE,
            column,
            column + " {value} is not a date",
            HINTS["date"],
        )
        return values, blank, bad
    if kind == "money":
        values, blank, bad = parse.parse_cents(cells, decimal)
        other = parse.misread_decimal(cells, bad, decimal)  # 1.234,50 without --decimal ,
        for flagged, hint in (
            (bad & ~other, HINTS["money"]),
            (other, HINTS["decimal_comma" if decimal == "." else "decimal_point"]),
        ):
            out.cells(
                raw,
                flagged,
                IssueCode.BAD_AMOUNT,
                column,
                column + " {value} is not an amount of money",
                hint,
            )
        return values, blank, bad
    if kind == "flag":
        values, bad = parse.parse_flag(cells)
        out.cells(
            raw,
            bad,
            IssueCode.BAD_FLAG,
            column,
            column + " {value} is not yes or no",
            HINTS["flag"],
        )
        return values, np.zeros(len(cells), dtype=bool), bad
    if kind == "whole":
        values, blank, bad = parse.parse_whole(cells)
        out.cells(
            raw,
            bad,
            IssueCode.BAD_NUMBER,
            column,
            column + " {value} is not a whole number from 0 to 3650",
            HINTS["whole"],
        )
        return values, blank, bad
    if kind == "currency":
        values, bad = parse.parse_currency(cells)
        out.cells(
            raw,
            bad,
            IssueCode.BAD_CURRENCY,
            column,
            column + " {value} is not a currency code",
            HINTS["currency"],
        )
        return values.reset_index(drop=True), parse.blank_mask(cells), bad
    values = parse.clean_text(cells)
    return values.reset_index(drop=True), values.isna().to_numpy(), np.zeros(len(cells), dtype=bool)


def first_lines(frame: pd.DataFrame, key: str) -> pd.Series:
    """``source_line`` of the first row for each value of ``key``."""
    return frame.groupby(key, sort=False)["source_line"].first()


def drop_duplicates(
    frame: pd.DataFrame,
    raw: pd.DataFrame,
    ok: Mask,
    key: str,
    code: IssueCode,
    out: Collector,
    what: str,
) -> Mask:
    """Mark later rows repeating ``key`` as errors (the first is kept); return the new ``ok``."""
    kept = frame[key].where(ok)
    dup = kept.duplicated(keep="first").to_numpy() & ok
    if dup.any():
        first = first_lines(raw[ok & ~dup].assign(**{key: kept[ok & ~dup].to_numpy()}), key)
        where = frame[key].map(first).astype("Int64").astype("str")
        out.cells(
            raw,
            dup,
            code,
            key,
            lambda m: f"{key} '" + frame[key][m] + f"' repeats the {what} on line " + where[m],
            "The first is kept; give this one its own number or delete it.",
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


def parse_rates(raw: pd.DataFrame | None, out: Collector) -> dict[str, Decimal]:
    """Exchange rates (book currency per unit) from the optional rates table."""
    frame, ok = parse_table(raw, "rates", out)
    rates: dict[str, Decimal] = {}
    if raw is None:  # no rates table, so no rows either
        return rates
    lines: dict[str, int] = {}
    for row, good, line, file in zip(
        frame.itertuples(index=False), ok, raw["source_line"], raw["source_file"]
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
                    f"rate {shorten(str(row.rate))!r} is not a number from 0.000001 to 1,000,000",
                    "Write the rate as book currency per unit, e.g. 1.0834.",
                )
            )
            continue
        if currency in lines:  # two rates for one currency: neither can be trusted over the other
            out.file(
                Issue(
                    IssueCode.DUPLICATE_RATE,
                    file,
                    int(line),
                    "currency",
                    currency,
                    f"currency {currency!r} repeats the rate on line {lines[currency]}",
                    "The first is kept; delete the row that is out of date.",
                )
            )
            continue
        lines[currency] = int(line)
        rates[currency] = rate
    return rates


def convert_currency(
    cents: Int64Array,
    currency: npt.NDArray[np.object_],
    book: str | None,
    rates: dict[str, Decimal],
) -> tuple[Int64Array, Mask, Mask]:
    """Return ``(book cents, foreign mask, unconvertible mask)``; rounding half-up to the cent."""
    foreign = (currency != book) if book else np.zeros(len(cents), dtype=bool)
    foreign = np.asarray(pd.Series(foreign).fillna(False), dtype=bool)
    missing = foreign & ~pd.Series(currency).isin(list(rates)).to_numpy()
    converted = cents.copy()
    for code, rate in rates.items():
        rows = np.flatnonzero(foreign & (currency == code))
        values = [
            int((Decimal(int(c)) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            for c in cents[rows]
        ]
        # converted beyond the largest amount a file may hold: unconvertible, never wrapped
        big = np.array([abs(v) >= parse.MAX_CENTS for v in values], dtype=bool)
        missing[rows[big]] = True
        converted[rows] = [0 if b else v for v, b in zip(values, big)]
    return converted, foreign & ~missing, missing


def clean_invoices(
    raw: pd.DataFrame | None,
    out: Collector,
    policy: Policy,
    customers: pd.DataFrame,
    rates: dict[str, Decimal],
    **options: str,
) -> tuple[pd.DataFrame, str | None, pd.DataFrame]:
    """Return ``(invoices frame, book currency)``: parsed, deduplicated, due dates filled,
    currencies converted, credit notes linked to the invoice they apply to."""
    frame, ok = parse_table(raw, "invoices", out, **options)
    if raw is None or not len(frame):
        return _empty_invoices(), policy.currency, _rejected(None, None)
    ok = drop_duplicates(frame, raw, ok, "invoice_id", IssueCode.DUPLICATE_INVOICE, out, "invoice")
    book = book_currency(frame[ok], policy)
    codes = frame["currency"].fillna(book) if book else frame["currency"]
    # pandas-stubs: na_value must be a scalar, but None (what object arrays hold) is fine
    currency = codes.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
    cents, converted, missing = convert_currency(
        frame["amount_cents"].to_numpy(), currency, book, rates
    )
    out.cells(
        raw,
        missing & ok,
        IssueCode.CURRENCY_MIX,
        "currency",
        f"currency {{value}} differs from the book's {book} and no exchange rate is given",
        f"Add a rates.csv (columns currency, rate = {book} per unit) or convert the amount.",
    )
    ok &= ~missing
    original = pd.Series(frame["amount_cents"].to_numpy(), dtype="Int64")
    frame = frame.assign(currency=currency, amount_cents=cents)
    if converted.any():
        frame["original_amount_cents"] = original.where(pd.Series(converted)).to_numpy()
    rejected = _rejected(raw[~ok], frame[~ok])
    raw, frame = raw[ok].reset_index(drop=True), frame[ok].reset_index(drop=True)
    frame = _fill_due_dates(frame, customers, policy)
    late = (frame["due_date"] < frame["invoice_date"]).to_numpy() & (
        frame["due_from"] == "file"
    ).to_numpy()
    out.cells(
        raw,
        late,
        IssueCode.DUE_BEFORE_INVOICE,
        "due_date",
        lambda m: (
            "due_date "
            + _quoted(raw, "due_date", m)
            + " is before the invoice_date "
            + _quoted(raw, "invoice_date", m)
        ),
        "Kept as given (it ages from that due date); correct the date if it is a typo.",
    )
    frame["applied_invoice_id"] = _link_credit_notes(frame, raw, out)
    frame = frame.astype({"disputed": bool, "currency": "str"})
    frame["source_file"] = raw["source_file"].array
    frame["source_line"] = raw["source_line"].to_numpy()
    return order_columns(frame, INVOICE_ORDER), book, rejected


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


def _rejected(raw: pd.DataFrame | None, frame: pd.DataFrame | None) -> pd.DataFrame:
    """invoice_id -> where the rejected row was, to explain payments that name it."""
    if raw is None or frame is None or not len(raw):
        return pd.DataFrame(
            {"invoice_id": pd.Series([], dtype="str"), "where": pd.Series([], dtype="str")}
        )
    where = raw["source_file"].astype("str") + ":" + raw["source_line"].astype("str")
    return pd.DataFrame({"invoice_id": frame["invoice_id"].to_numpy(), "where": where.to_numpy()})


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
    terms = (
        frame["customer_id"].map(customers.set_index("customer_id")["terms_days"])
        if len(customers)
        else pd.Series(pd.NA, index=frame.index)
    )
    # pandas-stubs: pd.array() takes no Series, though pandas does
    terms = pd.array(terms, dtype="Int64")  # type: ignore[call-overload]
    given = frame["due_date"].notna().to_numpy()
    has_terms = ~pd.isna(terms)
    days = np.where(
        has_terms, np.asarray(terms.fillna(0), dtype=np.int64), policy.default_terms_days
    )
    filled = frame["invoice_date"].to_numpy() + days.astype("timedelta64[D]")
    due = np.where(given, frame["due_date"].to_numpy(), filled).astype("datetime64[s]")
    source = pd.Categorical.from_codes(
        np.where(given, 0, np.where(has_terms, 1, 2)),
        categories=pd.Index(["file", "terms", "default"]),
    )
    return frame.assign(due_date=due, due_from=source)


def _link_credit_notes(frame: pd.DataFrame, raw: pd.DataFrame, out: Collector) -> pd.Series:
    """``applied_invoice_id`` for credit notes whose applies_to names a positive invoice of the
    same customer; everything else gets a warning and stays standalone (missing)."""
    applies = frame["applies_to"]
    has = applies.notna().to_numpy()
    credit = (frame["amount_cents"] < 0).to_numpy()
    out.cells(
        raw,
        has & ~credit,
        IssueCode.APPLIES_TO_IGNORED,
        "applies_to",
        "applies_to {value} on an invoice of a positive amount",
        "Only credit notes (negative amounts) apply to an invoice; clear the cell.",
    )
    wanted = has & credit
    target = np.full(len(frame), -1, dtype=np.int64)
    rows = np.flatnonzero(wanted)
    target[rows] = parse.index_of(applies.iloc[rows], frame["invoice_id"])
    found = target >= 0
    same = parse.same_text(frame["customer_id"], frame["customer_id"], target)
    positive = found & (frame["amount_cents"].to_numpy()[np.where(found, target, 0)] > 0)
    valid = wanted & same & positive

    def message(m: Mask) -> pd.Series:
        reason = np.where(
            ~found[m],
            "names no invoice in the ledger",
            np.where(~same[m], "names an invoice of another customer", "names another credit note"),
        )
        return "credit note applies_to " + _quoted(raw, "applies_to", m) + " " + reason

    out.cells(
        raw,
        wanted & ~valid,
        IssueCode.UNKNOWN_CREDIT_TARGET,
        "applies_to",
        message,
        "It counts as a standalone credit of its customer; fix applies_to to link it.",
    )
    return applies.where(valid)


def clean_payments(
    raw: pd.DataFrame | None,
    out: Collector,
    invoices: pd.DataFrame,
    rejected: pd.DataFrame,
    **options: str,
) -> pd.DataFrame:
    """Return the payments frame: parsed, non-positive rows out, allocations checked."""
    frame, ok = parse_table(raw, "payments", out, **options)
    if raw is None or not len(frame):
        return _empty_payments()
    nonpositive = ok & (frame["amount_cents"] <= 0).to_numpy()
    out.cells(
        raw,
        nonpositive,
        IssueCode.NONPOSITIVE_PAYMENT,
        "amount",
        "amount {value} is not a positive payment",
        "Record refunds and reversals as credit notes or corrections, not negative payments.",
    )
    ok &= ~nonpositive
    raw, frame = raw[ok].reset_index(drop=True), frame[ok].reset_index(drop=True)
    frame["allocated_invoice_id"] = _allocate(frame, raw, invoices, rejected, out)
    frame["source_file"] = raw["source_file"].array
    frame["source_line"] = raw["source_line"].to_numpy()
    return order_columns(frame, PAYMENT_ORDER)


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
) -> pd.Series:
    """The invoice each payment row settles, or missing (unapplied cash), with a warning for
    every named invoice that is unknown, another customer's, or a credit note."""
    named = frame["invoice_id"].notna().to_numpy()
    target = parse.index_of(frame["invoice_id"], invoices["invoice_id"])
    found = target >= 0
    safe = np.where(found, target, 0)
    same = parse.same_text(invoices["customer_id"], frame["customer_id"], target)
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
        why = np.where(
            where.notna(),
            " was rejected (" + where.fillna("").astype("str") + ")",
            " is not in the invoices",
        )
        out.cells(
            raw,
            unknown,
            IssueCode.UNKNOWN_INVOICE,
            "invoice_id",
            lambda m: "invoice_id " + _quoted(raw, "invoice_id", m) + why[m],
            "Counted as the payer's unapplied cash; correct invoice_id to apply it.",
        )
    other = named & found & ~same
    out.cells(
        raw,
        other,
        IssueCode.OTHER_CUSTOMER_INVOICE,
        "invoice_id",
        lambda m: (
            "invoice_id "
            + _quoted(raw, "invoice_id", m)
            + " belongs to customer "
            + invoices["customer_id"].to_numpy()[safe[m]]
            + ", not the payer "
            + frame["customer_id"][m].astype("str")
        ),
        "Counted as the payer's unapplied cash; check who paid or which invoice.",
    )
    out.cells(
        raw,
        named & same & credit,
        IssueCode.PAYMENT_TO_CREDIT_NOTE,
        "invoice_id",
        "invoice_id {value} is a credit note, not an invoice",
        "Counted as the payer's unapplied cash; allocate it to an invoice.",
    )
    valid = named & same & ~credit
    return frame["invoice_id"].where(valid)


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
        "credit_limit {value} is negative",
        "Write 0 for no credit, or leave it blank if no limit was set.",
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
