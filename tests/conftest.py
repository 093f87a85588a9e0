"""Shared test helpers: small ledgers written inline as CSV text."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest

import arbook

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
IBM = SHARED / "data" / "ibm-watson-accounts-receivable.csv"
SAMPLE = ROOT / "data" / "sample"
#: One folder per issue code, each with its files and the expected messages.
FIXTURES = ROOT / "tests" / "fixtures" / "issues"
#: exports in the accounting systems' layouts, with what a correct import gives (EXPECTED.md)
EXAMPLES = SHARED / "import-examples"
#: the date every import example is as of
EXAMPLES_AS_OF = "2026-06-30"
BUCKETS = ["current", "1-30", "31-60", "61-90", "91-120", "121+"]


def write_ledger(folder: Path, **tables: str) -> Path:
    """Write ``invoices=...``, ``payments=...`` (CSV text, indentation ignored) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return folder


def write_workbook(path: Path, **sheets: list[list[object]]) -> Path:
    """An .xlsx at ``path`` with one sheet per keyword (its title), each a list of rows."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def ledger_of(tmp_path: Path, **tables: str) -> arbook.Ledger:
    return arbook.read_ledger(write_ledger(tmp_path / "ledger", **tables))


#: The discount programme's ledger, worked by hand in tests/credit/test_discounts.py
#: (a net result of 9.76 a year at 20% and uptake 0.5): four customers, one invoice each on
#: 2026-03-01 due 2026-03-31 (30 days), paid on day A 10 (20 days early), B 30 (on time),
#: C 45 (15 late), D 90 (60 late).
DISCOUNT_AS_OF = "2026-06-30"
DISCOUNT_INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount
    A1,A,2026-03-01,2026-03-31,1000.00
    B1,B,2026-03-01,2026-03-31,2000.00
    C1,C,2026-03-01,2026-03-31,10000.00
    D1,D,2026-03-01,2026-03-31,4000.00
"""
DISCOUNT_PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id
    PA,A,2026-03-11,1000.00,A1
    PB,B,2026-03-31,2000.00,B1
    PC,C,2026-04-15,10000.00,C1
    PD,D,2026-05-30,4000.00,D1
"""


@pytest.fixture
def discount_ledger(tmp_path: Path) -> arbook.Ledger:
    return ledger_of(tmp_path, invoices=DISCOUNT_INVOICES, payments=DISCOUNT_PAYMENTS)


@pytest.fixture(scope="session")
def ibm() -> arbook.Ledger:
    assert IBM.exists(), f"the IBM sample is expected at {IBM}"
    return arbook.read_ledger(IBM, preset="ibm")


@contextmanager
def _locked(path: Path):
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory, worker_id) -> dict[str, Path]:
    """The sample's monthly review as of 2026-10-31, made once for the whole suite by
    ``arbook review`` (a notebook runs once per suite): ``html``, ``notebook`` and ``out``.
    Under pytest-xdist the workers share it through a folder and a lock; the command runs in a
    subprocess so that papermill's asyncio loop stays out of the test processes (Playwright's
    sync API refuses to start inside a running loop)."""
    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent
    out = shared / "sample-report"
    html = out / "sample" / "2026-10" / "monthly_review.html"
    with _locked(shared / "sample-report.lock"):
        if not html.is_file():
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "arbook.cli",
                    "review",
                    str(SAMPLE),
                    "--as-of",
                    "2026-10-31",
                    "--out",
                    str(out),
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=600,
                check=False,
            )
            assert done.returncode == 0, done.stderr[-2000:]
            assert done.stdout.strip() == str(html)
    return {"html": html, "notebook": html.with_suffix(".ipynb"), "out": out}


# The IBM layout (dates month/day/year): 0001 settled on 1/15/2013; 0002 disputed and open.
IBM_ROWS = (
    "countryCode,customerID,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,"
    "SettledDate,DaysLate\n"
    """391,C1,0001,1/2/2013,2/1/2013,55.94,No,1/15/2013,0
406,C2,0002,1/26/2013,2/25/2013,61.74,Yes,,0
"""
)


@pytest.fixture
def ibm_file(tmp_path: Path) -> Path:
    """Two rows in the IBM sample's layout, as ar.csv."""
    path = tmp_path / "ar.csv"
    path.write_text(IBM_ROWS, encoding="utf-8")
    return path


def figures(ledger: arbook.Ledger, as_of: str = EXAMPLES_AS_OF) -> dict[str, int]:
    """The figures EXPECTED.md gives for an import example, in cents: each bucket, the total
    receivable, unapplied, the net receivable and the number of open items."""
    summary = arbook.aging_summary(ledger, as_of)
    items = arbook.aging(ledger, as_of)
    out = {b: int(summary[f"{b}_cents"].sum()) for b in BUCKETS}
    out["receivable"] = int(summary["receivable_cents"].sum())
    out["unapplied"] = int(summary["unapplied_cents"].sum())
    out["net"] = int(items["outstanding_cents"].sum())
    out["items"] = len(items)
    return out
