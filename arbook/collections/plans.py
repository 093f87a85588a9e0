"""Payment plans (SPEC §7): instalments (date, amount) agreed with a customer for listed items.

The rule, as promises': payments count from the day the plan was agreed (UTC), and only the
customer's payments dated up to the as-of date. Instalment k, in date order, is *kept* when the
payments by its date reach the instalments up to and including it (so it has its amount beyond
what the earlier ones needed: a late payment settles the oldest instalment first), *broken*
from the day after its date without that, *open* until then. A plan cancelled on a day is
judged on that day: an instalment still open then is *cancelled*.

A plan is ``cancelled``, else ``broken`` once any instalment broke, ``completed`` when all were
kept, else ``on track``; its items are ``paused`` on the ladder only while it is on track (a
broken instalment puts them back at the step their age gives). Nothing here reads a database:
the contact log hands in its plans (:meth:`ContactLog.plans`, :meth:`ContactLog.schedule`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.collections.log_fields import cents_value, date_value
from arbook.core.dates import date_text, day_stamp
from arbook.core.i18n import _, pgettext
from arbook.core.ledger import Ledger
from arbook.measures.aging import aging
from arbook.measures.disputes import known_customer, money_text

INSTALMENT_STATUSES = ("kept", "broken", "open", "cancelled")
PLAN_STATUSES = ("on track", "broken", "completed", "cancelled")
PLAN_COLUMNS = [
    "plan_id",
    "customer_id",
    "documents",  # a tuple of document ids
    "agreed_at",
    "agreed_by",
    "note",
    "instalments",
    "planned_cents",
    "first_due",
    "last_due",
    "cancelled_at",  # NaT while not cancelled
    "cancelled_by",
    "cancel_note",
]
SCHEDULE_COLUMNS = [
    "plan_id",
    "customer_id",
    "number",
    "due_date",
    "amount_cents",
    "agreed_at",
    "cancelled_at",
]
INSTALMENT_COLUMNS = [
    "plan_id",
    "customer_id",
    "number",
    "due_date",
    "amount_cents",
    "paid_cents",
    "status",
]
STATUS_COLUMNS = [
    "plan_id",
    "customer_id",
    "documents",
    "agreed_at",
    "status",
    "instalments",
    "kept",
    "broken",
    "planned_cents",
    "paid_cents",
    "next_due",  # the first instalment still open (NaT: none)
    "next_cents",
    "paused",
]


def plan_status_label(status) -> str:
    """A plan's status (:data:`PLAN_STATUSES`) as a person reads it, in the language spoken;
    another value as it is."""
    words = {
        "on track": pgettext("plan status", "on track"),
        "broken": pgettext("plan status", "broken"),
        "completed": pgettext("plan status", "completed"),
        "cancelled": pgettext("plan status", "cancelled"),
    }
    return words.get(str(status), str(status))


def instalment_status_label(status) -> str:
    """An instalment's status (:data:`INSTALMENT_STATUSES`) as a person reads it, in the
    language spoken; another value as it is."""
    words = {
        "kept": pgettext("instalment status", "kept"),
        "broken": pgettext("instalment status", "broken"),
        "open": pgettext("instalment status", "open"),
        "cancelled": pgettext("instalment status", "cancelled"),
    }
    return words.get(str(status), str(status))


def _day(at: pd.Series) -> pd.Series:
    """The UTC day of each aware moment as naive midnight (NaT stays NaT)."""
    return pd.to_datetime(at, utc=True).dt.tz_localize(None).dt.normalize()


def instalment_status(schedule: pd.DataFrame, payments: pd.DataFrame, as_of) -> pd.DataFrame:
    """Each instalment of ``schedule`` (:data:`SCHEDULE_COLUMNS`) at ``as_of``:
    :data:`INSTALMENT_COLUMNS`, ``paid_cents`` what the payments by its date (or by ``as_of``,
    or the cancellation day, when earlier) left for it after the earlier ones, at most its
    amount; ``status`` kept, broken, open or cancelled (module docstring). Plans agreed after
    ``as_of`` are left out. By plan, then number."""
    day = day_stamp(as_of)
    agreed = _day(schedule["agreed_at"])
    frame = schedule.assign(agreed_day=agreed)[(agreed <= day).to_numpy()]
    frame = frame.sort_values(["plan_id", "number"], kind="stable").reset_index(drop=True)
    cancel = _day(frame["cancelled_at"])
    stop = cancel.where(cancel <= day, day).fillna(day)  # the day each plan is judged at
    due = pd.to_datetime(frame["due_date"]).astype("datetime64[ns]")
    limit = due.where(due < stop, stop)
    amount = frame["amount_cents"].to_numpy(dtype=np.int64)
    needed = frame.groupby("plan_id")["amount_cents"].cumsum().to_numpy(dtype=np.int64)
    pays = payments[["customer_id", "payment_date", "amount_cents"]]
    keys = frame[["plan_id", "number", "customer_id", "agreed_day"]].assign(limit=limit)
    pairs = keys.merge(pays, on="customer_id")
    inside = (pairs["payment_date"] >= pairs["agreed_day"]) & (
        pairs["payment_date"] <= pairs["limit"]
    )
    paid = pairs[inside].groupby(["plan_id", "number"])["amount_cents"].sum()
    index = pd.MultiIndex.from_frame(frame[["plan_id", "number"]])
    by_then = paid.reindex(index, fill_value=0).to_numpy(dtype=np.int64)
    kept = by_then >= needed
    late = (stop > due).to_numpy()
    status = np.where(kept, "kept", np.where(late, "broken", "open"))
    status = np.where((status == "open") & (cancel <= day).to_numpy(), "cancelled", status)
    own = np.clip(by_then - (needed - amount), 0, amount)
    frame = frame.assign(
        due_date=due,
        paid_cents=own.astype(np.int64),
        status=pd.Series(status, index=frame.index, dtype="str"),
    )
    return frame[INSTALMENT_COLUMNS]


def _plans_of(log) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The log's plans and schedule, None for no log or one that keeps no plans."""
    if log is None or not hasattr(log, "schedule"):
        return None
    return log.plans(), log.schedule()


def plan_status(ledger: Ledger, as_of, log) -> pd.DataFrame:
    """Each plan agreed by ``as_of`` in contact ``log``, with :data:`STATUS_COLUMNS`:
    ``documents`` (tuple), ``status`` (on track, broken, completed, cancelled), how many
    instalments were ``kept`` and ``broken``, ``paid_cents`` towards it, the next open
    instalment (``next_due`` NaT and ``next_cents`` <NA> when none) and ``paused`` (on track:
    its items are not chased). Empty without a log. By plan id."""
    found = _plans_of(log)
    if found is None:
        return pd.DataFrame({c: [] for c in STATUS_COLUMNS})
    plans, schedule = found
    plans = plans[(_day(plans["agreed_at"]) <= day_stamp(as_of)).to_numpy()]
    rows = instalment_status(schedule, ledger.payments, as_of)
    g = rows.groupby("plan_id")
    count = g["status"].value_counts().unstack(fill_value=0)
    count = count.reindex(columns=list(INSTALMENT_STATUSES), fill_value=0)
    ahead = rows[rows["status"] == "open"].groupby("plan_id").first()
    ids = pd.Index(plans["plan_id"].to_numpy(), name="plan_id")
    n = plans["instalments"].to_numpy(dtype=np.int64)
    kept, broken = (count[s].reindex(ids, fill_value=0).to_numpy() for s in ("kept", "broken"))
    cancelled = (_day(plans["cancelled_at"]) <= day_stamp(as_of)).to_numpy()
    status = np.select(
        [cancelled, broken > 0, kept == n], ["cancelled", "broken", "completed"], "on track"
    )
    frame = pd.DataFrame(
        {
            "plan_id": ids.to_numpy(dtype=np.int64),
            "customer_id": plans["customer_id"].to_numpy(dtype=object),
            "documents": plans["documents"].to_numpy(dtype=object),
            "agreed_at": pd.to_datetime(plans["agreed_at"], utc=True).to_numpy(),
            "status": status.astype(object),
            "instalments": n,
            "kept": kept.astype(np.int64),
            "broken": broken.astype(np.int64),
            "planned_cents": plans["planned_cents"].to_numpy(dtype=np.int64),
            "paid_cents": g["paid_cents"].sum().reindex(ids, fill_value=0).to_numpy(np.int64),
            "next_due": ahead["due_date"].reindex(ids).to_numpy(dtype="datetime64[ns]"),
            "next_cents": pd.array(ahead["amount_cents"].reindex(ids), dtype="Int64"),
            "paused": status == "on track",
        }
    )
    frame["agreed_at"] = pd.to_datetime(frame["agreed_at"], utc=True)
    return frame[STATUS_COLUMNS].sort_values("plan_id").reset_index(drop=True)


def paused_documents(ledger: Ledger, as_of, log) -> pd.Index:
    """The documents a plan on track pauses on the ladder at ``as_of`` (no duplicates)."""
    status = plan_status(ledger, as_of, log)
    listed = status.loc[status["paused"], "documents"].explode().dropna()
    return pd.Index(listed.unique(), name="document_id")


# -- checking a plan before it is written ---------------------------------------------------


def schedule_values(instalments, day, problems: list[str]) -> list[tuple]:
    """``instalments`` ((date, cents) pairs) checked and in date order: real dates on or after
    the plan's ``day``, one instalment a date, whole cents more than 0, at least one."""
    pairs = list(instalments) if isinstance(instalments, (list, tuple)) else None
    if not pairs:
        problems.append(
            _(
                "instalments is {value}; give at least one (date, cents) pair, "
                "e.g. [('2026-11-15', 50000)]"
            ).format(value=repr(instalments))
        )
        return []
    checked = []
    for number, pair in enumerate(pairs, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            problems.append(
                _("instalment {number} is {value}; it must be a (date, cents) pair").format(
                    number=number, value=repr(pair)
                )
            )
            continue
        when = date_value(_("instalment {number} date").format(number=number), pair[0], problems)
        cents = cents_value(
            pair[1],
            problems,
            _("instalment {number} amount").format(number=number),
            "an instalment",
        )
        if when is not None and day is not None and when < day:
            problems.append(
                _(
                    "instalment {number} is due {date}, before the plan (agreed {day}); an "
                    "instalment falls on or after the day the plan is agreed"
                ).format(number=number, date=date_text(when), day=date_text(day))
            )
        checked.append((when, cents))
    dates = [when for when, _cents in checked if when is not None]
    twice = sorted({when for when in dates if dates.count(when) > 1})
    if twice:
        problems.append(
            _(
                "more than one instalment on {dates}; give one instalment a date "
                "(add up the amounts)"
            ).format(dates=", ".join(map(date_text, twice)))
        )
    return sorted(checked, key=lambda pair: (pair[0] is None, pair[0] or day))


def plan_problems(
    ledger: Ledger, customer_id: str, documents, total_cents: int, day
) -> tuple[list[str], list[str]]:
    """(problems, notes) of a plan for ``customer_id`` over ``documents`` whose instalments add
    up to ``total_cents``, agreed on ``day``, against the data. Problems: an unknown customer, a
    document that is not one of its open invoices, instalments adding up to more than the
    documents owe. A note: they add up to less (the rest is not in the plan)."""
    unknown = known_customer(ledger, customer_id)
    if unknown:
        return [unknown], []
    items = aging(ledger, day, basis="due")
    mine = items[(items["customer_id"] == customer_id) & (items["kind"] == "invoice")]
    owed = mine.set_index("document_id")["outstanding_cents"]
    problems = []
    for doc in documents:
        if doc not in owed.index or owed[doc] <= 0:
            problems.append(
                _(
                    "document {document} is not an open invoice of {customer} on {date}; "
                    "list the invoices the plan pays"
                ).format(document=repr(doc), customer=customer_id, date=date_text(day_stamp(day)))
            )
    if problems:
        return problems, []
    due = int(owed.reindex(list(documents)).sum())
    listed = ", ".join(documents)
    if total_cents > due:
        problems.append(
            _(
                "the instalments add up to {total}, more than the {owed} owed on {documents}; "
                "lower them or list more invoices"
            ).format(
                total=money_text(ledger, total_cents),
                owed=money_text(ledger, due),
                documents=listed,
            )
        )
        return problems, []
    notes = []
    if total_cents < due:
        notes.append(
            _(
                "the instalments add up to {total} of the {owed} owed on {documents}; "
                "the other {rest} is not in the plan"
            ).format(
                total=money_text(ledger, total_cents),
                owed=money_text(ledger, due),
                documents=listed,
                rest=money_text(ledger, due - total_cents),
            )
        )
    return problems, notes
