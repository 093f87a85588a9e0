"""The collection procedure as data (procedure): the ladder's and the playbook's models and
what they refuse (a corpus of bad ladder and playbook files, each a located message), scripts
that name bare placeholders only, the templates a step may name, the hold step, and which ladder
or playbook is followed (given, the client's own in its data folder, or the shipped one)."""

from __future__ import annotations

import codecs

import pydantic
import pytest
from conftest import ROOT, ledger_of
from core.test_rules import refused

from arbook.core.errors import ParameterError, PolicyError
from arbook.core.procedure import (
    LADDER_FILE,
    PLACEHOLDERS,
    PLAYBOOK_FILE,
    Ladder,
    Playbook,
    client_file,
    ladder_templates,
    load_ladder,
    load_playbook,
    resolve_ladder,
    resolve_playbook,
    script_fields,
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
    step = f'{path}:1: step 1 "a"'
    assert lines == [
        f"{step}, template: missing; add it (arbook/defaults/ladder.toml shows every key)",
        f"{step}, late_charges: missing; add it (arbook/defaults/ladder.toml shows every key)",
        f"{step}, credit_hold: missing; add it (arbook/defaults/ladder.toml shows every key)",
        f'{path}:3: step 1 "a", days: "soon" is text, not a number; write a whole number from '
        "-365 to 3650, without quotes",
        f'{path}:7: step 1 "a", colour: unknown key; the keys here are key, days, action, '
        "template, script, owner, ends_when, late_charges, credit_hold",
        f'{path}:8: step 1 "a", script.ru: missing; add it (arbook/defaults/ladder.toml shows '
        "every key)",
        f'{path}:9: step 1 "a", script.en: unknown placeholder {{who}}. The placeholders are '
        "{contact}, {name}, {amount}, {days}; write {{ and }} for a literal brace",
    ]


def test_ladder_order_checked(tmp_path):
    text = (
        (ROOT / "arbook/defaults/ladder.toml").read_text("utf-8").replace("days = 7", "days = 90")
    )
    (tmp_path / "l.toml").write_text(text, encoding="utf-8")
    with pytest.raises(
        PolicyError,
        match=r'l\.toml:\d+: step 4 "second_call", days: 15 is not '
        r"after step 3's 90; list the steps in order of days",
    ):
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
    assert [line.split(": ")[1] for line in lines] == [
        'excuse 1 "x", es',
        'excuse 1 "x", ru',
        'excuse 1 "x", follow_up_days',
        'excuse 1 "x", when',
        'excuse 1 "x", en.pin_down',
    ]
    assert lines[2].startswith(f'{path}:3: excuse 1 "x", follow_up_days: -1 is out of range')


def test_the_shipped_ladder_is_valid_and_holds_from_the_final_notice():
    ladder = load_ladder()
    assert Ladder.model_validate({"steps": _steps()}) == ladder  # dumped and read back alike
    assert ladder.hold_step.key == "final_notice" and ladder.hold_step.days == 30
    never = Ladder.model_validate({"steps": [dict(s, credit_hold=False) for s in _steps()]})
    assert never.hold_step is None
    assert {"contact", "name", "amount", "days"} == PLACEHOLDERS


def test_ladder_refuses_repeated_keys_unordered_days_and_a_lifted_hold():
    [(where, message)] = _refusal(_steps(_1={"key": "pre_due"}))
    assert where == ("steps",) and message == (
        '"pre_due" is the key of step 1 too; each step needs its own key'
    )
    [(_, message)] = _refusal(_steps(_1={"days": -3}))  # equal days are not increasing
    assert message.startswith("-3 is not after step 1's -3; list the steps in order of days")
    [(_, message)] = _refusal(_steps(_5={"credit_hold": False}))  # visit lifts the hold
    assert 'false, but step 5 "final_notice" puts the customer on credit hold' in message
    assert "a hold is lifted by payment, not by escalating" in message
    assert _refusal([])[0][0] == ("steps",)  # at least one step


@pytest.mark.parametrize(
    "change, where, text",
    [
        ({"key": "Pre due"}, ("steps", 0, "key"), '"Pre due" is not a key name'),
        ({"days": -366}, ("steps", 0, "days"), "-366 is out of range"),
        ({"action": ""}, ("steps", 0, "action"), "is blank; write the text"),
        ({"colour": "red"}, ("steps", 0, "colour"), "Extra inputs are not permitted"),
        ({"template": "threat"}, ("steps", 0, "template"), '"threat" is no template'),
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
    assert message.startswith("Value error, unknown placeholder {who}. The placeholders are")
    [(_, message)] = _refusal(script("Hi {name"))
    assert "bad braces" in message and "write {{ and }} for a literal brace" in message
    literal = Ladder.model_validate({"steps": script("Hi {{name}}: {amount}")})
    assert literal.steps[0].script.en == "Hi {{name}}: {amount}"


@pytest.mark.parametrize(
    "text, message",
    [
        ("{amount:>300000000}", "{amount:>300000000} has a format (:>300000000); write {amount}"),
        ("{days:{amount}}", "{days:{amount}} has a format (:{amount}); write {days} bare"),
        ("{amount:,}", "{amount:,} has a format (:,)"),
        ("{name!r}", "{name!r} has a conversion (!r); write {name} bare"),
        ("{amount.real}", "{amount.real} is not a placeholder; write {amount}"),
        ("{amount[0]}", "{amount[0]} is not a placeholder; write {amount}"),
        ("{0}", "unknown placeholder {0}"),
        ("{}", "unknown placeholder {}"),
        ("{Amount}", "unknown placeholder {Amount}; did you mean {amount}?"),
        ("}", "bad braces"),
    ],
)
def test_a_script_names_bare_placeholders_only(text, message):
    with pytest.raises(ValueError, match=r"placeholder|bad braces|has a") as caught:
        script_fields(text)
    assert str(caught.value).startswith(message)


def test_script_fields():
    assert script_fields("{contact}, {amount} for {days} days; {{literal}}") == [
        "contact",
        "amount",
        "days",
    ]


def test_the_templates_a_step_may_name_are_those_in_arbook_templates():
    assert set(ladder_templates()) == {"statement", "reminder", "notice", "final_notice", "legal"}
    assert {s.template for s in load_ladder().steps} <= set(ladder_templates()) | {""}


def test_playbook_get_and_unique_codes():
    book = load_playbook()
    assert book.get("cheque_in_post").follow_up_days == 3
    with pytest.raises(
        ParameterError, match="no excuse 'weather' in the playbook; known: unopened_mail,"
    ):
        book.get("weather")
    excuses = [e.model_dump() for e in book.excuses]
    with pytest.raises(pydantic.ValidationError, match=r'"unopened_mail" is the code of excuse 1'):
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


# -- the corpus: bad ladder and playbook files, each refused with a located message -----------
# {f} is the file's path. ONE_STEP is a valid one-step ladder; each case changes one line.

ONE_STEP = """\
[[steps]]
key = "call"
days = 7
action = "phone call"
template = ""
owner = "collector"
ends_when = "paid"
late_charges = false
credit_hold = false
[steps.script]
en = "Hello {contact}"
es = "Hola {contact}"
ru = "Здравствуйте, {contact}"
"""
SECOND = ONE_STEP.replace('"call"', '"visit"').replace("days = 7", "days = 30")
STEP = '{f}:%d: step 1 "call", '


def _one(old: str, new: str) -> str:
    assert old in ONE_STEP
    return ONE_STEP.replace(old, new)


EN = 'en = "Hello {contact}"'
LADDER_CASES = {
    # scripts: bare placeholders only, checked on load (issue 11, items 9 and 13)
    "format spec": (_one(EN, 'en = "{amount:>300000000}"'), STEP % 11 + "script.en: {amount:>3"),
    "nested spec": (_one(EN, 'en = "{days:{amount}}"'), STEP % 11 + "script.en: {days:{amount}} "),
    "conversion": (_one(EN, 'en = "{name!r}"'), STEP % 11 + "script.en: {name!r} has a conversion"),
    "attribute": (_one(EN, 'en = "{amount.real}"'), STEP % 11 + "script.en: {amount.real} is not"),
    "index": (_one(EN, 'en = "{contact[0]}"'), STEP % 11 + "script.en: {contact[0]} is not a"),
    "unknown placeholder": (
        _one(EN, 'en = "Hi {amout}"'),
        STEP % 11 + "script.en: unknown placeholder {amout}; did you mean {amount}?",
    ),
    "positional": (_one(EN, 'en = "Hi {}"'), STEP % 11 + "script.en: unknown placeholder {}"),
    "lone brace": (_one(EN, 'en = "Hi {name"'), STEP % 11 + "script.en: bad braces"),
    "spec in es": (
        _one('es = "Hola {contact}"', 'es = "{amount:,.2f}"'),
        STEP % 12 + "script.es: {amount:,.2f} has a format",
    ),
    "blank script": (_one(EN, 'en = " "'), STEP % 11 + "script.en: is blank; write the text"),
    "script not text": (_one(EN, "en = 5"), STEP % 11 + "script.en: 5 is not text"),
    "script language": (
        _one(EN, EN + '\nfr = "Bonjour"'),
        STEP % 12 + "script.fr: unknown key; the keys here are en, es, ru",
    ),
    # templates: those in arbook/templates, or "" for a call or visit
    "no such template": (
        _one('template = ""', 'template = "threat"'),
        STEP % 5 + 'template: "threat" is no template; write one of "statement",',
    ),
    "template typo": (
        _one('template = ""', 'template = "reminders"'),
        STEP % 5 + 'template: "reminders" is no template; did you mean "reminder"?',
    ),
    "template path": (
        _one('template = ""', 'template = "../../etc/passwd"'),
        STEP % 5 + 'template: "../../etc/passwd" is no template',
    ),
    # values
    "days text": (_one("days = 7", 'days = "soon"'), STEP % 3 + 'days: "soon" is text, not a'),
    "days true": (_one("days = 7", "days = true"), STEP % 3 + "days: true is true/false"),
    "days fraction": (_one("days = 7", "days = 7.5"), STEP % 3 + "days: 7.5 is not a whole number"),
    "days nan": (_one("days = 7", "days = nan"), STEP % 3 + "days: nan is not a finite number"),
    "days far": (
        _one("days = 7", "days = 5000"),
        STEP % 3 + "days: 5000 is out of range; write a whole number from -365 to 3650",
    ),
    "key name": (_one('key = "call"', 'key = "First Call"'), '{f}:2: step 1 "First Call", key: "'),
    "flag text": (
        _one("credit_hold = false", 'credit_hold = "no"'),
        STEP % 9 + 'credit_hold: "no" is not true or false; write true or false, no quotes',
    ),
    "owner blank": (_one('owner = "collector"', 'owner = ""'), STEP % 6 + "owner: is blank"),
    # keys
    "unknown key": (
        _one("days = 7", "days = 7\ncolour = 3"),
        STEP % 4 + "colour: unknown key; the keys here are key, days, action",
    ),
    "key typo": (_one("days = 7", "dayz = 7"), STEP % 3 + "dayz: unknown key; did you mean days?"),
    "table typo": (
        _one("[steps.script]", "[steps.scrpt]"),
        STEP % 10 + "scrpt: unknown key; did you mean script?",
    ),
    "missing owner": (_one('owner = "collector"\n', ""), STEP % 1 + "owner: missing; add it"),
    "no steps": ("# nothing yet\n", "{f}: steps: missing; write at least one [[steps]] table"),
    "empty steps": ("steps = []\n", "{f}:1: steps: is empty; give at least 1"),
    "single brackets": (
        ONE_STEP.replace("[[steps]]", "[steps]"),
        "{f}:1: [steps]: is one table; write each as [[steps]], in double brackets",
    ),
    # across steps
    "key twice": (ONE_STEP + SECOND.replace('"visit"', '"call"'), '{f}:15: step 2 "call", key: "'),
    "days backwards": (
        ONE_STEP + SECOND.replace("days = 30", "days = 3"),
        '{f}:16: step 2 "visit", days: 3 is not after step 1\'s 7',
    ),
    "hold lifted": (
        ONE_STEP.replace("credit_hold = false", "credit_hold = true") + SECOND,
        '{f}:22: step 2 "visit", credit_hold: false, but step 1 "call" puts the customer on credit',
    ),
    # the file itself
    "key twice in a step": (
        _one("days = 7", "days = 7\ndays = 8"),
        "{f}:4: not valid TOML at line 4",
    ),
    "unclosed string": (_one(EN, 'en = "Hello'), "{f}:11: not valid TOML at line 11"),
    "cp1251": (
        ONE_STEP.encode("cp1251"),
        "{f}:13: byte 0xc7 at column 7 is not UTF-8: the file is in another encoding",
    ),
}


@pytest.mark.parametrize("content, fragment", LADDER_CASES.values(), ids=LADDER_CASES.keys())
def test_a_bad_ladder_file_is_a_located_message(tmp_path, content, fragment):
    refused(load_ladder, tmp_path / "ladder.toml", content, fragment)


def test_the_one_step_ladder_is_valid_in_utf8_with_a_bom_and_utf16(tmp_path):
    path = tmp_path / "ladder.toml"
    for raw in (ONE_STEP.encode(), codecs.BOM_UTF8 + ONE_STEP.encode(), ONE_STEP.encode("utf-16")):
        path.write_bytes(raw)
        assert load_ladder(path).steps[0].script.ru == "Здравствуйте, {contact}"


ONE_EXCUSE = """\
[[excuses]]
code = "in_post"
follow_up_days = 3
[excuses.en]
excuse = "The cheque is in the post."
answer = "When was it sent?"
pin_down = ["date sent", "amount"]
next_step = "Watch for it."
[excuses.es]
excuse = "El cheque está en el correo."
answer = "¿Cuándo lo enviaron?"
pin_down = ["fecha"]
next_step = "Vigilar el cobro."
[excuses.ru]
excuse = "Чек отправлен почтой."
answer = "Когда он отправлен?"
pin_down = ["дата отправки"]
next_step = "Проверить поступление."
"""
EXCUSE = '{f}:%d: excuse 1 "in_post", '


def _excuse(old: str, new: str) -> str:
    assert old in ONE_EXCUSE
    return ONE_EXCUSE.replace(old, new, 1)


PLAYBOOK_CASES = {
    "follow-up negative": (
        _excuse("follow_up_days = 3", "follow_up_days = -1"),
        EXCUSE % 3 + "follow_up_days: -1 is out of range; write a whole number from 0 to 365",
    ),
    "follow-up nan": (
        _excuse("follow_up_days = 3", "follow_up_days = nan"),
        EXCUSE % 3 + "follow_up_days: nan is not a finite number",
    ),
    "follow-up text": (
        _excuse("follow_up_days = 3", 'follow_up_days = "3"'),
        EXCUSE % 3 + 'follow_up_days: "3" is text, not a number',
    ),
    "code name": (_excuse('code = "in_post"', 'code = "In Post"'), 'excuse 1 "In Post", code: "In'),
    "pin down empty": (
        _excuse('pin_down = ["date sent", "amount"]', "pin_down = []"),
        EXCUSE % 7 + "en.pin_down: is empty; give at least 1",
    ),
    "pin down text": (
        _excuse('pin_down = ["date sent", "amount"]', 'pin_down = "the date"'),
        EXCUSE % 7 + 'en.pin_down: "the date" is not a list',
    ),
    "pin down blank item": (
        _excuse('pin_down = ["date sent", "amount"]', 'pin_down = ["date sent", ""]'),
        EXCUSE % 7 + "en.pin_down, value 2: is blank; write the text",
    ),
    "answer blank": (
        _excuse('answer = "When was it sent?"', 'answer = ""'),
        EXCUSE % 6 + "en.answer: is blank",
    ),
    "unknown key": (
        _excuse("follow_up_days = 3", "follow_up_days = 3\nwhen = 3"),
        EXCUSE % 4 + "when: unknown key; the keys here are code, follow_up_days, en, es, ru",
    ),
    "unknown language": (
        ONE_EXCUSE + '[excuses.fr]\nexcuse = "x"\n',
        EXCUSE % 19 + "fr: unknown key; the keys here are code, follow_up_days, en, es, ru",
    ),
    "missing language": (ONE_EXCUSE.split("[excuses.ru]")[0], EXCUSE % 1 + "ru: missing; add it"),
    "code twice": (ONE_EXCUSE + ONE_EXCUSE, '{f}:20: excuse 2 "in_post", code: "in_post" is the'),
    "no excuses": ("", "{f}: excuses: missing; write at least one [[excuses]] table"),
    "syntax": (_excuse("follow_up_days = 3", "follow_up_days = "), "{f}:3: not valid TOML at line"),
}


@pytest.mark.parametrize("content, fragment", PLAYBOOK_CASES.values(), ids=PLAYBOOK_CASES.keys())
def test_a_bad_playbook_file_is_a_located_message(tmp_path, content, fragment):
    refused(load_playbook, tmp_path / "playbook.toml", content, fragment)


def test_the_one_excuse_playbook_is_valid():
    assert len(LADDER_CASES) + len(PLAYBOOK_CASES) >= 40
    assert Playbook.model_validate(__import__("tomllib").loads(ONE_EXCUSE)).get("in_post")
