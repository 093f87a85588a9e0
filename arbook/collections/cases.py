"""Disputes and payment plans kept in the contact log's database (schema version 4), written
for :class:`arbook.collections.contacts.ContactLog`.

Append-only like the contacts: a dispute is a row written once, and what happens to it later
(notes, new owners, its resolution) are events beside it; a plan is written once with its items
and instalments, and cancelling it adds a cancellation. Each write checks every value first
(one ParameterError naming each bad one), then, in one transaction, what the log itself must
say: the dispute or plan exists, is not resolved or cancelled already, a document has one open
dispute at a time and a customer one plan at a time. Writers queue on a lock (SQLite's write
lock; an advisory lock on PostgreSQL), so two users cannot both open the same dispute.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import sqlalchemy as sa

from arbook.collections.contacts_db import LogDatabase, UtcDateTime
from arbook.collections.log_fields import (
    cents_value,
    moment_value,
    text_value,
)
from arbook.collections.plans import (
    PLAN_COLUMNS,
    SCHEDULE_COLUMNS,
    plan_problems,
    schedule_values,
)
from arbook.core.dates import date_text
from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _, pgettext
from arbook.core.ledger import default_as_of
from arbook.measures.disputes import EVENT_COLUMNS, IMPORTED_REASON, RESOLUTIONS
from arbook.measures.disputes import dispute_problems as _dispute_problems

_LOCK = 7_206_132  # advisory lock key serialising dispute and plan writes on PostgreSQL
_META = sa.MetaData()


def _id(name: str = "id") -> sa.Column:
    return sa.Column(name, sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)


def _texts(*names: str) -> list[sa.Column]:
    return [sa.Column(name, sa.String) for name in names]


DISPUTES = sa.Table(
    "disputes",
    _META,
    _id(),
    sa.Column("at", UtcDateTime),
    sa.Column("amount_cents", sa.BigInteger),
    *_texts("customer_id", "document_id", "reason", "who", "owner", "note"),
)
DISPUTE_EVENTS = sa.Table(
    "dispute_events",
    _META,
    _id(),
    sa.Column("dispute_id", sa.BigInteger),
    sa.Column("at", UtcDateTime),
    *_texts("kind", "who", "owner", "resolution", "note"),
)
PLANS = sa.Table(
    "plans", _META, _id(), sa.Column("at", UtcDateTime), *_texts("customer_id", "who", "note")
)
PLAN_DOCUMENTS = sa.Table(
    "plan_documents",
    _META,
    sa.Column("plan_id", sa.BigInteger, primary_key=True),
    sa.Column("document_id", sa.String, primary_key=True),
)
PLAN_INSTALMENTS = sa.Table(
    "plan_instalments",
    _META,
    sa.Column("plan_id", sa.BigInteger, primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("due_date", sa.Date),
    sa.Column("amount_cents", sa.BigInteger),
)
PLAN_CANCELLATIONS = sa.Table(
    "plan_cancellations",
    _META,
    sa.Column("plan_id", sa.BigInteger, primary_key=True),
    sa.Column("at", UtcDateTime),
    *_texts("who", "note"),
)


def _lock(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})


#: what was not recorded, by the record refused: whole sentences for the catalogue
_REFUSED = {
    "dispute": N_("dispute not recorded: {problems}"),
    "dispute note": N_("dispute note not recorded: {problems}"),
    "dispute resolution": N_("dispute resolution not recorded: {problems}"),
    "payment plan": N_("payment plan not recorded: {problems}"),
    "plan cancellation": N_("plan cancellation not recorded: {problems}"),
}


def _refuse(what: str, problems: list[str]) -> None:
    if problems:
        raise ParameterError(_(_REFUSED[what]).format(problems="; ".join(problems)))


def _resolution_text(code) -> str:
    """A dispute's resolution as a person reads it (the code when arbook knows no other)."""
    words = {
        "paid": pgettext("dispute resolution", "paid"),
        "credited": pgettext("dispute resolution", "credited"),
        "rejected": pgettext("dispute resolution", "rejected"),
    }
    return words.get(code, str(code))


def _moment(at, problems: list[str]) -> dt.datetime | None:
    return moment_value(dt.datetime.now(dt.UTC) if at is None else at, problems)


def _ledger_day(ledger, at: dt.datetime):
    """The day a record made at ``at`` is checked against the data (an open-items-only
    ledger knows only its report's day)."""
    return default_as_of(ledger) if ledger.open_items_only else at.date()


def _record_id(name: str, value, problems: list[str]) -> int | None:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        problems.append(
            _("{name} is {value}; it must be a number (an int)").format(
                name=name, value=repr(value)
            )
        )
        return None
    return int(value)


def _insert(conn: sa.Connection, table: sa.Table, **values) -> int:
    return int(conn.execute(sa.insert(table).values(**values)).inserted_primary_key[0])


# -- disputes --------------------------------------------------------------------------------


def _open_on(conn: sa.Connection, document_id: str):
    """The open dispute (id, at, who, customer_id) on ``document_id``, else None."""
    resolved = sa.exists().where(
        (DISPUTE_EVENTS.c.dispute_id == DISPUTES.c.id) & (DISPUTE_EVENTS.c.kind == "resolved")
    )
    query = sa.select(DISPUTES.c.id, DISPUTES.c.at, DISPUTES.c.who, DISPUTES.c.customer_id)
    query = query.where((DISPUTES.c.document_id == document_id) & ~resolved)
    return conn.execute(query.order_by(DISPUTES.c.id)).first()


def _already_open(found, document_id: str) -> ParameterError:
    return ParameterError(
        _(
            "dispute not recorded: {document} is already in dispute {dispute} (opened "
            "{date} by {who}); add a note to it, or resolve it first"
        ).format(document=document_id, dispute=found.id, date=date_text(found.at), who=found.who)
    )


def open_dispute(db: LogDatabase, values: dict, ledger=None) -> int:
    """Record the dispute ``values`` (ContactLog.open_dispute's arguments); return its id."""
    problems: list[str] = []
    row = {
        name: text_value(name, values[name], problems, required=True)
        for name in ("customer_id", "document_id", "reason", "who")
    }
    row["owner"] = text_value("owner", values["owner"] or None, problems, required=False)
    row["note"] = text_value("note", values["note"] or "", problems, required=False)
    row["amount_cents"] = cents_value(
        values["amount_cents"], problems, "amount_cents", "a disputed amount"
    )
    row["at"] = _moment(values["at"], problems)
    if ledger is not None and not problems:
        day = _ledger_day(ledger, row["at"])
        problems += _dispute_problems(
            ledger, row["customer_id"], row["document_id"], row["amount_cents"], day
        )
    _refuse("dispute", problems)
    with db.writing("record") as conn:
        _lock(conn)
        found = _open_on(conn, row["document_id"])
        if found is not None:
            raise _already_open(found, row["document_id"])
        return _insert(conn, DISPUTES, **row)


def _dispute_of(conn: sa.Connection, dispute_id: int, day: dt.date):
    """The dispute ``dispute_id``, open, opened on or before ``day``; else ParameterError."""
    found = conn.execute(sa.select(DISPUTES).where(DISPUTES.c.id == dispute_id)).first()
    if found is None:
        raise ParameterError(
            _(
                "dispute {dispute} does not exist; see the disputes and their ids in the "
                "contact log's dispute list"
            ).format(dispute=dispute_id)
        )
    done = conn.execute(
        sa.select(DISPUTE_EVENTS.c.resolution, DISPUTE_EVENTS.c.at).where(
            (DISPUTE_EVENTS.c.dispute_id == dispute_id) & (DISPUTE_EVENTS.c.kind == "resolved")
        )
    ).first()
    if done is not None:
        raise ParameterError(
            _(
                "dispute {dispute} was resolved ({resolution}) on {date}; "
                "open a new dispute to take it up again"
            ).format(
                dispute=dispute_id,
                resolution=_resolution_text(done.resolution),
                date=date_text(done.at),
            )
        )
    if day < found.at.date():
        raise ParameterError(
            _(
                "{day} is before dispute {dispute} was opened ({date}); give a date on or after it"
            ).format(day=date_text(day), dispute=dispute_id, date=date_text(found.at))
        )
    return found


def _bad_resolution(value) -> str:
    return _("resolution is {value}; use one of {allowed}").format(
        value=repr(value), allowed=", ".join(RESOLUTIONS)
    )


def dispute_event(db: LogDatabase, dispute_id, kind: str, values: dict) -> int:
    """Record a note (``kind`` note: ``who, note, owner, at``) or the resolution (``kind``
    resolved: ``who, resolution, note, at``) of ``dispute_id``; return the event's id."""
    problems: list[str] = []
    number = _record_id("dispute_id", dispute_id, problems)
    owner = text_value("owner", values.get("owner") or None, problems, required=False)
    note = text_value("note", values["note"] or "", problems, required=False)
    row = {
        "who": text_value("who", values["who"], problems, required=True),
        "at": _moment(values["at"], problems),
        "kind": kind,
        "owner": owner,
        "note": note,
        "resolution": values.get("resolution"),
    }
    if kind == "note" and not (note or "").strip() and owner is None:
        problems.append(_("the note is empty; write what happened, or name a new owner"))
    if kind == "resolved" and row["resolution"] not in RESOLUTIONS:
        problems.append(_bad_resolution(row["resolution"]))
    _refuse("dispute note" if kind == "note" else "dispute resolution", problems)
    with db.writing("record") as conn:
        _lock(conn)
        _dispute_of(conn, number, row["at"].date())
        return _insert(conn, DISPUTE_EVENTS, dispute_id=number, **row)


def resolve_document(db: LogDatabase, values: dict) -> int:
    """Resolve the open dispute on ``values["document_id"]``: the log's, else the one the data
    opened (recorded as a dispute opened and resolved at once); return the dispute's id."""
    problems: list[str] = []
    customer = text_value("customer_id", values["customer_id"], problems, required=True)
    document = text_value("document_id", values["document_id"], problems, required=True)
    row = {
        "who": text_value("who", values["who"], problems, required=True),
        "at": _moment(values["at"], problems),
        "note": text_value("note", values["note"] or "", problems, required=False),
        "kind": "resolved",
        "resolution": values["resolution"],
    }
    if row["resolution"] not in RESOLUTIONS:
        problems.append(_bad_resolution(row["resolution"]))
    _refuse("dispute resolution", problems)
    with db.writing("record") as conn:
        _lock(conn)
        found = _open_on(conn, document)
        if found is not None and found.customer_id != customer:
            raise ParameterError(
                _(
                    "dispute resolution not recorded: the dispute on {document} is customer "
                    "{owner}'s, not {customer}'s"
                ).format(document=document, owner=found.customer_id, customer=customer)
            )
        if found is None:
            opening = {"customer_id": customer, "document_id": document, "who": row["who"]}
            number = _insert(conn, DISPUTES, **opening, reason=IMPORTED_REASON, at=row["at"])
        else:
            number = int(found.id)
            _dispute_of(conn, number, row["at"].date())
        _insert(conn, DISPUTE_EVENTS, dispute_id=number, **row)
        return number


def dispute_events(db: LogDatabase, customer_id: str | None = None) -> pd.DataFrame:
    """Every dispute's opening and later events, with :data:`~arbook.measures.disputes.
    EVENT_COLUMNS` (``at`` aware UTC, ``amount_cents`` Int64); one customer's when given."""
    opened = sa.select(DISPUTES)
    later = sa.select(DISPUTE_EVENTS, DISPUTES.c.customer_id, DISPUTES.c.document_id).join(
        DISPUTES, DISPUTES.c.id == DISPUTE_EVENTS.c.dispute_id
    )
    if customer_id is not None:
        opened = opened.where(DISPUTES.c.customer_id == customer_id)
        later = later.where(DISPUTES.c.customer_id == customer_id)
    with db.reading() as conn:
        first = pd.DataFrame([r._asdict() for r in conn.execute(opened)])
        rest = pd.DataFrame([r._asdict() for r in conn.execute(later)])
    first = first.rename(columns={"id": "dispute_id"}).assign(kind="opened", event_id=pd.NA)
    rest = rest.rename(columns={"id": "event_id"})
    frames = [f for f in (first, rest) if len(f)]
    events = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    events = events.reindex(columns=EVENT_COLUMNS)
    events["at"] = pd.to_datetime(events["at"], utc=True)
    for name in ("dispute_id", "event_id", "amount_cents"):
        events[name] = events[name].astype("Int64")
    events["dispute_id"] = events["dispute_id"].astype(np.int64)
    for name in ("kind", "who", "customer_id", "document_id", "reason", "owner"):
        events[name] = events[name].astype(object).where(events[name].notna(), None)
    for name in ("resolution", "note"):
        events[name] = events[name].astype(object).where(events[name].notna(), None)
    return events.sort_values(["at", "dispute_id"], kind="stable").reset_index(drop=True)


# -- payment plans ---------------------------------------------------------------------------


def _documents(documents, problems: list[str]) -> list[str]:
    listed = [documents] if isinstance(documents, str) else documents
    if not isinstance(listed, (list, tuple)) or not listed:
        problems.append(
            _("documents is {value}; list the invoices the plan pays").format(value=repr(documents))
        )
        return []
    checked = [text_value("document_id", d, problems, required=True) for d in listed]
    return list(dict.fromkeys(d for d in checked if d))  # in the order given, once each


def add_plan(db: LogDatabase, values: dict, ledger=None) -> int:
    """Record the plan ``values`` (ContactLog.add_plan's arguments); return its id."""
    problems: list[str] = []
    row = {
        "customer_id": text_value("customer_id", values["customer_id"], problems, required=True),
        "who": text_value("who", values["who"], problems, required=True),
        "note": text_value("note", values["note"] or "", problems, required=False),
        "at": _moment(values["at"], problems),
    }
    day = row["at"].date() if row["at"] is not None else None
    documents = _documents(values["documents"], problems)
    schedule = schedule_values(values["instalments"], day, problems)
    if ledger is not None and not problems:
        total = sum(cents for _when, cents in schedule)
        problems += plan_problems(
            ledger, row["customer_id"], documents, total, _ledger_day(ledger, row["at"])
        )[0]
    _refuse("payment plan", problems)
    with db.writing("record") as conn:
        _lock(conn)
        _no_other_plan(conn, row["customer_id"], day)
        number = _insert(conn, PLANS, **row)
        conn.execute(
            sa.insert(PLAN_DOCUMENTS), [{"plan_id": number, "document_id": d} for d in documents]
        )
        conn.execute(
            sa.insert(PLAN_INSTALMENTS),
            [
                {"plan_id": number, "number": i, "due_date": when, "amount_cents": cents}
                for i, (when, cents) in enumerate(schedule, start=1)
            ],
        )
        return number


def _no_other_plan(conn: sa.Connection, customer_id: str, day: dt.date) -> None:
    """Refuse a second plan for a customer while another runs (not cancelled, instalments on
    or after ``day``): both would count the same payments."""
    last = (
        sa.select(PLANS.c.id, sa.func.max(PLAN_INSTALMENTS.c.due_date).label("until"))
        .join(PLAN_INSTALMENTS, PLAN_INSTALMENTS.c.plan_id == PLANS.c.id)
        .where(PLANS.c.customer_id == customer_id)
        .where(~sa.exists().where(PLAN_CANCELLATIONS.c.plan_id == PLANS.c.id))
        .group_by(PLANS.c.id)
    )
    for other in conn.execute(last):
        if other.until >= day:
            raise ParameterError(
                _(
                    "payment plan not recorded: customer {customer} has plan {plan} with "
                    "instalments until {date}; cancel it first to agree a new one (both "
                    "would count the same payments)"
                ).format(customer=customer_id, plan=other.id, date=date_text(other.until))
            )


def cancel_plan(db: LogDatabase, plan_id, values: dict) -> int:
    """Record the cancellation of ``plan_id`` (``who, note, at``); return the plan's id."""
    problems: list[str] = []
    number = _record_id("plan_id", plan_id, problems)
    row = {
        "who": text_value("who", values["who"], problems, required=True),
        "note": text_value("note", values["note"] or "", problems, required=False),
        "at": _moment(values["at"], problems),
    }
    _refuse("plan cancellation", problems)
    with db.writing("record") as conn:
        _lock(conn)
        found = conn.execute(sa.select(PLANS).where(PLANS.c.id == number)).first()
        if found is None:
            raise ParameterError(
                _("payment plan {plan} does not exist; see the plans and ids").format(plan=number)
            )
        done = conn.execute(
            sa.select(PLAN_CANCELLATIONS).where(PLAN_CANCELLATIONS.c.plan_id == number)
        ).first()
        if done is not None:
            raise ParameterError(
                _("payment plan {plan} was cancelled on {date} by {who} already").format(
                    plan=number, date=date_text(done.at), who=done.who
                )
            )
        if row["at"].date() < found.at.date():
            raise ParameterError(
                _(
                    "{day} is before payment plan {plan} was agreed ({date}); "
                    "give a date on or after it"
                ).format(day=date_text(row["at"]), plan=number, date=date_text(found.at))
            )
        conn.execute(sa.insert(PLAN_CANCELLATIONS).values(plan_id=number, **row))
        return number


def _rows(conn: sa.Connection, query) -> pd.DataFrame:
    return pd.DataFrame([r._asdict() for r in conn.execute(query)])


def plan_frames(db: LogDatabase, customer_id: str | None = None):
    """(plans, schedule): every plan with :data:`~arbook.collections.plans.PLAN_COLUMNS` and
    every instalment with :data:`~arbook.collections.plans.SCHEDULE_COLUMNS`, by plan id."""
    plans, ids = sa.select(PLANS), sa.select(PLANS.c.id)
    if customer_id is not None:
        plans = plans.where(PLANS.c.customer_id == customer_id)
        ids = ids.where(PLANS.c.customer_id == customer_id)
    with db.reading() as conn:
        head = _rows(conn, plans.order_by(PLANS.c.id))
        docs = _rows(conn, sa.select(PLAN_DOCUMENTS).where(PLAN_DOCUMENTS.c.plan_id.in_(ids)))
        parts = _rows(conn, sa.select(PLAN_INSTALMENTS).where(PLAN_INSTALMENTS.c.plan_id.in_(ids)))
        ends = _rows(conn, sa.select(PLAN_CANCELLATIONS))
    return _plans(head, docs, parts, ends)


def _plans(head, docs, parts, ends) -> tuple[pd.DataFrame, pd.DataFrame]:
    head = head.reindex(columns=["id", "at", "customer_id", "who", "note"])
    docs = docs.reindex(columns=["plan_id", "document_id"])
    parts = parts.reindex(columns=["plan_id", "number", "due_date", "amount_cents"])
    ends = ends.reindex(columns=["plan_id", "at", "who", "note"]).set_index("plan_id")
    ids = pd.Index(head["id"].astype(np.int64), name="plan_id")
    parts = parts.sort_values(["plan_id", "number"]).astype(
        {"plan_id": np.int64, "number": np.int64, "amount_cents": np.int64}
    )
    parts["due_date"] = pd.to_datetime(parts["due_date"]).astype("datetime64[ns]")
    listed = docs.sort_values(["plan_id", "document_id"]).groupby("plan_id")["document_id"]
    g = parts.groupby("plan_id")
    plans = pd.DataFrame(
        {
            "plan_id": ids.to_numpy(),
            "customer_id": head["customer_id"].astype(str).to_numpy(),
            "documents": listed.agg(tuple).reindex(ids).to_numpy(),
            "agreed_at": pd.to_datetime(head["at"], utc=True).to_numpy(),
            "agreed_by": head["who"].astype(str).to_numpy(),
            "note": head["note"].fillna("").astype(str).to_numpy(),
            "instalments": g.size().reindex(ids, fill_value=0).to_numpy(dtype=np.int64),
            "planned_cents": g["amount_cents"].sum().reindex(ids, fill_value=0).to_numpy(np.int64),
            "first_due": g["due_date"].min().reindex(ids).to_numpy(dtype="datetime64[ns]"),
            "last_due": g["due_date"].max().reindex(ids).to_numpy(dtype="datetime64[ns]"),
            "cancelled_at": pd.to_datetime(ends["at"].reindex(ids), utc=True).to_numpy(),
            "cancelled_by": ends["who"].reindex(ids).to_numpy(dtype=object),
            "cancel_note": ends["note"].reindex(ids).to_numpy(dtype=object),
        }
    )
    for name in ("agreed_at", "cancelled_at"):
        plans[name] = pd.to_datetime(plans[name], utc=True)
    for name in ("cancelled_by", "cancel_note"):
        plans[name] = plans[name].astype(object).where(plans[name].notna(), None)
    own = plans.set_index("plan_id")
    schedule = parts.assign(
        customer_id=own["customer_id"].reindex(parts["plan_id"]).to_numpy(dtype=object),
        agreed_at=own["agreed_at"].reindex(parts["plan_id"]).to_numpy(),
        cancelled_at=own["cancelled_at"].reindex(parts["plan_id"]).to_numpy(),
    )
    for name in ("agreed_at", "cancelled_at"):
        schedule[name] = pd.to_datetime(schedule[name], utc=True)
    return plans[PLAN_COLUMNS], schedule[SCHEDULE_COLUMNS].reset_index(drop=True)
