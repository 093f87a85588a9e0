"""The dashboard's chart bundle: made once in a child process, kept in the user's cache, and
the same text Altair's own ``enable_offline`` makes; a process that enables the charts from it
never loads vl-convert (a dashboard kernel then does not either)."""

from __future__ import annotations

import subprocess
import sys

from arbook.views import chart_bundle


def test_the_bundle_is_cached_and_altairs_own(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = chart_bundle.bundle_path()
    assert path.parent == tmp_path / "arbook"
    script = (
        "import sys, altair as alt\n"
        "from arbook.views import chart_bundle\n"
        "chart_bundle.enable_offline()\n"
        "assert alt.JupyterChart._is_offline\n"
        "print('vl_convert' in sys.modules)\n"
        "sys.stdout.write(alt.JupyterChart._esm[:200])\n"
    )
    run = [sys.executable, "-c", script]
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first = subprocess.run(run, capture_output=True, text=True, check=True, env=env)
    assert path.exists() and path.stat().st_size > 100_000  # the Vega libraries are in it
    assert first.stdout.startswith("False")  # made in a child: this process never loaded it
    again = subprocess.run(run, capture_output=True, text=True, check=True, env=env)
    assert again.stdout == first.stdout  # read from the cache, the same text
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "import altair as alt; alt.JupyterChart.enable_offline(); "
            "import sys; sys.stdout.write(alt.JupyterChart._esm)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert path.read_text(encoding="utf-8") == made.stdout
