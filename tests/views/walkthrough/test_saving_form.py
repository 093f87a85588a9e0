"""The walkthrough forms' save boundary: a refusal is a sentence on the status line, an
unexpected failure is also logged with its traceback, and a save keeps the path written."""

from __future__ import annotations

import logging
from pathlib import Path

from arbook.core.errors import ParameterError
from arbook.views.walkthrough.saving_form import SavingForm


def _fail(exc: Exception):
    def write() -> Path:
        raise exc

    return write


def test_a_refusal_is_said_and_not_logged(caplog):
    form = SavingForm()
    with caplog.at_level(logging.ERROR):
        assert form._save(_fail(ParameterError("no such folder")), "the file") is None
    assert form.status_is_error and form.status == "Not saved: no such folder"
    assert "arbook-error" in form.message.value and form.saved == ""
    assert not caplog.records


def test_an_unexpected_failure_is_said_with_its_kind_and_logged(caplog):
    form = SavingForm()
    with caplog.at_level(logging.ERROR):
        form._save(_fail(PermissionError("read-only")), "the client's ladder")
    assert form.status == "Not saved: PermissionError: read-only"
    assert caplog.records[0].getMessage() == "the client's ladder could not be saved"
    assert caplog.records[0].exc_info is not None


def test_a_save_keeps_the_path_and_a_note_clears_the_error(tmp_path):
    form = SavingForm()
    form._save(_fail(ParameterError("x")), "the file")
    assert form._save(lambda: tmp_path / "ladder.toml", "the file") == tmp_path / "ladder.toml"
    assert form.saved == str(tmp_path / "ladder.toml")
    form._say("Saved.")
    assert not form.status_is_error and "arbook-error" not in form.message.value
