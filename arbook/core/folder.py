"""Which file of a data folder holds which table, and what else is in the folder.

A table's file is ``<table>.<suffix>`` (any case). A file named *nearly* like a table is never
passed over in silence, since a payments file that is not read overstates every balance:
``payments (1).csv``, ``Payments 2026.csv``, ``payments.csv.csv``, ``payment.xlsx`` or the
Spanish and Russian names (``pagos.csv``, ``оплаты.csv``) are read as that table when the exact
name is absent, and left out with a warning when it is present (``close_name``). Every other
file is an ``unknown_file`` warning, except arbook's own (the contact log, the TOML files of the
procedure, the outbox) and the operating system's litter.
"""

from __future__ import annotations

import re
from pathlib import Path

from arbook.core.errors import DataError, Issue, IssueCode
from arbook.core.i18n import _

TABLES = ("invoices", "payments", "customers", "rates")
#: a mapping of the client's own layout onto arbook's, saved beside the data (the mapping screen)
MAPPING_FILE = "mapping.toml"
#: what `arbook import` keeps beside the canonical files it wrote (what they cannot say)
IMPORT_NOTE = "import.toml"
#: The files a table may be, and how each is read (by its content, when that differs).
SUFFIX_KINDS = {
    ".csv": "text",
    ".txt": "text",
    ".tsv": "text",
    ".xlsx": "workbook",
    ".xlsm": "workbook",
    ".xls": "workbook",
    ".parquet": "parquet",
}
SUFFIXES = tuple(SUFFIX_KINDS)
#: Other names a table's file is given: singular, Spanish, Russian.
ALIASES = {
    "invoices": ("invoice", "facturas", "factura", "счета", "счет", "счёт", "счета-фактуры"),
    "payments": ("payment", "pagos", "pago", "cobros", "cobro", "оплаты", "оплата", "платежи"),
    "customers": ("customer", "clientes", "cliente", "клиенты", "контрагенты", "покупатели"),
    "rates": ("rate", "exchange_rates", "tipos_de_cambio", "курсы", "курсы_валют"),
}
#: Files arbook writes or reads itself in a data folder, and the operating system's.
OWN = re.compile(
    r"(collections\.db(-wal|-shm|-journal)?|.*\.toml|.*\.md|readme(\..*)?|"
    r"thumbs\.db|desktop\.ini|\.ds_store|~\$.*|\..*)",
    re.IGNORECASE,
)
_COPY = re.compile(r"(\s*\(\d+\)|[\s_-]*(copy|copia|kopie|копия)(\s*\(?\d+\)?)?)$", re.IGNORECASE)
_DATED = re.compile(r"^(\d{4}([\s_.-]\d{1,2}){0,2}[\s_-]+)|([\s_-]+\d{4}([\s_.-]\d{1,2}){0,2})$")


def table_of(name: str) -> tuple[str | None, bool]:
    """``(table, exact)`` for a file name: which table it is named for, and whether the name is
    exactly ``<table>.<suffix>``; ``(None, False)`` for other files."""
    lower = name.lower()
    suffix = Path(lower).suffix
    if suffix not in SUFFIXES:
        return None, False
    stem = lower[: -len(suffix)]
    if stem in TABLES:
        return stem, True
    while Path(stem).suffix in SUFFIXES:  # payments.csv.csv
        stem = stem[: -len(Path(stem).suffix)]
    stem = _COPY.sub("", stem).strip()
    stem = _DATED.sub("", stem).strip()
    stem = re.sub(r"[\s\-]+", "_", stem)
    for table in TABLES:
        if stem == table or stem in ALIASES[table]:
            return table, False
    return None, False


def find_tables(folder: Path) -> tuple[dict[str, Path], list[Issue]]:
    """Return ``({table: path}, issues)`` for the ledger files in ``folder``.

    Raises :class:`DataError` when the folder is missing, has no invoices file, or holds two files
    for one table that are equally its (``invoices.csv`` and ``invoices.xlsx``; two close names):
    which one is meant cannot be guessed.
    """
    if folder.is_file():
        raise DataError(
            _(
                "{folder} is a file; give the folder holding invoices.csv, or read this one file "
                "with a preset (--preset ibm)."
            ).format(folder=folder)
        )
    if not folder.is_dir():
        raise DataError(
            _("{folder}: no such folder. Give the folder holding invoices.csv.").format(
                folder=folder
            )
        )
    exact: dict[str, list[Path]] = {t: [] for t in TABLES}
    close: dict[str, list[Path]] = {t: [] for t in TABLES}
    issues: list[Issue] = []
    for path in sorted(folder.iterdir()):
        table, is_exact = table_of(path.name)
        if table is not None:  # a folder or a dead link under a table's name: read_table says
            (exact if is_exact else close)[table].append(path)
        elif not path.is_dir() and not OWN.fullmatch(path.name):
            issues.append(
                Issue(
                    IssueCode.UNKNOWN_FILE,
                    str(path),
                    None,
                    None,
                    path.name,
                    _(
                        "{name} is not read: arbook reads invoices, payments, customers and "
                        "rates files"
                    ).format(name=path.name),
                    _("Rename it (payments.csv, …) if it holds one of them, or move it elsewhere."),
                )
            )
    found: dict[str, Path] = {}
    for table in TABLES:
        mine = exact[table] or close[table]
        if len(mine) > 1:
            names = ", ".join(p.name for p in mine)
            raise DataError(
                _("{folder}: {names} are all {table}; keep one of them.").format(
                    folder=folder, names=names, table=table
                )
            )
        if mine:
            found[table] = mine[0]
        for path in close[table]:
            issues.append(_close_issue(path, table, found[table]))
    if "invoices" not in found:
        raise DataError(
            _(
                "{folder}: no invoices file. Put invoices.csv (or .xlsx, .parquet) in the folder, "
                "with columns invoice_id, customer_id, invoice_date, amount."
            ).format(folder=folder)
        )
    return found, issues


def _close_issue(path: Path, table: str, read: Path) -> Issue:
    if read == path:
        message = _("{name} is read as the {table} file").format(name=path.name, table=table)
        hint = _("Rename it {file} to silence this warning.").format(
            file=f"{table}{Path(path.name).suffix.lower()}"
        )
    else:
        message = _("{name} looks like a {table} file but is not read: {read} is").format(
            name=path.name, table=table, read=read.name
        )
        hint = _("Merge its rows into {read}, or move it out of the folder.").format(read=read.name)
    return Issue(IssueCode.CLOSE_NAME, str(path), None, None, path.name, message, hint)
