"""An applicant's answers (:mod:`arbook.credit.application.answers`): read from a dict or a
TOML / JSON / YAML file, parsed exactly (amounts to int cents), every invalid answer reported at
once. The complete application of tests/credit/test_application.py is reused."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from credit.test_application import CARD, application

from arbook.core.errors import ParameterError
from arbook.credit.application import (
    ANSWERS,
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
        "years_in_business: 'ten' is not a number of years; write it as a number, like 10",
        "trade_references.1.days_beyond_terms: 'x' is not a whole number of days; write it like 30",
        "trade_references.2.days_beyond_terms: missing; write the days paid late, 0 if on time",
        "bank_rating: 'great' is not one of the answers; write one of excellent, good, "
        "satisfactory, poor",
        "total_assets: '1,23' is not an amount of money; write it in currency units, like "
        "12000 or 12,000.50",
        "ebit: '12.345' has more than 2 decimals; round it to the cent, like 12.35",
        "guarantee: True is not one of the answers; write one of none, personal, bank",
        "requested_limit: 0 must be above 0; write the amount in currency units, like 12000 or "
        "12,000.50",
        "requsted_terms_days: unknown answer; the answers are " + ", ".join(ANSWERS),
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
    assert len(lines) == 2 and all(line.startswith(f"{tmp_path / 'bad.toml'}: ") for line in lines)
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
        ({"trade_references": "North"}, "trade_references: 'North' is not a list"),
        (
            {"trade_references": [{"name": "N", "days": 3}]},
            "trade_references.1: {'name': 'N', 'days': 3} is not a reference",
        ),
        (
            {"trade_references": [{"name": "N", "days_beyond_terms": 2.5}]},
            "trade_references.1.days_beyond_terms: 2.5 is not a whole number of days from -3650",
        ),
        (
            {"trade_references": [{"days_beyond_terms": 0}]},
            "trade_references.1.name: missing; write the referee",
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
