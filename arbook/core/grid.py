"""A file as rows of cells, before anyone knows where its header is.

Exports from accounting systems are reports, not tables: title rows, a header on line 5, section
and total rows, a footer. A :class:`Grid` holds a file's first rows as text cells (for recognising
its layout and finding its header) and reads everything below a chosen header row as a raw frame,
through the same readers as arbook's own files (:mod:`csvfile`, :mod:`sheets`): rows keep the
file's line numbers (a sheet's row numbers), blank rows are dropped, column names are normalised.

Text files are decoded as :mod:`csvfile` decodes them (a byte-order mark, UTF-8, else the likeliest
legacy encoding, reported); the separator is the one that splits the first rows most consistently.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from arbook.core import csvfile, sheets
from arbook.core.errors import Issue, IssueCode
from arbook.core.i18n import N_, _
from arbook.core.schemas import normalise_name

#: rows read to recognise a layout and find its header
HEAD_ROWS = 60
#: characters of a text file looked at for the separator
SNIFF_CHARS = 1 << 16

#: how a text file's cells are separated, in words marked for the catalogue (see :func:`separated`)
SEPARATED = {
    ",": N_("comma-separated"),
    ";": N_("semicolon-separated"),
    "\t": N_("tab-separated"),
    "|": N_("bar-separated"),
}


def separated(separator: str | None) -> str:
    """How cells split by ``separator`` are separated, in the language spoken now
    ("comma-separated"; None: a comma)."""
    said = SEPARATED.get(separator or ",")
    if said is not None:
        return _(said)
    return _("{separator}-separated").format(separator=repr(separator))


class GridError(Exception):
    """The file cannot be read as rows at all; ``issue`` says why."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


@dataclass
class Grid:
    """A file's rows of text cells. ``head`` is the first :data:`HEAD_ROWS` rows as ``(line,
    cells)``, blank rows included (a blank row is a list of empty cells); ``kind`` is "text" or
    "workbook"; ``encoding``/``separator`` what a text file was read with; ``sheet`` the sheet a
    workbook's rows come from; ``issues`` what reading found (a guessed encoding...)."""

    path: Path
    label: str
    kind: str
    head: list[tuple[int, list[str]]]
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    issues: list[Issue] = field(default_factory=list)
    _text: str | None = None
    _rows: list[tuple[int, list[str]]] | None = None
    #: a UTF-8 file's bytes (no byte-order mark): its table is read from them as they are
    _utf8: bytes | None = None

    def find_row(self, names: Collection[str], *, within: int = HEAD_ROWS) -> int | None:
        """The line of the first row whose cells include every one of ``names`` (compared as
        normalised column names: case, spaces and punctuation aside), or None."""
        wanted = {normalise_name(n) for n in names}
        for line, cells in self.head[:within]:
            if wanted <= {normalise_name(c) for c in cells}:
                return line
        return None

    def cells(self) -> list[tuple[int, list[str]]]:
        """Every row, as ``(line, cells)`` (blank rows included). Workbooks only hold their rows;
        a text file is split here (use :meth:`table` for a large one)."""
        if self._rows is not None:
            return self._rows
        if self._text is None:  # a UTF-8 file is decoded whole only when it is wanted whole
            assert self._utf8 is not None
            self._text = self._utf8.decode("utf-8")
        return list(_text_rows(self._text, self.separator or ","))

    def table(self, header: int) -> tuple[pd.DataFrame, list[Issue]]:
        """Every row below the header on line ``header`` as a raw frame (see :mod:`load`):
        text cells under normalised names, ``source_file``/``source_line``, blank rows dropped,
        rows shorter than the header padded; problems as issues (an unnamed column with cells,
        two columns with one name, an unclosed quote...)."""
        from arbook.core import load  # load reads grids for presets: imported late

        if self._rows is not None:
            rows = [(n, c) for n, c in self._rows if n >= header]
            frame = sheets.frame_of(iter(rows), self.label, self.sheet or "")
            if frame is None:  # pragma: no cover - the header row itself has cells
                frame = pd.DataFrame({"source_line": pd.Series([], dtype=np.int64)})
            return load.finish(_named(frame), self.label)
        if self._utf8 is not None:
            data = self._utf8[_offset(self._utf8, header) :]
        else:
            assert self._text is not None
            data = self._text[_offset(self._text, header) :].encode("utf-8")
        frame, issues = _text_frame(data, self.label, self.separator or ",")
        frame["source_line"] = frame["source_line"] + (header - 1)
        issues = [i if i.source_line is None else _moved(i, header - 1) for i in issues]
        frame, more = load.finish(frame, self.label)
        return frame, issues + more


_LINE_END = re.compile(r"\r\n|\r|\n")
_LINE_END_BYTES = re.compile(rb"\r\n|\r|\n")


def _offset(text: str | bytes, line: int) -> int:
    """Where line ``line`` (1-based) of ``text`` starts."""
    at = 0
    for _line in range(line - 1):
        found = (
            _LINE_END.search(text, at)
            if isinstance(text, str)
            else _LINE_END_BYTES.search(text, at)
        )
        if found is None:
            return len(text)
        at = found.end()
    return at


def _text_frame(utf8: bytes, label: str, sep: str) -> tuple[pd.DataFrame, list[Issue]]:
    """UTF-8 text whose first line is the header as a raw frame; blank names are named
    (:func:`_named`) before Arrow's reader takes the rows, so it still can."""
    from arbook.core import load

    head = utf8[: 1 << 16].decode("utf-8", errors="ignore")  # a character cut at the end aside
    names = csvfile.header_of(head, sep)
    named = [n if n.strip() else f"column_{i}" for i, n in enumerate(names, start=1)]
    if csvfile.plain_header(named) and b"\x00" not in utf8:  # read from the bytes as they are
        quotes = b'"' in utf8
        if not (quotes and csvfile.has_stray_quote(utf8, sep)):
            renamed = named != names
            fast = csvfile.read_fast(utf8, sep, named, label, quotes=quotes, renamed=renamed)
            if fast is not None:
                return fast
    frame, issues = load.text_frame(utf8.decode("utf-8"), label, sep)
    return _named(frame), issues


def _named(frame: pd.DataFrame) -> pd.DataFrame:
    """Blank header names as ``column_N`` (N = the column's place), as a report's layout leaves
    them (section and spacer columns): the preset knows what they hold, so they are not reported
    as unnamed columns."""
    names = [
        f"column_{i}" if isinstance(n, str) and not n.strip() else n
        for i, n in enumerate(frame.columns, start=1)
    ]
    frame.columns = pd.Index(names)
    return frame


def _moved(issue: Issue, by: int) -> Issue:
    return replace(issue, source_line=(issue.source_line or 0) + by)


def read_grid(path: Path, label: str | None = None, encoding: str | None = None) -> Grid:
    """Read ``path`` (CSV text or an Excel workbook) as a :class:`Grid`; raise
    :class:`GridError` when it cannot be read at all."""
    from arbook.core import load

    label = label or str(path)
    problem = load.unreadable(path, label)
    if problem is not None:
        raise GridError(problem)
    with open(path, "rb") as handle:
        kind = load.content_kind(handle.read(8))
    if kind == "workbook":
        try:
            title, rows, issues = sheets.first_sheet(path, label)
        except sheets.WorkbookError as exc:
            raise GridError(exc.issue) from None
        return Grid(
            path, label, "workbook", rows[:HEAD_ROWS], sheet=title, issues=issues, _rows=rows
        )
    if kind != "text":
        raise GridError(
            load.file_issue(
                IssueCode.UNREADABLE_FILE,
                label,
                _("is a Parquet table, not an export with a layout to recognise"),
                _("Read it as arbook's own invoices file (a folder holding invoices.parquet)."),
            )
        )
    data = path.read_bytes()
    text: str | None = None  # decoded whole only when it must be
    if encoding is None and _plain_utf8(data):  # what decode reads as UTF-8, found undecoded
        codec, issues = "utf_8", []
        # as many characters as the sniff looks at (each is at most four bytes)
        start = data[: 4 * SNIFF_CHARS].decode("utf-8", errors="ignore")[:SNIFF_CHARS]
    else:
        try:
            decoded = csvfile.decode(data, label, encoding)
        except csvfile.EncodingError as exc:
            raise GridError(exc.issue) from None
        codec, issues = decoded.encoding, decoded.issues
        text = decoded.text.lstrip("\ufeff")
        start = text[:SNIFF_CHARS]
    utf8 = None  # the bytes themselves, when they are the text's UTF-8
    if codec == "utf_8":
        utf8 = data
    elif codec == "utf-8-sig":
        utf8 = data[len(codecs.BOM_UTF8) :]
    sep = sniff(start)
    head = []
    for row in _text_rows(start, sep):
        head.append(row)
        if len(head) >= HEAD_ROWS:
            break
    return Grid(
        path,
        label,
        "text",
        head,
        encoding=codec,
        separator=sep,
        issues=issues,
        _text=text,
        _utf8=utf8,
    )


def _plain_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 without a byte-order mark (what :func:`csvfile.decode` reads
    as "utf_8", no guess made), told without decoding it: a large export's text is read from
    its bytes, and only its first rows are decoded. Arrow's check of the bytes is the strict
    decoder's (overlong forms, surrogates and code points past U+10FFFF refused)."""
    if any(data.startswith(bom) for bom, _ in csvfile.BOMS):
        return False
    if data.isascii():
        return True
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    cells = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        cells.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def sniff(text: str) -> str:
    """The separator of a text file's first rows: of those its lines hold, the one whose
    count of cells repeats on most lines (title rows of one cell do not count), ties to the
    first of , ; tab |."""
    lines = [line for line in csvfile.split_lines(text)[:HEAD_ROWS] if line.strip()]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # maybe cut short by the sniff's window
    best, best_score = ",", 0
    for sep in csvfile.SEPARATORS:
        widths: dict[int, int] = {}
        for _line, cells in _text_rows("".join(lines), sep):
            if len(cells) > 1:
                widths[len(cells)] = widths.get(len(cells), 0) + 1
        score = max(widths.values(), default=0)
        if score > best_score:
            best, best_score = sep, score
    return best


def _text_rows(text: str, sep: str) -> list[tuple[int, list[str]]]:
    """Rows of CSV text with the line each begins on; lenient about quotes (the layout is being
    found, not checked: :meth:`Grid.table` reads the rows that count with the checking reader)."""
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            break
        rows.append((line, cells))
        line = reader.line_num + 1
    return rows
