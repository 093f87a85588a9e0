"""What the presets share (presets.cells): cells as stripped text, computed amounts as exact
text, repeated ids numbered, work done once per distinct value, the "As of" title's date, dates
as ISO text, and an unread-row error located on its line."""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.core.errors import IssueCode
from arbook.core.grid import read_grid
from arbook.core.presets.cells import (
    by_value,
    cents_text,
    iso_text,
    row_issue,
    stated_date,
    text,
    unique_ids,
)


def test_cells_as_text_and_amounts_as_exact_text():
    frame = pd.DataFrame({"a": [" x ", None, "y"]})
    assert text(frame, "a").tolist() == ["x", "", "y"]
    assert text(frame, "missing").tolist() == ["", "", ""] and text(frame, None).tolist()[0] == ""
    cents = np.array([-125000, 5, 0, 123456789012])
    assert cents_text(cents).tolist() == ["-1250.00", "0.05", "0.00", "1234567890.12"]
    assert cents_text(np.array([-150]), ",").tolist() == ["-1,50"]


def test_repeated_ids_and_work_once_per_value():
    assert unique_ids(pd.Series(["A", "B", "A", "A"])).tolist() == ["A", "B", "A #2", "A #3"]
    seen: list[int] = []

    def work(values: pd.Series) -> pd.Series:
        seen.append(len(values))
        return values.str.upper()

    assert by_value(pd.Series(["net 30", "net 30", "cod"]), work).tolist() == [
        "NET 30",
        "NET 30",
        "COD",
    ]
    assert seen == [2]  # two distinct values, one call


def test_the_title_date_and_iso_dates(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text('"A/R Aging Detail"\n"As of June 30, 2026"\n\n"Date","Num"\n', encoding="utf-8")
    grid = read_grid(path)
    assert stated_date(grid, 4, "mdy") == pd.Timestamp("2026-06-30")
    assert stated_date(grid, 2, "mdy") is None  # only the rows above the header count
    assert iso_text(pd.Series(["06/15/2026", "soon"]), "mdy").tolist() == ["2026-06-15", "soon"]
    issue = row_issue(grid, 7, "type", "Barter", "a Barter row; left out", "Check it.")
    assert (issue.code, issue.source_file, issue.source_line) == (
        IssueCode.UNREAD_ROW,
        str(path),
        7,
    )
