"""Every notebook in arbook/notebooks/: committed clean (no outputs), shaped by the house style
(a markdown cell first, exactly one cell tagged ``parameters`` that papermill can read). Each
notebook runs once per suite, the way its users run it: the dashboard in Voilà
(tests/test_browser.py), the monthly review by `arbook review` (the ``sample_report`` fixture),
the others under nbval from their own folder (``testpaths`` in pyproject.toml, whose
``--ignore`` options keep the first two out of nbval). New notebooks are covered by the glob."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "arbook" / "notebooks").glob("*.ipynb"))
by_name = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])


def test_the_notebooks_are_found():
    assert {p.stem for p in NOTEBOOKS} >= {"walkthrough"}


@by_name
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        k
        for k, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.outputs or c.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@by_name
def test_house_style(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.cells and nb.cells[0].cell_type == "markdown", (
        f"{path.name}: the first cell must be markdown saying what the notebook is for"
    )
    tagged = [k for k, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged parameters; want one"
    assert nb.cells[tagged[0]].cell_type == "code"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_reads_every_parameter(path):
    """papermill's parameter parser gives up on a line whose comment holds '=' and then warns
    "Passed unknown parameter": every parameter must be one it can read."""
    import papermill

    nb = nbformat.read(path, as_version=4)
    names = set(papermill.inspect_notebook(str(path)))
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    declared = {
        line.split(":")[0].split("=")[0].strip()
        for line in cell.source.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    assert names == declared
