"""A client's own policy file, ``policy.toml`` in their data folder, edited in place.

The walkthrough asks once for the company details printed on every document (SPEC §7: a
document goes to a customer only once the company is named) and keeps them in the data folder's
policy, where every command finds them (:func:`arbook.core.ledger.read_ledger`).
:func:`write_company` changes only the ``[company]`` table: the rest of the file (the client's
other rules, comments and order) is kept as written, through tomlkit. The new file is written
beside the old one and renamed over it only once it loads as a policy, so a refusal leaves the
folder as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import tomlkit

from arbook.core.config import CompanyPolicy, Policy, load_policy
from arbook.core.errors import ParameterError
from arbook.core.files import write_atomic
from arbook.core.i18n import N_, _

#: The file of a data folder that holds the client's own policy.
POLICY_FILE = "policy.toml"
#: The company details, in the order the policy lists them.
COMPANY_FIELDS = tuple(CompanyPolicy.model_fields)

#: The comment a new policy file starts with (in the language spoken when it is made).
_HEADER = N_(
    "The client's own policy: every arbook command finds policy.toml in the data folder.\n"
    "Only what differs from arbook/defaults/policy.toml is written here."
)


def policy_path(folder: str | Path) -> Path:
    """``policy.toml`` of data folder ``folder``; ParameterError when the folder does not
    exist."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        said = _("{folder}: no such data folder; give the folder of the client's files")
        raise ParameterError(said.format(folder=folder))
    return folder / POLICY_FILE


def folder_policy(folder: str | Path) -> Policy:
    """The policy arbook uses for data folder ``folder``: its ``policy.toml`` over the shipped
    defaults, or the defaults when it has none."""
    path = policy_path(folder)
    return load_policy(path if path.is_file() else None)


def company_details(folder: str | Path) -> dict[str, str]:
    """The company details of data folder ``folder`` (every field of ``[company]``, "" when not
    set)."""
    return folder_policy(folder).company.model_dump()


def write_company(folder: str | Path, details: Mapping[str, object]) -> Path:
    """Set the ``[company]`` details of data folder ``folder`` to ``details`` (field -> text; a
    field left out keeps its value, "" clears it) in its ``policy.toml``, created if it has none;
    return the file's path. Raises ParameterError for an unknown field and PolicyError when the
    existing file, or the file with these details, is not a valid policy: the file is then left
    as it was."""
    unknown = sorted(set(details) - set(COMPANY_FIELDS))
    if unknown:
        said = _("no company detail {fields}; the details are {known}")
        raise ParameterError(
            said.format(fields=", ".join(unknown), known=", ".join(COMPANY_FIELDS))
        )
    path = policy_path(folder)
    if path.is_file():
        load_policy(path)  # an error already in the file is named as the file's, line and key
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    else:
        document = tomlkit.document()
        for line in _(_HEADER).splitlines():
            document.add(tomlkit.comment(line))
    table = document.get("company")
    if table is None:
        table = tomlkit.table()
        document["company"] = table
    for name in COMPANY_FIELDS:
        if name in details:
            value = details[name]
            table[name] = value.strip() if isinstance(value, str) else value
    load_policy(document.unwrap())  # refused before anything is written, named by table and key
    return write_atomic(path, tomlkit.dumps(document), check=load_policy)
