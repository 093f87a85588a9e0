"""Where arbook's own files are: the notebooks that travel inside the package, and the sample
ledger used when no data folder is given."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from arbook.core.errors import ParameterError
from arbook.core.i18n import _

NOTEBOOKS = ("dashboard", "monthly_review", "walkthrough")
#: The folder holding the arbook package: a git checkout's root, or site-packages.
CHECKOUT = Path(__file__).resolve().parents[2]
SAMPLE = "data/sample"


def notebook_path(name: str) -> Path:
    """The packaged notebook ``name`` (``dashboard``, ``monthly_review``, ``walkthrough``).
    In a checkout ``notebooks/`` links to the same files, so there is one copy of each."""
    stem = name.removesuffix(".ipynb")
    path = Path(str(resources.files("arbook").joinpath("notebooks", f"{stem}.ipynb")))
    if not path.is_file():
        raise ParameterError(
            _("no notebook {name} in arbook; the notebooks are {notebooks}").format(
                name=repr(stem), notebooks=", ".join(NOTEBOOKS)
            )
        )
    return path


def sample_folder() -> Path:
    """The sample ledger: ``data/sample`` under the current folder or the checkout arbook runs
    from, else a copy generated once (seed 0) in the user's cache folder, so an installed
    wheel can show the dashboard with no data of its own."""
    for local in (Path("data/sample"), CHECKOUT / "data" / "sample"):
        if (local / "invoices.csv").is_file():
            return local
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "arbook" / "sample"
    if not (cache / "invoices.csv").is_file():
        from arbook.workbook.sample import make_sample

        make_sample(cache, seed=0)
    return cache


def locate(text: str | Path, *, folder: bool = False) -> Path:
    """The file (or, with ``folder``, the folder) named by ``text``: as written when it exists;
    else, for a relative path, the first match under each parent of the current folder and
    under the checkout (so a notebook run from ``notebooks/`` finds ``data/sample`` or
    ``arbook/defaults/...``). Returned as written when found nowhere: the caller says so."""
    path = Path(str(text).strip()).expanduser()
    found = Path.is_dir if folder else Path.is_file
    if found(path) or path.is_absolute():
        return path
    for parent in [*Path.cwd().resolve().parents, CHECKOUT]:
        if found(parent / path):
            return parent / path
    return path


def data_folder(text: str | Path | None) -> Path:
    """The data folder named by ``text`` (found as :func:`locate` finds it); the sample ledger
    for a blank ``text``. Raise ParameterError when there is no such folder."""
    text = str(text or "").strip()
    if not text:
        return sample_folder()
    path = locate(text, folder=True)
    if path.is_dir():
        return path
    if path.as_posix().rstrip("/") == SAMPLE:
        return sample_folder()
    said = (
        _(
            "data folder {folder} is a file, not a folder; give the folder holding the "
            "invoices, payments and customers files"
        )
        if path.exists()
        else _(
            "data folder {folder} does not exist; give the folder holding the invoices, "
            "payments and customers files"
        )
    )
    raise ParameterError(said.format(folder=repr(text)))


def data_source(text: str | Path | None, *, preset: str | None = None) -> Path:
    """What a review reads: the export file named by ``text`` when it is a file (with
    ``preset``, or recognised by its headers), else the data folder (:func:`data_folder`)."""
    if text and (preset or locate(text).is_file()):
        return locate(text)
    return data_folder(text)
