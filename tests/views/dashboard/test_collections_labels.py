"""Labels, not codes (:mod:`arbook.views.dashboard.collections_labels`): channels, outcomes,
excuses in the customer's language, ladder steps, resolutions and documents in words; how late
an item is ("due in 3 days", never "-3 days overdue"); dates blank or "never", never NaT;
amounts with the book's currency."""

from __future__ import annotations

import pandas as pd
import pytest

from arbook.collections.contacts import CHANNELS, OUTCOMES
from arbook.collections.documents import TEMPLATES
from arbook.collections.playbook import excuse
from arbook.core.procedure import resolve_playbook
from arbook.measures.disputes import RESOLUTIONS
from arbook.views.dashboard.collections_labels import (
    amount_text,
    channel_label,
    day_text,
    document_label,
    document_options,
    excuse_label,
    language_name,
    late_text,
    outcome_label,
    outcome_options,
    resolution_options,
    step_text,
    with_currency,
)


def test_every_channel_and_outcome_has_a_label_in_words():
    for code in CHANNELS:
        assert "_" not in channel_label(code) and channel_label(code)
    for code in OUTCOMES:
        assert "_" not in outcome_label(code) and outcome_label(code)
    assert outcome_label("no_answer") == "no answer" and channel_label("email") == "e-mail"
    assert outcome_label("gone_fishing") == "gone fishing"  # a code newer than this table


@pytest.mark.parametrize(
    "days, text", [(12, "12 days overdue"), (1, "1 day overdue"), (0, "due today"),
                   (-1, "due in 1 day"), (-3, "due in 3 days")],
)  # fmt: skip
def test_how_late_in_words(days, text):
    assert late_text(days) == text


def test_dates_are_blank_or_never_not_nat():
    assert day_text(pd.NaT) == "" and day_text(None, never="never") == "never"
    assert day_text(pd.Timestamp("2026-11-02")) == "2026-11-02"


def test_steps_excuses_languages_and_money_in_words():
    playbook = resolve_playbook(None)
    assert step_text("second_call") == "second call" and step_text(None) == ""
    assert step_text("new_step") == "new step"
    assert excuse_label("cheque_in_post", playbook, "en") == excuse("cheque_in_post")["excuse"]
    assert (
        excuse_label("cheque_in_post", playbook, "ru") == excuse("cheque_in_post", "ru")["excuse"]
    )
    assert excuse_label("the dog ate it", playbook, "en") == "the dog ate it"
    assert excuse_label(None, playbook, "en") == ""
    assert language_name("ru") == "Russian" and language_name("es") == "Spanish"
    assert amount_text(123456, "EUR") == "1,234.56 EUR" and amount_text(123456, None) == "1,234.56"
    assert amount_text(pd.NA, "EUR") == ""


def test_dropdowns_offer_labels_for_codes():
    assert [code for _, code in resolution_options()] == list(RESOLUTIONS)
    assert [code for _, code in document_options()] == ["statement", *TEMPLATES]
    assert document_label("final_notice") == "final notice"
    assert all("_" not in label for label, _ in resolution_options() + document_options())
    hand = [code for _, code in outcome_options()]
    assert "sent" not in hand and "saved" not in hand  # the send path records those
    assert "sent" in [code for _, code in outcome_options(documents=True)]
    assert with_currency("overdue", "EUR") == "overdue (EUR)" and with_currency("x", None) == "x"
