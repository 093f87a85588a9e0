"""The credit scorecard (SPEC §5): line items with point bands, grade cut-offs, and per grade the
terms and the limit rule. Read from TOML (shipped: ``arbook/defaults/scorecard.toml``) into frozen
models that reject unknown keys; every bad key is reported as ``file:line: [table] key: message``,
with the value rules every rules file shares (:mod:`arbook.core.rules`): shares from 0 to 1,
money as exact cents, no NaN or inf.
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator, model_validator

from arbook.core.config import merge
from arbook.core.errors import PolicyError
from arbook.core.i18n import _, language
from arbook.core.numbers import short_number
from arbook.core.rules import (
    Frozen,
    Problems,
    Text,
    error_problems,
    located_lines,
    money,
    number,
    problems,
    share,
    whole,
)
from arbook.core.rules_file import read_rules, shown

DEFAULT = "arbook/defaults/scorecard.toml"
GRADES = ("A", "B", "C", "D", "E")
ITEMS = ("years_in_business", "trade_references", "bank_rating", "financial_strength", "guarantee")
Points = Annotated[int, whole(0, 1000)]
Share = Annotated[float, share()]


def _num(value) -> float | None:
    """A number for the cross-key checks, or None when the key's own type check will complain."""
    if isinstance(value, bool):
        return None
    try:
        found = float(value)
    except (TypeError, ValueError):
        return None
    return found if found == found and abs(found) != float("inf") else None


def _over_max(max_points, points: dict) -> Problems:
    top = _num(max_points)
    return [
        (
            key,
            _(
                "{points} points is above this item's max_points {top}; lower it or raise "
                "max_points"
            ).format(points=short_number(_num(value)), top=short_number(top)),
        )
        for key, value in points.items()
        if top is not None and _num(value) is not None and _num(value) > top
    ]


def item_problems(table) -> Problems:
    """The cross-key problems of one line item (a plain dict, as written in the TOML): points
    above ``max_points``, band edges not increasing, zone cut-offs the wrong way round."""
    if not isinstance(table, dict):
        return []
    points, found = table.get("points"), []
    if isinstance(points, dict):
        found += _over_max(table.get("max_points"), {("points", k): v for k, v in points.items()})
    bands = [
        b if isinstance(b, dict) else {}
        for b in table.get("bands") or []
        if isinstance(table.get("bands"), list | tuple)
    ]
    edge = "at_least" if any("at_least" in b for b in bands) else "at_most"
    found += _over_max(
        table.get("max_points"),
        {("bands", k, "points"): b.get("points") for k, b in enumerate(bands)},
    )
    edges = [_num(b.get(edge)) for b in bands]
    found += [
        (
            ("bands", k, edge),
            _(
                "{edge} is not above the band before ({before}); list the bands from the lowest up"
            ).format(edge=short_number(edges[k]), before=short_number(edges[k - 1])),
        )
        for k in range(1, len(edges))
        if None not in edges[k - 1 : k + 1] and edges[k] <= edges[k - 1]
    ]
    low, high = _num(table.get("distress_below")), _num(table.get("safe_above"))
    if low is not None and high is not None and low > high:
        found.append(
            (
                ("distress_below",),
                _(
                    "{low} is above safe_above {high}; the distress cut-off must be the lower one"
                ).format(low=short_number(low), high=short_number(high)),
            )
        )
    return found


def grade_problems(grades) -> Problems:
    """The cross-key problems of the grades table: cut-offs not falling from A to E, E not 0."""
    if not isinstance(grades, dict):
        return []
    least = {
        g: _num(grades[g].get("min_points")) for g in GRADES if isinstance(grades.get(g), dict)
    }
    found: Problems = [
        (
            (low, "min_points"),
            _(
                "{points} is not below grade {grade}'s {above}; the cut-offs must fall from A to E"
            ).format(points=short_number(least[low]), grade=high, above=short_number(least[high])),
        )
        for high, low in itertools.pairwise(GRADES)
        if least.get(high) is not None and least.get(low) is not None and least[low] >= least[high]
    ]
    if least.get("E") not in (None, 0):
        found.append(
            (
                ("E", "min_points"),
                _("{points} must be 0: E is every total below D").format(
                    points=short_number(least["E"])
                ),
            )
        )
    return found


class Label(Frozen):
    """A text people read (an item's question, an answer offered), in each language arbook
    speaks."""

    en: Text
    es: Text
    ru: Text

    def text(self, lang: str | None = None) -> str:
        """The text in ``lang`` (default: the language spoken)."""
        return str(getattr(self, lang or language()))


def _answer_key(key: str) -> str:
    return key.strip().lower()


class AtLeast(Frozen):
    at_least: Annotated[float, number(0, 1000)]
    points: Points


class AtMost(Frozen):
    at_most: Annotated[float, number(-3650, 3650)]
    points: Points


class _Item(Frozen):
    #: the item's question as people read it (None: its key in words)
    label: Label | None = None

    @model_validator(mode="after")
    def _check(self):
        problems(item_problems(self.model_dump()))
        return self


class YearsItem(_Item):
    max_points: Points
    bands: tuple[AtLeast, ...] = Field(min_length=1)


class TradeItem(_Item):
    max_points: Points
    bands: tuple[AtMost, ...] = Field(min_length=1)


class ChoiceItem(_Item):
    max_points: Points
    points: dict[str, Points] = Field(min_length=1)
    #: each answer as people read it (an answer without one is shown as written)
    answers: dict[str, Label] = Field(default_factory=dict)

    @field_validator("answers")
    @classmethod
    def _labels(cls, value):
        return {_answer_key(k): v for k, v in value.items()}

    @field_validator("points")
    @classmethod
    def _answers(cls, value):
        """Answers are matched lower-case and trimmed, so two that differ only so are one."""
        first: dict[str, str] = {}
        for key in value:
            first.setdefault(key.strip().lower(), key)
        problems(
            [
                (
                    (key,),
                    _("is {answer} again; give each answer once").format(
                        answer=shown(first[key.strip().lower()])
                    ),
                )
                for key in value
                if first[key.strip().lower()] != key
            ]
        )
        return {k.strip().lower(): v for k, v in value.items()}


class ZonePoints(Frozen):
    safe: Points
    grey: Points
    distress: Points


Cutoff = Annotated[float, number(-100, 100)]


class FinancialItem(_Item):
    max_points: Points
    safe_above: Cutoff
    distress_below: Cutoff
    points: ZonePoints


class GradeRule(Frozen):
    min_points: Points
    terms_days: Annotated[int, whole(0, 3650)]
    prepaid_share: Share
    equity_share: Share
    working_capital_share: Share
    cap_without_figures_cents: Annotated[int, money()] = Field(alias="cap_without_figures")


class Grades(Frozen):
    A: GradeRule
    B: GradeRule
    C: GradeRule
    D: GradeRule
    E: GradeRule

    @model_validator(mode="after")
    def _check(self):
        problems(grade_problems(self.model_dump(by_alias=True)))
        return self


class Scorecard(Frozen):
    limit_rounding_cents: Annotated[int, money(least=1)] = Field(alias="limit_rounding")
    years_in_business: YearsItem
    trade_references: TradeItem
    bank_rating: ChoiceItem
    financial_strength: FinancialItem
    guarantee: ChoiceItem
    grades: Grades

    @property
    def max_points(self) -> int:
        return sum(getattr(self, name).max_points for name in ITEMS)

    def item_label(self, name: str, lang: str | None = None) -> str:
        """Item ``name``'s question as people read it, in ``lang`` (default: the language
        spoken); its key in words when the scorecard gives none."""
        item = getattr(self, name, None) if name in ITEMS else None
        label = getattr(item, "label", None)
        return label.text(lang) if label is not None else name.replace("_", " ")

    def answer_label(self, name: str, answer: str, lang: str | None = None) -> str:
        """Answer ``answer`` of choice item ``name`` (bank_rating, guarantee) as people read
        it; the answer as written when the scorecard gives no label."""
        label = getattr(self, name).answers.get(_answer_key(answer))
        return label.text(lang) if label is not None else answer

    @model_validator(mode="after")
    def _reachable(self):
        problems(reach_problems(self.model_dump(by_alias=True)))
        return self


def reach_problems(data: dict) -> Problems:
    """Grade A must be reachable: its ``min_points`` at most the sum of the items' maxima."""
    tops = [
        _num(data[name].get("max_points")) if isinstance(data.get(name), dict) else None
        for name in ITEMS
    ]
    grades = data.get("grades")
    least = (
        _num(grades["A"].get("min_points"))
        if isinstance(grades, dict) and isinstance(grades.get("A"), dict)
        else None
    )
    if None in tops or least is None or least <= sum(tops):
        return []
    return [
        (
            ("grades", "A", "min_points"),
            _("{points} is above the {top} points the items can give; lower it").format(
                points=short_number(least), top=short_number(sum(tops))
            ),
        )
    ]


def _cross(data: dict) -> Problems:
    """Every cross-key problem of the raw TOML, found even where a key has a bad type."""
    found = [((name, *key), msg) for name in ITEMS for key, msg in item_problems(data.get(name))]
    found += [(("grades", *key), msg) for key, msg in grade_problems(data.get("grades"))]
    return found + reach_problems(data)


def load_scorecard(path: str | Path | None = None) -> Scorecard:
    """Return the scorecard: the shipped defaults, overridden by the keys of ``path`` if given
    (``bands`` lists and ``points`` tables are replaced whole).

    Raises :class:`PolicyError` listing every bad key as ``file:line: [table] key: message``.
    """
    file = read_rules("scorecard")
    if path not in (None, ""):
        shipped, own = file, read_rules("scorecard", path)
        data = copy.deepcopy(shipped.data)
        for name, table in own.data.items():  # a points table or bands list replaces the default
            if isinstance(table, dict) and isinstance(data.get(name), dict):
                data[name] = {
                    k: v
                    for k, v in data[name].items()
                    if k not in ("points", "bands") or k not in table
                }
        file = own.over(shipped, merge(data, own.data))
    try:
        return Scorecard.model_validate(file.data)
    except ValidationError as exc:
        found = error_problems(exc, Scorecard, DEFAULT) + _cross(file.data)
        raise PolicyError("\n".join(located_lines(file, found))) from None


def resolve_scorecard(scorecard: Scorecard | str | Path | None) -> Scorecard:
    """Accept a Scorecard, a path to a scorecard TOML, or None or "" (the defaults)."""
    return scorecard if isinstance(scorecard, Scorecard) else load_scorecard(scorecard)
