"""Promises to pay (SPEC §7), the contact log's one rule about money: a promise is *kept* when
the customer's payments dated from the day it was made (UTC) to its date add up to at least its
amount, *broken* once its date has passed without that, *open* until then. Nothing here reads a
database: the contact log hands its promises in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.core.dates import EPOCH, day_number
from arbook.core.i18n import pgettext

PROMISE_COLUMNS = [
    "id",
    "customer_id",
    "promise_cents",
    "promise_date",
    "made_at",
    "paid_cents",
    "status",
]


def status_label(status) -> str:
    """A promise's status (``kept``, ``broken``, ``open``) as a person reads it, in the
    language spoken; another value as it is."""
    words = {
        "kept": pgettext("promise status", "kept"),
        "broken": pgettext("promise status", "broken"),
        "open": pgettext("promise status", "open"),
    }
    return words.get(str(status), str(status))


def promise_status(promises: pd.DataFrame, payments: pd.DataFrame, as_of) -> pd.DataFrame:
    """``promises`` (``id, customer_id, promise_cents, promise_date, at``) with ``made_at``,
    ``paid_cents`` (the customer's payments dated from the day the promise was made, in UTC,
    to its date, and not after ``as_of``) and ``status``: ``kept`` (paid at least the amount),
    ``broken`` (not kept and ``as_of`` is past the date), ``open`` otherwise. Promises made
    after ``as_of`` are left out: they were not known then."""
    day = EPOCH + np.timedelta64(day_number(as_of), "D")
    frame = promises.rename(columns={"at": "made_at"})
    made = frame["made_at"].dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    frame = frame.assign(made_day=made)[made.to_numpy() <= day]
    pays = payments[["customer_id", "payment_date", "amount_cents"]]
    pays = pays[pays["payment_date"].to_numpy() <= day]
    pairs = frame[["id", "customer_id", "made_day", "promise_date"]].merge(pays, on="customer_id")
    inside = (pairs["payment_date"] >= pairs["made_day"]) & (
        pairs["payment_date"] <= pairs["promise_date"]
    )
    paid = pairs[inside].groupby("id")["amount_cents"].sum()
    frame = frame.assign(paid_cents=frame["id"].map(paid).fillna(0).astype(np.int64))
    kept = frame["paid_cents"].to_numpy() >= frame["promise_cents"].to_numpy(dtype=np.int64)
    late = frame["promise_date"].to_numpy() < day
    status = np.where(kept, "kept", np.where(late, "broken", "open"))
    frame = frame.assign(status=pd.Series(status, index=frame.index, dtype="str"))
    frame = frame.sort_values(["promise_date", "id"], kind="stable").reset_index(drop=True)
    return frame[PROMISE_COLUMNS]
