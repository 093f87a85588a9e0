"""Errors and data issues.

Data problems are values: every problem found while reading a ledger becomes one row of the
ledger's ``issues`` frame (see :data:`ISSUE_COLUMNS`). Exceptions (:class:`ArbookError` and its
family) are raised only when no result is possible at all: a folder that does not exist, a policy
file that cannot be read, a parameter out of range.

Every issue code is a member of :class:`IssueCode` with its severity and meaning, so the
catalogue of what arbook can complain about is in one place (and tested one fixture per code).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, cast

import pandas as pd

from arbook.core.i18n import N_, _, language, ngettext, number_marks

if TYPE_CHECKING:
    from pandas._typing import ScalarOrNA


class Severity(StrEnum):
    """How grave an issue is: an *error* keeps the row out of the ledger; a *warning* keeps it
    in and says what was done with it."""

    ERROR = "error"
    WARNING = "warning"


ERROR, WARNING = Severity.ERROR, Severity.WARNING

ISSUE_COLUMNS = [
    "severity",
    "code",
    "source_file",
    "source_line",
    "column",
    "value",
    "message",
    "hint",
]


class IssueCode(StrEnum):
    """Every problem arbook can report in a client's files, with its severity (which never
    depends on the row) and what it means. Members compare equal to their text
    (``IssueCode.BAD_DATE == "bad_date"``), so frames of issues hold plain codes."""

    severity: Severity
    meaning: str

    def __new__(cls, code: str, severity: Severity, meaning: str) -> IssueCode:
        member = str.__new__(cls, code)
        member._value_ = code
        member.severity = severity
        member.meaning = meaning
        return member

    @property
    def summary(self) -> str:
        """What the code means, in the language spoken now (:attr:`meaning` is the English)."""
        return _(self.meaning)

    UNREADABLE_FILE = "unreadable_file", ERROR, N_("the file cannot be read as a table")
    EMPTY_FILE = (
        "empty_file",
        WARNING,
        N_("a payments or customers file has no rows (or not even a header)"),
    )
    NO_INVOICES = "no_invoices", ERROR, N_("the invoices file has no rows (or not even a header)")
    MISSING_COLUMN = (
        "missing_column",
        ERROR,
        N_("a required column is absent; the whole file is left out"),
    )
    DUPLICATE_COLUMN = (
        "duplicate_column",
        ERROR,
        N_("two columns have the same name (names are case-insensitive)"),
    )
    EXTRA_CELLS = "extra_cells", ERROR, N_("a row has more cells than the header has columns")
    UNCLOSED_QUOTE = (
        "unclosed_quote",
        ERROR,
        N_("a quote opens and never closes (or would swallow later rows); the row is left out"),
    )
    BAD_LINE = (
        "bad_line",
        ERROR,
        N_("a line cannot be split into cells (a stray quote, a NUL character)"),
    )
    GUESSED_ENCODING = (
        "guessed_encoding",
        WARNING,
        N_("the file is not UTF-8; it was read in the likeliest encoding"),
    )
    UNNAMED_COLUMN = (
        "unnamed_column",
        WARNING,
        N_("a column with cells has no name in the header; kept, not read"),
    )
    UNKNOWN_FILE = (
        "unknown_file",
        WARNING,
        N_("a file in the data folder that arbook does not read"),
    )
    CLOSE_NAME = (
        "close_name",
        WARNING,
        N_("a file named nearly like a table (payments (1).csv): read as it, or left out"),
    )
    IGNORED_SHEET = (
        "ignored_sheet",
        WARNING,
        N_("a sheet of a workbook with cells that is not read (it lacks the table's columns)"),
    )
    FILE_TYPE = (
        "file_type",
        WARNING,
        N_("the file's content is not what its name says (a CSV named .xlsx); read by content"),
    )
    MISSING_VALUE = "missing_value", ERROR, N_("a required cell is blank")
    BAD_DATE = "bad_date", ERROR, N_("a date cell cannot be read")
    AMBIGUOUS_DATE = "ambiguous_date", ERROR, N_("a date could be read two ways (day/month order)")
    BAD_AMOUNT = "bad_amount", ERROR, N_("an amount cell cannot be read as money")
    BAD_NUMBER = "bad_number", ERROR, N_("a whole-number cell (terms_days) cannot be read")
    BAD_FLAG = "bad_flag", ERROR, N_("a yes/no cell holds something else")
    BAD_CURRENCY = "bad_currency", ERROR, N_("a currency cell is not a three-letter ISO code")
    DUPLICATE_INVOICE = (
        "duplicate_invoice",
        ERROR,
        N_("an invoice_id seen before; the first is kept"),
    )
    DUPLICATE_CUSTOMER = (
        "duplicate_customer",
        ERROR,
        N_("a customer_id listed twice in customers; the first is kept"),
    )
    DUPLICATE_RATE = (
        "duplicate_rate",
        ERROR,
        N_("a currency given twice for one date in the rates file; the first rate is kept"),
    )
    NONPOSITIVE_PAYMENT = "nonpositive_payment", ERROR, N_("a payment row of zero or less")
    CURRENCY_MIX = (
        "currency_mix",
        ERROR,
        N_("a document or payment in another currency and no exchange rate for it on its date"),
    )
    CURRENCY_CROSS = (
        "currency_cross",
        WARNING,
        N_(
            "a payment in another currency than its invoice; converted through the book "
            "currency at the payment's date"
        ),
    )
    DUE_BEFORE_INVOICE = (
        "due_before_invoice",
        WARNING,
        N_("the due date is before the invoice date; kept as given"),
    )
    UNKNOWN_INVOICE = (
        "unknown_invoice",
        WARNING,
        N_("a payment names an invoice that does not exist; unapplied cash"),
    )
    OTHER_CUSTOMER_INVOICE = (
        "other_customer_invoice",
        WARNING,
        N_("a payment names another customer's invoice; unapplied"),
    )
    PAYMENT_TO_CREDIT_NOTE = (
        "payment_to_credit_note",
        WARNING,
        N_("a payment names a credit note; unapplied cash"),
    )
    UNKNOWN_CREDIT_TARGET = (
        "unknown_credit_target",
        WARNING,
        N_("a credit note applies to no valid invoice; standalone"),
    )
    OPEN_ITEMS_ONLY = (
        "open_items_only",
        WARNING,
        N_("the data holds the items open on one date, not its history; what needs it is n/a"),
    )
    UNREAD_ROW = (
        "unread_row",
        ERROR,
        N_("a row of an export that its layout does not explain (an unknown type); left out"),
    )
    MADE_UP = (
        "made_up",
        WARNING,
        N_("a value the export does not hold was filled in (a payment's date); said how"),
    )
    TOTAL_MISMATCH = (
        "total_mismatch",
        WARNING,
        N_("an export's total disagrees with its parts; the amount is computed from the parts"),
    )
    APPLIES_TO_IGNORED = (
        "applies_to_ignored",
        WARNING,
        N_("applies_to on a positive invoice means nothing; ignored"),
    )


#: how much of a cell a message quotes: enough to find it, never a 200 kB echo
QUOTE_LIMIT = 80


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (and how much was cut)."""
    if len(text) <= limit:
        return text
    count = f"{len(text):,}".replace(",", number_marks(language())[0])
    said = ngettext("{start}… ({count} characters)", "{start}… ({count} characters)", len(text))
    return said.format(start=text[:limit], count=count)


class ArbookError(Exception):
    """Base of every error arbook raises on purpose; its text is meant for the user."""


class DataError(ArbookError):
    """No ledger can be built at all (missing folder or invoices file, unknown preset...)."""


class PolicyError(ArbookError):
    """A policy file is unreadable or has bad keys; the message lists every bad key."""


class ParameterError(ArbookError, ValueError):
    """A function or CLI parameter is out of range (bad date, bad bucket edges...)."""


class LogError(ArbookError):
    """The contact log cannot be opened, read or written (not a database, damaged, read-only,
    full disk, locked, server unreachable); the message names the log and what to do."""


class ReadWhole(Exception):
    """Raised while a table is read and checked in pieces, when something only the whole table
    can settle turns up (a quoted cell the pieces would split, dates whose day/month order the
    whole column decides): the reader starts again with the table whole. Never reaches a user."""


@dataclass(frozen=True)
class Issue:
    """One problem with the input data, located as precisely as the source allows."""

    code: IssueCode
    source_file: str
    source_line: int | None
    column: str | None
    value: str | None
    message: str
    hint: str

    @property
    def severity(self) -> Severity:
        return self.code.severity

    def as_row(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in ISSUE_COLUMNS}


def issues_frame(records: list[Issue] | None = None) -> pd.DataFrame:
    """Return a frame of issues in the column order of :data:`ISSUE_COLUMNS`, sorted by file and
    line (file-level problems, with no line, first)."""
    frame = pd.DataFrame([r.as_row() for r in records or []], columns=ISSUE_COLUMNS)
    frame["source_line"] = frame["source_line"].astype("Int64")
    if len(frame):
        frame = frame.sort_values(
            ["source_file", "source_line", "column"], na_position="first", kind="stable"
        ).reset_index(drop=True)
    return frame


class IssueRow(Protocol):
    """What :func:`format_issue` reads of an issue: a row of ``issues.itertuples()``."""

    @property
    def source_file(self) -> object: ...
    @property
    def source_line(self) -> object: ...
    @property
    def code(self) -> object: ...
    @property
    def message(self) -> object: ...
    @property
    def hint(self) -> object: ...


def format_issue(row: IssueRow) -> str:
    """Render one issue like a compiler: ``file:line: code: message. hint``."""
    line = cast("ScalarOrNA", row.source_line)  # a cell of the issues frame
    where = row.source_file if pd.isna(line) else f"{row.source_file}:{row.source_line}"
    text = f"{where}: {row.code}: {row.message}"
    return f"{text}. {row.hint}" if row.hint else text
