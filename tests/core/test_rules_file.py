"""A rules file read (:mod:`arbook.core.rules_file`): its encodings (UTF-8 with or without a
byte-order mark, UTF-16 with one; anything else refused with its line), TOML syntax errors with
line and column, floats read as exact Decimals, the line of every key, and keys said as the file
writes them."""

from __future__ import annotations

import codecs
from decimal import Decimal

import pytest

from arbook.core.errors import ParameterError, PolicyError
from arbook.core.rules_file import (
    ENCODINGS,
    MAX_BYTES,
    RulesFile,
    decode,
    key_text,
    locate,
    parse_toml,
    read_bytes,
    read_rules,
    rules_file,
    shown,
)


@pytest.mark.parametrize(
    "value, text",
    [
        (True, "true"),
        ("ten", '"ten"'),
        (Decimal("1E+300"), "1E+300"),
        (Decimal("NaN"), "nan"),
        (float("-inf"), "-inf"),
        ([True, 60], "[true, 60]"),
        ({"a": 1}, "{ a = 1 }"),
        ("x" * 200, '"' + "x" * 38 + "…"),  # a huge value is never echoed whole
    ],
)
def test_shown_as_toml_writes_it(value, text):
    assert shown(value) == text


def test_decode_skips_a_bom_and_reads_utf16():
    assert decode(codecs.BOM_UTF8 + b"a = 1\n", "p.toml") == "a = 1\n"
    assert decode(codecs.BOM_UTF16_LE + "имя = 1\n".encode("utf-16-le"), "p.toml") == "имя = 1\n"
    assert decode("a = 'é'\n".encode("utf-16"), "p.toml") == "a = 'é'\n"  # a BOM of its own


def test_decode_refuses_another_encoding_with_its_line():
    raw = 'name = "Acme"\naddress = "Rue de l\'Été"\n'.encode("latin-1")
    with pytest.raises(PolicyError) as caught:
        decode(raw, "company.toml")
    assert str(caught.value) == (
        f"company.toml:2: byte 0xc9 at column 21 is not UTF-8: the file is in another encoding. "
        f"Save it as {ENCODINGS}"
    )
    with pytest.raises(ParameterError, match="UTF-8"):  # the error class the caller names
        decode("имя".encode("cp1251"), "a.toml", ParameterError)


def test_read_bytes_says_what_is_wrong(tmp_path):
    with pytest.raises(PolicyError, match=r"no such ladder file\. Copy it"):
        read_bytes(tmp_path / "nope.toml", "ladder", "Copy it.")
    with pytest.raises(PolicyError, match="is a folder, not a ladder file"):
        read_bytes(tmp_path, "ladder", "Copy it.")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with pytest.raises(PolicyError, match="the ladder file cannot be read"):
        read_bytes(tmp_path / "loop", "ladder", "Copy it.")
    (tmp_path / "dangling").symlink_to(tmp_path / "gone")
    with pytest.raises(PolicyError, match="no such ladder file"):
        read_bytes(tmp_path / "dangling", "ladder", "Copy it.")
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(PolicyError, match="too big for a ladder file"):
        read_bytes(big, "ladder", "Copy it.")


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "a = 1\na = 2\n",
            "p.toml:2: not valid TOML at line 2, column 6: Cannot overwrite a value (the line "
            'reads "a = 2"); a key is given twice',
        ),
        ("[x]\na = 1\n[x]\n", "p.toml:3: not valid TOML at line 3, column 3: Cannot declare"),
        ('[x\na = "b"\n', "p.toml:1: not valid TOML at line 1, column 3"),
        ("a = \n", "p.toml:1: not valid TOML at line 1, column 5: Invalid value"),
        ("\ufeffa = 1\n", "p.toml:1: not valid TOML at line 1, column 1: Invalid statement"),
    ],
)
def test_syntax_errors_have_line_and_column(text, message):
    with pytest.raises(PolicyError) as caught:
        parse_toml(text, "p.toml")
    assert str(caught.value).startswith(message)


def test_floats_are_exact_decimals():
    data = parse_toml("fee = 10.10\nrate = 0.1\nbig = 1e300\nnot_a = nan\nn = 3\n", "p.toml")
    assert data["fee"] == Decimal("10.10") and data["rate"] == Decimal("0.1")
    assert data["big"] == Decimal("1E+300") and data["not_a"].is_nan() and data["n"] == 3


TRICKY = """\
# a comment with = and [brackets]
top = 1
"quoted key" = 'x = [1, 2]'
dotted.key = 3
[table]
long = \"\"\"line one
line two = [not a key]\"\"\"
after = 4
bands = [
  { at_least = 0, points = 0 },   # band 1
  { at_least = 2, points = 8 },
]
[[steps]]
key = "a"
[steps.script]
en = "Hi {name}"
[[steps]]
key = "b"
[steps.script]
en = 'Hi # not a comment'
"""


def test_every_key_is_found_on_its_line():
    lines, tables, arrays = locate(TRICKY)
    assert lines[("top",)] == 2 and lines[("quoted key",)] == 3
    assert lines[("dotted", "key")] == 4 and lines[("table",)] == 5
    assert lines[("table", "long")] == 6 and lines[("table", "after")] == 8  # past the string
    assert lines[("table", "bands", 0, "points")] == 10
    assert lines[("table", "bands", 1, "at_least")] == 11
    assert lines[("steps",)] == 13 and lines[("steps", 0, "script", "en")] == 16
    assert lines[("steps", 1)] == 17 and lines[("steps", 1, "script", "en")] == 20
    assert ("table",) in tables and ("steps", "script") in tables and arrays == {("steps",)}


def test_the_line_of_a_key_not_in_the_file_is_its_nearest_table():
    file = rules_file(TRICKY, "p.toml")
    assert file.line(("table", "bands", 1, "colour")) == 11
    assert file.line(("elsewhere",)) is None
    assert file.at(("table", "after")) == "p.toml:8: [table] after"
    assert file.at(("elsewhere",)) == "p.toml: elsewhere"
    assert RulesFile({"a": 1}, "").at(("a",)) == "a"  # rules given as a dict: the key alone
    assert file.at(()) == "p.toml: (the whole file)"


@pytest.mark.parametrize(
    "loc, text",
    [
        (("aging", "edges"), "[aging] edges"),
        (("aging", "edges", 0), "[aging] edges, value 1"),
        (("default_terms_days",), "default_terms_days"),
        (("allowance", "loss_rates", "121+"), '[allowance] loss_rates."121+"'),
        (("allowance", "loss_rates", "1-30"), "[allowance] loss_rates.1-30"),
        (("documents", "pay_within_days", "reminder"), "[documents.pay_within_days] reminder"),
        (("late_charges",), "[late_charges]"),
    ],
)
def test_policy_keys_as_the_file_writes_them(loc, text):
    assert read_rules("policy").key(loc) == text


def test_listed_tables_by_their_word_and_key():
    ladder = read_rules("ladder")
    assert ladder.key(("steps", 1, "script", "en")) == 'step 2 "reminder", script.en'
    assert (
        ladder.at(("steps", 0, "days")) == 'arbook/defaults/ladder.toml:13: step 1 "pre_due", days'
    )
    card = read_rules("scorecard")
    assert card.key(("years_in_business", "bands", 2, "points")) == (
        "[years_in_business] bands, band 3, points"
    )
    assert card.key(("grades", "A", "min_points")) == "[grades.A] min_points"
    playbook = read_rules("playbook")
    assert playbook.key(("excuses", 0, "en", "pin_down", 1)) == (
        'excuse 1 "unopened_mail", en.pin_down, value 2'
    )
    assert key_text(("x", 0, 1)) == "x, value 1, value 2"  # no data: positions only


def test_read_rules_names_the_shipped_file_and_what_to_do(tmp_path):
    assert read_rules("policy").source == "arbook/defaults/policy.toml"
    assert read_rules("policy", "").data == read_rules("policy").data
    with pytest.raises(PolicyError, match=r"no such policy file\. Copy arbook/defaults/policy"):
        read_rules("policy", tmp_path / "nope.toml")
    path = tmp_path / "policy.toml"
    path.write_bytes(codecs.BOM_UTF8 + b"default_terms_days = 45\n")  # Notepad's UTF-8
    assert read_rules("policy", path).data == {"default_terms_days": 45}
