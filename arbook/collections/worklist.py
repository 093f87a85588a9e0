"""The morning worklist (SPEC §7) and what changed since the last working day.

Where each customer stands and the order to chase them are :mod:`arbook.collections.ranking`'s
(one ranking for the worklist and the walkthrough). A customer is listed when it has reached a
ladder step not yet acted on, a follow-up date has come, a promise falls due today, or a
promise broke and nobody has called since; promises due today and broken promises come first,
then the ranking's order. A customer whose overdue debt is all in dispute is listed last, as in
dispute and not chased. The ladder and playbook default to the client's own files in its data
folder, else the shipped ones (:mod:`arbook.core.procedure`).

The contact log is any object with ``history()`` (``id, at, customer_id, ..., excuse, next_date,
corrects``) and ``promises(ledger, as_of)`` (``customer_id, promise_cents, promise_date,
made_at, status``), such as :class:`arbook.collections.contacts.ContactLog`. Entries after
``as_of`` and entries corrected by a later one are ignored.

The texts for the person working the list (``reason``, ``action``, ``step_label``) are in the
language spoken when the worklist is made (the user's); the ``script``, said to the customer, is
in the language asked for (by default English; ``lang=None``: each customer's own).
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from arbook.collections.ladder import fill_script, ladder_step, next_step, step_action, step_text
from arbook.collections.plans import paused_documents
from arbook.collections.ranking import positions, rank
from arbook.collections.worklist_xlsx import write_worklist
from arbook.core.config import check_language
from arbook.core.dates import date_text, day_stamp, days_text, format_count
from arbook.core.i18n import LANGUAGES, _, language, ngettext, using
from arbook.core.ledger import Ledger, default_as_of
from arbook.core.money import format_cents
from arbook.core.procedure import resolve_ladder, resolve_playbook
from arbook.credit.holds import credit_holds, hold_changes
from arbook.credit.scores import book, rules_of, scores_at
from arbook.measures.aging import aging

__all__ = ["previous_working_day", "work_day", "worklist", "worklist_changes", "write_worklist"]

WORKLIST_COLUMNS = [
    "rank",
    "customer_id",
    "name",
    "phone",
    "overdue_cents",
    "oldest_days",
    "step",
    "action",
    "reason",
    "script",
    "last_contact",
    "next_date",
    "disputed_cents",
    "step_label",  # the step as a person reads it ("second call"), "" when on none
    "step_due",  # the step was reached and not yet acted on: its action is today's to do
    "template",  # the step's document ("reminder", "statement"...) when step_due, else ""
]
NEWLY_OVERDUE_COLUMNS = [
    "customer_id",
    "name",
    "document_id",
    "due_date",
    "outstanding_cents",
    "days_overdue",
    "disputed",
]
BROKEN_COLUMNS = ["customer_id", "name", "promise_cents", "promise_date", "made_at", "paid_cents"]
INSTALMENT_COLUMNS = ["customer_id", "name", "plan_id", "number", "due_date", "amount_cents",
                      "paid_cents"]  # fmt: skip
LIMIT_COLUMNS = ["customer_id", "name", "exposure_cents", "credit_limit_cents", "over_cents"]
CROSSED_COLUMNS = [
    "customer_id",
    "name",
    "from_step",
    "to_step",
    "action",
    "oldest_days",
    "overdue_cents",
]


def work_day(ledger: Ledger, as_of) -> pd.Timestamp:
    """The day collections work from, given a review's month end ``as_of``: collections are
    daily, so for the last month end the data covers it is the data's latest day (a controller
    works from the newest invoices and payments); for an earlier month end, that month end."""
    day, last = day_stamp(as_of), ledger.last_day
    if last is not None and last > day and day == default_as_of(ledger):
        return pd.Timestamp(last).normalize()
    return day


def _naive(values: pd.Series) -> pd.Series:
    """Timestamps without a time zone (a log may store them with one)."""
    stamps = pd.to_datetime(values)
    return stamps.dt.tz_localize(None) if stamps.dt.tz is not None else stamps


def _contacts(log, as_of) -> pd.DataFrame:
    """Per customer id: ``last_contact`` (date of the newest entry up to ``as_of``),
    ``follow_up`` (that entry's next date) and ``excuse``."""
    columns = ["last_contact", "follow_up", "excuse"]
    history = log.history() if log is not None else None
    if history is None or history.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="customer_id"))
    history = history.assign(at=_naive(history["at"]))
    corrected = set(history["corrects"].dropna()) if "corrects" in history else set()
    history = history[
        ~history["id"].isin(corrected) & (history["at"].dt.normalize() <= day_stamp(as_of))
    ]
    newest = history.sort_values("at", kind="stable").groupby("customer_id").tail(1)
    return pd.DataFrame(
        {
            "last_contact": newest["at"].dt.normalize().to_numpy(),
            "follow_up": _naive(newest["next_date"]).dt.normalize().to_numpy(),
            "excuse": newest["excuse"].to_numpy(),
        },
        index=pd.Index(newest["customer_id"].to_numpy(), name="customer_id"),
    )


def _promises(ledger: Ledger, log, as_of) -> pd.DataFrame:
    """The log's promises made up to ``as_of`` with ``promise_date`` as dates."""
    if log is None:
        return pd.DataFrame(
            columns=[
                "customer_id",
                "promise_cents",
                "promise_date",
                "made_at",
                "paid_cents",
                "status",
            ]
        )
    found = log.promises(ledger, as_of)
    found = found.assign(
        promise_date=_naive(found["promise_date"]).dt.normalize(),
        status=found["status"].astype("str").str.lower(),
    )
    if "made_at" in found and len(found):
        made = _naive(found["made_at"]).dt.normalize()
        found = found[made.isna() | (made <= day_stamp(as_of))]
    return found


def _promise_notes(promises: pd.DataFrame, contacts: pd.DataFrame, day: pd.Timestamp):
    """Per customer id: urgent promise reasons, and the date its ladder is paused until."""
    urgent: dict[str, list[str]] = {}
    paused: dict[str, pd.Timestamp] = {}
    for p in promises.sort_values("promise_date").itertuples():
        amount = format_cents(p.promise_cents)
        if p.status == "open" and p.promise_date == day:
            urgent.setdefault(p.customer_id, []).append(
                _("promise of {amount} due today").format(amount=amount)
            )
        elif p.status == "broken" and p.promise_date < day:
            last = contacts["last_contact"].get(p.customer_id, pd.NaT)
            if pd.isna(last) or last <= p.promise_date:
                urgent.setdefault(p.customer_id, []).append(
                    _("promise of {amount} due {date} broken").format(
                        amount=amount, date=date_text(p.promise_date)
                    )
                )
        if (p.status == "open" and p.promise_date > day) or (
            p.status == "kept" and p.promise_date >= day
        ):
            paused[p.customer_id] = max(paused.get(p.customer_id, p.promise_date), p.promise_date)
    return urgent, paused


def step_label(step) -> str:
    """A ladder step as a person reads it, in the language spoken: its key in words
    (``second_call`` -> "second call", :func:`~arbook.collections.ladder.step_text`); "" for
    none."""
    return "" if step is None else step_text(step.key)


def _oldest_text(days: int) -> str:
    """How late the oldest item is, in words: "oldest item 12 days overdue", and for a step
    before the due date "oldest item due in 3 days" / "due today" (never "-3 days overdue")."""
    if days > 0:
        return ngettext(
            "oldest item {count} day overdue", "oldest item {count} days overdue", days
        ).format(count=format_count(days))
    if days == 0:
        return _("oldest item due today")
    return ngettext(
        "oldest item due in {count} day", "oldest item due in {count} days", -days
    ).format(count=format_count(-days))


def _step_days(days: int) -> str:
    """Where a step sits: "+15 days" overdue, "on the due date", "3 days before the due date"."""
    if days > 0:
        return days_text(days, sign=True)
    if days == 0:
        return _("on the due date")
    return ngettext(
        "{count} day before the due date", "{count} days before the due date", -days
    ).format(count=format_count(-days))


def _paused(ledger: Ledger, as_of, log) -> pd.Index | None:
    """The documents a payment plan kept so far pauses on the ladder (None without plans)."""
    if log is None or not hasattr(log, "instalments"):
        return None
    return paused_documents(ledger, as_of, log)


def _instalment_notes(ledger: Ledger, log, contacts: pd.DataFrame, day) -> dict[str, list[str]]:
    """Per customer id: plan instalments due today, and broken ones nobody called about since
    (they come first, as promises do)."""
    if log is None or not hasattr(log, "instalments"):
        return {}
    found = log.instalments(ledger, day)
    notes: dict[str, list[str]] = {}
    due = _naive(found["due_date"]).dt.normalize()
    for r, when in zip(found.itertuples(index=False), due):
        amount = format_cents(int(r.amount_cents))
        status, number = str(r.status), format_count(int(r.number))
        if status == "open" and when == day:
            text = _("plan instalment {number} of {amount} due today").format(
                number=number, amount=amount
            )
        elif status == "broken" and when < day:
            last = contacts["last_contact"].get(r.customer_id, pd.NaT)
            if not (pd.isna(last) or last <= when):
                continue
            text = _("plan instalment {number} of {amount} due {date} broken").format(
                number=number, amount=amount, date=date_text(when)
            )
        else:
            continue
        notes.setdefault(r.customer_id, []).append(text)
    return notes


def _disputed_row(cid, pos) -> dict:
    """The row of a customer whose overdue debt is all in dispute: shown, not chased."""
    return {
        "customer_id": cid,
        "urgent": False,
        "overdue_cents": 0,
        "oldest_days": int(pos.oldest_days),
        "step": "",
        "action": _("work the dispute (not chased)"),
        "reason": _(
            "in dispute: {amount}, the {oldest}; not chased until the dispute is settled"
        ).format(
            amount=format_cents(pos.disputed_cents), oldest=_oldest_text(int(pos.oldest_days))
        ),
        "script": "",
        "last_contact": pd.NaT,
        "next_date": pd.NaT,
        "disputed_cents": int(pos.disputed_cents),
        "step_label": "",
        "step_due": False,
        "template": "",
    }


def _follow_up_text(follow: pd.Timestamp, said, excuse_text: str | None) -> str:
    """Why a follow-up call is due: its date, and the excuse heard (the playbook's words in
    the language spoken, else as written)."""
    if not said:
        return _("follow-up due {date}").format(date=date_text(follow))
    told = excuse_text if excuse_text is not None else str(said)
    return _("follow-up due {date} (excuse: {excuse})").format(date=date_text(follow), excuse=told)


def _script(step, lang: str, pos, oldest: int) -> str:
    """The step's call script in ``lang``, its amount written as that language writes it."""
    with using(lang):
        return fill_script(
            getattr(step.script, lang),
            name=pos.name_,
            contact=pos.contact_,
            amount=format_cents(pos.overdue_cents),
            days=oldest,
        )


def _row(cid, pos, day, ladder, contact, urgent, paused_until, lang, playbook, promised=True):
    """One worklist row (without rank) for customer ``cid``, or None when nothing is due;
    ``promised``: its urgent notes include a promise (else they are a plan's instalments)."""
    if not pos.chased:
        if pos.disputed_cents:
            return _disputed_row(cid, pos)
        if not urgent:  # all it owes is on a plan kept so far: nothing to do today
            return None
    oldest = int(pos.oldest_days)
    # all it owes on a plan kept so far: paused on the ladder (only an instalment is to call on)
    step = ladder_step(oldest, ladder) if pos.chased else None
    last, follow, said = contact if contact is not None else (pd.NaT, pd.NaT, None)
    reasons, script = list(urgent), []
    if not pd.isna(follow) and follow <= day:
        known = isinstance(said, str) and said in {e.code for e in playbook.excuses}
        told = getattr(playbook.get(said), language()).excuse.rstrip(".") if known else None
        reasons.append(_follow_up_text(follow, said, told))
        if known:
            script.append(getattr(playbook.get(said), lang).next_step)
    step_due = False
    if step is not None:
        reached = day - timedelta(days=oldest - step.days)
        step_due = (pd.isna(last) or last < reached) and paused_until is None
        if step_due:
            reasons.append(
                _("reached '{step}' ({where}) on {date}; {oldest}").format(
                    step=step_label(step),
                    where=_step_days(step.days),
                    date=date_text(reached),
                    oldest=_oldest_text(oldest),
                )
            )
    if not reasons:
        return None
    if pos.disputed_cents:
        reasons.append(
            _("{amount} more in dispute (not chased)").format(
                amount=format_cents(pos.disputed_cents)
            )
        )
    if step is not None:
        script.append(_script(step, lang, pos, oldest))
    after = next_step(step, ladder) if pos.chased else None  # on a plan: no next step
    if step_due:
        action = step_action(step)
    elif not urgent:
        action = _("follow-up call")
    elif promised:
        action = _("call about the promise")
    else:
        action = _("call about the payment plan")
    return {
        "customer_id": cid,
        "urgent": bool(urgent),
        "overdue_cents": int(pos.overdue_cents),
        "oldest_days": oldest,
        "step": step.key if step else "",
        "action": action,
        "reason": "; ".join(reasons),
        "script": " ".join(script),
        "last_contact": last,
        "next_date": (day + timedelta(days=after.days - oldest)) if after else pd.NaT,
        "disputed_cents": int(pos.disputed_cents),
        "step_label": step_label(step),
        "step_due": bool(step_due),
        "template": step.template if step is not None and step_due else "",
    }


def _script_languages(people: pd.DataFrame, ids: pd.Index, lang: str | None) -> list[str]:
    """The language of each customer's script: ``lang``, or (None) the customer's own
    ``language`` when arbook writes it, else English."""
    if lang is not None:
        return [check_language(lang)] * len(ids)
    own = people["language"] if "language" in people else pd.Series("", index=people.index)
    codes = own.reindex(ids).fillna("").astype(str).str.strip().str.lower().str[:2]
    return [c if c in LANGUAGES else "en" for c in codes]


def worklist(
    ledger: Ledger,
    as_of,
    *,
    policy=None,
    log=None,
    ladder=None,
    lang: str | None = "en",
    playbook=None,
) -> pd.DataFrame:
    """Who to call this morning and what to say: one row per customer needing action at
    ``as_of``, with ``rank, customer_id, name, phone, overdue_cents`` (undisputed, past due),
    ``oldest_days, step, action, reason`` (every reason it is listed, "; "-joined; both in the
    language spoken), ``script`` (in ``lang``: en, es or ru; None: each customer's
    ``language``, English when it has none arbook writes), ``last_contact`` (NaT = never),
    ``next_date`` (when its next
    step is reached; NaT on the last) and ``disputed_cents`` (owed in dispute, never chased). A
    customer is listed when it has reached a step not yet acted on (no log entry on or after the
    day it was reached; not while a promise is pending), a follow-up date has come, a promise
    falls due today, or a promise broke and nobody has called since; one whose overdue debt is
    all disputed is listed last, as in dispute. Ranked as the module docstring says.
    ``log=None`` lists every customer on a step."""
    lang = None if lang is None else check_language(lang)
    ladder = resolve_ladder(ladder, folder=ledger.folder)
    playbook = resolve_playbook(playbook, folder=ledger.folder)
    pol, day = rules_of(ledger, policy), day_stamp(as_of)
    pos = positions(ledger, as_of, policy=pol, log=log, paused=_paused(ledger, as_of, log))
    people = ledger.customers.set_index("customer_id")
    names = ledger.names(pos.index.to_series())
    # a script opens with the contact's name; without one it speaks to the customer by name
    given = people["contact"].reindex(pos.index).fillna("").astype(str).str.strip().to_numpy()
    pos = pos.assign(name_=names, contact_=np.where(given != "", given, np.asarray(names)))
    contacts = _contacts(log, as_of)
    urgent, paused = _promise_notes(_promises(ledger, log, as_of), contacts, day)
    promised = set(urgent)
    for cid, notes in _instalment_notes(ledger, log, contacts, day).items():
        urgent.setdefault(cid, []).extend(notes)
    langs = _script_languages(people, pos.index, lang)
    rows = []
    for cid, p, said_in in zip(pos.index, pos.itertuples(), langs):
        contact = tuple(contacts.loc[cid]) if cid in contacts.index else None
        row = _row(
            cid,
            p,
            day,
            ladder,
            contact,
            urgent.get(cid, []),
            paused.get(cid),
            said_in,
            playbook,
            cid in promised,
        )
        if row is not None:
            rows.append(row)
    order = rank(pos, scores_at(ledger, as_of, policy=pol), ledger, pol.collections.unscored_risk)
    return _ranked(pd.DataFrame(rows), order, people)


def _ranked(frame: pd.DataFrame, order: pd.DataFrame, people) -> pd.DataFrame:
    """The rows in the order of the chase ranking ``order``, urgent promises first."""
    if frame.empty:
        ints = ("rank", "overdue_cents", "oldest_days", "disputed_cents")
        kinds = {c: "int64" if c in ints else "object" for c in WORKLIST_COLUMNS}
        kinds["step_due"] = "bool"
        return pd.DataFrame({c: pd.Series(dtype=kind) for c, kind in kinds.items()})
    place = pd.Series(np.arange(len(order)), index=order["customer_id"].to_numpy())
    frame["place"] = place.reindex(frame["customer_id"]).to_numpy()
    frame = frame.sort_values(["urgent", "place"], ascending=[False, True], kind="stable")
    frame = frame.reset_index(drop=True)
    frame["rank"] = np.arange(1, len(frame) + 1, dtype=np.int64)
    frame["name"] = order.set_index("customer_id")["name"].reindex(frame["customer_id"]).to_numpy()
    frame["phone"] = people["phone"].reindex(frame["customer_id"]).fillna("").to_numpy()
    for name in ("last_contact", "next_date"):
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[s]")
    ints = {"overdue_cents": np.int64, "oldest_days": np.int64, "disputed_cents": np.int64}
    return frame.astype(ints)[WORKLIST_COLUMNS]


def previous_working_day(as_of) -> pd.Timestamp:
    """The last weekday before ``as_of`` (a Monday's is the Friday before)."""
    day = day_stamp(as_of) - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _steps_at(ledger, as_of, policy, ladder, log=None) -> pd.DataFrame:
    pos = positions(ledger, as_of, policy=policy, log=log, paused=_paused(ledger, as_of, log))
    pos = pos[pos["chased"]]
    order = {s.key: i for i, s in enumerate(ladder.steps)}
    keys = [getattr(ladder_step(d, ladder), "key", "") for d in pos["oldest_days"]]
    return pos.assign(step=keys, level=[order.get(k, -1) for k in keys])


def worklist_changes(
    ledger: Ledger, as_of, *, previous=None, log=None, policy=None, ladder=None
) -> dict[str, pd.DataFrame]:
    """What changed from ``previous`` (default: :func:`previous_working_day`) to ``as_of``,
    each a frame (empty when nothing changed): ``newly_overdue`` (open invoices that fell past
    due in between: ``customer_id, name, document_id, due_date, outstanding_cents,
    days_overdue, disputed``), ``promises_broken``
    (promises that broke in between, i.e. dated from ``previous`` to the day before ``as_of``:
    ``customer_id, name, promise_cents, promise_date, made_at, paid_cents``; empty without a
    log) and ``crossed_step`` (customers now on a higher step: ``customer_id, name, from_step``
    ("" = none), ``to_step, action, oldest_days, overdue_cents``); ``instalments_broken``
    (payment-plan instalments that broke in between: ``customer_id, name, plan_id, number,
    due_date, amount_cents, paid_cents``; empty without a log that keeps plans);
    ``over_limit`` (customers over their credit limit now and not at ``previous``:
    ``customer_id, name, exposure_cents, credit_limit_cents, over_cents``); ``put_on_hold`` and
    ``taken_off_hold`` (:func:`~arbook.credit.holds.credit_holds` rows now and not then, then
    and not now)."""
    ladder, day = resolve_ladder(ladder, folder=ledger.folder), day_stamp(as_of)
    before = day_stamp(previous) if previous is not None else previous_working_day(as_of)
    gap = (day - before).days
    items = aging(ledger, as_of, basis="due")
    new = items[
        (items["kind"] == "invoice")
        & (items["outstanding_cents"] > 0)
        & items["days_overdue"].between(1, gap)
    ]
    new = new.assign(name=ledger.names(new["customer_id"]))[NEWLY_OVERDUE_COLUMNS]
    promises = _promises(ledger, log, as_of)
    broke = promises[
        (promises["status"] == "broken")
        & (promises["promise_date"] >= before)
        & (promises["promise_date"] < day)
    ]
    broke = broke.assign(name=ledger.names(broke["customer_id"]))[BROKEN_COLUMNS]
    now, then = (_steps_at(ledger, d, policy, ladder, log) for d in (day, before))
    then = then.reindex(now.index)
    up = now[now["level"] > then["level"].fillna(-1)]
    actions = {s.key: step_action(s) for s in ladder.steps}
    crossed = pd.DataFrame(
        {
            "customer_id": up.index.to_numpy(),
            "name": ledger.names(up.index.to_series()),
            "from_step": then["step"].reindex(up.index).fillna("").to_numpy(),
            "to_step": up["step"].to_numpy(),
            "action": up["step"].map(actions).to_numpy(),
            "oldest_days": up["oldest_days"].to_numpy(),
            "overdue_cents": up["overdue_cents"].to_numpy(),
        },
        columns=CROSSED_COLUMNS,
    )
    on, off = hold_changes(
        *(credit_holds(ledger, d, policy=policy, log=log, ladder=ladder) for d in (day, before))
    )
    return {
        "newly_overdue": new.reset_index(drop=True),
        "promises_broken": broke.reset_index(drop=True),
        "instalments_broken": _instalments_broken(ledger, log, before, day),
        "crossed_step": crossed,
        "over_limit": _newly_over_limit(ledger, before, day),
        "put_on_hold": on,
        "taken_off_hold": off,
    }


def _instalments_broken(ledger: Ledger, log, before, day) -> pd.DataFrame:
    """Plan instalments that broke from ``before`` to the day before ``day`` (an instalment
    breaks the day after its date)."""
    if log is None or not hasattr(log, "instalments"):
        return pd.DataFrame(columns=INSTALMENT_COLUMNS)
    found = log.instalments(ledger, day)
    due = _naive(found["due_date"]).dt.normalize()
    broke = found[(found["status"].astype("str") == "broken") & (due >= before) & (due < day)]
    broke = broke.assign(name=ledger.names(broke["customer_id"]))
    return broke[INSTALMENT_COLUMNS].reset_index(drop=True)


def _newly_over_limit(ledger: Ledger, before, day) -> pd.DataFrame:
    """Customers whose exposure is over their credit limit at ``day`` and was not at
    ``before`` (:func:`~arbook.credit.scores.book`: the one exposure and limit)."""
    now, then = book(ledger, day), book(ledger, before)
    limit = now["credit_limit_cents"]

    def over(frame: pd.DataFrame) -> pd.Series:
        cap = frame["credit_limit_cents"]
        return (cap.notna() & (frame["exposure_cents"] > cap.fillna(0))).astype(bool)

    new = now[over(now) & ~over(then).reindex(now.index, fill_value=False)]
    return pd.DataFrame(
        {
            "customer_id": new.index.to_numpy(),
            "name": new["name"].to_numpy(),
            "exposure_cents": new["exposure_cents"].to_numpy(dtype=np.int64),
            "credit_limit_cents": limit[new.index].to_numpy(dtype=np.int64),
            "over_cents": (new["exposure_cents"] - limit[new.index]).to_numpy(dtype=np.int64),
        },
        columns=LIMIT_COLUMNS,
    )
