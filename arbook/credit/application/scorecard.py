"""The credit scorecard (SPEC §5): line items with point bands, grade cut-offs, and per grade the
terms and the limit rule. Read from TOML (shipped: ``arbook/defaults/scorecard.toml``) into frozen
models that reject unknown keys; every bad key is reported as ``file: key.path: message``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from arbook.core.config import Frozen, explain, merge, money_field, read_toml
from arbook.core.errors import PolicyError

DEFAULT = "arbook/defaults/scorecard.toml"
GRADES = ("A", "B", "C", "D", "E")
ITEMS = ("years_in_business", "trade_references", "bank_rating", "financial_strength", "guarantee")


Problems = list[tuple[str, str]]


def _raise(problems: Problems) -> None:
    """Report several bad keys of one table at once (the loader spells out each key path)."""
    if problems:
        raise PydanticCustomError(
            "scorecard",
            "{summary}",
            {
                "summary": "; ".join(f"{key}: {msg}" for key, msg in problems),
                "problems": tuple(problems),
            },
        )


def _num(value) -> float | None:
    """A number for the cross-key checks, or None when the key's own type check will complain."""
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _over_max(max_points, points: dict) -> Problems:
    top = _num(max_points)
    return [
        (
            key,
            f"{_num(value):g} points is above this item's max_points {top:g}; lower it "
            "or raise max_points",
        )
        for key, value in points.items()
        if top is not None and _num(value) is not None and _num(value) > top
    ]


def item_problems(table) -> Problems:
    """The cross-key problems of one line item (a plain dict, as written in the TOML): points
    above ``max_points``, band edges not increasing, zone cut-offs the wrong way round."""
    if not isinstance(table, dict):
        return []
    points, problems = table.get("points"), []
    if isinstance(points, dict):
        problems += _over_max(
            table.get("max_points"), {f"points.{k}": v for k, v in points.items()}
        )
    bands = [
        b if isinstance(b, dict) else {}
        for b in table.get("bands") or []
        if isinstance(table.get("bands"), list)
    ]
    edge = "at_least" if any("at_least" in b for b in bands) else "at_most"
    problems += _over_max(
        table.get("max_points"), {f"bands.{k}.points": b.get("points") for k, b in enumerate(bands)}
    )
    edges = [_num(b.get(edge)) for b in bands]
    problems += [
        (
            f"bands.{k}.{edge}",
            f"{edges[k]:g} is not above the band before "
            f"({edges[k - 1]:g}); list the bands from the lowest up",
        )
        for k in range(1, len(edges))
        if None not in edges[k - 1 : k + 1] and edges[k] <= edges[k - 1]
    ]
    low, high = _num(table.get("distress_below")), _num(table.get("safe_above"))
    if low is not None and high is not None and low > high:
        problems.append(
            (
                "distress_below",
                f"{low:g} is above safe_above {high:g}; the distress cut-off must be the lower one",
            )
        )
    return problems


def grade_problems(grades) -> Problems:
    """The cross-key problems of the grades table: cut-offs not falling from A to E, E not 0."""
    if not isinstance(grades, dict):
        return []
    least = {
        g: _num(grades[g].get("min_points")) for g in GRADES if isinstance(grades.get(g), dict)
    }
    problems = [
        (
            f"{low}.min_points",
            f"{least[low]:g} is not below grade {high}'s "
            f"{least[high]:g}; the cut-offs must fall from A to E",
        )
        for high, low in itertools.pairwise(GRADES)
        if least.get(high) is not None and least.get(low) is not None and least[low] >= least[high]
    ]
    if least.get("E") not in (None, 0):
        problems.append(("E.min_points", f"{least['E']:g} must be 0: E is every total below D"))
    return problems


class AtLeast(Frozen):
    at_least: float = Field(ge=0)
    points: int = Field(ge=0)


class AtMost(Frozen):
    at_most: float
    points: int = Field(ge=0)


class _Item(Frozen):
    @model_validator(mode="after")
    def _check(self):
        _raise(item_problems(self.model_dump()))
        return self


class YearsItem(_Item):
    max_points: int = Field(ge=0)
    bands: tuple[AtLeast, ...] = Field(min_length=1)


class TradeItem(_Item):
    max_points: int = Field(ge=0)
    bands: tuple[AtMost, ...] = Field(min_length=1)


class ChoiceItem(_Item):
    max_points: int = Field(ge=0)
    points: dict[str, int] = Field(min_length=1)

    @field_validator("points")
    @classmethod
    def _positive(cls, value):
        bad = [k for k, v in value.items() if v < 0]
        if bad:
            raise ValueError(f"points of {', '.join(bad)} are negative; points are 0 or more")
        return {k.strip().lower(): v for k, v in value.items()}


class ZonePoints(Frozen):
    safe: int = Field(ge=0)
    grey: int = Field(ge=0)
    distress: int = Field(ge=0)


class FinancialItem(_Item):
    max_points: int = Field(ge=0)
    safe_above: float
    distress_below: float
    points: ZonePoints


class GradeRule(Frozen):
    min_points: int = Field(ge=0)
    terms_days: int = Field(ge=0, le=3650)
    prepaid_share: float = Field(ge=0, le=1)
    equity_share: float = Field(ge=0, le=10)
    working_capital_share: float = Field(ge=0, le=10)
    cap_without_figures_cents: int = Field(alias="cap_without_figures")

    _money = field_validator("cap_without_figures_cents", mode="before")(money_field)


class Grades(Frozen):
    A: GradeRule
    B: GradeRule
    C: GradeRule
    D: GradeRule
    E: GradeRule

    @model_validator(mode="after")
    def _check(self):
        _raise(grade_problems(self.model_dump(by_alias=True)))
        return self


class Scorecard(Frozen):
    limit_rounding_cents: int = Field(alias="limit_rounding", gt=0)
    years_in_business: YearsItem
    trade_references: TradeItem
    bank_rating: ChoiceItem
    financial_strength: FinancialItem
    guarantee: ChoiceItem
    grades: Grades

    _money = field_validator("limit_rounding_cents", mode="before")(money_field)

    @property
    def max_points(self) -> int:
        return sum(getattr(self, name).max_points for name in ITEMS)

    @model_validator(mode="after")
    def _reachable(self):
        _raise(reach_problems(self.model_dump(by_alias=True)))
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
            "grades.A.min_points",
            f"{least:g} is above the {sum(tops):g} points the items can give; lower it",
        )
    ]


def _cross_lines(source: str, data: dict) -> list[str]:
    """Every cross-key problem of the raw TOML, found even where a key has a bad type."""
    problems = [
        (f"{name}.{key}", msg) for name in ITEMS for key, msg in item_problems(data.get(name))
    ]
    problems += [(f"grades.{key}", msg) for key, msg in grade_problems(data.get("grades"))]
    return [f"{source}: {key}: {msg}" for key, msg in problems + reach_problems(data)]


def _error_lines(source: str, error: dict) -> list[str]:
    where = ".".join(str(p) for p in error["loc"])
    if error["type"] == "scorecard":
        return [
            f"{source}: {'.'.join(filter(None, (where, key)))}: {msg}"
            for key, msg in error["ctx"]["problems"]
        ]
    if error["type"] == "extra_forbidden":
        return [f"{source}: {where}: unknown key; check its spelling against {DEFAULT}"]
    return [f"{source}: {where or '(top)'}: {explain(error, 'scorecard')}"]


def load_scorecard(path: str | Path | None = None) -> Scorecard:
    """Return the scorecard: the shipped defaults, overridden by the keys of ``path`` if given
    (``bands`` lists and ``points`` tables are replaced whole).

    Raises :class:`PolicyError` listing every bad key as ``file: key.path: message``.
    """
    data, source = read_toml("scorecard")
    if path not in (None, ""):
        override, source = read_toml("scorecard", path)
        for name, table in override.items():  # a points table or bands list replaces the default
            if isinstance(table, dict) and isinstance(data.get(name), dict):
                data[name] = {
                    k: v
                    for k, v in data[name].items()
                    if k not in ("points", "bands") or k not in table
                }
        data = merge(data, override)
    try:
        return Scorecard.model_validate(data)
    except ValidationError as exc:
        lines = [line for err in exc.errors() for line in _error_lines(source, err)]
        raise PolicyError("\n".join(dict.fromkeys(lines + _cross_lines(source, data)))) from None


def resolve_scorecard(scorecard: Scorecard | str | Path | None) -> Scorecard:
    """Accept a Scorecard, a path to a scorecard TOML, or None or "" (the defaults)."""
    return scorecard if isinstance(scorecard, Scorecard) else load_scorecard(scorecard)
