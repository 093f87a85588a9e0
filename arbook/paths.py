"""Where arbook's own files are: the notebooks that travel inside the package, and the sample
ledger used when no data folder is given."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from arbook.errors import ParameterError

NOTEBOOKS = ("dashboard", "monthly_review", "walkthrough")


def notebook_path(name: str) -> Path:
    """The packaged notebook ``name`` (``dashboard``, ``monthly_review``, ``walkthrough``).
    In a checkout ``notebooks/`` links to the same files, so there is one copy of each."""
    stem = name.removesuffix(".ipynb")
    path = Path(str(resources.files("arbook").joinpath("notebooks", f"{stem}.ipynb")))
    if not path.is_file():
        raise ParameterError(f"no notebook {stem!r} in arbook; the notebooks are "
                             f"{', '.join(NOTEBOOKS)}")
    return path


def sample_folder() -> Path:
    """The sample ledger: ``data/sample`` under the current folder when there is one (a
    checkout), else a copy generated once (seed 0) in the user's cache folder, so an installed
    wheel can show the dashboard with no data of its own."""
    local = Path("data/sample")
    if (local / "invoices.csv").is_file():
        return local
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "arbook" / "sample"
    if not (cache / "invoices.csv").is_file():
        from arbook.sample import make_sample

        make_sample(cache, seed=0)
    return cache
