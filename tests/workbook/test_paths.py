"""Where arbook finds its notebooks, the sample and a data folder named in a notebook."""

from __future__ import annotations

import pytest
from conftest import ROOT

from arbook.core.errors import ParameterError
from arbook.workbook import paths


def test_notebooks_are_packaged():
    for name in paths.NOTEBOOKS:
        assert paths.notebook_path(name).parent.resolve() == (ROOT / "notebooks").resolve()
    with pytest.raises(ParameterError, match="no notebook 'nope'"):
        paths.notebook_path("nope")


def test_data_folder_from_a_notebook_folder(tmp_path, monkeypatch):
    # nbval runs a kernel in the notebook's own folder: data/sample is still found.
    monkeypatch.chdir(ROOT / "arbook" / "notebooks")
    sample = (ROOT / "data" / "sample").resolve()
    assert paths.data_folder("data/sample").resolve() == sample
    assert paths.data_folder("").resolve() == sample
    with pytest.raises(ParameterError, match="does not exist"):
        paths.data_folder(str(tmp_path / "nowhere"))
    (tmp_path / "file.csv").write_text("x")
    with pytest.raises(ParameterError, match="is a file, not a folder"):
        paths.data_folder(str(tmp_path / "file.csv"))


def test_sample_folder_in_a_checkout_needs_no_cache(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert paths.sample_folder().resolve() == (ROOT / "data" / "sample").resolve()
    assert not (tmp_path / "cache").exists()


def test_data_source_is_an_export_file_or_a_folder(tmp_path):
    from arbook.workbook.paths import data_folder, data_source

    export = tmp_path / "aging.csv"
    export.write_text("x\n")
    assert data_source(export) == export  # a file: read as an export (detected or --preset)
    assert data_source(tmp_path) == data_folder(tmp_path) == tmp_path
    with pytest.raises(ParameterError, match="does not exist"):
        data_source(tmp_path / "nowhere")
