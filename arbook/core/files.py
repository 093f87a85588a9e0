"""Writing files people keep: whole or not at all, and nothing a spreadsheet would run.

:func:`write_atomic` writes through a temporary file beside the target and a rename, so a reader
never sees half a file and a failure leaves the old file (or none). :func:`safe_text` is the one
rule against formula injection for every sheet and CSV arbook writes (the worklist, the contact
log's export).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

#: A cell starting with one of these is run as a formula by spreadsheets (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text a spreadsheet will not run: a leading ``= + - @`` (or tab, CR) gets a ``'``."""
    return "'" + value if value.startswith(FORMULA_START) else value


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
