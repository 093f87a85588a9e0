"""The contact log's database (SPEC §7): opening it, its versioned schema, and its failures.

A SQLite file runs in WAL mode, which must create files beside the database even to read it.
So a log whose file or folder is read-only is opened read-only (``mode=ro``; ``immutable``
when its folder is read-only and no write-ahead journal waits to be read): reading works and
writing says why it cannot. Each write is one ``BEGIN IMMEDIATE`` transaction, so a failed write
leaves the log as it was. The schema (:data:`MIGRATIONS`) is inspected in a read transaction;
the write lock is taken only to create or upgrade it, and tables arbook did not make are refused,
never altered (the contacts' and, from version 4, the disputes' and plans', :data:`CASE_TABLES`).

Every failure the database reports is turned into a :class:`LogError` by its SQLite result
code or PostgreSQL SQLSTATE (a connection that fails has no SQLSTATE: its driver's reason is
quoted), naming the log (never its password), what is wrong and what to do. A code not listed
here is re-raised as it came: that is an internal error, not a message. Messages are in the
language spoken (what the database itself said is quoted as it said it).
"""

from __future__ import annotations

import datetime as dt
import os
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from arbook.core.dates import format_count
from arbook.core.errors import LogError, ParameterError
from arbook.core.i18n import N_, _

BUSY_TIMEOUT_MS = 30_000
_PG_LOCK = 7_206_131  # advisory lock key serialising migrations on PostgreSQL

#: ``{serial}`` and ``{timestamp}`` are filled in per database (see ``_DIALECT_TYPES``).
MIGRATIONS: list[tuple[int, tuple[str, ...]]] = [
    (
        1,
        (
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY)",
            "CREATE TABLE contacts (id {serial}, at {timestamp} NOT NULL,"
            " recorded_at {timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP,"
            " customer_id VARCHAR(64) NOT NULL, who VARCHAR(80) NOT NULL,"
            " channel VARCHAR(16) NOT NULL, outcome VARCHAR(16) NOT NULL, excuse VARCHAR(200),"
            " promise_cents BIGINT, promise_date DATE, next_date DATE,"
            " note TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX contacts_customer ON contacts (customer_id)",
        ),
    ),
    (
        2,
        (
            "ALTER TABLE contacts ADD COLUMN corrects BIGINT REFERENCES contacts (id)",
            "CREATE UNIQUE INDEX contacts_corrects ON contacts (corrects)",
        ),
    ),
    (
        3,
        (  # a document saved or sent is a contact: its ladder step, its file and that file's hash
            "ALTER TABLE contacts ADD COLUMN step VARCHAR(40)",
            "ALTER TABLE contacts ADD COLUMN document VARCHAR(400)",
            "ALTER TABLE contacts ADD COLUMN sha256 VARCHAR(64)",
        ),
    ),
    (
        4,
        (  # disputes and payment plans (SPEC §7): rows written once, never updated
            "CREATE TABLE disputes (id {serial}, at {timestamp} NOT NULL,"
            " recorded_at {timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP,"
            " customer_id VARCHAR(64) NOT NULL, document_id VARCHAR(64) NOT NULL,"
            " amount_cents BIGINT CHECK (amount_cents > 0), reason VARCHAR(200) NOT NULL,"
            " who VARCHAR(80) NOT NULL, owner VARCHAR(80), note TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX disputes_customer ON disputes (customer_id)",
            "CREATE INDEX disputes_document ON disputes (document_id)",
            # a dispute's life after it was opened: notes (and new owners), then its resolution
            "CREATE TABLE dispute_events (id {serial},"
            " dispute_id BIGINT NOT NULL REFERENCES disputes (id), at {timestamp} NOT NULL,"
            " recorded_at {timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP,"
            " kind VARCHAR(16) NOT NULL CHECK (kind IN ('note', 'resolved')),"
            " who VARCHAR(80) NOT NULL, owner VARCHAR(80), resolution VARCHAR(16)"
            " CHECK (resolution IN ('paid', 'credited', 'rejected')),"
            " note TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX dispute_events_dispute ON dispute_events (dispute_id)",
            "CREATE UNIQUE INDEX dispute_events_resolved ON dispute_events (dispute_id)"
            " WHERE kind = 'resolved'",
            "CREATE TABLE plans (id {serial}, at {timestamp} NOT NULL,"
            " recorded_at {timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP,"
            " customer_id VARCHAR(64) NOT NULL, who VARCHAR(80) NOT NULL,"
            " note TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX plans_customer ON plans (customer_id)",
            "CREATE TABLE plan_documents (plan_id BIGINT NOT NULL REFERENCES plans (id),"
            " document_id VARCHAR(64) NOT NULL, PRIMARY KEY (plan_id, document_id))",
            "CREATE TABLE plan_instalments (plan_id BIGINT NOT NULL REFERENCES plans (id),"
            " number INTEGER NOT NULL, due_date DATE NOT NULL,"
            " amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),"
            " PRIMARY KEY (plan_id, number))",
            "CREATE TABLE plan_cancellations (plan_id BIGINT PRIMARY KEY REFERENCES plans (id),"
            " at {timestamp} NOT NULL, recorded_at {timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP,"
            " who VARCHAR(80) NOT NULL, note TEXT NOT NULL DEFAULT '')",
        ),
    ),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
#: The columns of ``contacts`` that arbook reads and writes, in the order history shows them.
CONTACT_COLUMNS = (
    "id",
    "at",
    "customer_id",
    "who",
    "channel",
    "outcome",
    "excuse",
    "promise_cents",
    "promise_date",
    "next_date",
    "note",
    "corrects",  # schema version 2
    "step",  # schema version 3: a document's ladder step, its file (outbox-relative), its hash
    "document",
    "sha256",
)
_V3 = frozenset({"step", "document", "sha256"})
_V1_COLUMNS = frozenset(CONTACT_COLUMNS) - {"corrects"} - _V3
_COLUMNS = {1: _V1_COLUMNS, 2: _V1_COLUMNS | {"corrects"}, 3: _V1_COLUMNS | {"corrects"} | _V3}
_COLUMNS[4] = _COLUMNS[3]
#: The tables schema version 4 adds (disputes and payment plans) and the columns arbook reads.
CASE_TABLES = {
    "disputes": frozenset(
        {"id", "at", "customer_id", "document_id", "amount_cents", "reason", "who", "owner"}
        | {"note"}
    ),
    "dispute_events": frozenset(
        {"id", "dispute_id", "at", "kind", "who", "owner", "resolution", "note"}
    ),
    "plans": frozenset({"id", "at", "customer_id", "who", "note"}),
    "plan_documents": frozenset({"plan_id", "document_id"}),
    "plan_instalments": frozenset({"plan_id", "number", "due_date", "amount_cents"}),
    "plan_cancellations": frozenset({"plan_id", "at", "who", "note"}),
}
CASES_VERSION = 4
_DIALECT_TYPES = {
    "sqlite": {"serial": "INTEGER PRIMARY KEY AUTOINCREMENT", "timestamp": "TIMESTAMP"},
    "postgresql": {
        "serial": "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        "timestamp": "TIMESTAMPTZ",
    },
}


class UtcDateTime(sa.TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite stores them naive, in UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        naive = value is not None and value.tzinfo is None
        return value.replace(tzinfo=dt.UTC) if naive else value


class LogDatabase:
    """The database of one contact log: ``engine``, ``where`` (its file, or its URL without the
    password, for messages) and ``read_only`` (why it cannot be written; "" when it can)."""

    def __init__(self, url=None, path=None):
        if (url is None) == (path is None):
            said = (
                _("give the contact log either a database url or path=, not both: {example}")
                if url
                else _(
                    "give the contact log either a database url or path=, not neither: {example}"
                )
            )
            raise ParameterError(said.format(example="ContactLog(path='collections.db')"))
        parsed = _url(url) if path is None else None
        file = Path(path) if parsed is None else _sqlite_file(parsed)
        self.read_only, self._password = "", parsed.password if parsed else None
        self.timeout_s = BUSY_TIMEOUT_MS / 1000
        if file is not None:
            self.where, self.engine = self._open_file(file)
        else:
            assert parsed is not None
            self.where = parsed.render_as_string(hide_password=True)
            if parsed.get_backend_name() == "sqlite":  # a URL with SQLite options: as given
                self.where = parsed.database or self.where
                self.engine = _sqlite_engine(parsed, self.timeout_s)
            else:
                self.engine = _server_engine(parsed)

    def _open_file(self, given: Path) -> tuple[str, sa.Engine]:
        file = given.expanduser().resolve()
        if not file.parent.is_dir():
            raise ParameterError(
                _(
                    "contact log path {path}: folder {folder} does not exist; create it or "
                    "check the client name"
                ).format(path=repr(str(given)), folder=file.parent)
            )
        if file.is_dir():
            raise LogError(
                _(
                    "contact log {log} is a folder, not a file; --log or ARBOOK_LOG can name "
                    "another log"
                ).format(log=file)
            )
        self.read_only = _read_only_reason(file)
        if not self.read_only:
            url = sa.URL.create("sqlite", database=str(file))
            return str(file), _sqlite_engine(url, self.timeout_s)
        if not file.exists():
            raise LogError(
                _(
                    "contact log {log} cannot be started: {reason}. Ask for write access to "
                    "{folder}, or set ARBOOK_LOG (or --log) to a log you may write"
                ).format(log=file, reason=self.read_only, folder=file.parent)
            )
        query = {"mode": "ro", "uri": "true"}
        if not file.with_name(file.name + "-wal").exists():
            # No connection has the log open (the last to close removes the journal), and
            # without write access SQLite could not create the shared-memory file it needs.
            query["immutable"] = "1"
        location = "file:" + urllib.parse.quote(str(file))
        url = sa.URL.create("sqlite", database=location, query=query)
        return str(file), _sqlite_engine(url, self.timeout_s, writable=False)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        """A connection in a read transaction; database failures become :class:`LogError`."""
        with self._failures("read"), self.engine.connect() as conn:
            conn.execution_options(reading=True)
            with conn.begin():
                yield conn

    @contextmanager
    def writing(self, doing: str = "write") -> Iterator[sa.Connection]:
        """A connection in a write transaction, committed when the block ends well and rolled
        back otherwise; a read-only log refuses before anything is tried."""
        if self.read_only:
            raise LogError(
                _(
                    "contact log {log} is read-only here ({reason}); {outcome}. Ask for write "
                    "access to {folder}, or set ARBOOK_LOG (or --log) to a log you may write"
                ).format(
                    log=self.where,
                    reason=self.read_only,
                    outcome=_(_OUTCOMES[doing]),
                    folder=Path(self.where).parent,
                )
            )
        with self._failures(doing), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _failures(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sa.exc.DBAPIError as exc:
            error = self._translated(exc, doing)
            if error is None:
                raise
            raise error from exc

    def _translated(self, exc: sa.exc.DBAPIError, doing: str) -> LogError | None:
        """The :class:`LogError` for ``exc`` by its code; None when the code is not known."""
        if self.engine.dialect.name == "sqlite":
            found = _sqlite_failure(exc, self.timeout_s)
        else:
            found = _postgres_failure(exc)
        if found is None:
            return None
        fact, fix = found
        outcome = _(_OUTCOMES[doing])
        if doing in _MAYBE and exc.connection_invalidated:  # the commit may have got through
            outcome = _(_MAYBE[doing])
        text = _("contact log {log} {fact}; {outcome}. {fix}").format(
            log=self.where, fact=fact, outcome=outcome, fix=f"{fix[0].upper()}{fix[1:]}"
        )
        if self._password and len(self._password) > 3:  # drivers should never quote it
            text = text.replace(self._password, "***")
        return LogError(text)

    def _wal(self) -> None:
        """Put the SQLite file in WAL mode (it stays so); outside a transaction, as it must."""
        with self._failures("open"), self.engine.connect() as conn:
            conn.connection.dbapi_connection.execute("PRAGMA journal_mode=WAL")

    def migrate(self) -> int:
        """Bring the database to :data:`SCHEMA_VERSION`; return the version it had. The
        version is read first without a write lock, so a log at the current version opens while
        another program writes to it. A newer version, or tables arbook did not make, are
        refused and left as they are."""
        with self.reading() as conn:
            found = _version(conn, self.where)
        if self.engine.dialect.name == "sqlite" and not self.read_only:
            self._wal()  # only now: switching a file that is not arbook's would rewrite it
        if found == SCHEMA_VERSION:
            return found
        if self.read_only:
            said = (
                _(
                    "contact log {log} is read-only here ({reason}) and has no tables yet; it "
                    "needs write access once to be set up for this arbook ({version}). Ask for "
                    "write access to {folder}; arbook changed nothing"
                )
                if not found
                else _(
                    "contact log {log} is read-only here ({reason}) and is at schema version "
                    "{found}; it needs write access once to be set up for this arbook "
                    "({version}). Ask for write access to {folder}; arbook changed nothing"
                )
            )
            raise LogError(
                said.format(
                    log=self.where,
                    reason=self.read_only,
                    found=found,
                    version=SCHEMA_VERSION,
                    folder=Path(self.where).parent,
                )
            )
        dialect = self.engine.dialect.name
        with self.writing("open") as conn:
            if dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
            found = _version(conn, self.where)  # again: another process may have done it
            for version, statements in MIGRATIONS:
                if version <= found:
                    continue
                for statement in statements:
                    conn.exec_driver_sql(statement.format(**_DIALECT_TYPES[dialect]))
                conn.execute(sa.text("INSERT INTO schema_version VALUES (:v)"), {"v": version})
        return found


_OUTCOMES = {
    "open": N_("arbook changed nothing in it"),
    "read": N_("arbook changed nothing in it"),
    "write": N_("the contact was not saved and the log is as it was"),
    "record": N_("nothing was recorded and the log is as it was"),  # a dispute's or a plan's
}
_MAYBE = {
    "write": N_("the contact may not have been saved: see the customer's history first"),
    "record": N_("it may have been recorded: see the customer's disputes and plans first"),
}


def _url(url) -> sa.URL:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise ParameterError(
            _(
                "contact log url {url} is not a database URL ({problem}); "
                "write e.g. postgresql+psycopg://user:pw@host/db"
            ).format(url=repr(url), problem=exc)
        ) from exc
    scheme, _plus, driver = parsed.drivername.partition("+")
    if scheme in ("postgres", "postgresql"):
        # postgres:// is libpq's (and most hosts') spelling; without a driver, the one arbook
        # installs (pip install 'arbook[postgres]'), whatever SQLAlchemy's default
        parsed = parsed.set(drivername=f"postgresql+{driver or 'psycopg'}")
    backend = parsed.get_backend_name()
    if backend not in _DIALECT_TYPES:
        raise ParameterError(
            _(
                "contact log url {url}: database {backend} is not supported; "
                "use sqlite or postgresql"
            ).format(url=repr(parsed.render_as_string()), backend=repr(backend))
        )
    return parsed


def _server_engine(url: sa.URL) -> sa.Engine:
    """The engine of a database server; a driver that is not installed is a sentence."""
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except (ImportError, sa.exc.NoSuchModuleError) as exc:
        driver = url.drivername.partition("+")[2]
        said = (
            _(
                "contact log url {url}: its database driver {driver} is not installed "
                "({problem}); install it: pip install 'arbook[postgres]'"
            )
            if driver == "psycopg"
            else _(
                "contact log url {url}: its database driver {driver} is not installed "
                "({problem}); install it, or write postgresql://... to use psycopg "
                "(pip install 'arbook[postgres]')"
            )
        )
        raise ParameterError(
            said.format(url=repr(url.render_as_string()), driver=driver, problem=exc)
        ) from None


def _sqlite_file(url: sa.URL) -> Path | None:
    """The file a plain ``sqlite:///file.db`` URL names (None for memory or URI options)."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or url.query or database in ("", ":memory:"):
        return None
    return None if database.startswith("file:") else Path(database)


def _read_only_reason(file: Path) -> str:
    if not os.access(file.parent, os.W_OK):
        return _("its folder {folder} is not writable").format(folder=file.parent)
    if file.exists() and not os.access(file, os.W_OK):
        return _("the file is not writable")
    return ""


def _sqlite_engine(url: sa.URL, timeout_s: float, *, writable: bool = True) -> sa.Engine:
    """SQLite waiting up to ``timeout_s`` for a lock (WAL mode is set by
    :meth:`LogDatabase.migrate` once the file is known to be a log); writes take the lock at
    BEGIN (``BEGIN IMMEDIATE``) so a read-then-write never fails half way."""
    engine = sa.create_engine(url, connect_args={"timeout": timeout_s})
    pragmas = [f"busy_timeout={round(timeout_s * 1000)}", "foreign_keys=ON"]
    if writable:
        pragmas.append("synchronous=FULL")

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        for pragma in pragmas:
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql(
            "BEGIN" if conn.get_execution_options().get("reading") else "BEGIN IMMEDIATE"
        )

    return engine


def _version(conn: sa.Connection, where: str) -> int:
    """The schema version of the database (0 when it has no tables yet). Refuses a database
    whose ``contacts`` or ``schema_version`` table is not arbook's, and a newer version."""
    inspector = sa.inspect(conn)
    names = set(inspector.get_table_names())
    tables = names & {"contacts", "schema_version"}
    if not tables:
        _check_cases(inspector, names, 0, where)
        return 0
    found = 0
    if "schema_version" in tables:
        columns = {c["name"] for c in inspector.get_columns("schema_version")}
        if columns != {"version"}:
            raise _foreign(where, "schema_version", columns, {"version"})
        found = conn.scalar(sa.text("SELECT MAX(version) FROM schema_version")) or 0
    if found > SCHEMA_VERSION:
        raise LogError(
            _(
                "contact log {log}: schema version {found} is newer than this arbook "
                "knows ({version}); upgrade arbook"
            ).format(log=where, found=found, version=SCHEMA_VERSION)
        )
    if "contacts" in tables:
        columns = {c["name"] for c in inspector.get_columns("contacts")}
    else:
        columns = set()
    needed = _COLUMNS.get(found, _COLUMNS[1])
    if not found or not needed <= columns:
        raise _foreign(where, "contacts", columns, needed)
    _check_cases(inspector, names, int(found), where)
    return int(found)


def _check_cases(inspector, names: set[str], found: int, where: str) -> None:
    """Refuse dispute and plan tables arbook did not make: any before the version that makes
    them (its upgrade could not create them), or without the columns arbook reads."""
    for table in sorted(CASE_TABLES):
        if table not in names and found < CASES_VERSION:
            continue
        columns = {c["name"] for c in inspector.get_columns(table)} if table in names else set()
        if found < CASES_VERSION or not CASE_TABLES[table] <= columns:
            raise _foreign(where, table, columns, CASE_TABLES[table])


def _foreign(where: str, table: str, columns: set[str], needed: frozenset | set) -> LogError:
    lacks = sorted(needed - columns)
    if columns and lacks:
        said = _FOREIGN_HAS_LACKS
    elif columns:
        said = _FOREIGN_HAS
    else:
        said = _FOREIGN_MISSING if lacks else _FOREIGN_MISSING_OWN
    return LogError(
        _(said).format(
            log=where,
            table=table,
            columns=", ".join(sorted(columns)),
            lacks=", ".join(lacks),
        )
    )


_FOREIGN_HAS_LACKS = N_(
    "contact log {log} holds tables arbook did not make (table {table} with columns "
    "{columns}; arbook's needs {lacks}); arbook changed nothing in it. Give the contact log a "
    "database of its own: another SQLite file, or on PostgreSQL another database or schema"
)
_FOREIGN_HAS = N_(
    "contact log {log} holds tables arbook did not make (table {table} with columns "
    "{columns}; arbook's upgrade makes its own); arbook changed nothing in it. Give the contact "
    "log a database of its own: another SQLite file, or on PostgreSQL another database or schema"
)
_FOREIGN_MISSING = N_(
    "contact log {log} holds tables arbook did not make (table {table} missing; arbook's needs "
    "{lacks}); arbook changed nothing in it. Give the contact log a database of its own: "
    "another SQLite file, or on PostgreSQL another database or schema"
)
_FOREIGN_MISSING_OWN = N_(
    "contact log {log} holds tables arbook did not make (table {table} missing; arbook's "
    "upgrade makes its own); arbook changed nothing in it. Give the contact log a database of "
    "its own: another SQLite file, or on PostgreSQL another database or schema"
)


# -- failures, by code -----------------------------------------------------------------------

_IO_FIX = N_("check the disk and its free space, then try again")


def _sqlite_failure(exc: sa.exc.DBAPIError, timeout_s: float) -> tuple[str, str] | None:
    """(what is wrong, what to do) for a SQLite result code; None for another code."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    if code is None:
        return None
    said = f"(SQLite: {exc.orig})"
    primary = code & 0xFF
    if primary in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
        return (
            _(
                "is locked: another program has been writing to it for over {seconds} s "
                "(another arbook dashboard, a backup or a sync tool?)"
            ).format(seconds=f"{timeout_s:g}"),
            _("wait for it to finish or close it, then try again"),
        )
    if primary == 8:  # SQLITE_READONLY
        return (
            _("cannot be written {said}").format(said=said),
            _(
                "ask for write access to the file and its folder, or set ARBOOK_LOG (or --log) "
                "to a log you may write"
            ),
        )
    if primary == 10:  # SQLITE_IOERR: a write past the file-size limit is one of them
        return (
            _("could not be read or written: the disk reported an error {said}").format(said=said),
            _io_fix(),
        )
    if primary == 11:  # SQLITE_CORRUPT
        return (
            _("is damaged: cut short or overwritten {said}").format(said=said),
            _(
                "restore it from a backup (sqlite3's .recover command saves what is left); "
                "meanwhile --log or ARBOOK_LOG can name another log"
            ),
        )
    if primary == 13:  # SQLITE_FULL (the disk, or max_page_count)
        return (
            _("cannot grow: the disk is full {said}").format(said=said),
            _(
                "free space on the disk, or move the log to another disk and set ARBOOK_LOG "
                "(or --log) to it, then try again"
            ),
        )
    if primary == 14:  # SQLITE_CANTOPEN
        return (
            _("cannot be opened {said}").format(said=said),
            _("check that it and its folder may be read; --log or ARBOOK_LOG can name another log"),
        )
    if primary == 26:  # SQLITE_NOTADB
        return (
            _("is not a SQLite database (another file saved under this name?)"),
            _(
                "name the contact log with --log or ARBOOK_LOG, or move this file aside and "
                "arbook starts a new log there"
            ),
        )
    return None


def _io_fix() -> str:
    if os.name != "posix":
        return _(_IO_FIX)
    import resource

    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit == resource.RLIM_INFINITY:
        return _(_IO_FIX)
    return _(
        "this process may not write files over {limit} bytes (the file-size limit, "
        "ulimit -f): raise the limit, then try again"
    ).format(limit=format_count(limit))


#: SQLSTATE (or its two-character class) -> (what is wrong, what to do).
_POSTGRES = {
    "28": (N_("refused the login"), N_("check the user and password in the URL")),
    "3D000": (
        N_("names a database that does not exist"),
        N_("create it (createdb) or fix the URL"),
    ),
    "42501": (
        N_("may not be used by this database user (insufficient privilege)"),
        N_(
            "ask the database administrator to grant SELECT and INSERT on contacts and "
            "schema_version, or use the log's owner"
        ),
    ),
    "25006": (
        N_("is on a read-only server (a standby?)"),
        N_("point the URL at the primary server"),
    ),
    "53": (
        N_("is on a server out of resources (disk, memory or connections)"),
        N_("free them"),
    ),
    "55P03": (N_("is locked by another session"), N_("try again in a moment")),
    "40": (N_("met a conflicting transaction"), N_("try again")),
    "57": (
        N_("is on a server that is shutting down or starting"),
        N_("try again when it is up"),
    ),
    "08": (N_("lost its connection to the server"), N_("check the server, then try again")),
}


def _postgres_failure(exc: sa.exc.DBAPIError) -> tuple[str, str] | None:
    """(what is wrong, what to do) for a PostgreSQL SQLSTATE; a connection that fails carries
    none, and is told by its driver's reason."""
    state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if state is None and isinstance(exc, sa.exc.OperationalError):
        reason = " ".join(str(exc.orig).split())[:300]
        lost = (
            _("lost its connection ({reason})")
            if exc.connection_invalidated
            else _("cannot connect ({reason})")
        )
        return (
            lost.format(reason=reason),
            _(
                "check the host, port, user, password and database in the URL (or ARBOOK_LOG) "
                "and that the server is running"
            ),
        )
    if state is None:
        return None
    found = _POSTGRES.get(state) or _POSTGRES.get(state[:2])
    if found is None:
        return None
    fact, fix = found
    return f"{_(fact)} (PostgreSQL: {' '.join(str(exc.orig).split())[:300]})", _(fix)
