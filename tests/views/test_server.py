"""The Voilà process (:mod:`arbook.views.server`): the template it puts on Jupyter's path and
its default. The Host check is tried on a running server in tests/workbook/test_serve.py, the
offline page in tests/test_browser.py."""

from __future__ import annotations

import os
from pathlib import Path

from arbook.views import server
from arbook.workbook.serve import TEMPLATE


def test_main_puts_the_offline_template_first_and_defaults_to_it(monkeypatch, tmp_path):
    """``python -m arbook.views.server NOTEBOOK``: Voilà finds our template on JUPYTER_PATH and
    uses it unless told otherwise; a --template given wins."""
    seen = []

    class Voila:
        @staticmethod
        def launch_instance(argv):
            root = Path(os.environ["JUPYTER_PATH"].split(os.pathsep)[0])
            index = root / "voila" / "templates" / TEMPLATE / "index.html.j2"
            seen.append((argv, index.read_text(encoding="utf-8")))

    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setattr(server, "HostCheckingVoila", Voila)
    server.main(["nb.ipynb", "--port=1"])
    server.main(["nb.ipynb", "--template=lab"])
    (first, index), (second, _) = seen
    assert first == ["nb.ipynb", "--port=1", f"--template={TEMPLATE}"]
    assert "'lab/index.html.j2'" in index
    assert second == ["nb.ipynb", "--template=lab"]
    assert os.environ["JUPYTER_PATH"].split(os.pathsep)[-1] == str(tmp_path)
