"""When arbook itself fails: one line for the user, the details in a file.

An exception that is not one of arbook's own (:class:`~arbook.core.errors.ArbookError`) is a bug
in arbook, whatever the input. The user gets one line saying so and naming the file that holds
the traceback (``crash-<UTC time>-<id>.log`` in ``$ARBOOK_CRASH_DIR``, else the user's cache
folder: ``~/.cache/arbook`` on Linux, ``~/Library/Caches/arbook`` on macOS,
``%LOCALAPPDATA%\\arbook\\Cache`` on Windows), and the exit code :data:`INTERNAL`. The terminal
never sees a traceback, and a terminal that cannot show a character gets its escape instead.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from importlib import metadata
from pathlib import Path

from arbook.cli.common import INTERNAL, say
from arbook.core.i18n import _

#: The environment variable naming the folder for crash logs (the default: the cache folder).
CRASH_DIR = "ARBOOK_CRASH_DIR"


def crash_dir() -> Path:
    """Where crash logs go: ``$ARBOOK_CRASH_DIR`` if set, else the user's cache folder for
    arbook (platformdirs' ``user_cache_dir``)."""
    if os.environ.get(CRASH_DIR):
        return Path(os.environ[CRASH_DIR])
    import platformdirs

    return Path(platformdirs.user_cache_dir("arbook", appauthor=False))


def _version() -> str:
    try:
        return metadata.version("arbook")
    except metadata.PackageNotFoundError:
        return "not installed"


def write_crash_log(exc: BaseException, argv: list[str] | None) -> Path:
    """Write what happened (the command line, versions, the traceback) to a new file in
    :func:`crash_dir`; return its path. Raises OSError when the file cannot be written."""
    folder = crash_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    fd, name = tempfile.mkstemp(prefix=f"crash-{stamp}-", suffix=".log", dir=folder)
    words = sys.argv[1:] if argv is None else [str(a) for a in argv]
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
        handle.write(
            f"arbook {_version()} on Python {platform.python_version()}, {platform.platform()}\n"
            f"time (UTC): {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())}\n"
            f"command: arbook {' '.join(words)}\n\n" + "".join(traceback.format_exception(exc))
        )
    return Path(name)


def internal_error(command: str, exc: BaseException, argv: list[str] | None) -> int:
    """Tell the user in one line that ``command`` hit an internal error and where its details
    were written (or why they could not be); return :data:`INTERNAL`."""
    try:
        said = _(
            "{command}: internal error ({error}): a bug in arbook, not a problem you can fix in "
            "your data; the details are in {path}; please send that file with a note of what "
            "you ran."
        ).format(command=command, error=type(exc).__name__, path=write_crash_log(exc, argv))
    except Exception as failure:  # noqa: BLE001 - said on the one line below
        said = _(
            "{command}: internal error ({error}): a bug in arbook, not a problem you can fix in "
            "your data; the details could not be saved ({failure}) with a note of what you ran."
        ).format(
            command=command,
            error=type(exc).__name__,
            failure=f"{type(failure).__name__}: {failure}",
        )
    say(said, err=True)
    return INTERNAL


def tolerant_streams() -> None:
    """Make stdout and stderr show a character they cannot encode as its escape (a Cyrillic
    name on a Latin-1 console) instead of failing with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
