"""Read ledger files into raw frames, stamping each row with its source file and line.

No business rules here: a raw frame is the file's cells (text for CSV/XLSX, typed for Parquet)
with lower-cased column names plus ``source_file`` and ``source_line`` (the file's line number,
header = 1; a sheet's row number). Problems that stop a file from being read at all come back as
issues, located as closely as the file allows; nothing here raises on a bad file.

A file is read by what it holds, not by its name: a CSV saved as ``.xlsx`` is read as CSV (with a
``file_type`` warning), a workbook named ``.csv`` as a workbook. Text files: :mod:`csvfile`;
workbooks: :mod:`sheets`; which file is which table: :mod:`folder`.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Collection, Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from arbook.core import csvfile, sheets
from arbook.core.errors import Issue, IssueCode, ReadWhole, shorten
from arbook.core.folder import SUFFIX_KINDS, SUFFIXES, TABLES, find_tables
from arbook.core.i18n import N_, _
from arbook.core.schemas import REQUIRED, normalise_name

__all__ = [
    "SOURCE_COLUMNS",
    "SUFFIXES",
    "TABLES",
    "find_tables",
    "normalise_name",
    "read_table",
]
SOURCE_COLUMNS = ["source_file", "source_line"]
PARQUET = b"PAR1"


def content_kind(head: bytes) -> str:
    if head.startswith((sheets.ZIP, sheets.OLE)):
        return "workbook"
    if head.startswith(PARQUET):
        return "parquet"
    return "text"


class Pieces:
    """A text table read in pieces (:func:`csvfile.read_pieces`; a Parquet table's batches in
    :class:`ParquetPieces`): iterating gives raw frames, each finished like a whole table (blank
    rows dropped, header checked); the header's issues, found on the way, gather in ``issues``,
    each once. Iterating may raise :class:`~arbook.core.errors.ReadWhole`: then read the file
    whole."""

    def __init__(self, path: Path, sep: str, names: list[str], label: str, quotes: bool) -> None:
        self.path, self.sep, self.names, self.label, self.quotes = path, sep, names, label, quotes
        self.issues: list[Issue] = []
        self._head: pd.DataFrame | None = None
        self._rest: Iterator[pd.DataFrame] | None = None

    def first(self) -> pd.DataFrame | None:
        """The first frame (None: none), read once: the next iteration starts from it rather
        than reading it again (what settles the decimal mark is looked for in it)."""
        if self._rest is None:
            self._rest = self._frames()
            self._head = next(self._rest, None)
        return self._head

    def __iter__(self) -> Iterator[pd.DataFrame]:
        if self._rest is None:
            yield from self._frames()
            return
        head, rest = self._head, self._rest
        self._head = self._rest = None  # handed on once; another iteration reads the file again
        if head is not None:
            yield head
        yield from rest

    def _frames(self) -> Iterator[pd.DataFrame]:
        seen: set[Issue] = set()
        yielded, empty = False, None
        for piece in self._pieces():
            frame, found = finish(piece, self.label)
            self.issues += [issue for issue in found if issue not in seen]
            seen.update(found)
            if len(frame):
                yielded = True
                yield frame
            elif empty is None:
                empty = frame
        if not yielded and empty is not None:
            yield empty  # a header and no rows: said once, as for a whole file

    def _pieces(self) -> Iterator[pd.DataFrame]:
        """The raw pieces, before :func:`finish`."""
        return csvfile.read_pieces(self.path, self.sep, self.names, self.label, quotes=self.quotes)


class ParquetPieces(Pieces):
    """A Parquet table read :data:`PARQUET_ROWS` rows at a time (its row groups decoded batch
    by batch), each batch made plain for pandas as :func:`_read_parquet` makes a whole table;
    the columns it leaves out are said once, in ``issues``."""

    def __init__(self, path: Path, label: str, rows: int) -> None:
        super().__init__(path, "", [], label, quotes=False)
        self.rows = rows

    def _pieces(self) -> Iterator[pd.DataFrame]:
        first = 2  # the file's first row, numbered as a text file's line after its header
        said = False
        try:
            with pq.ParquetFile(self.path) as handle:
                for batch in handle.iter_batches(batch_size=self.rows):
                    table = pa.Table.from_batches([batch])
                    frame, issues = _parquet_frame(table, self.label, first)
                    if not said:
                        self.issues += issues
                        said = True
                    first += batch.num_rows
                    yield frame
        except (pa.ArrowException, OSError) as exc:  # a page that does not decode, say:
            raise ReadWhole from exc  # read whole, where the reader says what is wrong


#: Parquet tables of more rows than this are read in pieces of this many (about what a
#: :data:`csvfile.PIECE` of CSV text holds)
PARQUET_ROWS = 1 << 18

#: A raw table: one frame, or a large text or Parquet file in pieces.
RawTable = pd.DataFrame | Pieces


def _read_text(
    path: Path, label: str, encoding: str | None, pieces: bool = False
) -> tuple[RawTable | None, list[Issue]]:
    """A text table: clean UTF-8 goes to Arrow straight from the file (memory: the table, not
    the file twice), in pieces when ``pieces`` and the file is larger than one; other encodings
    are decoded whole and go to Arrow as UTF-8; whatever Arrow would misread goes to the exact
    reader."""
    with open(path, "rb") as handle:
        head = handle.read(65536)
    if encoding is None and not head.startswith(csvfile.BOMS_NOT_UTF8):
        first = head.decode("utf-8-sig", errors="ignore")
        sep = csvfile.sniff_separator(csvfile.split_lines(first)[0] if first else "")
        names = csvfile.header_of(first, sep)
        found = csvfile.scan(path, sep)
        if found.utf8 and csvfile.plain_header(names) and not found.nul and not found.stray:
            if pieces and path.stat().st_size > csvfile.PIECE:
                return Pieces(path, sep, names, label, found.quotes), []
            fast = csvfile.read_fast(path, sep, names, label, quotes=found.quotes)
            if fast is not None:
                return fast
    data = path.read_bytes()
    try:
        decoded = csvfile.decode(data, label, encoding)
    except csvfile.EncodingError as exc:
        return None, [exc.issue]
    del data
    text = decoded.text.lstrip("\ufeff")
    sep = csvfile.sniff_separator(csvfile.split_lines(text[:65536])[0] if text else "")
    frame, issues = text_frame(text, label, sep)
    return frame, decoded.issues + issues


def text_frame(text: str, label: str, sep: str) -> tuple[pd.DataFrame, list[Issue]]:
    """Decoded CSV text (header on its first line) as a raw frame: Arrow's reader when the
    header is plain and no quote goes astray, else the exact reader."""
    names = csvfile.header_of(text, sep)
    if csvfile.plain_header(names) and "\x00" not in text:
        utf8 = text.encode("utf-8")
        quotes = b'"' in utf8
        if not (quotes and csvfile.has_stray_quote(utf8, sep)):
            fast = csvfile.read_fast(utf8, sep, names, label, quotes=quotes)
            if fast is not None:
                return fast
    rows = csvfile.read_exact(text, sep, label)
    return csvfile.rows_frame(rows), rows.issues


def _read_parquet(
    path: Path, label: str, pieces: bool = False
) -> tuple[pd.DataFrame | Pieces | None, list[Issue]]:
    """Parquet keeps its types, made plain for pandas: dates and timestamps as datetime64 days
    (a time zone's own wall-clock date, never shifted to UTC), decimals as Arrow decimals (read
    as exact numbers, never through a float or text), dictionaries as their values. With
    ``pieces``, a table of more than :data:`PARQUET_ROWS` rows comes back as
    :class:`ParquetPieces`."""
    if pieces:
        with pq.ParquetFile(path) as handle:
            rows = handle.metadata.num_rows
        if rows > PARQUET_ROWS:
            return ParquetPieces(path, label, PARQUET_ROWS), []
    return _parquet_frame(pq.read_table(path), label, 2)


def _parquet_frame(table: pa.Table, label: str, first: int) -> tuple[pd.DataFrame, list[Issue]]:
    """A Parquet table (or a batch of one) made plain for pandas (:func:`_read_parquet`), its
    rows numbered from ``first``."""
    columns = []
    issues: list[Issue] = []
    for field, column in zip(table.schema, table.columns):
        kind = field.type
        if pa.types.is_dictionary(kind):
            column = column.cast(kind.value_type)
            kind = kind.value_type
        if pa.types.is_timestamp(kind):
            if kind.tz is not None:
                column = pc.local_timestamp(column)
            column = pc.floor_temporal(column, unit="day").cast(pa.timestamp("s"))
        elif pa.types.is_date(kind):
            column = column.cast(pa.timestamp("s"))
        elif pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
            try:
                column = column.cast(pa.string())
            except pa.ArrowInvalid:
                said = _("the column {column} holds bytes that are not text; it is left out")
                issues.append(_cells_issue(label, field.name, said))
                continue
        elif pa.types.is_time(kind) or pa.types.is_duration(kind):
            column = column.cast(pa.string())
        elif pa.types.is_nested(kind):
            said = _("the column {column} holds {kind} values, not cells; it is left out")
            issues.append(_cells_issue(label, field.name, said, kind=str(kind)))
            continue
        columns.append((field.name, column))
    frame: pd.DataFrame = pa.table(
        [c for _, c in columns], names=[n for n, _ in columns]
    ).to_pandas(types_mapper=_decimals_as_arrow)
    frame["source_line"] = np.arange(first, len(frame) + first, dtype=np.int64)
    return frame, issues


def _decimals_as_arrow(kind: pa.DataType) -> pd.ArrowDtype | None:
    """Decimals stay Arrow decimals in pandas (not Python ``Decimal`` objects), which
    :func:`arbook.core.parse.parse_cents` reads exactly as numbers; the rest as pandas makes it."""
    return pd.ArrowDtype(kind) if pa.types.is_decimal(kind) else None


def _cells_issue(label: str, column: str, said: str, kind: str = "") -> Issue:
    """A Parquet column left out: ``said`` (translated) names the ``{column}`` and ``{kind}``."""
    return Issue(
        IssueCode.UNREADABLE_FILE,
        label,
        None,
        normalise_name(column),
        None,
        said.format(column=repr(column), kind=kind),
        _("Store it as text, numbers or dates."),
    )


def read_table(
    path: Path,
    label: str | None = None,
    table: str | None = None,
    *,
    encoding: str | None = None,
    required: Collection[str] | None = None,
    pieces: bool = False,
) -> tuple[RawTable | None, list[Issue]]:
    """Read one file into a raw frame; return ``(frame or None, issues)``.

    ``label`` is how the file is named in messages (default: the path as given); ``table`` what
    it holds (default: its name), which decides how grave an empty file is and which sheets of a
    workbook are its (those with ``required`` columns; default: the table's). ``encoding``
    overrides the text encoding found. Fully blank rows (empty lines) are dropped: they hold
    nothing to lose. None comes back when the file cannot be read as a table at all, with the
    reason as an issue. ``pieces`` lets a large UTF-8 text file or Parquet table come back as
    :class:`Pieces`, to be checked a piece at a time.
    """
    label = label or str(path)
    table = table or path.stem.lower()
    problem = _unreachable(path)
    if problem:
        return None, [file_issue(IssueCode.UNREADABLE_FILE, label, *problem)]
    kind = SUFFIX_KINDS.get(path.suffix.lower())
    if kind is None:
        return None, [
            file_issue(
                IssueCode.UNREADABLE_FILE,
                label,
                _("{suffix} files are not read").format(suffix=path.suffix),
                _("Save it as .csv, .xlsx or .parquet."),
            )
        ]
    if path.stat().st_size == 0:
        code = IssueCode.NO_INVOICES if table == "invoices" else IssueCode.EMPTY_FILE
        return None, [
            file_issue(
                code,
                label,
                _("the file is empty, not even a header"),
                _("Export it again with its header row."),
            )
        ]
    with open(path, "rb") as handle:
        content = content_kind(handle.read(8))
    issues: list[Issue] = []
    if content != kind:
        issues.append(
            file_issue(
                IssueCode.FILE_TYPE,
                label,
                _(_KIND_WORDS[content]).format(suffix=path.suffix),
                _("Rename it with the suffix of what it is ({suffix}).").format(
                    suffix=_KIND_SUFFIX[content]
                ),
            )
        )
    try:
        if content == "text":
            text, found = _read_text(path, label, encoding, pieces)
            if isinstance(text, Pieces):
                return text, issues + found
            frame = text
        elif content == "parquet":
            read, found = _read_parquet(path, label, pieces)
            if isinstance(read, Pieces):
                return read, issues + found
            frame = read
        else:
            frames, found = sheets.read_workbook(
                path, label, REQUIRED.get(table, ()) if required is None else required
            )
            if frames:  # each sheet finished on its own, in _stack
                frame, more = _stack(frames)
                return frame, issues + found + more
            frame = None
            found.append(
                file_issue(
                    IssueCode.NO_INVOICES if table == "invoices" else IssueCode.EMPTY_FILE,
                    label,
                    _("the workbook has no cells, not even a header"),
                    _("Export it again with its header row."),
                )
            )
    except sheets.WorkbookError as exc:
        return None, issues + [exc.issue]
    except (pa.ArrowException, OSError, ValueError) as exc:  # Parquet's reader
        return None, issues + [
            file_issue(
                IssueCode.UNREADABLE_FILE,
                label,
                _("cannot be read as a Parquet table ({reason})").format(
                    reason=shorten(str(exc), 80)
                ),
                _("Write it again (pandas: DataFrame.to_parquet), or export it as CSV."),
            )
        ]
    issues += found
    if frame is None:
        return None, issues
    frame, more = finish(frame, label)
    return frame, issues + more


#: what a file named for another kind holds, said whole (``{suffix}`` is its name's)
_KIND_WORDS = {
    "text": N_("named {suffix} but holds text (CSV); read as that"),
    "workbook": N_("named {suffix} but holds an Excel workbook; read as that"),
    "parquet": N_("named {suffix} but holds a Parquet table; read as that"),
}
_KIND_SUFFIX = {"text": ".csv", "workbook": ".xlsx", "parquet": ".parquet"}


def _unreachable(path: Path) -> tuple[str, str] | None:
    """Why ``path`` cannot be opened (a dangling link, a link loop, a folder), or None."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _("is a link that leads back to itself"), _("Replace the link with the file.")
        if path.is_symlink():
            target = os.readlink(path)
            return (
                _("is a link to {target}, which does not exist").format(target=target),
                _("Put the file itself here."),
            )
        if exc.errno == errno.EACCES:
            return _("cannot be opened: permission denied"), _("Make the file readable to you.")
        return (
            _("cannot be opened ({reason})").format(reason=exc.strerror),
            _("Check the file and read it again."),
        )
    if path.is_dir():
        return _("is a folder, not a file"), _("Put the table's file here under this name.")
    if not os.access(path, os.R_OK):
        return _("cannot be opened: permission denied"), _("Make the file readable to you.")
    return None


def unreadable(path: Path, label: str) -> Issue | None:
    """Why the file at ``path`` cannot be read at all (unreachable, empty), or None."""
    problem = _unreachable(path)
    if problem:
        return file_issue(IssueCode.UNREADABLE_FILE, label, *problem)
    if path.stat().st_size == 0:
        return file_issue(
            IssueCode.UNREADABLE_FILE,
            label,
            _("the file is empty, not even a header"),
            _("Export it again from the accounting system."),
        )
    return None


def _stack(frames: list[pd.DataFrame]) -> tuple[pd.DataFrame, list[Issue]]:
    """The sheets read as one table, each finished on its own (so a sheet's header problems are
    named in it) and located in it: a row keeps the sheet it came from."""
    finished = [finish(frame, frame.attrs["label"]) for frame in frames]
    issues = [issue for _, found in finished for issue in found]
    if len(finished) == 1:
        return finished[0][0], issues
    labels = [frame.attrs["label"] for frame, _ in finished]
    stacked = pd.concat([frame for frame, _ in finished], ignore_index=True)
    text = [c for c in stacked.columns if c not in SOURCE_COLUMNS and c != "_extra_cells"]
    stacked[text] = stacked[text].fillna("")  # a column one sheet lacks: blank cells there
    stacked["source_file"] = pd.Categorical(stacked["source_file"].astype("str"), categories=labels)
    stacked.attrs["label"] = labels[0].rsplit(" [", 1)[0]
    return stacked, issues


def table_from_frame(frame: pd.DataFrame, label: str) -> tuple[pd.DataFrame, list[Issue]]:
    """A caller's DataFrame as a raw frame: rows numbered as if read from a file with a header."""
    frame = frame.reset_index(drop=True).copy()
    frame["source_line"] = np.arange(2, len(frame) + 2, dtype=np.int64)
    return finish(frame, label)


#: blank rows within this many of the last are dropped without copying the rows above them
TAIL_ROWS = 1000


def finish(frame: pd.DataFrame, label: str) -> tuple[pd.DataFrame, list[Issue]]:
    issues: list[Issue] = []
    names = [normalise_name(c) for c in frame.columns]
    for position, (original, name) in enumerate(zip(list(frame.columns), names), start=1):
        if name == "" and original != "source_line":
            column = frame.iloc[:, position - 1]
            names[position - 1] = f"column_{position}"
            if not np.all(csv_blank(column)):
                issues.append(
                    file_issue(
                        IssueCode.UNNAMED_COLUMN,
                        label,
                        _(
                            "column {position} has cells but no name in the header; it is not read"
                        ).format(position=position),
                        _(
                            "Give it a name in the header row, or delete it if it only numbers "
                            "the rows."
                        ),
                        column=f"column_{position}",
                    )
                )
    seen: dict[str, object] = {}
    for original, name in zip(frame.columns, names):
        if name in seen and name != "source_line":
            issues.append(
                file_issue(
                    IssueCode.DUPLICATE_COLUMN,
                    label,
                    _("the columns {first} and {second} are both {name}; the first is used").format(
                        first=repr(shorten(str(seen[name]))),
                        second=repr(shorten(str(original))),
                        name=repr(shorten(name)),
                    ),
                    _("Delete or rename one of them."),
                    column=name,
                )
            )
        seen.setdefault(name, original)
    frame.columns = names
    frame = frame.loc[:, ~frame.columns.duplicated()]
    data_columns = [c for c in frame.columns if c not in ("source_line", "_extra_cells")]
    if data_columns and len(frame):
        # Each column narrows the rows still blank (a report's first column is blank on most).
        candidates = np.flatnonzero(csv_blank(frame[data_columns[0]]))
        for name in data_columns[1:]:
            if not len(candidates):
                break
            candidates = candidates[csv_blank(frame[name].iloc[candidates])]
        if len(candidates) and len(frame) - candidates[0] <= TAIL_ROWS:
            # blank rows only in a report's last rows: the rows above them kept as a slice,
            # not copied (a report's blank line before its footer)
            first = int(candidates[0])
            tail = frame.iloc[first:].drop(index=frame.index[candidates])
            frame = pd.concat([frame.iloc[:first], tail]) if len(tail) else frame.iloc[:first]
        elif len(candidates):
            frame = frame.drop(index=frame.index[candidates])
    codes = np.zeros(len(frame), dtype=np.int8)
    categories = [label]
    # pandas-stubs want an Index of categories; pandas takes any list-like
    source = pd.Categorical.from_codes(codes, categories=categories)  # type: ignore[call-overload]
    frame.insert(0, "source_file", source)
    frame = frame.reset_index(drop=True)
    frame.attrs["label"] = label
    return frame, issues


def csv_blank(column: pd.Series) -> npt.NDArray[np.bool_]:
    """True where a raw cell holds nothing (missing, empty or spaces)."""
    if column.dtype.kind in "iufMmb":
        return column.isna().to_numpy()
    return (column.isna() | (column.astype("str").str.strip() == "")).to_numpy(dtype=bool)


def file_issue(
    code: IssueCode, label: str, message: str, hint: str, column: str | None = None
) -> Issue:
    return Issue(code, label, None, column, None, message, hint)
