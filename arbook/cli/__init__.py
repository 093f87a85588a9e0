"""The ``arbook`` command: argument parsing and one library call per command (``main``).

``run`` is the installed command. For ``arbook review`` it first starts the review's kernel
(:mod:`arbook.workbook.kernels`), before this process imports the command's modules: the
kernel then starts and warms up (its own imports, vl-convert) on the other core while this one
imports, parses and checks the parameters.
"""

import sys


def run() -> int:
    """The ``arbook`` command as installed (:func:`arbook.cli.commands.run`)."""
    words = sys.argv[1:]
    if words[:1] == ["review"] and not {"-h", "--help"} & set(words):
        from arbook.workbook import kernels

        kernels.start()
    from arbook.cli.commands import run as run_command

    return run_command()


def __getattr__(name: str):
    if name == "main":  # loaded on first use, like the commands
        from arbook.cli.commands import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["main", "run"]
