"""Reading an export through its preset, against reading arbook's own files of the same data.

The target (issue 12): a 1M-row export of one layout read by ``read_ledger(file)`` (its layout
recognised, as a user runs it) takes at most twice as long as ``read_ledger(folder)`` on the
canonical invoices file holding the same items. Both are read in the same process, best of
``--repeat``; before any timing the two ledgers are checked to give the same net receivable, the
same buckets and the same number of open items as of the report date.

    .venv/bin/python benchmarks/bench_import.py [--rows 1000000] [--layouts erpnext-ar,qbo-aging]

Files are made once into benchmarks/data/import_<layout>_<rows>/ (git-ignored): ``export.csv``
in the layout and ``canonical/invoices.csv`` with the same documents (id, customer, dates and
the amount owed). The layouts' columns follow the examples in ../shared/import-examples/.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
AS_OF = pd.Timestamp("2026-06-30")


def items(rows: int, seed: int = 0) -> pd.DataFrame:
    """``rows`` open invoices as of :data:`AS_OF`: ids, customers (rows/50), dates over a year,
    due 30 days later, face amounts and open balances (a fifth part-paid) in cents."""
    rng = np.random.default_rng(seed)
    customers = max(20, rows // 50)
    day = AS_OF - pd.to_timedelta(rng.integers(0, 365, rows), unit="D")
    face = rng.integers(1_000, 2_000_000, rows)
    part = rng.random(rows) < 0.2
    open_ = np.where(part, face - rng.integers(1, 999, rows) * (face // 1000), face)
    return pd.DataFrame(
        {
            "number": np.arange(1, rows + 1),
            "customer": [f"Customer {c:06d}" for c in rng.integers(0, customers, rows)],
            "date": day,
            "due": day + pd.Timedelta(days=30),
            "face": face,
            "open": open_,
        }
    )


def money(cents: np.ndarray, sep: str = "", point: str = ".") -> list[str]:
    units, frac = np.divmod(cents, 100)
    if sep:
        return [f"{u:,}".replace(",", sep) + f"{point}{f:02d}" for u, f in zip(units, frac)]
    return [f"{u}{point}{f:02d}" for u, f in zip(units, frac)]


def erpnext(frame: pd.DataFrame, path: Path) -> None:
    """ERPNext's Accounts Receivable report (its get_columns()), dd-mm-yyyy, a Total row."""
    n = len(frame)
    age = (AS_OF - frame["due"]).dt.days.to_numpy()
    out = pd.DataFrame(
        {
            "Posting Date": frame["date"].dt.strftime("%d-%m-%Y"),
            "Party Type": "Customer",
            "Party": frame["customer"],
            "Receivable Account": "Debtors - MSS",
            "Customer Contact": "",
            "Cost Center": "Main - MSS",
            "Voucher Type": "Sales Invoice",
            "Voucher No": [f"ACC-SINV-2026-{i:07d}" for i in frame["number"]],
            "Due Date": frame["due"].dt.strftime("%d-%m-%Y"),
            "Invoiced Amount": money(frame["face"].to_numpy()),
            "Paid Amount": money((frame["face"] - frame["open"]).to_numpy()),
            "Credit Note": "0.00",
            "Outstanding Amount": money(frame["open"].to_numpy()),
            "Age (Days)": age,
        }
    )
    for label, low, high in (
        ("0-30", -(10**6), 30),
        ("31-60", 31, 60),
        ("61-90", 61, 90),
        ("91-120", 91, 120),
        ("121-Above", 121, 10**6),
    ):
        inside = (age >= low) & (age <= high)
        out[label] = np.where(inside, out["Outstanding Amount"], "0.00")
    out["Currency"] = "KES"
    out["Customer LPO"] = ""
    out["Territory"] = "Nairobi"
    out["Customer Group"] = "Commercial"
    total = dict.fromkeys(out.columns, "")
    total["Posting Date"] = "Total"
    total["Outstanding Amount"] = money(np.array([int(frame["open"].sum())]))[0]
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out.to_csv(path, index=False)
    assert len(out) == n + 1


def qbo(frame: pd.DataFrame, path: Path) -> None:
    """QuickBooks Online's A/R Aging Detail: title rows, sections, Total rows, a footer."""
    days = (AS_OF - frame["due"]).dt.days.to_numpy()
    sections = (
        ("Current", days <= 0),
        ("1 - 30 days past due", (days >= 1) & (days <= 30)),
        ("31 - 60 days past due", (days >= 31) & (days <= 60)),
        ("61 - 90 days past due", (days >= 61) & (days <= 90)),
        ("91 or more days past due", days >= 91),
    )
    amount = money(frame["face"].to_numpy(), ",")
    balance = money(frame["open"].to_numpy(), ",")
    date = frame["date"].dt.strftime("%m/%d/%Y").to_numpy()
    due = frame["due"].dt.strftime("%m/%d/%Y").to_numpy()
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, quoting=csv.QUOTE_ALL)
        for title in ("A/R Aging Detail", "Benchmark Landscaping LLC", "As of June 30, 2026"):
            out.writerow([title])
        out.writerow([])
        out.writerow(
            [
                "",
                "Date",
                "Transaction type",
                "Num",
                "Customer full name",
                "Location full name",
                "Due date",
                "Amount",
                "Open balance",
            ]
        )
        for title, inside in sections:
            out.writerow([title] + [""] * 8)
            rows = np.flatnonzero(inside)
            for i in rows:
                out.writerow(
                    [
                        "",
                        date[i],
                        "Invoice",
                        str(frame["number"].iat[i]),
                        frame["customer"].iat[i],
                        "",
                        due[i],
                        amount[i],
                        balance[i],
                    ]
                )
            total = money(np.array([int(frame["open"].to_numpy()[rows].sum())]), ",")[0]
            out.writerow([f"Total for {title}"] + [""] * 7 + [total])
        out.writerow(["TOTAL"] + [""] * 7 + [money(np.array([int(frame["open"].sum())]), ",")[0]])
        out.writerow([])
        out.writerow(["Wednesday, July 1, 2026 07:42 AM GMT-07:00"])


def aeat(frame: pd.DataFrame, path: Path) -> None:
    """The AEAT libro registro de facturas expedidas: ';', decimal comma, Serie + Número; the
    amount owed is Base + Cuota − Retención (here: no withholding, 21 % VAT inside ``open``)."""
    total = frame["open"].to_numpy()
    base = total * 100 // 121
    cuota = total - base
    out = pd.DataFrame(
        {
            "Fecha Expedición": frame["date"].dt.strftime("%d/%m/%Y"),
            "Fecha Operación": frame["date"].dt.strftime("%d/%m/%Y"),
            "Serie": "A-2026",
            "Número": frame["number"],
            "NIF Destinatario": "B95128732",
            "Nombre Destinatario": frame["customer"],
            "Clave de Operación": "01",
            "Calificación de la Operación": "S1",
            "Operación Exenta": "",
            "Tipo IVA": "21",
            "Base Imponible": money(base, point=","),
            "Cuota IVA": money(cuota, point=","),
            "Total Factura": money(total, point=","),
            "Ingreso Computable": money(base, point=","),
            "Tipo Retención": "",
            "Importe Retención": "0,00",
            "Rectificativa de": "",
        }
    )
    out.to_csv(path, index=False, sep=";", lineterminator="\r\n")


def canonical(frame: pd.DataFrame, path: Path, ids: Callable[[pd.Series], list[str]]) -> None:
    """arbook's invoices file with the same documents: the amount owed as the amount."""
    pd.DataFrame(
        {
            "invoice_id": ids(frame["number"]),
            "customer_id": frame["customer"],
            "invoice_date": frame["date"].dt.strftime("%Y-%m-%d"),
            "due_date": frame["due"].dt.strftime("%Y-%m-%d"),
            "amount": money(frame["open"].to_numpy()),
        }
    ).to_csv(path, index=False)


LAYOUTS: dict[
    str, tuple[Callable[[pd.DataFrame, Path], None], Callable[[pd.Series], list[str]]]
] = {
    "erpnext-ar": (erpnext, lambda n: [f"ACC-SINV-2026-{i:07d}" for i in n]),
    "qbo-aging": (qbo, lambda n: [str(i) for i in n]),
    "aeat-expedidas": (aeat, lambda n: [f"A-2026-{i}" for i in n]),
}


def files_of(layout: str, rows: int) -> tuple[Path, Path]:
    folder = DATA / f"import_{layout}_{rows}"
    export, plain = folder / "export.csv", folder / "canonical"
    if not (folder / ".complete").exists():
        print(f"  making {rows:,} rows of {layout} ...", end=" ", flush=True)
        start = time.perf_counter()
        plain.mkdir(parents=True, exist_ok=True)
        frame = items(rows)
        write, ids = LAYOUTS[layout]
        write(frame, export)
        canonical(frame, plain / "invoices.csv", ids)
        (folder / ".complete").write_text("")
        print(f"{time.perf_counter() - start:.0f} s")
    return export, plain


def best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    import arbook

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    args = parser.parse_args()
    results = []
    for layout in args.layouts.split(","):
        export, plain = files_of(layout, args.rows)
        mine = arbook.read_ledger(export)
        theirs = arbook.read_ledger(plain)
        assert mine.preset == layout, (mine.preset, layout)
        assert mine.errors.empty and theirs.errors.empty, (mine.errors.head(), theirs.errors.head())
        a = arbook.aging_summary(mine, AS_OF)
        b = arbook.aging_summary(theirs, AS_OF)
        money_columns = [c for c in b.columns if c.endswith("_cents")]
        assert a[money_columns].sum().equals(b[money_columns].sum()), "the totals differ"
        t_export, _ = best(lambda: arbook.read_ledger(export), args.repeat)
        t_plain, _ = best(lambda: arbook.read_ledger(plain), args.repeat)
        ratio = t_export / t_plain
        results.append(
            {
                "layout": layout,
                "rows": args.rows,
                "export_mib": export.stat().st_size / 2**20,
                "export_seconds": t_export,
                "canonical_seconds": t_plain,
                "ratio": ratio,
            }
        )
        verdict = "ok" if ratio <= 2 else "MISSED"
        print(
            f"{layout:16} {args.rows:>10,} rows  export {t_export:6.2f} s  canonical "
            f"{t_plain:6.2f} s  {ratio:4.2f}x  {verdict}  load {os.getloadavg()[0]:.2f}"
        )
    out = HERE / "results" / f"bench_import_{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"figures: {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
