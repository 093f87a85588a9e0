"""One route for the policy (issue 10): a policy file's settings change every command and every
view; a command-line flag or a keyword given explicitly overrides the policy, one not given
leaves it alone. The policy here ages by the invoice date with edges 30,60 (so the buckets are
current, 1-30, 31-60, 61+), a 20% cost of capital, a 6-month experience window and a 7% late
charge."""

from __future__ import annotations

import contextlib
import io
import json

import pandas as pd
import pytest
from conftest import ROOT

import arbook
from arbook import cli
from arbook.views.credit.discount import DiscountPanel
from arbook.views.dashboard.app import Dashboard
from arbook.views.review import sections
from arbook.views.walkthrough.picker import Walkthrough

SAMPLE = ROOT / "data" / "sample"
AS_OF = "2026-10-31"
POLICY = """
cost_of_capital = 0.20
[aging]
basis = "invoice"
edges = [30, 60]
[allowance]
loss_rates = { "current" = 0.01, "1-30" = 0.03, "31-60" = 0.2, "61+" = 0.6 }
[behaviour]
window_months = 6
[late_charges]
annual_rate = 0.07
[discounts]
terms = "1/10 net 30"
"""
LABELS = ["current", "1-30", "31-60", "61+"]


@pytest.fixture(scope="module")
def policy_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("route") / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ledger(policy_file):
    return arbook.read_ledger(SAMPLE, policy=policy_file)


def run(*argv) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main([str(a) for a in argv])
    return code, out.getvalue()


def run_json(*argv):
    code, out = run(*argv, "--format", "json")
    assert code == 0
    return json.loads(out)


def bucket_columns(records: list[dict]) -> list[str]:
    return [c.removesuffix("_cents") for c in records[0] if c.removesuffix("_cents") in LABELS]


def test_the_library_follows_the_ledgers_policy(ledger):
    items = arbook.aging(ledger, AS_OF)
    assert list(items["bucket"].cat.categories) == LABELS + ["unapplied"]
    invoice_days = (pd.Timestamp(AS_OF) - items["document_date"]).dt.days
    owed = items["kind"] != "payment"
    assert (items.loc[owed, "days_overdue"] == invoice_days[owed]).all()
    # an explicit keyword overrides the policy
    assert list(arbook.aging(ledger, AS_OF, basis="due", edges=(90,))["bucket"].cat.categories) == [
        "current",
        "1-90",
        "91+",
        "unapplied",
    ]
    assert [
        c
        for c in arbook.monthly_metrics(ledger, "2026-10", "2026-10").columns
        if c in {f"{label}_cents" for label in LABELS}
    ] == [f"{label}_cents" for label in LABELS]
    assert list(arbook.roll_rates(ledger, "2026-10", "2026-10").columns) == [
        "month",
        "current->1-30",
        "1-30->31-60",
        "31-60->61+",
    ]
    assert list(arbook.allowance(ledger, AS_OF)["bucket"]) == LABELS + ["total"]
    carrying = arbook.carrying_cost(ledger, AS_OF)
    overdue = int(carrying["overdue_cents"].sum())
    assert abs(int(carrying["yearly_cost_cents"].sum()) - overdue * 0.20) <= len(carrying)
    six = arbook.payment_behaviour(ledger, AS_OF)
    pd.testing.assert_frame_equal(six, arbook.payment_behaviour(ledger, AS_OF, window_months=6))
    assert arbook.late_charges(ledger, AS_OF).attrs["annual_rate"] == 0.07
    assert arbook.simulate_discount(ledger, AS_OF).terms == "1/10 net 30"
    assert arbook.simulate_discount(ledger, AS_OF).cost_of_capital == 0.20


@pytest.mark.parametrize(
    "command, extra",
    [
        ("aging", ("--as-of", AS_OF)),
        ("metrics", ("--from", "2026-09", "--to", "2026-10")),
        ("roll-rates", ("--from", "2026-09", "--to", "2026-10")),
        ("allowance", ("--as-of", AS_OF)),
    ],
)
def test_every_aging_command_follows_the_policy_file(policy_file, command, extra):
    records = run_json(command, SAMPLE, *extra, "--policy", policy_file)
    if command == "roll-rates":
        assert list(records[0]) == ["month", "current->1-30", "1-30->31-60", "31-60->61+"]
    elif command == "allowance":
        assert [r["bucket"] for r in records] == LABELS + ["total"]
    else:
        assert bucket_columns(records) == LABELS


def test_a_flag_given_overrides_the_policy_and_one_not_given_does_not(policy_file, ledger):
    by_policy = run_json("aging", SAMPLE, "--as-of", AS_OF, "--policy", policy_file, "--by", "item")
    library = arbook.aging(ledger, AS_OF)
    assert [r["days_overdue"] for r in by_policy] == library["days_overdue"].tolist()
    flagged = run_json(
        "aging",
        SAMPLE,
        "--as-of",
        AS_OF,
        "--policy",
        policy_file,
        "--basis",
        "due",
        "--edges",
        "45",
    )
    assert bucket_columns(flagged) == ["current"] and "46+_cents" in flagged[0]
    # no policy and no flags: the shipped defaults
    assert bucket_columns(run_json("aging", SAMPLE, "--as-of", AS_OF)) == [
        "current",
        "1-30",
        "31-60",
    ]  # (61-90 and on are not in LABELS)


def test_the_other_commands_follow_the_policy_file(policy_file, ledger):
    cost = run_json("carrying-cost", SAMPLE, "--as-of", AS_OF, "--policy", policy_file)
    frame = arbook.carrying_cost(ledger, AS_OF)
    assert [r["yearly_cost_cents"] for r in cost] == frame["yearly_cost_cents"].tolist()
    given = run_json(
        "carrying-cost", SAMPLE, "--as-of", AS_OF, "--policy", policy_file, "--rate", "0.05"
    )
    assert [r["yearly_cost_cents"] for r in given] == arbook.carrying_cost(ledger, AS_OF, 0.05)[
        "yearly_cost_cents"
    ].tolist()
    behaviour = run_json("behaviour", SAMPLE, "--as-of", AS_OF, "--policy", policy_file)
    assert sum(r["invoices_paid"] for r in behaviour) == int(
        arbook.payment_behaviour(ledger, AS_OF)["invoices_paid"].sum()
    )
    charges = run_json(
        "late-charges", SAMPLE, "--as-of", AS_OF, "--policy", policy_file, "--by", "item"
    )
    assert (
        sum(r["interest_cents"] for r in charges)
        == int(arbook.late_charges(ledger, AS_OF)["interest_cents"].sum())
        > 0
    )
    discount = run_json("discount", SAMPLE, "--as-of", AS_OF, "--policy", policy_file)
    assert discount[0]["terms"] == "1/10 net 30" and discount[0]["cost_of_capital"] == 0.20
    scores = run_json("scores", SAMPLE, "--as-of", AS_OF, "--policy", policy_file)
    assert [r["score"] for r in scores] == [
        None if pd.isna(s) else s for s in arbook.payment_scores(ledger, AS_OF)["score"]
    ]
    listed = run_json("worklist", SAMPLE, "--as-of", AS_OF, "--policy", policy_file)
    assert [r["customer_id"] for r in listed] == arbook.worklist(ledger, AS_OF)[
        "customer_id"
    ].tolist()


def test_the_review_and_its_report_follow_the_policy(ledger, policy_file):
    review = arbook.build_review(ledger, AS_OF)
    s = review.settings
    assert (s.basis, s.edges, s.cost_of_capital) == ("invoice", (30, 60), 0.20)
    opened = sections.open_review(str(SAMPLE), AS_OF, policy=str(policy_file))
    assert opened.settings == s
    title = "".join(p.data for p in sections.title(opened))
    assert "days since invoice" in title and "61+" in title and "20.0%" in title
    # explicit parameters override it
    assert sections.open_review(
        str(SAMPLE), AS_OF, policy=str(policy_file), basis="due", edges="30,60,90"
    ).settings.edges == (30, 60, 90)


def test_arbook_review_parameters_follow_the_policy(policy_file, tmp_path):
    from arbook.workbook.report import review_parameters

    params = review_parameters(SAMPLE, AS_OF, tmp_path, policy=policy_file)
    assert (params["basis"], params["edges"], params["cost_of_capital"]) == (
        "invoice",
        "30,60",
        0.20,
    )
    params = review_parameters(SAMPLE, AS_OF, tmp_path, policy=policy_file, basis="due")
    assert params["basis"] == "due" and params["edges"] == "30,60"


def test_the_dashboard_starts_from_the_policy(policy_file, monkeypatch):
    monkeypatch.setenv("ARBOOK_POLICY", str(policy_file))
    monkeypatch.setenv("ARBOOK_DATA", str(SAMPLE))
    board = Dashboard.from_environment()
    controls = board.controls
    assert controls["basis"].value == "invoice"
    assert controls["edges"].value == "30,60"
    assert controls["cost"].value == 20
    assert board.review.settings.labels == LABELS
    assert "aging by invoice date" in board.status


def test_the_walkthrough_and_the_discount_panel_follow_the_policy(policy_file, ledger):
    tour = Walkthrough(str(SAMPLE), AS_OF, policy=str(policy_file))
    assert not tour.status_is_error, tour.status
    assert (tour.review.settings.basis, tour.review.settings.cost_of_capital) == ("invoice", 0.20)
    assert "days since invoice" in tour.show("title").html()
    panel = DiscountPanel(ledger, AS_OF)
    assert (panel.percent.value, panel.days.value, panel.net.value) == (1.0, 10, 30)
    assert panel.rate.value == pytest.approx(0.20)
    assert panel.simulation.terms == "1/10 net 30"
