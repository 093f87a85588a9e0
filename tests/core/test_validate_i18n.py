"""Data-validation issues, policy and rules-file errors in Spanish and Russian (issue 14): every
fixture of tests/fixtures/issues read in the language gives its messages and hints in it, still
naming the same file, line, column and value (the codes, column names, flags and the data's own
cells stay as they are); bad policy, ladder and playbook files, pydantic's kinds of error and the
parameter checks are said in arbook's words; ``arbook check --lang es`` prints Spanish messages
with their hints."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
from conftest import FIXTURES, ledger_of
from i18n_check import english_left
from pydantic import Field, ValidationError

import arbook
from arbook.cli.commands import main
from arbook.core.config import check_basis, check_edges, check_fraction, load_policy, parse_terms
from arbook.core.dates import day_number, month_end, parse_month
from arbook.core.errors import IssueCode, ParameterError, PolicyError, shorten
from arbook.core.i18n import using
from arbook.core.money import parse_money
from arbook.core.procedure import ladder_text, load_playbook
from arbook.core.rules import Frozen, explain, unknown_customer
from arbook.core.rules_file import rules_file

FOREIGN = ("es", "ru")
#: the codes arbook.core.validate gives (the others are the readers' and the presets')
VALIDATION_CODES = {
    "missing_column",
    "no_invoices",
    "empty_file",
    "extra_cells",
    "missing_value",
    "bad_date",
    "ambiguous_date",
    "bad_amount",
    "bad_number",
    "bad_flag",
    "bad_currency",
    "duplicate_invoice",
    "duplicate_customer",
    "duplicate_rate",
    "nonpositive_payment",
    "currency_mix",
    "due_before_invoice",
    "unknown_invoice",
    "other_customer_invoice",
    "payment_to_credit_note",
    "unknown_credit_target",
    "applies_to_ignored",
}
FOLDERS = sorted(FIXTURES / code for code in VALIDATION_CODES)
#: what locates an issue: the same in every language
PLACE = ["severity", "code", "source_file", "source_line", "column", "value"]


def read(folder: Path, lang: str) -> arbook.Ledger:
    with using(lang):
        return arbook.read_ledger(folder)


def data_words(ledger: arbook.Ledger) -> list[str]:
    """The ledger's own words an issue quotes: cells, column names, file names, ids."""
    issues = ledger.issues
    cells = [*issues["value"], *issues["column"], *issues["source_file"], *issues["code"]]
    return [str(v) for v in cells if isinstance(v, str)]


@pytest.mark.parametrize("lang", FOREIGN)
@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_every_fixture_speaks_the_language(folder, lang):
    english, spoken = arbook.read_ledger(folder), read(folder, lang)
    assert spoken.issues[PLACE].equals(english.issues[PLACE])  # same file, line, column, value
    words = data_words(spoken)
    mine = spoken.issues["code"].isin(VALIDATION_CODES)
    assert mine.any()
    for said, was in zip(
        spoken.issues[mine].itertuples(index=False), english.issues[mine].itertuples(index=False)
    ):
        assert said.message != was.message and said.hint != was.hint
        for text in (said.message, said.hint):
            assert english_left(text, lang, data=words) == [], text
        if isinstance(said.column, str) and said.column in was.message:
            assert said.column in said.message  # the column is named as the file names it
        if f"'{said.value}'" in was.message:
            assert f"'{said.value}'" in said.message  # and so is the cell


@pytest.mark.parametrize(
    "lang, message, hint",
    [
        (
            "es",
            "invoice_date '2026-02-30' no es una fecha",
            "Escriba las fechas como AAAA-MM-DD (o lea el archivo con --date-order dmy o "
            "--date-order mdy).",
        ),
        (
            "ru",
            "invoice_date '2026-02-30' — не дата",
            "Запишите даты как ГГГГ-ММ-ДД (или прочитайте файл с --date-order dmy или "
            "--date-order mdy).",
        ),
    ],
)
def test_a_bad_date_exactly(lang, message, hint):
    first = read(FIXTURES / "bad_date", lang).issues.iloc[0]
    assert (first["source_line"], first["code"]) == (2, "bad_date")
    assert (first["message"], first["hint"]) == (message, hint)


def test_key_strings_exactly():
    with using("es"):
        amount = arbook.read_ledger(FIXTURES / "bad_amount").issues
        other = arbook.read_ledger(FIXTURES / "other_customer_invoice").issues.iloc[0]
    assert amount.iloc[2]["hint"] == (
        "Se lee como importe con coma decimal: lea el archivo con --decimal , (o escriba los "
        "importes como 1234.56)."
    )
    assert other["message"] == "invoice_id 'I2' es del cliente B, no del pagador A"
    with using("ru"):
        due = arbook.read_ledger(FIXTURES / "due_before_invoice").issues.iloc[0]
        empty = arbook.read_ledger(FIXTURES / "empty_file").issues.iloc[0]
    assert due["message"] == "due_date '2025-12-05' раньше, чем invoice_date '2026-01-05'"
    assert empty["message"] == "в файле оплат есть заголовок, но нет строк"


@pytest.mark.parametrize("lang", FOREIGN)
def test_messages_built_per_row_in_a_larger_ledger(tmp_path, lang):
    """Rows with different problems in one column each get their own sentence."""
    with using(lang):
        ledger = ledger_of(
            tmp_path,
            invoices="""
            invoice_id,customer_id,invoice_date,due_date,amount,applies_to
            I1,A,2026-01-01,,100.00,
            I2,B,2026-01-01,,100.00,
            C1,A,2026-01-05,,-10.00,I9
            C2,A,2026-01-05,,-10.00,I2
            C3,A,2026-01-05,,-10.00,C1
            I1,A,2026-01-02,,5.00,
            """,
            payments="""
            P1,A,2026-02-01,10.00,I9
            P2,A,2026-02-01,-5.00,
            """,
            customers="customer_id,name,credit_limit\nA,Alpha,-5\nA,Alpha again,\n",
        )
    issues = ledger.issues
    targets = issues[issues["code"] == "unknown_credit_target"]["message"]
    assert targets.nunique() == 3  # no invoice, another customer's, another credit note
    for text in [*issues["message"], *issues["hint"]]:
        assert english_left(text, lang, data=[*data_words(ledger), "Alpha"]) == [], text


@pytest.mark.parametrize("lang", FOREIGN)
def test_what_each_code_means(lang):
    with using(lang):
        for code in IssueCode:
            assert code.summary != code.meaning
            assert english_left(code.summary, lang, data=["terms_days", "invoice_id"]) == []
    assert IssueCode.BAD_DATE.summary == "a date cell cannot be read"  # English: the meaning
    with using("es"):
        assert (
            IssueCode.DUPLICATE_INVOICE.summary == "un invoice_id ya visto; se conserva el primero"
        )
        assert shorten("x" * 100, 10) == "xxxxxxxxxx… (100 caracteres)"
    with using("ru"):
        assert shorten("x" * 1234, 10) == "xxxxxxxxxx… (1\xa0234 символа)"


# -- policy, ladder and playbook files -------------------------------------------------------

BAD_POLICY = """\
currency = "usd"
default_terms_days = "30"
cost_of_capital = 12

[aging]
basis = "due"
edgez = 3

[credit]
hold_days_overdue = 30
score_floor = 150
broken_promises = 2.5

[company]
name = 5
"""


def policy_lines(tmp_path: Path, lang: str, text: str = BAD_POLICY) -> list[str]:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with using(lang), pytest.raises(PolicyError) as exc:
        load_policy(path)
    lines = str(exc.value).splitlines()
    assert all(line.startswith(f"{path}:") for line in lines)
    return [line.removeprefix(f"{path}:") for line in lines]


#: the keys and values of BAD_POLICY: the file's own words
POLICY_WORDS = ["currency", "usd", "default_terms_days", "cost_of_capital", "edgez", "edges"]
POLICY_WORDS += ["hold_days_overdue", "credit_hold", "score_floor", "broken_promises", "name"]


@pytest.mark.parametrize("lang", FOREIGN)
def test_a_bad_policy_file_in_the_language(tmp_path, lang):
    lines = policy_lines(tmp_path, lang)
    english = policy_lines(tmp_path, "en")
    assert [line.split(": ")[:2] for line in lines] == [line.split(": ")[:2] for line in english]
    assert len(lines) == 8
    for line in lines:
        assert english_left(line, lang, data=POLICY_WORDS) == [], line
    es = {
        "unknown": "7: [aging] edgez: clave desconocida; ¿quería decir edges?",
        "type": (
            '2: default_terms_days: "30" es texto, no un número; escriba un número entero de 0 a '
            "3650, sin comillas"
        ),
        "range": "11: [credit] score_floor: 150 está fuera de rango; escriba un número de 0 a 100",
        "pattern": '1: currency: "usd" no es un código ISO de tres letras en mayúsculas, como USD',
    }
    ru = {
        "unknown": "7: [aging] edgez: неизвестный ключ; может быть, edges?",
        "type": (
            '2: default_terms_days: "30" — текст, а не число; укажите целое число от 0 до 3650, '
            "без кавычек"
        ),
        "range": (
            "11: [credit] score_floor: 150 вне допустимого диапазона; укажите число от 0 до 100"
        ),
        "pattern": '1: currency: "usd" — не трёхбуквенный код ISO заглавными буквами, например USD',
    }
    for expected in (es if lang == "es" else ru).values():
        assert expected in lines


@pytest.mark.parametrize("lang", FOREIGN)
def test_toml_syntax_and_unreadable_files(tmp_path, lang):
    found = []
    for text in ("a = \n", "[x]\na = 1\n[x]\n", "[x\n", '[discounts]\nterms = "2/10 net 30\n'):
        with using(lang), pytest.raises(PolicyError) as exc:
            rules_file(text, "p.toml")
        found.append(str(exc.value))
    with using(lang), pytest.raises(PolicyError) as exc:
        load_policy(tmp_path / "missing.toml")
    found.append(str(exc.value))
    (tmp_path / "latin.toml").write_bytes("name = 'Caf\xe9'\n".encode("latin-1"))
    with using(lang), pytest.raises(PolicyError) as exc:
        load_policy(tmp_path / "latin.toml")
    found.append(str(exc.value))
    for text in found:
        words = ["terms", "discounts", "missing", "latin", str(tmp_path)]
        assert english_left(text, lang, data=words) == [], text
    assert found[0].startswith("p.toml:1: ")
    if lang == "es":
        assert found[0] == (
            "p.toml:1: TOML no válido en la línea 1, columna 5: el valor no se puede leer (la "
            'línea dice "a ="); escriba el texto entre "comillas dobles", true o false, un número '
            "o una [lista]"
        )
        assert found[4].endswith(
            "no existe el archivo de política. Copie arbook/defaults/policy.toml y modifíquelo."
        )
    else:
        assert "таблица уже объявлена" in found[1]
        assert found[4].endswith(
            "файл политики не найден. Скопируйте arbook/defaults/policy.toml и отредактируйте "
            "копию."
        )


LADDER = (Path(arbook.__file__).parent / "defaults" / "ladder.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", FOREIGN)
def test_ladder_and_playbook_errors(tmp_path, lang):
    broken = [
        LADDER.replace("show {amount} overdue", "show {amout} overdue"),
        LADDER.replace("overdue for {name};", "overdue for {name:>9};"),
        LADDER.replace('template = "notice"', 'template = "notic"', 1),
        LADDER.replace("credit_hold = true", "credit_hold = maybe", 1),
        "steps = {}\n",
        "",
    ]
    said = []
    for text in broken:
        with using(lang), pytest.raises(PolicyError) as exc:
            ladder_text(text, "ladder.toml")
        said.append(str(exc.value))
    (tmp_path / "playbook.toml").write_text("[[excuses]]\ncode = 1\n", encoding="utf-8")
    with using(lang), pytest.raises(PolicyError) as exc:
        load_playbook(tmp_path / "playbook.toml")
    said.append(str(exc.value))
    words = ["steps", "amout", "amount", "name", "notic", "reminder", "excuses", "code"]
    words += ["template", "script", "templates", "credit_hold", "maybe", "first_call"]
    words += ["statement", "final_notice", "legal", "notice", "follow_up_days", "contact", "days"]
    words += [str(tmp_path), "en", "es", "ru"]
    for text in said:
        assert english_left(text, lang, data=words) == [], text
    if lang == "es":
        assert "marcador desconocido {amout}; ¿quería decir {amount}?" in said[0]
        assert 'etapa 2 "' in said[0] and "script.en:" in said[0]
        assert "falta; escriba al menos una tabla [[steps]]" in said[5]
    else:
        assert "неизвестная подстановка {amout}; может быть, {amount}?" in said[0]
        assert "в {name:>9} задан формат (:>9); пишите просто {name}" in said[1]


class Limits(Frozen):
    """A model of pydantic's own rules, to see each kind of its errors said in arbook's words."""

    count: int
    share: float
    small: Annotated[int, Field(le=5)]
    big: Annotated[int, Field(gt=10)]
    pair: Annotated[tuple[int, ...], Field(max_length=2)]
    code: Annotated[str, Field(pattern="^[A-Z]+$")]


def errors_of(data: dict) -> list[tuple[str, str]]:
    """Each error of Limits read from ``data`` as (pydantic's type, arbook's message)."""
    try:
        Limits.model_validate(data)
    except ValidationError as exc:
        return [(e["type"], explain(e, Limits, "limits.toml")) for e in exc.errors()]
    raise AssertionError("no error")


BAD_LIMITS = {
    "count": "x",
    "share": "y",
    "small": 9,
    "big": 3,
    "pair": [1, 2, 3],
    "code": "abc",
    "extra": 1,
}


@pytest.mark.parametrize("lang", FOREIGN)
def test_pydantic_errors_by_their_type(lang):
    with using(lang):
        said = dict(errors_of(BAD_LIMITS))
        missing = dict(errors_of({}))
    assert set(said) == {
        "int_parsing",
        "float_parsing",
        "less_than_equal",
        "greater_than",
        "too_long",
        "string_pattern_mismatch",
        "extra_forbidden",
    }
    for text in [*said.values(), *missing.values()]:
        assert "should" not in text and "Input" not in text  # never pydantic's English
        assert english_left(text, lang, data=["limits", "abc", *Limits.model_fields]) == [], text
    assert "5" in said["less_than_equal"] and "10" in said["greater_than"]
    assert "2" in said["too_long"]
    if lang == "es":
        assert said["less_than_equal"] == "9 está fuera de rango; escriba 5 o menos"
        assert missing["missing"] == "falta; añádala (limits.toml muestra todas las claves)"
    else:
        assert said["greater_than"] == "3 вне допустимого диапазона; укажите число больше 10"


def test_pydantic_errors_in_english_are_arbook_s_too():
    said = dict(errors_of(BAD_LIMITS))
    assert said["int_parsing"] == '"x" is not a whole number; write one, without quotes'
    assert said["less_than_equal"] == "9 is out of range; write 5 or less"
    assert said["too_long"] == "has too many items; give at most 2"


# -- the parameter checks ---------------------------------------------------------------------


def parameter_errors(lang: str) -> list[str]:
    checks = [
        lambda: check_edges([30, "x"]),
        lambda: check_edges([60, 30]),
        lambda: check_basis("paid"),
        lambda: check_fraction("ten"),
        lambda: check_fraction(5, "uptake"),
        lambda: parse_terms("2 in 10"),
        lambda: parse_terms("2/30 net 10"),
        lambda: day_number("31/10/2026"),
        lambda: parse_month("Oct 2026"),
        lambda: month_end("2026-10-30"),
    ]
    found = []
    for check in checks:
        with using(lang), pytest.raises(ParameterError) as exc:
            check()
        found.append(str(exc.value))
    for value in ("12.345", "-5", "abc"):
        with using(lang), pytest.raises(ValueError, match=value.lstrip("-")) as exc:
            parse_money(value, least=0)
        found.append(str(exc.value))
    with using(lang):
        found.append(unknown_customer("c1", ["C1", "C2"]))
        found.append(unknown_customer("Z", []))
    return found


@pytest.mark.parametrize("lang", FOREIGN)
def test_parameter_errors(lang):
    found = parameter_errors(lang)
    words = ["paid", "ten", "Oct", "abc", "customer_id", "due", "invoice", "all", "net"]
    for text in found:
        assert english_left(text, lang, data=words) == [], text
    assert found != parameter_errors("en")
    if lang == "es":
        assert found[2] == "base de antigüedad 'paid' no válida; use 'due' o 'invoice'"
        assert (
            found[4] == "tasa de aceptación 5 debe ser una fracción de 0 a 1; 10 % es 0.10, no 10"
        )
        assert found[13] == "el cliente 'c1' no está en los datos; ¿quería decir C1?"
    else:
        assert found[9] == (
            "дата расчёта 2026-10-30 — не конец месяца; обзор строится на конец месяца, например "
            "2026-10-31"
        )


# -- the command ------------------------------------------------------------------------------


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_arbook_check_lang_es_prints_spanish_messages_with_their_hints(capsys):
    folder = FIXTURES / "bad_date"
    code, out, _ = run(capsys, "check", folder, "--lang", "es")
    lines = out.splitlines()
    assert code == 1 and len(lines) == 3
    assert lines[0] == (
        f"{folder}/invoices.csv:2: bad_date: invoice_date '2026-02-30' no es una fecha. Escriba "
        "las fechas como AAAA-MM-DD (o lea el archivo con --date-order dmy o --date-order mdy)."
    )
    assert lines[2].endswith(
        "contradice el orden día/mes de las demás fechas de la columna. Las demás fechas de esta "
        "columna están escritas al revés: corrija esta o escriba las fechas como AAAA-MM-DD."
    )
    assert english_left(out, "es", data=[str(folder), "invoices.csv", "Jan"]) == []


@pytest.mark.parametrize("lang", FOREIGN)
@pytest.mark.parametrize("name", ["unknown_invoice", "bad_amount", "currency_mix"])
def test_arbook_check_lang_prints_every_message_with_its_hint(capsys, lang, name):
    folder = FIXTURES / name
    english = read(folder, "en").issues
    code, out, _ = run(capsys, "check", folder, "--lang", lang)
    lines = out.splitlines()
    assert code == 1 and len(lines) == len(english)
    spoken = read(folder, lang).issues
    for line, row in zip(lines, spoken.itertuples(index=False)):
        assert line.endswith(f": {row.code}: {row.message}. {row.hint}")
    words = [str(folder), *data_words(read(folder, lang))]
    assert english_left(out, lang, data=words) == []
