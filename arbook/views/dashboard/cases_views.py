"""The call screen's disputes and payment plans without widgets (SPEC §7): their HTML (the
customer's open disputes with amount, age, owner and notes; its plans with each instalment
kept, broken or open), the invoices a dispute or a plan may name, and the plan form's
instalments read exactly (one ``YYYY-MM-DD amount`` a line, the amount parsed to whole
cents). Everything is said in the language spoken; a plan's and an instalment's status are
:mod:`arbook.collections.plans`' words."""

from __future__ import annotations

import pandas as pd

from arbook.collections.plans import instalment_status_label, plan_status_label
from arbook.core.dates import days_text, format_count
from arbook.core.errors import ParameterError
from arbook.core.i18n import _, ngettext, pgettext
from arbook.views.dashboard.collections_labels import (
    amount_text,
    day_text,
    dispute_reason,
    dispute_source_label,
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
    disputed = _("(in dispute)")
    return [
        (
            f"{r.document_id} · {amount_text(r.outstanding_cents, currency)} · "
            f"{late_text(r.days_overdue)}" + (f" {disputed}" if r.disputed else ""),
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
    count = format_count(len(disputes))
    head = _section(
        _("Disputes ({count} open, {amount} not chased)").format(
            count=count, amount=amount_text(total, currency)
        )
        if total
        else _("Disputes ({count} open)").format(count=count)
    )
    if disputes.empty:
        empty = _("No open dispute.")
        return f'<div class="arbook">{head}<p class="arbook-note">{esc(empty)}</p></div>'
    imported = _("since the data was imported")
    shown = pd.DataFrame(
        {
            "invoice": disputes["document_id"],
            "disputed_cents": disputes["disputed_cents"],
            "outstanding_cents": disputes["outstanding_cents"],
            "invoice is": disputes["days_overdue"].map(late_text),
            "open for": disputes["age_days"].map(
                lambda d: imported if pd.isna(d) else days_text(int(d))
            ),
            "reason": disputes["reason"].map(dispute_reason),
            "owner": disputes["owner"].fillna(""),
            "notes": disputes["notes"].astype(int),
            "last note": disputes["last_note"].fillna(""),
            "from": disputes["source"].map(dispute_source_label),
        }
    )
    titles = {
        "invoice": _("invoice"),
        "disputed_cents": with_currency(_("in dispute"), currency),
        "outstanding_cents": with_currency(_("outstanding"), currency),
        "invoice is": _("invoice is"),
        "open for": _("open for"),
        "reason": _("reason"),
        "owner": _("owner"),
        "notes": _("notes"),
        "last note": _("last note"),
        "from": pgettext("dispute source", "from"),
    }
    return f'<div class="arbook">{head}{table_html(shown, total=True, titles=titles)}</div>'


def dispute_options(disputes: pd.DataFrame, currency: str | None) -> list[tuple[str, str]]:
    """(label, document id) of each open dispute, to resolve one."""
    return [
        (
            f"{r.document_id} · {amount_text(r.disputed_cents, currency)} · "
            f"{dispute_reason(r.reason)}",
            r.document_id,
        )
        for r in disputes.itertuples()
    ]


def _plan_line(plan, currency: str | None) -> str:
    head = _("Plan {plan}, agreed {day} for {documents}:").format(
        plan=int(plan["plan_id"]),
        day=day_text(plan["agreed_at"]),
        documents=", ".join(plan["documents"]),
    )
    total = int(plan["instalments"])
    kept = ngettext(
        "{kept} of {count} instalment kept", "{kept} of {count} instalments kept", total
    ).format(kept=format_count(int(plan["kept"])), count=format_count(total))
    broken = int(plan["broken"])
    if broken:
        kept = _("{kept}, {broken} broken").format(kept=kept, broken=format_count(broken))
    parts = [
        kept,
        _("{paid} paid of {planned}").format(
            paid=amount_text(plan["paid_cents"], currency),
            planned=amount_text(plan["planned_cents"], currency),
        ),
    ]
    if not pd.isna(plan["next_due"]):
        parts.append(
            _("next {amount} due {day}").format(
                amount=amount_text(plan["next_cents"], currency), day=day_text(plan["next_due"])
            )
        )
    line = f"{esc(head)} <b>{esc(plan_status_label(plan['status']))}</b>; " + "; ".join(
        esc(p) for p in parts
    )
    return f'<p class="arbook-plan-line" data-plan="{int(plan["plan_id"])}">{line}</p>'


def plans_html(plans: pd.DataFrame, instalments: pd.DataFrame, currency: str | None) -> str:
    """A customer's payment plans, newest first (rows of
    :func:`~arbook.collections.plans.plan_status`), each with its instalments (rows of
    :meth:`ContactLog.instalments`): due date, amount, paid towards it, kept / broken / open."""
    head = _section(_("Payment plans ({count})").format(count=format_count(len(plans))))
    if plans.empty:
        empty = _("No payment plan.")
        return f'<div class="arbook">{head}<p class="arbook-note">{esc(empty)}</p></div>'
    parts = [head]
    for plan in plans.sort_values("plan_id", ascending=False).to_dict(orient="records"):
        mine = instalments[instalments["plan_id"] == plan["plan_id"]]
        shown = pd.DataFrame(
            {
                "instalment": mine["number"].astype(int),
                "due": mine["due_date"].map(day_text),
                "amount_cents": mine["amount_cents"],
                "paid_cents": mine["paid_cents"],
                "status": mine["status"].map(instalment_status_label),
            }
        )
        titles = {
            "instalment": _("instalment"),
            "due": pgettext("a date", "due"),
            "amount_cents": with_currency(_("amount"), currency),
            "paid_cents": with_currency(_("paid towards it"), currency),
            "status": _("status"),
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
            _(
                "instalments are empty; write one a line, the date and the amount, e.g. {example}"
            ).format(example="2026-11-15 500.00")
        )
    if len(lines) > MAX_INSTALMENTS:
        raise ParameterError(
            _("{count} instalments; at most {most} a plan here").format(
                count=format_count(len(lines)), most=MAX_INSTALMENTS
            )
        )
    problems, pairs = [], []
    for number, line in enumerate(lines, start=1):
        day, _blank, amount = line.partition(" ")
        try:
            when = parse_day(day, _("instalment {number} date").format(number=number))
            cents = parse_amount(
                amount.strip(), _("instalment {number} amount").format(number=number)
            )
            if cents is None:
                raise ParameterError(
                    _("instalment {number} {line} has no amount").format(
                        number=number, line=repr(line[:40])
                    )
                )
            pairs.append((when, cents))
        except ParameterError as exc:
            problems.append(str(exc))
    if problems:
        raise ParameterError(
            _("{problems} (one instalment a line: YYYY-MM-DD amount, e.g. {example})").format(
                problems="; ".join(problems), example="2026-11-15 500.00"
            )
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
