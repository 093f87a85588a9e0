"""The walkthrough's picker (:mod:`arbook.views.walkthrough.picker`): the as-of check, the
Walkthrough widget on the tiny ledger of test_story.py and on the sample, a bad folder or date
shown as an error that keeps the story, and an empty StoryOutput."""

from __future__ import annotations

import html

import pytest
import test_story
from conftest import SAMPLE
from test_story import text

from arbook.core.errors import ParameterError
from arbook.views.walkthrough.picker import SECTIONS, StoryOutput, Walkthrough, check_as_of

tiny_folder, tiny = test_story.tiny_folder, test_story.tiny  # its fixtures: the tiny ledger


def test_check_as_of(tiny):
    assert check_as_of(tiny.ledger, "") == "2026-03-31"
    with pytest.raises(ParameterError, match="from 2025-12-31 to 2026-03-31"):
        check_as_of(tiny.ledger, "2026-03-15")


def test_picker_renders_the_defaults(tiny_folder):
    tour = Walkthrough(str(tiny_folder), "", client="Acme")
    assert not tour.status_is_error and tour.as_of == "2026-03-31"
    assert tour.month.options[0] == "2026-03-31"
    assert set(tour.sections) == set(SECTIONS)
    assert "Beta" in text(tour.show("chase").html())  # shown as in dispute, not chased
    bundle = tour.show("owed")._repr_mimebundle_()
    assert "4,600.00" in bundle["text/html"] and "<svg" in bundle["text/html"]
    with pytest.raises(ParameterError):
        tour.show("nope")


def test_picker_bad_folder_keeps_the_story(tiny_folder, tmp_path):
    tour = Walkthrough(str(tiny_folder), "2026-02-28")
    before = {name: out.html() for name, out in tour.sections.items()}
    tour.folder.value = str(tmp_path / "missing")
    assert tour.status_is_error and "does not exist" in tour.message.value
    assert tour.use() is False
    assert "arbook-error" in tour.message.value and "Traceback" not in tour.message.value
    assert {name: out.html() for name, out in tour.sections.items()} == before
    assert tour.as_of == "2026-02-28"


def test_picker_good_folder_and_date_redraws(tiny_folder):
    tour = Walkthrough(str(tiny_folder))
    tour.folder.value = str(SAMPLE)
    assert not tour.status_is_error
    assert tour.month.options[0] == "2026-10-31"
    assert tour.month.value == "2026-03-31"  # the month picked stays when the new data has it
    tour.month.value = "2026-09-30"
    assert tour.use() is True
    assert tour.as_of == "2026-09-30" and tour.data == str(SAMPLE)
    assert "2026-09-30" in tour.show("title").html()
    assert "Silverline" in tour.show("chase").html()


def test_picker_bad_date_parameter_shows_an_error(tiny_folder):
    tour = Walkthrough(str(tiny_folder), "2026-03-15")
    assert tour.status_is_error and tour.review is None
    assert "not one of the data's month ends" in html.unescape(tour.show("title").html())
    assert "arbook-error" in tour.show("title").html()


def test_story_output_without_content_still_displays():
    bundle = StoryOutput()._repr_mimebundle_()
    assert bundle["text/html"] == ""
    assert "application/vnd.jupyter.widget-view+json" in bundle
