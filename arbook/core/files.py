"""Writing files people keep: whole or not at all, and nothing a spreadsheet would run.

:func:`write_atomic` writes through a temporary file beside the target and a rename, so a reader
never sees half a file and a failure leaves the old file (or none). :func:`safe_text` is the one
rule against formula injection for every sheet and CSV arbook writes (the worklist, the contact
log's export); :func:`spreadsheet_csv` is the one way arbook writes a CSV people open in a
spreadsheet (``--format csv`` reports, the outbox register).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pandas as pd

#: A cell starting with one of these is run as a formula by spreadsheets (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text a spreadsheet will not run: a leading ``= + - @`` (or tab, CR) gets a ``'``."""
    return "'" + value if value.startswith(FORMULA_START) else value


def safe_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) went through :func:`safe_text`;
    numbers, dates, booleans and blanks are left as they are, so ``-1250`` stays a number."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype.kind == "O" or isinstance(
            out[name].dtype, pd.StringDtype | pd.CategoricalDtype
        ):
            out[name] = out[name].astype(object).map(_safe_cell)
    out.columns = pd.Index([_safe_cell(name) for name in out.columns])
    return out


def _safe_cell(value: object) -> object:
    return safe_text(value) if isinstance(value, str) else value


def spreadsheet_csv(frame: pd.DataFrame, *, header: bool = True) -> str:
    """``frame`` as CSV text (no index; ``header`` False leaves out the column names, to append
    rows) with every text cell made safe by :func:`safe_text`: the one writer of every CSV that
    people may open in a spreadsheet."""
    return safe_cells(frame).to_csv(index=False, header=header, lineterminator="\n")


def write_atomic(
    path: str | Path, data: str | bytes, *, check: Callable[[Path], object] | None = None
) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` through a temporary file in the same folder and
    a rename. ``check``, if given, is called with the temporary file before the rename (it
    raises to refuse the file: ``path`` is then left as it was). Returns ``path``."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    # created like any new file (the umask applies), never over an existing one
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        if check is not None:
            check(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
