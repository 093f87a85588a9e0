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

from arbook.core import money, parse
from arbook.core.errors import Issue, IssueCode
from arbook.core.grid import Grid
from arbook.core.presets import Imported, Preset, located, no_header, register
from arbook.core.schemas import normalise_name

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
    decimal = next(  # the first column that settles it (another mark is then a bad amount)
        (m for f in ("base", "cuota", "total") if (m := parse.decimal_of(cells[f])) is not None),
        ",",
    )
    parts = {f: parse.parse_cents(cells[f].reset_index(drop=True), decimal) for f in MONEY}
    raw = _rows(frame, cells, parts)
    for field in _EXTRA:
        if field in found:
            raw[_EXTRA[field]] = cells[field].to_numpy()
    raw = pd.concat([raw, frame[SOURCE]], axis=1)
    raw.attrs["label"] = frame.attrs.get("label", "")
    issues += _check_totals(frame, parts, decimal)
    tables = {"invoices": _one_per_invoice(raw)}
    nif, names = cells["nif"], cells["name"]
    named = (names != "") & (nif != "") & ~nif.duplicated()
    if named.any():
        tables["customers"] = located(
            frame[named.to_numpy()], {"customer_id": nif[named], "name": names[named]}
        )
    return Imported(
        tables,
        issues,
        date_order="dmy",
        decimal=".",
        written_decimal=decimal,
        open_items_only=True,
        lacks="any payment (it lists the invoices issued, so everything billed counts as owed)",
        header_line=header,
    )


#: the money fields, each read as ``(cents, blank, bad)``
MONEY = ("base", "cuota", "recargo", "retencion", "total")
Parts = dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]


def _rows(frame: pd.DataFrame, cells: dict[str, pd.Series], parts: Parts) -> pd.DataFrame:
    """One raw invoice per row: id Serie-Número, the amount owed (Base + Cuota + Recargo −
    Retención, or the first unreadable part's cell as written, for the ledger to report), the
    invoice a rectificativa names (matched without zero padding; as written when unknown)."""
    owed = parts["base"][0] + parts["cuota"][0] + parts["recargo"][0] - parts["retencion"][0]
    bad = np.zeros(len(frame), dtype=bool)
    amount = money.cents_text(owed)
    for field in ("retencion", "recargo", "cuota", "base"):  # the first bad one last: it wins
        wrong = parts[field][2]
        amount[wrong] = cells[field].to_numpy()[wrong]
        bad |= wrong
    serie, numero = cells["serie"], cells["numero"]
    ids = (serie + "-" + numero).where(serie != "", numero)
    applies = _targets(ids, cells["rectifies"])
    return pd.DataFrame(
        {
            "invoice_id": ids.to_numpy(),
            "customer_id": cells["nif"].to_numpy(),
            "invoice_date": cells["date"].to_numpy(),
            "due_date": "",
            "amount": amount,
            "applies_to": applies,
            "currency": "EUR",
            "owed_cents": np.where(bad, 0, owed),
            "bad": bad,
        },
        index=frame.index,
    )


def _targets(ids: pd.Series, rectifies: pd.Series) -> npt.NDArray[np.object_]:
    """The invoice each «Rectificativa de» names, as its id in the book (matched by
    :func:`key`); as written when no invoice has it; "" on the other rows. Only the ids whose
    trailing number a rectificativa names are keyed (a book has millions of invoices and a few
    rectificativas)."""
    out = np.full(len(rectifies), "", dtype=object)
    named = np.flatnonzero((rectifies != "").to_numpy())
    if not len(named):
        return out
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
    report."""
    ids = raw["invoice_id"]
    split = (ids != "") & ids.duplicated(keep=False) & ~raw["bad"]
    whole = raw[~split.to_numpy()]
    if split.any():
        parts = raw[split.to_numpy()]
        sums = parts.groupby("invoice_id", sort=False)["owed_cents"].sum()
        firsts = parts.drop_duplicates("invoice_id").copy()
        firsts["amount"] = money.cents_text(firsts["invoice_id"].map(sums).to_numpy())
        whole = pd.concat([whole, firsts]).sort_values("source_line", kind="stable")
    out = whole.drop(columns=["owed_cents", "bad"]).reset_index(drop=True)
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
        what = (
            "the net of the IRPF withholding (Base + Cuota − Retención)"
            if total[i] == net[i] and parts["retencion"][0][i]
            else f"neither Base + Cuota ({_text(int(gross[i]))}) nor its net of withholding"
        )
        out.append(
            Issue(
                IssueCode.TOTAL_MISMATCH,
                label,
                int(lines[i]),
                "total_factura",
                shown,
                f"Total Factura {shown} is {what}; the amount owed is computed from the parts: "
                f"Base + Cuota − Retención = {_text(int(net[i]))}",
                "Check the row in the book: Total Factura is Base Imponible + Cuota IVA (+ "
                "recargo), before the withholding.",
            )
        )
    return out


AEAT = register(
    Preset(
        name="aeat-expedidas",
        title="AEAT libro registro de facturas expedidas",
        description=(
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
