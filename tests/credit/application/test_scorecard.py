"""The credit scorecard file (:mod:`arbook.credit.application.scorecard`): the shipped one, a
client's overrides (tables replaced whole), and every bad key reported at once."""

from __future__ import annotations

import textwrap

import pytest
from credit.test_application import application

from arbook.core.errors import ParameterError, PolicyError
from arbook.credit.application import load_scorecard, resolve_scorecard, score_application
from arbook.credit.application.scorecard import GRADES

BAD_CARD = """
colour = "red"
[years_in_business]
bands = [{ at_least = 0, points = 0 }, { at_least = 5, points = 25 }, { at_least = 3, points = 5 }]
[trade_references]
max_points = "twenty"
[bank_rating]
points = { excellent = 30, good = 15, meh = "x" }
[grades.B]
min_points = 85
[grades.C]
terms = 5
"""


def test_a_bad_scorecard_reports_every_bad_key(tmp_path):
    path = tmp_path / "card.toml"
    path.write_text(textwrap.dedent(BAD_CARD))
    with pytest.raises(PolicyError) as caught:
        load_scorecard(path)
    lines = set(str(caught.value).splitlines())
    assert lines == {
        f"{path}: {line}"
        for line in (
            "colour: unknown key; check its spelling against arbook/defaults/scorecard.toml",
            "grades.C.terms: unknown key; check its spelling against "
            "arbook/defaults/scorecard.toml",
            "trade_references.max_points: Input should be a valid integer, unable to parse string "
            "as an integer",
            "bank_rating.points.meh: Input should be a valid integer, unable to parse string as an "
            "integer",
            "years_in_business.bands.1.points: 25 points is above this item's max_points 20; lower "
            "it or raise max_points",
            "years_in_business.bands.2.at_least: 3 is not above the band before (5); list the "
            "bands from the lowest up",
            "bank_rating.points.excellent: 30 points is above this item's max_points 20; lower it "
            "or raise max_points",
            "grades.B.min_points: 85 is not below grade A's 80; the cut-offs must fall from A to E",
        )
    }


def test_scorecard_overrides_and_file_errors(tmp_path):
    path = tmp_path / "card.toml"
    path.write_text(
        "[bank_rating]\nmax_points = 10\npoints = { good = 10, poor = 0 }\n"
        "[grades.A]\nmin_points = 90\n"
    )
    card = load_scorecard(path)
    assert card.max_points == 90 and card.bank_rating.points == {"good": 10, "poor": 0}
    with pytest.raises(ParameterError, match="write one of good, poor"):  # table replaced
        score_application(application(), scorecard=card)
    path.write_text(
        "[bank_rating]\nmax_points = 5\npoints = { good = 5 }\n"
        "[guarantee]\nmax_points = 0\npoints = { none = 0 }\n"
    )
    # 20 + 20 + 5 + 25 + 0 = 70 points at most, so nobody could reach A's 80
    with pytest.raises(PolicyError, match=r"grades.A.min_points: 80 is above the 70 points"):
        load_scorecard(path)
    with pytest.raises(PolicyError, match="no such scorecard file"):
        load_scorecard(tmp_path / "no.toml")
    (tmp_path / "bad.toml").write_text("[grades\n")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_scorecard(tmp_path / "bad.toml")


def test_the_shipped_scorecard():
    card = load_scorecard()
    # 20 years + 20 references + 20 bank + 25 financial strength + 15 guarantee
    assert card.max_points == 100
    assert [getattr(card.grades, g).min_points for g in GRADES] == [80, 65, 50, 35, 0]
    assert card.limit_rounding_cents == 10_000  # limit_rounding = 100 (currency units)
    assert card.grades.A.cap_without_figures_cents == 2_500_000
    assert (card.grades.E.prepaid_share, card.grades.D.prepaid_share) == (1.0, 0.5)


def test_resolve_scorecard(tmp_path):
    card = load_scorecard()
    assert resolve_scorecard(card) is card
    assert resolve_scorecard(None) == card == resolve_scorecard("")
    path = tmp_path / "card.toml"
    path.write_text("limit_rounding = 50\n")
    assert resolve_scorecard(path).limit_rounding_cents == 5_000
    assert resolve_scorecard(str(path)).bank_rating == card.bank_rating  # the rest as shipped


def test_bands_and_points_are_replaced_whole(tmp_path):
    path = tmp_path / "card.toml"
    path.write_text(
        "[years_in_business]\n"
        "bands = [{ at_least = 0, points = 0 }, { at_least = 3, points = 20 }]\n"
        '[guarantee]\npoints = { None = 0, " Bank " = 15 }\n'
    )
    card = load_scorecard(path)
    assert [(b.at_least, b.points) for b in card.years_in_business.bands] == [(0, 0), (3, 20)]
    assert card.years_in_business.max_points == 20  # kept from the shipped table
    assert card.guarantee.points == {"none": 0, "bank": 15}  # answers are matched lower-case


def test_e_is_every_total_below_d_and_points_are_not_negative(tmp_path):
    path = tmp_path / "card.toml"
    path.write_text("[grades.E]\nmin_points = 5\n[guarantee]\npoints = { none = -1, bank = 15 }\n")
    with pytest.raises(PolicyError) as caught:
        load_scorecard(path)
    assert set(str(caught.value).splitlines()) == {
        f"{path}: guarantee.points: points of none are negative; points are 0 or more",
        f"{path}: grades.E.min_points: 5 must be 0: E is every total below D",
    }
