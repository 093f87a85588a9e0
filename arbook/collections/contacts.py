"""The contact log (SPEC §7): every call, e-mail, letter and visit, in a real database.

Append-only like a ledger: :meth:`ContactLog.correct` adds an entry whose ``corrects`` names the
one it supersedes (once each; correct the correction to change it again). Reads show current
versions unless ``superseded=True`` (the audit trail). ``recorded_at``, stamped by the database,
keeps back-dated entries and corrections visible. SQLite (one file per client) runs in WAL mode;
each write is its own ``BEGIN IMMEDIATE`` transaction, so writers queue instead of failing and a
killed process loses only what it had not committed. PostgreSQL serves a team. The schema is
versioned (:data:`arbook.collections.contacts_db.MIGRATIONS`): an older database is upgraded on
opening, a newer one refused. A log that cannot be opened, read or written (read-only, full,
damaged, locked, not a database, tables arbook did not make, a server out of reach) raises
:class:`arbook.core.errors.LogError` naming it and what to do; a failed write changes nothing.
The same database keeps the disputes and payment plans (schema version 4,
:mod:`arbook.collections.cases`; their rules are :mod:`~arbook.measures.disputes` and
:mod:`~arbook.collections.plans`), append-only too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from arbook.collections import cases
from arbook.collections.contacts_db import CONTACT_COLUMNS, SCHEMA_VERSION, LogDatabase, UtcDateTime
from arbook.collections.log_fields import cents_value as _cents
from arbook.collections.log_fields import date_value as _date
from arbook.collections.log_fields import moment_value as _moment
from arbook.collections.log_fields import text_value as _text
from arbook.collections.plans import instalment_status
from arbook.collections.promises import PROMISE_COLUMNS, promise_status
from arbook.core.errors import ParameterError
from arbook.core.files import safe_cells, write_atomic
from arbook.core.i18n import N_, _
from arbook.measures.disputes import dispute_state

CHANNELS = ("phone", "email", "letter", "visit", "sms", "meeting", "other")
#: ``promise`` needs a promised amount and date; any other outcome may carry one too (a dispute
#: with a promise to pay the undisputed part), and then it counts as a promise.
OUTCOMES = (
    "reached",
    "no_answer",
    "left_message",
    "promise",
    "dispute",
    "refused",
    "paid",
    "other",
    "sent",  # a document e-mailed to the customer (channel email)
    "saved",  # a document kept in the outbox to print and post or hand over (channel letter)
)
#: outcomes that record a document (they need ``document`` and ``sha256``)
DOCUMENT_OUTCOMES = ("sent", "saved")
#: each channel and outcome as a person reads it (in English: marked for the catalogue, shown
#: translated with :func:`channel_label` and :func:`outcome_label`); the log stores the codes
CHANNEL_LABELS = {
    "phone": N_("phone"),
    "email": N_("e-mail"),
    "letter": N_("letter"),
    "visit": N_("visit"),
    "sms": N_("SMS"),
    "meeting": N_("meeting"),
    "other": N_("other"),
}
OUTCOME_LABELS = {
    "reached": N_("reached"),
    "no_answer": N_("no answer"),
    "left_message": N_("left a message"),
    "promise": N_("promise to pay"),
    "dispute": N_("dispute"),
    "refused": N_("refused to pay"),
    "paid": N_("paid"),
    "other": N_("other"),
    "sent": N_("document e-mailed"),
    "saved": N_("document kept to print and post"),
}
HISTORY_COLUMNS = list(CONTACT_COLUMNS)
FIELDS = (
    "customer_id",
    "channel",
    "outcome",
    "who",
    "note",
    "excuse",
    "promise_cents",
    "promise_date",
    "next_date",
    "at",
    "step",
    "document",
    "sha256",
)
__all__ = [
    "CHANNELS",
    "CHANNEL_LABELS",
    "DOCUMENT_OUTCOMES",
    "HISTORY_COLUMNS",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "PROMISE_COLUMNS",
    "SCHEMA_VERSION",
    "ContactLog",
    "channel_label",
    "find_log",
    "is_url",
    "log_location",
    "open_log",
    "outcome_label",
    "promise_status",
]

#: The contact log's file in a client's data folder, and the variable naming another one.
LOG_FILE, ENV_LOG = "collections.db", "ARBOOK_LOG"


_META = sa.MetaData()
CONTACTS = sa.Table(
    "contacts",
    _META,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("at", UtcDateTime),
    sa.Column("promise_date", sa.Date),
    sa.Column("next_date", sa.Date),
    sa.Column("promise_cents", sa.BigInteger),
    sa.Column("corrects", sa.BigInteger),
    *(
        sa.Column(name, sa.String)
        for name in (
            "customer_id",
            "who",
            "channel",
            "outcome",
            "excuse",
            "note",
            "step",
            "document",
            "sha256",
        )
    ),
)


def _in_words(code) -> str:
    return "" if code is None or pd.isna(code) else str(code).replace("_", " ")


def channel_label(code) -> str:
    """A channel as a person reads it, in the language spoken ("e-mail", "correo electrónico");
    a code the log does not know in words; "" for none."""
    return _(CHANNEL_LABELS[code]) if code in CHANNEL_LABELS else _in_words(code)


def outcome_label(code) -> str:
    """An outcome as a person reads it, in the language spoken ("no answer"); a code the log
    does not know in words; "" for none."""
    return _(OUTCOME_LABELS[code]) if code in OUTCOME_LABELS else _in_words(code)


def _sha256(value, problems: list[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{64}", value.strip().lower()):
        problems.append(
            _("sha256 is {value}; it must be a SHA-256 digest, 64 hex digits").format(
                value=repr(value)
            )
        )
        return None
    return value.strip().lower()


def _promise_problems(row: dict, problems: list[str]) -> None:
    has_amount, has_date = row["promise_cents"] is not None, row["promise_date"] is not None
    if row["outcome"] == "promise" and not (has_amount and has_date):
        problems.append(
            _(
                "outcome 'promise' needs both promise_cents and promise_date; "
                "give the amount and the date promised"
            )
        )
    elif has_amount != has_date:
        given, missing = ("promise_cents", "promise_date")[:: 1 if has_amount else -1]
        problems.append(
            _("{given} is given without {missing}; a promise needs both").format(
                given=given, missing=missing
            )
        )
    if row["outcome"] in DOCUMENT_OUTCOMES and not (row["document"] and row["sha256"]):
        problems.append(
            _(
                "outcome {outcome} records a document: give its document (the file) "
                "and sha256 (the file's hash)"
            ).format(outcome=repr(row["outcome"]))
        )
    day = row["at"].date() if row["at"] is not None else None
    for name in ("promise_date", "next_date"):
        if day is not None and row[name] is not None and row[name] < day:
            problems.append(
                _(
                    "{name} {date} is before the contact ({day}); "
                    "a promise or next step lies ahead of it"
                ).format(name=name, date=row[name], day=day)
            )


def validate_entry(values: dict) -> dict:
    """The entry ``values`` (every name of :data:`FIELDS`) checked and normalised: dates as
    ``date``, ``at`` in UTC. Raises ParameterError listing every bad value and its fix."""
    problems: list[str] = []
    row = {
        "customer_id": _text("customer_id", values["customer_id"], problems, required=True),
        "who": _text("who", values["who"], problems, required=True),
        "note": _text("note", values["note"] or "", problems, required=False),
        "excuse": _text("excuse", values["excuse"] or None, problems, required=False),
        "promise_cents": _cents(values["promise_cents"], problems),
        "at": _moment(values["at"], problems),
        "step": _text("step", values.get("step") or None, problems, required=False),
        "document": _text("document", values.get("document") or None, problems, required=False),
        "sha256": _sha256(values.get("sha256") or None, problems),
    }
    for name, allowed in (("channel", CHANNELS), ("outcome", OUTCOMES)):
        row[name] = values[name]
        if values[name] not in allowed:
            problems.append(
                _("{name} is {value}; use one of {allowed}").format(
                    name=name, value=repr(values[name]), allowed=", ".join(allowed)
                )
            )
    for name in ("promise_date", "next_date"):
        row[name] = _date(name, values[name], problems)
    _promise_problems(row, problems)
    if problems:
        raise ParameterError(
            _("contact entry not logged: {problems}").format(problems="; ".join(problems))
        )
    return row


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    """Database rows as a frame with the history dtypes."""
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    frame["id"] = frame["id"].astype(np.int64)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    for name in ("promise_cents", "corrects"):
        frame[name] = frame[name].astype("Int64")
    for name in ("promise_date", "next_date"):
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[ns]")
    for name in ("customer_id", "who", "channel", "outcome", "note"):
        frame[name] = frame[name].astype("str")
    for name in ("excuse", "step", "document", "sha256"):
        frame[name] = frame[name].astype("object").where(frame[name].notna(), None)
    return frame


def _insert(conn: sa.Connection, row: dict, *, corrects: int | None = None) -> int:
    """Insert one checked entry; return its id."""
    result = conn.execute(sa.insert(CONTACTS).values(**row, corrects=corrects))
    return int(result.inserted_primary_key[0])


class ContactLog:
    """A contact log in a database: ``ContactLog(path="data/<client>/collections.db")``,
    ``ContactLog("sqlite:///file.db")`` or ``ContactLog("postgresql+psycopg://...")``.
    Opening it creates or upgrades the schema. Use as a context manager or call ``close()``."""

    def __init__(self, url: str | None = None, *, path=None):
        self._db = LogDatabase(url, path)
        try:
            self.migrated_from = self._db.migrate()
        except BaseException:
            self._db.dispose()
            raise

    def __enter__(self) -> ContactLog:
        return self

    def __exit__(self, *exc) -> None:  # the log closes whether or not the block failed
        self.close()

    def close(self) -> None:
        """Release every connection; the log cannot be used afterwards."""
        self._db.dispose()

    def add(
        self,
        customer_id: str,
        *,
        channel: str,
        outcome: str,
        who: str,
        note: str = "",
        excuse: str | None = None,
        promise_cents: int | None = None,
        promise_date=None,
        next_date=None,
        at: dt.datetime | None = None,
        step: str | None = None,
        document: str | None = None,
        sha256: str | None = None,
    ) -> int:
        """Log one contact in its own transaction and return its id. ``at`` is when it
        happened (timezone-aware; None = now, UTC); dates are ``date`` or ``YYYY-MM-DD``;
        ``excuse`` a playbook code or free text. A document sent or saved (outcome ``sent`` or
        ``saved``) names the ladder ``step`` it acts on, its ``document`` (the file, relative
        to the outbox) and the file's ``sha256``. Raises ParameterError naming each bad value,
        LogError when the log cannot take it (the message says the contact was not saved)."""
        values = dict(locals())
        values["at"] = dt.datetime.now(dt.UTC) if at is None else at
        row = validate_entry(values)
        with self._db.writing() as conn:
            return _insert(conn, row)

    def correct(self, entry_id: int, **fields) -> int:
        """Add an entry superseding ``entry_id``: its values with ``fields`` (names of
        :data:`FIELDS`) changed, ``corrects`` = ``entry_id``. Returns the new id. An entry can
        be corrected once; to change it again correct the correction."""
        unknown = sorted(set(fields) - set(FIELDS))
        if unknown or not fields:
            said = (
                _("correct({entry}, ...) needs fields to change among {fields}; got {got}")
                if unknown
                else _("correct({entry}, ...) needs fields to change among {fields}; got none")
            )
            raise ParameterError(
                said.format(entry=repr(entry_id), fields=", ".join(FIELDS), got=unknown)
            )
        with self._db.writing() as conn:
            old = conn.execute(sa.select(CONTACTS).where(CONTACTS.c.id == entry_id)).first()
            if old is None:
                raise ParameterError(
                    _("contact entry {entry} does not exist; check the id in log.history()").format(
                        entry=repr(entry_id)
                    )
                )
            newer = conn.scalar(sa.select(CONTACTS.c.id).where(CONTACTS.c.corrects == entry_id))
            if newer is not None:
                raise ParameterError(
                    _(
                        "contact entry {entry} was already corrected by entry {newer}; "
                        "correct {newer} instead"
                    ).format(entry=entry_id, newer=newer)
                )
            row = validate_entry({**{k: old._mapping[k] for k in FIELDS}, **fields})
            try:
                return _insert(conn, row, corrects=entry_id)
            except sa.exc.IntegrityError as exc:  # another user corrected it meanwhile
                raise ParameterError(
                    _(
                        "contact entry {entry} was corrected by someone else just now; "
                        "correct the newer entry instead"
                    ).format(entry=entry_id)
                ) from exc

    def history(self, customer_id: str | None = None, *, superseded: bool = False):
        """Contacts newest first (by ``at``, then id) with :data:`HISTORY_COLUMNS`: ``at``
        tz-aware UTC, ``promise_cents`` and ``corrects`` Int64, dates datetime64 or NaT. Only
        current versions unless ``superseded`` (the whole audit trail); one customer's when
        ``customer_id`` is given."""
        query = sa.select(*(CONTACTS.c[name] for name in HISTORY_COLUMNS))
        if not superseded:
            newer = sa.alias(CONTACTS, "newer")
            query = query.where(~sa.exists().where(newer.c.corrects == CONTACTS.c.id))
        if customer_id is not None:
            query = query.where(CONTACTS.c.customer_id == customer_id)
        query = query.order_by(CONTACTS.c.at.desc(), CONTACTS.c.id.desc())
        with self._db.reading() as conn:
            rows = conn.execute(query).all()
        return _frame(rows, HISTORY_COLUMNS)

    def promises(self, ledger, as_of) -> pd.DataFrame:
        """Every current promise made up to ``as_of``, with :data:`PROMISE_COLUMNS`, checked
        against ``ledger.payments`` (see :func:`promise_status`); by promise date, then id."""
        frame = self.history()
        return promise_status(frame[frame["promise_cents"].notna()], ledger.payments, as_of)

    # -- disputes and payment plans (SPEC §7), kept by arbook.collections.cases ---------------

    def open_dispute(
        self,
        customer_id: str,
        document_id: str,
        *,
        reason: str,
        who: str,
        amount_cents: int | None = None,
        owner: str | None = None,
        note: str = "",
        at: dt.datetime | None = None,
        ledger=None,
    ) -> int:
        """Open a dispute on invoice ``document_id`` of ``customer_id``, for ``amount_cents``
        of it (None: all that is owed on it), with its ``reason``, who opened it, its
        ``owner`` (who works it) and a ``note``, at ``at`` (aware; None = now); return its id.
        Given the ``ledger``, the customer, the invoice and the amount are checked against
        it (the invoice is the customer's and owes at least the amount). A document has one
        open dispute at a time. Raises ParameterError naming each bad value."""
        values = {
            "customer_id": customer_id,
            "document_id": document_id,
            "reason": reason,
            "who": who,
            "amount_cents": amount_cents,
            "owner": owner,
            "note": note,
            "at": at,
        }
        return cases.open_dispute(self._db, values, ledger)

    def note_dispute(
        self,
        dispute_id: int,
        *,
        who: str,
        note: str,
        owner: str | None = None,
        at: dt.datetime | None = None,
    ) -> int:
        """Add a note to open dispute ``dispute_id`` (``owner``: it is now theirs to work);
        return the note's id. Refused once the dispute is resolved."""
        values = {"who": who, "note": note, "owner": owner, "at": at}
        return cases.dispute_event(self._db, dispute_id, "note", values)

    def resolve_dispute(
        self,
        dispute_id: int,
        *,
        resolution: str,
        who: str,
        note: str = "",
        at: dt.datetime | None = None,
    ) -> int:
        """Resolve open dispute ``dispute_id`` as ``resolution`` (paid, credited or rejected);
        return the resolution's id. A dispute is resolved once."""
        values = {"who": who, "note": note, "resolution": resolution, "at": at}
        return cases.dispute_event(self._db, dispute_id, "resolved", values)

    def resolve_document(
        self,
        customer_id: str,
        document_id: str,
        *,
        resolution: str,
        who: str,
        note: str = "",
        at: dt.datetime | None = None,
    ) -> int:
        """Resolve the open dispute on invoice ``document_id``: the log's, else the one the
        data opened (``disputed = yes``), recorded in one transaction as a dispute opened and
        resolved; return the dispute's id."""
        values = {
            "customer_id": customer_id,
            "document_id": document_id,
            "resolution": resolution,
            "who": who,
            "note": note,
            "at": at,
        }
        return cases.resolve_document(self._db, values)

    def dispute_events(self, *, customer_id: str | None = None) -> pd.DataFrame:
        """Every dispute's opening, notes and resolution, oldest first, with
        :data:`~arbook.measures.disputes.EVENT_COLUMNS` (what
        :func:`~arbook.measures.disputes.dispute_list` reads)."""
        return cases.dispute_events(self._db, customer_id)

    def disputes(self, *, customer_id: str | None = None, status: str = "open") -> pd.DataFrame:
        """The log's disputes as they stand, with :data:`~arbook.measures.disputes.
        DISPUTE_COLUMNS`: ``status`` open, paid, credited or rejected; the ``open`` ones
        (default), the ``resolved`` ones or ``all``; one customer's when given. The dispute
        list at a date, imported ones included, is :func:`~arbook.measures.disputes.
        dispute_list`."""
        if status not in ("open", "resolved", "all"):
            raise ParameterError(
                _("status is {value}; use open, resolved or all").format(value=repr(status))
            )
        frame = dispute_state(self.dispute_events(customer_id=customer_id))
        if status != "all":
            frame = frame[(frame["status"] == "open") == (status == "open")]
        return frame.reset_index(drop=True)

    def add_plan(
        self,
        customer_id: str,
        *,
        instalments,
        documents,
        who: str,
        note: str = "",
        at: dt.datetime | None = None,
        ledger=None,
    ) -> int:
        """Record a payment plan agreed with ``customer_id`` at ``at`` (aware; None = now) for
        the invoices ``documents``: ``instalments`` a list of (date, cents), each on or after
        the day agreed; return its id. Given the ``ledger``, the documents must be the
        customer's open invoices and the instalments add up to at most what they owe. A
        customer has one plan at a time: cancel the one running first."""
        values = {
            "customer_id": customer_id,
            "instalments": instalments,
            "documents": documents,
            "who": who,
            "note": note,
            "at": at,
        }
        return cases.add_plan(self._db, values, ledger)

    def cancel_plan(
        self, plan_id: int, *, who: str, note: str = "", at: dt.datetime | None = None
    ) -> int:
        """Cancel payment plan ``plan_id`` (once); return its id. Its instalments still open
        then are cancelled; its items are chased again."""
        return cases.cancel_plan(self._db, plan_id, {"who": who, "note": note, "at": at})

    def plans(self, *, customer_id: str | None = None) -> pd.DataFrame:
        """Every payment plan (one customer's when given), by id, with
        :data:`~arbook.collections.plans.PLAN_COLUMNS`."""
        return cases.plan_frames(self._db, customer_id)[0]

    def schedule(self, *, customer_id: str | None = None) -> pd.DataFrame:
        """Every plan's instalments as agreed, with :data:`~arbook.collections.plans.
        SCHEDULE_COLUMNS`."""
        return cases.plan_frames(self._db, customer_id)[1]

    def instalments(self, ledger, as_of) -> pd.DataFrame:
        """Every instalment of the plans agreed by ``as_of``, checked against
        ``ledger.payments`` (:func:`~arbook.collections.plans.instalment_status`): ``plan_id,
        customer_id, number, due_date, amount_cents, paid_cents, status`` (kept, broken, open,
        cancelled)."""
        return instalment_status(self.schedule(), ledger.payments, as_of)

    def export(self, path, *, superseded: bool = False) -> Path:
        """Write :meth:`history` to ``path`` (``.csv`` or ``.xlsx``), text that a spreadsheet
        would run as a formula prefixed with ``'``; ``at`` in UTC. Returns the path."""
        path, suffix = Path(path), Path(path).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            said = (
                _("export path {path}: cannot write {suffix} files; name it .csv or .xlsx")
                if suffix
                else _("export path {path}: cannot write no files; name it .csv or .xlsx")
            )
            raise ParameterError(said.format(path=repr(str(path)), suffix=suffix))
        frame = safe_cells(self.history(superseded=superseded))
        for name in ("promise_date", "next_date"):
            frame[name] = frame[name].dt.date
        if suffix == ".csv":
            frame["at"] = frame["at"].map(lambda t: t.isoformat())
            write_atomic(path, frame.to_csv(index=False, lineterminator="\n"))
        else:
            frame["at"] = frame["at"].dt.tz_localize(None)
            frame.to_excel(path, index=False, sheet_name="contacts", engine="openpyxl")
        return path


def is_url(where: object) -> bool:
    """Whether ``where`` names a database by URL (``postgresql+psycopg://...``) rather than a
    SQLite file."""
    return "://" in str(where)


def log_location(where=None, *, folder: Path | None = None) -> str | Path | None:
    """Where a client's contact log is: ``where`` when given (a database URL, or a SQLite file);
    else ``$ARBOOK_LOG``; else ``collections.db`` in the client's data ``folder`` (None without
    a folder). The one rule every command, the dashboard and the monthly review follow."""
    where = str(where or "").strip() or os.environ.get(ENV_LOG, "").strip()
    if where:
        return where if is_url(where) else Path(where).expanduser()
    return folder / LOG_FILE if folder is not None else None


def find_log(where=None, *, folder: Path | None = None) -> str | Path | None:
    """The contact log :func:`log_location` names, when it is there: a URL as given, an
    existing file; None when no log has been started yet. A file named explicitly (``where``
    or ``$ARBOOK_LOG``) that does not exist is an error, so a typo never goes unnoticed."""
    place = log_location(where, folder=folder)
    if place is None or isinstance(place, str) or place.is_file():
        return place
    if str(where or "").strip() or os.environ.get(ENV_LOG, "").strip():
        raise ParameterError(
            _(
                "contact log {log}: no such file; give the SQLite file the call screen "
                "writes or a database URL, or leave --log out"
            ).format(log=repr(str(place)))
        )
    return None


def open_log(where=None, *, folder: Path | None = None, create: bool = False) -> ContactLog | None:
    """The contact log found by :func:`find_log`, opened; None when there is none yet. With
    ``create`` (the dashboard, which writes it) a log not started yet is created where
    :func:`log_location` says."""
    place = find_log(where, folder=folder) if not create else log_location(where, folder=folder)
    if place is None:
        return None
    return ContactLog(place) if isinstance(place, str) else ContactLog(path=place)
