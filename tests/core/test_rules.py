"""The value rules every rules file shares and what a model finds wrong said for a person
(:mod:`arbook.core.rules`). :func:`refused` is the check every corpus of bad config files uses
(tests/core/test_config.py, test_procedure.py, tests/credit/application/, tests/collections/
documents/test_formats.py)."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import ValidationError

from arbook.core.errors import ArbookError, PolicyError
from arbook.core.rules import (
    Flag,
    Frozen,
    KeyName,
    Text,
    closest,
    known_keys,
    money,
    number,
    number_of,
    problems,
    share,
    unknown_key,
    validate_rules,
    whole,
)
from arbook.core.rules_file import RulesFile, rules_file


def refused(load, path: Path, content: str | bytes, *fragments: str, error=PolicyError) -> str:
    """Write ``content`` (text as UTF-8, dedented; or bytes) to ``path``, load it, and return the
    message it is refused with. The load must raise arbook's ``error`` itself (any other
    exception, a traceback, fails the test), every line of the message must name the file, and
    each of ``fragments`` (``{f}`` for the file's path) must be in it."""
    if isinstance(content, str):
        path.write_text(textwrap.dedent(content), encoding="utf-8")
    else:
        path.write_bytes(content)
    with pytest.raises(ArbookError) as caught:
        load(path)
    assert type(caught.value) is error, repr(caught.value)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment.replace("{f}", str(path)) in message, message
    assert all(line.startswith(f"{path}") for line in message.splitlines()), message
    return message


class Item(Frozen):
    days: Annotated[int, whole(0, 365)]
    weight: Annotated[float, number(0, 10, above=True)]
    rate: Annotated[float, share()]
    fee_cents: Annotated[int, money()] = 0
    on: Flag = False
    key: KeyName = "a"
    text: Text = "x"
    kind: Literal["due", "invoice"] = "due"


class Card(Frozen):
    item: Item
    items: tuple[Item, ...] = ()


def _messages(data: dict) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        validate_rules(Card, RulesFile(data, "card.toml"), "scorecard")
    return str(caught.value).splitlines()


GOOD = {"days": 30, "weight": 1, "rate": Decimal("0.1")}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"days": True}, "item.days: true is true/false, not a number"),
        ({"days": "30"}, 'days: "30" is text, not a number; write a whole number from 0 to 365'),
        ({"days": Decimal("30.5")}, "days: 30.5 is not a whole number"),
        ({"days": 366}, "days: 366 is out of range; write a whole number from 0 to 365"),
        ({"weight": 0}, "weight: 0 is out of range; write a number above 0 and at most 10"),
        ({"weight": Decimal("NaN")}, "weight: nan is not a finite number"),
        ({"weight": float("inf")}, "weight: inf is not a finite number"),
        ({"rate": 5}, "rate: 5 must be a fraction from 0 to 1; 10% is 0.10, not 10"),
        ({"rate": False}, "rate: false is true/false, not a number"),
        ({"fee_cents": Decimal("1E+300")}, "fee_cents: '1E+300' is too large an amount"),
        ({"fee_cents": Decimal("NaN")}, "fee_cents: nan is not an amount of money"),
        ({"fee_cents": True}, "fee_cents: true is not an amount of money"),
        ({"fee_cents": Decimal("10.005")}, "fee_cents: '10.005' has more than 2 decimals"),
        ({"fee_cents": -1}, "fee_cents: -1 must be 0 or more"),
        ({"on": "yes"}, 'on: "yes" is not true or false; write true or false, no quotes'),
        ({"key": "First Call"}, 'key: "First Call" is not a key name'),
        ({"text": "  "}, "text: is blank; write the text"),
        ({"text": 5}, "text: 5 is not text; write it in double quotes"),
        ({"kind": "Due"}, 'kind: "Due" is not one of "due", "invoice"; did you mean "due"?'),
        ({"dyas": 3}, "dyas: unknown key; did you mean days?"),
        ({"zzz": 3}, "zzz: unknown key; the keys here are days, weight, rate, fee_cents, on,"),
    ],
)
def test_each_value_rule_says_what_is_wrong_and_what_to_write(change, message):
    [line] = _messages({"item": {**GOOD, **change}})
    assert line.startswith("card.toml: ") and message in line


def test_money_is_exact_cents_and_numbers_are_floats():
    item = Item.model_validate({**GOOD, "fee_cents": Decimal("10.10"), "weight": Decimal("2.5")})
    assert item.fee_cents == 1010 and item.weight == 2.5 and item.rate == 0.1
    assert Item.model_validate({**GOOD, "fee_cents": "1,000.00"}).fee_cents == 100_000
    assert Item.model_validate({**GOOD, "fee_cents": Decimal("1E+2")}).fee_cents == 10_000


def test_missing_wrong_shape_and_list_items():
    assert _messages({}) == [
        "card.toml: item: missing; add it (arbook/defaults/scorecard.toml shows every key)"
    ]
    assert _messages({"item": 5}) == [
        "card.toml: item: 5 is not a table; write key = value lines under a [heading]"
    ]
    lines = _messages({"item": GOOD, "items": [GOOD, {**GOOD, "days": -1}]})
    assert lines == [
        "card.toml: items, item 2, days: -1 is out of range; write a whole number from 0 to 365"
    ]
    assert _messages({"item": GOOD, "items": 3}) == [
        "card.toml: items: 3 is not a list; write it in brackets, like [1, 2]"
    ]


def test_problems_across_keys_are_each_at_their_key():
    class Pair(Frozen):
        low: int
        high: int

        def model_post_init(self, _context) -> None:
            problems([(("low",), "is above high"), (("high",), "is below low")])

    file = rules_file("low = 5\nhigh = 1\n", "pair.toml")
    with pytest.raises(PolicyError) as caught:
        validate_rules(Pair, file, "pair")
    assert str(caught.value).splitlines() == [
        "pair.toml:1: low: is above high",
        "pair.toml:2: high: is below low",
    ]


def test_number_of_never_takes_text_or_a_flag():
    assert number_of(3, "x") == 3 and number_of(Decimal("2.5"), "x") == Decimal("2.5")
    for value in (True, "3", None, [3]):
        with pytest.raises(ValueError, match="write 3"):
            number_of(value, "write 3")


def test_known_keys_closest_and_unknown_key():
    assert known_keys(Card, ("items", 0)) == list(Item.model_fields)
    assert known_keys(Card, ("nowhere",)) == []
    assert closest("Fee_Cents", ["fee_cents", "days"]) == "fee_cents"  # any case
    assert closest("colour", ["days", "weight"]) is None
    assert unknown_key("x", [f"k{n}" for n in range(20)], "a.toml") == (
        "unknown key; check its spelling against a.toml"
    )


def test_a_raw_pydantic_error_never_leaves_validate_rules():
    with pytest.raises(PolicyError):
        validate_rules(Card, RulesFile({"item": {"days": object()}}, "c.toml"), "c")
    with pytest.raises(ValidationError):  # the model alone still raises pydantic's own
        Card.model_validate({"item": {}})
