"""The installed ``arbook`` command (``arbook.cli.run``): for ``arbook review`` it starts the
review's kernel before loading the commands, for nothing else; ``arbook.cli.main`` is the
commands' ``main``."""

from __future__ import annotations

import sys

import pytest

import arbook.cli
from arbook.cli import commands
from arbook.workbook import kernels


@pytest.mark.parametrize(
    ("argv", "started"),
    [
        (["review", "data/sample", "--as-of", "2026-10-31"], True),
        (["review", "--help"], False),
        (["review", "data/sample", "-h"], False),
        (["aging", "data/sample", "--as-of", "2026-10-31"], False),
        (["batch", "data/sample", "--from", "2026-09", "--to", "2026-10"], False),
        ([], False),
    ],
)
def test_the_review_kernel_starts_first_for_a_review_only(monkeypatch, argv, started):
    calls = []
    monkeypatch.setattr(kernels, "start", lambda: calls.append("kernel"))
    monkeypatch.setattr(commands, "run", lambda: calls.append("command") or 0)
    monkeypatch.setattr(sys, "argv", ["arbook", *argv])
    assert arbook.cli.run() == 0
    assert calls == (["kernel", "command"] if started else ["command"])


def test_main_is_the_commands_main():
    assert arbook.cli.main is commands.main
    with pytest.raises(AttributeError):
        arbook.cli.nothing  # noqa: B018
