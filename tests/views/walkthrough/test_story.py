"""The walkthrough's story (arbook.views.walkthrough.story), section by section, on a tiny ledger
worked by hand and on the sample. Its picker is tested in test_picker.py, on the same TINY data."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, write_ledger

import arbook
from arbook.collections import positions
from arbook.views.format import format_cents, format_ratio, money_text
from arbook.views.walkthrough import story
from arbook.workbook.findings import policy_findings
from arbook.workbook.review import build_review

SAMPLE = ROOT / "data" / "sample"
EVIL = "<script>alert(1)</script> Alpha"

# As of 2026-03-31 (basis due):
#   I1 C1 1,000.00 due 01-31, unpaid: 59 days late (31-60)
#   I2 C2 3,000.00 due 03-01, unpaid, disputed: 30 days late (1-30)
#   I3 C3   500.00 due 04-19 and I6 C3 100.00 due 04-30: current
#   I4 C3   200.00 due 2025-12-31 paid 01-10 (10 days late); I5 C2 400.00 paid on its due day
#   P3 C1 50.00 with no invoice: unapplied
# Owed 4,600.00 by 3 customers, 4,000.00 overdue (87.0%), nothing over 60 days.
# A month earlier (02-28): I1 1,000 + I2 3,000 = 4,000.00, so up 600.00.
TINY = dict(
    customers=f"""
        customer_id,name,credit_limit,terms_days
        C1,"{EVIL}",1000.00,30
        C2,Beta,,30
        C3,Gamma,500.00,30
    """,
    invoices="""
        invoice_id,customer_id,invoice_date,due_date,amount,disputed
        I1,C1,2026-01-01,2026-01-31,1000.00,no
        I2,C2,2026-02-15,2026-03-01,3000.00,yes
        I3,C3,2026-03-20,2026-04-19,500.00,no
        I4,C3,2025-12-01,2025-12-31,200.00,no
        I5,C2,2026-01-05,2026-02-04,400.00,no
        I6,C3,2026-03-31,2026-04-30,100.00,no
    """,
    payments="""
        P1,C3,2026-01-10,200.00,I4
        P2,C2,2026-02-04,400.00,I5
        P3,C1,2026-03-15,50.00,
    """,
)


def text(fragment: str) -> str:
    """The words of an HTML fragment, tags and the stylesheet removed, entities kept."""
    fragment = re.sub(r"<style>.*?</style>", "", fragment, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory):
    return write_ledger(tmp_path_factory.mktemp("tiny") / "ledger", **TINY)


@pytest.fixture(scope="module")
def tiny(tiny_folder):
    return build_review(arbook.read_ledger(tiny_folder), "2026-03-31", cost_of_capital=0.10)


@pytest.fixture(scope="module")
def sample():
    return build_review(arbook.read_ledger(SAMPLE), "2026-10-31", cost_of_capital=0.10)


# ---- section 1: what you are owed ------------------------------------------------------------


def test_owed_tiny_by_hand(tiny):
    words = text(story.story_owed(tiny))
    assert "3 customers owe you 4,600.00" in words
    assert "4,000.00 of it (87.0%) is past due" in words
    assert "0.00 (0.0%) is more than 60 days late" in words
    assert "the largest, Beta , owes 3,000.00" in words
    assert "A month ago you were owed 4,000.00: up 600.00" in words
    assert "Credits and unapplied cash of 50.00" in words


def test_owed_tiny_names_disputes_and_net(tiny):
    words = text(story.story_owed(tiny))
    assert "4,600.00 (total receivable)" in words
    assert "3,000.00 of what is owed is on invoices in dispute" in words
    assert "(net receivable 4,550.00)" in words


def test_owed_sample_matches_the_review(sample):
    """Section 1 tells the review's numbers: the tile's total receivable, the overdue tile, the
    aging table's change (one definition each, SPEC §3)."""
    kpis = sample.kpis.set_index("kpi")["value"]
    t = sample.totals
    total, overdue, over_90 = t.receivable_cents, t.overdue_cents, t.over_90_cents
    assert total == int(kpis["total_cents"]) and overdue == int(kpis["overdue_cents"])
    words = text(story.story_owed(sample))
    cur = sample.ledger.currency  # a sentence names the currency; the table's cells do not
    owing = int((sample.summary["receivable_cents"] > 0).sum())
    assert f"{owing:,} customers owe you {money_text(total, cur)}" in words
    assert (
        f"{money_text(overdue, cur)} of it ({format_ratio(overdue / total, percent=True)})" in words
    )
    assert (
        f"{money_text(over_90, cur)} ({format_ratio(over_90 / total, percent=True)}) more "
        "than 90 days late" in words
    )
    # the sentence's change is the aging table's "Total receivable" change, to the cent
    change = sample.buckets.set_index("bucket").at["total receivable", "change_cents"]
    assert f"down {money_text(abs(change), cur)}" in words
    assert f"Total receivable {format_cents(total)}" in words  # the table's row, same number
    assert "Silverline Textiles Co." in words


# ---- section 2: what it costs ----------------------------------------------------------------


def test_cost_tiny_by_hand(tiny):
    # Overdue: C1 1,000.00 (59 days) and C2 3,000.00 (30 days, in dispute but still owed).
    # A year at 10%: 100.00 + 300.00 = 400.00. Accrued to date: C1 100,000 cents x 59 days x
    # 0.10 / 365 = 1,616.44 -> 16.16; C2 300,000 x 30 -> 2,465.75 -> 24.66; 40.82.
    words = text(story.story_cost(tiny))
    assert "They hold 4,000.00 that is past due" in words
    assert "capital of 10.0% a year, financing that balance costs you 400.00 a year" in words
    assert "has already cost you 40.82 since it fell due" in words
    assert (
        "The most expensive customer is Beta : 3,000.00 overdue for 30.0 days on average "
        "costs 300.00 a year (75.0% of the total)" in words
    )


def test_cost_sample_matches_the_kpis(sample):
    kpis = sample.kpis.set_index("kpi")["value"]
    words = text(story.story_cost(sample))
    yearly, accrued = int(kpis["yearly_cost_cents"]), int(kpis["carrying_cost_cents"])
    assert yearly == int(sample.carrying["yearly_cost_cents"].sum())
    cur = sample.ledger.currency
    assert f"costs you {money_text(yearly, cur)} a year" in words
    assert f"already cost you {money_text(accrued, cur)}" in words
    assert f"take {format_ratio(kpis['dso_countback'])} days to pay" in words
    assert f"it would be {format_ratio(kpis['best_possible_dso'])} days" in words
    assert f"on average {format_ratio(kpis['add'])} days late" in words
    assert f"you collected {format_ratio(kpis['cei'], percent=True)} (CEI)" in words


def test_cost_with_no_history_says_na(tiny_folder):
    review = build_review(arbook.read_ledger(tiny_folder), "2025-12-31")
    words = text(story.story_cost(review))
    assert "CEI is n/a" in words


# ---- section 3: who to chase -----------------------------------------------------------------


def test_chase_tiny_by_hand_leaves_the_dispute_out(tiny):
    # C2 owes the most overdue (3,000.00) but all of it is in dispute: shown, never chased.
    # C1: 1,000.00 x min(1 + 59/30, 5) x (1 + (100 - 40.33) / 100) = 4,736.78; its score:
    # signed days to due 59 (I1 open and overdue, counted as paid today) -> 50 - 29/30 x 10.
    chase = story.chase_table(tiny)
    assert list(chase["customer_id"]) == ["C1"]
    c1 = chase.iloc[0]
    assert (c1["rank"], c1["oldest_days"], c1["yearly_cost_cents"]) == (1, 59, 10000)
    assert c1["score"] == pytest.approx(50 - 29 / 3)
    assert tiny.chase.set_index("customer_id").at["C1", "priority"] == pytest.approx(
        100000 * (1 + 59 / 30) * (1 + (100 - (50 - 29 / 3)) / 100)
    )
    assert tiny.chase.iloc[-1]["customer_id"] == "C2"  # in dispute: last, priority 0
    assert tiny.chase.iloc[-1]["priority"] == 0


def test_chase_is_the_worklists_order_on_sample(sample):
    """One ranking: the walkthrough's order is the worklist's (SPEC §7's expected loss
    avoided), and no disputed item is chased."""
    chase = story.chase_table(sample)
    assert chase.iloc[0]["customer_id"] == "C0140"  # the customer who goes bad
    assert chase["overdue_cents"].gt(0).all()
    order = arbook.chase_ranking(sample.ledger, sample.as_of)
    assert list(chase["customer_id"]) == [
        c for c in order["customer_id"] if c in set(chase["customer_id"])
    ]
    listed = arbook.worklist(sample.ledger, sample.as_of)
    chased = listed[listed["overdue_cents"] > 0]["customer_id"].tolist()
    assert chased == [c for c in chase["customer_id"] if c in set(chased)]
    # a customer whose overdue debt is all disputed is never chased, and is shown as disputed
    pos = positions(sample.ledger, sample.as_of)
    disputed_only = pos.index[~pos["chased"]]
    assert len(disputed_only) and not set(disputed_only) & set(chase["customer_id"])
    in_dispute = listed.set_index("customer_id").loc[disputed_only]
    assert in_dispute["action"].eq("work the dispute (not chased)").all()
    assert in_dispute["script"].eq("").all()


def test_chase_story_says_why(tiny):
    html = story.story_chase(tiny)
    words = text(html)
    assert "1 customers are late with 1,000.00 not in dispute" in words
    assert "(C1): 1,000.00 overdue, the oldest item 59 days past due; payment score 40" in words
    assert "Of 1 late payers it is 1st by amount and 1st by age" in words
    assert "1 customers have 3,000.00 on invoices in dispute (Beta)" in words


def test_customer_names_are_escaped(tiny):
    for fragment in (story.story_chase(tiny), story.story_policy(tiny), story.story_owed(tiny)):
        assert "<script>" not in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Alpha" in story.story_chase(tiny)
    assert "<script>" not in story.story_title(tiny, client="<script>x</script>")


# ---- section 4: the policy -------------------------------------------------------------------


def test_policy_tiny_by_hand(tiny):
    found = policy_findings(tiny)
    # C3 owes 600.00 on a 500.00 limit; C1 is 59 days overdue, past the ladder's hold at 30
    assert (found.owing, found.no_limit, found.over_limit, found.on_hold) == (3, 1, 1, 2)
    assert found.paid_late_share == 0.5
    assert (found.over_60, found.over_60_cents, found.disputed, found.unapplied) == (0, 0, 1, 1)
    assert found.contact_log == ""
    words = text(story.story_policy(tiny))
    assert "1 of 3 customers who owe you have no credit limit on file; 1 owe more" in words
    assert "2 should be on credit hold today" in words
    assert "No contact log has been started" in words
    assert (
        "50.0% of the invoices paid in the last 12 months were paid late; no late "
        "charge is agreed" in words
    )
    for step in (
        "Score every applicant",
        "arbook late-charges",
        "Collection ladder",
        "worklist",
        "Contact log",
        "statements",
        "arbook discount",
    ):
        assert step in words


def test_policy_says_when_the_contact_log_is_kept(tiny_folder, tmp_path):
    import shutil

    from arbook.collections.contacts import ContactLog

    folder = tmp_path / "client"
    shutil.copytree(tiny_folder, folder)
    ContactLog(path=folder / "collections.db").close()
    review = build_review(arbook.read_ledger(folder), "2026-03-31")
    assert "A contact log is kept" in text(story.story_policy(review))


def test_applicant_is_scored_with_every_line(tiny):
    decision = arbook.score_application(arbook.credit.application.sample_application())
    words = text(story.story_applicant())
    assert f"Grade {decision.grade}" in words or f"grade {decision.grade}" in words.lower()
    for item in decision.items["item"]:
        assert str(item) in words


def test_discount_story_tells_the_simulation(tiny):
    sim = story.discount_simulation(tiny)
    words = text(story.story_discount(tiny, sim))
    assert format_cents(abs(sim.net_cents)) in words
    assert format_cents(sim.discount_cents) in words
    assert format_cents(sim.financing_saved_cents) in words
    assert sim.terms in words
    assert story.discount_chart(sim).lstrip().startswith(("<svg", "<?xml"))


def test_title_and_charts(tiny):
    assert "2026-03-31" in story.story_title(tiny, client="Acme")
    assert "Acme" in story.story_title(tiny, client="Acme")
    assert story.owed_chart(tiny).lstrip().startswith(("<svg", "<?xml"))


def test_the_story_of_an_aging_report_says_what_is_na_and_why(tiny_folder):
    """The TINY ledger marked as an aging report of 2026-03-31: what is owed is told as
    before; the month before, DSO, CEI, the share paid late and the discount say n/a with
    the reason, and every section renders."""
    import dataclasses

    import pandas as pd

    from arbook.views.walkthrough.picker import render

    ledger = dataclasses.replace(
        arbook.read_ledger(tiny_folder),
        open_items_only=True,
        report_date=pd.Timestamp("2026-03-31"),
        lacks="payments and their dates",
    )
    review = build_review(ledger)
    note = "n/a (the data holds the items open on 2026-03-31, not payments and their dates)"
    owed = re.sub(r"<[^>]+>", "", story.story_owed(review))
    assert "customers owe you 4,600.00 (total receivable)" in owed
    assert f"What you were owed a month ago: {note}." in owed
    cost = re.sub(r"<[^>]+>", "", story.story_cost(review))
    assert f"DSO: {note}." in cost and f"CEI: {note}." in cost
    assert f"The share of invoices paid late: {note}" in re.sub(
        r"<[^>]+>", "", story.story_policy(review)
    )
    assert f"The discount simulated on your customers&#x27; payments: {note}." in (
        story.story_discount(review)
    )
    parts = render(review)
    assert set(parts) >= {"owed", "cost", "chase", "policy", "discount"}
    assert len(parts["discount"]) == 1  # no chart of a simulation that cannot be made
