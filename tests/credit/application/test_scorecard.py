"""The credit scorecard file (:mod:`arbook.credit.application.scorecard`): the shipped one, a
client's overrides (tables replaced whole), every bad key reported at once, and a corpus of bad
scorecard files, each refused with a located message naming the file, line and key."""

from __future__ import annotations

import textwrap

import pytest
from core.test_rules import refused
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
    assert str(caught.value).splitlines() == [
        f"{path}:{line}"
        for line in (
            "2: colour: unknown key; the keys here are limit_rounding, years_in_business, "
            "trade_references, bank_rating, financial_strength, guarantee, grades",
            "4: [years_in_business] bands, band 2, points: 25 points is above this item's "
            "max_points 20; lower it or raise max_points",
            "4: [years_in_business] bands, band 3, at_least: 3 is not above the band before (5); "
            "list the bands from the lowest up",
            '6: [trade_references] max_points: "twenty" is text, not a number; write a whole '
            "number from 0 to 1000, without quotes",
            '8: [bank_rating] points.meh: "x" is text, not a number; write a whole number from 0 '
            "to 1000, without quotes",
            "8: [bank_rating] points.excellent: 30 points is above this item's max_points 20; "
            "lower it or raise max_points",
            "10: [grades.B] min_points: 85 is not below grade A's 80; the cut-offs must fall from "
            "A to E",
            "12: [grades.C] terms: unknown key; did you mean terms_days?",
        )
    ]


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
    with pytest.raises(
        PolicyError, match=r"card.toml: \[grades.A\] min_points: 80 is above the 70"
    ):
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
    assert str(caught.value).splitlines() == [
        f"{path}:2: [grades.E] min_points: 5 must be 0: E is every total below D",
        f"{path}:4: [guarantee] points.none: -1 is out of range; write a whole number from 0 to "
        "1000",
    ]


# -- the corpus: bad scorecard files (overrides of the shipped one), each a located message ---

SCORECARD_CASES = {
    # numbers: never NaN or inf (issue 11, item 9), shares 0-1, money exact and in range
    "safe above nan": (
        "[financial_strength]\nsafe_above = nan\n",
        "{f}:2: [financial_strength] safe_above: nan is not a finite number; write a number from",
    ),
    "safe above inf": (
        "[financial_strength]\nsafe_above = inf\n",
        "safe_above: inf is not a finite",
    ),
    "distress text": (
        '[financial_strength]\ndistress_below = "1.1"\n',
        '{f}:2: [financial_strength] distress_below: "1.1" is text, not a number',
    ),
    "zones crossed": (
        "[financial_strength]\nsafe_above = 1.0\ndistress_below = 2.0\n",
        "{f}:3: [financial_strength] distress_below: 2 is above safe_above 1; the distress cut-off",
    ),
    "equity share 5": (
        "[grades.A]\nequity_share = 5\n",
        "{f}:2: [grades.A] equity_share: 5 must be a fraction from 0 to 1; 10% is 0.10, not 10",
    ),
    "working capital share -0.1": (
        "[grades.B]\nworking_capital_share = -0.1\n",
        "{f}:2: [grades.B] working_capital_share: -0.1 must be a fraction from 0 to 1",
    ),
    "prepaid true": ("[grades.D]\nprepaid_share = true\n", "prepaid_share: true is true/false"),
    "cap 1e300": (
        "[grades.A]\ncap_without_figures = 1e300\n",
        "{f}:2: [grades.A] cap_without_figures: '1E+300' is too large an amount",
    ),
    "cap negative": (
        "[grades.A]\ncap_without_figures = -5\n",
        "cap_without_figures: -5 must be 0 or",
    ),
    "rounding 0": ("limit_rounding = 0\n", "{f}:1: limit_rounding: 0 must be above 0"),
    "rounding sub-cent": (
        "limit_rounding = 0.001\n",
        "{f}:1: limit_rounding: '0.001' has more than",
    ),
    "max points text": (
        '[trade_references]\nmax_points = "twenty"\n',
        '{f}:2: [trade_references] max_points: "twenty" is text, not a number',
    ),
    "points fraction": (
        "[bank_rating]\npoints = { good = 7.5 }\n",
        "{f}:2: [bank_rating] points.good: 7.5 is not a whole number",
    ),
    "points negative": (
        "[bank_rating]\npoints = { poor = -1 }\n",
        "points.poor: -1 is out of range",
    ),
    "terms days 9999": ("[grades.C]\nterms_days = 9999\n", "{f}:2: [grades.C] terms_days: 9999 is"),
    # bands, points and grades across keys
    "bands unordered": (
        "[years_in_business]\nbands = [\n  { at_least = 5, points = 5 },\n  { at_least = 2, points"
        " = 8 },\n]\n",
        "{f}:4: [years_in_business] bands, band 2, at_least: 2 is not above the band before (5)",
    ),
    "band above max": (
        "[trade_references]\nbands = [{ at_most = 0, points = 99 }]\n",
        "{f}:2: [trade_references] bands, band 1, points: 99 points is above this item's",
    ),
    "band negative years": (
        "[years_in_business]\nbands = [{ at_least = -1, points = 0 }]\n",
        "{f}:2: [years_in_business] bands, band 1, at_least: -1 is out of range",
    ),
    "band key typo": (
        "[years_in_business]\nbands = [{ at_leest = 0, points = 0 }]\n",
        "{f}:2: [years_in_business] bands, band 1, at_leest: unknown key; did you mean at_least?",
    ),
    "bands empty": (
        "[years_in_business]\nbands = []\n",
        "{f}:2: [years_in_business] bands: is empty",
    ),
    "answers twice": (
        '[guarantee]\npoints = { bank = 15, " Bank " = 10 }\n',
        '{f}:2: [guarantee] points." Bank ": is "bank" again; give each answer once',
    ),
    "grades unordered": (
        "[grades.B]\nmin_points = 85\n",
        "{f}:2: [grades.B] min_points: 85 is not",
    ),
    "grade A unreachable": (
        "[grades.A]\nmin_points = 101\n",
        "{f}:2: [grades.A] min_points: 101 is above the 100 points the items can give",
    ),
    # keys
    "unknown grade": (
        "[grades.F]\nmin_points = 0\n",
        "{f}:1: [grades.F]: unknown key; the keys here are A, B, C, D, E",
    ),
    "key typo": ("[guarantee]\nmax_point = 3\n", "{f}:2: [guarantee] max_point: unknown key; did"),
    "unknown top key": ('colour = "red"\n', "{f}:1: colour: unknown key; the keys here are"),
    # the file itself
    "key twice": ("limit_rounding = 100\nlimit_rounding = 50\n", "{f}:2: not valid TOML at line 2"),
    "syntax": ("[grades\n", "{f}:1: not valid TOML at line 1, column 8"),
    "latin-1": ("# Notation de crédit\n".encode("latin-1"), "{f}:1: byte 0xe9 at column 17"),
}


@pytest.mark.parametrize("content, fragment", SCORECARD_CASES.values(), ids=SCORECARD_CASES.keys())
def test_a_bad_scorecard_file_is_a_located_message(tmp_path, content, fragment):
    refused(load_scorecard, tmp_path / "card.toml", content, fragment)


def test_nan_in_a_scorecard_no_longer_reaches_the_score(tmp_path):
    # it used to load, then crash scoring (decimal.InvalidOperation comparing with NaN)
    path = tmp_path / "card.toml"
    path.write_text("[financial_strength]\ndistress_below = nan\n")
    with pytest.raises(PolicyError, match="distress_below: nan is not a finite number"):
        score_application(application(), scorecard=path)
