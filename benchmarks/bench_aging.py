"""Benchmark of arbook's aging, loading and memory against plain references.

For each size N (invoices) it measures, in this one process unless said otherwise:

1. aging: ``arbook.aging`` and ``arbook.aging_summary`` as of the last day of the data and a
   mid-history date, best of ``--repeat``, against the same aging written as ONE DuckDB SQL query
   (and the summary as one more) over the ledger's own pandas frames. The two answers are compared
   item by item before any time is printed: a benchmark of wrong answers is worthless.
2. loading: ``arbook.read_ledger(folder)`` (read + validate) from CSV and from Parquet against a
   bare ``pandas.read_csv`` / ``pandas.read_parquet`` of the same three files.
3. memory: the ledger's size (``memory_usage(deep=True)`` of its three frames) and the peak RSS
   increase of each step, each step in a fresh subprocess (see ``probe`` below).

Prints a table and writes the figures as JSON into ``benchmarks/results/``. Sample data is made
by ``arbook.workbook.sample.make_sample`` into ``benchmarks/data/`` (git-ignored) and reused.

    .venv/bin/python benchmarks/bench_aging.py                       # 1M and 10M invoices
    .venv/bin/python benchmarks/bench_aging.py --sizes 1000000 --repeat 3
    .venv/bin/python benchmarks/bench_aging.py --skip-10m
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import pickle
import platform
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

import arbook
from arbook.measures.aging import ITEM_COLUMNS
from arbook.workbook import sample

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
END = "2026-10-31"  # last day of the generated data (make_sample's default end)
MID = "2025-10-31"  # a month end half-way through its 24 months
MONTHS = 24
SEED = 0
CUSTOMERS = {1_000_000: 20_000, 10_000_000: 100_000}
EDGES = (30, 60, 90, 120)  # SPEC §2.6 default edges, written out again for the SQL
LABELS = ["current", "1-30", "31-60", "61-90", "91-120", "121+"]
#: issue 17's targets: aging <= 0.7x DuckDB's query with the same rules, the summary <= 0.5x the
#: lean query, the first call <= 1x DuckDB's first, read_ledger <= 2x a bare Arrow read, peak
#: memory of aging <= 1x the ledger and of read_ledger <= 2x, 24 months of metrics at 10M <= 8 s
TARGETS = {
    "aging": 0.7,
    "summary": 0.5,
    "first_call": 1.0,
    "loading": 2.0,
    "memory_aging": 1.0,
    "memory_loading": 2.0,
    "metrics_10m_s": 8.0,
}
MIB = 1024 * 1024
#: the 24 months monthly_metrics is timed over (the sample's last two years)
METRICS_FROM, METRICS_TO = "2024-11", "2026-10"


# --- data ------------------------------------------------------------------------------------


def customers_for(n: int) -> int:
    return CUSTOMERS.get(n, max(150, n // 50))


def generator_version() -> str:
    """A hash of arbook/workbook/sample.py: files made by another version of the generator are
    remade."""
    source = Path(sample.__file__).read_bytes()
    return hashlib.sha256(source).hexdigest()[:16]


def sample_folder(n: int, fmt: str) -> Path:
    """The folder of the sample with n invoices in fmt, made once and reused afterwards (as long
    as arbook/workbook/sample.py is unchanged)."""
    customers = customers_for(n)
    folder = DATA / f"inv{n}_cust{customers}_m{MONTHS}_seed{SEED}_{fmt}"
    done = folder / ".complete"
    call = (
        f"make_sample(seed={SEED}, customers={customers}, months={MONTHS}, end={END}, "
        f"invoices={n}, fmt={fmt}) with sample.py {generator_version()}\n"
    )
    if not done.exists() or done.read_text() != call:
        from arbook.workbook.sample import (
            make_sample,  # imported late: another engineer may still be on it
        )

        print(f"  generating {folder.relative_to(HERE.parent)} ...", end=" ", flush=True)
        done.unlink(missing_ok=True)
        start = time.perf_counter()
        make_sample(
            folder, seed=SEED, customers=customers, months=MONTHS, end=END, invoices=n, fmt=fmt
        )
        done.write_text(call)
        print(f"{time.perf_counter() - start:.1f} s", flush=True)
    return folder


def table_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".parquet"))


# --- timing helpers ------------------------------------------------------------------------


class Seconds(float):
    """Wall-clock seconds of one timed call, carrying the CPU seconds this process spent in it
    (every thread: DuckDB's and Arrow's too) and the machine's 1-minute load average after it,
    printed beside each figure (a loaded machine makes every figure slower, ratios less so)."""

    cpu: float = float("nan")
    load: float = float("nan")


def timed(fn):
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    seconds = Seconds(time.perf_counter() - start)
    seconds.cpu, seconds.load = time.process_time() - cpu, os.getloadavg()[0]
    return seconds, result


def cpu_load(seconds) -> str:
    """`` cpu 0.42s load 1.10`` for a :class:`Seconds` (blank for a plain float)."""
    if not isinstance(seconds, Seconds):
        return ""
    return f"  cpu {seconds.cpu:.2f}s load {seconds.load:.2f}"


def best_of(repeat: int, fn):
    """(best seconds, all seconds, last result) of ``repeat`` calls."""
    times, result = [], None
    for _ in range(repeat):
        result = None  # let the previous result go first: at 10M two ledgers would not fit
        seconds, result = timed(fn)
        times.append(seconds)
    return min(times), times, result


def frame_bytes(*frames: pd.DataFrame) -> int:
    return int(sum(f.memory_usage(deep=True, index=True).sum() for f in frames))


# --- the reference: SPEC §2 as one DuckDB query ----------------------------------------------


def bucket_sql(days: str, outstanding: str) -> str:
    cases = [f"WHEN {days} <= 0 THEN 'current'"]
    for edge, label in zip(EDGES, LABELS[1:]):
        cases.append(f"WHEN {days} <= {edge} THEN '{label}'")
    return (
        f"CASE WHEN {outstanding} <= 0 THEN 'unapplied' "
        + " ".join(cases)
        + f" ELSE '{LABELS[-1]}' END"
    )


def items_ctes(as_of: str) -> str:
    """CTEs ending in ``items``: every open item as of ``as_of`` (SPEC §2.1-7), bucket included.

    Reads the registered views ``invoices`` and ``payments`` (the ledger's clean frames).
    """
    d = f"DATE '{pd.Timestamp(as_of).date().isoformat()}'"
    return f"""
    inv AS (        -- 2.1: documents dated after D do not exist yet
        SELECT invoice_id, customer_id, invoice_date, due_date, amount_cents, applied_invoice_id,
               disputed
        FROM invoices WHERE invoice_date <= {d}
    ),
    applied AS (    -- credit notes applied to an invoice that exists at D reduce that invoice
        SELECT c.invoice_id AS credit_id, c.applied_invoice_id AS target_id,
               -c.amount_cents AS credit_cents
        FROM inv AS c JOIN inv AS t ON t.invoice_id = c.applied_invoice_id
    ),
    credited AS (
        SELECT target_id AS invoice_id, CAST(sum(credit_cents) AS BIGINT) AS credited_cents
        FROM applied GROUP BY target_id
    ),
    pay AS (
        SELECT payment_id, customer_id, payment_date, amount_cents, allocated_invoice_id
        FROM payments WHERE payment_date <= {d}
    ),
    pay_to AS (     -- each payment row with its invoice if that exists at D (else NULL)
        SELECT p.*, i.invoice_id AS target_id
        FROM pay AS p LEFT JOIN inv AS i ON i.invoice_id = p.allocated_invoice_id
    ),
    paid AS (       -- payments dated <= D allocated to an invoice that exists at D
        SELECT target_id AS invoice_id, CAST(sum(amount_cents) AS BIGINT) AS paid_cents
        FROM pay_to WHERE target_id IS NOT NULL GROUP BY target_id
    ),
    docs AS (       -- 2.2-3: invoices and standalone credit notes with what is left on them
        SELECT i.customer_id, i.invoice_id AS document_id,
               CASE WHEN i.amount_cents < 0 THEN 'credit_note' ELSE 'invoice' END AS kind,
               i.invoice_date AS document_date, i.due_date, i.amount_cents,
               coalesce(p.paid_cents, 0) AS paid_cents,
               coalesce(c.credited_cents, 0) AS credited_cents,
               i.amount_cents - coalesce(p.paid_cents, 0) - coalesce(c.credited_cents, 0)
                   AS outstanding_cents,
               {d} - CAST(i.due_date AS DATE) AS days_overdue,                 -- 2.5
               i.disputed AND i.amount_cents > 0 AS disputed   -- shown wherever the item is
        FROM inv AS i
        LEFT JOIN paid AS p ON p.invoice_id = i.invoice_id
        LEFT JOIN credited AS c ON c.invoice_id = i.invoice_id
        WHERE NOT EXISTS (SELECT 1 FROM applied AS a WHERE a.credit_id = i.invoice_id)
    ),
    cash AS (       -- 2.3: unapplied or allocated to no invoice of D: one item per
                    -- (customer, payment_id)
        SELECT p.customer_id, p.payment_id AS document_id, 'payment' AS kind,
               min(p.payment_date) AS document_date, CAST(NULL AS TIMESTAMP_S) AS due_date,
               CAST(0 AS BIGINT) AS amount_cents,
               CAST(sum(p.amount_cents) AS BIGINT) AS paid_cents,
               CAST(0 AS BIGINT) AS credited_cents,
               -CAST(sum(p.amount_cents) AS BIGINT) AS outstanding_cents,
               {d} - CAST(min(p.payment_date) AS DATE) AS days_overdue,
               FALSE AS disputed
        FROM pay_to AS p WHERE p.target_id IS NULL
        GROUP BY p.customer_id, p.payment_id
    ),
    open_items AS ( -- 2.4: open = outstanding != 0 (whole cents, so |x| >= 0.01)
        SELECT * FROM docs WHERE outstanding_cents <> 0
        UNION ALL BY NAME
        SELECT * FROM cash
    ),
    items AS (      -- 2.6-7: buckets for what is owed, 'unapplied' for negative items
        SELECT *, {bucket_sql("days_overdue", "outstanding_cents")} AS bucket FROM open_items
    )"""


def aging_sql(as_of: str) -> str:
    columns = ", ".join(ITEM_COLUMNS)
    return (
        f"WITH {items_ctes(as_of)}\nSELECT {columns} FROM items\n"
        "ORDER BY customer_id, document_date, document_id"
    )


def lean_items_ctes(as_of: str) -> str:
    """CTEs ending in ``items`` with only what a summary needs (customer, outstanding, bucket):
    the same rules as :func:`items_ctes`, no item rows with dates, ids or kinds."""
    d = f"DATE '{pd.Timestamp(as_of).date().isoformat()}'"
    return f"""
    inv AS (
        SELECT invoice_id, customer_id, due_date, amount_cents, applied_invoice_id
        FROM invoices WHERE invoice_date <= {d}
    ),
    applied AS (
        SELECT c.invoice_id AS credit_id, c.applied_invoice_id AS target_id,
               -c.amount_cents AS credit_cents
        FROM inv AS c JOIN inv AS t ON t.invoice_id = c.applied_invoice_id
    ),
    credited AS (
        SELECT target_id AS invoice_id, sum(credit_cents) AS credited_cents
        FROM applied GROUP BY target_id
    ),
    pay_to AS (
        SELECT p.customer_id, p.amount_cents, i.invoice_id AS target_id
        FROM payments AS p LEFT JOIN inv AS i ON i.invoice_id = p.allocated_invoice_id
        WHERE p.payment_date <= {d}
    ),
    paid AS (
        SELECT target_id AS invoice_id, sum(amount_cents) AS paid_cents
        FROM pay_to WHERE target_id IS NOT NULL GROUP BY target_id
    ),
    docs AS (
        SELECT i.customer_id,
               CAST(i.amount_cents - coalesce(p.paid_cents, 0) - coalesce(c.credited_cents, 0)
                    AS BIGINT) AS outstanding_cents,
               {d} - CAST(i.due_date AS DATE) AS days_overdue
        FROM inv AS i
        LEFT JOIN paid AS p ON p.invoice_id = i.invoice_id
        LEFT JOIN credited AS c ON c.invoice_id = i.invoice_id
        ANTI JOIN applied AS a ON a.credit_id = i.invoice_id
    ),
    open_items AS (
        SELECT * FROM docs WHERE outstanding_cents <> 0
        UNION ALL
        SELECT customer_id, -amount_cents, 0 FROM pay_to WHERE target_id IS NULL
    ),
    items AS (
        SELECT customer_id, outstanding_cents,
               {bucket_sql("days_overdue", "outstanding_cents")} AS bucket
        FROM open_items
    )"""


def lean_summary_sql(as_of: str) -> str:
    """:func:`summary_sql` over :func:`lean_items_ctes`: the lean reference."""
    return summary_sql(as_of, lean_items_ctes(as_of))


def summary_sql(as_of: str, ctes: str | None = None) -> str:
    sums = ",\n        ".join(
        f"CAST(coalesce(sum(outstanding_cents) FILTER (WHERE bucket = '{b}'), 0) AS BIGINT)"
        f' AS "{b}_cents"'
        for b in LABELS + ["unapplied"]
    )
    names = ", ".join(f's."{b}_cents"' for b in LABELS)
    return f"""WITH {items_ctes(as_of) if ctes is None else ctes},
    per_customer AS (
        SELECT customer_id,
        {sums},
        CAST(coalesce(sum(outstanding_cents) FILTER (WHERE outstanding_cents > 0), 0) AS BIGINT)
            AS receivable_cents,
        CAST(sum(outstanding_cents) AS BIGINT) AS total_cents
        FROM items GROUP BY customer_id
    )
    SELECT s.customer_id, coalesce(c.name, s.customer_id) AS name, {names},
           s.receivable_cents, s."unapplied_cents", s.total_cents
    FROM per_customer AS s LEFT JOIN customers AS c ON c.customer_id = s.customer_id
    ORDER BY s.total_cents DESC, s.customer_id"""


def duckdb_connection(ledger, threads: int):
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    # The pandas frames themselves, scanned in place (their str columns are arrow-backed).
    con.register("invoices", ledger.invoices)
    con.register("payments", ledger.payments)
    con.register("customers", ledger.customers)
    return con


# --- verification ----------------------------------------------------------------------------


def expected_total(ledger, as_of: str) -> int:
    """SPEC §2.8: invoices dated <= D minus payments dated <= D, in cents."""
    day = pd.Timestamp(as_of)
    inv, pay = ledger.invoices, ledger.payments
    return int(
        inv.loc[inv["invoice_date"] <= day, "amount_cents"].sum()
        - pay.loc[pay["payment_date"] <= day, "amount_cents"].sum()
    )


def verify_items(ours: pd.DataFrame, ref: pd.DataFrame, total: int, what: str) -> dict:
    """Assert arbook's items equal the SQL's: count, bucket totals to the cent, row by row."""
    assert len(ours) == len(ref), f"{what}: {len(ours)} open items in arbook, {len(ref)} in SQL"
    by_ours = ours.groupby(ours["bucket"].astype("str"))["outstanding_cents"].sum()
    by_ref = ref.groupby("bucket")["outstanding_cents"].sum()
    buckets = {b: (int(by_ours.get(b, 0)), int(by_ref.get(b, 0))) for b in LABELS + ["unapplied"]}
    wrong = {b: v for b, v in buckets.items() if v[0] != v[1]}
    assert not wrong, f"{what}: bucket totals differ (arbook, SQL): {wrong}"
    assert int(ours["outstanding_cents"].sum()) == total, f"{what}: arbook breaks SPEC §2.8"
    assert int(ref["outstanding_cents"].sum()) == total, f"{what}: the SQL breaks SPEC §2.8"
    for column in ITEM_COLUMNS:
        a, b = ours[column], ref[column]
        if column == "bucket":
            a = a.astype("str")
        if column.endswith("_date"):
            a = a.astype("datetime64[s]")
            b = b.astype("datetime64[s]")
        same = (
            a.reset_index(drop=True).equals(b.reset_index(drop=True).astype(a.dtype))
            if column not in ("customer_id", "document_id", "kind", "bucket")
            else bool((a.to_numpy(dtype=object) == b.to_numpy(dtype=object)).all())
        )
        assert same, f"{what}: column {column} differs between arbook and SQL (same order)"
    return {
        "open_items": len(ours),
        "buckets_cents": {b: v[0] for b, v in buckets.items()},
        "total_cents": total,
    }


def verify_summary(ours: pd.DataFrame, ref: pd.DataFrame, what: str) -> None:
    assert list(ours.columns) == list(ref.columns), (
        f"{what}: columns differ: {list(ours.columns)} vs {list(ref.columns)}"
    )
    assert len(ours) == len(ref), f"{what}: {len(ours)} customers in arbook, {len(ref)} in SQL"
    for column in ours.columns:
        a, b = ours[column].to_numpy(), ref[column].to_numpy()
        if column.endswith("_cents"):
            ok = np.array_equal(a.astype(np.int64), b.astype(np.int64))
        else:
            ok = bool((a.astype(object) == b.astype(object)).all())
        assert ok, f"{what}: summary column {column} differs (same order expected)"


def edge_case_check(threads: int) -> None:
    """The SQL and arbook on a tiny ledger made of SPEC §2's corner cases, as of two dates."""
    invoices = pd.DataFrame(
        {
            "invoice_id": ["I1", "I2", "I3", "I4", "C1", "C2", "C3", "C4", "I5"],
            "customer_id": ["A", "A", "A", "B", "A", "A", "B", "B", "B"],
            "invoice_date": [
                "2025-01-10",
                "2025-02-01",
                "2025-03-15",
                "2025-01-05",
                "2025-01-20",
                "2025-02-25",
                "2025-02-01",
                "2025-01-04",
                "2025-02-10",
            ],
            "due_date": [
                "2025-02-09",
                "",
                "2025-04-14",
                "2025-01-05",
                "",
                "",
                "",
                "",
                "2025-02-28",
            ],
            "amount": [
                "100.00",
                "250.00",
                "80.00",
                "300.00",
                "-30.00",
                "-20.00",
                "-15.00",
                "-50.00",
                "40.00",
            ],
            # C2 applies to I3, dated after C2 (standalone until I3 exists); C4 applies to I4 but is
            # dated the day before it; C3 is standalone.
            "applies_to": ["", "", "", "", "I1", "I3", "", "I4", ""],
        }
    )
    payments = pd.DataFrame(
        {
            "payment_id": ["P1", "P2", "P2", "P3", "P4", "P5", "P6"],
            "customer_id": ["A", "A", "A", "A", "B", "B", "B"],
            "payment_date": [
                "2025-02-05",
                "2025-02-20",
                "2025-02-20",
                "2025-03-01",
                "2025-01-31",
                "2025-03-05",
                "2025-01-20",
            ],
            "amount": ["60.00", "10.00", "5.00", "120.00", "310.00", "25.00", "7.00"],
            # P3 pays I3 before I3 exists (unapplied until then); P4 overpays I4; P5 pays I5 in
            # part; P6 is cash on account.
            "invoice_id": ["I1", "I2", "", "I3", "I4", "I5", ""],
        }
    )
    ledger = arbook.ledger_from_frames(invoices, payments)
    assert not len(ledger.errors), ledger.errors
    con = duckdb_connection(ledger, threads)
    for as_of in ("2025-01-31", "2025-02-28", "2025-03-10", "2025-04-30"):
        what = f"edge cases as of {as_of}"
        ref = con.execute(aging_sql(as_of)).df()
        verify_items(arbook.aging(ledger, as_of), ref, expected_total(ledger, as_of), what)
        verify_summary(
            arbook.aging_summary(ledger, as_of), con.execute(summary_sql(as_of)).df(), what
        )
    con.close()


# --- memory: each step in a fresh process -----------------------------------------------------


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


class PeakRSS:
    """Peak RSS of this process during a block, in bytes above the RSS at its start.

    Linux: writing 5 to /proc/self/clear_refs resets the kernel's high-water mark (VmHWM) to the
    current RSS, so VmHWM after the block is the exact peak. Where that is not allowed, a thread
    samples VmRSS every millisecond (can miss a peak shorter than that).
    """

    def __enter__(self):
        gc.collect()
        self.start = _status_kib("VmRSS")
        try:
            with open("/proc/self/clear_refs", "w") as handle:
                handle.write("5")
            self.method = "VmHWM reset via /proc/self/clear_refs"
            self.thread = None
        except OSError:
            self.method = "VmRSS sampled every 1 ms"
            self.sampled, self.stop = self.start, threading.Event()
            self.thread = threading.Thread(target=self._sample, daemon=True)
            self.thread.start()
        return self

    def _sample(self):
        while not self.stop.is_set():
            self.sampled = max(self.sampled, _status_kib("VmRSS"))
            time.sleep(0.001)

    def __exit__(self, *exc):
        if self.thread is None:
            peak = _status_kib("VmHWM")
        else:
            self.stop.set()
            self.thread.join()
            peak = self.sampled
        self.end = _status_kib("VmRSS")
        self.peak_increase = (peak - self.start) * 1024
        self.retained = (self.end - self.start) * 1024
        return False


def probe(step: str, source: str, as_of: str, threads: int) -> dict:
    """Run one step in this (fresh) process and return its peak RSS increase.

    ``source`` is a pickled Ledger (for the aging steps) or a ledger folder (for the loads).
    """
    if step.startswith("read_ledger"):
        if step.endswith("_lean"):  # as the arbook command runs it: freed memory given back
            from arbook.core.memory import lean

            lean()
        with PeakRSS() as rss:
            ledger = arbook.read_ledger(source)
        return {
            "step": step,
            "peak_increase": rss.peak_increase,
            "retained": rss.retained,
            "ledger_bytes": frame_bytes(ledger.invoices, ledger.payments, ledger.customers),
            "method": rss.method,
        }
    with open(source, "rb") as handle:
        ledger = pickle.load(handle)
    ledger_bytes = frame_bytes(ledger.invoices, ledger.payments, ledger.customers)
    if step != "aging_first_call":
        ledger.arrays  # noqa: B018  (warm: the cached arrays are part of the ledger from now on)
    con = duckdb_connection(ledger, threads) if step.startswith("duckdb") else None
    with PeakRSS() as rss:
        if step in ("aging_first_call", "aging"):
            arbook.aging(ledger, as_of)
        elif step == "aging_summary":
            arbook.aging_summary(ledger, as_of)
        elif step == "duckdb_aging":
            con.execute(aging_sql(as_of)).df()
        elif step == "duckdb_summary":
            con.execute(summary_sql(as_of)).df()
        else:
            raise ValueError(step)
    return {
        "step": step,
        "peak_increase": rss.peak_increase,
        "retained": rss.retained,
        "ledger_bytes": ledger_bytes,
        "method": rss.method,
    }


def run_probe(step: str, source: Path, as_of: str, threads: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--probe", step, str(source), as_of, "--threads", str(threads)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise RuntimeError(f"memory probe {step} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- one size --------------------------------------------------------------------------------


def bench_loading(n: int, repeat: int) -> dict:
    figures = {}
    for fmt in ("csv", "parquet"):
        folder = sample_folder(n, fmt)
        files = table_files(folder)
        import pyarrow.csv as arrow_csv
        import pyarrow.parquet as arrow_parquet

        # the reference: a bare Arrow read of the same files (what a reader can do at best)
        reader = arrow_csv.read_csv if fmt == "csv" else arrow_parquet.read_table
        bare, bare_all, tables = best_of(repeat, lambda: [reader(f) for f in files])
        bare_bytes = int(sum(t.nbytes for t in tables))
        del tables
        extra = {}
        if fmt == "csv":  # for scale: pandas' own CSV reader with the same files
            extra["bare_pandas_s"], _, _ = best_of(repeat, lambda: [pd.read_csv(f) for f in files])
        # for scale: the least a validation must do beyond reading, done by a database: read
        # the invoices and payments and find each payment's invoice (the allocation's join)
        extra["duckdb_read_join_s"], _, _ = best_of(repeat, lambda: duckdb_read_join(folder, fmt))
        ledger = None
        gc.collect()
        ours, ours_all, ledger = best_of(repeat, lambda: arbook.read_ledger(folder))
        assert not len(ledger.errors), f"{folder}: the sample has errors:\n{ledger.errors.head()}"
        figures[fmt] = {
            "read_ledger_s": ours,
            "read_ledger_runs_s": ours_all,
            "bare_s": bare,
            "bare_runs_s": bare_all,
            "ratio": ours / bare,
            "bare_frames_bytes": bare_bytes,
            "file_bytes": sum(f.stat().st_size for f in files),
            **extra,
        }
        ledger = None
        print(f"  loaded {fmt}: read_ledger {ours:.2f} s, bare {bare:.2f} s", flush=True)
    return figures


def duckdb_read_join(folder: Path, fmt: str) -> int:
    """DuckDB reads the invoices and payments of ``folder`` and finds, for each payment row,
    the row of the invoice it names (-1: none): the one join every validation of payments must
    make, at a database's speed. Returns how many payment rows found their invoice."""
    con = duckdb.connect()
    reader = "read_csv" if fmt == "csv" else "read_parquet"
    options = ", all_varchar = true" if fmt == "csv" else ""
    try:
        found = con.sql(
            f"""
            with inv as (
                select invoice_id, min(r) as pos from (
                    select invoice_id, row_number() over () - 1 as r
                    from {reader}('{folder / f"invoices.{fmt}"}'{options})
                ) group by invoice_id
            ), pay as (
                select invoice_id, row_number() over () - 1 as r
                from {reader}('{folder / f"payments.{fmt}"}'{options})
            )
            select coalesce(inv.pos, -1) as pos from pay left join inv using (invoice_id)
            order by pay.r
            """
        ).to_arrow_table()
    finally:
        con.close()
    return int((found.column(0).to_numpy() >= 0).sum())


def bench_aging_one(ledger, con, as_of: str, repeat: int, warm: bool) -> dict:
    """Time arbook and the SQL as of one date, after checking they agree."""
    what = f"{len(ledger.invoices):,} invoices as of {as_of}"
    out = {}
    if not warm:
        ledger.__dict__.pop("arrays", None)
        out["first_call_s"], _ = timed(lambda: arbook.aging(ledger, as_of))
        out["sql_first_call_s"], _ = timed(lambda: con.execute(aging_sql(as_of)).df())
    ours, ours_all, items = best_of(repeat, lambda: arbook.aging(ledger, as_of))
    ref_s, ref_all, ref = best_of(repeat, lambda: con.execute(aging_sql(as_of)).df())
    out["check"] = verify_items(items, ref, expected_total(ledger, as_of), what)
    del items, ref
    s_ours, s_ours_all, summary = best_of(repeat, lambda: arbook.aging_summary(ledger, as_of))
    s_ref, s_ref_all, s_sql = best_of(repeat, lambda: con.execute(summary_sql(as_of)).df())
    verify_summary(summary, s_sql, what)
    lean_s, lean_all, lean = best_of(repeat, lambda: con.execute(lean_summary_sql(as_of)).df())
    verify_summary(summary, lean, what + " (lean)")
    out["check"]["customers"] = len(summary)
    out.update(
        {
            "aging_s": ours,
            "aging_runs_s": ours_all,
            "sql_aging_s": ref_s,
            "sql_aging_runs_s": ref_all,
            "aging_ratio": ours / ref_s,
            "summary_s": s_ours,
            "summary_runs_s": s_ours_all,
            "sql_summary_s": s_ref,
            "sql_summary_runs_s": s_ref_all,
            "summary_ratio": s_ours / s_ref,
            "sql_lean_summary_s": lean_s,
            "sql_lean_summary_runs_s": lean_all,
            "lean_summary_ratio": s_ours / lean_s,
        }
    )
    return out


def bench_size(n: int, repeat: int, threads: int) -> dict:
    customers = customers_for(n)
    print(f"\n== {n:,} invoices, {customers:,} customers ==", flush=True)
    # Aging first, on a ledger read once: after many big loads the heap is fragmented and
    # every later step in this process runs up to ~1.5x slower (arbook and DuckDB alike).
    sample_folder(n, "csv")
    ledger = arbook.read_ledger(sample_folder(n, "parquet"))
    result = {"invoices": n, "customers": customers, "payment_rows": len(ledger.payments)}
    ledger_bytes = frame_bytes(ledger.invoices, ledger.payments, ledger.customers)
    result["ledger_bytes"] = ledger_bytes
    result["ledger_column_bytes"] = {
        name: {c: int(b) for c, b in getattr(ledger, name).memory_usage(deep=True).items()}
        for name in ("invoices", "payments", "customers")
    }

    # the cached arrays alone (what the first call adds), best of repeat
    def build(ledger=ledger):  # bound now: `ledger` is deleted further down
        ledger.__dict__.pop("arrays", None)
        return ledger.arrays

    result["arrays_build_s"], _, _ = best_of(repeat, build)
    arrays = ledger.arrays
    result["arrays_bytes"] = int(
        sum(v.nbytes for v in vars(arrays).values() if isinstance(v, np.ndarray))
        + sum(x.nbytes for seg in (arrays.pay_segments, arrays.credit_segments) for x in seg)
    )
    con = duckdb_connection(ledger, threads)
    result["aging"] = {}
    for i, as_of in enumerate((END, MID)):
        result["aging"][as_of] = bench_aging_one(ledger, con, as_of, repeat, warm=i > 0)
        a = result["aging"][as_of]
        print(
            f"  aged as of {as_of}: arbook {a['aging_s']:.3f} s, SQL {a['sql_aging_s']:.3f} s; "
            f"{a['check']['open_items']:,} items agree",
            flush=True,
        )
    con.close()
    # 24 months of metrics (each row reads its month end, the one before and a year back)
    result["metrics_s"], _, _ = best_of(
        repeat, lambda ledger=ledger: arbook.monthly_metrics(ledger, METRICS_FROM, METRICS_TO)
    )
    print(f"  monthly_metrics 24 months: {result['metrics_s']:.2f} s", flush=True)

    # memory, each step in its own process, from a pickle of this very ledger
    ledger.__dict__.pop("arrays", None)
    with tempfile.TemporaryDirectory(prefix="bench_aging_") as tmp:
        pickled = Path(tmp) / "ledger.pkl"
        with open(pickled, "wb") as handle:
            pickle.dump(ledger, handle, protocol=pickle.HIGHEST_PROTOCOL)
        del ledger, con
        gc.collect()
        memory = {}
        for step in (
            "aging_first_call",
            "aging",
            "aging_summary",
            "duckdb_aging",
            "duckdb_summary",
        ):
            memory[step] = run_probe(step, pickled, END, threads)
    result["loading"] = bench_loading(n, repeat)
    for fmt in ("csv", "parquet"):
        for step in (f"read_ledger_{fmt}", f"read_ledger_{fmt}_lean"):
            memory[step] = run_probe(step, sample_folder(n, fmt), END, threads)
    for figures in memory.values():  # each against the ledger as measured in its own process
        figures["ratio_to_ledger"] = figures["peak_increase"] / figures["ledger_bytes"]
    result["memory"] = memory
    return result


# --- profile (--profile) ----------------------------------------------------------------------


def profile_size(n: int, stamp: str) -> None:
    """cProfile read_ledger (both formats) and aging (first and warm call); print the top
    functions by own time and save the .prof files next to the JSON."""
    import cProfile
    import io
    import pstats

    ledger = None
    steps = [
        (f"read_ledger_{fmt}", lambda fmt=fmt: arbook.read_ledger(sample_folder(n, fmt)))
        for fmt in ("csv", "parquet")
    ]
    steps += [
        ("aging_first_call", lambda: arbook.aging(ledger, END)),
        ("aging_warm", lambda: arbook.aging(ledger, END)),
        ("aging_summary_warm", lambda: arbook.aging_summary(ledger, END)),
    ]
    for name, fn in steps:
        gc.collect()
        profiler = cProfile.Profile()
        profiler.enable()
        out = fn()
        profiler.disable()
        if name.startswith("read_ledger"):
            ledger = out
        path = RESULTS / f"profile_{stamp}_{n}_{name}.prof"
        profiler.dump_stats(path)
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        print(
            f"\n--- cProfile {name}, {n:,} invoices: {stats.total_tt:.2f} s; top by own time "
            f"({path.relative_to(HERE.parent)})"
        )
        stats.sort_stats("tottime").print_stats(12)
        for line in text.getvalue().splitlines():
            if line.strip().startswith(("ncalls",) + tuple("0123456789")):
                print(
                    "   "
                    + line.replace(sysconfig.get_paths()["purelib"] + "/", "").replace(
                        str(HERE.parent) + "/", ""
                    )
                )


# --- report ----------------------------------------------------------------------------------


def verdict(ratio: float, target: float) -> str:
    return "ok" if ratio <= target else "MISSED"


def report(results: list[dict], threads: int) -> str:
    lines = []
    add = lines.append
    for r in results:
        add(
            f"\n{r['invoices']:,} invoices, {r['payment_rows']:,} payment rows, "
            f"{r['customers']:,} customers; DuckDB threads={threads}"
        )
        add(f"{'step':<44}{'arbook':>10}{'reference':>11}{'ratio':>8}  target")
        for as_of, a in r["aging"].items():
            items = f"{a['check']['open_items']:,} items"
            add(
                f"{'aging ' + as_of + ' (' + items + ')':<44}{a['aging_s']:>9.3f}s"
                f"{a['sql_aging_s']:>10.3f}s{a['aging_ratio']:>7.2f}x  <= 0.7x "
                f"{verdict(a['aging_ratio'], TARGETS['aging'])}{cpu_load(a['aging_s'])}"
            )
            add(
                f"{'aging_summary ' + as_of:<44}{a['summary_s']:>9.3f}s"
                f"{a['sql_summary_s']:>10.3f}s{a['summary_ratio']:>7.2f}x"
                f"{cpu_load(a['summary_s'])}"
            )
            add(
                f"{'aging_summary ' + as_of + ' vs lean query':<44}{a['summary_s']:>9.3f}s"
                f"{a['sql_lean_summary_s']:>10.3f}s{a['lean_summary_ratio']:>7.2f}x  <= 0.5x "
                f"{verdict(a['lean_summary_ratio'], TARGETS['summary'])}"
            )
        first = r["aging"][END]
        ratio = first["first_call_s"] / first["sql_first_call_s"]
        add(
            f"{'aging first call (builds cached arrays)':<44}{first['first_call_s']:>9.3f}s"
            f"{first['sql_first_call_s']:>10.3f}s{ratio:>7.2f}x  <= 1x "
            f"{verdict(ratio, TARGETS['first_call'])}{cpu_load(first['first_call_s'])}"
        )
        add(f"{'  of which Ledger.arrays alone':<44}{r['arrays_build_s']:>9.3f}s")
        metrics = r.get("metrics_s")
        if metrics is not None:
            goal = (
                f"  <= {TARGETS['metrics_10m_s']:.0f}s {verdict(metrics, TARGETS['metrics_10m_s'])}"
                if r["invoices"] >= 10_000_000
                else ""
            )
            line = f"{'monthly_metrics, 24 months':<44}{metrics:>9.2f}s{'':>19}{goal}"
            add(line + cpu_load(metrics))
        for fmt, f in r["loading"].items():
            add(
                f"{'read_ledger ' + fmt + ' vs bare Arrow read':<44}{f['read_ledger_s']:>9.2f}s"
                f"{f['bare_s']:>10.2f}s{f['ratio']:>7.2f}x  <= 2x "
                f"{verdict(f['ratio'], TARGETS['loading'])}{cpu_load(f['read_ledger_s'])}"
            )
        if "bare_pandas_s" in r["loading"].get("csv", {}):
            add(
                f"{'  (bare pd.read_csv)':<44}{'':>10}"
                f"{r['loading']['csv']['bare_pandas_s']:>10.2f}s"
            )
        for fmt, f in r["loading"].items():
            if "duckdb_read_join_s" in f:
                add(
                    f"{'  (DuckDB: read ' + fmt + ' + the payments join)':<44}{'':>10}"
                    f"{f['duckdb_read_join_s']:>10.2f}s"
                )
        m = r["memory"]
        files = sum(c.get("source_file", 0) for c in r["ledger_column_bytes"].values())
        add(
            f"memory: ledger {r['ledger_bytes'] / MIB:,.0f} MiB (memory_usage deep, 3 frames; "
            f"source_file column alone {files / MIB:,.0f} MiB); "
            f"cached arrays {r['arrays_bytes'] / MIB:,.0f} MiB"
        )
        add(f"{'peak RSS increase during':<44}{'MiB':>10}{'x ledger':>11}")
        for step, f in m.items():
            target = ""
            if step.startswith(("aging", "read_ledger")):
                goal = TARGETS["memory_aging" if step.startswith("aging") else "memory_loading"]
                target = f"  <= {goal:g}x {verdict(f['ratio_to_ledger'], goal)}"
            add(
                f"{'  ' + step:<44}{f['peak_increase'] / MIB:>10,.0f}"
                f"{f['ratio_to_ledger']:>10.2f}x{target}"
            )
    return "\n".join(lines)


def machine() -> dict:
    info = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "duckdb": duckdb.__version__,
        "arbook": arbook.__version__,
    }
    try:
        import pyarrow

        info["pyarrow"] = pyarrow.__version__
        with open("/proc/cpuinfo") as handle:
            info["cpu"] = next(
                line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")
            )
        with open("/proc/meminfo") as handle:
            info["memory_gib"] = round(int(handle.readline().split()[1]) / 1024**2, 1)
    except (OSError, StopIteration):
        pass
    try:
        git = ["git", "-C", str(HERE.parent)]
        info["commit"] = subprocess.run(
            git + ["rev-parse", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        info["arbook_dirty"] = bool(
            subprocess.run(
                git + ["status", "--porcelain", "arbook"], capture_output=True, text=True
            ).stdout.strip()
        )
    except OSError:
        pass
    return info


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="1000000,10000000",
        help="comma-separated invoice counts (default 1000000,10000000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    parser.add_argument("--skip-10m", action="store_true", help="leave out sizes of 10M and more")
    parser.add_argument(
        "--threads",
        type=int,
        default=2,
        help="DuckDB threads (default 2: the benchmark machine has 2 cores)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile loading and aging at the first size"
    )
    parser.add_argument(
        "--probe", nargs=3, metavar=("STEP", "SOURCE", "AS_OF"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(probe(*args.probe, threads=args.threads)))
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.skip_10m:
        sizes = [n for n in sizes if n < 10_000_000]
    info = machine()
    print(
        f"arbook {info['arbook']} | pandas {info['pandas']} | duckdb {info['duckdb']} "
        f"(threads={args.threads}) | {info['cpus']} cores {info.get('cpu', '')} | "
        f"{info.get('memory_gib', '?')} GiB",
        flush=True,
    )
    edge_case_check(args.threads)
    print("edge-case ledger: arbook and the SQL agree on SPEC §2 corner cases", flush=True)
    results = []
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"bench_aging_{stamp}.json"
    for n in sizes:
        results.append(bench_size(n, args.repeat, args.threads))
        payload = {
            "when": stamp,
            "machine": info,
            "duckdb_threads": args.threads,
            "repeat": args.repeat,
            "as_of": [END, MID],
            "targets": TARGETS,
            "sizes": results,
        }
        path.write_text(json.dumps(payload, indent=2))  # after each size: a crash keeps the rest
    print(report(results, args.threads))
    print(f"\nfigures: {path.relative_to(HERE.parent)}")
    if args.profile and sizes:
        profile_size(sizes[0], stamp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
