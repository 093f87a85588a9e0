"""What the "Load your data" screen shows without a widget
(:mod:`arbook.views.dashboard.load_data_parts`): uploads checked and written atomically, the
totals of a mapped ledger (those of ``aging_summary``), the HTML of the problems and issues."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_load_data import LIBRO, books, screen, uploaded

import arbook
from arbook.core import mapping as mappings
from arbook.core.errors import ParameterError
from arbook.core.ledger import default_as_of
from arbook.views.dashboard.load_data import LoadData
from arbook.views.dashboard.load_data_parts import (
    data_files,
    issue_list,
    money,
    problems_html,
    save_upload,
    totals,
    upload_name,
)

# the fixtures of test_load_data.py serve this module too
__all__ = ["books", "screen"]


def test_the_totals_are_those_of_aging_summary_on_the_preview_ledger(screen, books):
    uploaded(screen)
    ledger = mappings.preview(books / "libro.csv", screen.mapping)
    summary = arbook.aging_summary(ledger, default_as_of(ledger))
    assert screen.figures["receivable_cents"] == int(summary["receivable_cents"].sum())
    assert screen.figures == totals(ledger)


def test_uploads_are_checked(books):
    assert upload_name("C:\\Users\\ana\\libro.csv") == "libro.csv"
    assert upload_name("../../etc/libro.xlsx") == "libro.xlsx"
    for bad in ("", ".hidden.csv", "notes.pdf"):
        with pytest.raises(ParameterError):
            upload_name(bad)

    with pytest.raises(ParameterError, match="empty"):
        save_upload(books, "libro.csv", b"")
    with pytest.raises(ParameterError, match="arbook's own"):
        save_upload(books, "invoices.csv", LIBRO.encode())
    screen = LoadData(books)
    content = LIBRO.encode()
    screen.uploader.value = (  # what the browser sends: the file's name, type, size and bytes
        {
            "name": "libro.csv",
            "type": "text/csv",
            "size": len(content),
            "last_modified": dt.datetime(2026, 6, 30, tzinfo=dt.UTC),
            "content": memoryview(content),
        },
    )
    assert screen.file == "libro.csv" and screen.uploader.value == ()


def test_data_files_lists_what_arbook_reads(books: Path):
    (books / "libro.csv").write_text(LIBRO, encoding="utf-8")
    (books / "notes.pdf").write_bytes(b"%PDF")
    (books / ".hidden.csv").write_text("x", encoding="utf-8")
    assert data_files(books) == ["libro.csv"]
    assert data_files(None) == [] and data_files(books / "missing") == []


def test_money_problems_and_issues_are_text_for_people(screen):
    assert money(123456, "EUR") == "1,234.56 EUR" and money(-5, None) == "-0.05"
    uploaded(screen)
    html = problems_html(["amount is <b>bad</b>"], screen.ledger)
    assert "amount is &lt;b&gt;bad&lt;/b&gt;" in html and "Problems (1)" in html
    listed = issue_list(screen.ledger.issues)
    assert "<b>warning</b> libro.csv open_items_only: " in listed  # its name, not its path
    assert "every row was read" in issue_list(screen.ledger.issues.iloc[0:0])
