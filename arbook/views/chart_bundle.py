"""The dashboard's charts offline without vl-convert in the kernel.

``alt.JupyterChart`` draws with a JavaScript module; offline, Altair has vl-convert bundle the
module with its Vega libraries (``JupyterChart.enable_offline()``). Loading vl-convert puts its
JavaScript engine in the process: about 140 MB of every dashboard kernel's memory, for a text
that is the same for a given Altair and vl-convert. So the bundle is made once, in a child
process, and kept in the user's cache folder (``platformdirs.user_cache_dir("arbook")``:
``~/.cache/arbook`` on Linux, or under ``$XDG_CACHE_HOME``), named by both versions; a kernel
reads the file. ``python -m arbook.views.chart_bundle PATH`` writes it.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import altair as alt
import platformdirs

log = logging.getLogger(__name__)


def bundle_path() -> Path:
    """Where the bundle for the installed Altair and vl-convert is kept."""
    folder = Path(platformdirs.user_cache_dir("arbook", appauthor=False))
    name = f"jupyterchart-altair-{alt.__version__}-vl-convert-{version('vl-convert-python')}.js"
    return folder / name


def enable_offline() -> None:
    """``alt.JupyterChart.enable_offline()`` from the cached bundle (made first if missing).
    Where the child process cannot make it, Altair's own call makes it in this process (the
    charts still draw offline; the kernel is larger) and the reason is logged."""
    if alt.JupyterChart._is_offline:
        return
    path = bundle_path()
    if not path.exists():
        made = subprocess.run(
            [sys.executable, "-m", __name__, str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if made.returncode != 0:
            log.warning("chart bundle not cached (%s); made in this process", made.stderr.strip())
            alt.JupyterChart.enable_offline()
            return
    alt.JupyterChart._esm = path.read_text(encoding="utf-8")
    alt.JupyterChart._is_offline = True


def write_bundle(path: Path) -> None:
    """Make the bundle with Altair's own call and write it to ``path`` whole (a temporary file
    beside it, then renamed: a kernel reading at the same time never sees half a file)."""
    alt.JupyterChart.enable_offline()
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    scratch.write_text(alt.JupyterChart._esm, encoding="utf-8")
    os.replace(scratch, path)


if __name__ == "__main__":
    write_bundle(Path(sys.argv[1]))
