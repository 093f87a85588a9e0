"""Collections in Spanish and Russian: the worklist's reasons, actions and step labels in the
user's language and its scripts in the customer's; the contact log's refusals; the Excel sheet's
titles; and every shipped ladder step and playbook excuse with its label in es and ru."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import ledger_of
from i18n_check import english_left
from openpyxl import load_workbook
from test_worklist import AS_OF, CUSTOMERS, INVOICES, PAYMENTS, FakeLog

from arbook.collections.contacts import (
    CHANNELS,
    OUTCOMES,
    ContactLog,
    channel_label,
    outcome_label,
)
from arbook.collections.ladder import (
    SHIPPED_ACTIONS,
    STEP_LABELS,
    load_ladder,
    load_playbook,
    step_text,
)
from arbook.collections.worklist import worklist, worklist_changes
from arbook.collections.worklist_xlsx import write_worklist
from arbook.core.errors import LogError, ParameterError
from arbook.core.i18n import gettext, using
from arbook.measures.disputes import RESOLUTIONS

FOREIGN = ("es", "ru")
#: what the ledger itself says (names, ids, phones, contacts), never counted as English left
DATA = ("Alpha Ltd", "Beta Ltd", "Gamma SA", "Delta", "Epsilon", "Phi", "Gee", "Ann", "Bob")
DATA += ("Carla", "Dan", "Eve", "Fay", "Gus")


@pytest.fixture
def ledger(tmp_path):
    return ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


def _at(day):
    return pd.Timestamp(f"{day} 09:30", tz="UTC")


def _log():
    """F promised 100.00 for today, D broke a promise of 200.00, A's follow-up (cheque in the
    post) is due today."""
    return FakeLog(
        [
            {
                "at": _at("2026-10-27"),
                "customer_id": "A",
                "excuse": "cheque_in_post",
                "next_date": pd.Timestamp("2026-10-31"),
            }
        ],
        promises=[
            (2, "F", 10000, "2026-10-31", "2026-10-28", 0, "open"),
            (3, "D", 20000, "2026-10-20", "2026-10-10", 0, "broken"),
        ],
    )


def _texts(frame: pd.DataFrame) -> str:
    return "\n".join(frame[c].astype(str).str.cat(sep="\n") for c in ("reason", "action"))


@pytest.mark.parametrize("lang", FOREIGN)
def test_the_worklist_speaks_the_users_language(ledger, lang):
    with using(lang):
        frame = worklist(ledger, AS_OF, log=_log(), lang=lang)
        labels = frame["step_label"].str.cat(sep="\n")
    shown = _texts(frame) + "\n" + labels + "\n" + frame["script"].str.cat(sep="\n")
    assert english_left(shown, lang, data=DATA) == []
    rows = frame.set_index("customer_id")
    if lang == "es":
        assert rows.loc["F", "reason"].startswith("promesa de 100,00 que vence hoy")
        assert rows.loc["D", "reason"].startswith(
            "promesa de 200,00 con vencimiento el 20 oct 2026 incumplida; llegó a "
            "«antes del vencimiento» (3 días antes del vencimiento)"
        )
        assert "la partida más antigua vence dentro de 3 días" in rows.loc["D", "reason"]
        assert (
            "seguimiento previsto para el 31 oct 2026 (excusa: El cheque ya está en el correo)"
            in (rows.loc["A", "reason"])
        )
        assert rows.loc["B", "step_label"] == "agencia de cobro"
        assert rows.loc["B", "action"] == "agencia de cobro o carta del abogado"
        assert "9.000,00 más en disputa (no se reclaman)" in rows.loc["F", "reason"]
    else:
        assert rows.loc["F", "reason"].startswith("обещание оплатить 100,00 — срок сегодня")
        assert rows.loc["D", "reason"].startswith("нарушено обещание оплатить 200,00 до 20 окт.")
        assert "самый старый счёт просрочен на 60 дней" in rows.loc["B", "reason"]
        assert "этап «коллекторское агентство» (+60 дней)" in rows.loc["B", "reason"]
        assert "(отговорка: Чек уже отправлен почтой)" in rows.loc["A", "reason"]
        assert rows.loc["A", "step_label"] == "первый звонок"
        assert rows.loc["A", "action"] == "телефонный звонок"
        assert rows.loc["C", "script"].startswith("Здравствуйте, Carla!")
    assert rows.loc["B", "step"] == "agency"  # the codes stay codes


def test_russian_counts_take_their_three_forms(ledger):
    # A: 10 days overdue ("дней"); F: 2 ("дня"); C: 1 ("день")
    with using("ru"):
        rows = worklist(ledger, AS_OF).set_index("customer_id")["reason"]
    assert "просрочен на 10 дней" in rows["A"]
    assert "просрочен на 2 дня" in rows["F"]
    assert "просрочен на 1 день" in rows["C"]


def test_the_script_follows_the_customer_and_the_screen_the_user(ledger):
    # lang=None: each customer's own language (Gamma SA is Spanish), the reasons the user's
    with using("ru"):
        rows = worklist(ledger, AS_OF, lang=None).set_index("customer_id")
    assert rows.loc["C", "script"].startswith("Hola, Carla:")
    assert "1.000,00" not in rows.loc["A", "script"] and "1,000.00" in rows.loc["A", "script"]
    assert rows.loc["C", "reason"].startswith("этап «напоминание об оплате»")
    with using("en"):
        spanish = worklist(ledger, AS_OF, lang="es").set_index("customer_id")
    assert "3.000,00" in spanish.loc["C", "script"]  # the customer's way of writing amounts
    assert spanish.loc["C", "reason"].startswith("reached 'reminder' (+1 day) on 2026-10-31")


@pytest.mark.parametrize("lang", FOREIGN)
def test_disputes_and_plans_on_the_worklist(tmp_path, lang):
    ledger = ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)
    with ContactLog(path=tmp_path / "log.db") as log:
        log.add_plan(
            "B",
            instalments=[("2026-11-05", 25000), ("2026-11-20", 25000)],
            documents=["IB"],
            who="me",
            at=_at("2026-10-30"),
        )
        log.open_dispute("A", "IA", reason="short delivery", who="me", at=_at("2026-10-30"))
        with using(lang):
            due = worklist(ledger, "2026-11-05", log=log)
            later = worklist(ledger, "2026-11-06", log=log)
            changes = worklist_changes(ledger, "2026-11-06", log=log)
    rows = due.set_index("customer_id")
    assert english_left(_texts(due) + _texts(later), lang, data=DATA) == []
    crossed = changes["crossed_step"]["action"].str.cat(sep="\n")
    assert english_left(crossed, lang) == []
    if lang == "es":
        assert rows.loc["B", "reason"] == "el plazo 1 del plan de pagos, de 250,00, vence hoy"
        assert rows.loc["B", "action"] == "llamar por el plan de pagos"
        assert rows.loc["A", "action"] == "gestionar la reclamación (no se reclama el cobro)"
        assert rows.loc["A", "reason"].startswith("en disputa: 1.000,00; la partida más antigua")
    else:
        assert later.loc[0, "reason"].startswith(
            "просрочен платёж 1 по графику на 250,00 со сроком 5 нояб. 2026"
        )
        assert rows.loc["A", "reason"].startswith("спорная сумма: 1\xa0000,00;")


# --- the contact log's refusals ---------------------------------------------------------------


def _refused(call) -> str:
    with pytest.raises((ParameterError, LogError)) as caught:
        call()
    return str(caught.value)


@pytest.mark.parametrize("lang", FOREIGN)
def test_the_contact_log_refuses_in_the_users_language(tmp_path, ledger, lang):
    said = []
    with using(lang), ContactLog(path=tmp_path / "log.db") as log:
        said.append(
            _refused(
                lambda: log.add(
                    "A",
                    channel="pigeon",
                    outcome="promise",
                    who=" ",
                    promise_cents=-5,
                    next_date="2026-02-30",
                    at=dt.datetime(2026, 11, 5, 10, 0),
                )
            )
        )
        entry = log.add("A", channel="phone", outcome="reached", who="me", at=_at("2026-10-30"))
        said.append(_refused(lambda: log.correct(entry)))
        said.append(_refused(lambda: log.correct(999, note="x")))
        log.correct(entry, note="better")
        said.append(_refused(lambda: log.correct(entry, note="again")))
        said.append(_refused(lambda: log.export(tmp_path / "log.json")))
        said.append(
            _refused(lambda: log.open_dispute("A", "IA", reason="", who="me", amount_cents=0))
        )
        number = log.open_dispute("A", "IA", reason="short delivery", who="me")
        said.append(_refused(lambda: log.open_dispute("A", "IA", reason="again", who="me")))
        said.append(_refused(lambda: log.resolve_dispute(number, resolution="maybe", who="me")))
        said.append(_refused(lambda: log.note_dispute(number, who="me", note=" ")))
        said.append(_refused(lambda: log.cancel_plan(42, who="me")))
        said.append(
            _refused(
                lambda: log.add_plan(
                    "B",
                    instalments=[("2026-10-01", 100), ("2026-10-01", 0)],
                    documents=["IB"],
                    who="me",
                    at=_at("2026-10-30"),
                )
            )
        )
        said.append(
            _refused(
                lambda: log.add_plan(
                    "B",
                    instalments=[("2026-11-05", 99_999_999)],
                    documents=["IB"],
                    who="me",
                    at=_at("2026-10-30"),
                    ledger=ledger,
                )
            )
        )
        said.append(_refused(lambda: ContactLog(path=tmp_path / "missing" / "log.db")))
        said.append(_refused(lambda: ContactLog(path=tmp_path)))
        said.append(_refused(lambda: ContactLog("mysql://u@h/db")))
    text = "\n".join(said)
    # the values, the fields' names and the codes to give stay as the code names them; the
    # words around them are translated
    data = ("pigeon", "channel", "promise_cents", "promise_date", "next_date", "who", "note")
    data += ("short", "me")
    data += ("delivery", "again", "maybe", "better", "log", "json", "mysql", "IA", "IB")
    data += (*CHANNELS, *OUTCOMES, *RESOLUTIONS, str(tmp_path))
    assert english_left(text, lang, data=data) == []
    if lang == "es":
        assert said[0].startswith("contacto no registrado: who es ' '; debe ser un texto no vacío")
        assert "channel es 'pigeon'; use uno de estos: phone, email" in said[0]
        assert "el importe prometido debe ser mayor que 0" in said[0]
        assert "ese día no existe en ese mes; escriba una fecha real como AAAA-MM-DD" in said[0]
        assert said[3].startswith(f"el contacto {entry} ya lo corrigió el contacto")
        assert "reclamación no registrada: IA ya está en la reclamación" in said[6]
        assert said[9] == "el plan de pagos 42 no existe; consulte los planes y sus números"
        assert "más de un plazo en 1 oct 2026" in said[10]
        assert "los plazos suman 999.999,99" in said[11]
    else:
        assert said[0].startswith(
            "контакт не записан: who: значение ' ' не подходит, нужен непустой текст"
        )
        assert "обещанная сумма должна быть больше 0" in said[0]
        assert "без часового пояса" in said[0]
        assert said[2] == "контакта 999 нет; проверьте номер в log.history()"
        assert said[7].startswith("решение по спору не записано: решение 'maybe' не подходит")
        assert "платёж 2 по графику" not in said[10] and "сумма платежа 2" in said[10]
        assert said[13].startswith("журнал контактов ")
        assert "это папка, а не файл" in said[13]


# --- the Excel sheet ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "first"),
    [
        ("en", ["rank", "customer_id", "name", "phone", "overdue"]),
        ("es", ["orden", "código de cliente", "nombre", "teléfono", "vencido"]),
        ("ru", ["№", "код клиента", "клиент", "телефон", "просрочка"]),
    ],
)
def test_the_sheet_titles_its_columns_in_the_users_language(ledger, tmp_path, lang, first):
    with using(lang):
        frame = worklist(ledger, AS_OF)
        write_worklist(frame, tmp_path / "w.xlsx")
    sheet = load_workbook(tmp_path / "w.xlsx").active
    titles = [c.value for c in sheet[1]]
    assert titles[:5] == first
    if lang != "en":
        assert english_left("\n".join(titles + [sheet.title]), lang) == []
    assert sheet.cell(row=2, column=5).value == 3000.0  # amounts stay numbers
    assert sheet.cell(row=2, column=7).value == "reminder"  # the step's code stays a code


# --- labels: every shipped step and excuse, in every language -------------------------------


@pytest.mark.parametrize("lang", FOREIGN)
def test_every_shipped_step_has_its_label_and_action_in_the_language(lang):
    ladder = load_ladder()
    for step in ladder.steps:
        assert step.key in STEP_LABELS, f"step {step.key!r} has no label in ladder.STEP_LABELS"
        assert step.action in SHIPPED_ACTIONS, f"step {step.key!r}: its action is not marked"
        label, action = gettext(STEP_LABELS[step.key], lang), gettext(step.action, lang)
        assert label != STEP_LABELS[step.key], f"step {step.key!r} has no {lang} label"
        assert action != step.action, f"step {step.key!r} has no {lang} action"
        assert english_left(f"{label}\n{action}", lang) == []
    with using(lang):
        assert step_text("first_call_2") == gettext("first call", lang) + " 2"
        assert step_text("a_step_of_our_own") == "a step of our own"  # the client's words


@pytest.mark.parametrize("lang", FOREIGN)
def test_every_shipped_excuse_has_its_label_in_the_language(lang):
    for item in load_playbook().excuses:
        own, english = getattr(item, lang), item.en
        assert own.excuse.strip() and own.excuse != english.excuse, item.code
        for text in (own.excuse, own.answer, own.next_step, *own.pin_down):
            assert english_left(text, lang) == [], (item.code, text)
    assert {"es", "ru"} <= set(type(item).model_fields)  # an excuse without one does not load


@pytest.mark.parametrize("lang", FOREIGN)
def test_channels_and_outcomes_are_labelled_in_the_language(lang):
    with using(lang):
        labels = [channel_label(c) for c in CHANNELS] + [outcome_label(o) for o in OUTCOMES]
        assert channel_label("carrier_pigeon") == "carrier pigeon"  # a newer log's code
    assert english_left("\n".join(labels), lang, data=("SMS",)) == []
    assert labels[1] == ("correo electrónico" if lang == "es" else "эл. почта")
