"""The validated ledger, and what is outstanding on it as of any date (SPEC §1–2).

``read_ledger`` and ``ledger_from_frames`` return a :class:`Ledger`: clean frames of invoices,
payments and customers (money in int64 cents) plus the frame of every issue found. The ledger
also answers "what is outstanding on each document as of D" (:meth:`Ledger.balances`), the one
computation aging and the metrics share; it runs on numpy arrays prepared once per ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from os import PathLike
from pathlib import Path
from typing import Any, TypeAlias, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from arbook.core import csvfile, load, parse, validate
from arbook.core import grid as grids
from arbook.core.config import Policy, PolicyLike, default_policy, resolve_policy
from arbook.core.currencies import Rates
from arbook.core.dates import date_text, day_number, days_of, format_count
from arbook.core.errors import ERROR, DataError, Issue, IssueCode, ParameterError, ReadWhole
from arbook.core.folder import IMPORT_NOTE, MAPPING_FILE, SUFFIXES, table_of
from arbook.core.i18n import N_, _, ngettext
from arbook.core.parse import Int64Array, Mask
from arbook.core.policy_file import POLICY_FILE
from arbook.core.presets import PRESETS, Imported, Preset, detect
from arbook.core.schemas import CUSTOMER_COLUMNS

#: Row positions (``np.intp``), as numpy's sorting and searching return them.
Positions: TypeAlias = npt.NDArray[np.intp]
#: What :func:`_segments` returns: ``(order, start, end)``.
Segments: TypeAlias = tuple[Positions, Positions, Positions]
#: Raw tables by name (``invoices``, ``payments``...); None where a table was not read.
RawTables: TypeAlias = dict[str, load.RawTable | None]


def _segments(keys: Int64Array, n: int) -> Segments:
    """Order of rows with key >= 0 grouped by key, and each key's [start, end) in that order."""
    order = np.flatnonzero(keys >= 0)
    order = order[np.argsort(keys[order], kind="stable")]
    sorted_keys = keys[order]
    start = np.searchsorted(sorted_keys, np.arange(n), side="left")
    end = np.searchsorted(sorted_keys, np.arange(n), side="right")
    return order, start, end


def _segment_sums(values: Int64Array, start: Positions, end: Positions) -> Int64Array:
    """Exact int64 sums of ``values[start:end]`` for every segment (no float on the way)."""
    total = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(values, out=total[1:])
    return total[end] - total[start]


@dataclass(frozen=True)
class Balances:
    """What is outstanding as of one date. Arrays are per row of ``ledger.invoices`` (``doc_*``)
    and per row of ``ledger.payments`` (``pay_*``)."""

    as_of: int | np.integer[Any]  # the day number as given (see Ledger.balances)
    paid: Int64Array
    credited: Int64Array
    outstanding: Int64Array
    doc_open: Mask
    pay_open: Mask


@dataclass(frozen=True)
class _Arrays:
    inv_day: Int64Array
    due_day: Int64Array
    amount: Int64Array
    disputed: Mask
    pay_day: Int64Array
    pay_amount: Int64Array
    pay_target: Int64Array
    pay_segments: Segments
    credit_target: Int64Array
    credit_segments: Segments


@dataclass(frozen=True, eq=False)
class Links:
    """Validation's links of one pair of frames: ``pay_target`` per payment row and
    ``credit_target`` per invoice row, the invoice row they settle (-1: none)."""

    invoices: pd.DataFrame
    payments: pd.DataFrame
    pay_target: Int64Array
    credit_target: Int64Array

    def of(self, invoices: pd.DataFrame, payments: pd.DataFrame) -> bool:
        """Whether these are the links of exactly these frames."""
        return invoices is self.invoices and payments is self.payments


@dataclass(frozen=True, eq=False)
class Ledger:
    """A client's receivables ledger: clean frames plus every issue found reading them.

    ``invoices`` (credit notes are negative invoices), ``payments`` (one row per allocation) and
    ``customers`` (listed ones and those only seen in documents, ``listed`` False) have money in
    ``*_cents`` int64 columns and dates as ``datetime64``. ``issues`` has one row per problem.
    """

    invoices: pd.DataFrame
    payments: pd.DataFrame
    customers: pd.DataFrame
    issues: pd.DataFrame
    currency: str | None = None
    policy: Policy = field(default_factory=default_policy)
    source: str = ""
    #: the preset the data was read with ("qbo-aging"...), None for arbook's own files
    preset: str | None = None
    #: how the data was read, in one line (the layout, encoding, separator, decimals, dates)
    read_as: str = ""
    #: the date the export says it is as of ("As of June 30, 2026"), when it says
    report_date: pd.Timestamp | None = None
    #: the data holds only what was open on one date (an aging report), not its history
    open_items_only: bool = False
    #: what such data lacks, in words ("payments and their dates")
    lacks: str = ""
    #: the exchange rates read with it (SPEC §8), for revaluing what is open at a date
    rates: Rates = field(default_factory=Rates)
    #: which invoice row each payment row and credit note settles, as validation found them
    #: (so :attr:`arrays` does not hash the ids again); used only while ``invoices`` and
    #: ``payments`` are the very frames they were found for
    links: Links | None = field(default=None, repr=False)

    @property
    def folder(self) -> Path | None:
        """The client's data folder the ledger was read from (a preset's file's folder); None
        for a ledger built from frames. The client's own rules and logs sit there."""
        if not self.source or self.source == "frames":
            return None
        path = Path(self.source)
        return path if path.is_dir() else path.parent

    @property
    def history_note(self) -> str:
        """Why a figure that needs the history is n/a on this ledger ("" when it has one)."""
        if not self.open_items_only:
            return ""
        lacks = self.lacks or _("its history")
        if self.report_date is None:
            return _("the data holds the items open when it was exported, not {lacks}").format(
                lacks=lacks
            )
        return _("the data holds the items open on {date}, not {lacks}").format(
            date=date_text(self.report_date), lacks=lacks
        )

    @property
    def errors(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == ERROR]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] != ERROR]

    @property
    def first_day(self) -> pd.Timestamp | None:
        """The earliest document date: where the ledger's history starts."""
        return self.invoices["invoice_date"].min() if len(self.invoices) else None

    @property
    def last_day(self) -> pd.Timestamp | None:
        """The latest invoice or payment date."""
        dates = [self.invoices["invoice_date"].max(), self.payments["payment_date"].max()]
        dates = [d for d in dates if not pd.isna(d)]
        return max(dates) if dates else None

    @cached_property
    def customer_codes(self) -> tuple[Int64Array, Int64Array, npt.NDArray[np.object_]]:
        """Each invoice row's and each payment row's customer as a number: ``(invoice codes,
        payment codes, ids)``, ``ids[code]`` the customer id (one hash of both columns)."""
        inv, pay = self.invoices["customer_id"], self.payments["customer_id"]
        codes, ids = pd.factorize(pd.concat([inv, pay], ignore_index=True))
        codes = codes.astype(np.int64)
        return codes[: len(inv)], codes[len(inv) :], np.asarray(ids, dtype=object)

    @cached_property
    def arrays(self) -> _Arrays:
        inv, pay = self.invoices, self.payments
        if self.links is not None and self.links.of(inv, pay):
            pay_target, credit_target = self.links.pay_target, self.links.credit_target
        else:
            pay_target, credit_target = self._find_links()
        return _Arrays(
            inv_day=days_of(inv["invoice_date"]),
            due_day=days_of(inv["due_date"]),
            amount=inv["amount_cents"].to_numpy(dtype=np.int64),
            disputed=inv["disputed"].to_numpy(dtype=bool),
            pay_day=days_of(pay["payment_date"]),
            pay_amount=pay["amount_cents"].to_numpy(dtype=np.int64),
            pay_target=pay_target,
            pay_segments=_segments(pay_target, len(inv)),
            credit_target=credit_target,
            credit_segments=_segments(credit_target, len(inv)),
        )

    def _find_links(self) -> tuple[Int64Array, Int64Array]:
        """The invoice row of each payment's ``allocated_invoice_id`` and each credit note's
        ``applied_invoice_id`` (-1: none), by the ids: one hash serves both lookups."""
        inv, pay = self.invoices, self.payments
        linked = np.flatnonzero(inv["applied_invoice_id"].notna().to_numpy())
        wanted = pd.concat(
            [pay["allocated_invoice_id"], inv["applied_invoice_id"].iloc[linked]], ignore_index=True
        )
        found = parse.index_of(wanted, inv["invoice_id"])
        credit_target = np.full(len(inv), -1, dtype=np.int64)
        credit_target[linked] = found[len(pay) :]
        return found[: len(pay)], credit_target

    def balances(self, as_of: object) -> Balances:
        """Outstanding per document and the open payment rows as of ``as_of`` (SPEC §2.1–4)."""
        day = as_of if isinstance(as_of, (int, np.integer)) else day_number(as_of)
        a = self.arrays
        exists = a.inv_day <= day
        order, start, end = a.pay_segments
        counted = (a.pay_day[order] <= day) & exists[a.pay_target[order]]
        paid = _segment_sums(np.where(counted, a.pay_amount[order], 0), start, end)
        order_c, start_c, end_c = a.credit_segments
        applied_sorted = exists[order_c] & exists[a.credit_target[order_c]]
        credited = _segment_sums(np.where(applied_sorted, -a.amount[order_c], 0), start_c, end_c)
        applied = np.zeros(len(exists), dtype=bool)
        applied[order_c] = applied_sorted
        outstanding = np.where(exists & ~applied, a.amount - paid - credited, 0)
        pay_applied = np.zeros(len(a.pay_day), dtype=bool)
        pay_applied[order] = counted
        pay_open = (a.pay_day <= day) & ~pay_applied
        return Balances(day, paid, credited, outstanding, outstanding != 0, pay_open)

    def names(self, ids: pd.Series) -> npt.NDArray[np.object_]:
        """Each customer id's name; the id itself where the customers file gives none."""
        names = self.customers.set_index("customer_id")["name"]
        return ids.map(names).fillna(ids).astype("str").to_numpy()

    def describe(self) -> str:
        """One line for humans: counts of documents, customers and problems (in the language
        spoken now)."""
        errors = int((self.issues["severity"] == ERROR).sum())
        warnings = len(self.issues) - errors
        sizes = (len(self.invoices), len(self.payments), len(self.customers), errors, warnings)
        forms = (
            ngettext("{count} invoices", "{count} invoices", sizes[0]),
            ngettext("{count} payment rows", "{count} payment rows", sizes[1]),
            ngettext("{count} customers", "{count} customers", sizes[2]),
            ngettext("{count} errors", "{count} errors", sizes[3]),
            ngettext("{count} warnings", "{count} warnings", sizes[4]),
        )
        said = [form.format(count=format_count(size)) for form, size in zip(forms, sizes)]
        return f"{said[0]}, {said[1]}, {said[2]}; {said[3]}, {said[4]}"


def _options(date_order: str, decimal: str) -> dict[str, str]:
    return {"date_order": date_order, "decimal": decimal}


#: the money columns of each table, whose cells settle the decimal mark when none is given
MONEY_COLUMNS = {"invoices": "amount", "payments": "amount", "customers": "credit_limit"}


def _decimal_of(table: load.RawTable | None, name: str) -> str | None:
    """The decimal mark a raw table's money column settles (of a table in pieces: its first)."""
    if table is None:
        return None
    frame = table.first() if isinstance(table, load.Pieces) else table
    column = MONEY_COLUMNS.get(name)
    if frame is None or column is None or column not in frame:
        return None
    if not parse.holds(frame[column], ","):
        return None  # no cell has a comma: none settles it, and a point is the default
    return parse.decimal_of(frame[column])


def build_ledger(
    raw: RawTables,
    issues: list[Issue],
    *,
    policy: PolicyLike = None,
    source: str = "",
    date_order: str = "iso",
    decimal: str | None = ".",
    readings: Mapping[str, validate.Readings] | None = None,
) -> Ledger:
    """Validate raw tables (``{"invoices": frame, ...}``, from files or frames) into a Ledger.
    ``decimal`` None: each table's decimal mark is the one its amounts settle (a point when they
    do not), and a decimal comma found so is said in the ledger's ``read_as``. ``readings``:
    per table, the columns a preset has already read (:data:`~arbook.core.validate.Reading`)."""
    readings = readings or {}
    policy = resolve_policy(policy)
    out = validate.Collector()
    for issue in issues:
        out.file(issue)
    marks = {name: decimal or _decimal_of(raw.get(name), name) or "." for name in MONEY_COLUMNS}
    options = {name: _options(date_order, mark) for name, mark in marks.items()}
    rates = validate.parse_rates(_whole(raw.get("rates"), out), out)
    listed = validate.clean_customers(
        _whole(raw.get("customers"), out), out, **options["customers"]
    )
    found: dict[str, Int64Array] = {}
    invoices, currency, rejected = validate.clean_invoices(
        raw.get("invoices"),
        out,
        policy,
        listed,
        rates,
        readings.get("invoices"),
        links=found,
        **options["invoices"],
    )
    payments = validate.clean_payments(
        raw.get("payments"),
        out,
        invoices,
        rejected,
        readings.get("payments"),
        links=found,
        **options["payments"],
    )
    rows = (len(invoices), len(payments))
    invoices, payments = validate.settle_currencies(invoices, payments, currency, rates, out)
    links = None
    # the settlement keeps the rows in order and only drops payments it cannot convert
    if (len(invoices), len(payments)) == rows and found.keys() == {"pay_target", "credit_target"}:
        links = Links(invoices, payments, found["pay_target"], found["credit_target"])
    _check_totals(invoices, payments, source)
    customers = _all_customers(listed, invoices, payments)
    comma = [name for name, mark in marks.items() if mark == "," and raw.get(name) is not None]
    read_as = ""
    if comma and decimal is None:
        read_as = _("amounts with a decimal comma, as they are written ({tables})").format(
            tables=", ".join(comma)
        )
    return Ledger(
        invoices,
        payments,
        customers,
        out.frame(),
        currency,
        policy,
        source,
        read_as=read_as,
        rates=rates,
        links=links,
    )


def _whole(table: load.RawTable | None, out: validate.Collector) -> pd.DataFrame | None:
    """A table needed whole (customers, rates): its pieces joined, if it came in pieces."""
    if not isinstance(table, load.Pieces):
        return table
    frames = list(table)
    for issue in table.issues:
        out.file(issue)
    joined = pd.concat(frames, ignore_index=True)
    joined.attrs["label"] = table.label
    return joined


#: Every sum of accepted amounts stays below this (in cents), so int64 sums never wrap around.
MAX_TOTAL_CENTS = 2**62


def _check_totals(invoices: pd.DataFrame, payments: pd.DataFrame, source: str) -> None:
    """Refuse a ledger whose amounts could add up beyond int64: any total arbook computes (a
    customer's, a bucket's, the book's) is bounded by the sum of the absolute amounts."""
    bound = sum(
        float(np.abs(frame["amount_cents"].to_numpy(dtype=np.float64)).sum())
        for frame in (invoices, payments)
    )
    if bound >= MAX_TOTAL_CENTS:
        raise DataError(
            _(
                "{source}: the amounts add up to more than arbook can hold exactly ({limit} in "
                "currency units); nothing was read. Check that the amount columns hold money in "
                "currency units (not in cents, not an id)."
            ).format(source=source, limit=format_count(MAX_TOTAL_CENTS // 100))
        )


def _all_customers(
    listed: pd.DataFrame, invoices: pd.DataFrame, payments: pd.DataFrame
) -> pd.DataFrame:
    """Listed customers first (file order), then those seen only in documents (by id)."""
    seen = pd.Index(pd.concat([invoices["customer_id"], payments["customer_id"]]).unique())
    extra = seen.difference(pd.Index(listed["customer_id"])).sort_values()
    frame = pd.concat(
        [
            listed.assign(listed=True),
            pd.DataFrame({"customer_id": pd.Series(extra, dtype="str"), "listed": False}),
        ],
        ignore_index=True,
    )
    for column in CUSTOMER_COLUMNS:
        name = "credit_limit_cents" if column == "credit_limit" else column
        if name not in frame:
            frame[name] = pd.Series(
                pd.NA,
                index=frame.index,
                dtype="Int64" if column in ("credit_limit", "terms_days") else "str",
            )
    frame["listed"] = frame["listed"].astype(bool)
    return validate.order_columns(frame, validate.CUSTOMER_ORDER)


def read_ledger(
    source: str | PathLike[str],
    *,
    preset: str | None = None,
    policy: PolicyLike = None,
    date_order: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    rates: str | PathLike[str] | None = None,
) -> Ledger:
    """Read a client's ledger: a folder of ``invoices``/``payments``/``customers`` files
    (``.csv``, ``.xlsx``, ``.parquet``; an optional ``rates`` file converts other currencies), or
    an accounting system's export: a file (or a folder holding one) whose layout a preset
    recognises from its header, or names (``preset="qbo-aging"``), or that the folder's
    ``mapping.toml`` maps. ``policy`` None: the folder's ``policy.toml`` when it has one (the
    client's own rules and company details), else the shipped defaults. Returns a
    :class:`Ledger` whose ``issues`` lists every problem and whose ``read_as`` says how it was
    read; raises :class:`DataError` only when nothing can be read at all. ``decimal`` None:
    the mark the amounts use. ``encoding`` names the text files'
    encoding when it is not UTF-8 and should not be guessed. ``rates``: a rates file (SPEC §8)
    for the amounts in other currencies, over the folder's own; an export read from a folder
    takes the folder's ``rates`` file.
    """
    path = Path(source)
    given = Path(rates) if rates is not None else None
    if given is not None and not given.is_file():
        raise DataError(
            _("{path}: no such rates file; --rates names a CSV of currency, rate, date").format(
                path=given
            )
        )
    if (policy is None or policy == "") and path.is_dir() and (path / POLICY_FILE).is_file():
        policy = path / POLICY_FILE  # the client's own policy, beside its data
    if preset is not None:
        chosen = PRESETS.get(preset)
        if chosen is None:
            raise DataError(
                _("unknown preset {preset}; the presets are: {presets}").format(
                    preset=repr(preset), presets=", ".join(PRESETS)
                )
            )
        if not path.is_file():
            raise DataError(
                _("{path}: no such file; the {preset} preset reads one file.").format(
                    path=path, preset=preset
                )
            )
        return _read_export(path, chosen, policy, encoding, named=True, rates=given)
    if path.is_file():
        return _read_file(path, policy, date_order, decimal, encoding, given)
    if path.is_dir():
        mapped = path / MAPPING_FILE
        rates_file = given or rates_beside(path)  # an export's: the folder's rates file
        if mapped.is_file():
            from arbook.core import mapping  # the mapping screen's file: read when there is one

            file, mapped_preset = mapping.load(mapped)
            encoding = encoding or mapping.read(mapped).encoding
            return _read_export(
                file, mapped_preset, policy, encoding, named=True, source=path, rates=rates_file
            )
        export = _one_export(path, encoding)
        if export is not None:
            return _read_export(
                export[0], export[1], policy, encoding, named=False, source=path, rates=rates_file
            )
    tables, issues = load.find_tables(path)
    if given is not None:
        tables["rates"] = given
    ledger = _read_tables(tables, issues, path, policy, date_order, decimal, encoding)
    names = ", ".join(file.name for file in tables.values())
    own = _("{folder}: arbook's own files ({names})").format(folder=path.name or path, names=names)
    ledger = replace(ledger, read_as=_joined(own, ledger))
    note = path / IMPORT_NOTE
    if note.is_file():  # written by `arbook import` from an export of open items only
        from arbook.core import mapping

        ledger = mapping.with_import_note(ledger, note)
    return ledger


#: Tables a large text file of which is read and checked in pieces (bounded memory); the others
#: are small, or needed whole (a customer's terms, the rates).
PIECED = ("invoices", "payments")


def _read_tables(
    tables: dict[str, Path],
    issues: list[Issue],
    path: Path,
    policy: PolicyLike,
    date_order: str | None,
    decimal: str | None,
    encoding: str | None,
) -> Ledger:
    """arbook's own files (``tables``: table -> file) as a ledger: a large text table read and
    checked in pieces; when something only the whole file settles turns up (ReadWhole), read
    whole, from the start."""

    def read(pieces: bool) -> Ledger:
        raw: RawTables = {}
        found = list(issues)
        for table, file in tables.items():
            frame, more = load.read_table(
                file, table=table, encoding=encoding, pieces=pieces and table in PIECED
            )
            found += more
            if frame is not None:
                raw[table] = frame
        return build_ledger(
            raw,
            found,
            policy=policy,
            source=str(path),
            date_order=date_order or "iso",
            decimal=decimal,
        )

    try:
        return read(pieces=True)
    except ReadWhole:
        return read(pieces=False)


#: what a file of arbook's own invoices has in its header (read alone, as a folder of one)
CANONICAL_HEADER = ("invoice_id", "customer_id", "invoice_date", "amount")


def rates_beside(folder: Path) -> Path | None:
    """The folder's rates file (``rates.csv``, ``.xlsx`` or ``.parquet``), if it has one."""
    for suffix in SUFFIXES:
        file = folder / f"rates{suffix}"
        if file.is_file():
            return file
    return None


def _read_file(
    path: Path,
    policy: PolicyLike,
    date_order: str | None,
    decimal: str | None,
    encoding: str | None,
    rates: Path | None = None,
) -> Ledger:
    """One file given without a preset: an export whose layout its header tells, else arbook's
    own invoices file read alone; else an error saying how to map it."""
    grid = _grid(path, encoding)
    if grid is not None:
        found = detect(grid)
        if found is not None:
            return _read_export(path, found, policy, encoding, named=False, grid=grid, rates=rates)
    parquet = grid is None and load.unreadable(path, str(path)) is None and _is_parquet(path)
    if parquet or (grid is not None and grid.find_row(CANONICAL_HEADER, within=1) is not None):
        tables = {"invoices": path, **({"rates": rates} if rates is not None else {})}
        ledger = _read_tables(tables, [], path, policy, date_order, decimal, encoding)
        alone = _("{name}: arbook's own invoices file, read alone").format(name=path.name)
        read_as = _joined(alone, ledger)
        return replace(ledger, read_as=read_as)
    raise DataError(
        _(
            "{path}: a file in a layout arbook does not recognise (the presets are {presets}). "
            "Name its layout with --preset, map its columns once with `arbook mapping` on it (or "
            "the dashboard's \"{tab}\"), or give the folder holding arbook's invoices.csv."
        ).format(path=path, presets=", ".join(PRESETS), tab=_("Load your data"))
    )


def _joined(what: str, ledger: Ledger) -> str:
    """How the data was read: ``what`` and what the ledger found on the way (a decimal comma)."""
    return f"{what}; {ledger.read_as}" if ledger.read_as else what


def _is_parquet(path: Path) -> bool:
    with open(path, "rb") as handle:
        return load.content_kind(handle.read(8)) == "parquet"


def _grid(path: Path, encoding: str | None) -> grids.Grid | None:
    try:
        return grids.read_grid(path, str(path), encoding)
    except grids.GridError:
        return None


def _one_export(folder: Path, encoding: str | None) -> tuple[Path, Preset] | None:
    """A folder without arbook's invoices file but holding one export in a known layout: that
    export and its preset. Two exports: an error naming both (which one is meant is not
    guessed)."""
    files = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix.lower() in SUFFIXES and table_of(p.name)[0] is None
    ]
    if not files or any(table_of(p.name)[0] == "invoices" for p in folder.iterdir()):
        return None
    found = []
    for file in files:
        grid = _grid(file, encoding)
        preset = detect(grid) if grid is not None else None
        if preset is not None:
            found.append((file, preset))
    if len(found) > 1:
        names = ", ".join(f"{f.name} ({p.name})" for f, p in found)
        raise DataError(
            _(
                "{folder}: {names} are all exports; keep one in the folder, or give the file "
                "itself."
            ).format(folder=folder, names=names)
        )
    return found[0] if found else None


#: how each date order is written, marked for the catalogue (``AAAA-MM-DD`` in Spanish)
DATE_WORDS = {"iso": N_("YYYY-MM-DD"), "dmy": N_("DD/MM/YYYY"), "mdy": N_("MM/DD/YYYY")}


def _read_export(
    path: Path,
    preset: Preset,
    policy: PolicyLike,
    encoding: str | None,
    *,
    named: bool,
    source: Path | None = None,
    grid: grids.Grid | None = None,
    rates: Path | None = None,
    rates_label: str | None = None,
) -> Ledger:
    """One file read with ``preset`` (``named``: given by the user, else recognised), with the
    ``rates`` file's exchange rates when one is given (named ``rates_label`` in messages)."""
    issues: list[Issue] = []
    try:
        grid = grid or grids.read_grid(path, str(path), encoding)
    except grids.GridError as exc:
        issues.append(exc.issue)
        imported = Imported({}, date_order=preset.date_order)
    else:
        issues += grid.issues
        imported = preset.read(grid)
    issues += imported.issues
    if imported.open_items_only and imported.tables.get("invoices") is not None:
        issues.append(_open_items_issue(path, preset, imported))
    raw: RawTables = dict(imported.tables)
    raw.setdefault("invoices", None)
    if rates is not None:
        raw["rates"], more = load.read_table(
            rates, label=rates_label, table="rates", encoding=encoding
        )
        issues += more
    ledger = build_ledger(
        raw,
        issues,
        policy=policy,
        source=str(source or path),
        date_order=imported.date_order,
        decimal=imported.decimal,
        readings=imported.readings,
    )
    return replace(
        ledger,
        preset=preset.name,
        read_as=_read_as(path, preset, grid, imported, named),
        report_date=imported.report_date,
        open_items_only=imported.open_items_only,
        lacks=imported.lacks,
    )


def _read_as(
    path: Path, preset: Preset, grid: grids.Grid | None, imported: Imported, named: bool
) -> str:
    said = (
        _("{name}: read as {title} (preset {preset}, as asked)")
        if named
        else _("{name}: read as {title} (preset {preset}, recognised from its header)")
    )
    parts = [said.format(name=path.name, title=preset.shown_title, preset=preset.name)]
    if grid is not None and grid.kind == "text":
        codec = csvfile.encoding_name(grid.encoding)
        parts.append(f"{codec}, {grids.separated(grid.separator)}")
    elif grid is not None and grid.sheet:
        parts.append(_("sheet {sheet}").format(sheet=repr(grid.sheet)))
    mark = imported.written_decimal or imported.decimal
    parts.append(_("decimal comma") if mark == "," else _("decimal point"))
    written = DATE_WORDS.get(imported.date_order)
    dates = _(written) if written is not None else imported.date_order
    parts.append(_("dates {format}").format(format=dates))
    if imported.header_line is not None:
        workbook = grid is not None and grid.kind == "workbook"
        parts.append(
            (_("header on row {line}") if workbook else _("header on line {line}")).format(
                line=imported.header_line
            )
        )
    if imported.report_date is not None:
        parts.append(_("as of {date}").format(date=date_text(imported.report_date)))
    return "; ".join(parts)


def _open_items_issue(path: Path, preset: Preset, imported: Imported) -> Issue:
    said = (
        _(
            "the {title} holds the items open when it was exported (it gives no date), not "
            "{lacks}: DSO, CEI, roll rates, turnover, payment behaviour, scores, the carrying "
            "cost before that date and every earlier as-of date are n/a"
        )
        if imported.report_date is None
        else _(
            "the {title} holds the items open on {date}, not {lacks}: DSO, CEI, roll rates, "
            "turnover, payment behaviour, scores, the carrying cost before {date} and every "
            "earlier as-of date are n/a"
        )
    )
    return Issue(
        IssueCode.OPEN_ITEMS_ONLY,
        str(path),
        None,
        None,
        preset.name,
        said.format(
            title=preset.shown_title,
            date=date_text(imported.report_date),
            lacks=imported.lacks or _("its history"),
        ),
        _(
            "For those figures, export the invoices and payments with their dates (arbook's "
            "invoices and payments files, or a sales-invoice and payment export) and read those."
        ),
    )


def ledger_from_frames(
    invoices: pd.DataFrame,
    payments: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    *,
    policy: PolicyLike = None,
    date_order: str = "iso",
    decimal: str = ".",
) -> Ledger:
    """Build a Ledger from DataFrames, validated exactly like files. Rows are located as
    ``invoices:N`` where N counts like a file's lines (first row = 2, after a header)."""
    raw: RawTables = {}
    issues: list[Issue] = []
    for table, frame in (("invoices", invoices), ("payments", payments), ("customers", customers)):
        if frame is None:
            continue
        if not isinstance(frame, pd.DataFrame):
            raise ParameterError(
                _("{table} must be a pandas DataFrame, got {type}").format(
                    table=table, type=type(frame).__name__
                )
            )
        raw[table], found = load.table_from_frame(frame, table)
        issues += found
    return build_ledger(
        raw, issues, policy=policy, source="frames", date_order=date_order, decimal=decimal
    )


def month_ends(ledger: Ledger) -> list[pd.Timestamp]:
    """Every month end the data covers, oldest first: from the end of the first document's
    month to the last month end on or before the latest document or payment. A ledger whose
    history is shorter than a month gives the end of its only month."""
    if ledger.first_day is None:
        return []
    first = ledger.first_day + pd.offsets.MonthEnd(0)
    last = cast(pd.Timestamp, ledger.last_day)  # not None: the ledger has invoices
    last = last if last.is_month_end else last - pd.offsets.MonthEnd(1)
    if last < first:
        return [first]
    return list(pd.date_range(first, last, freq="ME"))


def default_as_of(ledger: Ledger) -> pd.Timestamp:
    """The last month end the data covers (what a review defaults to); for open items only,
    the date they are open on (the report's date, else the latest date in the file)."""
    if ledger.open_items_only:
        day = ledger.report_date if ledger.report_date is not None else ledger.last_day
        if day is not None:
            return day
    ends = month_ends(ledger)
    if not ends:
        raise ParameterError(_("the ledger has no invoices, so there is no date to review"))
    return ends[-1]
