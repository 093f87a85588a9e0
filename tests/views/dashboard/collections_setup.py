"""What the Collections tab's tests share: a copy of data/sample with its own contact log, a
policy naming the company, the currency and a local mail server (conftest's smtp_server), a
fixed clock (no wall clock), and the text a browser would show of some HTML.

Test modules import the fixtures they use (pytest finds them by name)."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil

import pytest
from conftest import ROOT

import arbook
from arbook.views.dashboard.collections_tab import CollectionsTab
from arbook.workbook.review import build_review

SAMPLE = ROOT / "data" / "sample"
AS_OF = "2026-10-31"
NOON = dt.datetime(2026, 10, 31, 12, 0, tzinfo=dt.UTC)


def visible(markup: str) -> str:
    """The text a browser shows of ``markup`` (tags and attributes dropped, blanks joined)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def ready_policy(port: int) -> dict:
    """A policy under which documents may go to customers, e-mailed through ``port``."""
    return {
        "currency": "EUR",
        "company": {"name": "Acme Supplies S.L.", "email": "ar@acme.example"},
        "smtp": {"host": "127.0.0.1", "port": port, "security": "none"},
    }


def make_tab(folder, policy, tmp_path, monkeypatch) -> CollectionsTab:
    """The Collections tab of ``folder`` under ``policy``, rendered as of :data:`AS_OF`, with
    its own log and "Ann Collector" in Who."""
    for name in ("ARBOOK_SMTP_HOST", "ARBOOK_SMTP_PORT", "ARBOOK_SMTP_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ARBOOK_LOG", str(tmp_path / "log.db"))
    ledger = arbook.read_ledger(folder, policy=policy)
    board = CollectionsTab(ledger, now=lambda: NOON)
    board.render(build_review(ledger, AS_OF))
    assert not board.status_is_error, board.status
    board.form["who"].value = "Ann Collector"
    return board


@pytest.fixture
def sample_copy(tmp_path):
    """A copy of data/sample (its policy.toml too)."""
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("collections.db", "outbox"))
    return copy


@pytest.fixture
def inbox(smtp_server):
    """A local mail server: (what it received, its port)."""
    return smtp_server, smtp_server.port


@pytest.fixture
def ready_tab(sample_copy, inbox, tmp_path, monkeypatch):
    """The tab of a sample copy whose documents may go to customers through :func:`inbox`."""
    board = make_tab(sample_copy, ready_policy(inbox[1]), tmp_path, monkeypatch)
    yield board
    board.log.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A copy of data/sample for a whole test module (read, not written: logs go elsewhere)."""
    copy = tmp_path_factory.mktemp("client") / "sample"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("collections.db", "outbox"))
    return copy


@pytest.fixture(scope="module")
def review(folder):
    return build_review(arbook.read_ledger(folder), AS_OF)


@pytest.fixture
def tab(review, tmp_path, monkeypatch):
    """The tab of :func:`review`'s ledger with its own empty contact log."""
    monkeypatch.setenv("ARBOOK_LOG", str(tmp_path / "log.db"))
    board = CollectionsTab(review.ledger, now=lambda: NOON)
    board.render(review)
    assert not board.status_is_error, board.status
    yield board
    board.log.close()


def fill(tab, **values) -> None:
    """Fill the contact form: ``values`` over a reached phone call by Ann Collector."""
    defaults = {
        "channel": "phone",
        "outcome": "reached",
        "who": "Ann Collector",
        "promise_amount": "",
        "promise_date": "",
        "next_date": "",
        "note": "",
    }
    for name, value in {**defaults, **values}.items():
        tab.form[name].value = value
