"""Suggesting a mapping from the file itself: :func:`suggest`.

The header row is the row of the first rows whose cells match most header names
(:func:`find_header`; title rows above it are skipped). The cells below each column are
profiled and scored (:mod:`~arbook.core.mapping.columns`) to map one column per field; then the
cells settle the date order and the decimal mark, the title rows the date a report is as of,
and the money columns whether the amounts are open balances. What comes back is a
:class:`Suggestion`: the :class:`~arbook.core.mapping.model.Mapping`, every field's candidates
with reasons, the first rows as written and notes on what was decided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from arbook.core import grid as grids
from arbook.core import parse
from arbook.core.i18n import _, ngettext
from arbook.core.mapping.columns import (
    THRESHOLD,
    Candidate,
    Profile,
    _candidates,
    _choose,
    profile,
    profiles_by_header,
)
from arbook.core.mapping.model import FIELDS, Mapping
from arbook.core.mapping.rows import _header_cells, read_grid
from arbook.core.mapping.vocabulary import header_key, header_score, is_open_balance, vocabulary

#: the rows looked at for the header, and the rows below it whose cells are profiled
HEADER_ROWS = 40
SAMPLE_ROWS = 2000
PREVIEW_ROWS = 10
#: a text file up to this size is profiled whole; a bigger one by its first rows
PROFILE_BYTES = 4 << 20


#: a workbook's number cell as arbook's sheet reader writes it (".15g": 45500.5, -12, 1e+20)
_NUMBER_CELL = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?")


_DATE_IN_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{4}"
    r"|[^\W\d_]+\.? \d{1,2},? \d{4}|\d{1,2}(?: de)? [^\W\d_]+\.?(?: de)? \d{4}(?: ?г\.?)?"
)


@dataclass
class Suggestion:
    """What :func:`suggest` found: the suggested ``mapping``, the ``candidates`` of each field
    (best first), the file's first rows below the header (``preview``: its cells as written, the
    file's line numbers as the index), the ``header_line`` and ``notes`` on what was decided."""

    mapping: Mapping
    candidates: dict[str, list[Candidate]]
    preview: pd.DataFrame
    header_line: int
    notes: list[str]
    columns: list[str] = field(default_factory=list)  # the header's cells, as written


def find_header(grid: grids.Grid) -> int:
    """The line of the header among the first rows: the row with most cells that match a
    field's names, then most cells that look like names (not numbers or dates); title rows
    above it are skipped. A file none of whose rows matches: its first row with most names."""
    rows = [(line, [c for c in cells if c.strip()]) for line, cells in grid.head[:HEADER_ROWS]]
    rows = [(line, filled) for line, filled in rows if len(filled) >= 2]
    if not rows:
        return grid.head[0][0] if grid.head else 1
    names = _name_like([c for _, filled in rows for c in filled])
    best: tuple[int, int, int] | None = None
    line_of_best, at = rows[0][0], 0
    for line, filled in rows:
        matched = sum(1 for c in filled if _best_score(c) >= THRESHOLD)
        named = int(names[at : at + len(filled)].sum())
        at += len(filled)
        score = (matched, named, -line)
        if best is None or score > best:
            best, line_of_best = score, line
    return line_of_best


def _best_score(cell: str) -> float:
    return max(header_score(cell, f)[0] for f in FIELDS)


def _name_like(cells: list[str]) -> np.ndarray:
    """True for each cell that looks like a column's name: short text with a letter, neither
    money nor a date."""
    text = pd.Series([c.strip() for c in cells], dtype=object)
    letters = text.str.contains(r"[^\W\d_]", regex=True).to_numpy(dtype=bool)
    short = (text.str.len() <= 60).to_numpy(dtype=bool)
    money = ~parse.parse_cents(text, ".")[2] | ~parse.parse_cents(text, ",")[2]
    dates = ~parse.parse_dates(text, "dmy").bad
    return np.asarray(letters & short & ~money & ~dates, dtype=bool)


def _sample_rows(grid: grids.Grid, header: int) -> list[tuple[int, list[str]]]:
    """The rows below the header that are profiled (blank rows left out)."""
    small = grid.kind == "workbook" or grid.path.stat().st_size <= PROFILE_BYTES
    rows = grid.cells() if small else grid.head
    below = [(n, c) for n, c in rows if n > header and any(x.strip() for x in c)]
    return below[:SAMPLE_ROWS]


def _preview_frame(names: list[str], rows: list[tuple[int, list[str]]]) -> pd.DataFrame:
    shown_names = _unique_names(names)
    body = [(c + [""] * len(shown_names))[: len(shown_names)] for _, c in rows[:PREVIEW_ROWS]]
    frame = pd.DataFrame(body, columns=shown_names, dtype=object)
    frame.index = pd.Index([n for n, _ in rows[:PREVIEW_ROWS]], name="line")
    return frame


def _unique_names(names: list[str]) -> list[str]:
    """Header cells as column labels: a blank one as "(column N)", a repeated one numbered."""
    out: list[str] = []
    for i, name in enumerate(names, start=1):
        label = name if name.strip() else _("(column {number})").format(number=i)
        while label in out:
            label = f"{label} ({i})"
        out.append(label)
    return out


def suggest(path: Path, *, encoding: str | None = None) -> Suggestion:
    """A suggested mapping of the file at ``path``: its header row, each field's candidate
    columns (by header names, then by what their cells look like), the date order and decimal
    mark its cells settle, and whether its amounts are open balances. Raises DataError when the
    file cannot be read as rows at all."""
    path = Path(path)
    grid = read_grid(path, encoding=encoding)
    header = find_header(grid)
    names = _header_cells(grid, header)
    rows = _sample_rows(grid, header)
    profiles = [
        profile(i, name, [(c[i] if i < len(c) else "") for _, c in rows])
        for i, name in enumerate(names)
        if name.strip()
    ]
    candidates = _candidates(profiles)
    columns, notes = _choose(profiles, candidates)
    mapped = {f: profiles_by_header(profiles)[h] for f, h in columns.items()}
    date_order, date_note = _date_order(mapped)
    decimal = _decimal(mapped, grid.kind == "workbook")
    report = _report_date(grid, header, date_order)
    open_items = "amount" in columns and (is_open_balance(columns["amount"]) or bool(report))
    mapping = Mapping(
        file=path.name,
        header_line=header,
        columns=columns,
        date_order=date_order,
        decimal=decimal,
        open_items_only=open_items,
        report_date=report,
        sheet=grid.sheet if grid.kind == "workbook" else None,
        encoding=encoding or _named_encoding(grid),
    )
    notes = _header_notes(grid.kind == "workbook", header, names) + notes
    if date_note:
        notes.append(date_note)
    notes.append(
        _("amounts with a decimal comma") if decimal == "," else _("amounts with a decimal point")
    )
    if open_items:
        notes.append(_open_note(columns["amount"], report))
        if report is None:
            notes.append(_("the file does not say the date it is as of: set report_date"))
    unmapped = [p.header for p in profiles if p.header not in columns.values()]
    if unmapped:
        notes.append(_("not mapped (kept out): {columns}").format(columns=", ".join(unmapped)))
    return Suggestion(
        mapping=mapping,
        candidates=candidates,
        preview=_preview_frame(names, rows),
        header_line=header,
        notes=notes,
        columns=[n for n in names if n.strip()],
    )


def _header_notes(workbook: bool, header: int, names: list[str]) -> list[str]:
    """Where the header is, its cells, and the title rows above it skipped."""
    cells = ", ".join(n for n in names if n.strip())
    said = (
        _("the header is on row {line}: {columns}")
        if workbook
        else _("the header is on line {line}: {columns}")
    )
    notes = [said.format(line=header, columns=cells)]
    if header > 1:
        above = (
            ngettext(
                "the {count} row(s) above it are titles, skipped",
                "the {count} row(s) above it are titles, skipped",
                header - 1,
            )
            if workbook
            else ngettext(
                "the {count} line(s) above it are titles, skipped",
                "the {count} line(s) above it are titles, skipped",
                header - 1,
            )
        )
        notes.append(above.format(count=header - 1))
    return notes


def _open_note(amount: str, report: str | None) -> str:
    """Why the amounts are read as open balances on one date, and what that leaves n/a."""
    if is_open_balance(amount):
        said = (
            _(
                "{column} is an open balance: the file lists what was open on {date}, not a "
                "history (open_items_only = true); DSO, CEI, payment behaviour... will be n/a"
            )
            if report
            else _(
                "{column} is an open balance: the file lists what was open, not a history "
                "(open_items_only = true); DSO, CEI, payment behaviour... will be n/a"
            )
        )
    else:
        said = _(
            "the title says the report is as of {date}: the file lists what was open on {date}, "
            "not a history (open_items_only = true); DSO, CEI, payment behaviour... will be n/a"
        )
    return said.format(column=repr(amount), date=report)


def _named_encoding(grid: grids.Grid) -> str | None:
    """The encoding a text file was read with, when it is not UTF-8 (kept in the mapping so it
    is never guessed again)."""
    if grid.kind != "text" or not grid.encoding:
        return None
    return None if grid.encoding.replace("-", "_").lower() in ("utf_8", "utf8") else grid.encoding


def _date_order(mapped: dict[str, Profile]) -> tuple[str, str]:
    """The date order the mapped date columns' cells settle, and a note saying how."""
    cells = [
        c
        for name in ("invoice_date", "due_date")
        if name in mapped
        for c in mapped[name].cells
        if c.strip()
    ]
    if not cells:
        return "iso", ""
    series = pd.Series(cells, dtype=object)
    found = parse.infer_date_order(series)
    words = {
        "dmy": _("dates are written day first (DD/MM/YYYY), as their cells show"),
        "mdy": _("dates are written month first (MM/DD/YYYY), as their cells show"),
    }
    if found is not None:
        return found, words[found]
    numeric = series.str.fullmatch(r"\s*\d{1,2}[./-]\d{1,2}[./-]\d{4}.*").any()
    if numeric:
        return "iso", _(
            "the dates do not show whether the day or the month comes first: set date_order "
            '("dmy" or "mdy"), or the dates that read both ways are reported'
        )
    return "iso", ""


def _decimal(mapped: dict[str, Profile], workbook: bool) -> str:
    """The decimal mark the mapped money cells settle ("." when they do not). In a workbook,
    cells that are numbers (``45500.5``, as arbook writes a number cell) say nothing about how
    the text cells are written, so only text cells count there."""
    cells = [c for n in ("amount", "face_amount") if n in mapped for c in mapped[n].cells]
    cells = [c for c in cells if c.strip() and not (workbook and _NUMBER_CELL.fullmatch(c))]
    series = pd.Series(cells, dtype=object)
    return (parse.decimal_of(series) if len(series) else None) or "."


def _report_date(grid: grids.Grid, header: int, date_order: str) -> str | None:
    """The date the title rows say the report is as of ("As of June 30, 2026", "на 30.06.2026",
    "a 30/06/2026"), as ISO text; None when they do not say."""
    words = vocabulary().report_words
    for line, cells in grid.head:
        if line >= header:
            break
        for cell in cells:
            key = f" {header_key(cell)} "
            if not any(f" {w} " in key for w in words):
                continue
            for found in _DATE_IN_TEXT.findall(cell):
                order = date_order if date_order != "iso" else "dmy"
                read = parse.parse_dates(pd.Series([found], dtype=object), order)
                if not read.bad[0]:
                    return pd.Timestamp(read.values.iloc[0]).strftime("%Y-%m-%d")
    return None
