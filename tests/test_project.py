"""Project hygiene: the dependency lists agree, the layers hold, committed data is small."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

from conftest import ROOT

CONDA_NAMES = {"duckdb": "python-duckdb"}


def _requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    # conda packages carry no pip extras: psycopg[binary] is conda-forge's psycopg
    reqs = [re.sub(r"\[.*?\]", "", r) for r in reqs]
    return {re.split(r"[<>=!~ ]", r, maxsplit=1)[0].lower(): r for r in reqs}


def test_environment_yml_matches_pyproject():
    text = (ROOT / "environment.yml").read_text()
    dependencies = text.split("dependencies:", 1)[1]
    conda = {}
    for line in dependencies.splitlines():
        m = re.match(r"\s+- ([A-Za-z0-9_.\-]+)(\S*)$", line)
        if m and m.group(1) not in ("python", "pip"):
            conda[m.group(1).lower()] = m.group(1) + m.group(2)
    wanted = {
        CONDA_NAMES.get(name, name): req.replace(name, CONDA_NAMES.get(name, name), 1).replace(
            " ", ""
        )
        for name, req in _requirements().items()
    }
    assert conda == wanted


def test_import_layers_hold():
    linter = ROOT / ".venv" / "bin" / "lint-imports"
    command = [str(linter)] if linter.exists() else [sys.executable, "-m", "importlinter.cli"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_committed_sample_is_small_and_clean():
    size = sum(p.stat().st_size for p in (ROOT / "data" / "sample").iterdir())
    assert size < 2 * 1024 * 1024


def test_wheel_carries_the_notebooks_and_policy(tmp_path):
    """The notebooks live once, in arbook/notebooks (notebooks/ links there), and travel in the
    wheel, so `arbook dashboard` and `arbook review` work from an installed package."""
    import zipfile

    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("arbook-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for notebook in sorted((ROOT / "arbook" / "notebooks").glob("*.ipynb")):
        assert f"arbook/notebooks/{notebook.name}" in names
    for name in (
        "defaults/policy.toml",
        "defaults/scorecard.toml",
        "defaults/ladder.toml",
        "defaults/playbook.toml",
        "templates/statement.html.j2",
    ):
        assert f"arbook/{name}" in names
    assert (ROOT / "notebooks").resolve() == (ROOT / "arbook" / "notebooks").resolve()
