"""The excuse playbook: every excuse answered in every language and the follow-up date it sets
(a playbook file's validation is tested with its models, in tests/core/test_procedure.py)."""

from __future__ import annotations

import pytest

import arbook
from arbook.collections.ladder import load_playbook
from arbook.collections.playbook import excuse, follow_up
from arbook.core.config import LANGUAGES as LANGS


def test_playbook_complete_in_every_language():
    book = load_playbook()
    codes = [e.code for e in book.excuses]
    assert len(codes) >= 10 and codes[0] == "unopened_mail"
    assert {
        "cheque_in_post",
        "never_received",
        "signer_away",
        "payment_run",
        "waiting_for_customer",
        "goods_problem",
        "cannot_pay",
        "send_copy",
        "talk_to_someone_else",
    } <= set(codes)
    for code in codes:
        for lang in LANGS:
            entry = excuse(code, lang)
            assert all(entry[k] for k in ("excuse", "answer", "next_step", "pin_down"))
            assert all(fact.strip() for fact in entry["pin_down"])
    mail = excuse("unopened_mail", "ru")
    assert "почт" in mail["excuse"] and "лично" in mail["answer"]
    assert "mail" in excuse("unopened_mail")["answer"]


def test_follow_up_date():
    assert follow_up("cheque_in_post", "2026-10-30").isoformat() == "2026-11-02"  # +3 days
    with pytest.raises(arbook.ParameterError, match="no excuse 'weather'"):
        follow_up("weather", "2026-10-30")
