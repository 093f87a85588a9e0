"""The ``arbook`` command: argument parsing and one library call per command (``main``)."""

from arbook.cli.commands import main

__all__ = ["main"]
