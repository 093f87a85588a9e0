"""The pandera models live in arbook.core.contracts and are loaded on first use: reading a
ledger loads neither pandera nor openpyxl (a CSV ledger needs no workbook reader), and the
models stay importable from arbook.core.schemas as they were."""

from __future__ import annotations

import subprocess
import sys

from arbook.core import contracts, schemas


def test_the_models_are_the_same_by_either_name():
    for name in schemas.MODELS:
        assert getattr(schemas, name) is getattr(contracts, name)


def test_reading_a_ledger_loads_neither_pandera_nor_openpyxl():
    script = (
        "import sys\n"
        "from arbook.core.ledger import read_ledger\n"
        "from arbook.workbook.paths import sample_folder\n"
        "read_ledger(sample_folder())\n"
        "print(sorted(m for m in ('pandera', 'openpyxl', 'vl_convert') if m in sys.modules))\n"
        "from arbook.core.schemas import OpenItems\n"
        "print(OpenItems.__name__, 'pandera' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "OpenItems True"]
