"""Old module paths (:mod:`arbook._moved`): every path of the table still imports and is the very
module that now holds the code (so its names are the same objects), modules inside a moved
package follow it, nothing is imported before an old path is asked for, and a name that never
existed is still a ModuleNotFoundError."""

from __future__ import annotations

import importlib
import importlib.machinery
import subprocess
import sys

import pytest

from arbook._moved import MOVED, _MovedFinder, install, new_name


@pytest.fixture
def keep_parents(monkeypatch):
    """Importing ``arbook.x`` binds ``x`` on its parent: put back what was there, so that no
    other test sees a module where it saw something else."""
    for old in MOVED:
        parent, _, name = old.rpartition(".")
        package = importlib.import_module(parent)
        if name in vars(package):
            monkeypatch.setattr(package, name, vars(package)[name])


@pytest.mark.usefixtures("keep_parents")
@pytest.mark.parametrize("old, new", sorted(MOVED.items()))
def test_an_old_path_is_the_module_of_its_new_home(old, new):
    module = importlib.import_module(old)
    assert module is importlib.import_module(new) is sys.modules[old] is sys.modules[new]
    # it stays the module it is: its own name and spec, not the old path's
    assert module.__name__ == new and module.__spec__.name == new


@pytest.mark.usefixtures("keep_parents")
def test_the_names_of_an_old_path_are_the_same_objects():
    import arbook.report
    from arbook.collections.contacts import ContactLog
    from arbook.contacts import ContactLog as OldContactLog
    from arbook.errors import ParameterError as OldParameterError
    from arbook.scoring import score_application as old_score
    from arbook.views.dashboard.app import Dashboard
    from arbook.views.widgets import Dashboard as OldDashboard
    from arbook.workbook.report import run_review

    assert arbook.report.run_review is run_review
    assert OldContactLog is ContactLog and OldDashboard is Dashboard
    assert OldParameterError is arbook.ParameterError and old_score is arbook.score_application
    with pytest.raises(arbook.ParameterError):  # caught by either name
        raise OldParameterError("x")


@pytest.mark.usefixtures("keep_parents")
def test_a_module_inside_a_moved_package_follows_it():
    assert new_name("arbook.statements.outbox") == "arbook.collections.documents.outbox"
    assert new_name("arbook.scoring.answers") == "arbook.credit.application.answers"
    old = importlib.import_module("arbook.statements.outbox")
    assert old is importlib.import_module("arbook.collections.documents.outbox")
    from arbook.credit.application.answers import parse_amount
    from arbook.scoring.answers import parse_amount as old_parse_amount

    assert old_parse_amount is parse_amount


def test_an_old_path_leaves_the_public_function_of_its_name_alone():
    # the first `import arbook.aging` in a fresh interpreter: the import system sets the module
    # on `arbook`, which would replace the public function arbook.aging
    script = (
        "import arbook, arbook.aging, types; "
        "from arbook.aging import aging_summary; "
        "assert not isinstance(arbook.aging, types.ModuleType), arbook.aging; "
        "assert arbook.aging is arbook.measures.aging.aging; "
        "assert aging_summary is arbook.aging_summary; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_new_name_of_paths_that_did_not_move():
    assert new_name("arbook.core.errors") is None  # a current path
    assert new_name("arbook.no_such_module") is None
    assert new_name("arbookish.report") is None  # only arbook's own paths
    assert new_name("report") is None


@pytest.mark.parametrize(
    "name, missing",
    [
        ("arbook.no_such_module", "arbook.no_such_module"),
        ("arbook.views.no_such_view", "arbook.views.no_such_view"),
        # inside a moved package: the module is looked for in the new home
        ("arbook.scoring.no_such_module", "arbook.credit.application.no_such_module"),
    ],
)
def test_an_unknown_name_is_still_module_not_found(name, missing):
    with pytest.raises(ModuleNotFoundError) as caught:
        importlib.import_module(name)
    assert caught.value.name == missing
    assert name not in sys.modules


def test_the_finder_is_installed_once_before_the_path_finder():
    before = list(sys.meta_path)
    install()
    install()
    assert sys.meta_path == before
    finders = [f for f in sys.meta_path if isinstance(f, _MovedFinder)]
    # ahead of the finder of files, which would find a moved package's modules a second time
    # through the package's __path__, under their old names
    assert len(finders) == 1
    assert sys.meta_path.index(finders[0]) < sys.meta_path.index(importlib.machinery.PathFinder)


def test_nothing_is_imported_before_an_old_path_is_asked_for():
    script = (
        "import sys, arbook; "
        "before = [m in sys.modules for m in ('arbook.cli.common', 'arbook.workbook.report')]; "
        "import arbook.cli_common as old; "
        "import arbook.cli.common as new; "
        "print(*before, old is new, old.__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "False", "True", "arbook.cli.common"]
