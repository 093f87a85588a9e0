"""Memory given back (:mod:`arbook.core.memory`): what ``lean`` sets, and that the command sets
it while the library does not."""

from __future__ import annotations

import subprocess
import sys

import pyarrow as pa

from arbook.core import memory


def test_lean_gives_arrow_a_pool_that_returns_pages_and_says_what_it_set():
    before = pa.default_memory_pool()
    try:
        done = memory.lean()
        assert pa.default_memory_pool().backend_name in ("jemalloc", "system")
        assert any(d.startswith("Arrow pool") for d in done)
        if sys.platform.startswith("linux"):
            assert any("mmap threshold" in d for d in done)
    finally:
        pa.set_memory_pool(before)


def test_the_library_leaves_the_allocators_alone():
    probe = (
        "import pyarrow as pa; first = pa.default_memory_pool().backend_name; "
        "import arbook; arbook.read_ledger('data/sample'); "
        "print(first, pa.default_memory_pool().backend_name)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    first, after = out.stdout.split()
    assert after == first


def test_the_command_sets_them_before_it_runs(monkeypatch):
    from arbook.cli import commands

    calls = []
    monkeypatch.setattr(commands.memory, "lean", lambda: calls.append("lean") or [])
    monkeypatch.setattr(commands, "main", lambda argv=None: calls.append("main") or 0)
    assert commands.run() == 0 and calls == ["lean", "main"]
