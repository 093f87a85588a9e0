"""What a first meeting finds missing in the client's policy
(:func:`arbook.workbook.findings.policy_findings`), on the sample: each fact is the review part it
comes from, so it agrees with every other screen.
The tiny hand-worked ledger's findings, and the sentences they become, are tested with the story
in tests/views/walkthrough/test_story.py."""

from __future__ import annotations

from conftest import SAMPLE

import arbook
from arbook.workbook.findings import policy_findings
from arbook.workbook.review import build_review


def test_policy_findings_on_the_sample_are_the_reviews_parts(monkeypatch):
    monkeypatch.delenv("ARBOOK_LOG", raising=False)  # the log is looked for in the data folder
    review = build_review(arbook.read_ledger(SAMPLE), "2026-10-31")
    found = policy_findings(review)
    assert found.on_hold == len(review.holds) > 0
    assert found.over_60_cents == review.totals.over_60_cents > 0
    owing = review.scores[review.scores["exposure_cents"] > 0]
    assert found.owing == (review.scores["exposure_cents"] > 0).sum() == len(owing)
    assert found.no_limit == owing["credit_limit_cents"].isna().sum() > 0
    if not (SAMPLE / "collections.db").exists():  # the sample ships without a contact log
        assert found.contact_log == ""
