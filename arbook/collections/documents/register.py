"""What the outbox holds, read from its register (:mod:`.outbox`): one row per document with
its latest status, a document found from one of its files, and the checks made before a kept
document is given to the customer.
"""

from __future__ import annotations

import hashlib
from email import policy as email_policy
from email.parser import BytesParser
from pathlib import Path

import pandas as pd

from arbook.collections.documents.document import Document
from arbook.collections.documents.outbox import CREATED, REGISTER, read_register
from arbook.core.errors import ParameterError
from arbook.core.files import FORMULA_START
from arbook.core.i18n import _

#: The status of a document registered before statuses existed: it was never recorded.
UNRECORDED = "unrecorded"
OUTBOX_COLUMNS = [
    "customer_id",
    "document",
    "kind",
    "step",
    "as_of",
    "status",
    "to",
    "recorded_at",
    "pdf",
    "sha256",
    "eml",
]


def outbox_documents(outbox) -> pd.DataFrame:
    """One row per document in ``outbox`` (:data:`OUTBOX_COLUMNS`), oldest first: its register
    cells, its latest ``status`` (``unrecorded`` for one registered before statuses) and when
    (``recorded_at``), whom it was sent ``to``, ``pdf`` (relative to the outbox: the contact
    log's ``document``), its ``sha256`` and ``eml`` (relative too)."""
    reg = read_register(outbox)
    if reg.empty:
        return pd.DataFrame(columns=OUTBOX_COLUMNS, dtype=object)
    reg = reg.assign(key=reg["file"].str.rsplit(".", n=1).str[0])
    ext = reg["file"].str.rsplit(".", n=1).str[-1]
    made = reg[(ext == "pdf") & reg["status"].isin(CREATED)].drop_duplicates("key")
    last = reg[ext == "pdf"].drop_duplicates("key", keep="last").set_index("key")
    emls = reg[ext == "eml"].drop_duplicates("key").set_index("key")["file"]
    frame = made.set_index("key")
    frame = frame.assign(
        status=last["status"].reindex(frame.index).replace("", UNRECORDED),
        to=last["to"].reindex(frame.index).where(lambda v: v != "", frame["to"]),
        recorded_at=last["recorded_at"].reindex(frame.index),
        pdf=frame["file"],
        eml=emls.reindex(frame.index).fillna(""),
    )
    return frame.reset_index(drop=True)[OUTBOX_COLUMNS]


def queued(outbox) -> pd.DataFrame:
    """The documents awaiting approval in ``outbox``: :func:`outbox_documents` with status
    ``queued``."""
    frame = outbox_documents(outbox)
    return frame[frame["status"] == "queued"].reset_index(drop=True)


def find_outbox(path) -> Path:
    """The outbox a document file ``path`` is in: the nearest folder above it holding the
    register. Raises ParameterError when there is none."""
    path = Path(path).resolve()
    for folder in path.parents:
        if (folder / REGISTER).is_file():
            return folder
    raise ParameterError(
        _(
            "{path}: not in an outbox (no {register} above it); give a document's .eml, .pdf "
            "or .html in the outbox, as `arbook outbox list DATA` shows them"
        ).format(path=path, register=REGISTER)
    )


def find_document(path, outbox=None) -> tuple[Path, dict]:
    """``(outbox, row of outbox_documents)`` for the document file ``path`` (its .eml, .pdf or
    .html; relative to ``outbox`` when it is not a file as given). Raises ParameterError for a
    file the register does not list."""
    given = Path(path)
    if outbox is not None and not given.exists():
        given = Path(outbox) / given
    box = Path(outbox) if outbox is not None and given.exists() and _inside(given, outbox) else None
    box = box or find_outbox(given)
    relative = given.resolve().relative_to(box.resolve()).with_suffix("").as_posix()
    docs = outbox_documents(box)
    match = docs[docs["pdf"].str.rsplit(".", n=1).str[0] == relative]
    if match.empty:
        raise ParameterError(
            _(
                "{path}: the outbox register does not list this document; `arbook outbox list "
                "DATA` shows the documents there"
            ).format(path=path)
        )
    return box, match.iloc[0].to_dict()


def _inside(path: Path, folder) -> bool:
    try:
        path.resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def eml_from(outbox: Path, row: dict) -> str:
    """The From address of a kept document's .eml ("" when it has none)."""
    try:
        with open(outbox / row["eml"], "rb") as handle:
            message = BytesParser(policy=email_policy.default).parse(handle, headersonly=True)
    except OSError:
        return ""
    return message["From"].addresses[0].addr_spec if message["From"] else ""


def pdf_row(outbox: Path, row: dict) -> dict:
    """The register's creation row of the document's PDF (the cells every status row
    copies)."""
    reg = read_register(outbox)
    found = reg[(reg["file"] == row["pdf"]) & reg["status"].isin(CREATED)]
    return found.iloc[0].to_dict()


def check_unchanged(outbox: Path, row: dict) -> None:
    """Refuse a document whose files changed since the register recorded them."""
    reg = read_register(outbox)
    stem = row["pdf"].rsplit(".", 1)[0]
    for ext in (".pdf", ".eml"):
        made = reg[(reg["file"] == stem + ext) & reg["status"].isin(CREATED)]
        path = outbox / (stem + ext)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"
        if made.empty or made.iloc[0]["sha256"] != digest:
            raise ParameterError(
                _(
                    "{path}: changed or missing since it was kept in the outbox (its SHA-256 "
                    "is not the register's); nothing was sent. Make the document again"
                ).format(path=path)
            )


def document_of(outbox: Path, row: dict) -> Document:
    """The register's facts of a kept document as a Document (what the checks and the contact
    log read), its title from the .eml's subject."""
    with open(outbox / row["eml"], "rb") as handle:
        message = BytesParser(policy=email_policy.default).parse(handle, headersonly=True)
    customer = unsafe(str(row["customer_id"]))
    return Document(
        kind=str(row["kind"]),
        customer_id=customer,
        lang="",
        as_of=str(row["as_of"]),
        title=str(message["Subject"] or row["document"]),
        html="",
        text="",
        email=str(message["To"] or ""),
        sender=message["From"].addresses[0].addr_spec if message["From"] else "",
        step=unsafe(str(row["step"])),
    )


def unsafe(cell: str) -> str:
    """A register cell's text as it was before it was made safe for spreadsheets."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in FORMULA_START else cell


def outbox_of(ledger) -> Path:
    """A ledger's outbox: ``DATA/outbox`` for a ledger folder; for one file read with a
    preset, ``<file stem>-outbox`` beside it. Raises ParameterError for a ledger built from
    frames (give the outbox)."""
    if not ledger.source or ledger.source == "frames":
        raise ParameterError(_("this ledger was not read from a folder; give the outbox folder"))
    return outbox_for(ledger.source)


def outbox_for(data) -> Path:
    """The outbox of the data at ``data``: ``DATA/outbox`` for a ledger folder; for one file
    read with a preset, ``<file stem>-outbox`` beside it (``ibm.csv`` -> ``ibm-outbox``), so two
    clients' files in one folder never share an outbox. The one rule the commands, the daily
    run and the dashboard follow."""
    path = Path(data)
    return path / "outbox" if path.is_dir() else path.with_name(f"{path.stem}-outbox")
