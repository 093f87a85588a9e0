"""Run the rules of :mod:`arbook.engines.expressions` on a :class:`~arbook.engines.backends.Source`
and bring back arbook's frames: the same columns, dtypes, order and integer cents as the
in-memory path (:mod:`arbook.measures.aging`, :mod:`arbook.measures.metrics`).

Only results travel back: the open items of one date, one row per customer, or one row per
month end; the engine streams through the ledger tables to make them. Rows are put in arbook's
order here, after the engine, so that every engine's string collation gives the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from arbook.core.config import Edges, bucket_labels
from arbook.core.dates import EPOCH, month_end_day
from arbook.engines import expressions
from arbook.engines.backends import Source


def _month_of_day(day: int) -> int:
    """Months since 1970-01 of a day number."""
    return int((EPOCH + np.timedelta64(int(day), "D")).astype("datetime64[M]").astype(np.int64))


def _days(days: Sequence[int]) -> Any:
    return expressions.as_of_days(days, [_month_of_day(d) for d in days])


def _items(src: Source, days: Sequence[int], basis: str, edges: Edges) -> Any:
    return expressions.open_items(src.invoices, src.payments, _days(days), basis, edges)


def _run(src: Source, expr: Any) -> pd.DataFrame:
    return src.con.to_pyarrow(expr).to_pandas()


def _dates(days: pd.Series) -> np.ndarray:
    """Day numbers (missing: NaT) as datetime64[s], as the ledger holds its dates."""
    known = days.notna().to_numpy()
    values = days.fillna(0).to_numpy(dtype=np.int64)
    dates = (EPOCH + values.astype("timedelta64[D]")).astype("datetime64[s]")
    return np.where(known, dates, np.datetime64("NaT", "s"))


def aging_items(src: Source, day: int, basis: str, edges: Edges, labels: list[str]) -> pd.DataFrame:
    """The open items at ``day`` as :func:`arbook.measures.aging.aging` gives them in book
    currency (``labels``: the bucket labels and "unapplied", the categories of ``bucket``).
    The frame is put together as the in-memory path puts its own (documents, then cash when
    there is any), so that even an empty result has the same dtypes."""
    frame = _run(src, _items(src, [day], basis, edges))
    cash = frame["is_cash"].to_numpy(dtype=bool)
    parts = [_item_rows(frame[~cash], kind=None)]
    if cash.any():
        parts.append(_item_rows(frame[cash], kind="payment"))
    items = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    codes = np.concatenate([frame.loc[~cash, "bucket_code"], frame.loc[cash, "bucket_code"]])
    items["bucket"] = pd.Categorical.from_codes(
        codes.astype(np.int64), dtype=pd.CategoricalDtype(labels, ordered=True)
    )
    items = items.sort_values(["customer_id", "document_date", "document_id"], kind="stable")
    columns = [c for c in items.columns if c not in ("bucket", "disputed")]
    return items.reset_index(drop=True)[[*columns, "bucket", "disputed"]]


def _item_rows(rows: pd.DataFrame, kind: str | None) -> pd.DataFrame:
    """Documents (``kind`` None: each its own) or cash rows as arbook.measures.aging builds
    them: numpy columns, ids as Python strings."""
    cents = ["amount_cents", "paid_cents", "credited_cents", "outstanding_cents"]
    amount = rows["amount_cents"].to_numpy(dtype=np.int64)
    return pd.DataFrame(
        {
            "customer_id": rows["customer_id"].to_numpy(dtype=object),
            "document_id": rows["document_id"].to_numpy(dtype=object),
            "kind": np.where(amount < 0, "credit_note", "invoice") if kind is None else kind,
            "document_date": _dates(rows["doc_day"]),
            "due_date": _dates(rows["due_day"]),
            **{c: rows[c].to_numpy(dtype=np.int64) for c in cents},
            "days_overdue": rows["days_overdue"].to_numpy(dtype=np.int64),
            "disputed": rows["disputed"].to_numpy(dtype=bool),
        }
    )


def summary(src: Source, day: int, basis: str, edges: Edges, columns: list[str]) -> pd.DataFrame:
    """:func:`arbook.measures.aging.aging_summary` in book currency at ``day`` (``columns``: its
    money columns, the buckets' then receivable, unapplied, total)."""
    sums = expressions.customer_sums(_items(src, [day], basis, edges), edges)
    if src.names is not None:
        names = src.names
        sums = sums.left_join(names, sums.customer_id == names.customer_id).select(
            *sums.columns, name=names.name.fill_null(sums.customer_id)
        )
    else:
        sums = sums.mutate(name=sums.customer_id)
    frame = _run(src, sums)
    width = len(bucket_labels(edges))
    buckets = frame[[f"b{k}" for k in range(width)]].to_numpy(dtype=np.int64)
    table = pd.DataFrame(buckets, columns=columns[:width])
    table["receivable_cents"] = buckets.sum(axis=1, dtype=np.int64)
    table["unapplied_cents"] = frame["unapplied"].to_numpy(dtype=np.int64)
    table["total_cents"] = table["receivable_cents"] + table["unapplied_cents"]
    kept = src.ledger.invoices["customer_id"].dtype if src.ledger is not None else "str"
    customers = pd.Series(frame["customer_id"].to_numpy(dtype=object), dtype=kept)
    table.insert(
        0, "name", pd.Series(frame["name"].to_numpy(dtype=object)).astype("str").to_numpy()
    )
    table.insert(0, "customer_id", customers.to_numpy())
    order = np.lexsort((table["customer_id"].to_numpy(dtype=object), -table["total_cents"]))
    return table.iloc[order].reset_index(drop=True)


def states(src: Source, periods: Sequence[pd.Period], basis: str, edges: Edges) -> dict[int, dict]:
    """Per month end of ``periods`` (consecutive months, oldest first) that has any open item,
    keyed by its day number, the receivable's state as arbook.measures.metrics computes it:
    ``ar``, ``buckets`` (int64 array), ``not_due``, ``unapplied``, ``over_60``, ``over_90``,
    ``over_120`` (cents). One query for every month end."""
    if not len(periods):
        return {}
    first = periods[0]
    if list(periods) != list(pd.period_range(first, periods[-1], freq="M")):
        raise ValueError("states needs consecutive months")
    month = (first.year - 1970) * 12 + first.month - 1
    ends = [month_end_day(p) for p in periods]
    items = expressions.month_end_items(src.invoices, src.payments, month, ends, basis, edges)
    frame = _run(src, expressions.day_states(items, edges))
    width = len(bucket_labels(edges))
    out = {}
    for row in frame.to_dict("records"):
        ar = int(row["ar"])
        state = {
            "ar": ar,
            "buckets": np.array([int(row[f"b{k}"]) for k in range(width)], dtype=np.int64),
            "not_due": ar - int(row["overdue"]),
            "unapplied": int(row["unapplied"]),
        }
        out[int(row["as_of"])] = state | {
            f"over_{n}": int(row[f"over_{n}"]) for n in expressions.OVER_DAYS
        }
    return out


def sales(src: Source) -> pd.Series:
    """Credit sales per calendar month (credit notes netted), int64 cents, indexed by Period,
    oldest first: arbook.measures.metrics' monthly sales."""
    frame = _run(src, expressions.monthly_sales(src.invoices))
    if not len(frame):
        return pd.Series(dtype=np.int64)
    months = frame["month"].to_numpy(dtype=np.int64)
    index = pd.PeriodIndex(
        pd.to_datetime(months.astype("datetime64[M]")).to_period("M"), name="invoice_date"
    )
    series = pd.Series(frame["sales"].to_numpy(dtype=np.int64), index=index, name="amount_cents")
    return series.sort_index()
