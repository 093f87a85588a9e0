"""Benchmark of the engines (arbook.engines) against arbook's in-memory path.

For each size N (invoices; the sample of bench_aging.sample_folder, Parquet) it times, warm,
best of ``--repeat``: ``aging_summary`` and ``aging`` as of the data's last day and
``monthly_metrics`` over its 24 months, on

- memory: arbook's own path on the ledger read by ``read_ledger`` (the reference);
- duckdb-ledger: ``engine="duckdb"`` on that ledger (its frames registered in DuckDB per call);
- duckdb-parquet: ``arbook.engines.source("duckdb", folder)``: DuckDB reads the Parquet files;
- postgres: the tables in PostgreSQL (loaded first, not timed), when ARBOOK_TEST_POSTGRES_URL
  (or ``--db``) is set;
- spark-parquet: Spark in local mode reads the Parquet files.

Every engine's answer is checked equal to memory's before its time is printed. Next to each
figure: wall seconds, CPU seconds of the whole machine (from /proc/stat, so PostgreSQL's and
Spark's JVM work counts too, and so does anything else running then) and of this process, the
1-minute load average, and the ratio to memory.

``--spill`` runs DuckDB on the largest folder with ``SET memory_limit`` (default 4GB, e.g.
``--memory-limit 512MB`` to be well under the data), in a fresh process whose peak RSS is read.

    .venv/bin/python benchmarks/bench_engines.py --sizes 1000000
    .venv/bin/python benchmarks/bench_engines.py --sizes 1000000 10000000 --skip spark
    .venv/bin/python benchmarks/bench_engines.py --sizes 10000000 --spill --memory-limit 1GB
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from bench_aging import END, MONTHS, sample_folder

import arbook
from arbook.engines import source
from arbook.measures.aging import aging, aging_summary
from arbook.measures.metrics import monthly_metrics

START = str(pd.Period(END, freq="M") - (MONTHS - 1))
ENGINES = ("memory", "duckdb-ledger", "duckdb-parquet", "postgres", "spark-parquet")


def machine_cpu() -> float:
    """CPU seconds used on the whole machine so far (user + nice + system + irq + softirq)."""
    with open("/proc/stat") as handle:
        fields = handle.readline().split()[1:]
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(fields[i]) for i in (0, 1, 2, 5, 6)) / ticks


def measure(fn, repeat: int) -> dict:
    """Best wall time of ``repeat`` calls with the machine CPU and load of that call."""
    best = None
    for _ in range(repeat):
        cpu, own, wall = machine_cpu(), time.process_time(), time.perf_counter()
        result = fn()
        wall, cpu = time.perf_counter() - wall, machine_cpu() - cpu
        own = time.process_time() - own
        if best is None or wall < best["wall"]:
            load = os.getloadavg()[0]
            best = {"wall": wall, "cpu": cpu, "own": own, "load": load, "result": result}
    return best


def calls(ledger_or_source) -> dict:
    return {
        "summary": lambda: aging_summary(ledger_or_source, END),
        "aging": lambda: aging(ledger_or_source, END),
        "metrics": lambda: monthly_metrics(ledger_or_source, START, END[:7]),
    }


def load_postgres(folder: Path, url: str) -> None:
    """The folder's Parquet tables into the database (replacing tables of the same name), by
    COPY of CSV that Arrow writes."""
    import io

    import psycopg
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq
    import sqlalchemy as sa

    kinds = {"string": "text", "date32[day]": "date", "int32": "integer", "int64": "bigint"}
    dsn = sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        for name in ("invoices", "payments", "customers"):
            table = pq.read_table(folder / f"{name}.parquet")
            columns = ", ".join(
                f'"{f.name}" {kinds.get(str(f.type), "numeric")}' for f in table.schema
            )
            cur.execute(f"DROP TABLE IF EXISTS {name}")
            cur.execute(f"CREATE TABLE {name} ({columns})")
            buffer = io.BytesIO()
            pcsv.write_csv(table, buffer, pcsv.WriteOptions(include_header=False))
            with cur.copy(f"COPY {name} FROM STDIN (FORMAT csv)") as copy:
                copy.write(buffer.getvalue())
            cur.execute(f"ANALYZE {name}")


def bench_size(n: int, repeat: int, skip: set[str], db: str | None) -> list[dict]:
    folder = sample_folder(n, "parquet")
    started = time.perf_counter()
    ledger = arbook.read_ledger(folder)
    print(f"\n{n:,} invoices: read_ledger {time.perf_counter() - started:.1f} s", flush=True)
    reference: dict = {}
    rows = []
    for engine in ENGINES:
        if engine in skip or (engine == "postgres" and not db):
            continue
        made = time.perf_counter()
        if engine == "memory":
            target = ledger
        elif engine == "duckdb-ledger":
            target = source("duckdb", ledger)
        elif engine == "duckdb-parquet":
            target = source("duckdb", folder)
        elif engine == "postgres":
            load_postgres(folder, db)
            made = time.perf_counter()
            target = source("postgres", db=db)
        else:
            target = source("spark", folder)
        setup = time.perf_counter() - made
        for what, fn in calls(target).items():
            fn()  # warm: the first call of a session compiles, uploads, starts the JVM's JIT
            got = measure(fn, repeat)
            if engine == "memory":
                reference[what] = got
            else:
                check(what, got["result"], reference[what]["result"])
            ratio = got["wall"] / reference[what]["wall"]
            row = {
                "invoices": n,
                "engine": engine,
                "what": what,
                "wall_s": round(got["wall"], 3),
                "cpu_s": round(got["cpu"], 2),
                "process_cpu_s": round(got["own"], 2),
                "load": round(got["load"], 2),
                "vs_memory": round(ratio, 2),
                "setup_s": round(setup, 2),
            }
            rows.append(row)
            print(
                f"  {engine:15} {what:8} {got['wall']:8.3f} s wall  {got['cpu']:7.2f} s CPU "
                f"(this process {got['own']:6.2f} s)  "
                f"load {got['load']:4.2f}  {ratio:6.2f}x memory  (source made in {setup:.2f} s)",
                flush=True,
            )
    return rows


def check(what: str, ours: pd.DataFrame, memory: pd.DataFrame) -> None:
    if what == "metrics":
        pd.testing.assert_frame_equal(ours, memory, check_exact=False, rtol=1e-12)
    else:
        pd.testing.assert_frame_equal(ours, memory)


SPILL = """
import ibis, json, resource, sys, tempfile, time
from arbook.engines import source
from arbook.measures.aging import aging_summary
from arbook.measures.metrics import monthly_metrics
folder, limit, end, start = sys.argv[1:5]
con = ibis.duckdb.connect(memory_limit=limit, threads=2, preserve_insertion_order=False,
                          temp_directory=tempfile.mkdtemp(prefix="arbook-duckdb-"))
t = time.perf_counter()
summary = aging_summary(source("duckdb", folder, con=con), end)
one = time.perf_counter() - t
t = time.perf_counter()
metrics = monthly_metrics(source("duckdb", folder, con=con), start, end[:7])
many = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"summary_s": one, "metrics_s": many, "peak_rss_mib": peak,
                  "customers": len(summary), "months": len(metrics)}))
"""


def spill(n: int, limit: str) -> dict:
    """DuckDB on the Parquet folder under ``memory_limit``, in a fresh process."""
    folder = sample_folder(n, "parquet")
    size = sum(p.stat().st_size for p in folder.glob("*.parquet")) / 2**20
    done = subprocess.run(
        [sys.executable, "-c", SPILL, str(folder), limit, END, START],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"\nDuckDB, {n:,} invoices ({size:.0f} MiB of Parquet) under memory_limit={limit}: "
        f"summary {figures['summary_s']:.2f} s, 24 month ends {figures['metrics_s']:.2f} s, "
        f"peak RSS {figures['peak_rss_mib']:.0f} MiB"
    )
    return figures | {"invoices": n, "memory_limit": limit, "parquet_mib": size}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip", nargs="*", default=[], choices=ENGINES[1:])
    parser.add_argument("--db", default=os.environ.get("ARBOOK_TEST_POSTGRES_URL"))
    parser.add_argument("--spill", action="store_true")
    parser.add_argument("--memory-limit", default="4GB")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores; load {os.getloadavg()}")
    rows = []
    for n in args.sizes:
        rows += bench_size(n, args.repeat, set(args.skip), args.db)
    spilled = spill(max(args.sizes), args.memory_limit) if args.spill else None
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    (out / f"engines-{stamp}.json").write_text(
        json.dumps({"rows": rows, "spill": spilled, "peak_rss_mib": peak}, indent=1)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
