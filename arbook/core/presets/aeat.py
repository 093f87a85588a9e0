"""Spain (AEAT): the «libro registro de facturas expedidas», the VAT book of invoices issued, as
CSV (``;``, decimal comma, dd/mm/yyyy, Windows-1252 or UTF-8: the grid decodes it).

One row per invoice (or per VAT rate of an invoice: rows with the same id are one invoice).
**Invoice id = Serie + "-" + Número**: numbering restarts in each series. **Amount owed = Base
Imponible + Cuota IVA (+ Cuota Recargo Equivalencia) − Importe Retención**: Total Factura is
before the IRPF withholding, which the customer pays to the tax office, not to the seller. It is
computed here exactly, in cents, and written as a plain amount; the cells as written are kept
(``base_imponible``, ``cuota_iva``, ``importe_retencion``, ``total_factura``). A Total Factura
that is not Base + Cuota (+ Recargo) is reported, saying whether it is the net of withholding
(as some software writes it). **Rectificativas** are negative and name the invoice they correct
in «Rectificativa de», written as the full number ("A-2026-003" for Serie "A-2026", Número "3"):
the numbers are compared without their zero padding; one naming an invoice not in the book is
kept as written (the ledger reports it and counts it standalone). Fecha Expedición is the
document date (Fecha Operación can be earlier). The book holds no due dates (the policy's
default terms apply) and no payments: every invoice billed counts as owed, so the ledger is
marked open-items-only with that said. The customer is the NIF Destinatario (its name the
Nombre Destinatario).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from arbook.core import money, parse
from arbook.core.errors import Issue, IssueCode
from arbook.core.grid import Grid
from arbook.core.i18n import N_, _
from arbook.core.parse import Int64Array, Mask
from arbook.core.presets import Imported, Preset, located, no_header, register
from arbook.core.presets.cells import Dates, cents_cells, repeated
from arbook.core.schemas import normalise_name
from arbook.core.validate import Reading

#: each field, by the names its column has in the book's layouts (accents dropped)
FIELDS = {
    "date": ("fecha_expedicion", "fecha_de_expedicion", "fecha_factura"),
    "operation_date": ("fecha_operacion", "fecha_de_operacion"),
    "serie": ("serie", "identificacion_de_la_factura_serie", "serie_factura"),
    "numero": ("numero", "numero_factura", "identificacion_de_la_factura_numero"),
    "nif": ("nif_destinatario", "identificacion", "nif_cliente", "nif"),
    "name": ("nombre_destinatario", "nombre_cliente", "nombre"),
    "base": ("base_imponible",),
    "cuota": ("cuota_iva", "cuota_iva_repercutida", "cuota_repercutida", "cuota"),
    "recargo": ("cuota_recargo_equivalencia", "cuota_recargo_eq.", "cuota_recargo"),
    "total": ("total_factura",),
    "retencion": ("importe_retencion", "importe_retenido_del_irpf", "importe_retenido"),
    "rectifies": ("rectificativa_de", "factura_rectificada"),
}
NEEDS = ("date", "numero", "nif", "base", "cuota")
REQUIRED = ("fecha_expedicion", "numero", "nif_destinatario", "base_imponible", "cuota_iva")
#: the trailing number of an invoice id, its zero padding and separators apart
NUMBERED = re.compile(r"^(?P<serie>.*?)[\s\-/_.]*0*(?P<n>\d+)$")


def plain(name: str) -> str:
    """A normalised column name without accents ("número" -> "numero")."""
    folded = unicodedata.normalize("NFKD", normalise_name(name))
    return "".join(c for c in folded if not unicodedata.combining(c))


def _columns(cells: list[str]) -> dict[str, int]:
    """Each field's column position in a header row (the first column that names it)."""
    names = [plain(c) for c in cells]
    found: dict[str, int] = {}
    for field, choices in FIELDS.items():
        for choice in choices:
            if choice in names and names.index(choice) not in found.values():
                found[field] = names.index(choice)
                break
    return found


def header_row(grid: Grid) -> int | None:
    """The line of the first row naming the book's columns (an issue date, Número, the
    customer's NIF, Base Imponible and Cuota IVA, and an IVA word)."""
    for line, cells in grid.head:
        if all(f in _columns(cells) for f in NEEDS):
            return line
    return None


def recognise(grid: Grid) -> bool:
    return header_row(grid) is not None


def key(invoice_id: str) -> str:
    """An invoice id compared as the book numbers it: series and number, the number's zero
    padding dropped ("A-2026-003" and "A-2026-3" are one invoice)."""
    text = "".join(invoice_id.split()).casefold()
    found = NUMBERED.match(text)
    return f"{found.group('serie')}#{int(found.group('n'))}" if found else text


def _text(value: int) -> str:
    return str(money.cents_text([value])[0])


def read(grid: Grid) -> Imported:
    header = header_row(grid)
    if header is None:
        return Imported({}, [no_header(AEAT, grid)], date_order="dmy", decimal=",")
    frame, issues = grid.table(header)
    frame = frame.rename(columns={c: plain(c) for c in frame.columns if c not in SOURCE})
    found = {f: frame.columns[i] for f, i in _columns(list(frame.columns)).items()}
    cells = {
        field: frame[found[field]].fillna("").astype("str").str.strip()
        if field in found
        else pd.Series("", index=frame.index, dtype="str")
        for field in FIELDS
    }
    amounts = {f: parse.AmountCells(cells[f]) for f in MONEY}
    settled = next(  # the first column that settles it (another mark is then a bad amount)
        (f for f in ("base", "cuota", "total") if amounts[f].decimal() is not None), None
    )
    decimal = (amounts[settled].decimal() if settled else None) or ","
    # each part read once (the column that settled the mark was read so doing it)
    parts = {f: amounts[f].read(decimal) for f in MONEY if f != "total"}
    gross = parts["base"][0] + parts["cuota"][0] + parts["recargo"][0]
    written = cents_cells(gross, decimal, frame.index)  # Base + Cuota as a Total is written
    if settled == "total":
        parts["total"] = amounts["total"].read(decimal)
    else:
        parts["total"] = _read_as(cells["total"], gross, written, decimal)
    raw = _rows(frame, cells, parts, written, decimal)
    for field in _EXTRA:
        if field in found:
            raw[_EXTRA[field]] = cells[field]
    raw[SOURCE] = frame[SOURCE]
    raw["_row"] = np.arange(len(raw))
    raw.attrs["label"] = frame.attrs.get("label", "")
    issues += _check_totals(frame, parts, decimal)
    invoices = _one_per_invoice(raw)
    owed, bad, rows = (invoices.pop(c).to_numpy() for c in ("owed_cents", "bad", "_row"))
    tables = {"invoices": invoices}
    nif, names = cells["nif"], cells["name"]
    named = (names != "") & (nif != "") & ~nif.duplicated()
    if named.any():
        tables["customers"] = located(
            frame, {"customer_id": nif[named], "name": names[named]}, named.to_numpy()
        )
    return Imported(
        tables,
        issues,
        date_order="dmy",
        decimal=".",
        written_decimal=decimal,
        open_items_only=True,
        lacks=_("any payment (it lists the invoices issued, so everything billed counts as owed)"),
        header_line=header,
        readings={"invoices": _readings(invoices, cells["date"], owed, bad, rows)},
    )


def _readings(
    invoices: pd.DataFrame, dates: pd.Series, owed: Int64Array, bad: Mask, rows: Int64Array
) -> dict[str, Reading]:
    """The invoices' dates and amounts, read (:data:`~arbook.core.validate.Reading`): the
    Fechas de Expedición of the book's ``rows`` they come from, read day first; an amount
    computed is its ``owed`` cents (written so), one ``bad`` is the cell as written, read."""
    dated = Dates(dates).read("dmy")
    if len(rows) < len(dates):  # some rows were one invoice: the first row's date
        values = dated.values.iloc[rows].reset_index(drop=True)
        dated = parse.ParsedDates(values, *(m[rows] for m in dated[1:]))
    cents, blank = owed.copy(), np.zeros(len(owed), dtype=bool)
    unread = np.zeros(len(owed), dtype=bool)
    if bad.any():
        cents[bad], blank[bad], unread[bad] = parse.parse_cents(invoices["amount"][bad], ".")
    # the book holds no due dates: every cell blank
    never = pd.Series(np.full(len(owed), np.datetime64("NaT"), dtype="datetime64[s]"))
    none = np.zeros(len(owed), dtype=bool)
    undue = parse.ParsedDates(never, np.ones(len(owed), dtype=bool), none, none, none)
    return {"invoice_date": dated, "due_date": undue, "amount": (cents, blank, unread)}


def _read_as(amounts: pd.Series, cents: Int64Array, written: pd.Series, decimal: str) -> Part:
    """:func:`~arbook.core.parse.parse_cents` of ``amounts``, told at once where a cell is
    ``written`` as the ``cents`` are (plain text, ``decimal``: a Total Factura written as its
    Base + Cuota): only the other cells are read."""
    same = pc.equal(pa.array(written, type=pa.large_string()), pa.array(amounts, pa.large_string()))
    alike = np.asarray(pc.fill_null(same, False), dtype=bool) & (np.abs(cents) < parse.MAX_CENTS)
    out = (
        np.where(alike, cents, 0),
        np.zeros(len(cents), dtype=bool),
        np.zeros(len(cents), dtype=bool),
    )
    if not alike.all():
        rest = ~alike
        out[0][rest], out[1][rest], out[2][rest] = parse.parse_cents(amounts[rest], decimal)
    return out


#: the money fields, each read as ``(cents, blank, bad)``
MONEY = ("base", "cuota", "recargo", "retencion", "total")
Part = tuple[Int64Array, Mask, Mask]
Parts = dict[str, Part]


def _rows(
    frame: pd.DataFrame, cells: dict[str, pd.Series], parts: Parts, gross: pd.Series, mark: str
) -> pd.DataFrame:
    """One raw invoice per row: id Serie-Número, the amount owed (Base + Cuota + Recargo −
    Retención, or the first unreadable part's cell as written, for the ledger to report), the
    invoice a rectificativa names (matched without zero padding; as written when unknown).
    ``gross``: Base + Cuota + Recargo as plain text with the decimal ``mark``: the amount owed
    when nothing is withheld."""
    withheld = parts["retencion"][0]
    owed = parts["base"][0] + parts["cuota"][0] + parts["recargo"][0] - withheld
    bad = np.zeros(len(frame), dtype=bool)
    if withheld.any():
        amount = cents_cells(owed, index=frame.index)
    else:  # the same text, with a decimal point
        amount = gross if mark == "." else gross.str.replace(mark, ".", regex=False)
    for field in ("retencion", "recargo", "cuota", "base"):  # the first bad one last: it wins
        wrong = parts[field][2]
        if wrong.any():
            amount = amount.where(~wrong, cells[field])
        bad |= wrong
    serie, numero = (pa.array(cells[f], pa.large_string()) for f in ("serie", "numero"))
    joined = pc.binary_join_element_wise(serie, numero, pa.scalar("-", pa.large_string()))
    numbered = pc.if_else(pc.equal(serie, ""), numero, joined)  # Serie-Número, or Número
    ids = pd.Series(numbered.to_pandas(types_mapper=pd.ArrowDtype), index=frame.index)
    ids = ids.astype("str")
    applies = _targets(ids, cells["rectifies"])
    return pd.DataFrame(
        {
            "invoice_id": ids,
            "customer_id": cells["nif"],
            "invoice_date": cells["date"],
            "due_date": "",
            "amount": amount,
            "applies_to": applies,
            "currency": "EUR",
            "owed_cents": np.where(bad, 0, owed),
            "bad": bad,
        },
        index=frame.index,
    )


def _targets(ids: pd.Series, rectifies: pd.Series) -> npt.NDArray[np.object_] | str:
    """The invoice each «Rectificativa de» names, as its id in the book (matched by
    :func:`key`); as written when no invoice has it; "" on the other rows (just "" when none
    is a rectificativa). Only the ids whose trailing number a rectificativa names are keyed (a
    book has millions of invoices and a few rectificativas)."""
    named = np.flatnonzero((rectifies != "").to_numpy())
    if not len(named):
        return ""
    out = np.full(len(rectifies), "", dtype=object)
    targets = rectifies.to_numpy()[named]
    wanted = {key(t) for t in targets}
    numbers = {w.rsplit("#", 1)[-1] for w in wanted}
    trailing = pd.Series(ids.to_numpy()).str.extract(r"(\d+)\s*$", expand=False)
    near = trailing.fillna("").str.lstrip("0").replace("", "0").isin(numbers).to_numpy()
    known = {key(i): i for i in ids.to_numpy()[near] if i}
    out[named] = [known.get(key(t), t) for t in targets]
    return out


SOURCE = ["source_file", "source_line"]
_EXTRA = {
    "operation_date": "fecha_operacion",
    "base": "base_imponible",
    "cuota": "cuota_iva",
    "recargo": "cuota_recargo_equivalencia",
    "total": "total_factura",
    "retencion": "importe_retencion",
    "rectifies": "rectificativa_de",
}


def _one_per_invoice(raw: pd.DataFrame) -> pd.DataFrame:
    """Rows of one invoice (one per VAT rate) as one invoice: its amounts added up, the first
    row's other cells. Rows with an unreadable amount stay as they are, for the ledger to
    report. Each keeps its ``owed_cents`` (the sum, on one made of several), ``bad`` and
    ``_row`` (the book's row it comes from, the first of several)."""
    ids = raw["invoice_id"]
    split = (ids != "") & repeated(ids) & ~raw["bad"]
    whole = raw
    if split.any():
        whole = raw[~split.to_numpy()]
        parts = raw[split.to_numpy()]
        sums = parts.groupby("invoice_id", sort=False)["owed_cents"].sum()
        firsts = parts.drop_duplicates("invoice_id").copy()
        firsts["owed_cents"] = firsts["invoice_id"].map(sums).to_numpy()
        firsts["amount"] = money.cents_text(firsts["owed_cents"].to_numpy())
        whole = pd.concat([whole, firsts]).sort_values("source_line", kind="stable")
    out = whole.reset_index(drop=True)
    out.attrs["label"] = raw.attrs.get("label", "")
    return out


def _check_totals(frame: pd.DataFrame, parts: Parts, decimal: str) -> list[Issue]:
    """A warning for each row whose Total Factura is not Base + Cuota (+ Recargo), saying
    whether it is the net of the withholding; the amount owed is computed from the parts."""
    total, blank, bad = parts["total"]
    gross = parts["base"][0] + parts["cuota"][0] + parts["recargo"][0]
    read = ~blank & ~bad & ~parts["base"][2] & ~parts["cuota"][2] & ~parts["recargo"][2]
    differs = read & (total != gross)
    net = gross - parts["retencion"][0]
    label = frame.attrs.get("label", "")
    lines = frame["source_line"].to_numpy()
    out = []
    for i in np.flatnonzero(differs):
        shown = _text(int(total[i])).replace(".", decimal)
        said = (
            _(
                "Total Factura {total} is the net of the IRPF withholding (Base + Cuota − "
                "Retención); the amount owed is computed from the parts: Base + Cuota − "
                "Retención = {net}"
            )
            if total[i] == net[i] and parts["retencion"][0][i]
            else _(
                "Total Factura {total} is neither Base + Cuota ({gross}) nor its net of "
                "withholding; the amount owed is computed from the parts: Base + Cuota − "
                "Retención = {net}"
            )
        )
        out.append(
            Issue(
                IssueCode.TOTAL_MISMATCH,
                label,
                int(lines[i]),
                "total_factura",
                shown,
                said.format(total=shown, gross=_text(int(gross[i])), net=_text(int(net[i]))),
                _(
                    "Check the row in the book: Total Factura is Base Imponible + Cuota IVA (+ "
                    "recargo), before the withholding."
                ),
            )
        )
    return out


AEAT = register(
    Preset(
        name="aeat-expedidas",
        title=N_("AEAT libro registro de facturas expedidas"),
        description=N_(
            "Spanish AEAT libro registro de facturas expedidas (CSV ;, decimal comma): "
            "Serie-Número ids, Base + Cuota − Retención owed, rectificativas as credit notes"
        ),
        read=read,
        required=REQUIRED,
        date_order="dmy",
        open_items_only=True,
        recognise=recognise,
    )
)
