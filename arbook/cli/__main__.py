"""``python -m arbook.cli``: the same as the ``arbook`` command."""

import sys

from arbook.cli.commands import run

sys.exit(run())
