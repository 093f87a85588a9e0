"""Project hygiene: the dependency lists agree, the layers hold, committed data is small."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

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


# modules with nothing of their own to test: `python -m arbook.cli` calls cli.main, and the
# defaults package only marks where the shipped TOML files live
NO_TEST_MODULE = {"cli/__main__.py", "defaults/__init__.py"}


def test_every_module_has_its_test_module():
    # tests follow the layout: arbook/<area>/<name>.py is tested by tests/<area>/test_<name>.py;
    # a package whose __init__ holds code by tests/<area>/test_<package>.py (the root package,
    # the public names, by tests/test_arbook.py)
    package = ROOT / "arbook"
    missing = []
    for module in sorted(package.rglob("*.py")):
        relative = module.relative_to(package)
        if relative.as_posix() in NO_TEST_MODULE or "notebooks" in relative.parts:
            continue
        if module.name == "__init__.py":
            if not _has_code(module):
                continue
            folder, name = relative.parent.parent, relative.parent.name or "arbook"
        else:
            folder, name = relative.parent, module.stem.lstrip("_")
        target = ROOT / "tests" / folder / f"test_{name}.py"
        if not target.exists():
            missing.append(f"arbook/{relative} -> {target.relative_to(ROOT)}")
    assert not missing, "modules without their test module:\n" + "\n".join(missing)


def _has_code(init: Path) -> bool:
    """Whether a package's __init__ defines functions or classes (not only imports)."""
    body = ast.parse(init.read_text()).body
    return any(isinstance(node, (ast.FunctionDef, ast.ClassDef)) for node in body)
