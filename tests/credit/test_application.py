"""Credit application scoring (SPEC §5, :mod:`arbook.credit.application`): points at every band
edge, grades at their cut-offs, Altman Z'' worked by hand, limits and terms, missing answers, the
sample applicant and the ``arbook score`` command. Reading and checking the answers is tested in
tests/credit/application/test_answers.py, the scorecard file in test_scorecard.py; the
decision's text and the form in tests/views/credit/."""

from __future__ import annotations

from decimal import Decimal

import pytest

from arbook.cli.commands import main
from arbook.core.errors import ParameterError
from arbook.credit.application import (
    ANSWERS,
    FIGURES,
    altman_z,
    altman_zone,
    grade_of,
    load_scorecard,
    sample_application,
    score_application,
)
from arbook.views.credit.decision import decision_text

CARD = load_scorecard()

# Figures in currency units giving Z'' = 2.814 (safe), worked in test_altman_z_by_hand.
SAFE = {
    "current_assets": 500,
    "current_liabilities": 300,
    "total_assets": 1000,
    "retained_earnings": 100,
    "ebit": 50,
    "book_equity": 400,
    "total_liabilities": 500,
}


def application(**answers) -> dict:
    """A complete application scoring 20 + 20 + 20 + 25 + 15 = 100 (grade A), overridden."""
    base = {
        "legal_name": "Acme Ltd",
        "years_in_business": 10,
        "trade_references": [{"name": "North", "days_beyond_terms": 0}],
        "bank_rating": "excellent",
        **SAFE,
        "guarantee": "bank",
        "requested_limit": "50,000",
        "requested_terms_days": 30,
    }
    base.update(answers)
    return {k: v for k, v in base.items() if v is not None}


def points(decision, item: str) -> int:
    return int(decision.items.set_index("item").loc[item, "points"])


def refs(*days) -> list[dict]:
    return [{"name": f"ref {k}", "days_beyond_terms": d} for k, d in enumerate(days)]


# --- line items at every band edge ------------------------------------------------------------


@pytest.mark.parametrize(
    "years, expected",
    [(0, 0), (1.99, 0), (2, 8), ("4.99", 8), (5, 14), (9.5, 14), (10, 20), (40, 20)],
)
def test_years_in_business_bands(years, expected):
    assert (
        points(score_application(application(years_in_business=years)), "years_in_business")
        == expected
    )


@pytest.mark.parametrize(
    "days, expected",
    [
        ((-5,), 20),
        ((0,), 20),
        ((0, 1), 15),  # average 0.5 is past the "at most 0" band
        ((5, 15), 15),
        ((10, 11), 8),
        ((30,), 8),
        ((31,), 3),
        ((60,), 3),
        ((61,), 0),
        ((59, 60, 61), 3),
    ],
)  # average exactly 60
def test_trade_references_bands_on_the_average(days, expected):
    assert (
        points(score_application(application(trade_references=refs(*days))), "trade_references")
        == expected
    )


@pytest.mark.parametrize(
    "rating, expected", [("excellent", 20), ("good", 15), ("Satisfactory", 8), (" poor ", 0)]
)
def test_bank_rating_points(rating, expected):
    assert points(score_application(application(bank_rating=rating)), "bank_rating") == expected


@pytest.mark.parametrize("guarantee, expected", [("none", 0), ("personal", 8), ("bank", 15)])
def test_guarantee_points(guarantee, expected):
    assert points(score_application(application(guarantee=guarantee)), "guarantee") == expected


def test_altman_z_by_hand():
    # X1 = (500 - 300) / 1000 = 0.2   -> 6.56 * 0.2  = 1.312
    # X2 = 100 / 1000         = 0.1   -> 3.26 * 0.1  = 0.326
    # X3 = 50 / 1000          = 0.05  -> 6.72 * 0.05 = 0.336
    # X4 = 400 / 500          = 0.8   -> 1.05 * 0.8  = 0.84
    # Z'' = 1.312 + 0.326 + 0.336 + 0.84 = 2.814 (above 2.60: safe)
    assert altman_z(**SAFE) == Decimal("2.814")
    cents = {k: v * 100 for k, v in SAFE.items()}  # a ratio of ratios: the unit does not matter
    assert altman_z(**cents) == Decimal("2.814")
    # Loss-making: X1 = -100/1000, X2 = -200/1000, X3 = -50/1000, X4 = 100/900
    # -> -0.656 - 0.652 - 0.336 + 0.11666.. = -1.52733..
    z = altman_z(
        current_assets=200,
        current_liabilities=300,
        total_assets=1000,
        retained_earnings=-200,
        ebit=-50,
        book_equity=100,
        total_liabilities=900,
    )
    assert abs(z - Decimal("-1.527333")) < Decimal("0.000001")
    assert altman_zone(z) == "distress"
    with pytest.raises(ParameterError, match="total_liabilities"):
        altman_z(**{**SAFE, "total_liabilities": 0})


@pytest.mark.parametrize(
    "z, zone",
    [
        ("2.6000001", "safe"),
        ("2.60", "grey"),
        ("1.10", "grey"),
        ("1.0999999", "distress"),
        (5, "safe"),
        (-3, "distress"),
        ("1.85", "grey"),
    ],
)
def test_altman_zone_edges(z, zone):
    assert altman_zone(Decimal(z)) == zone


def test_z_exactly_on_the_safe_cut_off_scores_grey():
    # In cents, with total assets = total liabilities = 1,000,000 cents (10,000.00):
    # 6.56 * 12,190 + 3.26 * 0 + 6.72 * 5 + 1.05 * 2,400,000 = 79,966.4 + 33.6 + 2,520,000
    # = 2,600,000 -> Z'' = 2,600,000 / 1,000,000 = 2.60 exactly: grey (12 points), not safe.
    figures = {
        "current_assets": "121.90",
        "current_liabilities": 0,
        "total_assets": 10000,
        "retained_earnings": 0,
        "ebit": "0.05",
        "book_equity": 24000,
        "total_liabilities": 10000,
    }
    decision = score_application(application(**figures))
    assert decision.altman_z == Decimal("2.6")
    assert points(decision, "financial_strength") == 12
    row = decision.items.set_index("item").loc["financial_strength"]
    assert row["answer"] == "Altman Z'' 2.60" and "grey zone" in row["reason"]


def test_zone_cut_offs_come_from_the_scorecard(tmp_path):
    card = tmp_path / "card.toml"
    card.write_text("[financial_strength]\nsafe_above = 3.0\ndistress_below = 2.9\n")
    decision = score_application(application(), scorecard=card)  # Z'' 2.814 < 2.9
    assert points(decision, "financial_strength") == 0


# --- grades, limits and terms -----------------------------------------------------------------


@pytest.mark.parametrize(
    "total, grade",
    [
        (100, "A"),
        (80, "A"),
        (79, "B"),
        (65, "B"),
        (64, "C"),
        (50, "C"),
        (49, "D"),
        (35, "D"),
        (34, "E"),
        (0, "E"),
    ],
)
def test_grade_cut_offs(total, grade):
    assert grade_of(total, CARD) == grade


def test_a_total_exactly_at_a_cut_off():
    # 20 (10 years) + 20 (0 days late) + 20 (excellent) + 12 (grey) + 8 (personal) = 80 -> A
    grey = {**SAFE, "book_equity": 100}  # X4 = 0.2 -> Z'' = 1.312 + 0.326 + 0.336 + 0.21 = 2.184
    decision = score_application(application(guarantee="personal", **grey))
    assert (decision.total_points, decision.max_points, decision.grade) == (80, 100, "A")
    # one band lower on the guarantee: 20 + 20 + 20 + 12 + 0 = 72 -> B
    assert score_application(application(guarantee="none", **grey)).grade == "B"


def test_limit_is_a_share_of_the_applicant_size():
    # Grade A: 10% of book equity 40,000 = 4,000; 25% of working capital 20,000 = 5,000.
    # The smaller, 4,000, below the 50,000 requested.
    big = {k: v * 100 for k, v in SAFE.items()}  # same ratios, 100 times the size
    decision = score_application(application(**big))
    assert decision.grade == "A" and decision.recommended_limit_cents == 400_000
    # The limit is rounded down to a multiple of 100: 10% of 40,050 = 4,005 -> 4,000.
    decision = score_application(
        application(**{**big, "book_equity": 40_050, "total_liabilities": 50_000})
    )
    assert decision.recommended_limit_cents == 400_000
    # Never above what was asked for: 3,000.50 requested -> 3,000.50.
    decision = score_application(application(**big, requested_limit="3,000.50"))
    assert decision.recommended_limit_cents == 300_050


def test_limit_without_figures_and_for_grade_e():
    # No statements: 20 + 20 + 20 + 0 + 15 = 75 -> B, capped at B's 10,000 without figures.
    blank = dict.fromkeys(FIGURES)
    decision = score_application(application(**blank))
    assert decision.grade == "B" and decision.recommended_limit_cents == 1_000_000
    assert (
        score_application(application(**blank, requested_limit=2500)).recommended_limit_cents
        == 250_000
    )
    # Grade E gets nothing, however large the company.
    poor = application(
        years_in_business=0,
        trade_references=refs(90),
        bank_rating="poor",
        guarantee="none",
        **{k: v * 1000 for k, v in SAFE.items()},
    )
    decision = score_application(poor)  # 0 + 0 + 0 + 25 + 0 = 25 -> E
    assert decision.grade == "E" and decision.recommended_limit_cents == 0
    assert decision.terms == "cash in advance"


def test_negative_equity_gives_no_limit():
    # Grade C (20 + 0 + 15 + 0 + 15 = 50): 2% of book equity -1,000 is below 0 -> 0.
    decision = score_application(
        application(
            trade_references=refs(90),
            bank_rating="good",
            **{**SAFE, "book_equity": -1000, "retained_earnings": -500},
        )
    )
    assert decision.grade == "C" and decision.recommended_limit_cents == 0


def test_terms_per_grade_and_never_longer_than_asked():
    assert score_application(application()).terms == "net 30"
    assert score_application(application(requested_terms_days=14)).terms == "net 14"
    # C: 20 + 0 + 15 + 0 + 15 = 50 (distress: X4 = 100/10,000 and losses)
    weak = {**SAFE, "retained_earnings": -500, "ebit": -100}  # Z'' = 1.312 - 1.63 - 0.672 + 0.84
    decision = score_application(application(trade_references=refs(90), bank_rating="good", **weak))
    assert (decision.grade, decision.terms) == ("C", "net 15")
    # D: 14 + 0 + 15 + 0 + 8 = 37
    decision = score_application(
        application(
            years_in_business=5,
            trade_references=refs(90),
            bank_rating="good",
            guarantee="personal",
            **weak,
        )
    )
    assert (decision.grade, decision.terms) == ("D", "50% prepaid, the rest net 30")


# --- missing answers and the sample applicant -------------------------------------------------


def test_missing_answers_score_zero_and_are_asked_for():
    decision = score_application(
        application(bank_rating=None, ebit="", trade_references=[], requested_terms_days=None)
    )
    items = decision.items.set_index("item")
    assert list(decision.items.columns) == ["item", "answer", "points", "max_points", "reason"]
    for item in ("bank_rating", "financial_strength", "trade_references"):
        assert items.loc[item, "points"] == 0 and items.loc[item, "reason"] == "ask for this"
    assert items.loc["financial_strength", "answer"] == "missing ebit"
    assert decision.ask_for == ["trade_references", "bank_rating", "ebit", "requested_terms_days"]
    empty = score_application({})
    assert empty.total_points == 0 and empty.grade == "E" and empty.ask_for == list(ANSWERS)


def test_the_sample_applicant():
    # 14 (7 years) + 15 (average 6 days late) + 15 (good) + 25 (Z'' 3.36) + 8 (personal) = 77 -> B
    # B: 5% of book equity 150,000 = 7,500; 15% of working capital 86,200 = 12,930 -> 7,500.
    decision = score_application(sample_application())
    assert (decision.total_points, decision.grade) == (77, "B")
    assert decision.recommended_limit_cents == 750_000 and decision.terms == "net 30"
    assert decision.ask_for == []


# --- the command -----------------------------------------------------------------------------


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_score(capsys, tmp_path):
    code, out, err = run(capsys, "score", sample_application())
    assert code == 0 and out == decision_text(score_application(sample_application())) and not err
    (tmp_path / "bad.toml").write_text('years_in_business = "ten"\nebit = "1.234"\n')
    code, out, err = run(capsys, "score", tmp_path / "bad.toml")
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(f'arbook score: {tmp_path / "bad.toml"}:1: years_in_business: "ten"')
    assert "ebit: '1.234' has more than 2 decimals" in err
    code, _, err = run(capsys, "score", tmp_path / "missing.toml")
    assert code == 2 and "no such application file" in err and "Traceback" not in err
    (tmp_path / "card.toml").write_text("[guarantee]\nmax_point = 3\n")
    code, _, err = run(capsys, "score", sample_application(), "--scorecard", tmp_path / "card.toml")
    assert code == 2 and f"{tmp_path / 'card.toml'}:2: [guarantee] max_point: unknown key" in err
