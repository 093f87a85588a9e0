"""The mapping itself: arbook's fields, the :class:`Mapping` of one file's columns onto them,
and its file, ``mapping.toml``.

:data:`FIELDS` are the canonical targets a column may map to (:data:`FIELD_WORDS` says each in
words). A :class:`Mapping` writes itself as commented TOML, to edit by hand
(:meth:`Mapping.to_toml`), and reads back from it with every problem located by line and key
(:meth:`Mapping.from_toml`); :func:`read` reads a saved ``mapping.toml`` and :func:`save` writes
one beside the data, atomically. Nothing here looks at a data file: that is
:mod:`~arbook.core.mapping.suggest`'s and :mod:`~arbook.core.mapping.apply`'s job, and both
build on this module.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePath

import pandas as pd

from arbook.core.errors import DataError, PolicyError
from arbook.core.files import write_atomic
from arbook.core.folder import MAPPING_FILE
from arbook.core.i18n import N_, _
from arbook.core.rules_file import decode, read_bytes, rules_file, shown

#: the canonical targets a column may map to, in display order. ``amount`` is what is owed on
#: the document: its open balance where the file has one; ``face_amount`` its total as issued.
FIELDS: tuple[str, ...] = (
    "invoice_id",
    "customer_id",
    "customer_name",
    "invoice_date",
    "due_date",
    "amount",
    "face_amount",
    "applies_to",
    "currency",
    "disputed",
    "terms_days",
    "document_type",
)

#: what each field is, in words (for the screen and the TOML's comments; translated where
#: shown: ``_(FIELD_WORDS[name])``)
FIELD_WORDS: dict[str, str] = {
    "invoice_id": N_("the document's number"),
    "customer_id": N_("the customer's code (else its name is its id)"),
    "customer_name": N_("the customer's name"),
    "invoice_date": N_("the date the document was issued"),
    "due_date": N_("the date payment is due"),
    "amount": N_("what is owed on the document: the open balance where the file has one"),
    "face_amount": N_("the document's total as issued, beside an open balance"),
    "applies_to": N_("for a credit note or payment: the invoice it is against"),
    "currency": N_("a three-letter currency code"),
    "disputed": N_("yes/no: the customer disputes it"),
    "terms_days": N_("payment terms, in days (or 'Net 30')"),
    "document_type": N_("invoice / credit note / payment"),
}

#: the fields a mapping needs (``customer_id`` is also given by ``customer_name`` alone)
REQUIRED: tuple[str, ...] = ("invoice_id", "customer_id", "invoice_date", "amount")

DATE_ORDERS = ("iso", "dmy", "mdy")
#: the keys of mapping.toml (``columns`` is a table of fields; the others are settings)
KEYS = (
    "file",
    "header_line",
    "date_order",
    "decimal",
    "open_items_only",
    "report_date",
    "sheet",
    "encoding",
    "columns",
)
DECIMALS = (".", ",")
#: what a file of open balances lacks, in words (Ledger.lacks; translated where it is used)
OPEN_LACKS = N_("the paid invoices, nor payments and their dates")


@dataclass
class Mapping:
    """How one file's columns map onto arbook's fields. ``file`` is the data file's name,
    relative to the folder the mapping is saved in; ``header_line`` the file's line (a sheet's
    row) of the header; ``columns`` field -> the column's header as the file writes it."""

    file: str
    header_line: int
    columns: dict[str, str]
    date_order: str = "iso"  # "iso" | "dmy" | "mdy"
    decimal: str = "."  # "." | ","
    open_items_only: bool = False  # the amounts are open balances on one date (an aging report)
    report_date: str | None = None  # ISO date the report is as of, when open_items_only
    sheet: str | None = None
    encoding: str | None = None

    def to_toml(self) -> str:
        """The mapping as commented TOML, to read and edit by hand; unmapped fields are listed
        as comments, so a column can be mapped by removing a ``#``."""
        lines = [
            *_comment(
                _(
                    "arbook mapping: how the columns of a file map onto arbook's invoices.\n"
                    "arbook reads the data folder through it (every command, the dashboard); edit "
                    'it\nby hand or on the dashboard\'s "Load your data" step. Check it with '
                    "`arbook check`."
                )
            ),
            "",
            *_comment(_("the data file, relative to this file's folder")),
            f"file = {_q(self.file)}",
            *_comment(_("the file's line (a sheet's row) that holds the column headers")),
            f"header_line = {int(self.header_line)}",
        ]
        lines += _comment(_("the sheet of a workbook the rows are on"))
        lines.append(f"sheet = {_q(self.sheet)}" if self.sheet else '# sheet = "Sheet1"')
        lines += _comment(
            _("the text encoding of a CSV file that is not UTF-8 (cp1252, cp1251...)")
        )
        lines.append(
            f"encoding = {_q(self.encoding)}" if self.encoding else '# encoding = "cp1252"'
        )
        lines += [
            *_comment(
                _('how dates are written: "iso" 2026-06-30, "dmy" 30/06/2026, "mdy" 06/30/2026')
            ),
            f"date_order = {_q(self.date_order)}",
            *_comment(
                _('the decimal mark of amounts: "." (1,234.50) or "," (1.234,50 or 1 234,50)')
            ),
            f"decimal = {_q(self.decimal)}",
            *_comment(
                _(
                    "true when the amounts are the open balances on one date (an aging report): "
                    "the\nfile then holds no history, and DSO, CEI, payment behaviour... are n/a"
                )
            ),
            f"open_items_only = {'true' if self.open_items_only else 'false'}",
            *_comment(_("the date the balances are as of (YYYY-MM-DD), when open_items_only")),
            f"report_date = {_q(self.report_date)}"
            if self.report_date
            else '# report_date = "2026-06-30"',
            "",
            *_comment(_("arbook's field = the file's column header, as the file writes it")),
            "[columns]",
        ]
        for name in FIELDS:
            comment = f"  # {_(FIELD_WORDS[name])}"
            if name in self.columns:
                lines.append(f"{name} = {_q(self.columns[name])}{comment}")
            else:
                lines.append(f'# {name} = ""{comment}')
        for name, header in self.columns.items():  # pragma: no cover - from_toml refuses these
            if name not in FIELDS:
                lines.append(f"{name} = {_q(header)}")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_toml(cls, text: str, where: str) -> Mapping:
        """A mapping from its TOML ``text``; PolicyError naming ``where``, the line and the key
        of every problem (all of them, one a line) and what to write instead."""
        parsed = rules_file(text, where)
        data = parsed.data
        problems: list[str] = []

        def bad(loc: tuple[str, ...], what: str) -> None:
            problems.append(f"{parsed.at(loc)}: {what}")

        known = set(KEYS)
        for key in data:
            if key not in known:
                bad(
                    (key,),
                    _("unknown key; the keys are {keys}").format(keys=", ".join(sorted(known))),
                )
        file = data.get("file")
        if not isinstance(file, str) or not file.strip():
            bad(("file",), _('give the data file\'s name in quotes, e.g. file = "ledger.xlsx"'))
            file = ""
        elif PurePath(file).is_absolute() or ".." in PurePath(file).parts:
            bad(
                ("file",),
                _("{value} is outside this folder; give a name in the folder").format(
                    value=shown(file)
                ),
            )
        header = data.get("header_line")
        if isinstance(header, bool) or not isinstance(header, int) or header < 1:
            bad(("header_line",), _("give the header's line number, a whole number from 1"))
            header = 1
        order = data.get("date_order", "iso")
        if order not in DATE_ORDERS:
            bad(
                ("date_order",),
                _("{value}; use one of {choices}").format(
                    value=shown(order), choices=", ".join(map(_q, DATE_ORDERS))
                ),
            )
            order = "iso"
        decimal = data.get("decimal", ".")
        if decimal not in DECIMALS:
            bad(("decimal",), _('{value}; use "." or ","').format(value=shown(decimal)))
            decimal = "."
        open_items = data.get("open_items_only", False)
        if not isinstance(open_items, bool):
            bad(
                ("open_items_only",),
                _("{value}; write true or false").format(value=shown(open_items)),
            )
            open_items = False
        report = data.get("report_date")
        if report is not None:
            report = iso_date(report)
            if report is None:
                bad(
                    ("report_date",),
                    _('{value}; write it as "2026-06-30"').format(value=shown(data["report_date"])),
                )
        texts: dict[str, str | None] = {}
        for key in ("sheet", "encoding"):
            value = data.get(key)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                bad(
                    (key,),
                    _("{value}; write it in quotes, or leave the key out").format(
                        value=shown(value)
                    ),
                )
                value = None
            texts[key] = value
        columns: dict[str, str] = {}
        given = data.get("columns", {})
        if not isinstance(given, dict):
            bad(("columns",), _('write the columns as a [columns] table of field = "header"'))
            given = {}
        for name, header_text in given.items():
            if name not in FIELDS:
                near = _nearest(name, FIELDS)
                what = (
                    _(
                        "not a field of arbook's (did you mean {near}?); the fields are {fields}"
                    ).format(near=near, fields=", ".join(FIELDS))
                    if near
                    else _("not a field of arbook's; the fields are {fields}").format(
                        fields=", ".join(FIELDS)
                    )
                )
                bad(("columns", name), what)
            elif not isinstance(header_text, str) or not header_text.strip():
                bad(
                    ("columns", name),
                    _(
                        "{value}; give the file's column header in quotes, or comment the line out"
                    ).format(value=shown(header_text)),
                )
            else:
                columns[name] = header_text
        if problems:
            raise PolicyError("\n".join(problems))
        return cls(
            file=str(file),
            header_line=int(header),
            columns=columns,
            date_order=str(order),
            decimal=str(decimal),
            open_items_only=bool(open_items),
            report_date=report,
            sheet=texts["sheet"],
            encoding=texts["encoding"],
        )


def _comment(text: str) -> list[str]:
    """``text`` (lines split at ``\\n``) as TOML comment lines."""
    return [f"# {line}" for line in text.split("\n")]


def _q(value: object) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(str(value), ensure_ascii=False)


def iso_date(value: object) -> str | None:
    """``value`` (a TOML date or "YYYY-MM-DD" text) as ISO text; None if it is not one."""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return str(value.isoformat())[:10]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return pd.Timestamp(value.strip()).strftime("%Y-%m-%d")
        except ValueError:
            return None
    return None


def _nearest(word: str, choices: tuple[str, ...]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


def save(mapping: Mapping, folder: Path) -> Path:
    """Write ``mapping`` to ``<folder>/mapping.toml`` atomically (the old one stays whole until
    the new one is complete and reads back); returns its path. DataError when the folder holds
    arbook's own invoices file, which the mapping would hide."""
    from arbook.core.folder import table_of

    target = Path(folder) / MAPPING_FILE
    own = [
        p.name
        for p in sorted(Path(folder).iterdir())
        if p.is_file() and p.name != mapping.file and table_of(p.name)[0] == "invoices"
    ]
    if own:
        raise DataError(
            _(
                "{folder}: holds arbook's own invoices file {file}, which a mapping.toml there "
                "would hide (the folder would be read through the mapping); keep the file to map "
                "in a folder of its own"
            ).format(folder=folder, file=own[0])
        )
    text = mapping.to_toml()
    Mapping.from_toml(text, str(target))  # what is written must read back
    return write_atomic(target, text)


def read(path: Path) -> Mapping:
    """The mapping saved at ``path`` (PolicyError in the file's terms when it is wrong)."""
    path = Path(path)
    raw = read_bytes(path, "mapping", _("Write one with `arbook mapping FILE --save`."))
    return Mapping.from_toml(decode(raw, str(path)), str(path))
