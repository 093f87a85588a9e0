"""What the papermill monthly review costs, against the same work in plain Python.

1. ``run_review`` on the sample (a kernel starts, runs the notebook, nbconvert writes the HTML)
   against calling the same package functions in this process: read the ledger,
   ``build_review``, every section (``report_sections.all_parts``: tables, tiles and every chart
   through ``to_svg``) and joining the parts into one HTML page. Target: review <= 1.5x plain.
   Also as a user meets it: the ``arbook review`` command against the same work as a plain
   Python script, each in a fresh process (interpreter start and imports included).
2. ``run_batch`` of 12 month ends (2025-11 .. 2026-10) with ``jobs=1`` and ``jobs=2``.
   Target: 2 jobs <= 0.6x serial.

Run: ``.venv/bin/python benchmarks/bench_review.py [--repeat 2] [--skip-batch]``. Prints a table
of seconds and ratios on stdout; reports go to a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
AS_OF = "2026-10-31"


def plain_review(data: Path, as_of: str) -> str:
    """The report's content computed in this process: one HTML page (charts as inline SVG)."""
    import arbook
    from arbook.views.review import sections as report_sections
    from arbook.workbook.review import build_review

    review = build_review(arbook.read_ledger(data), as_of)
    parts = report_sections.all_parts(review, data=str(data))
    body = "".join(part.data for part in parts)
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}</body></html>"


class Seconds(float):
    """Wall-clock seconds of one call, with the CPU seconds it took in this process and its
    children (the kernel, a command's process) and the machine's 1-minute load after it."""

    cpu: float = float("nan")
    load: float = float("nan")


def cpu_now() -> float:
    """CPU seconds so far of this process, its live descendants and its reaped children."""
    import psutil

    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.Error:  # gone meanwhile: counted below once reaped
            continue
    reaped = os.times()
    return total + reaped.children_user + reaped.children_system


def timed(fn, repeat: int) -> tuple[Seconds, Seconds]:
    """(first, best) wall-clock seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), cpu_now()
        fn()
        seconds = Seconds(time.perf_counter() - start)
        seconds.cpu, seconds.load = cpu_now() - cpu, os.getloadavg()[0]
        times.append(seconds)
    return times[0], min(times)


def bench_review(out: Path, repeat: int) -> list[tuple[str, float, str]]:
    from arbook.workbook.report import run_review

    plain_first, plain = timed(lambda: plain_review(SAMPLE, AS_OF), repeat)
    review_first, review = timed(lambda: run_review(SAMPLE, AS_OF, out / "review"), repeat)
    return [
        ("plain Python, first call (cold vl-convert)", plain_first, ""),
        (f"plain Python, best of {repeat}", plain, ""),
        (
            "run_review, first call (imports papermill, nbconvert)",
            review_first,
            f"{review_first / plain_first:.2f}x plain first",
        ),
        (f"run_review, best of {repeat}", review, f"{review / plain:.2f}x plain (target <= 1.5x)"),
    ]


PLAIN_SCRIPT = """
import sys
sys.path.insert(0, {bench!r})
from bench_review import plain_review
from pathlib import Path
plain_review(Path({data!r}), {as_of!r})
"""


def bench_commands(out: Path, repeat: int) -> list[tuple[str, float, str]]:
    """What a user waits for: ``arbook review`` as a command against the same work as a plain
    Python script, both in a fresh process (interpreter start and imports included)."""
    import subprocess

    script = PLAIN_SCRIPT.format(bench=str(Path(__file__).parent), data=str(SAMPLE), as_of=AS_OF)
    arbook = Path(sys.executable).with_name("arbook")

    def run(command):
        subprocess.run(command, check=True, capture_output=True)

    _, plain = timed(lambda: run([sys.executable, "-c", script]), repeat)
    _, review = timed(
        lambda: run(
            [str(arbook), "review", str(SAMPLE), "--as-of", AS_OF, "--out", str(out / "command")]
        ),
        repeat,
    )
    return [
        (f"plain Python script, fresh process, best of {repeat}", plain, ""),
        (
            f"`arbook review` command, best of {repeat}",
            review,
            f"{review / plain:.2f}x the plain script (target <= 1.5x)",
        ),
    ]


def bench_batch(out: Path) -> list[tuple[str, float, str]]:
    from arbook.workbook.report import run_batch

    rows, serial = [], None
    for jobs in (1, 2):
        start, cpu = time.perf_counter(), cpu_now()
        result = run_batch([SAMPLE], "2025-11", "2026-10", out / f"batch{jobs}", jobs=jobs)
        took = Seconds(time.perf_counter() - start)
        took.cpu, took.load = cpu_now() - cpu, os.getloadavg()[0]
        failed = [run for run in result.runs if not run.ok]
        if failed:
            raise SystemExit(
                f"batch with jobs={jobs}: {len(failed)} run(s) failed: {failed[0].error}"
            )
        serial = serial or took
        note = f"{took / 12:.2f} s a review" + (
            "" if jobs == 1 else f"; {took / serial:.2f}x serial (target <= 0.6x)"
        )
        rows.append((f"run_batch 12 months, jobs={jobs}", took, note))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="calls per single-review timing")
    parser.add_argument("--skip-batch", action="store_true", help="only the single review")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="arbook-bench-") as tmp:
        rows = bench_review(Path(tmp), args.repeat) + bench_commands(Path(tmp), args.repeat)
        if not args.skip_batch:
            rows += bench_batch(Path(tmp))
    width = max(len(name) for name, _, _ in rows)
    print(f"{'what':<{width}}  {'seconds':>8}  {'cpu':>6}  {'load':>5}  note")
    for name, seconds, note in rows:
        cpu, load = getattr(seconds, "cpu", float("nan")), getattr(seconds, "load", float("nan"))
        print(f"{name:<{width}}  {seconds:>8.2f}  {cpu:>6.2f}  {load:>5.2f}  {note}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
