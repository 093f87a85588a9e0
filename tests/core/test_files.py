"""Writing files people keep (files): whole or not at all through a temporary file and a
rename, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import os

import pytest

from arbook.core import files
from arbook.core.files import FORMULA_START, safe_text, write_atomic


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
