"""Collections (SPEC §7): the morning worklist, what changed since the last working day, and
the worklist as an Excel sheet. The ladder and the excuse playbook are in :mod:`arbook.collections.ladder`.

Where a customer stands: its *positions* are its undisputed open invoices with something still
outstanding (disputed items pause the ladder for that item: they are left out). It sits on the
ladder step of the one with the most days overdue (by the policy's aging basis). A customer whose
credits (credit notes, unapplied cash) cover its whole balance is not chased: the cash should be
applied, not collected.

Ranking (:func:`worklist`): promises due today and broken promises not yet followed up first;
within each group by *expected loss avoided*::

    sum over overdue items of  outstanding_cents x min(1 + days_overdue / 30, 5)
        x (1 + risk),   risk = (100 - payment score) / 100, 0.5 when unscored

(a month late doubles an item's weight, capped at 5 from 120 days, the last aging edge; a score
of 0 doubles the whole). Ties: larger overdue amount, then customer id.

The contact log is any object with ``history()`` (``id, at, customer_id, ..., excuse, next_date,
corrects``) and ``promises(ledger, as_of)`` (``customer_id, promise_cents, promise_date,
made_at, status``), such as :class:`arbook.collections.contacts.ContactLog`. Entries after ``as_of`` and
entries corrected by a later one are ignored.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from arbook.collections.ladder import (  # noqa: F401
    Ladder,
    check_lang,
    fill_script,
    ladder_step,
    load_ladder,
    load_playbook,
    next_step,
    resolve_ladder,
    resolve_playbook,
)
from arbook.core.config import resolve_policy
from arbook.core.ledger import Ledger, day_number
from arbook.core.money import format_cents
from arbook.credit.scores import payment_scores
from arbook.measures.aging import aging

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
CROSSED_COLUMNS = [
    "customer_id",
    "name",
    "from_step",
    "to_step",
    "action",
    "oldest_days",
    "overdue_cents",
]
AGE_CAP, MONTH, UNSCORED_RISK = 5.0, 30.0, 0.5


def _date(as_of) -> pd.Timestamp:
    return pd.Timestamp("1970-01-01") + pd.Timedelta(days=day_number(as_of))


def _policy(ledger: Ledger, policy):
    return resolve_policy(policy if policy not in (None, "") else ledger.policy)


def _items(ledger: Ledger, as_of, basis: str) -> pd.DataFrame:
    """Open items at ``as_of`` with ``disputed`` (False for credits and cash)."""
    items = aging(ledger, as_of, basis=basis)
    disputed = ledger.invoices.set_index("invoice_id")["disputed"].astype(bool)
    flags = items["document_id"].map(disputed).where(items["kind"] == "invoice", False)
    return items.assign(disputed=flags.fillna(False).astype(bool))


def positions(ledger: Ledger, as_of, *, policy=None) -> pd.DataFrame:
    """Per customer owing at ``as_of`` (indexed by id): ``overdue_cents`` (undisputed items past
    due), ``oldest_days`` (most days overdue of its undisputed items), ``weighted_cents`` (the
    age-weighted overdue amount of the module docstring)."""
    items = _items(ledger, as_of, _policy(ledger, policy).aging.basis)
    net = items.groupby("customer_id")["outstanding_cents"].sum()
    live = items[
        (items["outstanding_cents"] > 0)
        & (items["kind"] == "invoice")
        & ~items["disputed"]
        & items["customer_id"].isin(net[net > 0].index)
    ]
    days = live["days_overdue"].to_numpy(dtype=float)
    late = np.where(days > 0, live["outstanding_cents"].to_numpy(dtype=float), 0.0)
    frame = live.assign(
        overdue_cents=late.astype(np.int64),
        weighted_cents=late * np.minimum(1 + np.maximum(days, 0) / MONTH, AGE_CAP),
    )
    return frame.groupby("customer_id").agg(
        overdue_cents=("overdue_cents", "sum"),
        oldest_days=("days_overdue", "max"),
        weighted_cents=("weighted_cents", "sum"),
    )


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
        ~history["id"].isin(corrected) & (history["at"].dt.normalize() <= _date(as_of))
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
        found = found[made.isna() | (made <= _date(as_of))]
    return found


def _promise_notes(promises: pd.DataFrame, contacts: pd.DataFrame, day: pd.Timestamp):
    """Per customer id: urgent promise reasons, and the date its ladder is paused until."""
    urgent, paused = {}, {}
    for p in promises.sort_values("promise_date").itertuples():
        amount = format_cents(p.promise_cents)
        if p.status == "open" and p.promise_date == day:
            urgent.setdefault(p.customer_id, []).append(f"promise of {amount} due today")
        elif p.status == "broken" and p.promise_date < day:
            last = contacts["last_contact"].get(p.customer_id, pd.NaT)
            if pd.isna(last) or last <= p.promise_date:
                urgent.setdefault(p.customer_id, []).append(
                    f"promise of {amount} due {p.promise_date:%Y-%m-%d} broken"
                )
        if (p.status == "open" and p.promise_date > day) or (
            p.status == "kept" and p.promise_date >= day
        ):
            paused[p.customer_id] = max(paused.get(p.customer_id, p.promise_date), p.promise_date)
    return urgent, paused


def _risk(ledger: Ledger, as_of) -> pd.Series:
    score = payment_scores(ledger, as_of).set_index("customer_id")["score"]
    return ((100 - score) / 100).fillna(UNSCORED_RISK)


def _row(cid, pos, day, ladder, contact, urgent, paused_until, lang, playbook):
    """One worklist row (without rank) for customer ``cid``, or None when nothing is due."""
    oldest = int(pos.oldest_days)
    step = ladder_step(oldest, ladder)
    last, follow, said = contact if contact is not None else (pd.NaT, pd.NaT, None)
    reasons, script = list(urgent), []
    if not pd.isna(follow) and follow <= day:
        known = isinstance(said, str) and said in {e.code for e in playbook.excuses}
        reasons.append(f"follow-up due {follow:%Y-%m-%d}" + (f" (excuse: {said})" if said else ""))
        if known:
            script.append(getattr(playbook.get(said), lang).next_step)
    step_due = False
    if step is not None:
        reached = day - timedelta(days=oldest - step.days)
        step_due = pd.isna(last) or last < reached
        if step_due and paused_until is not None:
            step_due = False
        if step_due:
            reasons.append(
                f"reached '{step.key}' ({step.days:+d} days) on {reached:%Y-%m-%d}; "
                f"oldest item {oldest} days overdue"
            )
    if not reasons:
        return None
    if step is not None:
        script.append(
            fill_script(
                getattr(step.script, lang),
                name=pos.name_,
                contact=pos.contact_,
                amount=format_cents(pos.overdue_cents),
                days=oldest,
            )
        )
    after = next_step(step, ladder)
    action = step.action if step_due else ("call about the promise" if urgent else "follow-up call")
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
    }


def worklist(
    ledger: Ledger, as_of, *, policy=None, log=None, ladder=None, lang: str = "en", playbook=None
) -> pd.DataFrame:
    """Who to call this morning and what to say: one row per customer needing action at
    ``as_of``, with ``rank, customer_id, name, phone, overdue_cents, oldest_days, step, action,
    reason`` (every reason it is listed, "; "-joined), ``script`` (in ``lang``: en, es or ru),
    ``last_contact`` (NaT = never) and ``next_date`` (when its next step is reached; NaT on the
    last). A customer is listed when it has reached a step not yet acted on (no log entry on or
    after the day it was reached; not while a promise is pending), a follow-up date has come, a
    promise falls due today, or a promise broke and nobody has called since. Ranked as the module
    docstring says. ``log=None`` lists every customer on a step."""
    lang, ladder = check_lang(lang), resolve_ladder(ladder)
    playbook, day = resolve_playbook(playbook), _date(as_of)
    pos = positions(ledger, as_of, policy=policy)
    people = ledger.customers.set_index("customer_id")
    pos = pos.assign(
        name_=ledger.names(pos.index.to_series()),
        contact_=people["contact"].reindex(pos.index).fillna("").to_numpy(),
    )
    contacts = _contacts(log, as_of)
    urgent, paused = _promise_notes(_promises(ledger, log, as_of), contacts, day)
    rows = []
    for cid, p in zip(pos.index, pos.itertuples()):
        contact = tuple(contacts.loc[cid]) if cid in contacts.index else None
        row = _row(
            cid, p, day, ladder, contact, urgent.get(cid, []), paused.get(cid), lang, playbook
        )
        if row is not None:
            rows.append(row)
    return _ranked(pd.DataFrame(rows), pos, _risk(ledger, as_of), people)


def _ranked(frame: pd.DataFrame, pos, risk, people) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(
            {
                c: pd.Series(
                    dtype="int64" if c in ("rank", "overdue_cents", "oldest_days") else "object"
                )
                for c in WORKLIST_COLUMNS
            }
        )
    ids = frame["customer_id"]
    frame["priority"] = pos["weighted_cents"].reindex(ids).to_numpy() * (
        1 + risk.reindex(ids).fillna(UNSCORED_RISK).to_numpy()
    )
    frame = frame.sort_values(
        ["urgent", "priority", "overdue_cents", "customer_id"],
        ascending=[False, False, False, True],
        kind="stable",
    )
    frame = frame.reset_index(drop=True)
    frame["rank"] = np.arange(1, len(frame) + 1, dtype=np.int64)
    frame["name"] = pos["name_"].reindex(frame["customer_id"]).to_numpy()
    frame["phone"] = people["phone"].reindex(frame["customer_id"]).fillna("").to_numpy()
    for name in ("last_contact", "next_date"):
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[s]")
    return frame.astype({"overdue_cents": np.int64, "oldest_days": np.int64})[WORKLIST_COLUMNS]


def previous_working_day(as_of) -> pd.Timestamp:
    """The last weekday before ``as_of`` (a Monday's is the Friday before)."""
    day = _date(as_of) - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _steps_at(ledger, as_of, policy, ladder) -> pd.DataFrame:
    pos = positions(ledger, as_of, policy=policy)
    order = {s.key: i for i, s in enumerate(ladder.steps)}
    keys = [getattr(ladder_step(d, ladder), "key", "") for d in pos["oldest_days"]]
    return pos.assign(step=keys, level=[order.get(k, -1) for k in keys])


def worklist_changes(
    ledger: Ledger, as_of, *, previous=None, log=None, policy=None, ladder=None
) -> dict[str, pd.DataFrame]:
    """What changed from ``previous`` (default: :func:`previous_working_day`) to ``as_of``:
    ``newly_overdue`` (open invoices that fell past due in between: ``customer_id, name,
    document_id, due_date, outstanding_cents, days_overdue, disputed``), ``promises_broken``
    (promises that broke in between, i.e. dated from ``previous`` to the day before ``as_of``:
    ``customer_id, name, promise_cents, promise_date, made_at, paid_cents``; empty without a
    log) and ``crossed_step`` (customers now on a higher step: ``customer_id, name, from_step``
    ("" = none), ``to_step, action, oldest_days, overdue_cents``)."""
    ladder, day = resolve_ladder(ladder), _date(as_of)
    before = _date(previous) if previous is not None else previous_working_day(as_of)
    gap = (day - before).days
    items = _items(ledger, as_of, _policy(ledger, policy).aging.basis)
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
    now, then = (_steps_at(ledger, d, policy, ladder) for d in (day, before))
    then = then.reindex(now.index)
    up = now[now["level"] > then["level"].fillna(-1)]
    actions = {s.key: s.action for s in ladder.steps}
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
    return {
        "newly_overdue": new.reset_index(drop=True),
        "promises_broken": broke.reset_index(drop=True),
        "crossed_step": crossed,
    }


MONEY_FORMAT, DATE_FORMAT, RISKY = "#,##0.00", "yyyy-mm-dd", ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text a spreadsheet will not run: a leading ``= + - @`` (or tab, CR) gets a ``'``."""
    return "'" + value if value.startswith(RISKY) else value


def _cell_value(value, money: bool):
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if money:
        return int(value) / 100
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    return safe_text(str(value)) if not isinstance(value, (int, float, bool)) else value


def write_worklist(frame: pd.DataFrame, path, *, title: str = "Worklist") -> None:
    """Write ``frame`` (a :func:`worklist`, or any frame) to ``path`` as one Excel sheet: bold
    shaded header frozen in place, ``*_cents`` columns as amounts (titled without ``_cents``,
    2 decimals), dates as dates, column widths to fit (long text wrapped). Text is written as
    text and never as a formula: a value starting with ``= + - @`` is prefixed with ``'``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([safe_text(str(c).removesuffix("_cents")) for c in frame.columns])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    money = [str(c).endswith("_cents") for c in frame.columns]
    for values in frame.itertuples(index=False):
        sheet.append([_cell_value(v, m) for v, m in zip(values, money)])
    for col, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(col)
        texts = [str(c.value) for c in sheet[letter] if c.value is not None]
        width = min(max(map(len, texts), default=8) + 2, 60)
        sheet.column_dimensions[letter].width = max(width, 10)
        for cell in sheet[letter][1:]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would read "=..." as a formula
                cell.alignment = Alignment(wrap_text=width >= 60, vertical="top")
            elif money[col - 1]:
                cell.number_format = MONEY_FORMAT
            elif frame[name].dtype.kind == "M":
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(path)
