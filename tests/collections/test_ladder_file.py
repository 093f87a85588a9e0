"""The ladder file a client agrees to (:mod:`arbook.collections.ladder_file`): the TOML made from
three chosen steps loads with the chosen steps first, then the shipped ladder's later steps; an
edited step takes the nearest shipped step's script; the order and every field are checked."""

from __future__ import annotations

import pytest

from arbook.collections.ladder import load_ladder
from arbook.collections.ladder_file import three_step_ladder, write_ladder
from arbook.core.errors import ParameterError, PolicyError

DEFAULT = load_ladder()
BY_KEY = {s.key: s for s in DEFAULT.steps}


def _load(text, tmp_path):
    path = tmp_path / "ladder.toml"
    path.write_text(text, encoding="utf-8")
    return load_ladder(path)


def _pick(*keys):
    return [
        {"key": k, "days": BY_KEY[k].days, "action": BY_KEY[k].action, "owner": BY_KEY[k].owner}
        for k in keys
    ]


def test_the_ladder_made_loads_with_the_chosen_steps_first_then_the_later_defaults(tmp_path):
    ladder = _load(three_step_ladder(_pick("pre_due", "first_call", "second_call")), tmp_path)
    keys = [s.key for s in ladder.steps]
    # -3, +7, +15 chosen; the shipped ladder's steps after day 15 follow: 30, 45, 60.
    assert keys == ["pre_due", "first_call", "second_call", "final_notice", "visit", "agency"]
    assert [s.days for s in ladder.steps] == [-3, 7, 15, 30, 45, 60]
    assert ladder.steps == tuple(BY_KEY[k] for k in keys)  # scripts and flags kept whole


def test_an_edited_step_takes_the_nearest_default_steps_script(tmp_path):
    rows = _pick("pre_due", "first_call", "second_call")
    rows[1] = {"key": "first_call", "days": 10, "action": "call the buyer", "owner": "Ana"}
    rows[2] = {"key": "", "days": "+20", "action": "letter from the owner", "owner": "owner"}
    ladder = _load(three_step_ladder(rows), tmp_path)
    _first, second, third = ladder.steps[:3]
    assert (second.days, second.action, second.owner) == (10, "call the buyer", "Ana")
    assert second.script == BY_KEY["first_call"].script  # 10 is nearer 7 than 15
    assert third.days == 20 and third.script == BY_KEY["second_call"].script  # 15 nearer than 30
    assert third.late_charges and third.template == "notice"
    assert [s.days for s in ladder.steps[3:]] == [30, 45, 60]
    assert len({s.key for s in ladder.steps}) == len(ladder.steps)


def test_an_edited_step_near_a_later_default_gets_a_key_of_its_own(tmp_path):
    rows = _pick("pre_due", "first_call") + [
        {"key": "", "days": 28, "action": "notice", "owner": "collector"}
    ]
    ladder = _load(three_step_ladder(rows), tmp_path)
    assert [s.key for s in ladder.steps] == [
        "pre_due",
        "first_call",
        "final_notice_3",
        "final_notice",
        "visit",
        "agency",
    ]


def test_quotes_and_non_ascii_survive_the_toml(tmp_path):
    rows = _pick("pre_due", "first_call", "second_call")
    rows[0]["action"] = 'e-mail "amable" — напоминание \\ ok'
    ladder = _load(three_step_ladder(rows), tmp_path)
    assert ladder.steps[0].action == rows[0]["action"]


def test_steps_out_of_order_are_refused_in_a_sentence():
    with pytest.raises(
        ParameterError,
        match=r"step 2 \(day -3\) does not come after step 1 "
        r"\(day \+7\).*Reorder them",
    ):
        three_step_ladder(_pick("first_call", "pre_due", "second_call"))


def test_an_incomplete_step_is_named():
    rows = _pick("pre_due", "first_call", "second_call")
    rows[2]["owner"] = " "
    with pytest.raises(ParameterError, match="step 3: the owner is empty"):
        three_step_ladder(rows)
    rows[2]["owner"], rows[1]["days"] = "x", "soon"
    with pytest.raises(ParameterError, match="step 2: days is 'soon'"):
        three_step_ladder(rows)


def test_a_ladder_that_does_not_load_is_not_written_and_names_the_file(tmp_path):
    path = tmp_path / "ladder.toml"
    good = three_step_ladder(_pick("pre_due", "first_call", "second_call"))
    for bad, fragment in (
        (good.replace("{amount}", "{amount:>300000000}", 1), "has a format (:>300000000)"),
        (good.replace('template = "notice"', 'template = "notise"', 1), 'did you mean "notice"'),
    ):
        with pytest.raises(PolicyError) as caught:
            write_ladder(bad, path)
        assert str(caught.value).startswith(f"{path}:") and fragment in str(caught.value)
        assert list(tmp_path.iterdir()) == []  # nothing written, no temporary file left
    assert write_ladder(good, path) == path and load_ladder(path).steps[0].key == "pre_due"
