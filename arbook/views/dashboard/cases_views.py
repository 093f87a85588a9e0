"""The call screen's disputes and payment plans without widgets (SPEC §7): their HTML (the
customer's open disputes with amount, age, owner and notes; its plans with each instalment
kept, broken or open), the invoices a dispute or a plan may name, and the plan form's
instalments read exactly (one ``YYYY-MM-DD amount`` a line, the amount parsed to whole
cents)."""

from __future__ import annotations

import pandas as pd

from arbook.core.dates import days_text
from arbook.core.errors import ParameterError
from arbook.measures.disputes import LABELS as DISPUTE_LABELS
from arbook.views.dashboard.collections_labels import (
    amount_text,
    day_text,
    late_text,
    with_currency,
)
from arbook.views.dashboard.collections_views import parse_amount, parse_day
from arbook.views.html import esc, table_html

#: Instalment lines a plan may have (a plan of more is agreed in the CLI or Python).
MAX_INSTALMENTS = 60


def _section(title: str) -> str:
    return f'<div class="arbook-section">{esc(title)}</div>'


def open_invoices(items: pd.DataFrame, currency: str | None) -> list[tuple[str, str]]:
    """(label, document id) for each invoice of ``items`` (an aging frame) with something
    owed, oldest due first: "INV-7 · 1,200.00 · 40 days overdue (in dispute)"."""
    owed = items[(items["kind"] == "invoice") & (items["outstanding_cents"] > 0)]
    owed = owed.sort_values(["due_date", "document_id"], kind="stable")
    return [
        (
            f"{r.document_id} · {amount_text(r.outstanding_cents, currency)} · "
            f"{late_text(r.days_overdue)}" + (" (in dispute)" if r.disputed else ""),
            r.document_id,
        )
        for r in owed.itertuples()
    ]


def disputes_html(disputes: pd.DataFrame, currency: str | None) -> str:
    """A customer's open disputes (rows of :func:`~arbook.measures.disputes.dispute_list`):
    the invoice, what is in dispute and owed, how late the invoice is, how long the dispute has
    been open, its reason, owner (the latest named), how many notes it has and the last one, and
    where it came from."""
    total = int(disputes["disputed_cents"].sum()) if len(disputes) else 0
    head = _section(
        f"Disputes ({len(disputes):,} open"
        + (f", {amount_text(total, currency)} not chased)" if total else ")")
    )
    if disputes.empty:
        return f'<div class="arbook">{head}<p class="arbook-note">No open dispute.</p></div>'
    shown = pd.DataFrame(
        {
            "invoice": disputes["document_id"],
            "disputed_cents": disputes["disputed_cents"],
            "outstanding_cents": disputes["outstanding_cents"],
            "invoice is": disputes["days_overdue"].map(late_text),
            "open for": disputes["age_days"].map(
                lambda d: "since the data was imported" if pd.isna(d) else days_text(int(d))
            ),
            "reason": disputes["reason"],
            "owner": disputes["owner"].fillna(""),
            "notes": disputes["notes"].astype(int),
            "last note": disputes["last_note"].fillna(""),
            "from": disputes["source"].map(lambda s: DISPUTE_LABELS.get(s, s)),
        }
    )
    titles = {
        "disputed_cents": with_currency("in dispute", currency),
        "outstanding_cents": with_currency("outstanding", currency),
    }
    return f'<div class="arbook">{head}{table_html(shown, total=True, titles=titles)}</div>'


def dispute_options(disputes: pd.DataFrame, currency: str | None) -> list[tuple[str, str]]:
    """(label, document id) of each open dispute, to resolve one."""
    return [
        (f"{r.document_id} · {amount_text(r.disputed_cents, currency)} · {r.reason}", r.document_id)
        for r in disputes.itertuples()
    ]


def _plan_line(plan, currency: str | None) -> str:
    docs = ", ".join(plan["documents"])
    line = (
        f"Plan {int(plan['plan_id'])}, agreed {day_text(plan['agreed_at'])} for {esc(docs)}: "
        f"<b>{esc(plan['status'])}</b>; {int(plan['kept'])} of {int(plan['instalments'])} "
        f"instalments kept"
        + (f", {int(plan['broken'])} broken" if int(plan["broken"]) else "")
        + f"; {esc(amount_text(plan['paid_cents'], currency))} paid of "
        f"{esc(amount_text(plan['planned_cents'], currency))}"
    )
    if not pd.isna(plan["next_due"]):
        line += (
            f"; next {esc(amount_text(plan['next_cents'], currency))} due "
            f"{day_text(plan['next_due'])}"
        )
    return f'<p class="arbook-plan-line" data-plan="{int(plan["plan_id"])}">{line}</p>'


def plans_html(plans: pd.DataFrame, instalments: pd.DataFrame, currency: str | None) -> str:
    """A customer's payment plans, newest first (rows of
    :func:`~arbook.collections.plans.plan_status`), each with its instalments (rows of
    :meth:`ContactLog.instalments`): due date, amount, paid towards it, kept / broken / open."""
    head = _section(f"Payment plans ({len(plans):,})")
    if plans.empty:
        return f'<div class="arbook">{head}<p class="arbook-note">No payment plan.</p></div>'
    parts = [head]
    for plan in plans.sort_values("plan_id", ascending=False).to_dict(orient="records"):
        mine = instalments[instalments["plan_id"] == plan["plan_id"]]
        shown = pd.DataFrame(
            {
                "instalment": mine["number"].astype(int),
                "due": mine["due_date"].map(day_text),
                "amount_cents": mine["amount_cents"],
                "paid_cents": mine["paid_cents"],
                "status": mine["status"].astype(str),
            }
        )
        titles = {
            "amount_cents": with_currency("amount", currency),
            "paid_cents": with_currency("paid towards it", currency),
        }
        parts.append(_plan_line(plan, currency) + table_html(shown, titles=titles))
    return f'<div class="arbook arbook-plans">{"".join(parts)}</div>'


def running_plan(plans: pd.DataFrame) -> int | None:
    """The id of the customer's plan still running (on track or broken, neither completed nor
    cancelled), None when there is none."""
    live = plans[plans["status"].isin(["on track", "broken"])]
    return int(live["plan_id"].max()) if len(live) else None


def parse_instalments(text) -> list[tuple]:
    """The plan form's instalments: one ``YYYY-MM-DD amount`` a line (``2026-11-15 1,250.00``;
    blank lines skipped) -> [(date, cents)]. Raises ParameterError naming every bad line."""
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    if not lines:
        raise ParameterError(
            "instalments are empty; write one a line, the date and the amount, "
            "e.g. 2026-11-15 500.00"
        )
    if len(lines) > MAX_INSTALMENTS:
        raise ParameterError(f"{len(lines)} instalments; at most {MAX_INSTALMENTS} a plan here")
    problems, pairs = [], []
    for number, line in enumerate(lines, start=1):
        day, _, amount = line.partition(" ")
        try:
            when = parse_day(day, f"instalment {number} date")
            cents = parse_amount(amount.strip(), f"instalment {number} amount")
            if cents is None:
                raise ParameterError(f"instalment {number} {line[:40]!r} has no amount")
            pairs.append((when, cents))
        except ParameterError as exc:
            problems.append(str(exc))
    if problems:
        raise ParameterError(
            "; ".join(problems) + " (one instalment a line: YYYY-MM-DD amount, e.g. 2026-11-15 "
            "500.00)"
        )
    return pairs


__all__ = [
    "dispute_options",
    "disputes_html",
    "open_invoices",
    "parse_instalments",
    "plans_html",
    "running_plan",
]
