"""Writing arbook's own files from a ledger (``arbook import``), and the note they need.

:func:`canonical_frames` gives the ledger as arbook's canonical tables in text (ISO dates,
amounts from the exact cents); :func:`write_canonical` writes them into a folder as CSV, all or
nothing. A ledger read from a file of open items (an aging report) is not a history, which the
CSV files cannot say: :func:`import_note` is the ``import.toml`` written beside them, and
:func:`with_import_note` marks the ledger read back from them as its export was.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from arbook.core import money, parse
from arbook.core.currencies import UNDATED, Rates
from arbook.core.dates import EPOCH, date_text
from arbook.core.errors import DataError, Issue, IssueCode
from arbook.core.files import write_atomic
from arbook.core.folder import IMPORT_NOTE, MAPPING_FILE
from arbook.core.i18n import _
from arbook.core.mapping.model import OPEN_LACKS, _q, iso_date
from arbook.core.rules_file import decode, read_bytes, rules_file

if TYPE_CHECKING:
    from arbook.core.ledger import Ledger


#: the canonical tables ``write_canonical`` writes, in order
CANONICAL = ("invoices", "payments", "customers", "rates")
_INTERNAL = {"amount_cents", "applied_invoice_id", "due_from", "source_file", "source_line"}


def cents_text(cents: object) -> str:
    """Cents as an amount with a point and two decimals (``-1234.50``): exact, no float."""
    return str(money.cents_text([int(cents)])[0])  # type: ignore[call-overload]


def _day_text(series: pd.Series) -> pd.Series:
    """Dates as ISO text, blank where there is none."""
    text: pd.Series = series.dt.strftime("%Y-%m-%d").fillna("").astype(object)
    return text


def _money_column(series: pd.Series) -> pd.Series:
    """An extra money column (``face_amount``, as the file wrote it) as exact '.' amounts where
    it reads; as written where it does not."""
    text = series.fillna("").astype(str)
    decimal = parse.decimal_of(text[text.str.strip() != ""]) or "."
    cents, blank, bad = parse.parse_cents(text.reset_index(drop=True), decimal)
    out = text.reset_index(drop=True).astype(object).copy()
    good = ~blank & ~bad
    out[good] = money.cents_text(cents[good])
    out.index = series.index
    return out


def rates_frame(rates: Rates) -> pd.DataFrame:
    """The exchange rates as a rates file writes them: ``currency, rate, date`` (the rate as
    read, exact; the date from when it holds, blank for one without a date), by currency and
    date."""
    rows = [
        (code, str(rate), "" if day == UNDATED else str(EPOCH + np.timedelta64(int(day), "D")))
        for code in rates.codes()
        for day, rate in zip(*rates.table[code], strict=True)
    ]
    return pd.DataFrame(rows, columns=["currency", "rate", "date"], dtype=object)


#: the rates file beside the data (read with an export in the same folder, SPEC §8)
RATES_FILE = "rates.csv"
#: the header of a rates file, added to rates typed without one
RATES_HEADER = "currency,rate,date"


def typed_rates(text: str) -> str:
    """Rates typed one a line, ``currency, rate, date`` (the date from when the rate holds, may
    be left out; a header line optional), as a rates file's CSV text; "" when none is typed."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if not lines:
        return ""
    if not lines[0].lower().replace(" ", "").startswith("currency,"):
        lines.insert(0, RATES_HEADER)
    return "\n".join(lines) + "\n"


def save_rates(text: str, folder: Path) -> Path | None:
    """Write the rates ``text`` (:func:`typed_rates`) to ``<folder>/rates.csv`` atomically; with
    none typed, remove the folder's rates.csv. Returns the path written (None: none)."""
    target = Path(folder) / RATES_FILE
    body = typed_rates(text)
    if not body:
        target.unlink(missing_ok=True)
        return None
    return write_atomic(target, body)


def canonical_frames(ledger: Ledger) -> dict[str, pd.DataFrame]:
    """The ledger as arbook's own tables, text ready to write: ISO dates, amounts with '.' and
    two decimals from the exact cents, only tables with rows. A due date the file did not give
    (filled from terms) is left blank, so reading the files again fills it the same way."""
    out: dict[str, pd.DataFrame] = {}
    inv = ledger.invoices
    if len(inv):
        amount = inv.get("original_amount_cents", inv["amount_cents"])
        amount = amount.where(amount.notna(), inv["amount_cents"])
        frame = pd.DataFrame(
            {
                "invoice_id": inv["invoice_id"].astype(object),
                "customer_id": inv["customer_id"].astype(object),
                "invoice_date": _day_text(inv["invoice_date"]),
                "due_date": _day_text(inv["due_date"]).where(
                    (inv["due_from"].astype(str) == "file").to_numpy(), ""
                ),
                "amount": money.cents_text(amount.to_numpy(dtype=np.int64)),
                "applies_to": inv["applies_to"].fillna("").astype(object),
                "currency": inv["currency"].fillna("").astype(object),
                "disputed": np.where(inv["disputed"].to_numpy(dtype=bool), "yes", "no"),
            }
        )
        for name in inv.columns:
            if name in frame.columns or name in _INTERNAL or name == "original_amount_cents":
                continue
            column = inv[name]
            frame[name] = (
                _money_column(column)
                if name == "face_amount"
                else column.astype(object).where(column.notna(), "")
            )
        out["invoices"] = frame
    pay = ledger.payments
    if len(pay):
        # in several currencies, a payment's own amount and currency (amount_cents is what it
        # took off its invoice in book currency, SPEC §8)
        paid = pay["paid_cents"] if "paid_cents" in pay else pay["amount_cents"]
        frame = pd.DataFrame(
            {
                "payment_id": pay["payment_id"].astype(object),
                "customer_id": pay["customer_id"].astype(object),
                "payment_date": _day_text(pay["payment_date"]),
                "amount": money.cents_text(paid.to_numpy(dtype=np.int64)),
                "invoice_id": pay["invoice_id"].fillna("").astype(object),
            }
        )
        if "paid_cents" in pay:
            frame["currency"] = pay["currency"].fillna("").astype(object)
        out["payments"] = frame
    listed = ledger.customers[ledger.customers["listed"].to_numpy(dtype=bool)]
    if len(listed):
        frame = pd.DataFrame({"customer_id": listed["customer_id"].astype(object)})
        for name in listed.columns:
            if name in ("customer_id", "listed") or name in _INTERNAL:
                continue
            column = listed[name]
            if not column.notna().any():
                continue
            if name == "credit_limit_cents":
                frame["credit_limit"] = [
                    "" if pd.isna(c) else cents_text(c) for c in column.astype(object)
                ]
            elif name == "terms_days":
                frame[name] = ["" if pd.isna(t) else str(int(t)) for t in column.astype(object)]
            else:
                frame[name] = column.astype(object).where(column.notna(), "")
        out["customers"] = frame.reset_index(drop=True)
    if ledger.rates:  # what the amounts in other currencies were converted with
        out["rates"] = rates_frame(ledger.rates)
    return out


def import_note(ledger: Ledger) -> str | None:
    """What the canonical files cannot say about an import of open items (an aging report):
    that they hold the items open on one date, not a history; None for a history."""
    if not ledger.open_items_only:
        return None
    said = _(
        "arbook import: what the invoices/payments files beside this one cannot say.\n"
        "They were written from a file of the items open on one date (an aging report), not\n"
        "from a history: DSO, CEI, payment behaviour and earlier as-of dates are not in them."
    )
    lines = [
        *(f"# {line}" for line in said.split("\n")),
        f"source = {_q(ledger.source)}",
        f"read_as = {_q(ledger.read_as)}",
        "open_items_only = true",
        f"lacks = {_q(ledger.lacks or _(OPEN_LACKS))}",
    ]
    if ledger.report_date is not None:
        lines.append(f"report_date = {_q(f'{ledger.report_date:%Y-%m-%d}')}")
    return "\n".join(lines) + "\n"


def with_import_note(ledger: Ledger, note: Path) -> Ledger:
    """``ledger`` (read from canonical files) marked as :data:`IMPORT_NOTE` ``note`` says: the
    items open on one date, not a history (``open_items_only``, ``report_date``, ``lacks`` and
    the ``open_items_only`` warning), as the export it was imported from was. A note that does
    not say so leaves the ledger as it is; a note that cannot be read is a PolicyError."""
    from dataclasses import replace

    from arbook.core.errors import issues_frame

    raw = read_bytes(Path(note), "import note", _("Delete it, or run `arbook import` again."))
    parsed = rules_file(decode(raw, str(note)), str(note))
    data = parsed.data
    if data.get("open_items_only") is not True:
        return ledger
    report = iso_date(data.get("report_date"))
    lacks = str(data.get("lacks") or _(OPEN_LACKS))
    source = data.get("source")
    said = (
        _(
            "the files were imported from {source}, which holds the items open on {date}, not "
            "{lacks}: DSO, CEI, roll rates, turnover, payment behaviour, scores, the carrying "
            "cost before {date} and every earlier as-of date are n/a"
        )
        if source
        else _(
            "the files were imported from an export, which holds the items open on {date}, "
            "not {lacks}: DSO, CEI, roll rates, turnover, payment behaviour, scores, the "
            "carrying cost before {date} and every earlier as-of date are n/a"
        )
    )
    issue = Issue(
        IssueCode.OPEN_ITEMS_ONLY,
        str(note),
        None,
        None,
        "import",
        said.format(
            source=source,
            date=date_text(report) if report else _("its date"),
            lacks=lacks,
        ),
        _("For those figures, import the invoices and payments with their dates instead."),
    )
    issues = pd.concat([issues_frame([issue]), ledger.issues], ignore_index=True)
    return replace(
        ledger,
        issues=issues,
        open_items_only=True,
        report_date=pd.Timestamp(report) if report else None,
        lacks=lacks,
    )


def write_canonical(
    ledger: Ledger, folder: Path, *, force: bool = False
) -> tuple[list[Path], list[Path]]:
    """Write the ledger's tables into ``folder`` as arbook's own CSV files (and, for open items,
    :data:`IMPORT_NOTE`): every file to a temporary name first, then all renamed, so a failure
    leaves no half-written file. Returns ``(written, removed)``. Refuses (DataError) to replace
    files already there unless ``force``; with ``force``, an older table this import does not
    write (a payments file when the new data has none) is removed, never left to mix in."""
    from arbook.core.folder import SUFFIXES, table_of

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise DataError(
            _("{folder}: is a file; --out names the folder to write into").format(folder=folder)
        )
    frames = canonical_frames(ledger)
    if not frames:
        raise DataError(
            _(
                "{source}: nothing to write: no invoice, payment or customer was read (see the "
                "problems above)"
            ).format(source=ledger.source)
        )
    texts = {
        f"{name}.csv": frame.to_csv(index=False, lineterminator="\n")
        for name, frame in frames.items()
    }
    note = import_note(ledger)
    if note is not None:
        texts[IMPORT_NOTE] = note
    if (folder / MAPPING_FILE).exists():
        raise DataError(
            _(
                "{folder}: holds a {file}, which arbook would read instead of the files written; "
                "give another --out folder"
            ).format(folder=folder, file=MAPPING_FILE)
        )
    old = (
        [
            p
            for p in sorted(folder.iterdir())
            if p.is_file()
            and (
                (p.suffix.lower() in SUFFIXES and table_of(p.name)[0] in CANONICAL)
                or p.name == IMPORT_NOTE
            )
        ]
        if folder.is_dir()
        else []
    )
    if old and not force:
        names = ", ".join(p.name for p in old)
        raise DataError(
            _(
                "{folder}: already holds {files}; nothing was written. Give an empty --out "
                "folder, or add --force to replace them"
            ).format(folder=folder, files=names)
        )
    folder.mkdir(parents=True, exist_ok=True)
    temps: dict[Path, Path] = {}
    try:
        for name, text in texts.items():
            target = folder / name
            tmp = folder / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
            with open(tmp, "x", encoding="utf-8", newline="") as handle:
                handle.write(text)
            temps[target] = tmp
        for target, tmp in temps.items():
            os.replace(tmp, target)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    removed = [p for p in old if p not in temps]
    for path in removed:
        path.unlink()
    return list(temps), removed
