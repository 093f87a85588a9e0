"""The package's own names: what README's "In Python" shows works, and heavy parts load late."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT

import arbook


def _readme_python() -> str:
    readme = (ROOT / "README.md").read_text()
    return "\n".join(re.findall(r"```python\n(.*?)```", readme, flags=re.S))


def test_every_name_readme_calls_is_public():
    code = _readme_python()
    called = set(re.findall(r"\barbook\.([A-Za-z_]\w*)", code)) - {"views", "engines"}
    assert called, "README shows no arbook.<name> calls"
    assert called <= set(arbook.__all__), called - set(arbook.__all__)
    for name in called:
        assert callable(getattr(arbook, name)), name


def test_every_import_readme_shows_works():
    imports = re.findall(r"^from (arbook[\w.]*) import (\w+)", _readme_python(), flags=re.M)
    assert imports
    for module, name in imports:
        assert getattr(__import__(module, fromlist=[name]), name)


def test_all_names_resolve_and_unknown_ones_fail_clearly():
    for name in arbook.__all__:
        assert getattr(arbook, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'agin'"):
        arbook.agin  # noqa: B018 - a typo gets Python's own message


def test_lazy_names_are_the_objects_of_their_home_module():
    from arbook.collections.contacts import ContactLog
    from arbook.workbook.report import run_review

    assert arbook.ContactLog is ContactLog and arbook.run_review is run_review


def test_importing_arbook_leaves_the_heavy_parts_for_later():
    # the dashboard and report kernels import arbook; SQLAlchemy, WeasyPrint and papermill load
    # only when the contact log, a document or the report runner is first used; Ibis when an
    # engine is
    script = (
        "import sys, arbook; "
        "heavy = ('sqlalchemy', 'weasyprint', 'papermill', 'ibis'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
