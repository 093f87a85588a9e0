"""An applicant's answers (:mod:`arbook.credit.application.answers`): read from a dict or a
TOML / JSON / YAML file, parsed exactly (amounts to int cents), every invalid answer reported at
once. The complete application of tests/credit/test_application.py is reused."""

from __future__ import annotations

import codecs
import json
from decimal import Decimal

import pytest
from core.test_rules import refused
from credit.test_application import CARD, application

from arbook.core.errors import ParameterError
from arbook.credit.application import (
    load_scorecard,
    parse_amount,
    read_application,
    score_application,
)
from arbook.credit.application.answers import parse_answers


def test_every_invalid_answer_in_one_error():
    with pytest.raises(ParameterError) as caught:
        score_application(
            application(
                years_in_business="ten",
                bank_rating="great",
                ebit="12.345",
                total_assets="1,23",
                requested_limit=0,
                guarantee=True,
                requsted_terms_days=3,
                trade_references=[{"name": "A", "days_beyond_terms": "x"}, {"name": "B"}],
            )
        )
    assert str(caught.value).splitlines() == [
        'years_in_business: "ten" is not a number of years; write it as a number, like 10',
        'trade_references, reference 1, days_beyond_terms: "x" is not a whole number of days; '
        "write it like 30",
        "trade_references, reference 2, days_beyond_terms: missing; write the days paid late, 0 if "
        "on time",
        'bank_rating: "great" is not one of the answers; write one of excellent, good, '
        "satisfactory, poor",
        "total_assets: '1,23' is not an amount of money; write it in currency units, like "
        "12000 or 12,000.50",
        "ebit: '12.345' has more than 2 decimals; round it to the cent, like 12.35",
        "guarantee: true is not one of the answers; write one of none, personal, bank",
        "requested_limit: 0 must be above 0; write the amount in currency units, like 12000 or "
        "12,000.50",
        "requsted_terms_days: unknown answer; did you mean requested_terms_days?",
    ]


@pytest.mark.parametrize(
    "text, cents",
    [
        (12000, 1_200_000),
        ("12,000.50", 1_200_050),
        (12000.5, 1_200_050),
        ("-1,000", -100_000),
        (" 0.07 ", 7),
        (Decimal("3.10"), 310),
        ("1,234,567.89", 123_456_789),
    ],
)
def test_amounts_are_exact_cents(text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", ["12.345", "1,23", "1.2.3", "", True, None, "1e5", "12,0000"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(ValueError, match=r"amount of money|2 decimals"):
        parse_amount(text)


def test_application_files(tmp_path, monkeypatch):
    answers = application()
    (tmp_path / "a.json").write_text(json.dumps(answers))
    (tmp_path / "a.yaml").write_text("legal_name: Acme Ltd\nyears_in_business: 10\n")
    assert score_application(tmp_path / "a.json").grade == "A"
    assert read_application(str(tmp_path / "a.yaml"))[0]["years_in_business"] == 10
    (tmp_path / "bad.toml").write_text('years_in_business = "ten"\nbank_rating = "great"\n')
    with pytest.raises(ParameterError) as caught:
        score_application(tmp_path / "bad.toml")
    lines = str(caught.value).splitlines()
    assert lines == [
        f'{tmp_path / "bad.toml"}:1: years_in_business: "ten" is not a number of years; write it '
        "as a number, like 10",
        f'{tmp_path / "bad.toml"}:2: bank_rating: "great" is not one of the answers; write one of '
        "excellent, good, satisfactory, poor",
    ]
    (tmp_path / "broken.toml").write_text("legal_name = \n")
    with pytest.raises(ParameterError, match="not valid TOML"):
        read_application(tmp_path / "broken.toml")
    with pytest.raises(ParameterError, match="no such application file"):
        read_application(tmp_path / "nope.toml")
    monkeypatch.setattr("arbook.credit.application.answers.find_spec", lambda name: None)
    with pytest.raises(ParameterError, match=r"PyYAML.*write the answers as TOML or JSON"):
        read_application(tmp_path / "a.yaml")


# --- each answer parsed ------------------------------------------------------------------------


def test_answers_are_parsed_exactly_and_blanks_left_out():
    raw = {
        "legal_name": "  Acme Ltd ",
        "years_in_business": "4.5",
        "bank_rating": " Satisfactory ",  # the scorecard's answers, any case and spacing
        "requested_limit": "50,000",
        "retained_earnings": "-1,000",  # losses carried forward may be negative
        "current_assets": 0,  # 0 is an answer, not a blank
        "trade_references": [
            {"name": "North", "days_beyond_terms": "5"},
            {"name": "South", "days_beyond_terms": -3},  # paid early
        ],
        "ebit": "",
        "guarantee": None,
        "requested_terms_days": 0,
    }
    assert parse_answers(raw, CARD) == {
        "legal_name": "Acme Ltd",
        "years_in_business": Decimal("4.5"),
        "bank_rating": "satisfactory",
        "requested_limit": 5_000_000,
        "retained_earnings": -100_000,
        "current_assets": 0,
        "trade_references": (("North", 5), ("South", -3)),
        "requested_terms_days": 0,
    }
    assert parse_answers({"trade_references": []}, CARD) == {} == parse_answers({}, CARD)


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"years_in_business": 1001}, "years_in_business: 1001 is not a number of years; write 0"),
        (
            {"requested_terms_days": -1},
            "requested_terms_days: -1 is not a whole number of days from 0 to 3650",
        ),
        ({"total_assets": 0}, "total_assets: 0 must be above 0"),
        ({"current_liabilities": "-1"}, "current_liabilities: '-1' must be 0 or more"),
        ({"legal_name": 5}, "legal_name: 5 is not a name; write the legal name as text"),
        ({"trade_references": "North"}, 'trade_references: "North" is not a list'),
        (
            {"trade_references": [{"name": "N", "days": 3}]},
            'trade_references, reference 1: { name = "N", days = 3 } is not a reference',
        ),
        (
            {"trade_references": [{"name": "N", "days_beyond_terms": 2.5}]},
            "trade_references, reference 1, days_beyond_terms: 2.5 is not a whole number of days",
        ),
        (
            {"trade_references": [{"days_beyond_terms": 0}]},
            "trade_references, reference 1, name: missing; write the referee",
        ),
    ],
)
def test_an_answer_out_of_bounds_is_refused(raw, message):
    with pytest.raises(ParameterError) as caught:
        parse_answers(raw, CARD, source="a.toml")
    assert str(caught.value).startswith(f"a.toml: {message}")


def test_the_choices_are_the_scorecard_s(tmp_path):
    card = tmp_path / "card.toml"
    card.write_text("[guarantee]\npoints = { none = 0, insurer = 15 }\n")
    assert parse_answers({"guarantee": "Insurer"}, load_scorecard(card)) == {"guarantee": "insurer"}
    with pytest.raises(ParameterError, match="write one of none, personal, bank"):
        parse_answers({"guarantee": "insurer"}, CARD)


def test_a_dict_or_a_file_of_answers(tmp_path):
    answers = {"legal_name": "Acme Ltd"}
    raw, source = read_application(answers)
    assert raw == answers and raw is not answers and source == ""  # a copy: never changed
    (tmp_path / "a.csv").write_text("legal_name\nAcme Ltd\n")
    with pytest.raises(ParameterError, match=r"a\.csv: write the answers as a \.toml, \.json or"):
        read_application(tmp_path / "a.csv")
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(ParameterError, match="expected a table of answers"):
        read_application(tmp_path / "list.json")
    (tmp_path / "a.toml").write_text('legal_name = "Acme Ltd"\nrequested_limit = "1,000"\n')
    assert read_application(tmp_path / "a.toml") == (
        {"legal_name": "Acme Ltd", "requested_limit": "1,000"},  # raw: parsed later
        str(tmp_path / "a.toml"),
    )


# -- the corpus: bad application files, each refused with a located message -------------------
# {f} is the file's path; TOML files give the answer's line, JSON and YAML their syntax errors'.

APPLICATION_CASES = {
    "years nan": ("years_in_business = nan\n", "{f}:1: years_in_business: nan is not a number of"),
    "years inf": ("years_in_business = inf\n", "{f}:1: years_in_business: inf is not a number"),
    "years true": ("years_in_business = true\n", "{f}:1: years_in_business: true is not a number"),
    "limit 1e300": ("requested_limit = 1e300\n", "{f}:1: requested_limit: '1E+300' is too large"),
    "limit text 1e300": ('requested_limit = "1e300"\n', "requested_limit: '1e300' is too large"),
    "limit zero": ("requested_limit = 0\n", "{f}:1: requested_limit: 0 must be above 0"),
    "ebit sub-cent": ('ebit = "12.345"\n', "{f}:1: ebit: '12.345' has more than 2 decimals"),
    "assets nan": ("total_assets = nan\n", "{f}:1: total_assets: nan is not an amount of money"),
    "terms negative": ("requested_terms_days = -1\n", "{f}:1: requested_terms_days: -1 is not a"),
    "terms fraction": (
        "requested_terms_days = 30.5\n",
        "requested_terms_days: 30.5 is not a whole",
    ),
    "answer typo": (
        "requsted_limit = 100\n",
        "{f}:1: requsted_limit: unknown answer; did you mean",
    ),
    "answer unknown": (
        "colour = 1\n",
        "{f}:1: colour: unknown answer; the answers are legal_name,",
    ),
    "rating unknown": ('bank_rating = "great"\n', '{f}:1: bank_rating: "great" is not one of the'),
    "guarantee true": ("guarantee = true\n", "{f}:1: guarantee: true is not one of the answers"),
    "name a number": ("legal_name = 5\n", "{f}:1: legal_name: 5 is not a name"),
    "references text": (
        'trade_references = "North"\n',
        '{f}:1: trade_references: "North" is not a',
    ),
    "reference no name": (
        "trade_references = [\n  { days_beyond_terms = 0 },\n]\n",
        "{f}:2: trade_references, reference 1, name: missing; write the referee",
    ),
    "reference days": (
        'trade_references = [\n  { name = "A", days_beyond_terms = 1 },\n  { name = "B", '
        'days_beyond_terms = "x" },\n]\n',
        '{f}:3: trade_references, reference 2, days_beyond_terms: "x" is not a whole number',
    ),
    "reference key": (
        'trade_references = [{ name = "A", days = 3 }]\n',
        '{f}:1: trade_references, reference 1: { name = "A", days = 3 } is not a reference',
    ),
    "toml key twice": ("ebit = 1\nebit = 2\n", "{f}:2: not valid TOML at line 2, column 9"),
    "toml syntax": ('legal_name = "Acme\n', "{f}:1: not valid TOML at line 1"),
    "cp1251": ('legal_name = "ООО Ромашка"\n'.encode("cp1251"), "{f}:1: byte 0xce at column 15"),
}


@pytest.mark.parametrize(
    "content, fragment", APPLICATION_CASES.values(), ids=APPLICATION_CASES.keys()
)
def test_a_bad_application_file_is_a_located_message(tmp_path, content, fragment):
    refused(score_application, tmp_path / "a.toml", content, fragment, error=ParameterError)


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("a.json", '{"ebit": 1,\n "ebit2" 2}', "{f}:2: not valid JSON at line 2, column 10"),
        ("a.json", '{"requested_limit": 1e300}', "{f}: requested_limit: '1E+300' is too large"),
        ("a.json", '{"years_in_business": NaN}', "{f}: years_in_business: nan is not a number"),
        ("a.json", "[1, 2]", "{f}: expected a table of answers"),
        ("a.yaml", "legal_name: [unclosed\n", "{f}:2: not valid YAML"),
        ("a.yaml", "- just\n- a list\n", "{f}: expected a table of answers"),
    ],
)
def test_bad_json_and_yaml_applications(tmp_path, name, content, fragment):
    refused(score_application, tmp_path / name, content, fragment, error=ParameterError)


def test_an_application_saved_with_a_bom_is_read(tmp_path):
    toml, json_file = tmp_path / "a.toml", tmp_path / "a.json"
    toml.write_bytes(codecs.BOM_UTF8 + b'legal_name = "Acme"\nrequested_limit = 12000.50\n')
    json_file.write_bytes(codecs.BOM_UTF8 + b'{"legal_name": "Acme", "requested_limit": 0.29}')
    assert score_application(toml).requested_limit_cents == 1_200_050  # exact, no float
    assert score_application(json_file).requested_limit_cents == 29
    assert len(APPLICATION_CASES) >= 20
