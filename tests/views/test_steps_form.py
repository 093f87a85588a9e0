"""The three-steps form: the ladder TOML it makes, the order it insists on, and the file it
writes only on the button, atomically. Widgets are driven headless (set a value, press save)."""

from __future__ import annotations

import pytest

from arbook.collections.ladder import load_ladder
from arbook.core.errors import ParameterError
from arbook.views.walkthrough import steps_form
from arbook.views.walkthrough.steps_form import StepsForm, three_step_ladder

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


def test_the_form_starts_with_three_sensible_steps_and_writes_nothing(tmp_path):
    form = StepsForm(str(tmp_path))
    assert [(r["days"].value, r["key"].value) for r in form.rows] == [
        (-3, "pre_due"),
        (7, "first_call"),
        (15, "second_call"),
    ]
    assert form.path.value == str(tmp_path / "ladder.toml")
    assert list(tmp_path.iterdir()) == []
    assert not form.status_is_error and form.saved == ""


def test_picking_a_step_fills_its_row(tmp_path):
    form = StepsForm(str(tmp_path))
    form.rows[2]["key"].value = "final_notice"
    row = form.rows[2]
    assert (row["days"].value, row["action"].value, row["owner"].value) == (
        30,
        "final notice and credit hold",
        "credit manager",
    )


def test_the_button_saves_a_ladder_that_loads(tmp_path):
    form = StepsForm(str(tmp_path))
    form.rows[1]["owner"].value = "Ana"
    form.button.click()
    assert not form.status_is_error, form.status
    saved = tmp_path / "ladder.toml"
    assert form.saved == str(saved) and "--ladder" in form.status
    ladder = load_ladder(saved)
    assert [s.days for s in ladder.steps] == [-3, 7, 15, 30, 45, 60]
    assert ladder.steps[1].owner == "Ana"
    assert [p.name for p in tmp_path.iterdir()] == ["ladder.toml"]  # no temp file left


def test_out_of_order_rows_are_refused_in_the_status_and_nothing_is_written(tmp_path):
    form = StepsForm(str(tmp_path))
    form.rows[0]["key"].value = "first_call"
    form.rows[1]["key"].value = "pre_due"
    assert form.save() is False
    assert form.status_is_error and "does not come after step 1" in form.status
    assert "Traceback" not in form.status and "arbook-error" in form.message.value
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_kept_when_the_new_one_does_not_load(tmp_path, monkeypatch):
    saved = tmp_path / "ladder.toml"
    saved.write_text("# the client's old ladder\n", encoding="utf-8")
    monkeypatch.setattr(
        steps_form, "three_step_ladder", lambda steps, base=None: '[[steps]]\nkey = "Bad Key"\n'
    )
    form = StepsForm(str(tmp_path))
    assert form.save() is False
    assert form.status.startswith("Not saved: ") and "steps.0.key" in form.status
    assert saved.read_text(encoding="utf-8") == "# the client's old ladder\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ladder.toml"]


def test_a_missing_folder_is_reported(tmp_path):
    form = StepsForm(str(tmp_path / "nowhere"))
    assert form.save() is False
    assert "no such folder" in form.status and not (tmp_path / "nowhere").exists()
