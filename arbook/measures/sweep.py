"""The receivable's state at many dates in one pass over the ledger (what ``monthly_metrics``
needs at every month end), equal to computing each date's balances on its own.

A document's outstanding is a step function of the as-of date: it appears on its date, and
changes when a payment to it is counted (on the payment's date, or its invoice's if later),
when a credit note is applied to it (once both exist) and, for an applied credit note, falls to
nothing (SPEC §2). So for sorted dates ``D_0 < … < D_{K-1}`` each document is a few segments
``[s, t)`` of date indices with a constant value; a date's figures are sums over the segments
that cover it. The sums are taken with difference arrays over the K dates: a negative segment
adds to the unapplied line over its range; a positive one to the receivable and, split where
its days overdue cross each bucket edge (a ``searchsorted`` of ``ref + edge`` in the dates),
to each bucket, to what is not yet due and to what is more than 60, 90, 120 days past due.
Calendar-month buckets (``edges="months"``) are taken per (document, date) pair instead, in
slices, through :func:`arbook.measures.aging.bucket_codes` itself. Unapplied cash counts from its
date until the payment is counted against its invoice (for ever when it names none).

Cost: one sort of the ledger's events (invoice, payment and credit rows) and a few passes over
the segments, whatever the number of dates; about what two dates' balances cost one by one.
"""

from __future__ import annotations

import numpy as np

from arbook.core.ledger import Ledger
from arbook.measures.aging import OVER_DAYS, bucket_codes, bucket_labels, exact_sums

#: (document, date) pairs taken at once for calendar-month buckets
PAIRS = 4_000_000
#: documents x dates below this: the events' sort key is 32 bits wide, else 64
KEY32 = 2**31


def states(ledger: Ledger, days, basis: str, edges) -> list[dict]:
    """For each day number in ``days`` (ascending, distinct), the dict of
    :func:`arbook.measures.metrics._state`: ``ar``, ``buckets`` (int64 per bucket),
    ``not_due``, ``unapplied``, ``over_60``, ``over_90``, ``over_120``."""
    dates = np.asarray(days, dtype=np.int64)
    if len(dates) and not (np.diff(dates) > 0).all():
        raise ValueError("days must be ascending and distinct")
    size = len(dates)
    a = ledger.arrays
    doc, start, end, value = _segments(a, dates)
    owed, credit = value > 0, value < 0
    due = a.due_day[doc[owed]]
    ref = due if basis == "due" else a.inv_day[doc[owed]]
    s, t, v = start[owed], end[owed], value[owed]

    def over(days_past: int, base) -> np.ndarray:
        """The first date index at which ``base + days_past`` is passed (days > days_past)."""
        return np.searchsorted(dates, base + days_past, side="right")

    ar = _ranges(s, t, v, size)
    labels = bucket_labels(edges)
    if isinstance(edges, str):
        buckets = _month_buckets(dates, s, t, v, ref, edges, len(labels))
    else:
        cuts = [np.zeros_like(s), *(over(th, ref) for th in (0, *edges)), np.full_like(s, size)]
        buckets = np.stack(
            [
                _ranges(np.maximum(s, cuts[j]), np.minimum(t, cuts[j + 1]), v, size)
                for j in range(len(labels))
            ]
        )
    not_due = _ranges(s, np.minimum(t, over(0, due)), v, size)
    past = {n: _ranges(np.maximum(s, over(n, due)), t, v, size) for n in OVER_DAYS}
    unapplied = _ranges(start[credit], end[credit], value[credit], size) - _open_cash(a, dates)
    return [
        {
            "ar": int(ar[k]),
            "buckets": buckets[:, k].copy() if size else buckets,
            "not_due": int(not_due[k]),
            "unapplied": int(unapplied[k]),
        }
        | {f"over_{n}": int(past[n][k]) for n in OVER_DAYS}
        for k in range(size)
    ]


def _segments(a, dates: np.ndarray):
    """Every (document, [start, end), value) with a constant nonzero outstanding over date
    indices start..end-1."""
    size, n = len(dates), len(a.amount)
    born = np.searchsorted(dates, a.inv_day, side="left")  # the first date it exists at
    order = a.pay_segments[0]
    target = a.pay_target[order]
    counted = np.maximum(np.searchsorted(dates, a.pay_day[order], side="left"), born[target])
    credits = np.flatnonzero(a.credit_target >= 0)
    onto = a.credit_target[credits]
    applied = np.maximum(born[credits], born[onto])
    gone = np.full(n, size, dtype=np.int64)  # an applied credit note is nothing from then on
    gone[credits] = applied
    # (document, date index) as one sort key: in 32 bits when it fits (half the memory to
    # write, sort and take as 64; at 10M invoices and 37 dates that is a second of 8)
    kind = np.int32 if n * (size + 1) < KEY32 else np.int64
    doc = np.concatenate([np.arange(n, dtype=kind), target.astype(kind), onto.astype(kind)])
    when = np.concatenate([born, counted, applied]).astype(kind)
    change = np.concatenate([a.amount, -a.pay_amount[order], a.amount[credits]])
    keep = when < size
    if keep.all():  # every event falls before the last date, as in a month-end series
        key = doc
        key *= size + 1
        key += when
    else:
        key = doc[keep] * kind(size + 1) + when[keep]
        change = change[keep]
    del doc, when, keep
    order = np.argsort(key, kind="stable")
    key, change = key[order], change[order]
    del order
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
    sums = np.add.reduceat(change, first) if len(key) else change
    key = key[first]
    doc, when = np.divmod(key, kind(size + 1))
    new_doc = np.r_[True, doc[1:] != doc[:-1]] if len(doc) else doc.astype(bool)
    total = np.cumsum(sums)
    before = (total - sums)[new_doc]  # the running sum where each document's events start
    value = total - np.repeat(before, np.diff(np.r_[np.flatnonzero(new_doc), len(doc)]))
    following = np.r_[when[1:], size] if len(when) else when
    last = np.r_[new_doc[1:], True] if len(doc) else new_doc
    stop = np.where(last, size, following)
    stop = np.minimum(stop, gone[doc])
    keep = (value != 0) & (when < stop)
    return doc[keep], when[keep], stop[keep], value[keep]


def _ranges(lo: np.ndarray, hi: np.ndarray, value: np.ndarray, size: int) -> np.ndarray:
    """Per date index, the sum of ``value`` over the ranges ``[lo, hi)`` covering it, exactly."""
    keep = lo < hi
    keys = np.concatenate([lo[keep], hi[keep]])
    steps = np.concatenate([value[keep], -value[keep]])
    return np.cumsum(exact_sums(keys, steps, size + 1))[:size]


def _open_cash(a, dates: np.ndarray) -> np.ndarray:
    """Per date, the cash received and not (yet) counted against an invoice (positive)."""
    size = len(dates)
    received = np.searchsorted(dates, a.pay_day, side="left")
    until = np.full(len(a.pay_day), size, dtype=np.int64)
    order = a.pay_segments[0]
    born = np.searchsorted(dates, a.inv_day, side="left")
    until[order] = np.maximum(received[order], born[a.pay_target[order]])
    return _ranges(received, until, a.pay_amount, size)


def _month_buckets(dates, s, t, v, ref, edges, labels: int) -> np.ndarray:
    """Per bucket and date, the positive segments' sums under calendar-month buckets, from
    each (segment, date) pair's :func:`bucket_codes`, :data:`PAIRS` pairs at a time."""
    size = len(dates)
    out = np.zeros(labels * size, dtype=np.int64)
    lengths = t - s
    ends = np.cumsum(lengths)
    first = 0
    while first < len(s):
        last = int(np.searchsorted(ends, (ends[first - 1] if first else 0) + PAIRS, "right"))
        last = max(last, first + 1)
        part = slice(first, last)
        count = lengths[part]
        seg = np.repeat(np.arange(first, last), count)
        offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        k = s[seg] + offset
        codes = bucket_codes(dates[k] - ref[seg], edges, dates[k])
        out += exact_sums(codes * size + k, v[seg], labels * size)
        first = last
    return out.reshape(labels, size)
