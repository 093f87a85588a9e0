"""Peak memory and time of ``arbook check`` on a large CSV, against the file and the ledger.

The target (issue 11): the peak resident memory of ``check`` stays within 1.5 times the file's
size plus the ledger it builds, whether the file is clean or has one bad row at its very end
(which once sent the whole file to the slow reader). Each run is a fresh process; its baseline
(Python with arbook imported) is measured the same way and subtracted.

    .venv/bin/python benchmarks/bench_check.py [--invoices 3800000]

The file is the invoices of ``arbook.workbook.sample.make_sample`` (about 53 bytes a row, so
3.8M invoices are about 200 MB), made once into benchmarks/data/ and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
MIB = 1024 * 1024

CHILD = r"""
import json, os, resource, sys, time
def hwm():
    for line in open(f"/proc/{os.getpid()}/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) * 1024
import arbook
base = hwm()
if sys.argv[1] == "base":
    print(json.dumps({"base": base})); sys.exit()
start = time.perf_counter()
ledger = arbook.read_ledger(sys.argv[1])
seconds = time.perf_counter() - start
frames = (ledger.invoices, ledger.payments, ledger.customers)
size = int(sum(f.memory_usage(deep=True).sum() for f in frames))
print(json.dumps({"base": base, "peak": hwm(), "ledger": size, "seconds": seconds,
                  "invoices": len(ledger.invoices), "errors": len(ledger.errors)}))
"""


def folder_of(invoices: int, bad_row: bool) -> Path:
    """benchmarks/data/check_<n>[_bad]/invoices.csv, made from the sample generator once."""
    clean = DATA / f"check_{invoices}"
    if not (clean / ".complete").exists():
        from arbook.workbook.sample import make_sample

        work = DATA / f"check_{invoices}_work"
        shutil.rmtree(work, ignore_errors=True)
        print(f"  generating {invoices:,} invoices ...", end=" ", flush=True)
        start = time.perf_counter()
        make_sample(work, seed=0, customers=max(150, invoices // 50), months=24, invoices=invoices)
        clean.mkdir(parents=True, exist_ok=True)
        shutil.move(work / "invoices.csv", clean / "invoices.csv")
        shutil.rmtree(work)
        (clean / ".complete").write_text("")
        print(f"{time.perf_counter() - start:.0f} s")
    if not bad_row:
        return clean
    bad = DATA / f"check_{invoices}_bad"
    if not (bad / ".complete").exists():
        bad.mkdir(parents=True, exist_ok=True)
        shutil.copy(clean / "invoices.csv", bad / "invoices.csv")
        with open(bad / "invoices.csv", "a", encoding="utf-8") as handle:
            handle.write("IBAD,C1,2026-01-05,,1,000.00,,,no\n")  # one cell too many
        (bad / ".complete").write_text("")
    return bad


def child(arg: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, arg], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def command_peak(folder: Path) -> tuple[int, float]:
    """Peak RSS (bytes) and wall time of the real ``arbook check`` command."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "arbook.cli", "check", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss * 1024, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=3_800_000)
    args = parser.parse_args()
    base = child("base")["base"]
    print(f"baseline (python + import arbook): {base / MIB:.0f} MiB")
    rows = []
    for bad in (False, True):
        folder = folder_of(args.invoices, bad)
        size = (folder / "invoices.csv").stat().st_size
        run = child(str(folder))
        peak, wall = command_peak(folder)
        over = run["peak"] - run["base"]
        budget = 1.5 * size + run["ledger"]
        rows.append(
            {
                "file": "one bad row at the end" if bad else "clean",
                "file_mib": size / MIB,
                "ledger_mib": run["ledger"] / MIB,
                "read_ledger_peak_mib": over / MIB,
                "check_peak_mib": (peak - base) / MIB,
                "budget_mib": budget / MIB,
                "ratio": (peak - base) / budget,
                "read_seconds": run["seconds"],
                "check_seconds": wall,
                "errors": run["errors"],
            }
        )
    print(
        f"{'file':24} {'MiB':>6} {'ledger':>7} {'check peak':>11} {'budget':>7} "
        f"{'ratio':>6} {'check s':>8}"
    )
    for r in rows:
        verdict = "ok" if r["ratio"] <= 1 else "MISSED"
        print(
            f"{r['file']:24} {r['file_mib']:6.0f} {r['ledger_mib']:7.0f} "
            f"{r['check_peak_mib']:11.0f} {r['budget_mib']:7.0f} {r['ratio']:5.2f}x "
            f"{r['check_seconds']:8.1f}  {verdict}"
        )
    out = HERE / "results" / f"bench_check_{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"baseline_mib": base / MIB, "runs": rows}, indent=2))
    print(f"figures: {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
