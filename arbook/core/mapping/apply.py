"""Reading a file through a mapping: the raw canonical tables, the preset, the preview.

:func:`apply` turns the item rows of a grid into raw ``invoices``/``payments``/``customers``
frames under arbook's column names, every row keeping its file and line: a type column says
whether a row is an invoice, a credit note (made negative) or a payment (cash received,
unapplied unless it names the invoice it settles); a document without a number gets one made
from its line, a due date missing is made from the terms. :func:`as_preset` wraps it as a
:class:`~arbook.core.presets.Preset`, which :func:`load` gives for a saved ``mapping.toml`` and
``read_ledger(folder)`` then uses; :func:`preview` is the ledger a mapping reads, to see its
totals and problems before saving.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from arbook.core import grid as grids
from arbook.core import money, parse
from arbook.core.config import PolicyLike
from arbook.core.dates import format_count
from arbook.core.errors import DataError, Issue, IssueCode
from arbook.core.i18n import N_, _, ngettext
from arbook.core.mapping.canonical import _day_text
from arbook.core.mapping.model import OPEN_LACKS, Mapping, _q, read
from arbook.core.mapping.rows import (
    _column,
    _item_rows,
    _mapped_header,
    _rows_of,
    _stripped,
    read_grid,
)
from arbook.core.mapping.vocabulary import document_kind, terms_days
from arbook.core.presets import Imported, Preset
from arbook.core.rules_file import shown
from arbook.core.schemas import normalise_name

if TYPE_CHECKING:
    from arbook.core.ledger import Ledger


def as_preset(mapping: Mapping) -> Preset:
    """A Preset named "mapping" whose ``read(grid)`` applies ``mapping`` (it never recognises a
    file by itself: it is chosen by the mapping.toml beside the data)."""

    def read(grid: grids.Grid) -> Imported:
        return apply(mapping, grid)

    return Preset(
        name="mapping",
        title=N_("file mapped by mapping.toml"),
        read=read,
        required=tuple(normalise_name(h) for h in mapping.columns.values()),
        date_order=mapping.date_order,
        open_items_only=mapping.open_items_only,
        recognise=lambda grid: False,
        description=N_("your own layout, mapped column by column in mapping.toml"),
    )


def _money_text(cents: np.ndarray, decimal: str) -> np.ndarray:
    """Cents as amount text in the file's decimal mark, no thousands separators."""
    return money.cents_text(cents, decimal)


def apply(mapping: Mapping, grid: grids.Grid) -> Imported:
    """The raw canonical tables ``mapping`` reads from ``grid`` (see the module's docstring)."""
    base = dict(
        date_order=mapping.date_order,
        decimal=mapping.decimal,
        open_items_only=mapping.open_items_only,
        lacks=_(OPEN_LACKS) if mapping.open_items_only else "",
        report_date=pd.Timestamp(mapping.report_date) if mapping.report_date else None,
    )
    issues: list[Issue] = []
    if (mapping.encoding and grid.kind == "text" and grid.encoding != mapping.encoding) or (
        mapping.sheet and grid.kind == "workbook" and grid.sheet != mapping.sheet
    ):
        try:
            grid = read_grid(grid.path, encoding=mapping.encoding, sheet=mapping.sheet)
        except DataError as exc:
            issue = Issue(
                IssueCode.UNREADABLE_FILE,
                grid.label,
                None,
                None,
                None,
                str(exc),
                _("Fix the sheet or encoding line of mapping.toml."),
            )
            return Imported({}, [issue], **base)  # type: ignore[arg-type]
    header = _mapped_header(mapping, grid)
    if header is None:
        absent = ", ".join(repr(h) for h in mapping.columns.values())
        issue = Issue(
            IssueCode.MISSING_COLUMN,
            grid.label,
            mapping.header_line,
            None,
            None,
            _("no header row with the mapped columns {columns}; the file is left out").format(
                columns=absent
            ),
            _(
                "Check header_line and the [columns] of mapping.toml against the file "
                "(`arbook mapping FILE` suggests a new one)."
            ),
        )
        return Imported({}, [issue], **base)  # type: ignore[arg-type]
    frame, found = _rows_of(mapping, grid, header)
    issues += found
    missing = [f for f in mapping.columns if _column(mapping, frame, f) is None]
    for name in missing:
        issues.append(
            Issue(
                IssueCode.MISSING_COLUMN,
                grid.label,
                header,
                normalise_name(mapping.columns[name]),
                None,
                _("no column {column}, which mapping.toml maps to {field}").format(
                    column=repr(mapping.columns[name]), field=name
                ),
                _("Rename the column in mapping.toml's [columns] to the file's header."),
            )
        )
    needed = {"amount", "invoice_date"} | (
        {"customer_id"} if "customer_name" not in mapping.columns else set()
    )
    if needed - (set(mapping.columns) - set(missing)):
        lacking = sorted(needed - (set(mapping.columns) - set(missing)))
        issues.append(
            Issue(
                IssueCode.MISSING_COLUMN,
                grid.label,
                None,
                None,
                None,
                _("mapping.toml maps no column to {fields}; the file is left out").format(
                    fields=", ".join(lacking)
                ),
                _("Map those fields in mapping.toml's [columns] (`arbook mapping FILE`)."),
            )
        )
        return Imported({}, issues, header_line=header, **base)  # type: ignore[arg-type]
    tables, more = _tables(mapping, frame, grid.label)
    return Imported(tables, issues + more, header_line=header, **base)  # type: ignore[arg-type]


def _tables(
    mapping: Mapping, frame: pd.DataFrame, label: str
) -> tuple[dict[str, pd.DataFrame], list[Issue]]:
    """Invoices, payments and customers from the item rows of ``frame``."""
    issues: list[Issue] = []
    items, unread = _item_rows(mapping, frame)
    for i in np.flatnonzero(unread):
        issues.append(
            Issue(
                IssueCode.UNREAD_ROW,
                label,
                int(frame["source_line"].iloc[i]),
                None,
                shown(
                    " ".join(
                        str(v)
                        for v in frame.iloc[i].drop(["source_file", "source_line"]).dropna()
                        if str(v).strip()
                    ),
                    60,
                ),
                _("a row with an amount but no document number, date or customer; left out"),
                _("Give it its number, date and customer, or delete it if it is a total."),
            )
        )
    rows = frame[items].reset_index(drop=True)
    rows.attrs["label"] = frame.attrs.get("label", label)
    n = len(rows)
    col = partial(_column, mapping, rows)
    text = _stripped
    empty = pd.Series([""] * n, dtype=object)
    given_ids = col("invoice_id")
    ids = text(given_ids) if given_ids is not None else empty.copy()
    customer_id = col("customer_id")
    name = col("customer_name")
    customers = text(customer_id) if customer_id is not None else empty.copy()
    if name is not None:
        customers = customers.where(customers != "", text(name))
    lines = rows["source_line"].astype(np.int64)
    amount_text = col("amount")
    assert amount_text is not None
    cents, blank, bad = parse.parse_cents(amount_text.reset_index(drop=True), mapping.decimal)
    ok = ~blank & ~bad
    types = col("document_type")
    kinds = (
        _by_value(types, document_kind).to_numpy(dtype=object)
        if types is not None
        else np.array([""] * n, dtype=object)
    )
    no_id = (ids == "").to_numpy()
    payment = (kinds == "payment") | (
        (kinds != "invoice") & (kinds != "credit") & no_id & ok & (cents < 0)
    )
    credit = (kinds == "credit") & ok & (cents > 0) & ~payment
    amounts = amount_text.reset_index(drop=True).astype(object).copy()
    if credit.any():
        amounts[credit] = _money_text(-cents[credit], mapping.decimal)
    made_up = no_id
    if made_up.any():
        ids[made_up] = "line-" + lines[made_up].astype(str)
        first = int(lines[made_up].iloc[0])
        count = int(made_up.sum())
        said = (
            ngettext(
                "{count} row(s) have no document number in {column}: each is given the id "
                "line-<its line>",
                "{count} row(s) have no document number in {column}: each is given the id "
                "line-<its line>",
                count,
            )
            if "invoice_id" in mapping.columns
            else ngettext(
                "{count} row(s) have no document number: each is given the id line-<its line>",
                "{count} row(s) have no document number: each is given the id line-<its line>",
                count,
            )
        )
        issues.append(
            Issue(
                IssueCode.MADE_UP,
                label,
                first,
                "invoice_id",
                None,
                said.format(
                    count=format_count(count), column=repr(mapping.columns.get("invoice_id"))
                ),
                _(
                    "Give each document its number in the file, so payments and credit notes "
                    "can name it."
                ),
            )
        )
    columns: dict[str, object] = {
        "invoice_id": ids,
        "customer_id": customers,
        "invoice_date": col("invoice_date"),
        "due_date": col("due_date") if col("due_date") is not None else empty,
        "amount": amounts,
    }
    for extra in ("applies_to", "currency", "disputed", "face_amount", "document_type"):
        if col(extra) is not None:
            columns[extra] = col(extra)
    if name is not None:
        columns["customer_name"] = name
    terms = col("terms_days")
    if terms is not None and col("due_date") is None:
        columns["due_date"] = _due_from_terms(rows, mapping, terms)
    table = pd.DataFrame(columns)
    tables: dict[str, pd.DataFrame] = {}
    invoices = table[~payment]
    if len(invoices):
        tables["invoices"] = _located(invoices, rows[~payment], label)
    if payment.any():
        paid = table[payment]
        pay_cents = np.abs(cents[payment])
        pay_ids = ids[payment]
        against = col("applies_to")
        target = text(against)[payment] if against is not None else ""
        payments = pd.DataFrame(
            {
                "payment_id": pay_ids,
                "customer_id": paid["customer_id"],
                "payment_date": paid["invoice_date"],
                "amount": _money_text(pay_cents, mapping.decimal),
                "invoice_id": target,
            }
        )
        tables["payments"] = _located(payments, rows[payment], label)
    listed = _customers(mapping, rows, customers, terms)
    if listed is not None:
        tables["customers"] = listed
    return tables, issues


def _located(table: pd.DataFrame, rows: pd.DataFrame, label: str) -> pd.DataFrame:
    out = pd.concat(
        [table.reset_index(drop=True), rows[["source_file", "source_line"]].reset_index(drop=True)],
        axis=1,
    )
    out.attrs["label"] = rows.attrs.get("label", label)
    return out


def _by_value(series: pd.Series, read: Callable[[str], object]) -> pd.Series:
    """``read`` of each cell's text, called once per distinct value (a column of a million
    rows holds a few types or terms)."""
    text = series.fillna("").astype(str)
    return text.map({value: read(value) for value in text.unique()})


def _terms_of(terms: pd.Series) -> pd.Series:
    """Days of each terms cell (float, NaN where it is not terms)."""
    days = _by_value(terms, terms_days)
    return pd.to_numeric(days, errors="coerce").reset_index(drop=True)


def _due_from_terms(rows: pd.DataFrame, mapping: Mapping, terms: pd.Series) -> pd.Series:
    """Each row's due date from its date and its terms (ISO text), where both read; blank where
    not (the customer's or the policy's terms then apply)."""
    dates = parse.parse_dates(
        _column(mapping, rows, "invoice_date").reset_index(drop=True),  # type: ignore[union-attr]
        mapping.date_order,
    )
    days = _terms_of(terms)
    due = dates.values + pd.to_timedelta(days, unit="D")
    return _day_text(due)


def _customers(
    mapping: Mapping, rows: pd.DataFrame, ids: pd.Series, terms: pd.Series | None
) -> pd.DataFrame | None:
    """A customers table (id, name, terms) when the file names or gives terms: each customer's
    first name and terms; terms only where every row of the customer agrees."""
    name = _column(mapping, rows, "customer_name")
    if name is None and terms is None:
        return None
    frame = pd.DataFrame({"customer_id": ids.reset_index(drop=True)})
    if name is not None:
        frame["name"] = name.fillna("").astype(str).str.strip().reset_index(drop=True)
    if terms is not None:
        days = _terms_of(terms)
        frame["terms_days"] = days.map(lambda d: "" if pd.isna(d) else str(int(d)))
    frame["source_line"] = rows["source_line"].to_numpy()
    frame = frame[frame["customer_id"] != ""]
    if "terms_days" in frame:
        agree = frame.groupby("customer_id")["terms_days"].transform("nunique") <= 1
        frame.loc[~agree, "terms_days"] = ""
    first = frame.drop_duplicates("customer_id").reset_index(drop=True)
    first.insert(0, "source_file", rows["source_file"].iloc[: len(first)].to_numpy())
    first = first[[c for c in first.columns if c != "source_line"] + ["source_line"]]
    first.attrs["label"] = rows.attrs.get("label", "")
    return first


def preview(
    path: Path,
    mapping: Mapping | Preset,
    *,
    policy: PolicyLike = None,
    rates: Path | None = None,
    rates_label: str | None = None,
) -> Ledger:
    """The ledger ``mapping`` (or a preset) reads from the file at ``path`` (a
    :class:`~arbook.core.ledger.Ledger`), to show its totals and every problem before saving;
    with the exchange rates of the ``rates`` file when one is given (``rates_label``: how
    messages name it)."""
    from arbook.core import ledger as ledgers  # ledger imports this module when it reads one

    path = Path(path)
    preset, encoding = (
        (mapping, None) if isinstance(mapping, Preset) else (as_preset(mapping), mapping.encoding)
    )
    return ledgers._read_export(
        path, preset, policy, encoding, named=True, rates=rates, rates_label=rates_label
    )


def load(path: Path) -> tuple[Path, Preset]:
    """A saved mapping.toml: the data file it maps (in its folder) and :func:`as_preset` of it.
    DataError when that file is not there."""
    path = Path(path)
    mapping = read(path)
    file = path.parent / mapping.file
    if not file.is_file():
        raise DataError(
            _(
                "{path}: file = {file}, but there is no such file in {folder}; put the data file "
                "back, or correct the file line of mapping.toml"
            ).format(path=path, file=_q(mapping.file), folder=path.parent)
        )
    return file, as_preset(mapping)
