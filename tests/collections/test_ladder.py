"""The collection ladder (SPEC §7): the step a customer is on, the shipped steps, and every bad
key of a client's ladder file named."""

from __future__ import annotations

import pytest
from conftest import ROOT

from arbook.collections.ladder import ladder_step, load_ladder
from arbook.core.config import LANGUAGES as LANGS
from arbook.core.errors import PolicyError


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


def test_bad_ladder_reports_every_bad_key(tmp_path):
    path = tmp_path / "ladder.toml"
    path.write_text(
        '[[steps]]\nkey = "a"\ndays = "soon"\naction = "x"\nowner = "me"\n'
        'ends_when = "paid"\ncolour = "red"\n[steps.script]\nen = "Hi {who}"\n'
        'es = "Hola"\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as err:
        load_ladder(path)
    lines = str(err.value).splitlines()
    assert (
        f"{path}: steps.0.days: Input should be a valid integer, unable to parse string as "
        "an integer" in lines
    )
    assert any(line.startswith(f"{path}: steps.0.colour: unknown key") for line in lines)
    assert any(line.startswith(f"{path}: steps.0.script.en: unknown placeholder") for line in lines)
    assert f"{path}: steps.0.script.ru: missing; arbook/defaults/ladder.toml has it" in lines
    assert f"{path}: steps.0.credit_hold: missing; arbook/defaults/ladder.toml has it" in lines
    assert len(lines) == 7  # days, colour, template, late_charges, credit_hold, en, ru


def test_ladder_order_checked(tmp_path):
    text = (
        (ROOT / "arbook/defaults/ladder.toml").read_text("utf-8").replace("days = 7", "days = 90")
    )
    (tmp_path / "l.toml").write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match="steps: step days must be strictly increasing"):
        load_ladder(tmp_path / "l.toml")
