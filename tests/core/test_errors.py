"""Errors and data issues (errors): the catalogue of issue codes with their severity and
meaning, an issue as a row, the frame of issues in file and line order, the compiler-like line
of one issue, and the family of exceptions."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from arbook.core.errors import (
    ERROR,
    ISSUE_COLUMNS,
    WARNING,
    ArbookError,
    DataError,
    Issue,
    IssueCode,
    ParameterError,
    PolicyError,
    Severity,
    format_issue,
    issues_frame,
)


def test_codes_compare_equal_to_their_text():
    assert IssueCode.BAD_DATE == "bad_date" and IssueCode("bad_date") is IssueCode.BAD_DATE
    assert str(IssueCode.BAD_DATE) == f"{IssueCode.BAD_DATE}" == "bad_date"
    assert ERROR == "error" and WARNING == "warning" and set(Severity) == {ERROR, WARNING}
    with pytest.raises(ValueError, match="'bad_colour' is not a valid IssueCode"):
        IssueCode("bad_colour")


def test_every_code_carries_a_severity_and_a_meaning():
    assert len(IssueCode) == 37
    for code in IssueCode:
        assert code.value == code.name.lower()
        assert isinstance(code.severity, Severity)
        assert code.meaning and code.meaning == code.meaning.strip() and code.meaning[0].islower()
    # a warning keeps the row and says what was done with it; everything else keeps it out
    assert {c.value for c in IssueCode if c.severity == WARNING} == {
        "empty_file",
        "due_before_invoice",
        "currency_cross",
        "unknown_invoice",
        "other_customer_invoice",
        "payment_to_credit_note",
        "unknown_credit_target",
        "applies_to_ignored",
        "guessed_encoding",
        "unnamed_column",
        "unknown_file",
        "close_name",
        "ignored_sheet",
        "file_type",
        "open_items_only",
        "made_up",
        "total_mismatch",
    }
    assert IssueCode.BAD_AMOUNT.meaning == "an amount cell cannot be read as money"
    assert IssueCode.UNKNOWN_INVOICE.meaning.endswith("; unapplied cash")


def test_an_issue_takes_its_severity_from_its_code():
    issue = Issue(IssueCode.DUE_BEFORE_INVOICE, "i.csv", 4, "due_date", "2026-01-01", "m", "h")
    assert issue.severity is WARNING
    assert list(issue.as_row()) == ISSUE_COLUMNS
    assert issue.as_row()["severity"] == "warning" and issue.as_row()["source_line"] == 4
    with pytest.raises(AttributeError):
        issue.message = "changed"  # frozen


def test_issues_frame_sorts_by_file_then_line_file_level_first():
    def issue(code, file, line, column):
        return Issue(code, file, line, column, None, f"{file}:{line}:{column}", "")

    frame = issues_frame(
        [
            issue(IssueCode.BAD_DATE, "p.csv", 5, "payment_date"),
            issue(IssueCode.BAD_AMOUNT, "i.csv", 3, "amount"),
            issue(IssueCode.BAD_DATE, "i.csv", 3, "invoice_date"),
            issue(IssueCode.MISSING_COLUMN, "i.csv", None, "amount"),
            issue(IssueCode.BAD_FLAG, "i.csv", 2, "disputed"),
            issue(IssueCode.EMPTY_FILE, "c.csv", None, None),
        ]
    )
    assert list(frame.columns) == ISSUE_COLUMNS
    assert frame["message"].tolist() == [
        "c.csv:None:None",
        "i.csv:None:amount",  # a file-level issue before the file's lines
        "i.csv:2:disputed",
        "i.csv:3:amount",  # one line: by column
        "i.csv:3:invoice_date",
        "p.csv:5:payment_date",
    ]
    assert frame["severity"].tolist() == ["warning"] + ["error"] * 5
    assert frame["source_line"].dtype == "Int64" and frame.index.tolist() == list(range(6))


def test_no_issues_is_an_empty_frame_with_the_columns():
    for frame in (issues_frame(), issues_frame([])):
        assert frame.empty and list(frame.columns) == ISSUE_COLUMNS
        assert frame["source_line"].dtype == "Int64"


def test_format_issue_like_a_compiler():
    line = Issue(IssueCode.BAD_DATE, "invoices.csv", 3, "invoice_date", "x", "no date", "Write")
    (row,) = issues_frame([line]).itertuples(index=False)
    assert format_issue(row) == "invoices.csv:3: bad_date: no date. Write"
    # no line: the file alone; no hint: no trailing ". "
    whole = Issue(IssueCode.EMPTY_FILE, "payments.csv", None, None, None, "empty", "")
    (row,) = issues_frame([whole]).itertuples(index=False)
    assert format_issue(row) == "payments.csv: empty_file: empty"
    # anything with the five attributes will do (a missing line may be NaN or pd.NA)
    plain = SimpleNamespace(source_file="f", source_line=pd.NA, code="c", message="m", hint="h")
    assert format_issue(plain) == "f: c: m. h"


def test_the_family_of_errors():
    for error in (DataError, PolicyError, ParameterError):
        assert issubclass(error, ArbookError)
    assert issubclass(ParameterError, ValueError)  # a bad parameter is a bad value
    assert not issubclass(DataError, ValueError) and not issubclass(PolicyError, ValueError)
