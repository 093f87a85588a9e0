"""The Collections tab in Spanish and Russian (issue 14), headless, on a copy of data/sample: the
worklist view, a customer's call screen (after a contact, a dispute and a payment plan are
recorded, with an excuse chosen), its documents box, the documents to approve and the "May I
ship?" box. Every caption, placeholder, option and HTML text of the widgets is in the language
(no English word of the catalogue is left; the customers' names, ids, addresses and the files'
names are data), while what is said to the customer (the script, the prepared answer) is in the
customer's own language. Each test has its own contact log and outbox."""

from __future__ import annotations

import html
import re

import ipywidgets as w
import pytest
from collections_setup import AS_OF, inbox, make_tab, ready_policy, sample_copy
from i18n_check import english_left, visible_text

import arbook
from arbook.collections.documents import deliver_due
from arbook.collections.playbook import excuse
from arbook.collections.worklist import worklist
from arbook.core.dates import date_text
from arbook.core.i18n import set_language
from arbook.core.money import format_money
from arbook.views.dashboard.ship_box import ShipBox
from arbook.workbook.review import build_review

__all__ = ["inbox", "sample_copy"]  # fixtures

FOREIGN = ("es", "ru")
#: the customer called in each interface language: one who speaks another language
CALLED = {"es": "C0079", "ru": "C0029"}  # C0079 speaks Russian, C0029 Spanish
#: what the person types in each language (data, not the interface's words)
TYPED = {
    "es": {"reason": "dos rollos llegaron rotos", "note": "pagará la semana que viene"},
    "ru": {"reason": "два рулона пришли порванными", "note": "заплатит на следующей неделе"},
}
#: Spanish month abbreviations that are English words too (a date, not English left over)
SPANISH_MONTHS = ["may", "ago"]


def screen_text(widget: w.Widget) -> str:
    """Everything a person reads on ``widget`` and inside it: captions, placeholders,
    tooltips, the labels of every choice and the text of every HTML or Label."""
    out: list[str] = []

    def walk(part: object) -> None:
        for attr in ("description", "placeholder", "tooltip"):
            value = getattr(part, attr, None)
            if isinstance(value, str):
                out.append(value)
        if isinstance(part, (w.HTML, w.Label)):
            out.append(part.value)
        if isinstance(part, (w.Dropdown, w.ToggleButtons, w.SelectMultiple)):
            out.extend(label for label, _value in part.options)
        for child in getattr(part, "children", ()):
            walk(child)

    walk(widget)
    return "\n".join(out)


def ledger_words(ledger) -> list[str]:
    """The data's words: ids, names, contacts and addresses of every customer."""
    people = ledger.customers
    words = [*people["customer_id"], *ledger.names(people["customer_id"]), *SPANISH_MONTHS]
    for column in ("contact", "email"):
        words += [str(v) for v in people[column].dropna()]
    return words


def outbox_words(ledger) -> list[str]:
    """The outbox's file names (``C0079/2026-10-31-statement.pdf``): names, not sentences."""
    box = ledger.folder / "outbox"
    return [str(p.relative_to(box)) for p in box.rglob("*")] if box.is_dir() else []


def work_a_customer(tab, lang: str, customer: str) -> tuple[str, str, list[str]]:
    """On ``customer``'s call screen: choose an excuse, log a promise, open a dispute on its
    oldest invoice and agree a plan on another; return the excuse's code, the call screen as it
    was first shown (the script is on it: the promise takes the customer off the list) and the
    status lines said."""
    typed = TYPED[lang]
    tab.pick(customer)
    assert tab.call_open and not tab.status_is_error, tab.status
    code = tab.playbook.excuses[0].code
    tab.pick_excuse(code)
    first = screen_text(tab.widget)
    form = tab.form
    form["outcome"].value = "promise"
    form["promise_amount"].value = "100"
    form["promise_date"].value = "2026-11-10"
    form["note"].value = typed["note"]
    assert tab.log_contact() is not None, tab.status
    said = [tab.status]
    invoices = [v for _label, v in tab.disputes.invoice.options if v]
    assert len(invoices) >= 2, invoices
    tab.disputes.invoice.value = invoices[0]
    tab.disputes.reason.value = typed["reason"]
    tab.disputes.owner.value = "Bob"
    assert tab.disputes.open_dispute() is not None, tab.status
    said.append(tab.status)
    tab.plan.items.value = (invoices[-1],)
    tab.plan.instalments.value = "2026-11-15 10.00\n2026-12-15 10.00"
    assert tab.plan.agree() is not None, tab.status
    said.append(tab.status)
    tab.pick_excuse(code)
    return code, first, said


@pytest.fixture
def tab_in(sample_copy, inbox, tmp_path, monkeypatch):
    """A function building the tab of a sample copy (documents may go out) in a language."""
    made = []

    def build(lang: str):
        set_language(lang)
        board = make_tab(sample_copy, ready_policy(inbox[1]), tmp_path, monkeypatch)
        made.append(board)
        return board

    yield build
    for board in made:
        board.log.close()


@pytest.mark.parametrize("lang", FOREIGN)
def test_the_worklist_and_a_call_screen_speak_the_interface_language(tab_in, lang):
    tab = tab_in(lang)
    data = [*ledger_words(tab.ledger), "Ann Collector", "Bob", *TYPED[lang].values()]
    worklist_view = screen_text(tab.widget)
    assert english_left(worklist_view, lang, data=data) == []
    customer = CALLED[lang]
    spoken_in = "ru" if lang == "es" else "es"
    script = tab._worklist_in(spoken_in).set_index("customer_id").loc[customer, "script"]
    code, first, said = work_a_customer(tab, lang, customer)
    tab.show_statement()
    assert not tab.status_is_error, tab.status
    kept = tab.save_statement()
    assert kept is not None, tab.status
    data += outbox_words(tab.ledger)
    assert html.escape(script, quote=True) in first and f'lang="{spoken_in}"' in first
    spoken = excuse(code, spoken_in, playbook=tab.playbook)
    offered = [getattr(e, spoken_in).excuse for e in tab.playbook.excuses]  # the excuse picker
    own = [script, *offered, *spoken.values(), *spoken["pin_down"]]
    script_words = own if lang == "ru" else []  # Spanish words; Russian has no English ones
    page = "\n".join([first, screen_text(tab.widget), *said, tab.status])
    assert english_left(page, lang, data=data + script_words) == []
    shown = " ".join(visible_text(first).split())
    history = visible_text(tab.history_html)
    opened = len(tab.disputes.disputes)
    if lang == "es":
        assert "Guion (ruso)" in shown and "Idioma ruso" in shown
        assert "Contactos registrados (2, los más recientes primero)" in history
        assert "promesa de pago" in history and "extracto de cuenta (" in history
        assert f"Reclamaciones abiertas: {opened}" in visible_text(tab.disputes.html)
        assert "al corriente" in visible_text(tab.plan.html)
        assert tab.documents.kind.options[0] == ("extracto de cuenta", "statement")
        assert tab.status.startswith("Extracto de cuenta: se ha guardado para imprimir")
        assert (
            said[0] == f"Contacto {said[0].split()[1]} con {customer} registrado (promesa de pago)."
        )
        assert said[2].startswith("Plan de pagos ") and "2 plazos para" in said[2]
    else:
        assert "Сценарий звонка (испанский)" in shown and "Язык испанский" in shown
        assert "Журнал контактов (2, сначала новые)" in history
        assert f"Споры: открыто {opened}" in visible_text(tab.disputes.html)
        assert "выполняется" in visible_text(tab.plan.html)
        assert tab.documents.kind.options[0] == ("акт сверки", "statement")
        assert tab.status.startswith("Акт сверки: сохранено для печати и отправки почтой")
        assert said[0].endswith(f" с {customer} записан (обещание оплатить).")
        assert said[2].startswith("График платежей ") and "2 платежа по счетам" in said[2]
    assert not tab.status_is_error


def test_labels_in_spanish_what_is_said_in_russian(tab_in):
    """Interface es, a customer who speaks Russian: the call screen's labels and the
    worklist's reasons are Spanish, the script and the prepared answer are Russian."""
    tab = tab_in("es")
    tab.pick("C0079")
    with_log = worklist(tab.ledger, AS_OF, log=tab.log, lang="ru").set_index("customer_id")
    row = with_log.loc["C0079"]
    script = row["script"]
    assert re.search("[а-яА-Я]", script) and not re.search("[а-яА-Я]", row["reason"])
    assert html.escape(script, quote=True) in tab.call_html
    assert f"Por qué hoy: {html.escape(row['reason'], quote=True)}" in tab.call_html
    said = excuse("cheque_in_post", "ru", playbook=tab.playbook)
    assert (said["excuse"], "cheque_in_post") in list(tab._excuse.options)
    tab.pick_excuse("cheque_in_post")
    assert "<b>Dicen:</b>" in tab.excuse_html and "<b>Respuesta:</b>" in tab.excuse_html
    assert html.escape(said["answer"], quote=True) in tab.excuse_html
    assert re.search(r"\(seguimiento el \d{1,2} [a-z]{3} 2026\)", tab.excuse_html)
    overdue = int(row["overdue_cents"])
    amount = format_money(overdue, "EUR", lang="es")
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{2}\xa0€", amount), amount
    assert f"Vencido<br><b>{amount}</b>" in tab.call_html
    assert "vencido (EUR)" in tab.worklist._head.value
    assert tab._back.description == "Volver a la lista"
    assert tab.form["who"].description == "Quién" and tab.form["day"].placeholder == "AAAA-MM-DD"
    assert ("no contesta", "no_answer") in tab.form["outcome"].options


def test_a_refusal_and_a_pre_due_row_in_russian(tab_in):
    tab = tab_in("ru")
    tab.pick("C0140")
    tab.form["who"].value = " "
    assert tab.log_contact() is None and tab.status_is_error
    assert tab.status.startswith("Не записано: кто вы? укажите своё имя"), tab.status
    early = tab.worklist_frame[tab.worklist_frame["oldest_days"] < 0].iloc[0]
    tab.pick(early["customer_id"])
    days = -int(early["oldest_days"])
    assert re.search(rf"срок оплаты через {days} (день|дня|дней)", visible_text(tab.call_html))
    assert "-1" not in visible_text(tab.call_html).split("Открытые позиции")[0]


def _queue(tab, count: int) -> list[str]:
    due = worklist(tab.ledger, AS_OF, log=tab.log)
    due = due[due["step_due"] & (due["template"] != "")].head(count)
    made = deliver_due(tab.ledger, AS_OF, due, log=tab.log, who="daily")
    assert set(made["status"]) == {"queued"}, made
    tab.refresh()
    return list(made["file"])


@pytest.mark.parametrize("lang", FOREIGN)
def test_the_documents_to_approve_speak_the_language(tab_in, lang):
    tab = tab_in(lang)
    first, second, third = _queue(tab, 3)
    tab.show_view("send")
    tab.send.preview(first)
    data = [*ledger_words(tab.ledger), *outbox_words(tab.ledger), "Ann Collector", "daily"]
    waiting = screen_text(tab.send.widget) + "\n" + tab.status
    assert english_left(waiting, lang, data=data) == []
    tab.send.tick(first)
    kept = tab.send.act("keep")
    tab.send.tick(second)
    gone = tab.send.act("withdraw")
    done = "\n".join([screen_text(tab.widget), *kept, *gone, tab.status])
    assert english_left(done, lang, data=data) == []
    labels = [label for label, _value in tab._views.options]
    if lang == "es":
        assert labels[1] == "Documentos por aprobar (1)"
        assert kept[0] == f"{first}: guardado para imprimir y enviar por correo"
        assert tab.status == "1 de 1 documento retirado."
        assert f"Entregados el {date_text(AS_OF)} (1)" in tab.send.done_html
    else:
        assert labels[1] == "Документы на согласование (1)"
        assert kept[0] == f"{first}: сохранён для печати и отправки почтой"
        assert tab.status == "отозвано 1 из 1 документа."
        assert f"Выдано за {date_text(AS_OF)} (1)" in tab.send.done_html
    assert third in [str(p) for p in tab.send.frame["pdf"]]


@pytest.mark.parametrize("lang", FOREIGN)
def test_the_ship_box_speaks_the_language(sample_copy, lang):
    set_language(lang)
    box = ShipBox()
    review = build_review(arbook.read_ledger(sample_copy), AS_OF)
    box.render(review)
    before = screen_text(box.widget)
    box.check("C0140", "")
    refused = screen_text(box.widget)
    box.check("C0140", "3000")
    answered = screen_text(box.widget)
    data = ledger_words(review.ledger)
    for text in (before, refused, answered):
        assert english_left(text, lang, data=data) == [], text
    words = {
        "es": ("¿Puedo enviar?", "Importe del pedido"),
        "ru": ("Можно отгружать?", "Сумма заказа"),
    }
    assert (box.button.description, box.amount.description) == words[lang]
