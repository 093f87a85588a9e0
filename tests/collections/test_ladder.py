"""The collection ladder (SPEC §7): the step a customer is on, the shipped steps, and scripts
filled with bare placeholders only (a ladder file's validation is tested with its models, in
tests/core/test_procedure.py)."""

from __future__ import annotations

import pytest

from arbook.collections.ladder import fill_script, ladder_step, load_ladder
from arbook.core.config import LANGUAGES as LANGS
from arbook.core.errors import ParameterError


@pytest.mark.parametrize(
    "days, key",
    [
        (-4, None),
        (-3, "pre_due"),
        (0, "pre_due"),
        (1, "reminder"),
        (6, "reminder"),
        (7, "first_call"),
        (14, "first_call"),
        (15, "second_call"),
        (29, "second_call"),
        (30, "final_notice"),
        (44, "final_notice"),
        (45, "visit"),
        (59, "visit"),
        (60, "agency"),
        (200, "agency"),
    ],
)
def test_ladder_step_boundaries(days, key):
    step = ladder_step(days, load_ladder())
    assert (step.key if step else None) == key


def test_ladder_steps_are_complete():
    steps = load_ladder().steps
    assert [s.days for s in steps] == [-3, 1, 7, 15, 30, 45, 60]
    assert {s.template for s in steps} >= {"statement", "notice", "final_notice", "legal"}
    assert all(getattr(s.script, lang) and s.owner and s.ends_when for s in steps for lang in LANGS)
    assert steps[3].late_charges and steps[4].credit_hold


def test_fill_script_fills_bare_placeholders_with_data():
    text = "Hello {contact}: {amount} for {name}, {days} days; {{literal}}"
    assert fill_script(text, contact="Ana", amount="1,000.00", name="{days}", days=31) == (
        "Hello Ana: 1,000.00 for {days}, 31 days; {literal}"  # a value is never a template
    )
    assert fill_script("Hi {contact}") == "Hi "  # a missing value is blank


@pytest.mark.parametrize("text", ["{amount:>300000000}", "{days:{amount}}", "{name!r}", "{x}"])
def test_fill_script_refuses_anything_but_a_bare_placeholder(text):
    # a format spec once padded the amount to 300 MB per row; ladder files are checked on load,
    # and a text made in code is refused here rather than formatted
    with pytest.raises(ParameterError, match="script"):
        fill_script(text, amount="1.00", days=3, name="A")


def test_every_shipped_script_fills():
    for step in load_ladder().steps:
        for lang in LANGS:
            text = fill_script(
                getattr(step.script, lang), contact="C", name="N", amount="1", days=2
            )
            assert "{" not in text
