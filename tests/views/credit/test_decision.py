"""The credit decision as the client reads it (:mod:`arbook.views.credit.decision`)."""

from __future__ import annotations

from arbook.credit.application import sample_application, score_application
from arbook.views.credit.decision import decision_text


def test_decision_text_is_one_page():
    decision = score_application(sample_application())
    text = decision_text(decision)
    assert text.startswith("CREDIT DECISION: Harbour Lane Fixtures Ltd\n") and "Date:" not in text
    assert "Grade:                 B" in text and "7,500.00 (requested 40,000.00)" in text
    assert "at least 5 years -> 14 points" in text and len(text.splitlines()) < 60
    assert "Date: 2026-11-03" in decision_text(decision, on="2026-11-03")
