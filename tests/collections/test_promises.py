"""Promises to pay (:func:`arbook.collections.promises.promise_status`) on frames written by hand,
no database: kept, broken the day after its date, open until then; only the payments dated from
the day a promise was made to its date, and not after the as-of date, count. (The same rule
through the contact log is tested in tests/collections/test_contacts.py.)"""

from __future__ import annotations

import pandas as pd

from arbook.collections.promises import PROMISE_COLUMNS, promise_status

# Every promise was made on 2026-05-01 at 09:00 UTC.
# 1 KEPT  100.00 by 05-10: paid 25.00 on 04-30 (before the promise: counts for nothing),
#         60.00 on 05-03 and 40.00 on 05-10 (its date counts): 60 + 40 = 100.00 -> kept.
# 2 SHORT 100.00 by 05-10: paid 30.00 on 05-05 -> open up to 05-10, broken from 05-11.
# 3 LATER  50.00 by 05-20: paid 50.00 on 05-12 -> as of 05-11 that payment is not known yet:
#         paid 0, open; as of 05-12 paid 50.00, kept.
MADE = pd.Timestamp("2026-05-01 09:00", tz="UTC")
PROMISES = pd.DataFrame(
    {
        "id": [1, 2, 3],
        "customer_id": ["KEPT", "SHORT", "LATER"],
        "promise_cents": [10000, 10000, 5000],
        "promise_date": pd.to_datetime(["2026-05-10", "2026-05-10", "2026-05-20"]),
        "at": [MADE, MADE, MADE],
    }
)
PAYMENTS = pd.DataFrame(
    {
        "customer_id": ["KEPT", "KEPT", "KEPT", "SHORT", "LATER"],
        "payment_date": pd.to_datetime(
            ["2026-04-30", "2026-05-03", "2026-05-10", "2026-05-05", "2026-05-12"]
        ),
        "amount_cents": [2500, 6000, 4000, 3000, 5000],
    }
)


def statuses(as_of) -> dict:
    frame = promise_status(PROMISES, PAYMENTS, as_of)
    assert list(frame.columns) == PROMISE_COLUMNS
    return frame.set_index("customer_id")[["status", "paid_cents"]].apply(tuple, axis=1).to_dict()


def test_a_promise_paid_between_its_day_and_its_date_is_kept():
    # 6,000 + 4,000 = 10,000 cents by 05-10; the 2,500 of 04-30 is left out.
    assert statuses("2026-05-10")["KEPT"] == ("kept", 10000)
    assert statuses("2026-05-11")["KEPT"] == ("kept", 10000)  # and stays kept
    assert statuses("2026-05-02")["KEPT"] == ("open", 0)  # nothing paid since 05-01 yet


def test_a_promise_short_on_its_date_is_broken_the_day_after():
    # 3,000 of 10,000 cents paid: still open on its date, broken on 05-11.
    assert statuses("2026-05-10")["SHORT"] == ("open", 3000)
    assert statuses("2026-05-11")["SHORT"] == ("broken", 3000)


def test_a_payment_after_as_of_is_not_counted():
    # LATER's 5,000 cents arrive on 05-12: unknown as of 05-11, enough as of 05-12.
    assert statuses("2026-05-11")["LATER"] == ("open", 0)
    assert statuses("2026-05-12")["LATER"] == ("kept", 5000)


def test_promises_come_by_date_and_those_made_after_as_of_are_left_out():
    frame = promise_status(PROMISES, PAYMENTS, "2026-05-11")
    assert frame["id"].tolist() == [1, 2, 3]  # 05-10, 05-10 (by id), then 05-20
    assert str(frame["made_at"].dt.tz) == "UTC" and frame["paid_cents"].dtype == "int64"
    assert promise_status(PROMISES, PAYMENTS, "2026-04-30").empty  # made on 05-01
