"""The contact log (SPEC §7) against SQLite and, when ARBOOK_TEST_POSTGRES_URL is set, PostgreSQL.

Each PostgreSQL test gets a schema of its own (dropped afterwards), so parallel workers never
see each other's rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from conftest import PG_URL, ledger_of

from arbook.collections.contacts import (
    HISTORY_COLUMNS,
    PROMISE_COLUMNS,
    SCHEMA_VERSION,
    ContactLog,
    find_log,
    log_location,
)
from arbook.core.config import resolve_policy
from arbook.core.errors import LogError, ParameterError
from arbook.credit import credit_holds

UTC = dt.UTC
MAY1 = dt.datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def url(log_url):
    """A database URL no other test uses: conftest's ``log_url`` (a SQLite file or a fresh
    PostgreSQL schema)."""
    return log_url


@pytest.fixture
def log(url):
    with ContactLog(url) as opened:
        yield opened


def call(log, customer="C1", **fields):
    values = {"channel": "phone", "outcome": "reached", "who": "ann", "at": MAY1, **fields}
    return log.add(customer, **values)


# ----------------------------------------------------------------------------- add and history


def test_add_and_history_columns(log):
    first = call(
        log,
        outcome="promise",
        promise_cents=12550,
        promise_date="2026-05-10",
        excuse="cheque_in_post",
        note="said Friday",
        next_date=dt.date(2026, 5, 11),
    )
    frame = log.history()
    assert list(frame.columns) == HISTORY_COLUMNS
    row = frame.iloc[0]
    assert row["id"] == first and row["customer_id"] == "C1" and row["who"] == "ann"
    assert row["at"] == pd.Timestamp("2026-05-01 09:00", tz="UTC")
    assert str(frame["at"].dt.tz) == "UTC"
    assert frame["promise_cents"].dtype == "Int64" and row["promise_cents"] == 12550
    assert row["promise_date"] == pd.Timestamp("2026-05-10")
    assert row["next_date"] == pd.Timestamp("2026-05-11")
    assert row["excuse"] == "cheque_in_post" and row["note"] == "said Friday"
    assert pd.isna(row["corrects"])


def test_empty_history_has_the_columns_and_types(log):
    frame = log.history()
    assert list(frame.columns) == HISTORY_COLUMNS and len(frame) == 0
    assert frame["promise_date"].dtype.kind == "M" and frame["promise_cents"].dtype == "Int64"


def test_history_is_newest_first_and_filters_by_customer(log):
    # Logged out of order; equal times fall back to the later id first.
    a = call(log, "C1", at=MAY1)
    b = call(log, "C2", at=MAY1 + dt.timedelta(days=2))
    c = call(log, "C1", at=MAY1 + dt.timedelta(days=1))
    d = call(log, "C1", at=MAY1 + dt.timedelta(days=1))
    # 11:00 in Paris (+02:00) is 09:00 UTC on 2026-05-04: the newest.
    e = call(log, "C3", at=dt.datetime(2026, 5, 4, 11, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    assert log.history()["id"].tolist() == [e, b, d, c, a]
    assert log.history("C1")["id"].tolist() == [d, c, a]
    assert log.history("nobody").empty
    assert log.history().iloc[0]["at"] == pd.Timestamp("2026-05-04 09:00", tz="UTC")


def test_at_defaults_to_now_in_utc(log):
    log.add("C1", channel="sms", outcome="no_answer", who="bob")
    stamp = log.history().iloc[0]["at"]
    assert not pd.isna(stamp) and str(stamp.tz) == "UTC"


def test_text_round_trips_exactly(log):
    texts = ['Zoë\'s "quote"; DROP TABLE contacts;--', "line one\nline two", "Отказ 💸", " "]
    ids = [call(log, note=text) for text in texts]
    notes = log.history().set_index("id")["note"]
    assert [notes[i] for i in ids] == texts


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"customer_id": ""}, "customer_id is ''"),
        ({"customer_id": None}, "customer_id is None"),
        ({"customer_id": "x" * 65}, "customer_id is 65 characters long; at most 64"),
        ({"channel": "fax"}, "channel is 'fax'; use one of phone, email"),
        ({"outcome": "maybe"}, "outcome is 'maybe'; use one of reached"),
        ({"who": "  "}, "who is '  '; it must be non-empty text"),
        ({"note": "n" * 2001}, "note is 2001 characters long; at most 2000"),
        ({"note": "a\x00b"}, "note 'a\\x00b' holds a NUL character"),
        ({"excuse": 42}, "excuse is 42; it must be text"),
        ({"at": dt.datetime(2026, 5, 1, 9)}, "at is 2026-05-01T09:00:00 without a timezone"),
        ({"at": "2026-05-01"}, "at is '2026-05-01'; it must be a datetime"),
        ({"next_date": "01/05/2026"}, "next_date is '01/05/2026'; it must be a date"),
        ({"next_date": "2026-02-30"}, "next_date is '2026-02-30'; day is out of range for month"),
        ({"next_date": MAY1}, "next_date is datetime.datetime(2026, 5, 1, 9, 0"),
        ({"next_date": "2026-04-30"}, "next_date 2026-04-30 is before the contact (2026-05-01)"),
        ({"outcome": "promise"}, "outcome 'promise' needs both promise_cents and promise_date"),
        ({"outcome": "promise", "promise_cents": 100}, "needs both promise_cents and promise_date"),
        ({"promise_cents": 100}, "promise_cents is given without promise_date"),
        ({"promise_date": "2026-05-09"}, "promise_date is given without promise_cents"),
        ({"promise_cents": 0, "promise_date": "2026-05-09"}, "promise_cents is 0; a promised"),
        ({"promise_cents": -5, "promise_date": "2026-05-09"}, "promise_cents is -5"),
        (
            {"promise_cents": 12.5, "promise_date": "2026-05-09"},
            "promise_cents is 12.5; it must be whole cents",
        ),
        ({"promise_cents": True, "promise_date": "2026-05-09"}, "promise_cents is True"),
        ({"promise_cents": 100, "promise_date": "2026-04-01"}, "promise_date 2026-04-01 is before"),
    ],
)
def test_each_bad_value_is_named(log, fields, message):
    values = {
        "customer_id": "C1",
        "channel": "phone",
        "outcome": "reached",
        "who": "ann",
        "at": MAY1,
        **fields,
    }
    with pytest.raises(ParameterError, match="contact entry not logged: .*" + re.escape(message)):
        log.add(values.pop("customer_id"), **values)
    assert log.history().empty


def test_every_problem_is_listed_at_once(log):
    with pytest.raises(ParameterError) as caught:
        log.add("", channel="fax", outcome="promise", who="", at=dt.datetime(2026, 1, 1))
    text = str(caught.value)
    for name in (
        "customer_id is ''",
        "who is ''",
        "channel is 'fax'",
        "without a timezone",
        "needs both promise_cents and promise_date",
    ):
        assert name in text


def test_a_dispute_may_carry_a_promise(log):
    call(log, outcome="dispute", promise_cents=500, promise_date="2026-05-20")
    assert log.history().iloc[0]["promise_cents"] == 500


def test_url_and_path_errors(tmp_path):
    with pytest.raises(ParameterError, match="either a database url or path=, not neither"):
        ContactLog()
    with pytest.raises(ParameterError, match="not both"):
        ContactLog("sqlite://", path=tmp_path / "x.db")
    with pytest.raises(ParameterError, match=r"folder .*missing does not exist"):
        ContactLog(path=tmp_path / "missing" / "collections.db")
    with pytest.raises(ParameterError, match="'mysql' is not supported; use sqlite or"):
        ContactLog("mysql://u:p@localhost/db")
    with pytest.raises(ParameterError, match="is not a database URL"):
        ContactLog("not a url")


def test_path_opens_a_sqlite_file_in_wal_mode(tmp_path):
    with ContactLog(path=tmp_path / "collections.db") as log:
        call(log)
    with sqlite3.connect(tmp_path / "collections.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("SELECT COUNT(*) FROM contacts").fetchone()[0] == 1


# ----------------------------------------------------------------------------- where the log is


def test_the_log_lives_in_the_data_folder_unless_arbook_log_says(tmp_path, monkeypatch):
    ledger = ledger_of(tmp_path, invoices=INVOICES)
    folder = tmp_path / "ledger"  # where ledger_of writes the client's files
    monkeypatch.delenv("ARBOOK_LOG", raising=False)
    assert log_location(folder=ledger.folder) == folder / "collections.db"
    monkeypatch.setenv("ARBOOK_LOG", "sqlite:///x.db")
    assert log_location(folder=ledger.folder) == "sqlite:///x.db"
    assert log_location("other.db", folder=ledger.folder) == Path("other.db")


def test_find_log_refuses_a_missing_file_it_was_told_of_and_waits_for_the_default(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("ARBOOK_LOG", raising=False)
    folder = ledger_of(tmp_path, invoices=INVOICES).folder
    missing = tmp_path / "typo.db"
    named = re.escape(f"contact log '{missing}': no such file")
    with pytest.raises(ParameterError, match=named):
        find_log(missing, folder=folder)
    monkeypatch.setenv("ARBOOK_LOG", str(missing))  # named by the environment: the same
    with pytest.raises(ParameterError, match=named):
        find_log(folder=folder)
    monkeypatch.delenv("ARBOOK_LOG")
    assert find_log(folder=folder) is None  # no collections.db started yet: not an error
    ContactLog(path=folder / "collections.db").close()
    assert find_log(folder=folder) == folder / "collections.db"
    url = "postgresql+psycopg://ann@db.example.com/arbook"
    assert find_log(url, folder=folder) == url  # a URL is not looked for on disk


# ----------------------------------------------------------------------------- corrections


def test_a_correction_supersedes_the_entry(log):
    old = call(log, outcome="promise", promise_cents=10000, promise_date="2026-05-10")
    other = call(log, "C2", at=MAY1 - dt.timedelta(days=1))
    new = log.correct(old, promise_cents=8000, note="it was 80.00")
    current = log.history()
    assert current["id"].tolist() == [new, other]  # keeps the contact's own time
    row = current.iloc[0]
    assert row["corrects"] == old and row["promise_cents"] == 8000
    assert row["who"] == "ann" and row["promise_date"] == pd.Timestamp("2026-05-10")
    trail = log.history(superseded=True)
    assert trail["id"].tolist() == [new, old, other]
    assert trail.set_index("id").loc[old, "promise_cents"] == 10000


def test_a_correction_can_move_the_entry_and_be_corrected(log):
    old = call(log, "C1")
    moved = log.correct(old, customer_id="C9")
    assert log.history("C1").empty and log.history("C9")["id"].tolist() == [moved]
    again = log.correct(moved, outcome="no_answer")
    assert log.history()["id"].tolist() == [again]
    assert log.history(superseded=True)["corrects"].tolist() == [moved, old, pd.NA]


def test_correction_errors(log):
    old = call(log)
    with pytest.raises(ParameterError, match=r"needs fields to change .*got none"):
        log.correct(old)
    with pytest.raises(ParameterError, match=r"got \['amount'\]"):
        log.correct(old, amount=5)
    with pytest.raises(ParameterError, match="contact entry 999 does not exist"):
        log.correct(999, note="x")
    with pytest.raises(ParameterError, match="channel is 'pigeon'"):
        log.correct(old, channel="pigeon")
    new = log.correct(old, note="fixed")
    with pytest.raises(ParameterError, match=f"already corrected by entry {new}; correct {new}"):
        log.correct(old, note="twice")
    assert len(log.history(superseded=True)) == 2


# ----------------------------------------------------------------------------- promises

# Every promise is made on 2026-05-01 (09:00 UTC) for 100.00 by 2026-05-10.
# KEPT: 60.00 on 05-03 + 40.00 on 05-10 (the last day counts) = 100.00 -> kept.
# PART: 50.00 on 05-05 -> open up to 05-10, broken from 05-11; paid 50.00.
# EARLY: 100.00 on 04-30, before the promise -> counts for nothing.
# LATE: 100.00 on 05-11, after the promise date -> broken on 05-11; paid 0.
# SAME: 100.00 on 05-01, the day the promise was made -> kept.
# FIXED: promised 200.00, corrected to 30.00; pays 30.00 on 05-02 -> kept.
CUSTOMERS = ["KEPT", "PART", "EARLY", "LATE", "SAME", "FIXED"]
INVOICES = "invoice_id,customer_id,invoice_date,due_date,amount\n" + "\n".join(
    f"I{n},{c},2026-03-01,2026-03-31,500.00" for n, c in enumerate(CUSTOMERS)
)
PAYMENTS = """
    P1,KEPT,2026-05-03,60.00,I0
    P2,KEPT,2026-05-10,40.00,I0
    P3,PART,2026-05-05,50.00,I1
    P4,EARLY,2026-04-30,100.00,I2
    P5,LATE,2026-05-11,100.00,I3
    P6,SAME,2026-05-01,100.00,I4
    P7,FIXED,2026-05-02,30.00,I5
"""


@pytest.fixture
def promised(log, tmp_path):
    ledger = ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS)
    for customer in CUSTOMERS:
        call(log, customer, outcome="promise", promise_cents=10000, promise_date="2026-05-10")
    fixed = log.history("FIXED")["id"].iloc[0]
    log.correct(int(fixed), promise_cents=3000)
    call(log, "KEPT", outcome="reached")  # no promise: not listed
    return log, ledger


def _statuses(log, ledger, as_of) -> dict:
    frame = log.promises(ledger, as_of)
    assert list(frame.columns) == PROMISE_COLUMNS
    return frame.set_index("customer_id")[["status", "paid_cents"]].apply(tuple, axis=1).to_dict()


def test_promises_on_their_date(promised):
    log, ledger = promised
    assert _statuses(log, ledger, "2026-05-10") == {
        "KEPT": ("kept", 10000),
        "PART": ("open", 5000),
        "EARLY": ("open", 0),
        "LATE": ("open", 0),
        "SAME": ("kept", 10000),
        "FIXED": ("kept", 3000),
    }


def test_promises_break_the_day_after(promised):
    log, ledger = promised
    assert _statuses(log, ledger, "2026-05-11") == {
        "KEPT": ("kept", 10000),
        "PART": ("broken", 5000),
        "EARLY": ("broken", 0),
        "LATE": ("broken", 0),
        "SAME": ("kept", 10000),
        "FIXED": ("kept", 3000),
    }


def test_payments_after_as_of_are_not_known_yet(promised):
    log, ledger = promised
    # As of 05-02 KEPT has paid nothing yet (its payments are dated 05-03 and 05-10).
    assert _statuses(log, ledger, "2026-05-02")["KEPT"] == ("open", 0)


def test_promises_made_after_as_of_are_left_out(promised):
    log, ledger = promised
    assert log.promises(ledger, "2026-04-30").empty


def test_credit_holds_count_broken_promises_from_the_log(promised):
    # As of 05-11 PART, EARLY and LATE have broken one promise each (see above): with a rule
    # of one broken promise those three are held for it, and only they.
    log, ledger = promised
    default = resolve_policy(None)
    credit = default.credit.model_copy(update={"broken_promises": 1})
    policy = default.model_copy(update={"credit": credit})
    holds = credit_holds(ledger, "2026-05-11", policy=policy, log=log)
    broken = holds[holds["reasons"].str.contains("1 broken promise in")]["customer_id"]
    assert sorted(broken) == ["EARLY", "LATE", "PART"]


def test_promise_columns_serve_credit_holds(promised):
    log, ledger = promised
    frame = log.promises(ledger, "2026-05-11")
    assert frame["paid_cents"].dtype == "int64" and frame["promise_date"].dtype.kind == "M"
    assert str(frame["made_at"].dt.tz) == "UTC"
    assert frame.loc[frame["customer_id"] == "FIXED", "promise_cents"].tolist() == [3000]
    with pytest.raises(ParameterError, match="as-of date '11/05/2026' is not a date"):
        log.promises(ledger, "11/05/2026")


# ----------------------------------------------------------------------------- export

HOSTILE = "=cmd|' /C calc'!A0"


def _hostile(log):
    call(log, "+C1", who="@eve", note=HOSTILE, excuse="-2+3")
    call(log, "C2", note="plain = fine")


def test_export_csv_neutralises_formulas(log, tmp_path):
    _hostile(log)
    path = log.export(tmp_path / "contacts.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == HISTORY_COLUMNS
    hostile = next(r for r in rows if r["note"].endswith("A0"))
    assert hostile["note"] == "'" + HOSTILE and hostile["customer_id"] == "'+C1"
    assert hostile["who"] == "'@eve" and hostile["excuse"] == "'-2+3"
    assert hostile["at"] == "2026-05-01T09:00:00+00:00"
    assert next(r for r in rows if r["customer_id"] == "C2")["note"] == "plain = fine"


def test_export_xlsx_neutralises_formulas(log, tmp_path):
    _hostile(log)
    path = log.export(tmp_path / "contacts.xlsx")
    sheet = openpyxl.load_workbook(path).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.value for c in next(sheet.iter_rows())] == HISTORY_COLUMNS
    assert all(cell.data_type != "f" for cell in cells)
    values = {cell.value for cell in cells}
    assert {"'" + HOSTILE, "'+C1", "'@eve", "'-2+3", "plain = fine"} <= values
    assert dt.datetime(2026, 5, 1, 9, 0) in values  # at, in UTC


def test_export_refuses_other_suffixes(log, tmp_path):
    with pytest.raises(ParameterError, match=r"cannot write .json files; name it .csv or .xlsx"):
        log.export(tmp_path / "contacts.json")


# ----------------------------------------------------------------------------- schema versions

V1_TYPES = {
    "sqlite": {
        "serial": "INTEGER PRIMARY KEY AUTOINCREMENT",
        "timestamp": "TIMESTAMP",
        "at": "2026-03-01 10:00:00.000000",
    },
    "postgresql": {
        "serial": "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        "timestamp": "TIMESTAMPTZ",
        "at": "2026-03-01 10:00:00+00",
    },
}
V1 = [
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY)",
    "INSERT INTO schema_version (version) VALUES (1)",
    "CREATE TABLE contacts (id {serial}, at {timestamp} NOT NULL,"
    " recorded_at {timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP,"
    " customer_id VARCHAR(64) NOT NULL, who VARCHAR(80) NOT NULL, channel VARCHAR(16) NOT NULL,"
    " outcome VARCHAR(16) NOT NULL, excuse VARCHAR(200), promise_cents BIGINT,"
    " promise_date DATE, next_date DATE, note TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX contacts_customer ON contacts (customer_id)",
    "INSERT INTO contacts (at, customer_id, who, channel, outcome, promise_cents, promise_date,"
    " note) VALUES ('{at}', 'OLD', 'ann', 'phone', 'promise', 5000, '2026-03-10', 'from v1')",
]


def _raw(url: str, statements) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement.format(**V1_TYPES[engine.dialect.name]))
    finally:
        engine.dispose()


def test_a_v1_database_is_migrated(url):
    _raw(url, V1)
    with ContactLog(url) as log:
        assert log.migrated_from == 1
        old = log.history()
        assert old["note"].tolist() == ["from v1"] and pd.isna(old["corrects"].iloc[0])
        assert old["at"].iloc[0] == pd.Timestamp("2026-03-01 10:00", tz="UTC")
        new = log.correct(int(old["id"].iloc[0]), promise_cents=6000)
        assert log.history()["corrects"].tolist() == [old["id"].iloc[0]]
    with ContactLog(url) as log:
        assert log.migrated_from == SCHEMA_VERSION
        assert log.history()["id"].tolist() == [new]


def test_a_newer_database_is_refused(url):
    ContactLog(url).close()
    _raw(url, ["INSERT INTO schema_version (version) VALUES (99)"])
    with pytest.raises(
        LogError,
        match=f"schema version 99 is newer than this arbook "
        f"knows \\({SCHEMA_VERSION}\\); upgrade arbook",
    ):
        ContactLog(url)


# ----------------------------------------------------------------------------- processes

# A writer process: ``url tag count confirmed_file``; after each add returns (committed) it
# appends the new id to the confirmed file, so that file lists only entries the log promised.
WRITER = """
import sys, datetime as dt
from arbook.collections.contacts import ContactLog
url, tag, count, confirmed = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
at = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
with ContactLog(url) as log, open(confirmed, "a", encoding="utf-8") as out:
    for i in range(count):
        entry = log.add(tag, channel="phone", outcome="reached", who=tag, note=str(i), at=at)
        out.write(f"{entry}\\n")
        out.flush()
"""


def _writer(url, tag, count, confirmed) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, url, tag, str(count), str(confirmed)],
        stderr=subprocess.PIPE,
        text=True,
    )


def _confirmed(path) -> set[int]:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return {int(line) for line in text.split("\n")[:-1]}  # the last piece may be half written


def test_two_processes_lose_nothing(url, tmp_path):
    # Both start on a database that does not exist yet, so they also race to create it.
    writers = [_writer(url, tag, 500, tmp_path / f"{tag}.txt") for tag in ("A", "B")]
    for proc in writers:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with ContactLog(url) as log:
        frame = log.history()
    assert len(frame) == 1000 and frame["id"].is_unique
    assert frame["customer_id"].value_counts().to_dict() == {"A": 500, "B": 500}
    for tag in ("A", "B"):
        notes = frame.loc[frame["customer_id"] == tag, "note"].astype(int)
        assert sorted(notes) == list(range(500))
        assert _confirmed(tmp_path / f"{tag}.txt") == set(frame.loc[notes.index, "id"])


def test_a_killed_writer_leaves_every_committed_entry(url, tmp_path):
    ContactLog(url).close()
    confirmed = tmp_path / "confirmed.txt"
    proc = _writer(url, "K", 1_000_000, confirmed)
    try:
        with ContactLog(url) as log:
            deadline = time.monotonic() + 60
            while len(log.history()) < 200:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "the writer never got to 200 entries"
                time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    if url.startswith("sqlite"):
        with sqlite3.connect(sa.make_url(url).database) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with ContactLog(url) as log:
        stored = set(log.history()["id"])
        call(log, "after")  # and it still takes new entries
    promised = _confirmed(confirmed)
    assert len(promised) >= 200 and promised <= stored
    assert len(stored) - len(promised) <= 1  # at most the one committed but not yet noted


# ----------------------------------------------------------------------------- failures

# Each failure is one LogError naming the log, what is wrong and what to do; a failed write
# leaves the log as it was and says the contact was not saved; reading never changes the file.


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` and its bytes: what 'nothing was changed' compares."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _integrity(file: Path) -> list:
    with sqlite3.connect(file) as raw:
        return raw.execute("PRAGMA integrity_check").fetchall()


def _long_log(file: Path, entries: int = 40) -> None:
    """A real log of ``entries`` contacts with 1,000-character notes (some 12 pages)."""
    with ContactLog(path=file) as log:
        for n in range(entries):
            call(log, note=f"{n:03} " + "n" * 996)


def _not_a_database(folder: Path) -> Path:
    file = folder / "collections.db"
    file.write_text("invoice_id,customer_id,amount\nI1,C1,100.00\n", encoding="utf-8")
    return file


def _truncated(folder: Path) -> Path:
    file = folder / "collections.db"
    _long_log(file)
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2])
    return file


def _foreign_table(folder: Path) -> Path:
    file = folder / "collections.db"
    with sqlite3.connect(file) as raw:
        raw.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        raw.execute("INSERT INTO contacts VALUES ('Ann', '555-0100')")
    return file


BAD_LOGS = {
    "not a database": (_not_a_database, "is not a SQLite database (another file saved under"),
    "truncated": (_truncated, "is damaged: cut short or overwritten (SQLite: database disk"),
    "foreign table": (_foreign_table, "holds tables arbook did not make (table contacts with"),
}


@pytest.mark.parametrize("kind", list(BAD_LOGS))
def test_a_bad_log_file_is_named_and_left_as_it_was(tmp_path, kind):
    make, fact = BAD_LOGS[kind]
    file = make(tmp_path)
    before = _snapshot(tmp_path)
    with pytest.raises(LogError) as caught, ContactLog(path=file) as log:
        log.history()  # a truncated file may open and fail on the pages it lost
    assert str(caught.value).startswith(f"contact log {file} {fact}")
    assert "arbook changed nothing in it" in str(caught.value)
    assert _snapshot(tmp_path) == before  # not repaired, no journal left beside it


def test_a_foreign_contacts_table_is_refused_unchanged(url):
    _raw(url, ["CREATE TABLE contacts (name VARCHAR(40), phone VARCHAR(20))"])
    with pytest.raises(LogError) as caught:
        ContactLog(url)
    assert (
        "holds tables arbook did not make (table contacts with columns name, phone; "
        "arbook's needs at, channel, customer_id, excuse, id, next_date, note, outcome, "
        "promise_cents, promise_date, who); arbook changed nothing in it. Give the contact "
        "log a database of its own"
    ) in str(caught.value)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) == {"contacts"}  # no schema_version
    finally:
        engine.dispose()


def test_a_schema_version_table_without_contacts_is_refused(url):
    _raw(url, ["CREATE TABLE schema_version (version INTEGER PRIMARY KEY)"])
    _raw(url, ["INSERT INTO schema_version (version) VALUES (2)"])
    with pytest.raises(LogError, match="table contacts missing; arbook's needs at, channel"):
        ContactLog(url)


@pytest.fixture
def full_disk():
    """Call it to make every SQLite database opened afterwards unable to grow: its
    max_page_count is set to its size, so a write needing one more page fails with SQLite's own
    'database or disk is full', as on a full disk."""
    installed = []

    def cap(dbapi_connection, _record):
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute("PRAGMA max_page_count = 1")  # never below its size

    def install():
        sa.event.listen(sa.pool.Pool, "connect", cap)
        installed.append(cap)

    yield install
    if installed:
        sa.event.remove(sa.pool.Pool, "connect", cap)


def _fill(log, saved: list[int]) -> None:
    """Add 2,000-character notes to ``log``, each id to ``saved``, until one is refused (the
    last page of a full log fills within a few)."""
    for n in range(50):
        saved.append(call(log, note=f"{n:02} " + "x" * 1990))


def test_a_full_disk_refuses_the_entry_and_keeps_the_log(tmp_path, full_disk):
    file = tmp_path / "collections.db"
    with ContactLog(path=file) as log:
        first = call(log, note="before")
    full_disk()
    saved = [first]
    with ContactLog(path=file) as log:
        with pytest.raises(LogError) as caught:
            _fill(log, saved)
        assert log.history()["id"].tolist()[::-1] == saved
    assert str(caught.value) == (
        f"contact log {file} cannot grow: the disk is full (SQLite: database or disk is full);"
        " the contact was not saved and the log is as it was. Free space on the disk, or move"
        " the log to another disk and set ARBOOK_LOG (or --log) to it, then try again"
    )
    assert _integrity(file) == [("ok",)]
    with ContactLog(path=file) as log:
        assert log.history()["id"].tolist()[::-1] == saved


# Opens a log, limits the size of any file this process writes (RLIMIT_FSIZE; Python ignores
# SIGXFSZ, so a write past it fails instead of killing the process) and adds until refused.
FILE_SIZE = """
import datetime as dt, resource, sys
from pathlib import Path
from arbook.collections.contacts import ContactLog
from arbook.core.errors import LogError
at = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
with ContactLog(path=sys.argv[1]) as log:
    folder = Path(sys.argv[1]).parent
    limit = max(f.stat().st_size for f in folder.iterdir()) + int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    print(limit)
    saved = []
    try:
        for n in range(1000):
            note = f"{n:03} " + "x" * 1990
            entry = log.add("C1", channel="phone", outcome="reached", who="a", note=note, at=at)
            saved.append(entry)
    except LogError as exc:
        print(",".join(map(str, saved)))
        print(exc)
"""


def test_a_file_size_limit_refuses_the_entry_and_keeps_the_log(tmp_path):
    file = tmp_path / "collections.db"
    done = subprocess.run(
        [sys.executable, "-c", FILE_SIZE, str(file), "120000"],  # room for some 7 entries
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    limit, ids, message = done.stdout.splitlines()
    assert message.startswith(f"contact log {file} could not be read or written: the disk")
    assert message.endswith(
        "the contact was not saved and the log is as it was. This process may not write "
        f"files over {int(limit):,} bytes (the file-size limit, ulimit -f): raise the limit, "
        "then try again"
    )
    saved = [int(i) for i in ids.split(",")]
    assert len(saved) >= 3  # it did write until the limit
    assert _integrity(file) == [("ok",)]
    with ContactLog(path=file) as log:
        assert log.history()["id"].tolist()[::-1] == saved


def test_a_lock_held_too_long_refuses_the_entry_and_reading_goes_on(tmp_path, monkeypatch):
    from arbook.collections import contacts_db

    monkeypatch.setattr(contacts_db, "BUSY_TIMEOUT_MS", 200)
    file = tmp_path / "collections.db"
    ContactLog(path=file).close()
    other = sqlite3.connect(file, isolation_level=None)  # another program, mid-write
    try:
        other.execute("BEGIN IMMEDIATE")
        with ContactLog(path=file) as log:  # opening only reads: the lock does not stop it
            with pytest.raises(LogError) as caught:
                call(log, note="typed while locked")
            assert log.history().empty
            other.execute("ROLLBACK")
            call(log, note="typed again")
            assert log.history()["note"].tolist() == ["typed again"]
    finally:
        other.close()
    assert str(caught.value) == (
        f"contact log {file} is locked: another program has been writing to it for over 0.2 s"
        " (another arbook dashboard, a backup or a sync tool?); the contact was not saved and"
        " the log is as it was. Wait for it to finish or close it, then try again"
    )


def test_a_server_out_of_reach_is_named_without_its_password():
    # Nothing listens on port 1 of this machine: the connection is refused at once.
    with pytest.raises(LogError) as caught:
        ContactLog("postgresql+psycopg://ann:s3cret-pw@127.0.0.1:1/arbook")
    text = str(caught.value)
    assert text.startswith(
        "contact log postgresql+psycopg://ann:***@127.0.0.1:1/arbook cannot connect ("
    )
    assert "Connection refused" in text and "s3cret-pw" not in text
    assert text.endswith(
        "arbook changed nothing in it. Check the host, port, user, password and database in "
        "the URL (or ARBOOK_LOG) and that the server is running"
    )


@pytest.mark.skipif(not PG_URL, reason="ARBOOK_TEST_POSTGRES_URL is unset")
def test_a_wrong_password_is_named_without_it():
    wrong = sa.make_url(PG_URL).set(password="not-the-pw")
    with pytest.raises(LogError) as caught:
        ContactLog(wrong.render_as_string(hide_password=False))
    text = str(caught.value)
    assert text.startswith(f"contact log {wrong.render_as_string()} cannot connect (")
    assert "password authentication failed" in text and "not-the-pw" not in text


# -- a read-only folder (run where file permissions bind: as root, without root's overrides)

ROOT_OVERRIDES = "-dac_override,-dac_read_search,-fowner"

# Reads each log named, tries to add to it; prints what happened to each, as JSON.
READ_ONLY = """
import datetime as dt, json, sys
from arbook.collections.contacts import ContactLog
from arbook.core.errors import LogError
outs = []
for path in sys.argv[1:]:
    out = {}
    try:
        with ContactLog(path=path) as log:
            out["notes"] = log.history()["note"].tolist()
            try:
                log.add("C1", channel="phone", outcome="reached", who="ann", note="typed",
                        at=dt.datetime(2026, 5, 2, tzinfo=dt.timezone.utc))
            except LogError as exc:
                out["add"] = str(exc)
    except LogError as exc:
        out["open"] = str(exc)
    outs.append(out)
print(json.dumps(outs))
"""


def _bound_by_permissions(argv: list[str]) -> list[str]:
    """``argv`` run so that a read-only folder binds it: as is for a user; for root, through
    setpriv without the capabilities that let root write anywhere."""
    if os.geteuid() != 0:
        return argv
    wrapped = ["setpriv", "--bounding-set", ROOT_OVERRIDES, "--"]
    probe = subprocess.run([*wrapped, "true"], capture_output=True)
    if probe.returncode:
        pytest.skip(f"root cannot drop its overrides here: {probe.stderr!r}")
    return [*wrapped, *argv]


def _read_only_run(*files: Path, folder_mode=0o555, file_mode=None) -> list[dict]:
    """Run READ_ONLY on ``files`` (of one folder) with the folder (and the files, given
    ``file_mode``) made read-only meanwhile."""
    import json

    folder = files[0].parent
    if file_mode is not None:
        for file in files:
            file.chmod(file_mode)
    folder.chmod(folder_mode)
    try:
        done = subprocess.run(
            _bound_by_permissions([sys.executable, "-c", READ_ONLY, *map(str, files)]),
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        folder.chmod(0o755)
        for file in files:
            if file.exists():
                file.chmod(0o644)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_log_is_read_and_refuses_writes(tmp_path, what):
    folder = tmp_path / "client"
    folder.mkdir()
    file = folder / "collections.db"
    with ContactLog(path=file) as log:
        call(log, note="one")
        call(log, note="two", at=MAY1 + dt.timedelta(hours=1))
    before = _snapshot(folder)
    modes = {"folder": {}, "file": {"folder_mode": 0o755, "file_mode": 0o444}}[what]
    (out,) = _read_only_run(file, **modes)
    assert out["notes"] == ["two", "one"]
    reason = {"folder": f"its folder {folder} is not writable", "file": "the file is not writable"}
    assert out["add"] == (
        f"contact log {file} is read-only here ({reason[what]}); the contact was not saved "
        f"and the log is as it was. Ask for write access to {folder}, or set ARBOOK_LOG (or "
        "--log) to a log you may write"
    )
    assert _snapshot(folder) == before


def test_a_read_only_folder_still_shows_what_a_writer_has_not_checkpointed(tmp_path):
    # The writer keeps the log open, so its entries wait in collections.db-wal: reading the
    # main file alone (immutable) would miss them.
    folder = tmp_path / "client"
    folder.mkdir()
    file = folder / "collections.db"
    with ContactLog(path=file) as writer:
        call(writer, note="in the journal")
        assert (folder / "collections.db-wal").stat().st_size > 0
        (out,) = _read_only_run(file)
    assert out["notes"] == ["in the journal"] and "is read-only here" in out["add"]


def test_a_read_only_folder_cannot_start_or_upgrade_a_log(tmp_path):
    folder = tmp_path / "client"
    folder.mkdir()
    old, new = folder / "old.db", folder / "new.db"
    _raw(f"sqlite:///{old}", V1)
    before = _snapshot(folder)
    assert _read_only_run(old, new) == [
        {
            "open": f"contact log {old} is read-only here (its folder {folder} is not "
            "writable) and is at schema version 1; it needs write access once to be set up "
            f"for this arbook ({SCHEMA_VERSION}). Ask for write access to {folder}; arbook "
            "changed nothing"
        },
        {
            "open": f"contact log {new} cannot be started: its folder {folder} is not "
            f"writable. Ask for write access to {folder}, or set ARBOOK_LOG (or --log) to a "
            "log you may write"
        },
    ]
    assert _snapshot(folder) == before


# -- where the failures are shown: the CLI in one line, the dashboard in its status line


@pytest.mark.parametrize("kind", list(BAD_LOGS))
def test_the_cli_shows_a_bad_log_in_one_line(tmp_path, monkeypatch, capsys, kind):
    from arbook.cli.commands import main

    monkeypatch.delenv("ARBOOK_LOG", raising=False)
    folder = ledger_of(tmp_path, invoices=INVOICES).folder
    make, fact = BAD_LOGS[kind]
    file = make(folder)
    elsewhere = tmp_path / "elsewhere.db"
    elsewhere.write_bytes(file.read_bytes())
    for argv, named in (
        (["worklist", folder, "--as-of", "2026-05-31"], file),
        (["holds", folder, "--as-of", "2026-05-31", "--log", elsewhere], elsewhere),
    ):
        code = main([str(a) for a in argv])
        err = capsys.readouterr().err
        assert code != 0 and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1, err
        assert f"contact log {named} {fact}" in err


def _tab(tmp_path, monkeypatch, log_file):
    from arbook.views.dashboard.collections_tab import CollectionsTab
    from arbook.workbook.review import build_review

    monkeypatch.setenv("ARBOOK_LOG", str(log_file))
    ledger = ledger_of(tmp_path, invoices=INVOICES)
    tab = CollectionsTab(ledger, now=lambda: MAY1)
    tab.render(build_review(ledger, "2026-05-31"))
    return tab


def test_the_dashboard_shows_a_bad_log_in_its_status_line(tmp_path, monkeypatch):
    file = _not_a_database(tmp_path)
    tab = _tab(tmp_path, monkeypatch, file)
    assert tab.status_is_error
    assert tab.status.startswith(f"contact log {file} is not a SQLite database")
    assert "Something went wrong" not in tab.status and tab.worklist_frame.empty


def test_the_dashboard_keeps_the_form_when_the_log_is_locked(tmp_path, monkeypatch):
    from arbook.collections import contacts_db

    monkeypatch.setattr(contacts_db, "BUSY_TIMEOUT_MS", 200)
    file = tmp_path / "collections.db"
    tab = _tab(tmp_path, monkeypatch, file)
    assert not tab.status_is_error, tab.status
    tab.pick("KEPT")
    tab.form["who"].value, tab.form["note"].value = "ann", "said Friday"
    other = sqlite3.connect(file, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        assert tab.log_contact() is None
        assert tab.status_is_error and "the contact was not saved" in tab.status
        assert tab.status.startswith(f"contact log {file} is locked")
        assert tab.form["note"].value == "said Friday" and tab.form["who"].value == "ann"
        other.execute("ROLLBACK")
    finally:
        other.close()
    entry = tab.log_contact()
    assert entry is not None and tab.log.history()["note"].tolist() == ["said Friday"]
    tab.log.close()
