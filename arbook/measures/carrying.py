"""What it costs to be your customers' bank (SPEC §3): the cost of carrying their overdue
balances at the client's cost of capital, in its two forms, each labelled for what it is.

- **Accrued to date** (``carrying_cost_cents``): Σ over overdue open items of outstanding ×
  days overdue × rate / 365, what financing them has cost so far.
- **A year** (``yearly_cost_cents``): Σ overdue outstanding × rate, what it costs to keep
  financing today's overdue balance for a year. This is the "you are their bank" headline.

Overdue counts from the due date, whatever the aging basis. Both follow from the items open at
the as-of date, so a ledger of open items only gives them at its report's date (and refuses
other dates, :func:`~arbook.measures.history.check_as_of`). Amounts round half-up to the cent
per customer; totals are the sums of what is shown.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from arbook.core.config import check_fraction, resolve_policy
from arbook.core.dates import EPOCH, day_number
from arbook.core.i18n import N_
from arbook.core.ledger import Ledger
from arbook.core.money import half_up
from arbook.measures.aging import aging, past_due
from arbook.measures.history import check_as_of

CARRYING_COLUMNS = [
    "customer_id",
    "name",
    "overdue_cents",
    "cent_days",
    "avg_days_overdue",
    "carrying_cost_cents",
    "yearly_cost_cents",
]


def cost_of_capital(ledger: Ledger, annual_rate=None, *, policy=None) -> float:
    """The annual rate to carry by: ``annual_rate`` when given, else the policy's
    ``cost_of_capital`` (``policy=None``: the ledger's); checked as a fraction."""
    if annual_rate in (None, ""):
        annual_rate = resolve_policy(policy or ledger.policy).cost_of_capital
    return check_fraction(annual_rate, N_("cost of capital"))


def carrying_cost(
    ledger: Ledger, as_of, annual_rate=None, *, policy=None, items: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per customer with overdue items at ``as_of``: ``customer_id, name, overdue_cents``,
    ``cent_days`` (Σ outstanding × days past due), ``avg_days_overdue`` (amount-weighted),
    ``carrying_cost_cents`` (accrued to date: cent_days × rate / 365) and
    ``yearly_cost_cents`` (overdue × rate), each rounded half-up per customer; the largest
    overdue balance first. ``annual_rate`` defaults to the policy's cost of capital. ``items``
    may pass the :func:`aging` frame of the same date (any basis) when the caller has it."""
    rate = Decimal(str(cost_of_capital(ledger, annual_rate, policy=policy)))
    check_as_of(ledger, as_of)
    if items is None:
        items = aging(ledger, as_of, policy=policy)
    late = items[past_due(items, as_of)]
    day = np.datetime64(EPOCH + np.timedelta64(day_number(as_of), "D"), "D")
    days = (day - late["due_date"].to_numpy(dtype="datetime64[D]")).astype(np.int64)
    late = late.assign(cent_days=late["outstanding_cents"].to_numpy() * days)
    g = late.groupby("customer_id", sort=True)
    frame = pd.DataFrame(
        {"overdue_cents": g["outstanding_cents"].sum(), "cent_days": g["cent_days"].sum()}
    ).reset_index()
    frame["avg_days_overdue"] = frame["cent_days"] / frame["overdue_cents"]
    daily = rate / 365
    frame["carrying_cost_cents"] = np.array(
        [half_up(Decimal(int(v)) * daily) for v in frame["cent_days"]], dtype=np.int64
    )
    frame["yearly_cost_cents"] = np.array(
        [half_up(Decimal(int(v)) * rate) for v in frame["overdue_cents"]], dtype=np.int64
    )
    frame.insert(1, "name", ledger.names(frame["customer_id"]))
    frame = frame.astype({"overdue_cents": np.int64, "cent_days": np.int64})
    return frame.sort_values(
        ["overdue_cents", "customer_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)[CARRYING_COLUMNS]
