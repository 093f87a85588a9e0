"""Every notebook in arbook/notebooks/: committed clean (no outputs), shaped by the house style
(a markdown cell first, exactly one cell tagged ``parameters``), and run by papermill with its
defaults from the repository root. nbval also runs each one (see ``testpaths`` in
pyproject.toml); this file checks what nbval does not. New notebooks are covered by the glob."""

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


@by_name
def test_runs_under_papermill_with_its_defaults(path, tmp_path, monkeypatch):
    import papermill

    monkeypatch.chdir(ROOT)
    out = tmp_path / path.name
    papermill.execute_notebook(
        str(path), str(out), cwd=str(ROOT), progress_bar=False, kernel_name="python3"
    )
    nb = nbformat.read(out, as_version=4)
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    # Charts are static SVG: Altair's renderer would need a CDN and a vega-lite mimetype.
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert not any(
                m.startswith("application/vnd.vegalite") for m in output.get("data", {})
            ), f"{path.name}: an Altair mimetype output"
    if path.stem == "walkthrough":  # the story is in the outputs, not only in widget state
        shown = "".join(
            o.get("data", {}).get("text/html", "")
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.outputs
        )
        for words in (
            "2026-10-31",
            "customers owe you",
            "You are your customers",
            "Silverline Textiles Co.",
            "Check credit before giving it",
            "<svg",
        ):
            assert words in shown


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
