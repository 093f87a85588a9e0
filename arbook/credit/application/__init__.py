"""Credit application scoring (SPEC §5): an applicant's answers -> points per line item -> total
-> grade A..E -> recommended limit and terms.

``score_application(answers, scorecard=None)`` returns a :class:`CreditDecision` whose ``items``
frame shows the points of every line item and why, so the client can see how the grade came
about. A missing answer scores 0 and is listed in ``ask_for``; invalid answers raise one
ParameterError listing each. The scorecard is TOML (:func:`load_scorecard`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from importlib import resources
from pathlib import Path

import pandas as pd

from arbook.core.dates import format_count
from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _, ngettext
from arbook.core.numbers import local_number, percent_text, short_number
from arbook.credit.application.answers import (
    ANSWERS,
    FIGURES,
    answer_name,
    application_file,
    parse_amount,
    parse_answers,
    question_label,
    read_application,
)
from arbook.credit.application.scorecard import GRADES, Scorecard, load_scorecard, resolve_scorecard

__all__ = [
    "ANSWERS",
    "FIGURES",
    "ITEM_COLUMNS",
    "CreditDecision",
    "Scorecard",
    "altman_z",
    "altman_zone",
    "answer_name",
    "grade_of",
    "load_scorecard",
    "parse_amount",
    "question_label",
    "read_application",
    "recommended_limit",
    "recommended_terms",
    "resolve_scorecard",
    "sample_application",
    "score_application",
]

ITEM_COLUMNS = ["item", "answer", "points", "max_points", "reason"]
#: The reason of an item not answered (translated where written: ``_(ASK)``).
ASK = N_("ask for this")
#: Altman Z'' weights of X1..X4 (working capital, retained earnings, EBIT, each over total
#: assets; book equity over total liabilities).
WEIGHTS = (Decimal("6.56"), Decimal("3.26"), Decimal("6.72"), Decimal("1.05"))


@dataclass(frozen=True, eq=False)
class CreditDecision:
    """A scored application: the points of each line item (``items``, columns
    :data:`ITEM_COLUMNS`), their total out of ``max_points``, the grade, the recommended limit in
    cents and terms as text, and the answers to ask the applicant for (``ask_for``), with the
    ``scorecard`` it was scored on (its labels name the items and answers for people)."""

    total_points: int
    max_points: int
    grade: str
    recommended_limit_cents: int
    terms: str
    items: pd.DataFrame
    ask_for: list[str] = field(default_factory=list)
    legal_name: str = ""
    requested_limit_cents: int | None = None
    altman_z: Decimal | None = None
    scorecard: Scorecard | None = None


def altman_z(
    *,
    current_assets,
    current_liabilities,
    total_assets,
    retained_earnings,
    ebit,
    book_equity,
    total_liabilities,
) -> Decimal:
    """Return Altman's Z'' = 6.56·X1 + 3.26·X2 + 6.72·X3 + 1.05·X4 as an exact Decimal (so a
    score on a zone's cut-off lands in the zone the scorecard says). The figures may be in any
    one unit (cents or currency units); total assets and total liabilities must be above 0."""
    figures = {k: Decimal(str(v)) for k, v in locals().items()}
    for name in ("total_assets", "total_liabilities"):
        if figures[name] <= 0:
            raise ParameterError(
                _(
                    "{name}: {value} leaves Altman Z'' undefined; write the figure from the "
                    "balance sheet (above 0)"
                ).format(name=name, value=figures[name])
            )
    assets = figures["total_assets"]
    ratios = (
        (figures["current_assets"] - figures["current_liabilities"]) / assets,
        figures["retained_earnings"] / assets,
        figures["ebit"] / assets,
        figures["book_equity"] / figures["total_liabilities"],
    )
    return sum((w * x for w, x in zip(WEIGHTS, ratios)), Decimal(0))


def altman_zone(z, *, safe_above=2.60, distress_below=1.10) -> str:
    """Return ``"safe"`` above ``safe_above``, ``"distress"`` below ``distress_below``, else
    ``"grey"`` (both cut-offs included in grey)."""
    z = Decimal(str(z))
    if z > Decimal(str(safe_above)):
        return "safe"
    return "distress" if z < Decimal(str(distress_below)) else "grey"


def _row(item: str, answer: str, points: int, max_points: int, reason: str) -> dict:
    return dict(zip(ITEM_COLUMNS, (item, answer, points, max_points, reason)))


def _count(value: float) -> int:
    """The count a plural form is chosen by for ``value`` (a band edge: 2.5 years reads as
    many)."""
    whole = abs(float(value))
    return int(whole) if whole == int(whole) else 2


def _scored(condition: str, points: int) -> str:
    """``at least 5 years -> 14 points``: why an item scored what it did."""
    said = ngettext("{count} point", "{count} points", points).format(count=format_count(points))
    return _("{condition} -> {points}").format(condition=condition, points=said)


def _asked(name: str, card: Scorecard) -> dict:
    return _row(name, "", 0, getattr(card, name).max_points, _(ASK))


def _years(answers: dict, card: Scorecard) -> dict:
    item, years = card.years_in_business, answers.get("years_in_business")
    if years is None:
        return _asked("years_in_business", card)
    reached = [b for b in item.bands if Decimal(str(b.at_least)) <= years]
    said = local_number(f"{years}")
    if not reached:
        edge = item.bands[0].at_least
        under = ngettext("under {years} year", "under {years} years", _count(edge))
        return _row(
            "years_in_business",
            said,
            0,
            item.max_points,
            _scored(under.format(years=short_number(edge)), 0),
        )
    band = reached[-1]
    least = ngettext("at least {years} year", "at least {years} years", _count(band.at_least))
    return _row(
        "years_in_business",
        said,
        band.points,
        item.max_points,
        _scored(least.format(years=short_number(band.at_least)), band.points),
    )


def _trade(answers: dict, card: Scorecard) -> dict:
    item, refs = card.trade_references, answers.get("trade_references")
    if not refs:
        return _asked("trade_references", card)
    average = Decimal(sum(days for _name, days in refs)) / len(refs)
    answer = ngettext(
        "{count} reference, average {days} days beyond terms",
        "{count} references, average {days} days beyond terms",
        len(refs),
    ).format(count=format_count(len(refs)), days=local_number(f"{average:.1f}"))
    band = next((b for b in item.bands if average <= Decimal(str(b.at_most))), None)
    if band is None:
        edge = item.bands[-1].at_most
        over = ngettext(
            "over {days} day beyond terms", "over {days} days beyond terms", _count(edge)
        )
        return _row(
            "trade_references",
            answer,
            0,
            item.max_points,
            _scored(over.format(days=short_number(edge)), 0),
        )
    most = ngettext(
        "at most {days} day beyond terms", "at most {days} days beyond terms", _count(band.at_most)
    )
    return _row(
        "trade_references",
        answer,
        band.points,
        item.max_points,
        _scored(most.format(days=short_number(band.at_most)), band.points),
    )


def _choice(answers: dict, card: Scorecard, name: str) -> dict:
    item, answer = getattr(card, name), answers.get(name)
    if answer is None:
        return _asked(name, card)
    points, said = item.points[answer], card.answer_label(name, answer)
    condition = (
        _("the bank rates the applicant {answer}")
        if name == "bank_rating"
        else _("guarantee: {answer}")
    ).format(answer=said)
    return _row(name, said, points, item.max_points, _scored(condition, points))


def _financial(answers: dict, card: Scorecard) -> tuple[dict, Decimal | None]:
    item = card.financial_strength
    missing = [name for name in FIGURES if name not in answers]
    if missing:
        said = (
            ""
            if len(missing) == len(FIGURES)
            else _("missing {figures}").format(
                figures=", ".join(answer_name(name, card) for name in missing)
            )
            if len(missing) < 3
            else _("missing {count} of the {total} figures").format(
                count=format_count(len(missing)), total=format_count(len(FIGURES))
            )
        )
        return _row("financial_strength", said, 0, item.max_points, _(ASK)), None
    z = altman_z(**{name: answers[name] for name in FIGURES})
    zone = altman_zone(z, safe_above=item.safe_above, distress_below=item.distress_below)
    points = getattr(item.points, zone)
    safe, distress = (
        local_number(f"{item.safe_above:.2f}"),
        local_number(f"{item.distress_below:.2f}"),
    )
    where = {
        "safe": _("above {safe}: safe zone"),
        "distress": _("below {distress}: distress zone"),
        "grey": _("from {distress} to {safe}: grey zone"),
    }[zone].format(safe=safe, distress=distress)
    return _row(
        "financial_strength",
        _("Altman Z'' {z}").format(z=local_number(f"{z:.2f}")),
        points,
        item.max_points,
        _scored(where, points),
    ), z


def grade_of(total_points: int, card: Scorecard) -> str:
    """Return the best grade whose ``min_points`` the total reaches."""
    return next(g for g in GRADES if total_points >= getattr(card.grades, g).min_points)


def _share(share: float, cents: int) -> int:
    return int((Decimal(str(share)) * cents).to_integral_value(ROUND_FLOOR))


def recommended_limit(grade: str, answers: dict, card: Scorecard) -> int:
    """Return the limit in cents: 0 for E (or cash in advance); else the smallest of the grade's
    share of book equity and of working capital where those figures exist (rounded down to
    ``limit_rounding``), or the grade's ``cap_without_figures`` with neither; never above the
    requested limit."""
    rule = getattr(card.grades, grade)
    if grade == GRADES[-1] or rule.prepaid_share >= 1:
        return 0
    caps = []
    if "book_equity" in answers:
        caps.append(_share(rule.equity_share, answers["book_equity"]))
    if "current_assets" in answers and "current_liabilities" in answers:
        working_capital = answers["current_assets"] - answers["current_liabilities"]
        caps.append(_share(rule.working_capital_share, working_capital))
    step = card.limit_rounding_cents
    limit = max(0, min(caps)) // step * step if caps else rule.cap_without_figures_cents
    return min(limit, answers.get("requested_limit", limit))


def recommended_terms(grade: str, answers: dict, card: Scorecard) -> str:
    """Return the grade's terms as text (``net 30``, ``50% prepaid, the rest net 30``, ``cash in
    advance``), the days never longer than the applicant asked for."""
    rule = getattr(card.grades, grade)
    if rule.prepaid_share >= 1:
        return _("cash in advance")
    days = min(rule.terms_days, answers.get("requested_terms_days", rule.terms_days))
    net = (
        ngettext("net {days}", "net {days}", days).format(days=format_count(days))
        if days
        else _("due on delivery")
    )
    if not rule.prepaid_share:
        return net
    return _("{share} prepaid, the rest {net}").format(
        share=percent_text(rule.prepaid_share), net=net
    )


def _ask_for(answers: dict) -> list[str]:
    return [name for name in ANSWERS if name not in answers]


def score_application(
    application: dict | str | Path, *, scorecard: Scorecard | str | Path | None = None
) -> CreditDecision:
    """Score an application (a dict of answers, or a TOML / JSON / YAML file of them) on the
    scorecard (a Scorecard, a TOML path, or None for the shipped one) and return the
    :class:`CreditDecision`. Raises ParameterError listing every invalid answer, PolicyError for
    a bad scorecard."""
    card = resolve_scorecard(scorecard)
    file = application_file(application)
    answers = parse_answers(file.data, card, source=file)
    financial, z = _financial(answers, card)
    rows = [
        _years(answers, card),
        _trade(answers, card),
        _choice(answers, card, "bank_rating"),
        financial,
        _choice(answers, card, "guarantee"),
    ]
    items = pd.DataFrame(rows, columns=ITEM_COLUMNS).astype(
        {"points": "int64", "max_points": "int64"}
    )
    total = int(items["points"].sum())
    grade = grade_of(total, card)
    return CreditDecision(
        total_points=total,
        max_points=card.max_points,
        grade=grade,
        recommended_limit_cents=recommended_limit(grade, answers, card),
        terms=recommended_terms(grade, answers, card),
        items=items,
        ask_for=_ask_for(answers),
        legal_name=answers.get("legal_name", ""),
        requested_limit_cents=answers.get("requested_limit"),
        altman_z=z,
        scorecard=card,
    )


def sample_application() -> str:
    """Return the path of the shipped sample applicant
    (``arbook/defaults/sample_application.toml``)."""
    return str(resources.files("arbook.defaults").joinpath("sample_application.toml"))
