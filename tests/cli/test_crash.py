"""When arbook itself fails (:mod:`arbook.cli.crash`): one line for the user, the traceback in a
crash log (``$ARBOOK_CRASH_DIR`` or the user's cache folder); a terminal that cannot show a
character; a reader of stdout that went away (no message). How ``arbook`` exits on each is
tested in test_commands.py."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from conftest import ROOT, SAMPLE

from arbook.cli.common import INTERNAL
from arbook.cli.crash import crash_dir, internal_error, tolerant_streams, write_crash_log


def _failure() -> ValueError:
    try:
        raise ValueError("the bug")
    except ValueError as exc:
        return exc


def test_crash_dir_is_the_variable_or_the_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ARBOOK_CRASH_DIR", str(tmp_path / "here"))
    assert crash_dir() == tmp_path / "here"
    monkeypatch.delenv("ARBOOK_CRASH_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # platformdirs on Linux
    if sys.platform.startswith("linux"):
        assert crash_dir() == tmp_path / "cache" / "arbook"
    assert crash_dir().name in ("arbook", "Cache")


def test_the_crash_log_holds_the_command_versions_and_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("ARBOOK_CRASH_DIR", str(tmp_path / "logs"))  # made when missing
    path = write_crash_log(_failure(), ["aging", "data/Ωmega", "--as-of", "2026-10-31"])
    assert path.parent == tmp_path / "logs" and path.name.startswith("crash-")
    text = path.read_text("utf-8")
    assert text.startswith("arbook ") and "on Python " in text
    assert "command: arbook aging data/Ωmega --as-of 2026-10-31\n" in text
    assert "Traceback (most recent call last)" in text and text.endswith("ValueError: the bug\n")
    second = write_crash_log(_failure(), [])
    assert second != path  # one file per crash, never overwritten


def test_a_log_that_cannot_be_written_still_gives_one_line(tmp_path, monkeypatch, capsys):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("ARBOOK_CRASH_DIR", str(blocked))  # a file: no folder can be made there
    assert internal_error("arbook aging", _failure(), ["aging"]) == INTERNAL
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("arbook aging: internal error (ValueError): a bug in arbook")
    assert "the details could not be saved (FileExistsError" in err


def test_a_terminal_that_cannot_show_a_character_gets_its_escape(monkeypatch):
    raw = io.BytesIO()
    latin = io.TextIOWrapper(raw, encoding="latin-1")
    monkeypatch.setattr(sys, "stdout", latin)
    tolerant_streams()
    print("Ωmega café")  # before: UnicodeEncodeError, a traceback
    latin.flush()
    assert raw.getvalue() == "\\u03a9mega café\n".encode("latin-1")


def test_a_reader_that_goes_away_ends_quietly():
    # `arbook aging ... | head -1`: the rest of the table has nowhere to go
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
    command = [sys.executable, "-m", "arbook.cli", "aging", str(SAMPLE), "--as-of", "2026-10-31"]
    command += ["--by", "item"]  # 80 kB: more than a pipe holds
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()  # the reader leaves after one line
        err = proc.stderr.read()
    assert first.split()[:1] == [b"customer"]
    assert proc.returncode == 0 and err == b""
