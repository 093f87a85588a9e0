"""What speaking Spanish or Russian costs: ``read_ledger`` and a review's figures in ``es`` and
``ru`` against the same calls in English, in the same process on the same data.

Two ledgers of ``arbook.workbook.sample.make_sample`` (``--invoices``, default 200,000): a clean
one, and the same invoices with every tenth amount and due date spoiled, so that every message
of validation is made (and translated) about 40,000 times. Each timing is the best of
``--repeat`` rounds, the languages taking turns; the ratio is the language's time over English's.

    .venv/bin/python benchmarks/bench_languages.py [--invoices 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import arbook
from arbook.core.i18n import using
from arbook.workbook.review import build_review
from arbook.workbook.sample import make_sample

AS_OF = "2026-10-31"
LANGS = ("en", "es", "ru")


def spoil(folder: Path) -> Path:
    """A copy of ``folder`` whose invoices have every tenth amount and due date unreadable."""
    bad = folder.with_name(folder.name + "_bad")
    bad.mkdir()
    for path in folder.iterdir():
        if path.name != "invoices.csv":
            (bad / path.name).write_bytes(path.read_bytes())
    with (folder / "invoices.csv").open(newline="", encoding="utf-8") as src:
        rows = list(csv.DictReader(src))
    for n, row in enumerate(rows):
        if n % 10 == 0:
            row["amount"], row["due_date"] = "12,3x", "2026-02-30"
    with (bad / "invoices.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return bad


def best_by_language(repeat: int, call) -> dict[str, float]:
    """The best time of ``call`` in each language; the languages take turns within each round
    (a warm-up round first, untimed), so neither the machine's drift nor the first call's
    warming falls on one of them."""
    times: dict[str, list[float]] = {lang: [] for lang in LANGS}
    for round_ in range(repeat + 1):
        for lang in LANGS:
            with using(lang):
                start = time.perf_counter()
                call()
                if round_:
                    times[lang].append(time.perf_counter() - start)
    return {lang: min(found) for lang, found in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "clean"
        make_sample(clean, seed=0, customers=max(args.invoices // 50, 150), invoices=args.invoices)
        spoiled = spoil(clean)
        ledger = arbook.read_ledger(clean)
        rows = []
        steps = {
            "read_ledger, clean": lambda: arbook.read_ledger(clean),
            "read_ledger, 10% bad rows": lambda: arbook.read_ledger(spoiled),
            "review: tiles, buckets, trend": lambda: _review(ledger),
        }
        for step, call in steps.items():
            times = best_by_language(args.repeat, call)
            rows.append({"step": step, **times})
            print(
                f"{step:32s} en {times['en']:6.2f} s   es {times['es']:6.2f} s "
                f"({times['es'] / times['en']:.2f}x)   ru {times['ru']:6.2f} s "
                f"({times['ru'] / times['en']:.2f}x)   load {os.getloadavg()[0]:.2f}"
            )
        issues = arbook.read_ledger(spoiled).issues
        print(f"messages per spoiled read: {len(issues):,}")
    json.dump(rows, sys.stderr)
    print(file=sys.stderr)
    return 0


def _review(ledger) -> None:
    review = build_review(ledger, AS_OF)
    for part in ("kpis", "buckets", "trend"):
        getattr(review, part)


if __name__ == "__main__":
    sys.exit(main())
