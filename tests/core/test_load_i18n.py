"""Reading a client's files in Spanish and Russian: every problem a bad file gives (an encoding,
a quote, a line, a column, a date, an amount, a repeated id, an empty file, a workbook, a folder
without its files) is said in the language, still located (file, line, column) and still naming
the flag that fixes it; the file's own names and values, the issue codes and the flags stay as
they are; the ledger's one-line summary and how it was read are translated too, with the
language's numbers and dates."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES, write_workbook
from i18n_check import english_left

from arbook.cli.commands import main
from arbook.core import csvfile, load, parse
from arbook.core.errors import DataError, IssueCode, format_issue
from arbook.core.i18n import using
from arbook.core.ledger import Ledger, ledger_from_frames, read_ledger
from arbook.core.schemas import KNOWN

LANGS = ("es", "ru")
#: names a program reads, the same in every language: issue codes, columns, tables
NAMES = [*(code.value for code in IssueCode), *(c for cols in KNOWN.values() for c in cols)]


def own_words(folder: Path) -> list[str]:
    """The folder's own words: its path, its files' names and their text (data, not English)."""
    words = [str(folder), *NAMES]
    for file in folder.iterdir():
        words.append(file.name)
        if file.suffix.lower() in (".csv", ".txt"):
            words.append(file.read_bytes().decode("utf-8", errors="replace"))
    return words


def said(ledger: Ledger) -> list[str]:
    """Each issue as the user reads it (``file:line: code: message. hint``)."""
    return [format_issue(row) for row in ledger.issues.itertuples()]


#: (fixture, code, line, what the message names: a column, a value, a file; the flag to give)
CASES = [
    ("guessed_encoding", IssueCode.GUESSED_ENCODING, None, "'Café'", "--encoding cp1252"),
    ("unclosed_quote", IssueCode.UNCLOSED_QUOTE, 3, '(")', None),
    ("bad_line", IssueCode.BAD_LINE, 3, "NUL", None),
    ("unknown_file", IssueCode.UNKNOWN_FILE, None, "clients.csv", None),
    ("close_name", IssueCode.CLOSE_NAME, None, "payments.csv", None),
    ("unnamed_column", IssueCode.UNNAMED_COLUMN, None, " 1 ", None),
    ("duplicate_column", IssueCode.DUPLICATE_COLUMN, None, "'Amount'", None),
    ("file_type", IssueCode.FILE_TYPE, None, "(.csv)", None),
    ("no_invoices", IssueCode.NO_INVOICES, None, None, None),
    ("ignored_sheet", IssueCode.IGNORED_SHEET, None, "'Summary'", None),
    ("unreadable_file", IssueCode.UNREADABLE_FILE, None, "BadZipFile", None),
    ("missing_column", IssueCode.MISSING_COLUMN, 1, "'amount'", None),
    ("bad_date", IssueCode.BAD_DATE, 2, "'2026-02-30'", "--date-order dmy"),
    ("bad_amount", IssueCode.BAD_AMOUNT, 4, "'1.234,50'", "--decimal ,"),
    ("duplicate_invoice", IssueCode.DUPLICATE_INVOICE, 4, "'I1'", None),
    ("empty_file", IssueCode.EMPTY_FILE, None, "payments", None),
]
#: what a library outside arbook says inside a message (the reason a workbook is damaged)
FOREIGN = ["File is not a zip file"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("case", "code", "line", "named", "flag"), CASES, ids=[c[0] for c in CASES]
)
def test_a_bad_file_is_said_in_the_language_and_still_located(case, code, line, named, flag, lang):
    folder = FIXTURES / case
    with using(lang):
        ledger = read_ledger(folder)
        lines = said(ledger)
    found = [
        text
        for text, row in zip(lines, ledger.issues.itertuples())
        if row.code == code and (line is None or row.source_line == line)
    ]
    assert found, lines
    text = found[0]
    where = next(r.source_file for r in ledger.issues.itertuples() if r.code == code)
    assert text.startswith(f"{where}:{line}: {code}: " if line else f"{where}: {code}: ")
    assert named is None or named in text
    assert flag is None or flag in text
    assert english_left("\n".join(lines), lang, data=own_words(folder) + FOREIGN) == []


@pytest.mark.parametrize(
    ("lang", "case", "message", "hint"),
    [
        (
            "es",
            "unclosed_quote",
            "la línea abre unas comillas que nunca se cierran; las líneas siguientes se leen "
            "como filas propias",
            'Cierre las comillas (") o elimínelas y vuelva a leer el archivo.',
        ),
        (
            "ru",
            "unclosed_quote",
            "в строке открывается кавычка, которая нигде не закрывается; следующие строки "
            "читаются как отдельные строки таблицы",
            'Закройте кавычку (") или удалите её, затем загрузите файл снова.',
        ),
        (
            "es",
            "guessed_encoding",
            "no está en UTF-8; se ha leído como Windows-1252 (Europa occidental), la codificación "
            "más probable (una palabra leída así: 'Café')",
            "Si los nombres se ven mal, indique la codificación del archivo con --encoding "
            "(p. ej. --encoding cp1252) o guárdelo como 'CSV UTF-8'.",
        ),
        (
            "ru",
            "guessed_encoding",
            "файл не в UTF-8; прочитан в кодировке Windows-1252 (западноевропейская) как наиболее "
            "вероятной (слово, прочитанное так: 'Café')",
            "Если названия искажены, укажите кодировку файла через --encoding (например, "
            "--encoding cp1252) или сохраните его как 'CSV UTF-8'.",
        ),
        (
            "es",
            "ignored_sheet",
            "la hoja 'Summary' tiene celdas pero no las columnas amount, customer_id, "
            "invoice_date, invoice_id; no se lee",
            "Pase sus filas a la hoja que se lee, o elimine la hoja si es un resumen.",
        ),
        (
            "ru",
            "duplicate_column",
            "столбцы 'Amount' и 'amount' оба читаются как 'amount'; используется первый",
            "Удалите или переименуйте один из них.",
        ),
    ],
)
def test_the_words_of_some_messages(lang, case, message, hint):
    with using(lang):
        ledger = read_ledger(FIXTURES / case)
    assert (message, hint) in set(zip(ledger.issues["message"], ledger.issues["hint"]))


@pytest.mark.parametrize("lang", LANGS)
def test_a_byte_the_given_encoding_cannot_read_is_located_by_line_and_column(tmp_path, lang):
    path = tmp_path / "invoices.csv"
    path.write_bytes("invoice_id,customer_id\nI1,Café\n".encode("cp1252"))
    with using(lang):
        frame, (issue,) = load.read_table(path, "invoices.csv", encoding="utf-8")
    assert frame is None and (issue.code, issue.source_line, issue.value) == (
        IssueCode.UNREADABLE_FILE,
        2,
        "0xe9",
    )
    assert "0xe9" in issue.message and " 7 " in issue.message  # the byte and its column
    assert "--encoding" in issue.hint
    assert english_left(f"{issue.message}. {issue.hint}", lang) == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_quote_that_would_swallow_rows_names_them(lang):
    text = (
        "invoice_id,customer_id,invoice_date,amount\n"
        '"I2,C1,2026-01-06,200.00\nI3,C1,2026-01-07,300.00\nI4",C1,2026-01-08,400.00\n'
    )
    with using(lang):
        (issue,) = csvfile.read_exact(text, ",", "invoices.csv").issues
    assert (issue.code, issue.source_line) == (IssueCode.UNCLOSED_QUOTE, 2)
    assert "3–4" in issue.message
    assert english_left(f"{issue.message}. {issue.hint}", lang, data=[text]) == []


WORKBOOKS = [
    b"PK\x03\x04 truncated",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le"),
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("data", WORKBOOKS, ids=["damaged", "password", "xls"])
def test_a_workbook_that_cannot_be_read_says_why(tmp_path, data, lang):
    path = tmp_path / "invoices.xlsx"
    path.write_bytes(data)
    with using(lang):
        frame, (issue,) = load.read_table(path, "invoices.xlsx")
    assert frame is None and issue.code == IssueCode.UNREADABLE_FILE
    reason = issue.message.partition("(")[2]  # the reader's own words, in English
    text = f"{issue.message}. {issue.hint}"
    assert "Excel" in text
    assert english_left(text, lang, data=[reason]) == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_later_sheet_of_an_export_is_named(tmp_path, lang):
    from arbook.core import sheets

    path = write_workbook(
        tmp_path / "export.xlsx", Data=[["Invoice", "Amount"], ["I1", 5]], Notes=[["x"]]
    )
    with using(lang):
        title, _rows, (issue,) = sheets.first_sheet(path, "export.xlsx")
    assert (title, issue.code, issue.value) == ("Data", IssueCode.IGNORED_SHEET, "Notes")
    assert "'Notes'" in issue.message and "'Data'" in issue.message
    assert english_left(f"{issue.message}. {issue.hint}", lang) == []


@pytest.mark.parametrize("lang", LANGS)
def test_files_that_are_not_tables(tmp_path, lang):
    (tmp_path / "invoices.csv").mkdir()
    nested = tmp_path / "payments.parquet"
    pq.write_table(pa.table({"payment_id": ["P1"], "tags": [[1, 2]]}), nested)
    odd = tmp_path / "rates.ods"
    odd.write_text("x")
    with using(lang):
        issues = [
            load.read_table(tmp_path / "invoices.csv")[1][0],
            load.read_table(nested)[1][0],
            load.read_table(odd)[1][0],
        ]
    assert [i.code for i in issues] == [IssueCode.UNREADABLE_FILE] * 3
    assert issues[1].column == "tags" and "'tags'" in issues[1].message
    assert ".ods" in issues[2].message
    text = "\n".join(f"{i.message}. {i.hint}" for i in issues)
    assert english_left(text, lang, data=["list<element: int64>", "payment_id", "tags"]) == []


@pytest.mark.parametrize(
    ("lang", "start"),
    [("es", "no hay archivo de facturas. Ponga invoices.csv"), ("ru", "нет файла счетов.")],
)
def test_a_folder_without_its_files(tmp_path, lang, start):
    (tmp_path / "payments.csv").write_text("payment_id,customer_id,payment_date,amount\n")
    missing = tmp_path / "nowhere"
    twice = tmp_path / "twice"
    twice.mkdir()
    for name in ("invoices.csv", "invoices.xlsx"):
        (twice / name).write_text("x")
    messages = []
    with using(lang):
        for folder in (tmp_path, missing, twice, tmp_path / "payments.csv"):
            with pytest.raises(DataError) as caught:
                read_ledger(folder)
            messages.append(str(caught.value))
    assert messages[0].startswith(f"{tmp_path}: {start}")
    assert all(str(folder) in m for folder, m in zip((tmp_path, missing, twice), messages))
    assert "invoices.csv, invoices.xlsx" in messages[2]
    words = [str(twice), str(missing), *NAMES, "invoices.csv", "invoices.xlsx", "--preset ibm"]
    assert english_left("\n".join(messages), lang, data=words) == []


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("es", "1.234 facturas, 0 filas de cobros, 1 cliente; 0 errores, 0 avisos"),
        ("ru", "1\u00a0234 счёта, 0 строк оплат, 1 клиент; 0 ошибок, 0 предупреждений"),
        ("en", "1,234 invoices, 0 payment rows, 1 customers; 0 errors, 0 warnings"),
    ],
)
def test_the_summary_counts_in_the_language(lang, summary):
    invoices = pd.DataFrame(
        {
            "invoice_id": [f"I{n}" for n in range(1234)],
            "customer_id": "A",
            "invoice_date": "2026-01-05",
            "amount": "10.00",
        }
    )
    ledger = ledger_from_frames(invoices)
    with using(lang):
        assert ledger.describe() == summary


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "es",
            [
                "leído como informe de antigüedad de saldos de clientes de QuickBooks Online",
                "plantilla qbo-aging, reconocida por su encabezado",
                "UTF-8, separado por comas",
                "fechas MM/DD/AAAA",
                "encabezado en la línea 5",
                "a fecha de 30 jun 2026",
            ],
        ),
        (
            "ru",
            [
                "прочитан как отчёт по срокам дебиторской задолженности QuickBooks Online",
                "шаблон qbo-aging, распознан по заголовку",
                "UTF-8, разделитель — запятая",
                "даты ММ/ДД/ГГГГ",
                "заголовок в строке 5",
                "на дату 30 июн. 2026\u202fг.",  # Babel's narrow no-break space
            ],
        ),
    ],
)
def test_how_an_export_was_read_and_what_it_lacks(lang, words):
    folder = FIXTURES / "open_items_only"
    with using(lang):
        ledger = read_ledger(folder)
        note = ledger.history_note
        lines = said(ledger)
    assert all(w in ledger.read_as for w in words), ledger.read_as
    data = own_words(folder) + ["A/R Aging Detail", "qbo-aging"]
    assert english_left("\n".join([ledger.read_as, note, *lines]), lang, data=data) == []
    assert note and "2026" in note


@pytest.mark.parametrize("lang", LANGS)
def test_parsers_refuse_an_unknown_order_or_mark_in_the_language(lang):
    column = pd.Series(["2026-01-05"])
    with using(lang), pytest.raises(ValueError, match="'ymd'") as order:
        parse.parse_dates(column, "ymd")
    with using(lang), pytest.raises(ValueError, match="','") as mark:
        parse.parse_cents(column, ";")
    text = f"{order.value}\n{mark.value}"
    assert "'ymd'" in text and "iso, mdy, dmy" in text
    assert english_left(text, lang) == []


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("case", "spanish"),
    [
        ("unclosed_quote", "invoices.csv:3: unclosed_quote: la línea abre unas comillas"),
        ("bad_date", "invoices.csv:2: bad_date: "),
    ],
)
def test_arbook_check_says_a_bad_file_in_spanish(capsys, case, spanish):
    folder = FIXTURES / case
    code, out, err = run(capsys, "check", str(folder), "--lang", "es")
    assert code == 1 and spanish in out
    assert "archivos propios de arbook (invoices.csv)" in err and "0 filas de cobros" in err
    assert english_left(out + err, "es", data=own_words(folder)) == []
