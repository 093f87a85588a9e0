"""Writing files people keep (files): whole or not at all through a temporary file and a
rename, and no cell a spreadsheet would run as a formula (in a sheet or in a CSV)."""

from __future__ import annotations

import csv
import io
import os

import pandas as pd
import pytest

from arbook.core import files
from arbook.core.files import FORMULA_START, safe_cells, safe_text, spreadsheet_csv, write_atomic


@pytest.mark.parametrize(
    "text, safe",
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),  # the classic CSV injection
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=b", "a=b"),  # only the first character counts
        ("1-2", "1-2"),
        ("Ana Ruiz", "Ana Ruiz"),
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_safe_text(text, safe):
    assert safe_text(text) == safe


def test_every_formula_start_is_neutralised():
    assert set(FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}
    for start in FORMULA_START:
        assert safe_text(start + "x") == "'" + start + "x"


def test_spreadsheet_csv_neutralises_text_cells_and_keeps_numbers():
    frame = pd.DataFrame(
        {
            "customer_id": ['=HYPERLINK("http://x")', "C2", "@SUM(A1)", "\tC4"],
            "note": ["-12.50", "+1", "a=b", None],  # text that looks like a number is text
            "amount_cents": [-1250, 100, 0, 5],  # numbers stay numbers, negative or not
            "rate": [-0.5, 1.0, float("nan"), 2.0],
            "bucket": pd.Categorical(["=1", "current", "1-30", "current"]),
            "=col": ["x", "y", "z", "w"],  # a column name is a cell too
        }
    )
    text = spreadsheet_csv(frame)
    assert text.splitlines() == [
        "customer_id,note,amount_cents,rate,bucket,'=col",
        '"\'=HYPERLINK(""http://x"")",\'-12.50,-1250,-0.5,\'=1,x',
        "C2,'+1,100,1.0,current,y",
        "'@SUM(A1),a=b,0,,1-30,z",
        "'\tC4,,5,2.0,current,w",
    ]
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[2] for r in rows[1:]] == ["-1250", "100", "0", "5"]  # read back as numbers
    assert frame["customer_id"].iloc[0].startswith("=")  # the caller's frame is left alone


def test_spreadsheet_csv_rows_to_append_have_no_header():
    frame = pd.DataFrame({"customer_id": ["-A"], "n": [1]})
    assert spreadsheet_csv(frame, header=False) == "'-A,1\n"


def test_safe_cells_of_string_columns():
    frame = pd.DataFrame({"a": pd.array(["=x", None, "y"], dtype="string")})
    assert safe_cells(frame)["a"].tolist()[::2] == ["'=x", "y"]


def test_write_atomic_text_and_bytes(tmp_path):
    path = tmp_path / "a.txt"
    assert write_atomic(path, "Ωmega €\n") == path
    assert path.read_bytes() == "Ωmega €\n".encode()  # text as UTF-8
    assert write_atomic(str(path), b"\x00\x01") == path  # a str path; replaces the old file
    assert path.read_bytes() == b"\x00\x01"
    assert os.listdir(tmp_path) == ["a.txt"]  # no temporary file left


def test_a_writer_that_fails_halfway_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "register.csv"
    path.write_text("old\n")
    real_fdopen = os.fdopen

    class DiskFull:
        def __init__(self, fd, mode):
            self.handle = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])  # half of it reaches the disk ...
            self.handle.flush()
            raise OSError(28, "No space left on device")  # ... then the disk is full

    monkeypatch.setattr(files.os, "fdopen", DiskFull)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(path, "new content, longer than the old\n")
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["register.csv"]  # the half-written temp file is gone
    with pytest.raises(OSError, match="No space left"):
        write_atomic(tmp_path / "new.csv", "x" * 100)
    assert os.listdir(tmp_path) == ["register.csv"]  # and no half of a new file


def test_check_sees_the_whole_file_beside_the_target_and_may_refuse_it(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"old")
    seen = []

    def accept(tmp):
        seen.append((tmp.parent, tmp.name.startswith(".book.xlsx."), tmp.read_bytes()))

    write_atomic(path, b"new", check=accept)
    assert seen == [(tmp_path, True, b"new")] and path.read_bytes() == b"new"

    def refuse(tmp):
        raise ValueError("not a workbook")

    with pytest.raises(ValueError, match="not a workbook"):
        write_atomic(path, b"broken", check=refuse)
    assert path.read_bytes() == b"new"  # left as it was
    assert os.listdir(tmp_path) == ["book.xlsx"]


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    # created like any new file (the umask applies), not private to its writer
    usual = tmp_path / "usual"
    usual.write_text("x")
    made = write_atomic(tmp_path / "made", "x")
    assert made.stat().st_mode & 0o777 == usual.stat().st_mode & 0o777
