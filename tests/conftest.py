"""Shared test helpers: small ledgers written inline as CSV text (the usual header may be left
out: :func:`table_text`), :func:`ledger_of` and :func:`ledger_fixture`; contact log entries
(:func:`log_contacts`) and databases (the ``log_url`` fixture); a local mail server
(:func:`mail_server`, the ``smtp_server`` fixture). Every test starts with no language chosen
(``nothing_chosen``): English, whatever the machine's locale."""

from __future__ import annotations

import datetime as dt
import email.message
import fcntl
import os
import socket
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy as email_policy
from email.parser import BytesParser
from pathlib import Path

import pytest

import arbook
from arbook.core import i18n
from arbook.workbook.serve import ENV_LANG_FLAG

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

#: Where a language may be chosen outside the program: the suite clears them for every test.
LANGUAGE_VARIABLES = (i18n.ENV, ENV_LANG_FLAG, *i18n.LOCALE_VARIABLES)


@pytest.fixture(autouse=True)
def nothing_chosen(monkeypatch, tmp_path) -> Iterator[None]:
    """No --lang, no ARBOOK_LANG, no policy language, no system locale and no language the
    dashboard remembered (a scratch ``$ARBOOK_CONFIG_DIR``): English, so a test reads the same
    on a Spanish or Russian developer's machine; reset after the test."""
    for name in LANGUAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ARBOOK_CONFIG_DIR", str(tmp_path / "config"))
    i18n.set_language(None)
    i18n.set_policy_language(None)
    yield
    i18n.set_language(None)
    i18n.set_policy_language(None)


#: The header a table gets when its CSV text starts with a row (its key column is not in the
#: first line): the invoices', payments' and customers' usual columns, in this order.
HEADERS = {
    "invoices": "invoice_id,customer_id,invoice_date,due_date,amount",
    "payments": "payment_id,customer_id,payment_date,amount,invoice_id",
    "customers": "customer_id,name",
}
_KEYS = {"invoices": "invoice_id", "payments": "payment_id", "customers": "customer_id"}


def table_text(name: str, text: str) -> str:
    """``text`` (CSV, indentation ignored) as the file ``name``.csv holds it: :data:`HEADERS`'
    header put first when ``name`` has one and the first line of ``text`` (not empty) does not
    name its key column (invoice_id, payment_id, customer_id; any case, "Invoice ID" too)."""
    text = textwrap.dedent(text).strip()
    key = _KEYS.get(name)
    first = {
        f.strip().strip('"').lower().replace(" ", "_") for f in text.partition("\n")[0].split(",")
    }
    if text and key and key not in first:
        text = f"{HEADERS[name]}\n{text}"
    return text + "\n"


def write_ledger(folder: Path, **tables: str) -> Path:
    """Write ``invoices=...``, ``payments=...`` (CSV text, see :func:`table_text`) into
    ``folder``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(table_text(name, text), encoding="utf-8")
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


def ledger_of(tmp_path: Path, *, policy=None, **tables: str) -> arbook.Ledger:
    """The ledger of ``tables`` (see :func:`write_ledger`), written to ``tmp_path``/ledger and
    read under ``policy`` (None: the folder's own)."""
    return arbook.read_ledger(write_ledger(tmp_path / "ledger", **tables), policy=policy)


#: A book in EUR with USD 100.00 (I1) and EUR 10.00 (I2) invoiced on 2026-01-10, due 2026-02-09.
TWO_CURRENCIES = """
    invoice_id,customer_id,invoice_date,due_date,amount,applies_to,currency
    I1,A,2026-01-10,2026-02-09,100.00,,USD
    I2,A,2026-01-10,2026-02-09,10.00,,EUR
"""


def two_currency_book(tmp_path: Path, rates: str, **tables: str) -> arbook.Ledger:
    """:data:`TWO_CURRENCIES` read as a book in EUR with ``rates`` (CSV text) and ``tables``."""
    return ledger_of(
        tmp_path, policy={"currency": "EUR"}, invoices=TWO_CURRENCIES, rates=rates, **tables
    )


def ledger_fixture(*, policy=None, **tables: str):
    """A fixture giving :func:`ledger_of` ``tables``, fresh for each test: a test module says
    ``ledger = ledger_fixture(invoices=INVOICES, payments=PAYMENTS)``."""

    @pytest.fixture
    def ledger(tmp_path: Path) -> arbook.Ledger:
        return ledger_of(tmp_path, policy=policy, **tables)

    return ledger


#: The discount programme's ledger, worked by hand in tests/credit/test_discounts.py
#: (a net result of 9.76 a year at 20% and uptake 0.5): four customers, one invoice each on
#: 2026-03-01 due 2026-03-31 (30 days), paid on day A 10 (20 days early), B 30 (on time),
#: C 45 (15 late), D 90 (60 late).
DISCOUNT_AS_OF = "2026-06-30"
DISCOUNT_INVOICES = """
    A1,A,2026-03-01,2026-03-31,1000.00
    B1,B,2026-03-01,2026-03-31,2000.00
    C1,C,2026-03-01,2026-03-31,10000.00
    D1,D,2026-03-01,2026-03-31,4000.00
"""
DISCOUNT_PAYMENTS = """
    PA,A,2026-03-11,1000.00,A1
    PB,B,2026-03-31,2000.00,B1
    PC,C,2026-04-15,10000.00,C1
    PD,D,2026-05-30,4000.00,D1
"""


#: The credit check's customers, the same for ``arbook credit-check`` (tests/cli/
#: test_credit_check.py) and the dashboard's ship box (tests/views/dashboard/test_ship_box.py):
#: OK and LATE on a limit of 10,000.00, FULL on 1,000.00. What FULL and LATE owe is
#: :data:`CHECK_OWED`: F1 900.00 due 2026-07-10, L1 100.00 due 2026-06-20; each test module
#: puts OK's invoice before it (``"    K1,OK,..." + CHECK_OWED``).
CHECK_CUSTOMERS = """
    customer_id,name,credit_limit
    OK,Okay Ltd,10000.00
    FULL,Full Ltd,1000.00
    LATE,Late Ltd,10000.00
"""
CHECK_OWED = """
    F1,FULL,2026-06-10,2026-07-10,900.00
    L1,LATE,2026-05-21,2026-06-20,100.00
"""


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (tests/browser.py's flags) for one browser test module: one Playwright
    per module, as its sync API cannot start inside a running one."""
    from browser import launch

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


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


# --------------------------------------------------------------------------- a local mail server


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (a server to start, or one that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    """A local SMTP server's handler (aiosmtpd): ``envelopes`` it received, in order, and
    :meth:`messages`; it refuses the addresses in ``refuse`` (550). ``host`` and ``port`` are
    where :func:`mail_server` runs it."""

    def __init__(self, refuse=()):
        self.envelopes, self.refuse = [], set(refuse)
        self.host, self.port = "127.0.0.1", 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self) -> list[email.message.EmailMessage]:
        """The messages received, parsed."""
        return [
            BytesParser(policy=email_policy.default).parsebytes(e.content) for e in self.envelopes
        ]

    def settings(self, **options):
        """:class:`SmtpSettings` for this server, plain (no TLS, no login) unless ``options``."""
        from arbook.collections.documents import SmtpSettings

        return SmtpSettings(self.host, self.port, **{"security": "none", **options})


@contextmanager
def mail_server(refuse=(), **options) -> Iterator[MailServer]:
    """A :class:`MailServer` running in a thread on a free port of 127.0.0.1 until the block
    ends; ``options`` go to aiosmtpd's Controller (an authenticator, a TLS context...)."""
    from aiosmtpd.controller import Controller

    server = MailServer(refuse)
    server.port = free_port()
    controller = Controller(server, hostname=server.host, port=server.port, **options)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[MailServer]:
    """A local mail server for one test (see :func:`mail_server`): its ``host``, ``port``,
    ``envelopes`` and ``messages()``."""
    with mail_server() as server:
        yield server


# ------------------------------------------------------------------- the contact log's database

#: a PostgreSQL server to run the contact log's tests against as well (CI sets it)
PG_URL = os.environ.get("ARBOOK_TEST_POSTGRES_URL")
#: the back ends a contact log test runs on: SQLite, and PostgreSQL when :data:`PG_URL` is set
LOG_BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not PG_URL,
            reason="ARBOOK_TEST_POSTGRES_URL is unset; CI sets it to run these tests "
            "against PostgreSQL as well",
        ),
    ),
]


def _pg_admin(statement: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


@contextmanager
def pg_schema() -> Iterator[str]:
    """The URL of a PostgreSQL schema of its own on :data:`PG_URL` (parallel workers never see
    each other's rows), dropped when the block ends."""
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    _pg_admin(f"CREATE SCHEMA {schema}")
    try:
        url = sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        _pg_admin(f"DROP SCHEMA {schema} CASCADE")


def log_contacts(log, *entries) -> list[int]:
    """Add ``entries`` to the contact log ``log`` in order, each ``(customer, channel, outcome,
    who, at)`` with ``at`` as "YYYY-MM-DD HH:MM" in UTC and, for a promise, the cents and the
    date promised after it; returns their ids."""
    ids = []
    for customer, channel, outcome, who, at, *promise in entries:
        when = dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC)
        promised = (
            dict(zip(("promise_cents", "promise_date"), promise, strict=True)) if promise else {}
        )
        ids.append(
            log.add(customer, channel=channel, outcome=outcome, who=who, at=when, **promised)
        )
    return ids


@pytest.fixture(params=LOG_BACKENDS)
def log_url(request, tmp_path) -> Iterator[str]:
    """A contact log URL no other test uses: a SQLite file (``tmp_path``/collections.db) or a
    fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'collections.db'}"
        return
    with pg_schema() as url:
        yield url
