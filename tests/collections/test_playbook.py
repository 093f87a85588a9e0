"""The excuse playbook: every excuse answered in every language, the follow-up date it sets, and
every bad key of a client's playbook file named."""

from __future__ import annotations

import pytest

import arbook
from arbook.collections.ladder import load_playbook
from arbook.collections.playbook import excuse, follow_up
from arbook.core.config import LANGUAGES as LANGS
from arbook.core.errors import PolicyError


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


def test_bad_playbook_reports_every_bad_key(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        '[[excuses]]\ncode = "x"\nfollow_up_days = -1\nwhen = 3\n'
        '[excuses.en]\nexcuse = "e"\nanswer = "a"\npin_down = []\nnext_step = "n"\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as err:
        load_playbook(path)
    lines = str(err.value).splitlines()
    assert {line.split(": ")[1] for line in lines} == {
        "excuses.0.follow_up_days",
        "excuses.0.when",
        "excuses.0.en.pin_down",
        "excuses.0.es",
        "excuses.0.ru",
    }
