"""Policies: the rules a client can change, read from TOML into frozen models.

The shipped ``arbook/defaults/policy.toml`` is the only copy of every default: the models here
declare what each key must be, not what it is, so a policy file overrides any subset of the
shipped keys and nothing else can disagree with it. Unknown keys and bad values are all
reported at once as ``file:line: [table] key: message`` (:mod:`arbook.core.rules`), and an
amount of money is exact int cents within the range arbook reads anywhere.

Also here, as every room checks them the same way: bucket edges and their labels, the aging
basis, fractions (rates and shares), discount terms and the languages arbook writes.
"""

from __future__ import annotations

import itertools
import numbers
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import Field, PlainValidator, model_validator

from arbook.core.dates import format_count
from arbook.core.errors import ParameterError
from arbook.core.i18n import LANGUAGES, N_, _, ngettext
from arbook.core.rules import (
    AnyText,
    Flag,
    Frozen,
    fraction,
    money,
    number,
    problems,
    share,
    validate_rules,
    whole,
)
from arbook.core.rules_file import Loc, RulesFile, read_rules, shown

BASES = ("due", "invoice")
#: Keys the policy does not take (they once lived there, or never may) and where they go.
MOVED_KEYS: dict[Loc, str] = {
    ("credit", "hold_days_overdue"): N_(
        "moved to the ladder: the overdue hold is the step with credit_hold = true "
        "(arbook/defaults/ladder.toml); remove it here"
    ),
    ("smtp", "password"): N_(
        "the SMTP password is never kept in a file; set ARBOOK_SMTP_PASSWORD in the "
        "environment of the program that sends, and remove it here"
    ),
}
#: Early-payment terms: "2/10 net 30" (also 2/10 n30, 2%/10 net 30, 1.5/15, n/45).
TERMS = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*%?\s*/\s*(\d+)\s*,?\s*(?:net|n)\s*/?\s*(\d+)\s*$", re.IGNORECASE
)
TERMS_HINT = N_(
    "write them like '2/10 net 30': 2% off if paid within 10 days, else the full amount at 30 days"
)
#: What a fraction may be (the ``what`` of :func:`check_fraction`), each said where it is shown.
FRACTION_NAMES = (N_("annual rate"), N_("cost of capital"), N_("uptake"))


def _edge(raw: object) -> int | None:
    """One bucket edge as an int, or None when it is not a whole number (true is not 1)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, numbers.Integral):
        return int(raw)
    if isinstance(raw, str) and re.fullmatch(r"\s*[+-]?\d{1,6}\s*", raw):
        return int(raw)
    if isinstance(raw, float | Decimal):
        number = Decimal(str(raw)) if isinstance(raw, float) else raw
        if number.is_finite() and abs(number) < 10**6 and number == number.to_integral_value():
            return int(number)
    return None


#: Edges by calendar month of the due date (Xero's Aged Receivables by month): not yet due, due
#: earlier in the as-of date's month, in the month before, two and three months before, older.
MONTHS: Literal["months"] = "months"
MONTH_LABELS = ("current", "< 1 month", "1 month", "2 months", "3 months", "older")
#: Bucket edges: days (strictly increasing positive ints) or :data:`MONTHS`.
Edges: TypeAlias = tuple[int, ...] | Literal["months"]


def is_months(edges: object) -> bool:
    """Whether ``edges`` asks for calendar-month buckets: ``"months"`` (any case), alone or as
    the only item of a list (``--edges months`` is split on commas)."""
    if isinstance(edges, list | tuple) and len(edges) == 1:
        edges = edges[0]
    return isinstance(edges, str) and edges.strip().lower() == MONTHS


def check_edges(edges: Iterable[object] | str) -> Edges:
    """Return bucket edges as a tuple of strictly increasing positive ints, or :data:`MONTHS`
    for calendar-month buckets; else raise."""
    if is_months(edges):
        return MONTHS
    edges = list(edges)
    values = [_edge(e) for e in edges]
    if any(v is None for v in values):
        said = _("bucket edges {edges} must be whole numbers of days, e.g. {example}")
        raise ParameterError(said.format(edges=shown(edges), example="30,60,90"))
    days = tuple(v for v in values if v is not None)
    if not days or any(e <= 0 for e in days) or any(b <= a for a, b in itertools.pairwise(days)):
        said = _("bucket edges {edges} must be positive and strictly increasing, e.g. {example}")
        raise ParameterError(said.format(edges=list(days), example="30,60,90,120"))
    return days


def bucket_labels(edges: Iterable[object] | str = (30, 60, 90, 120)) -> list[str]:
    """Labels for ``edges``: (30, 60) -> ``current, 1-30, 31-60, 61+``; ``"months"`` ->
    :data:`MONTH_LABELS`."""
    edges = check_edges(edges)
    if isinstance(edges, str):
        return list(MONTH_LABELS)
    lows = (1,) + tuple(e + 1 for e in edges[:-1])
    return ["current"] + [f"{lo}-{hi}" for lo, hi in zip(lows, edges)] + [f"{edges[-1] + 1}+"]


def edges_text(edges: Iterable[object] | str) -> str:
    """``edges`` as a user writes them: ``30,60,90,120`` or ``months``."""
    edges = check_edges(edges)
    return edges if isinstance(edges, str) else ",".join(str(e) for e in edges)


def check_basis(basis: object) -> str:
    """``basis`` if it is an aging basis (``due`` or ``invoice``), else raise."""
    if basis not in BASES:
        said = _("aging basis {basis}; use {due} or {invoice}")
        raise ParameterError(
            said.format(basis=repr(str(basis)[:40]), due="'due'", invoice="'invoice'")
        )
    return str(basis)


def check_fraction(value: object, what: str = FRACTION_NAMES[0]) -> float:
    """Return ``value`` (a number or its text) as a float if it is a fraction from 0 to 1 (a
    rate, a share), else raise ParameterError naming ``what`` (one of :data:`FRACTION_NAMES`,
    said in the language spoken, or a text already said in it) and the fix."""
    what = _(what)
    try:
        if isinstance(value, bool):
            raise TypeError
        found = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        said = _("{what} {value} is not a number; give a fraction, 10% is 0.10")
        raise ParameterError(said.format(what=what, value=repr(value))) from None
    try:
        return fraction(found, f"{what} {value}")
    except ValueError as exc:
        raise ParameterError(str(exc)) from None


def check_language(lang: object) -> str:
    """``lang`` if arbook writes in it, else raise ParameterError listing the languages."""
    if lang not in LANGUAGES:
        said = _("language {language}; use one of {languages}")
        raise ParameterError(
            said.format(language=repr(str(lang)[:20]), languages=", ".join(LANGUAGES))
        )
    return str(lang)


def parse_terms(text: object) -> tuple[float, int, int]:
    """``"2/10 net 30"`` -> ``(0.02, 10, 30)``: the discount as a fraction, the days within which
    it applies, the net days. Accepts ``2/10 n30``, ``2%/10 net 30``, ``1.5/15, n/45``; raises
    ParameterError saying how to write them otherwise."""
    said = shown(text if isinstance(text, str) else str(text or ""))
    match = TERMS.match(text) if isinstance(text, str) else None
    hint = _(TERMS_HINT)
    if not match:
        raise ParameterError(
            _("terms {terms} cannot be read; {hint}").format(terms=said, hint=hint)
        )
    percent, days, net = Decimal(match[1]), int(match[2]), int(match[3])
    if not 0 < percent < 100:
        said_as = _("terms {terms}: a discount of {percent}% must be above 0 and below 100; {hint}")
        raise ParameterError(said_as.format(terms=said, percent=percent, hint=hint))
    if days >= net:
        said_as = _(
            "terms {terms}: the discount days ({days}) must be fewer than the net days ({net}); "
            "{hint}"
        )
        raise ParameterError(said_as.format(terms=said, days=days, net=net, hint=hint))
    if net > 3650:
        said_as = _("terms {terms}: net {net} days is over ten years; {hint}")
        raise ParameterError(said_as.format(terms=said, net=net, hint=hint))
    return float(percent / 100), days, net


def _as_value_error(check: Callable[[Any], object]) -> PlainValidator:
    """A parameter check (raising ParameterError) as a rules-file value rule."""

    def run(value: object) -> object:
        try:
            return check(value)
        except ParameterError as exc:
            raise ValueError(str(exc)) from None

    return PlainValidator(run)


def _terms(value: object) -> str:
    parse_terms(value)
    return str(value)


Share = Annotated[float, share()]
Money = Annotated[int, money()]


def _edges_shown(edges: Edges) -> str:
    return f'"{edges}"' if isinstance(edges, str) else str(list(edges))


def _edges(value: object) -> Edges:
    if is_months(value):
        return MONTHS
    if not isinstance(value, list | tuple):
        said = _(
            "{value} is not a list; write the edges in brackets, like [30, 60, 90, 120], or "
            "{months} for calendar months"
        )
        raise ParameterError(said.format(value=shown(value), months='"months"'))
    return check_edges(value)


class AgingPolicy(Frozen):
    basis: Literal["due", "invoice"]
    edges: Annotated[Edges, _as_value_error(_edges)]


class BehaviourPolicy(Frozen):
    """Payment experiences (SPEC §3): the months of paid invoices counted."""

    window_months: Annotated[int, whole(1, 120)]


class ForecastPolicy(Frozen):
    """The payment-date model (SPEC §9; arbook.measures.forecast says how each is used)."""

    half_life_days: Annotated[int, whole(1, 3650)]
    shrinkage: Annotated[float, number(0, 1000)]
    interval: Annotated[float, number(0.5, 0.99)]
    min_paid: Annotated[int, whole(1, 100_000)]
    min_disputed: Annotated[int, whole(1, 100_000)]
    weeks: Annotated[int, whole(1, 104)]


class AllowancePolicy(Frozen):
    loss_rates: dict[str, Share] = Field(min_length=1)
    writeoff_rate: Share
    roll_months: Annotated[int, whole(1, 120)]


def _listed(values: tuple[float, ...]) -> str:
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


Anchor = Annotated[float, number(-3650, 3650)]
Score = Annotated[float, number(0, 100)]


class ScorePolicy(Frozen):
    """The payment-history score (SPEC §5): signed days to due -> 0-100, linear between the
    anchors; earlier than the first anchor scores its score, later than the last its score."""

    anchor_days: tuple[Anchor, ...] = Field(min_length=2)
    anchor_scores: tuple[Score, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _anchors(self) -> ScorePolicy:
        days, scores = self.anchor_days, self.anchor_scores
        if len(days) != len(scores):
            said = ngettext(
                "{scores} scores for {days} anchor_days; give one score per anchor day",
                "{scores} scores for {days} anchor_days; give one score per anchor day",
                len(scores),
            )
            problems([(("anchor_scores",), said.format(scores=len(scores), days=len(days)))])
        if any(b <= a for a, b in itertools.pairwise(days)):
            said = _("{values} must be strictly increasing").format(values=_listed(days))
            problems([(("anchor_days",), said)])
        if any(b > a for a, b in itertools.pairwise(scores)):
            said = _("{values} must never rise: paying later never scores better")
            problems([(("anchor_scores",), said.format(values=_listed(scores)))])
        return self


class CreditPolicy(Frozen):
    """Credit holds and the periodic limit review (SPEC §5). The hold for days overdue is the
    ladder's ``credit_hold`` step (:mod:`arbook.core.procedure`), so the letter that announces
    a hold and the hold list agree."""

    hold_over_limit: Flag
    score_floor: Score
    broken_promises: Annotated[int, whole(1, 100)]
    promise_window_days: Annotated[int, whole(1, 3650)]
    raise_score: Score
    raise_utilisation: Annotated[float, number(0, 10)]
    raise_step: Annotated[float, number(0, 10)]
    cut_score: Score
    cut_step: Share
    limit_unit_cents: Annotated[int, money(least=1)] = Field(alias="limit_unit")
    peak_months: Annotated[int, whole(1, 120)]


#: What a reason of the credit check does: "warn" (ship, and a person is told) or "block" (do
#: not ship until someone with authority decides).
CheckEffect: TypeAlias = Literal["warn", "block"]


class CreditCheckPolicy(Frozen):
    """The credit check, "may I ship?" (SPEC §7): per reason whether it warns or blocks, and
    how many days overdue an undisputed item may be before the ``overdue`` reason applies."""

    over_limit: CheckEffect
    on_hold: CheckEffect
    not_vetted: CheckEffect
    broken_promises: CheckEffect
    overdue: CheckEffect
    overdue_days: Annotated[int, whole(0, 3650)]


class CollectionsPolicy(Frozen):
    """The worklist ranking (SPEC §7) and the monthly review's stuck customers."""

    age_month_days: Annotated[float, number(0, 365, above=True)]
    age_weight_cap: Annotated[float, number(1, 100)]
    unscored_risk: Share
    stuck_from_days: Annotated[int, whole(-365, 3650)]


class DocumentsPolicy(Frozen):
    """Statements and ladder letters: how far back payments are listed, and how long a letter
    gives the customer to pay, per letter template."""

    statement_payment_days: Annotated[int, whole(1, 3650)]
    pay_within_days: dict[
        Literal["reminder", "notice", "final_notice", "legal"], Annotated[int, whole(0, 365)]
    ]


def _company_text(value: object) -> str:
    if not isinstance(value, str):
        said = _("{value} is not text; write it in double quotes")
        raise ValueError(said.format(value=shown(value)))
    if len(value) > MAX_COMPANY_TEXT:
        said = ngettext(
            "{count} characters; keep it under {most}",
            "{count} characters; keep it under {most}",
            len(value),
        )
        raise ValueError(
            said.format(count=format_count(len(value)), most=format_count(MAX_COMPANY_TEXT))
        )
    return value.strip()


#: The longest company detail (an address, a payment note) a policy or company file may hold.
MAX_COMPANY_TEXT = 2000
#: A company detail: text, blank when not set.
CompanyText = Annotated[str, PlainValidator(_company_text)]


class CompanyPolicy(Frozen):
    """The client's own details printed on every customer document (blank = not set): the name
    (needed before a document goes to a customer), address, tax id, bank details, e-mail (the
    From of e-mailed documents), phone, a logo file and a note under "how to pay"."""

    name: CompanyText
    address: CompanyText
    tax_id: CompanyText
    bank: CompanyText
    iban: CompanyText
    bic: CompanyText
    email: CompanyText
    phone: CompanyText
    logo: CompanyText
    payment_note: CompanyText


class SmtpPolicy(Frozen):
    """The mail server documents are e-mailed through (blank host: none set). The password is
    never in a file: only the environment's ``ARBOOK_SMTP_PASSWORD``."""

    host: AnyText
    port: Annotated[int, whole(1, 65535)]
    security: Literal["starttls", "ssl", "none"]
    username: AnyText
    sender: AnyText
    timeout_seconds: Annotated[float, number(0, 600, above=True)]


class LateChargePolicy(Frozen):
    """Penalties agreed up front (SPEC §5): interest on overdue items and a fixed fee."""

    preset: Literal["contract", "eu"]
    annual_rate: Share
    fee_cents: Money = Field(alias="fee")
    eu_reference_rate: Annotated[float, number(-0.05, 1)]
    eu_margin: Share
    eu_compensation_cents: Money = Field(alias="eu_compensation")


class DiscountPolicy(Frozen):
    """Assumptions of the early-payment discount simulation (SPEC §6)."""

    terms: Annotated[str, _as_value_error(_terms)]
    uptake: Share
    bad_debt_rate: Share
    collection_cost_rate: Share
    eligible_days_late: Annotated[int, whole(-365, 365)]


class Policy(Frozen):
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")  # None: the invoices' own
    language: Literal["", "en", "es", "ru"]  # "": the user's own
    default_terms_days: Annotated[int, whole(0, 3650)]
    cost_of_capital: Share
    aging: AgingPolicy
    behaviour: BehaviourPolicy
    forecast: ForecastPolicy
    allowance: AllowancePolicy
    scores: ScorePolicy
    credit: CreditPolicy
    credit_check: CreditCheckPolicy
    collections: CollectionsPolicy
    documents: DocumentsPolicy
    late_charges: LateChargePolicy
    discounts: DiscountPolicy
    company: CompanyPolicy
    smtp: SmtpPolicy

    @model_validator(mode="after")
    def _a_rate_per_bucket(self) -> Policy:
        labels = bucket_labels(self.aging.edges)
        rates = self.allowance.loss_rates
        missing = [b for b in labels if b not in rates]
        extra = [b for b in rates if b not in labels]
        if missing or extra:
            said = (
                [_("no rate for {buckets}").format(buckets=", ".join(missing))] if missing else []
            )
            said += [_("no bucket {buckets}").format(buckets=", ".join(extra))] if extra else []
            whole = _(
                "the [aging] edges {edges} make the buckets {buckets}; give one rate for each "
                "({problems})"
            ).format(
                edges=_edges_shown(self.aging.edges),
                buckets=", ".join(labels),
                problems="; ".join(said),
            )
            problems([(("allowance", "loss_rates"), whole)])
        return self


def merge(
    base: dict[str, Any], override: dict[str, Any], *, whole: Iterable[str] = ()
) -> dict[str, Any]:
    """``base`` with the keys of ``override``, tables merged key by key except those named in
    ``whole``, which ``override`` replaces entirely (a table of loss rates per bucket)."""
    whole = set(whole)
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and key not in whole:
            merged[key] = merge(merged[key], value, whole=whole)
        else:
            merged[key] = value
    return merged


def load_policy(path: str | Path | dict[str, Any] | None = None) -> Policy:
    """Return the policy: the shipped defaults, overridden by the keys of ``path`` if given (a
    policy TOML file, or a dict shaped like one: ``{"late_charges": {"annual_rate": 0.1}}``).

    Raises :class:`PolicyError` listing every bad key as ``file:line: [table] key: message``.
    """
    if path is None or path == "":
        return default_policy()
    shipped = read_rules("policy")
    own = RulesFile(path, "") if isinstance(path, dict) else read_rules("policy", path)
    merged = merge(shipped.data, own.data, whole=["loss_rates"])
    return validate_rules(Policy, own.over(shipped, merged), "policy", MOVED_KEYS)


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The shipped policy (read once; a Policy is immutable)."""
    return validate_rules(Policy, read_rules("policy"), "policy")


#: What a function's ``policy`` parameter accepts (see :func:`resolve_policy`).
PolicyLike: TypeAlias = Policy | str | Path | dict[str, Any] | None


def resolve_policy(policy: PolicyLike) -> Policy:
    """Accept a Policy, a path to a policy TOML, a dict of overrides, or None or "" (the
    defaults)."""
    if isinstance(policy, Policy):
        return policy
    return load_policy(policy)
