"""What would make the numbers a mapping reads wrong, in words: :func:`problems`.

Before a mapping is saved the screen and ``arbook mapping`` show what it would get wrong: no
column mapped to ``amount``; a face value mapped where the file has an open balance (or what was
paid beside it); a required field unmapped; a mapped column the header does not have; dates or
amounts that do not read as set; rows a status column calls drafts or voided; numbers that
repeat; a withholding column. Each is a sentence naming the column and the fix; none raises.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from arbook.core import grid as grids
from arbook.core import parse
from arbook.core.dates import format_count
from arbook.core.errors import DataError
from arbook.core.i18n import _, ngettext
from arbook.core.mapping.model import Mapping, _q
from arbook.core.mapping.rows import (
    _column,
    _header_cells,
    _item_rows,
    _mapped_header,
    _rows_of,
    _stripped,
    read_grid,
)
from arbook.core.mapping.vocabulary import (
    _holds,
    document_kind,
    header_key,
    is_open_balance,
    is_paid,
    vocabulary,
)
from arbook.core.rules_file import shown
from arbook.core.schemas import normalise_name


def problems(mapping: Mapping, path: Path) -> list[str]:
    """What in ``mapping`` would make the numbers of the file at ``path`` wrong or incomplete,
    in words (empty when nothing): nothing mapped to amount; a face value mapped to amount where
    the file has an open balance (or what was paid beside it); a required field unmapped; a
    mapped column the header does not have; dates or amounts that do not read as set."""
    out: list[str] = []
    columns = mapping.columns
    if "amount" not in columns:
        out.append(
            _(
                "nothing is mapped to amount (what is owed on each document): map the column of "
                "open balances, or of the documents' amounts"
            )
        )
    if "customer_id" not in columns and "customer_name" not in columns:
        out.append(_("nothing is mapped to customer_id or customer_name: whose is each document?"))
    if "invoice_date" not in columns:
        out.append(_("nothing is mapped to invoice_date: each document needs its date"))
    if "invoice_id" not in columns:
        out.append(
            _(
                "nothing is mapped to invoice_id: each row's number will be made from its line, "
                "so payments and credit notes cannot name the invoices"
            )
        )
    try:
        grid = read_grid(path, encoding=mapping.encoding, sheet=mapping.sheet)
    except DataError as exc:
        return out + [str(exc)]
    header = _mapped_header(mapping, grid)
    names = _header_cells(grid, header if header is not None else mapping.header_line)
    keys = {normalise_name(n): n for n in names if n.strip()}
    workbook = grid.kind == "workbook"
    if header is None:
        absent = ", ".join(repr(h) for h in columns.values() if normalise_name(h) not in keys)
        out.append(
            (
                _(
                    "the header on row {line} has no column {columns}: check header_line and "
                    "the column names"
                )
                if workbook
                else _(
                    "the header on line {line} has no column {columns}: check header_line and "
                    "the column names"
                )
            ).format(line=mapping.header_line, columns=absent)
        )
        return out
    if header != mapping.header_line:
        out.append(
            (
                _("the header is on row {line}, not {saved}: it is used")
                if workbook
                else _("the header is on line {line}, not {saved}: it is used")
            ).format(line=header, saved=mapping.header_line)
        )
    amount = columns.get("amount")
    if amount is not None:
        opens = [n for n in keys.values() if is_open_balance(n) and n != amount]
        if opens and not is_open_balance(amount):
            out.append(
                _(
                    "amount is mapped to {face}, a face value, but the file has an open balance, "
                    "{open}: paid parts would count as owed. Map {open} to amount (and {face} to "
                    "face_amount)"
                ).format(face=repr(amount), open=repr(opens[0]))
            )
        paid = [n for n in keys.values() if is_paid(n)]
        if paid and not is_open_balance(amount) and not opens:
            out.append(
                _(
                    "amount is mapped to {column} and the file has {paid}, what was paid: the "
                    "paid invoices and parts would count as still owed"
                ).format(column=repr(amount), paid=repr(paid[0]))
            )
        if is_open_balance(amount) and not mapping.open_items_only:
            out.append(
                _(
                    "amount is {column}, an open balance, but open_items_only is off: DSO, CEI "
                    "and payment behaviour would be computed from a partial history; turn it on"
                ).format(column=repr(amount))
            )
    if mapping.open_items_only and not mapping.report_date:
        out.append(_("open_items_only is on but report_date is not set: the date of the balances"))
    if columns.get("amount") is not None and columns.get("amount") == columns.get("face_amount"):
        out.append(_("amount and face_amount are the same column"))
    twice = [h for h in set(columns.values()) if list(columns.values()).count(h) > 1]
    for h in twice:
        if h != columns.get("amount"):
            fields = [f for f, c in columns.items() if c == h]
            out.append(
                _("{column} is mapped to {fields}: one column, several fields").format(
                    column=repr(h), fields=", ".join(fields)
                )
            )
    out += _cell_problems(mapping, grid, header)
    return out


def _cell_problems(mapping: Mapping, grid: grids.Grid, header: int) -> list[str]:
    """Dates and amounts of the item rows that do not read as the mapping says."""
    out: list[str] = []
    frame = _rows_of(mapping, grid, header)[0]
    rows = _item_rows(mapping, frame)[0]
    items = frame[rows]
    for name in ("invoice_date", "due_date"):
        column = _column(mapping, items, name)
        if column is None:
            continue
        read = parse.parse_dates(column.reset_index(drop=True), mapping.date_order)
        bad = read.bad & ~read.blank
        if bad.any():
            first = column.iloc[int(np.argmax(bad))]
            count = int(bad.sum())
            said = (
                ngettext(
                    "{count} {field} cell(s) of {column} read two ways (day/month) (first: "
                    "{first}); check date_order",
                    "{count} {field} cell(s) of {column} read two ways (day/month) (first: "
                    "{first}); check date_order",
                    count,
                )
                if read.ambiguous.any()
                else ngettext(
                    "{count} {field} cell(s) of {column} do not read as dates (first: {first}); "
                    "check date_order",
                    "{count} {field} cell(s) of {column} do not read as dates (first: {first}); "
                    "check date_order",
                    count,
                )
            )
            out.append(
                said.format(
                    count=format_count(count),
                    field=name,
                    column=repr(mapping.columns[name]),
                    first=shown(first),
                )
            )
    for name in ("amount", "face_amount"):
        column = _column(mapping, items, name)
        if column is None:
            continue
        column = column.reset_index(drop=True)
        bad = parse.parse_cents(column, mapping.decimal)[2]
        if bad.any():
            other = parse.misread_decimal(column, bad, mapping.decimal)
            first = column.iloc[int(np.argmax(bad))]
            count = int(bad.sum())
            said = (
                ngettext(
                    "{count} {field} cell(s) of {column} do not read as money (first: {first}); "
                    "they read with decimal = {mark}",
                    "{count} {field} cell(s) of {column} do not read as money (first: {first}); "
                    "they read with decimal = {mark}",
                    count,
                )
                if other.any()
                else ngettext(
                    "{count} {field} cell(s) of {column} do not read as money (first: {first})",
                    "{count} {field} cell(s) of {column} do not read as money (first: {first})",
                    count,
                )
            )
            out.append(
                said.format(
                    count=format_count(count),
                    field=name,
                    column=repr(mapping.columns[name]),
                    first=shown(first),
                    mark=_q("," if mapping.decimal == "." else "."),
                )
            )
    written = {normalise_name(c): c for c in _header_cells(grid, header) if c.strip()}
    out += _status_problems(items, written)
    out += _repeat_problems(mapping, items)
    out += _withheld_problems(mapping, items, written)
    types = _column(mapping, items, "document_type")
    if types is not None:
        unknown = sorted({v for v in types.dropna().astype(str) if document_kind(v) == "unknown"})
        if unknown:
            out.append(
                _(
                    "document types arbook does not know, read as invoices (negative: credits): "
                    "{types}"
                ).format(types=", ".join(repr(u) for u in unknown[:8]))
            )
    return out


def _repeat_problems(mapping: Mapping, items: pd.DataFrame) -> list[str]:
    """Document numbers that repeat: every row after the first is left out as a duplicate. A
    file of one row per line item, or numbered per series, needs its own reading."""
    ids = _column(mapping, items, "invoice_id")
    if ids is None:
        return []
    text = _stripped(ids)
    text = text[text != ""]
    repeated = text[text.duplicated(keep=False)]
    if repeated.empty:
        return []
    lines = items.loc[repeated.index, "source_line"]
    first = repeated.iloc[0]
    where = ", ".join(str(n) for n in lines[repeated == first].head(3))
    count = int(repeated.nunique())
    said = ngettext(
        "{count} number(s) of {column} repeat (first: {first}, lines {lines}): each row after "
        "the first is left out as a duplicate. A file of one row per line item, or numbered per "
        "series, needs its preset or a column with the whole number",
        "{count} number(s) of {column} repeat (first: {first}, lines {lines}): each row after "
        "the first is left out as a duplicate. A file of one row per line item, or numbered per "
        "series, needs its preset or a column with the whole number",
        count,
    )
    return [
        said.format(
            count=format_count(count),
            column=repr(mapping.columns["invoice_id"]),
            first=shown(first),
            lines=where,
        )
    ]


def _withheld_problems(mapping: Mapping, items: pd.DataFrame, written: dict[str, str]) -> list[str]:
    """A withholding column (IRPF, retención) with amounts beside the mapped amount: the
    customer keeps it back, so the amount overstates what it owes."""
    if "amount" not in mapping.columns:
        return []
    words = vocabulary().withheld
    out: list[str] = []
    for name in items.columns:
        key = header_key(name)
        if name in ("source_file", "source_line") or not _holds(key, words):
            continue
        if _holds(key, ("tipo", "rate", "tasa", "ставка", "percent", "porcentaje")):
            continue  # the rate, not the amount withheld
        cents, blank, bad = parse.parse_cents(
            items[name].reset_index(drop=True).astype(object), mapping.decimal
        )
        if (~blank & ~bad & (cents != 0)).any():
            out.append(
                _(
                    "{column} is withheld by the customer (it pays the total less it): {amount} "
                    "overstates what is owed where it is not 0"
                ).format(
                    column=repr(written.get(name, name)), amount=repr(mapping.columns["amount"])
                )
            )
    return out


def _status_problems(items: pd.DataFrame, written: dict[str, str]) -> list[str]:
    """A status column saying some rows are drafts or voided: the mapping reads them as
    documents all the same."""
    out: list[str] = []
    words = vocabulary()
    for name in items.columns:
        if header_key(name) not in words.status_columns:
            continue
        values = items[name].dropna().astype(str)
        odd = sorted({v for v in values if header_key(v) in words.not_documents})
        if odd:
            out.append(
                _(
                    "{column} says some rows are {values}: the mapping reads them as documents "
                    "all the same; delete those rows first"
                ).format(
                    column=repr(written.get(name, name)), values=", ".join(repr(v) for v in odd)
                )
            )
    return out
