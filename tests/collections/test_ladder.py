"""The collection ladder (SPEC §7): the step a customer is on and the shipped steps (a ladder
file's validation is tested with its models, in tests/core/test_procedure.py)."""

from __future__ import annotations

import pytest

from arbook.collections.ladder import ladder_step, load_ladder
from arbook.core.config import LANGUAGES as LANGS


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
    assert {s.template for s in steps} >= {"reminder", "notice", "final_notice", "legal"}
    assert all(getattr(s.script, lang) and s.owner and s.ends_when for s in steps for lang in LANGS)
    assert steps[3].late_charges and steps[4].credit_hold
