"""Collection activity over a month (SPEC §7): what the collectors did and what it brought in.

:func:`collection_summary` reads the contact log (any object with ``history()`` and
``promises(ledger, as_of)``, such as :class:`arbook.collections.contacts.ContactLog`) against
the ledger for the calendar month ending at ``as_of``: from the first day of ``as_of``'s month
to ``as_of``, both included. Log times are read as UTC days, as
:func:`arbook.collections.promises.promise_status` does.
Only current log entries count (a corrected entry is replaced by its correction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.collections.contacts import CHANNELS, OUTCOMES
from arbook.collections.ladder import ladder_step
from arbook.collections.ranking import positions
from arbook.core.dates import day_stamp
from arbook.core.ledger import Ledger
from arbook.core.procedure import resolve_ladder
from arbook.credit.scores import rules_of

STATUSES = ("kept", "broken", "open")
MONTH_PROMISE_COLUMNS = [
    "customer_id",
    "name",
    "promise_cents",
    "promise_date",
    "made_at",
    "paid_cents",
    "status",
]
COLLECTED_COLUMNS = ["customer_id", "name", "first_contact", "collected_cents"]
STUCK_COLUMNS = [
    "customer_id",
    "name",
    "step",
    "step_days",
    "days_on_step",
    "oldest_days",
    "overdue_cents",
]


def month_bounds(as_of) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first day of ``as_of``'s month and ``as_of`` itself, as midnight timestamps."""
    day = day_stamp(as_of)
    return day.replace(day=1), day


def _utc_day(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values, utc=True)
    return stamps.dt.tz_localize(None).dt.normalize()


def _counts(values: pd.Series, order: tuple[str, ...], name: str) -> pd.DataFrame:
    """How often each value occurs, in ``order`` then any other value; zero rows left out."""
    counts = values.value_counts()
    keys = [k for k in order if k in counts.index] + sorted(set(counts.index) - set(order))
    return pd.DataFrame(
        {name: keys, "contacts": [int(counts[k]) for k in keys]}, columns=[name, "contacts"]
    ).astype({"contacts": np.int64})


def _month_contacts(log, start, day) -> pd.DataFrame:
    """The log's current entries dated (UTC) from ``start`` to ``day``, with ``day``."""
    history = log.history() if log is not None else None
    if history is None or history.empty:
        return pd.DataFrame(
            {
                "customer_id": pd.Series(dtype="str"),
                "channel": pd.Series(dtype="str"),
                "outcome": pd.Series(dtype="str"),
                "day": pd.Series(dtype="datetime64[ns]"),
            }
        )
    history = history.assign(day=_utc_day(history["at"]))
    return history[(history["day"] >= start) & (history["day"] <= day)]


def _promise_table(promises: pd.DataFrame) -> pd.DataFrame:
    """Per status (kept, broken, open): ``promises``, ``promise_cents``, ``paid_cents``."""
    rows = []
    for status in STATUSES:
        these = promises[promises["status"] == status]
        rows.append(
            {
                "status": status,
                "promises": len(these),
                "promise_cents": int(these["promise_cents"].sum()),
                "paid_cents": int(these["paid_cents"].sum()),
            }
        )
    return pd.DataFrame(rows).astype(
        {"promises": np.int64, "promise_cents": np.int64, "paid_cents": np.int64}
    )


def _collected(ledger: Ledger, contacts: pd.DataFrame, start, day) -> pd.DataFrame:
    """Per customer contacted in the month: its first contact day in the month and what it paid
    from that day to ``day`` (payments dated in the month only)."""
    first = contacts.groupby("customer_id")["day"].min()
    pays = ledger.payments[["customer_id", "payment_date", "amount_cents"]]
    pays = pays[(pays["payment_date"] >= start) & (pays["payment_date"] <= day)]
    pays = pays.merge(first.rename("first").reset_index(), on="customer_id")
    after = pays[pays["payment_date"] >= pays["first"]]
    paid = after.groupby("customer_id")["amount_cents"].sum()
    paid = paid[paid != 0].sort_values(ascending=False, kind="stable")
    ids = pd.Series(paid.index, dtype="str")
    return pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "name": ledger.names(ids),
            "first_contact": first.reindex(ids).to_numpy(),
            "collected_cents": paid.to_numpy(dtype=np.int64),
        },
        columns=COLLECTED_COLUMNS,
    )


def stuck_customers(ledger: Ledger, as_of, *, ladder=None, policy=None) -> pd.DataFrame:
    """Customers on the same ladder step at ``as_of`` as at the end of the month before, on a
    step of the policy's ``[collections] stuck_from_days`` days or more: ``customer_id, name,
    step, step_days`` (the step's days overdue), ``days_on_step`` (days since its oldest item
    reached the step), ``oldest_days, overdue_cents``; longest on the step first, then by id.
    Customers whose overdue debt is all in dispute are not on the ladder, so never stuck."""
    pol = rules_of(ledger, policy)
    ladder = resolve_ladder(ladder, folder=ledger.folder)
    start, day = month_bounds(as_of)
    now = positions(ledger, day, policy=pol)
    now = now[now["chased"]]
    then = positions(ledger, start - pd.Timedelta(days=1), policy=pol)
    then = then[then["chased"]]
    rows = []
    for cid, pos in zip(now.index, now.itertuples()):
        step = ladder_step(int(pos.oldest_days), ladder)
        if step is None or step.days < pol.collections.stuck_from_days or cid not in then.index:
            continue
        before = ladder_step(int(then.loc[cid, "oldest_days"]), ladder)
        if before is not None and before.key == step.key:
            rows.append(
                {
                    "customer_id": cid,
                    "step": step.key,
                    "step_days": step.days,
                    "days_on_step": int(pos.oldest_days) - step.days,
                    "oldest_days": int(pos.oldest_days),
                    "overdue_cents": int(pos.overdue_cents),
                }
            )
    frame = pd.DataFrame(rows, columns=[c for c in STUCK_COLUMNS if c != "name"])
    frame = frame.astype(
        dict.fromkeys(("step_days", "days_on_step", "oldest_days", "overdue_cents"), np.int64)
    )
    frame = frame.sort_values(
        ["days_on_step", "customer_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
    frame.insert(1, "name", ledger.names(frame["customer_id"].astype("str")))
    return frame[STUCK_COLUMNS]


def collection_summary(ledger: Ledger, as_of, log, *, ladder=None) -> dict:
    """The month's collection activity (the month as the module docstring says).

    ``contacts`` (int) log entries dated in the month; ``customers_contacted`` (int);
    ``by_channel`` (``channel, contacts``) and ``by_outcome`` (``outcome, contacts``) the same
    entries counted, in the log's order of channels and outcomes, zero rows left out;
    ``promises`` the promises made in the month (``customer_id, name, promise_cents,
    promise_date, made_at, paid_cents, status``) with their status at ``as_of``: ``kept`` (paid
    in full between the day it was made and its date), ``broken`` (not kept and its date has
    passed), ``open``; ``promise_status`` one row each for kept, broken and open:
    ``promises, promise_cents, paid_cents``; ``kept``, ``broken``, ``open`` (int) those counts;
    ``collected`` (``customer_id, name, first_contact, collected_cents``) the payments dated in
    the month by customers contacted in the month, on or after their first contact in the month,
    and ``collected_cents`` (int) their total; ``stuck`` :func:`stuck_customers`. With
    ``log=None`` every count is 0 and every frame but ``stuck`` is empty."""
    start, day = month_bounds(as_of)
    contacts = _month_contacts(log, start, day)
    promises = _promises_made(ledger, log, start, day)
    collected = _collected(ledger, contacts, start, day)
    table = _promise_table(promises)
    counts = dict(zip(table["status"], table["promises"].astype(int)))
    return {
        "contacts": len(contacts),
        "customers_contacted": int(contacts["customer_id"].nunique()),
        "by_channel": _counts(contacts["channel"], CHANNELS, "channel"),
        "by_outcome": _counts(contacts["outcome"], OUTCOMES, "outcome"),
        "promises": promises,
        "promise_status": table,
        **counts,
        "collected": collected,
        "collected_cents": int(collected["collected_cents"].sum()),
        "stuck": stuck_customers(ledger, day, ladder=ladder),
    }


def _promises_made(ledger: Ledger, log, start, day) -> pd.DataFrame:
    """The log's promises made (UTC day) from ``start`` to ``day``, status at ``day``."""
    if log is None:
        return pd.DataFrame(
            {
                c: pd.Series(dtype="int64" if c.endswith("_cents") else "object")
                for c in MONTH_PROMISE_COLUMNS
            }
        )
    found = log.promises(ledger, day)
    found = found[_utc_day(found["made_at"]) >= start]
    found = found.assign(
        name=ledger.names(found["customer_id"].astype("str")),
        promise_cents=found["promise_cents"].astype(np.int64),
        status=found["status"].astype("str"),
    )
    return found[MONTH_PROMISE_COLUMNS].reset_index(drop=True)
