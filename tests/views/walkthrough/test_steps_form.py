"""The three-steps form: the file it writes only on the button, atomically, and the order it
insists on (the TOML itself is tested in tests/collections/test_ladder_file.py). Widgets are
driven headless (set a value, press save)."""

from __future__ import annotations

from arbook.collections.ladder import load_ladder
from arbook.views.walkthrough import steps_form
from arbook.views.walkthrough.steps_form import StepsForm


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
    assert form.status.startswith(f"Not saved: {saved}:")  # the client's file, not a temporary
    assert 'step 1 "Bad Key", key: "Bad Key" is not a key name' in form.status
    assert saved.read_text(encoding="utf-8") == "# the client's old ladder\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ladder.toml"]


def test_a_missing_folder_is_reported(tmp_path):
    form = StepsForm(str(tmp_path / "nowhere"))
    assert form.save() is False
    assert "no such folder" in form.status and not (tmp_path / "nowhere").exists()
