"""One definition per number (SPEC §3, issue 10): each figure a person reads is computed once and
every place that shows it shows the same thing. Per number, every place is compared on the
sample business as of 2026-10-31: the review (tiles and parts), the dashboard's tiles and
lines, the CLI, the monthly review's sections, the walkthrough's sentences and tables, and the
customer documents.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import ROOT

import arbook
from arbook import cli
from arbook.collections import positions
from arbook.core.procedure import load_ladder
from arbook.measures.aging import past_due
from arbook.views.dashboard import drill, parts
from arbook.views.dashboard.app import Dashboard
from arbook.views.format import format_cents, money_text
from arbook.views.review import sections
from arbook.views.walkthrough import story
from arbook.workbook.review import build_review

SAMPLE = ROOT / "data" / "sample"
AS_OF = "2026-10-31"


def words(fragment) -> str:
    """The text of HTML (or of display objects), tags and the stylesheet removed."""
    if isinstance(fragment, list):
        fragment = "".join(getattr(p, "data", str(p)) for p in fragment)
    fragment = re.sub(r"<style>.*?</style>", "", fragment, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def tiles(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-kpi="([^"]+)".*?class="arbook-kpi-value">([^<]*)<', html))


@pytest.fixture(scope="module")
def ledger():
    return arbook.read_ledger(SAMPLE)


@pytest.fixture(scope="module")
def review(ledger):
    return build_review(ledger, AS_OF)


@pytest.fixture(scope="module")
def board(ledger):
    return Dashboard(ledger)


@pytest.fixture(scope="module")
def cli_summary(capsys_module):
    """``arbook aging data/sample --as-of 2026-10-31 --format json``, as records."""
    return run_json(capsys_module, "aging", SAMPLE, "--as-of", AS_OF)


@pytest.fixture(scope="module")
def capsys_module():
    """A module-wide stdout catcher for the CLI (pytest's capsys is per test)."""
    import contextlib
    import io

    class Catcher:
        def run(self, *argv) -> tuple[int, str]:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                code = cli.main([str(a) for a in argv])
            return code, out.getvalue()

    return Catcher()


def run_json(catcher, *argv) -> list[dict]:
    code, out = catcher.run(*argv, "--format", "json")
    assert code == 0
    return json.loads(out)


def test_total_receivable_is_one_number_everywhere(
    review, ledger, board, cli_summary, capsys_module
):
    """Total receivable = the sum of the buckets (what customers owe); one function,
    :func:`arbook.receivable_totals`, behind every place."""
    t = arbook.receivable_totals(ledger, AS_OF)
    want = t.receivable_cents
    assert want == 112272520
    kpis = review.kpis.set_index("kpi")["value"]
    assert int(kpis["total_cents"]) == want == review.totals.receivable_cents
    assert int(review.trend["ar_end_cents"].iloc[-1]) == want  # the trend chart's last bar
    assert int(review.summary["receivable_cents"].sum()) == want
    assert sum(r["receivable_cents"] for r in cli_summary) == want  # arbook aging
    row = review.buckets.set_index("bucket").loc["total receivable"]
    assert int(row["now_cents"]) == want  # the review's and walkthrough's aging table
    shown = money_text(want, ledger.currency)  # a screen names the currency
    assert tiles(board.kpi_html)["total_cents"] == shown  # the dashboard tile
    report = "".join(p.data for p in sections.headline(review) if "data-kpi" in str(p.data))
    assert tiles(report)["total_cents"] == shown  # the monthly review's tile
    assert f"owe you {shown} (total receivable)" in words(story.story_owed(review))
    code, out = capsys_module.run("aging", SAMPLE, "--as-of", AS_OF)
    total_row = out.splitlines()[-1].split()
    assert code == 0 and format_cents(want) in total_row  # the terminal table's TOTAL row
    metrics = run_json(capsys_module, "metrics", SAMPLE, "--from", "2026-10", "--to", "2026-10")
    assert metrics[0]["ar_end_cents"] == want


def test_credits_and_net_receivable_are_their_own_lines(review, ledger, board, cli_summary):
    t = arbook.receivable_totals(ledger, AS_OF)
    assert t.net_cents == t.receivable_cents + t.unapplied_cents
    kpis = review.kpis.set_index("kpi")["value"]
    assert int(kpis["unapplied_cents"]) == t.unapplied_cents == -1991616
    assert sum(r["unapplied_cents"] for r in cli_summary) == t.unapplied_cents
    assert sum(r["total_cents"] for r in cli_summary) == t.net_cents  # the net column
    assert int(review.summary["total_cents"].sum()) == t.net_cents
    rows = review.buckets.set_index("bucket")
    assert int(rows.at["unapplied", "now_cents"]) == t.unapplied_cents
    assert int(rows.at["net receivable", "now_cents"]) == t.net_cents
    assert tiles(board.kpi_html)["unapplied_cents"] == money_text(
        t.unapplied_cents, ledger.currency
    )
    text = words(story.story_owed(review))
    assert f"(net receivable {money_text(t.net_cents, ledger.currency)})" in text
    # SPEC §2.8: invoices less payments to date
    a = ledger.arrays
    day = (pd.Timestamp(AS_OF) - pd.Timestamp("1970-01-01")).days
    assert t.net_cents == int(
        a.amount[a.inv_day <= day].sum() - a.pay_amount[a.pay_day <= day].sum()
    )


def test_overdue_is_one_number_whatever_the_basis(review, ledger, board):
    t = arbook.receivable_totals(ledger, AS_OF)
    kpis = review.kpis.set_index("kpi")["value"]
    assert int(kpis["overdue_cents"]) == t.overdue_cents == 61541029
    assert int(review.carrying["overdue_cents"].sum()) == t.overdue_cents
    assert f"They hold {money_text(t.overdue_cents, ledger.currency)} that is past due" in words(
        story.story_cost(review)
    )
    # the invoice basis buckets by days since the invoice; what is overdue does not move
    invoice = build_review(ledger, AS_OF, basis="invoice")
    assert invoice.kpis.set_index("kpi").at["overdue_cents", "value"] == t.overdue_cents
    assert invoice.kpis.set_index("kpi").at["pct_current", "value"] == kpis["pct_current"]
    assert (
        invoice.kpis.set_index("kpi").at["overdue_cents", "value"]
        <= invoice.kpis.set_index("kpi").at["total_cents", "value"]
    )
    board.set_basis("invoice")
    try:
        assert tiles(board.kpi_html)["overdue_cents"] == money_text(
            t.overdue_cents, ledger.currency
        )
    finally:
        board.set_basis("due")
    # the chase ranking counts the same overdue debt, split into chased and in dispute
    late = review.items[past_due(review.items, AS_OF)]
    disputed_late = int(late.loc[late["disputed"], "outstanding_cents"].sum())
    assert int(review.chase["overdue_cents"].sum()) + disputed_late == t.overdue_cents


def test_the_carrying_cost_a_year_and_to_date(review, ledger, board, capsys_module):
    """Two numbers, each labelled: a year at today's overdue balance (the "you are their
    bank" headline) and the cost accrued to date."""
    carrying = arbook.carrying_cost(ledger, AS_OF)
    yearly, accrued = (
        int(carrying["yearly_cost_cents"].sum()),
        int(carrying["carrying_cost_cents"].sum()),
    )
    assert (yearly, accrued) == (6154107, 1986183)
    # a year at 10% is the overdue balance x 0.10, to rounding per customer
    overdue = int(carrying["overdue_cents"].sum())
    assert abs(yearly - overdue * 0.10) <= len(carrying) / 2
    kpis = review.kpis.set_index("kpi")
    assert int(kpis.at["yearly_cost_cents", "value"]) == yearly
    assert int(kpis.at["carrying_cost_cents", "value"]) == accrued
    assert "a year" in kpis.at["yearly_cost_cents", "label"]
    assert "to date" in kpis.at["carrying_cost_cents", "label"]
    shown = tiles(board.kpi_html)
    assert (shown["yearly_cost_cents"], shown["carrying_cost_cents"]) == (
        money_text(yearly, ledger.currency),
        money_text(accrued, ledger.currency),
    )
    line = words(parts.carrying_html(review))
    assert f"costs {money_text(yearly, ledger.currency)} a year" in line
    assert f"it has cost {money_text(accrued, ledger.currency)} so far" in line
    report = words(sections.carrying(review))
    assert f"costs {money_text(yearly, ledger.currency)} a year" in report
    assert f"it has cost {money_text(accrued, ledger.currency)} so far" in report
    walk = words(story.story_cost(review))
    assert f"costs you {money_text(yearly, ledger.currency)} a year" in walk
    assert f"already cost you {money_text(accrued, ledger.currency)}" in walk
    code, out = capsys_module.run("carrying-cost", SAMPLE, "--as-of", AS_OF)
    assert code == 0 and f"costs {money_text(yearly, ledger.currency)} a year" in out
    assert f"it has cost {money_text(accrued, ledger.currency)} so far" in out


def test_one_chase_ranking(review, ledger):
    """The worklist's order is the walkthrough's, and disputed items are never chased."""
    order = list(story.chase_table(review)["customer_id"])
    listed = arbook.worklist(ledger, AS_OF)
    chased = [c for c in listed["customer_id"] if c in set(order)]
    assert chased == [c for c in order if c in set(chased)]
    assert (
        listed.loc[listed["action"].str.startswith("work the dispute"), "overdue_cents"].eq(0).all()
    )
    assert "C0083" in set(listed["customer_id"])  # fully disputed: shown, as in dispute


def test_the_hold_rule_and_the_ladder_agree(review, ledger):
    """Every customer the ladder has told its account is on hold is in ``holds``."""
    step = load_ladder().hold_step
    held = set(review.holds["customer_id"])
    pos = positions(ledger, AS_OF)
    told = pos[pos["chased"] & (pos["oldest_days"] >= step.days)].index
    assert len(told) and set(told) <= held
    for cid in told:
        reasons = review.holds.set_index("customer_id").at[cid, "reasons"]
        assert f"{step.days}+ days overdue" in reasons


def test_invoice_basis_says_days_since_invoice(ledger, capsys_module):
    review = build_review(ledger, AS_OF, basis="invoice")
    assert "Days since invoice" in words(sections.aging(review))
    assert "days since invoice" in words(story.story_title(review))
    code, out = capsys_module.run(
        "aging", SAMPLE, "--as-of", AS_OF, "--basis", "invoice", "--by", "item"
    )
    assert code == 0 and "days since invoice" in out.splitlines()[0]
    html = drill.drill_bucket_html(review, "1-30")
    assert "1-30 days since invoice" in html and "days since invoice</th>" in html
