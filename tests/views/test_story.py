"""The walkthrough's story (arbook.views.walkthrough.story) and its picker (arbook.views.walkthrough.picker)."""

from __future__ import annotations

import html
import re

import pytest
from conftest import ROOT, write_ledger

import arbook
from arbook.core.errors import ParameterError
from arbook.views.format import format_cents, format_ratio
from arbook.views.walkthrough import story
from arbook.views.walkthrough.picker import SECTIONS, StoryOutput, Walkthrough, check_as_of
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
        payment_id,customer_id,payment_date,amount,invoice_id
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


def test_owed_sample_matches_the_review(sample):
    items = sample.items
    owed = items[items["outstanding_cents"] > 0]
    total = int(owed["outstanding_cents"].sum())
    overdue = int(owed.loc[owed["days_overdue"] > 0, "outstanding_cents"].sum())
    over_90 = int(owed.loc[owed["days_overdue"] > 90, "outstanding_cents"].sum())
    # The story tells the gross amount owed and the credits apart; the tile nets them.
    credits = int(items.loc[items["outstanding_cents"] < 0, "outstanding_cents"].sum())
    assert total + credits == int(sample.kpis.set_index("kpi").at["total_cents", "value"])
    words = text(story.story_owed(sample))
    assert f"{owed['customer_id'].nunique():,} customers owe you {format_cents(total)}" in words
    assert f"{format_cents(overdue)} of it ({format_ratio(overdue / total, percent=True)})" in words
    assert (
        f"{format_cents(over_90)} ({format_ratio(over_90 / total, percent=True)}) more "
        "than 90 days late" in words
    )
    assert "Silverline Textiles Co." in words


# ---- section 2: what it costs ----------------------------------------------------------------


def test_cost_tiny_by_hand(tiny):
    # C1 100,000 cents x 59 days x 0.10 / 365 = 1,616.44 -> 16.16; C2 300,000 x 30 -> 24.66
    words = text(story.story_cost(tiny))
    assert "They hold 4,000.00 that is past due" in words
    assert "capital of 10.0% a year, carrying it costs you 40.82 a year" in words
    assert (
        "The most expensive customer is Beta : 3,000.00 overdue for 30.0 days on average "
        "costs 24.66 a year (60.4% of the total)" in words
    )


def test_cost_sample_matches_the_kpis(sample):
    kpis = sample.kpis.set_index("kpi")["value"]
    words = text(story.story_cost(sample))
    assert (
        f"costs you {format_cents(int(sample.carrying['carrying_cost_cents'].sum()))} "
        "a year" in words
    )
    assert f"take {format_ratio(kpis['dso_countback'])} days to pay" in words
    assert f"it would be {format_ratio(kpis['best_possible_dso'])} days" in words
    assert f"on average {format_ratio(kpis['add'])} days late" in words
    assert f"you collected {format_ratio(kpis['cei'], percent=True)} (CEI)" in words


def test_cost_with_no_history_says_na(tiny_folder):
    review = build_review(arbook.read_ledger(tiny_folder), "2025-12-31")
    words = text(story.story_cost(review))
    assert "CEI is n/a" in words


# ---- section 3: who to chase -----------------------------------------------------------------


def test_chase_order_tiny_by_hand(tiny):
    # C2: 3,000 x (1 + 30/30) x (1 + 26.47/30) = 11,294; DBT (400 x 0 + 3,000 x 30) / 3,400
    # C1: 1,000 x (1 + 59/30) x (1 + 59/30)    =  8,801: older and worse, but a third the size
    chase = story.chase_list(tiny)
    assert list(chase["customer_id"]) == ["C2", "C1"]
    assert list(chase["rank"]) == [1, 2]
    assert chase["priority"].round(0).tolist() == [11294.0, 8801.0]
    c1 = chase.set_index("customer_id").loc["C1"]
    assert (c1["rank_amount"], c1["rank_age"], c1["rank_behaviour"]) == (2, 1, 1)
    assert c1["oldest_days"] == 59 and c1["carrying_cost_cents"] == 1616


def test_chase_order_follows_the_rule_on_sample(sample):
    chase = story.chase_list(sample)
    dbt = chase["days_beyond_terms"].fillna(0).clip(lower=0)
    expected = chase["overdue_cents"] / 100 * (1 + chase["oldest_days"] / 30) * (1 + dbt / 30)
    assert (expected - chase["priority"]).abs().max() < 1e-6
    assert chase["priority"].is_monotonic_decreasing
    late = sample.items[
        (sample.items["outstanding_cents"] > 0) & (sample.items["days_overdue"] > 0)
    ]
    assert set(chase["customer_id"]) == set(late["customer_id"])
    assert chase.iloc[0]["customer_id"] == "C0140"  # the customer who goes bad


def test_chase_story_says_why(tiny):
    html = story.story_chase(tiny)
    words = text(html)
    assert "2 customers are late with 4,000.00" in words
    assert "Beta (C2): 3,000.00 overdue, the oldest item 30 days past due" in words
    assert "Of 2 late payers it is 1st by amount, 2nd by age and 2nd by payment record" in words
    assert words.index("Beta (C2)") < words.index("(C1)")


def test_customer_names_are_escaped(tiny):
    for fragment in (story.story_chase(tiny), story.story_policy(tiny), story.story_owed(tiny)):
        assert "<script>" not in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Alpha" in story.story_chase(tiny)
    assert "<script>" not in story.story_title(tiny, client="<script>x</script>")


# ---- section 4: the policy -------------------------------------------------------------------


def test_policy_tiny_by_hand(tiny):
    figures = story.policy_figures(tiny)
    # the customer over its limit is the one on credit hold
    assert figures == {
        "owing": 3,
        "no_limit": 1,
        "over_limit": 1,
        "paid_late_share": 0.5,
        "over_60": 0,
        "over_60_cents": 0,
        "disputed": 1,
        "unapplied": 1,
        "on_hold": 1,
        "late_charge": "no late charge is agreed",
    }
    words = text(story.story_policy(tiny))
    assert "1 of 3 customers who owe you have no credit limit on file; 1 owe more" in words
    assert "1 should be on credit hold today" in words
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


# ---- the picker ------------------------------------------------------------------------------


def test_check_as_of(tiny):
    assert check_as_of(tiny.ledger, "") == "2026-03-31"
    with pytest.raises(ParameterError, match="from 2025-12-31 to 2026-03-31"):
        check_as_of(tiny.ledger, "2026-03-15")


def test_picker_renders_the_defaults(tiny_folder):
    tour = Walkthrough(str(tiny_folder), "", client="Acme")
    assert not tour.status_is_error and tour.as_of == "2026-03-31"
    assert tour.month.options[0] == "2026-03-31"
    assert set(tour.sections) == set(SECTIONS)
    assert "Beta" in text(tour.show("chase").html())
    bundle = tour.show("owed")._repr_mimebundle_()
    assert "4,600.00" in bundle["text/html"] and "<svg" in bundle["text/html"]
    with pytest.raises(ParameterError):
        tour.show("nope")


def test_picker_bad_folder_keeps_the_story(tiny_folder, tmp_path):
    tour = Walkthrough(str(tiny_folder), "2026-02-28")
    before = {name: out.html() for name, out in tour.sections.items()}
    tour.folder.value = str(tmp_path / "missing")
    assert tour.status_is_error and "does not exist" in tour.message.value
    assert tour.use() is False
    assert "arbook-error" in tour.message.value and "Traceback" not in tour.message.value
    assert {name: out.html() for name, out in tour.sections.items()} == before
    assert tour.as_of == "2026-02-28"


def test_picker_good_folder_and_date_redraws(tiny_folder):
    tour = Walkthrough(str(tiny_folder))
    tour.folder.value = str(SAMPLE)
    assert not tour.status_is_error
    assert tour.month.options[0] == "2026-10-31"
    assert tour.month.value == "2026-03-31"  # the month picked stays when the new data has it
    tour.month.value = "2026-09-30"
    assert tour.use() is True
    assert tour.as_of == "2026-09-30" and tour.data == str(SAMPLE)
    assert "2026-09-30" in tour.show("title").html()
    assert "Silverline" in tour.show("chase").html()


def test_picker_bad_date_parameter_shows_an_error(tiny_folder):
    tour = Walkthrough(str(tiny_folder), "2026-03-15")
    assert tour.status_is_error and tour.review is None
    assert "not one of the data's month ends" in html.unescape(tour.show("title").html())
    assert "arbook-error" in tour.show("title").html()


def test_story_output_without_content_still_displays():
    bundle = StoryOutput()._repr_mimebundle_()
    assert bundle["text/html"] == ""
    assert "application/vnd.jupyter.widget-view+json" in bundle
