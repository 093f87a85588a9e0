"""The ``arbook`` command: argument parsing and one library call per command (``main``)."""

from arbook.cli.commands import main, run

__all__ = ["main", "run"]
