"""The contact log's database (:mod:`arbook.collections.contacts_db`): how a log is opened and
how the database's codes become messages. Each failure through :class:`ContactLog` (read-only,
full, size limit, damaged, not a database, foreign tables, locked, out of reach) is tested in
test_contacts.py; here are the rules underneath."""

from __future__ import annotations

import sqlite3

import psycopg.errors
import pytest
import sqlalchemy as sa

from arbook.collections import contacts_db
from arbook.collections.contacts_db import MIGRATIONS, SCHEMA_VERSION, LogDatabase
from arbook.core.errors import LogError, ParameterError

URL = "postgresql+psycopg://ann:s3cret-pw@db.example.com/arbook"


def _opened(where) -> LogDatabase:
    db = LogDatabase(path=where) if not isinstance(where, str) else LogDatabase(where)
    db.migrate()
    return db


def test_a_plain_sqlite_url_is_its_file(tmp_path):
    file = tmp_path / "collections.db"
    db = _opened(f"sqlite:///{file}")
    try:
        assert db.where == str(file) and db.read_only == ""
        with db.reading() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        db.dispose()


def test_a_sqlite_url_with_options_is_used_as_given(tmp_path):
    file = tmp_path / "collections.db"
    _opened(file).dispose()
    db = LogDatabase(f"sqlite:///file:{file}?mode=ro&uri=true")
    try:
        assert db.where == f"file:{file}"
        assert db.migrate() == SCHEMA_VERSION
    finally:
        db.dispose()


def test_a_folder_is_not_a_log(tmp_path):
    with pytest.raises(LogError, match=f"contact log {tmp_path} is a folder, not a file"):
        LogDatabase(path=tmp_path)


def test_a_code_not_listed_is_raised_as_it_came(tmp_path):
    # A constraint failure (SQLITE_CONSTRAINT) is arbook's own mistake, not the log's state:
    # it stays an internal error instead of a message that would blame the file.
    db = _opened(tmp_path / "collections.db")
    try:
        with pytest.raises(sa.exc.IntegrityError), db.writing() as conn:
            conn.exec_driver_sql(f"INSERT INTO schema_version VALUES ({SCHEMA_VERSION})")
        with db.reading() as conn:  # and the failed write left the log as it was
            count = conn.exec_driver_sql("SELECT COUNT(*) FROM schema_version").scalar()
            assert count == len(MIGRATIONS)
    finally:
        db.dispose()


def _postgres_error(error: psycopg.Error, *, invalidated=False) -> sa.exc.DBAPIError:
    return sa.exc.DBAPIError.instance(
        "INSERT INTO contacts ...", {}, error, psycopg.Error, connection_invalidated=invalidated
    )


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (
            psycopg.errors.DiskFull("could not extend file"),
            "is on a server out of resources (disk, memory or connections) (PostgreSQL: could "
            "not extend file); the contact was not saved and the log is as it was. Free them",
        ),
        (
            psycopg.errors.InsufficientPrivilege("permission denied for table contacts"),
            "may not be used by this database user (insufficient privilege) (PostgreSQL: "
            "permission denied for table contacts); the contact was not saved",
        ),
        (
            psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only"),
            "is on a read-only server (a standby?)",
        ),
        (psycopg.errors.SerializationFailure("could not serialize"), "Try again"),
    ],
)
def test_postgres_failures_by_sqlstate(error, text):
    db = LogDatabase(URL)  # no connection is made until it is used
    found = db._translated(_postgres_error(error), "write")
    assert found is not None
    assert str(found).startswith("contact log postgresql+psycopg://ann:***@db.example.com/")
    assert text in str(found)


def test_a_connection_lost_during_a_write_may_have_saved_it():
    db = LogDatabase(URL)
    lost = psycopg.OperationalError("server closed the connection unexpectedly")
    found = db._translated(_postgres_error(lost, invalidated=True), "write")
    assert "lost its connection (server closed the connection unexpectedly)" in str(found)
    assert "the contact may not have been saved: see the customer's history first" in str(found)


def test_a_postgres_code_not_listed_is_none():
    db = LogDatabase(URL)
    unique = psycopg.errors.UniqueViolation("duplicate key value")
    assert db._translated(_postgres_error(unique), "write") is None


def test_an_io_error_names_the_file_size_limit_only_when_there_is_one(monkeypatch):
    resource = pytest.importorskip("resource")
    monkeypatch.setattr(resource, "getrlimit", lambda _: (resource.RLIM_INFINITY,) * 2)
    assert contacts_db._io_fix() == "check the disk and its free space, then try again"
    monkeypatch.setattr(resource, "getrlimit", lambda _: (1_048_576, resource.RLIM_INFINITY))
    assert "may not write files over 1,048,576 bytes (the file-size limit" in (
        contacts_db._io_fix()
    )


def test_reading_a_log_of_another_arbook_leaves_it(tmp_path):
    file = tmp_path / "collections.db"
    _opened(file).dispose()
    with sqlite3.connect(file) as raw:
        raw.execute("INSERT INTO schema_version VALUES (99)")
    before = file.read_bytes()
    with pytest.raises(LogError, match="schema version 99 is newer than this arbook"):
        _opened(file)
    assert file.read_bytes() == before


# -- schema version 4: disputes and payment plans ----------------------------------------------


def _at_version(file, version: int) -> None:
    """A SQLite log made by an arbook whose newest schema was ``version``."""
    engine = sa.create_engine(f"sqlite:///{file}")
    try:
        with engine.begin() as conn:
            for number, statements in MIGRATIONS[:version]:
                for statement in statements:
                    conn.exec_driver_sql(statement.format(**contacts_db._DIALECT_TYPES["sqlite"]))
                conn.exec_driver_sql(f"INSERT INTO schema_version VALUES ({number})")
            conn.exec_driver_sql(
                "INSERT INTO contacts (at, customer_id, who, channel, outcome)"
                " VALUES ('2026-03-01 10:00:00', 'C1', 'ann', 'phone', 'reached')"
            )
    finally:
        engine.dispose()


def test_a_version_3_log_gains_the_dispute_and_plan_tables(tmp_path):
    file = tmp_path / "collections.db"
    _at_version(file, 3)
    db = LogDatabase(path=file)
    try:
        assert db.migrate() == 3 and SCHEMA_VERSION == 4
        with db.reading() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            assert set(contacts_db.CASE_TABLES) <= tables
            assert conn.exec_driver_sql("SELECT COUNT(*) FROM contacts").scalar() == 1
        assert db.migrate() == SCHEMA_VERSION  # the second time finds it done
    finally:
        db.dispose()


def test_a_dispute_table_arbook_did_not_make_is_refused_unchanged(tmp_path):
    file = tmp_path / "collections.db"
    _at_version(file, 3)
    with sqlite3.connect(file) as raw:
        raw.execute("CREATE TABLE disputes (case_no TEXT)")
    before = file.read_bytes()
    with pytest.raises(LogError) as caught:
        _opened(file)
    assert "holds tables arbook did not make (table disputes with columns case_no; arbook's" in (
        str(caught.value)
    )
    assert file.read_bytes() == before


def test_a_version_4_log_missing_a_plan_table_is_refused(tmp_path):
    file = tmp_path / "collections.db"
    _opened(file).dispose()
    with sqlite3.connect(file) as raw:
        raw.execute("DROP TABLE plan_cancellations")
    with pytest.raises(LogError, match="table plan_cancellations missing; arbook's needs at, note"):
        _opened(file)


def test_a_dispute_is_resolved_once_whatever_the_writers(tmp_path):
    # the database itself keeps a second resolution out (a unique index), under any program
    db = _opened(tmp_path / "collections.db")
    try:
        with db.writing() as conn:
            conn.exec_driver_sql(
                "INSERT INTO disputes (at, customer_id, document_id, reason, who)"
                " VALUES ('2026-03-01', 'C1', 'I1', 'price', 'ann')"
            )
            resolved = (
                "INSERT INTO dispute_events (dispute_id, at, kind, who, resolution)"
                " VALUES (1, '2026-03-02', 'resolved', 'ann', 'paid')"
            )
            conn.exec_driver_sql(resolved)
        with pytest.raises(sa.exc.IntegrityError), db.writing() as conn:
            conn.exec_driver_sql(resolved)
    finally:
        db.dispose()


# -- database URLs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        "postgres://ann:s3cret-pw@db.example.com/arbook",  # libpq's and most hosts' spelling
        "postgresql://ann:s3cret-pw@db.example.com/arbook",  # no driver: the one arbook installs
        URL,
    ],
)
def test_a_postgresql_url_in_any_spelling_uses_psycopg(given):
    db = LogDatabase(given)  # no connection is made until the log is used
    try:
        assert db.where == "postgresql+psycopg://ann:***@db.example.com/arbook"
        assert db.engine.dialect.driver == "psycopg"
    finally:
        db.dispose()


def test_a_driver_that_is_not_installed_is_a_sentence():
    with pytest.raises(ParameterError) as caught:
        LogDatabase("postgresql+nosuchdriver://ann:s3cret-pw@db.example.com/arbook")
    text = str(caught.value)
    assert "its database driver nosuchdriver is not installed" in text
    assert "write postgresql://... to use psycopg (pip install 'arbook[postgres]')" in text
    assert "s3cret-pw" not in text
