"""Your own layout: a mapping of a file's columns onto arbook's invoices, saved beside the data.

A bookkeeper's own sheet, or an export arbook has no preset for (Sage, Zoho, FreshBooks, Holded,
МойСклад...), is read through a :class:`Mapping`: which of its columns holds each of arbook's
fields (:data:`FIELDS`), on which line its header is, how its dates and decimals are written,
and whether its amounts are open balances on one date (an aging report) or a history.

:func:`suggest` proposes one from the file itself: the header row is the row of the first rows
whose cells match most header names (English, Spanish, Russian: the vocabulary is data, in
``arbook/defaults/mapping_synonyms.toml``), and the cells below each column decide between
candidates (dates, money, unique ids...). :func:`problems` says in words what would make the
numbers wrong (nothing mapped to ``amount``; a face value mapped where an open balance exists);
:func:`preview` gives the ledger the mapping reads, to see the totals before saving;
:func:`save` writes ``mapping.toml`` (commented TOML, to edit by hand) and :func:`load` reads it
back as a :class:`~arbook.core.presets.Preset`, which ``read_ledger(folder)`` then uses.

A mapped file is read like any export: raw text cells under arbook's column names, every row
keeping its file and line, so the validation reports bad cells in the file's own terms. Rows
that are not items are left out: blank and heading rows silently, total rows (a "Total..." cell
and no number, date or customer) as totals, anything else with an amount as an ``unread_row``
error. A row's type column, where mapped, says whether it is an invoice, a credit note (made
negative) or a payment (cash received, unapplied unless it names the invoice it settles).

The package holds one job a module, each building only on those above it:

- :mod:`~arbook.core.mapping.model`: the fields, the :class:`Mapping` and its TOML file
  (:func:`read`, :func:`save`);
- :mod:`~arbook.core.mapping.vocabulary`: the header names of each field and the words of types,
  totals and terms;
- :mod:`~arbook.core.mapping.columns`: what a column's cells look like, each field's candidate
  columns and the choice between them;
- :mod:`~arbook.core.mapping.rows`: a file's grid, the mapping's header and its item rows;
- :mod:`~arbook.core.mapping.suggest`: the header row found and a mapping suggested;
- :mod:`~arbook.core.mapping.problems`: what would make the numbers wrong, in words;
- :mod:`~arbook.core.mapping.canonical`: arbook's own files written from a ledger
  (``arbook import``) and the import note beside them;
- :mod:`~arbook.core.mapping.apply`: the file read through a mapping (:func:`apply`,
  :func:`as_preset`, :func:`preview`, :func:`load`).

Every name other code uses is re-exported here, so ``from arbook.core import mapping`` then
``mapping.suggest(...)`` (or ``from arbook.core.mapping import Mapping``) works as it did when
this package was one module.
"""

from __future__ import annotations

from arbook.core.folder import IMPORT_NOTE, MAPPING_FILE
from arbook.core.mapping.apply import apply, as_preset, load, preview
from arbook.core.mapping.canonical import (
    CANONICAL,
    RATES_FILE,
    canonical_frames,
    cents_text,
    import_note,
    rates_frame,
    save_rates,
    typed_rates,
    with_import_note,
    write_canonical,
)
from arbook.core.mapping.columns import (
    THRESHOLD,
    Candidate,
    Profile,
    profile,
    profiles_by_header,
    value_fit,
)
from arbook.core.mapping.model import (
    DATE_ORDERS,
    DECIMALS,
    FIELD_WORDS,
    FIELDS,
    KEYS,
    OPEN_LACKS,
    REQUIRED,
    Mapping,
    iso_date,  # the screen checks a typed date
    read,
    save,
)
from arbook.core.mapping.problems import problems
from arbook.core.mapping.rows import read_grid
from arbook.core.mapping.suggest import (
    HEADER_ROWS,
    PREVIEW_ROWS,
    PROFILE_BYTES,
    SAMPLE_ROWS,
    Suggestion,
    find_header,
    suggest,
)
from arbook.core.mapping.vocabulary import (
    Vocabulary,
    document_kind,
    header_key,
    header_score,
    is_open_balance,
    is_paid,
    terms_days,
    vocabulary,
)

__all__ = [
    "CANONICAL",
    "DATE_ORDERS",
    "DECIMALS",
    "FIELDS",
    "FIELD_WORDS",
    "HEADER_ROWS",
    "IMPORT_NOTE",
    "KEYS",
    "MAPPING_FILE",
    "OPEN_LACKS",
    "PREVIEW_ROWS",
    "PROFILE_BYTES",
    "RATES_FILE",
    "REQUIRED",
    "SAMPLE_ROWS",
    "THRESHOLD",
    "Candidate",
    "Mapping",
    "Profile",
    "Suggestion",
    "Vocabulary",
    "apply",
    "as_preset",
    "canonical_frames",
    "cents_text",
    "document_kind",
    "find_header",
    "header_key",
    "header_score",
    "import_note",
    "is_open_balance",
    "is_paid",
    "iso_date",
    "load",
    "preview",
    "problems",
    "profile",
    "profiles_by_header",
    "rates_frame",
    "read",
    "read_grid",
    "save",
    "save_rates",
    "suggest",
    "terms_days",
    "typed_rates",
    "value_fit",
    "vocabulary",
    "with_import_note",
    "write_canonical",
]
