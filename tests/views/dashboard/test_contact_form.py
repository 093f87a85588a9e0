"""The call screen's contact form, headless (:mod:`arbook.views.dashboard.contact_form`): it
offers labels and sends codes; a bad value (an amount with a third decimal, a date that is not
one, no name, a promise without its date, a promise dated before the contact, a tampered
channel) is refused in one sentence and nothing is logged."""

from __future__ import annotations

import pytest
from collections_setup import fill, folder, review, tab

__all__ = ["folder", "review", "tab"]  # fixtures


def test_the_form_offers_labels_and_sends_codes(tab):
    assert ("no answer", "no_answer") in tab.form["outcome"].options
    assert ("e-mail", "email") in tab.form["channel"].options
    # a document sent or saved is recorded by the send path, with its file and hash
    assert "sent" not in [v for _, v in tab.form["outcome"].options]


@pytest.mark.parametrize(
    "values, word",
    [
        (
            {"promise_amount": "12.345", "promise_date": "2026-11-10", "outcome": "promise"},
            "promise amount '12.345'",
        ),
        (
            {"promise_amount": "12", "promise_date": "2026-13-01", "outcome": "promise"},
            "promise date",
        ),
        ({"who": "  "}, "who are you"),
        ({"outcome": "promise"}, "promise"),  # a promise needs an amount and a date (the log says)
        ({"promise_amount": "10", "promise_date": "2026-10-01"}, "before the contact"),
    ],
)
def test_a_bad_form_is_refused_readably_and_logs_nothing(tab, values, word):
    tab.pick("C0140")
    fill(tab, **values)
    assert tab.log_contact() is None
    assert tab.status_is_error and word in tab.status, tab.status
    assert "Traceback" not in tab.status
    assert tab.log.history("C0140").empty


def test_a_tampered_channel_is_refused(tab):
    tab.pick("C0140")
    fill(tab)
    tab.form["channel"].value = "pigeon"
    assert tab.status_is_error and "pigeon" in tab.status
    assert tab.form["channel"].value == "phone"
