"""What the payment-date forecast costs on a large book: ``predict_payments`` and
``cash_forecast`` on ``--open`` open items (default 1,000,000) with as many paid invoices of
history, against DuckDB computing the simplest baseline (invoice date + the customer's average
days to pay, clipped to the next day) for the same items, in the same process on the same data.

The ledger is made directly as frames (``arbook.ledger_from_frames``, validated like files):
``--customers`` customers (20,000), each with its own pace (days late drawn per customer, then
per invoice), the paid invoices spread over two years before the as-of date, the open ones over
its last 120 days. Every timing is the best of ``--repeat`` rounds (a warm-up round first); the
ledger's arrays are built before timing (what any first figure pays, measured by
bench_aging.py).

    .venv/bin/python benchmarks/bench_forecast.py [--open 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import duckdb
import numpy as np
import pandas as pd

import arbook
from arbook.measures.forecast import fit

AS_OF = pd.Timestamp("2026-10-31")


def book(open_items: int, customers: int, seed: int = 0) -> arbook.Ledger:
    rng = np.random.default_rng(seed)
    n = 2 * open_items
    pace = rng.normal(8, 12, customers)
    who = rng.integers(0, customers, n)
    paid = np.arange(n) < open_items
    age = np.where(paid, rng.integers(30, 730, n), rng.integers(0, 120, n))
    invoice_day = AS_OF - pd.to_timedelta(age, unit="D")
    due = invoice_day + pd.Timedelta(days=30)
    late = np.rint(pace[who] + rng.normal(0, 6, n)).astype(int)
    pay_day = np.minimum(due + pd.to_timedelta(late, unit="D"), AS_OF)
    pay_day = np.maximum(pay_day, invoice_day)
    cents = rng.integers(1_000, 500_000, n)
    ids = np.char.add("I", np.arange(n).astype(str))
    customer = np.char.add("C", who.astype(str))
    invoices = pd.DataFrame(
        {
            "invoice_id": ids,
            "customer_id": customer,
            "invoice_date": invoice_day.strftime("%Y-%m-%d"),
            "due_date": due.strftime("%Y-%m-%d"),
            "amount": [f"{c / 100:.2f}" for c in cents],
            "disputed": np.where(rng.random(n) < 0.03, "yes", "no"),
        }
    )
    payments = pd.DataFrame(
        {
            "payment_id": np.char.add("P", np.arange(open_items).astype(str)),
            "customer_id": customer[paid],
            "payment_date": pay_day[paid].strftime("%Y-%m-%d"),
            "amount": invoices["amount"].to_numpy()[paid],
            "invoice_id": ids[paid],
        }
    )
    return arbook.ledger_from_frames(invoices, payments)


def duckdb_baseline(con, ledger: arbook.Ledger) -> pd.DataFrame:
    """The baseline "invoice date + the customer's average days to pay" for every open item."""
    return con.execute(
        """
        WITH paid AS (
            SELECT i.customer_id, avg(date_diff('day', i.invoice_date, p.payment_date)) AS days
            FROM inv i JOIN pay p ON p.allocated_invoice_id = i.invoice_id
            WHERE p.payment_date <= $as_of
            GROUP BY i.customer_id
        ), settled AS (
            SELECT allocated_invoice_id AS invoice_id, sum(amount_cents) AS cents
            FROM pay WHERE payment_date <= $as_of GROUP BY allocated_invoice_id
        )
        SELECT i.customer_id, i.invoice_id, i.amount_cents - coalesce(s.cents, 0) AS outstanding,
               greatest(CAST(i.invoice_date AS DATE)
                          + CAST(round(coalesce(paid.days, 0)) AS INTEGER),
                        CAST($as_of AS DATE) + 1) AS predicted
        FROM inv i LEFT JOIN settled s USING (invoice_id) LEFT JOIN paid USING (customer_id)
        WHERE i.amount_cents > 0 AND i.invoice_date <= $as_of
          AND i.amount_cents - coalesce(s.cents, 0) > 0
        """,
        {"as_of": AS_OF.date()},
    ).df()


def best(repeat: int, call) -> tuple[float, float, object]:
    """Best wall time and its CPU time over ``repeat`` rounds after a warm-up; the last result."""
    result = call()
    times = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = call()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    wall, cpu = min(times)
    return wall, cpu, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    ledger = book(args.open, args.customers)
    made = time.perf_counter() - start
    assert ledger.errors.empty, ledger.errors.head()
    ledger.arrays  # noqa: B018 - built once before timing, as by any first figure
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    con.register(
        "inv", ledger.invoices[["invoice_id", "customer_id", "invoice_date", "amount_cents"]]
    )
    con.register("pay", ledger.payments[["allocated_invoice_id", "payment_date", "amount_cents"]])
    rows = {}
    rows["duckdb baseline"] = best(args.repeat, lambda: duckdb_baseline(con, ledger))
    rows["fit (learn the model)"] = best(args.repeat, lambda: fit(ledger, AS_OF))
    rows["predict_payments"] = best(args.repeat, lambda: arbook.predict_payments(ledger, AS_OF))
    rows["cash_forecast"] = best(args.repeat, lambda: arbook.cash_forecast(ledger, AS_OF))
    predicted = rows["predict_payments"][2]
    reference = rows["duckdb baseline"][2]
    assert len(predicted) == len(reference), (len(predicted), len(reference))
    assert int(predicted["outstanding_cents"].sum()) == int(reference["outstanding"].sum())
    base = rows["duckdb baseline"][0]
    print(
        f"{len(predicted):,} open items, {len(ledger.invoices):,} invoices, "
        f"{args.customers:,} customers (made and validated in {made:.1f} s); "
        f"load {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores"
    )
    out = []
    for name, (wall, cpu, _result) in rows.items():
        print(f"  {name:24s} {wall:6.2f} s  (CPU {cpu:6.2f} s)  {wall / base:5.2f}x DuckDB")
        out.append({"step": name, "wall_s": wall, "cpu_s": cpu, "ratio": wall / base})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of the process: {peak:,.0f} MB")
    json.dump(out, sys.stderr)
    print(file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
