"""The collection procedure as data (procedure): the ladder's and the playbook's models and
what they refuse, the hold step, and which ladder or playbook is followed (given, the client's
own in its data folder, or the shipped one)."""

from __future__ import annotations

import pydantic
import pytest
from conftest import ROOT, ledger_of

from arbook.core.errors import ParameterError, PolicyError
from arbook.core.procedure import (
    LADDER_FILE,
    PLACEHOLDERS,
    PLAYBOOK_FILE,
    Ladder,
    Playbook,
    client_file,
    load_ladder,
    load_playbook,
    resolve_ladder,
    resolve_playbook,
)

SHIPPED = ROOT / "arbook" / "defaults"


def _steps(**changes) -> list[dict]:
    """The shipped ladder's steps as dicts; ``changes`` maps a step's index to its new keys."""
    steps = [step.model_dump() for step in load_ladder().steps]
    for index, keys in changes.items():
        steps[int(index.lstrip("_"))].update(keys)
    return steps


def _refusal(steps) -> list[tuple]:
    with pytest.raises(pydantic.ValidationError) as err:
        Ladder.model_validate({"steps": steps})
    return [(e["loc"], e["msg"]) for e in err.value.errors()]


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


def test_bad_playbook_reports_every_bad_key(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        '[[excuses]]\ncode = "x"\nfollow_up_days = -1\nwhen = 3\n'
        '[excuses.en]\nexcuse = "e"\nanswer = "a"\npin_down = []\nnext_step = "n"\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as err:
        load_playbook(path)
    lines = str(err.value).splitlines()
    assert {line.split(": ")[1] for line in lines} == {
        "excuses.0.follow_up_days",
        "excuses.0.when",
        "excuses.0.en.pin_down",
        "excuses.0.es",
        "excuses.0.ru",
    }


def test_the_shipped_ladder_is_valid_and_holds_from_the_final_notice():
    ladder = load_ladder()
    assert Ladder.model_validate({"steps": _steps()}) == ladder  # dumped and read back alike
    assert ladder.hold_step.key == "final_notice" and ladder.hold_step.days == 30
    never = Ladder.model_validate({"steps": [dict(s, credit_hold=False) for s in _steps()]})
    assert never.hold_step is None
    assert {"contact", "name", "amount", "days"} == PLACEHOLDERS


def test_ladder_refuses_repeated_keys_unordered_days_and_a_lifted_hold():
    [(where, message)] = _refusal(_steps(_1={"key": "pre_due"}))
    assert where == ("steps",) and "step keys must be unique, got ['pre_due', 'pre_due'," in message
    [(_, message)] = _refusal(_steps(_1={"days": -3}))  # equal days are not increasing
    assert "step days must be strictly increasing, got [-3, -3, 7," in message
    [(_, message)] = _refusal(_steps(_5={"credit_hold": False}))  # visit lifts the hold
    assert "step 'final_notice' puts the customer on credit hold, so every later step" in message
    assert "a hold is lifted by payment, not by escalating" in message
    assert _refusal([])[0][0] == ("steps",)  # at least one step


@pytest.mark.parametrize(
    "change, where, text",
    [
        ({"key": "Pre due"}, ("steps", 0, "key"), "should match pattern"),
        ({"days": -366}, ("steps", 0, "days"), "greater than or equal to -365"),
        ({"action": ""}, ("steps", 0, "action"), "at least 1 character"),
        ({"colour": "red"}, ("steps", 0, "colour"), "Extra inputs are not permitted"),
    ],
)
def test_a_step_refuses_bad_values(change, where, text):
    [(loc, message)] = _refusal(_steps(_0=change))
    assert loc == where and text in message


def test_scripts_name_only_the_known_placeholders():
    def script(en):
        return _steps(_0={"script": dict(load_ladder().steps[0].script.model_dump(), en=en)})

    [(loc, message)] = _refusal(script("Hi {who}, {name}"))
    assert loc == ("steps", 0, "script", "en")
    assert "unknown placeholder(s) ['who']; use ['amount', 'contact', 'days', 'name']" in message
    [(_, message)] = _refusal(script("Hi {name"))
    assert "bad braces" in message and "write {{ and }} for literal braces" in message
    literal = Ladder.model_validate({"steps": script("Hi {{name}}: {amount}")})
    assert literal.steps[0].script.en == "Hi {{name}}: {amount}"


def test_playbook_get_and_unique_codes():
    book = load_playbook()
    assert book.get("cheque_in_post").follow_up_days == 3
    with pytest.raises(
        ParameterError, match="no excuse 'weather' in the playbook; known: unopened_mail,"
    ):
        book.get("weather")
    excuses = [e.model_dump() for e in book.excuses]
    with pytest.raises(pydantic.ValidationError, match="excuse codes must be unique"):
        Playbook.model_validate({"excuses": excuses + excuses[:1]})


def test_a_missing_file_says_to_copy_the_shipped_one(tmp_path):
    with pytest.raises(
        PolicyError, match=r"no such ladder file\. Copy arbook/defaults/ladder\.toml"
    ):
        load_ladder(tmp_path / "nope.toml")
    with pytest.raises(PolicyError, match=r"no such playbook file\. Copy arbook/defaults/playbook"):
        load_playbook(tmp_path / "nope.toml")


def test_client_file(tmp_path):
    assert client_file(None, LADDER_FILE) is None
    assert client_file(tmp_path, LADDER_FILE) is None
    (tmp_path / LADDER_FILE).mkdir()  # a folder of that name is no file
    assert client_file(tmp_path, LADDER_FILE) is None
    (tmp_path / PLAYBOOK_FILE).write_text("", encoding="utf-8")
    assert client_file(tmp_path, PLAYBOOK_FILE) == tmp_path / PLAYBOOK_FILE


def test_resolve_ladder_given_then_the_clients_then_the_shipped(tmp_path):
    ledger = ledger_of(
        tmp_path, invoices="invoice_id,customer_id,invoice_date,amount\nI1,A,2026-01-01,1.00\n"
    )
    shipped = load_ladder()
    assert resolve_ladder() == shipped and resolve_ladder(folder=ledger.folder) == shipped
    own = (SHIPPED / LADDER_FILE).read_text("utf-8").replace("days = 7\n", "days = 8\n")
    (ledger.folder / LADDER_FILE).write_text(own, encoding="utf-8")
    # the client's own ladder.toml beside its invoices, whenever no other ladder is given
    assert resolve_ladder(folder=ledger.folder).steps[2].days == 8
    assert resolve_ladder("", folder=ledger.folder).steps[2].days == 8
    assert resolve_ladder(None).steps[2].days == 7  # no folder: the shipped ladder
    # a ladder given wins: a Ladder as it is, or a file
    assert resolve_ladder(shipped, folder=ledger.folder) is shipped
    other = tmp_path / "other.toml"
    other.write_text(own.replace("days = 8\n", "days = 9\n"), encoding="utf-8")
    assert resolve_ladder(other, folder=ledger.folder).steps[2].days == 9
    assert resolve_ladder(str(other)).steps[2].days == 9


def test_resolve_playbook_like_the_ladder(tmp_path):
    shipped = load_playbook()
    assert resolve_playbook(folder=tmp_path) == shipped
    text = (SHIPPED / PLAYBOOK_FILE).read_text("utf-8")
    assert "follow_up_days = 2\n" in text  # unopened_mail, the first excuse
    (tmp_path / PLAYBOOK_FILE).write_text(
        text.replace("follow_up_days = 2\n", "follow_up_days = 4\n", 1), encoding="utf-8"
    )
    assert resolve_playbook(folder=tmp_path).get("unopened_mail").follow_up_days == 4
    assert resolve_playbook(shipped, folder=tmp_path) is shipped
    assert resolve_playbook().get("unopened_mail").follow_up_days == 2
