"""The review's warm kernel: one per process, reused by the next review with nothing of the
last one left in it, discarded when a review fails in it, talking over IPC sockets (no TCP
port to collide on: the old ``ZMQError: Address already in use`` of ``batch --jobs 2``)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from arbook.core.errors import ArbookError
from arbook.workbook import kernels
from arbook.workbook.report import execute, review_parameters, run_review

SAMPLE = ROOT / "data" / "sample"


def outputs(path: Path) -> list:
    """Each code cell's execution count and outputs (what a reused kernel could get wrong)."""
    nb = nbformat.read(path, as_version=4)
    return [(c.execution_count, c.outputs) for c in nb.cells if c.cell_type == "code"]


def kernel_pid() -> int:
    return kernels._warm.manager.provisioner.pid


@pytest.fixture
def fresh():
    kernels.discard()
    yield
    kernels.discard()


def test_a_second_review_reuses_the_kernel_and_sees_nothing_of_the_first(tmp_path, fresh):
    first = run_review(SAMPLE, "2026-10-31", tmp_path / "a")
    pid = kernel_pid()
    second = run_review(SAMPLE, "2026-09-30", tmp_path / "b")
    assert kernel_pid() == pid  # the same kernel
    kernels.discard()
    alone = run_review(SAMPLE, "2026-09-30", tmp_path / "c")  # in a kernel of its own
    assert kernel_pid() != pid
    assert outputs(second.notebook) == outputs(alone.notebook)  # counts from 1, same outputs
    assert outputs(first.notebook) != outputs(second.notebook)
    assert second.html.read_text(encoding="utf-8") == alone.html.read_text(encoding="utf-8")


def test_a_review_that_fails_discards_its_kernel(tmp_path, fresh):
    params = review_parameters(SAMPLE, "2026-10-31", tmp_path)
    with pytest.raises(ArbookError, match="failed in notebook cell"):
        execute({**params, "as_of": "2026-10-30"})  # past the up-front check on purpose
    assert kernels._warm is None
    run = run_review(SAMPLE, "2026-10-31", tmp_path)  # the next starts afresh
    assert run.ok and run.html.exists()


def test_the_kernel_talks_over_ipc_in_its_own_folder(fresh):
    warm = kernels.start()
    info = json.loads(Path(warm.manager.connection_file).read_text())
    assert info["transport"] == "ipc"
    assert Path(info["ip"]).parent == warm.folder
    folder = warm.folder
    kernels.discard()
    assert not folder.exists()


def test_a_kernel_of_another_process_is_not_used(fresh):
    """A process forked from one with a kernel (a batch worker) starts its own and leaves the
    parent's alone (here: the kernel made to look like another process's)."""
    theirs = kernels.start()
    theirs.owner = -1
    mine = kernels.start()
    assert mine is not theirs and theirs.alive()
    theirs.owner = mine.owner
    theirs.shutdown()
    assert not theirs.alive() and mine.alive()
