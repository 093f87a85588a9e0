"""Shared test helpers: small ledgers written inline as CSV text."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import arbook

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
IBM = SHARED / "data" / "ibm-watson-accounts-receivable.csv"
#: One folder per issue code, each with its files and the expected messages.
FIXTURES = ROOT / "tests" / "fixtures" / "issues"


def write_ledger(folder: Path, **tables: str) -> Path:
    """Write ``invoices=...``, ``payments=...`` (CSV text, indentation ignored) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return folder


def ledger_of(tmp_path: Path, **tables: str) -> arbook.Ledger:
    return arbook.read_ledger(write_ledger(tmp_path / "ledger", **tables))


@pytest.fixture(scope="session")
def ibm() -> arbook.Ledger:
    assert IBM.exists(), f"the IBM sample is expected at {IBM}"
    return arbook.read_ledger(IBM, preset="ibm")
