"""Read ledger files into raw frames, stamping each row with its source file and line.

No business rules here: a raw frame is the file's cells (text for CSV/XLSX, typed for Parquet)
with lower-cased column names plus ``source_file`` and ``source_line`` (the file's line number,
header = 1). Problems that stop a file from being read at all come back as issues.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from arbook.core.errors import DataError, Issue, IssueCode

TABLES = ("invoices", "payments", "customers", "rates")
SUFFIXES = (".csv", ".txt", ".xlsx", ".parquet")
SOURCE_COLUMNS = ["source_file", "source_line"]


def normalise_name(name: object) -> str:
    """Column names are case-insensitive: ``Invoice ID`` and ``invoice_id`` are the same."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lstrip("\ufeff").strip().lower())


def find_tables(folder: Path) -> dict[str, Path]:
    """Return ``{table: path}`` for the ledger files present in ``folder``.

    Raises :class:`DataError` when the folder is missing, has no invoices file, or holds two files
    for one table (``invoices.csv`` and ``invoices.xlsx``): which one is meant cannot be guessed.
    """
    if folder.is_file():
        raise DataError(
            f"{folder} is a file; give the folder holding invoices.csv, or read this "
            "one file with a preset (--preset ibm)."
        )
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder. Give the folder holding invoices.csv.")
    found: dict[str, Path] = {}
    for table in TABLES:
        paths = sorted(
            p for p in folder.iterdir() if p.stem.lower() == table and p.suffix.lower() in SUFFIXES
        )
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            raise DataError(f"{folder}: {names} are all {table}; keep one of them.")
        if paths:
            found[table] = paths[0]
    if "invoices" not in found:
        raise DataError(
            f"{folder}: no invoices file. Put invoices.csv (or .xlsx, .parquet) in the folder, "
            "with columns invoice_id, customer_id, invoice_date, amount."
        )
    return found


def _sniff_separator(head: str) -> str:
    header = head.splitlines()[0] if head else ""
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _read_csv(path: Path) -> pd.DataFrame:
    with open(path, "rb") as handle:
        head = handle.read(65536).decode("utf-8", errors="replace")
    sep = _sniff_separator(head)
    header = next(csv.reader([head.splitlines()[0] if head else ""], delimiter=sep), [])
    if len(set(header)) == len(header):
        try:
            return _read_csv_arrow(path, sep, header)
        except pa.ArrowInvalid:
            pass  # a malformed row or bad bytes: the readers below say exactly where
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            na_values=[],
            skip_blank_lines=False,
            encoding="utf-8-sig",
            sep=sep,
            engine="c",
        )
    except pd.errors.ParserError:
        # A row with too many cells: read it again row by row to say exactly where.
        return _read_csv_rows(path, sep)
    frame["source_line"] = np.arange(2, len(frame) + 2, dtype=np.int64)
    return frame


def _read_csv_arrow(path: Path, sep: str, header: list[str]) -> pd.DataFrame:
    """Fast path (multi-threaded arrow reader) for well-formed files: every cell as text, blank
    cells as empty text, one row per line so the line number is the row number + 2."""
    table = pacsv.read_csv(
        path,
        # Blank lines are kept (a one-cell row fails the column count and falls back to the
        # reader below), so the row number + 2 is always the line number.
        parse_options=pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header}, strings_can_be_null=False
        ),
    )
    frame: pd.DataFrame = table.to_pandas()
    frame["source_line"] = np.arange(2, len(frame) + 2, dtype=np.int64)
    return frame


def _read_csv_rows(path: Path, sep: str) -> pd.DataFrame:
    """Slow reader for malformed files; rows with extra cells become ``_extra_cells``."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=sep)
        header = next(reader)
        rows: list[list[str]] = []
        lines: list[int] = []
        extra: list[str] = []
        line = reader.line_num
        for row in reader:
            lines.append(line + 1)
            line = reader.line_num
            extra.append(sep.join(row[len(header) :]) if len(row) > len(header) else "")
            rows.append((row + [""] * len(header))[: len(header)])
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    frame["_extra_cells"] = pd.Series(extra, dtype="str")
    frame["source_line"] = np.asarray(lines, dtype=np.int64)
    return frame


def _read_excel(path: Path) -> pd.DataFrame:
    frame = pd.read_excel(path, dtype=str, engine="openpyxl", sheet_name=0)
    frame["source_line"] = frame.index.to_numpy(dtype=np.int64) + 2
    return frame


def _read_parquet(path: Path) -> pd.DataFrame:
    """Parquet keeps its types, made plain for pandas: dates as datetime64, decimals as their
    exact text (so money is parsed like a CSV cell, never through a float)."""
    table = pq.read_table(path)
    columns = []
    for field, column in zip(table.schema, table.columns):
        if pa.types.is_date(field.type):
            column = column.cast(pa.timestamp("s"))
        elif pa.types.is_decimal(field.type):
            column = column.cast(pa.string())
        columns.append(column)
    frame: pd.DataFrame = pa.table(columns, names=table.column_names).to_pandas()
    frame["source_line"] = np.arange(2, len(frame) + 2, dtype=np.int64)
    return frame


READERS = {".csv": _read_csv, ".txt": _read_csv, ".xlsx": _read_excel, ".parquet": _read_parquet}


def read_table(
    path: Path,
    label: str | None = None,
    table: str | None = None,
) -> tuple[pd.DataFrame | None, list[Issue]]:
    """Read one file into a raw frame; return ``(frame or None, issues)``.

    ``label`` is how the file is named in messages (default: the path as given); ``table`` what
    it holds (default: its name), which decides how grave an empty file is. Fully blank rows
    (empty lines) are dropped: they hold nothing to lose. None comes back when the file cannot be
    read as a table at all, with the reason as an issue.
    """
    label = label or str(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return None, [
            _file_issue(
                IssueCode.UNREADABLE_FILE,
                label,
                f"{path.suffix} files are not read",
                "Save it as .csv, .xlsx or .parquet.",
            )
        ]
    if path.stat().st_size == 0:
        code = (
            IssueCode.NO_INVOICES
            if (table or path.stem.lower()) == "invoices"
            else IssueCode.EMPTY_FILE
        )
        return None, [
            _file_issue(
                code,
                label,
                "the file is empty, not even a header",
                "Export it again with its header row.",
            )
        ]
    try:
        frame = reader(path)
    except UnicodeDecodeError:
        return None, [_encoding_issue(path, label)]
    except (ValueError, OSError, pd.errors.ParserError, KeyError) as exc:
        return None, [
            _file_issue(
                IssueCode.UNREADABLE_FILE,
                label,
                f"cannot be read as a table: {exc}",
                "Check that it is a plain table with one header row.",
            )
        ]
    return _finish(frame, label)


def table_from_frame(frame: pd.DataFrame, label: str) -> tuple[pd.DataFrame, list[Issue]]:
    """A caller's DataFrame as a raw frame: rows numbered as if read from a file with a header."""
    frame = frame.reset_index(drop=True).copy()
    frame["source_line"] = np.arange(2, len(frame) + 2, dtype=np.int64)
    return _finish(frame, label)


def _finish(frame: pd.DataFrame, label: str) -> tuple[pd.DataFrame, list[Issue]]:
    issues: list[Issue] = []
    names = [normalise_name(c) for c in frame.columns]
    seen: dict[str, object] = {}
    for original, name in zip(frame.columns, names):
        if name in seen and name != "source_line":
            issues.append(
                _file_issue(
                    IssueCode.DUPLICATE_COLUMN,
                    label,
                    f"the columns {seen[name]!r} and {original!r} are both {name!r}; "
                    "the first is used",
                    "Delete or rename one of them.",
                    column=name,
                )
            )
        seen.setdefault(name, original)
    frame.columns = names
    frame = frame.loc[:, ~frame.columns.duplicated()]
    data_columns = [c for c in frame.columns if c not in ("source_line", "_extra_cells")]
    if data_columns and len(frame):
        # Only rows whose first cell is blank can be blank lines: check just those, cheaply.
        first = frame[data_columns[0]]
        candidates = np.flatnonzero(
            first.isna().to_numpy() | (first.astype("str").str.strip() == "")
        )
        if len(candidates):
            cells = frame.iloc[candidates][data_columns].astype("str")
            empty = (cells.isna() | cells.apply(lambda col: col.str.strip() == "")).all(axis=1)
            frame = frame.drop(index=frame.index[candidates[empty.to_numpy()]])
    codes = np.zeros(len(frame), dtype=np.int8)
    # pandas-stubs want an Index of categories; pandas takes any list-like
    source = pd.Categorical.from_codes(codes, categories=[label])  # type: ignore[call-overload]
    frame.insert(0, "source_file", source)
    frame = frame.reset_index(drop=True)
    frame.attrs["label"] = label
    return frame, issues


def _encoding_issue(path: Path, label: str) -> Issue:
    """Locate the first byte that is not UTF-8 (line and column) so the user can find it."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        at = 0
    except UnicodeDecodeError as exc:
        at = exc.start
    line = data.count(b"\n", 0, at) + 1
    column = at - (data.rfind(b"\n", 0, at) + 1) + 1
    return Issue(
        IssueCode.UNREADABLE_FILE,
        label,
        line,
        None,
        f"0x{data[at]:02x}",
        f"not UTF-8 text: byte 0x{data[at]:02x} at column {column} cannot be read",
        "Save the file as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8).",
    )


def _file_issue(
    code: IssueCode, label: str, message: str, hint: str, column: str | None = None
) -> Issue:
    return Issue(code, label, None, column, None, message, hint)
