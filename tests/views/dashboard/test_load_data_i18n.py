"""The "Load your data" screen in Spanish and Russian: every caption, hint, status line, the
column-suggestion reasons, the mapping's problems and the preset offer are translated, the
canonical field names (invoice_id, amount...) and the file's own words stay as they are, and no
English word of the catalogue is left on the screen."""

from __future__ import annotations

import shutil
from pathlib import Path

import ipywidgets as w
import pytest
from i18n_check import english_left, visible_text
from test_load_data import EXAMPLES, LIBRO

from arbook.core import mapping as mappings
from arbook.core.i18n import using
from arbook.views.dashboard.load_data import LoadData
from arbook.views.format import format_date

#: the file's own words (its name, headers and cells): data, not English left over
LIBRO_WORDS = ["libro.csv", *LIBRO.split()]
#: the canonical field names are names in files, the same in every language
NAMES = [*mappings.FIELDS, "date_order", "open_items_only", "report_date", "header_line"]


def screen_text(widget: w.Widget) -> str:
    """Everything a person reads on ``widget`` and inside it: HTML, captions, placeholders, the
    options of each dropdown."""
    out: list[str] = []

    def walk(part: object) -> None:
        for attr in ("value", "description", "placeholder", "tooltip"):
            value = getattr(part, attr, None)
            if isinstance(value, str):
                out.append(value)
        if isinstance(part, w.Dropdown):
            out.extend(label for label, _value in part.options)
        for child in getattr(part, "children", ()):
            walk(child)

    walk(widget)
    return "\n".join(out)


@pytest.fixture
def books(tmp_path: Path) -> Path:
    folder = tmp_path / "books"
    folder.mkdir()
    return folder


def uploaded(books: Path, lang: str) -> LoadData:
    with using(lang):
        screen = LoadData(books)
        assert screen.upload("libro.csv", LIBRO.encode("utf-8")), screen.status
        screen.set_column("amount", "Importe")  # the trap: a face value where an open balance is
        # read as a history: the ledger then adds no note of its own (arbook.core.ledger's)
        screen.set_open_items(False)
    return screen


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "es",
            [
                "Cargar sus datos",
                "Guardar asignación",
                "Total a cobrar",
                "Saldo neto a cobrar",
                "El archivo: encabezado en la línea 1",
                "amount está asignado a 'Importe', un importe nominal",
                "(ninguna)",
                "día primero 30/06/2026",
            ],
        ),
        (
            "ru",
            [
                "Загрузка данных",
                "Сохранить сопоставление",
                "Дебиторская задолженность всего",
                "Чистая дебиторская задолженность",
                "Файл: заголовок в строке 1",
                "amount сопоставлен с 'Importe' — полной суммой документа",
                "(нет)",
                "сначала день 30.06.2026",
            ],
        ),
    ],
)
def test_the_mapping_screen_speaks_the_language(books, lang, said):
    screen = uploaded(books, lang)
    text = screen_text(screen.widget)
    for words in said:
        assert words in visible_text(text), words
    assert "Importe" in screen.fields["amount"].value  # the file's header, as written
    assert 'title="' in screen._field_names["amount"].value  # the field's words, translated
    with using(lang):
        # the ledger's own summary line comes from arbook.core.ledger (not this screen's):
        # counted as data until that module speaks the language too
        from_ledger = [screen.ledger.describe()]
        # a date in the language ("31 may 2026": Spanish "may" is May, not the English verb)
        dates = [format_date(screen.figures["as_of"])]
        assert english_left(text, lang, data=LIBRO_WORDS + NAMES + from_ledger + dates) == []
        assert english_left(screen.status, lang, data=LIBRO_WORDS + NAMES) == []
        for problem in screen.found:
            assert english_left(problem, lang, data=LIBRO_WORDS + NAMES) == [], problem


@pytest.mark.parametrize("lang", ["es", "ru"])
def test_the_column_suggestions_explain_themselves_in_the_language(books, lang):
    screen = uploaded(books, lang)
    reasons = [visible_text(box.value) for box in screen._reasons.values()]
    assert any("'Importe'" in r for r in reasons)
    with using(lang):
        for reason in reasons:
            assert english_left(reason, lang, data=LIBRO_WORDS + NAMES) == [], reason
        for note in screen.suggestion.notes:
            assert english_left(note, lang, data=LIBRO_WORDS + NAMES) == [], note


@pytest.mark.parametrize(
    ("lang", "refused"),
    [("es", "no es una columna de libro.csv"), ("ru", "— не столбец файла libro.csv")],
)
def test_refusals_are_said_in_the_language(books, lang, refused):
    screen = uploaded(books, lang)
    with using(lang):
        screen.set_column("due_date", "Nope")
        assert screen.status_is_error and refused in screen.status
        assert english_left(screen.status, lang, data=["Nope", "libro.csv"]) == []
        screen.set_open_items(True, "30 June")
        assert screen.status_is_error and "2026-06-30" in screen.status
        assert english_left(screen.status, lang, data=["June"]) == []


def test_the_captions_follow_a_language_chosen_after_the_screen_was_built(books):
    screen = LoadData(books)  # built in English
    assert screen.save_button.description == "Save mapping"
    with using("ru"):
        screen.render()  # shown after the picker chose Russian
        assert screen.save_button.description == "Сохранить сопоставление"
        assert screen.picker.options[0][0] == "(выберите файл)"
    screen.render()
    assert screen.save_button.description == "Save mapping"


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="the shared import examples are not here")
@pytest.mark.parametrize(
    ("lang", "offer"),
    [
        ("es", "arbook lo lee con la plantilla"),
        ("ru", "arbook читает его по шаблону"),
    ],
)
def test_a_known_export_is_offered_its_preset_in_the_language(books, lang, offer):
    shutil.copy(EXAMPLES / "qbo-ar-aging-detail.csv", books)
    with using(lang):
        screen = LoadData(books)
        assert screen.pick("qbo-ar-aging-detail.csv")
        note = screen._preset_note.value
        assert offer in note and "<code>qbo-aging</code>" in note
        assert "QuickBooks Online" in note
        data = ["qbo-ar-aging-detail.csv", "qbo-aging", "preset", "check", "A/R Aging Detail"]
        assert english_left(note, lang, data=data) == []
        assert english_left(screen.status, lang, data=data) == []
