"""argparse's own texts in the message catalogue: ``usage:``, ``options``, ``show this help
message and exit``, its errors ("the following arguments are required: %s", "invalid choice:
...").

argparse translates them through gettext's module-level ``_`` and ``ngettext``, which read no
catalogue of arbook's. :func:`install` points both at :mod:`arbook.core.i18n`, so the help and
the errors of every ``arbook`` command are in the interface language (``--lang``,
``ARBOOK_LANG``, the system's). :data:`TEXTS` and :func:`_plural_texts` mark the texts for the
catalogue: every ``_('...')`` and ``ngettext(...)`` of Python 3.11's ``argparse.py``, copied
word for word (their ``%s``, ``%r`` and ``%(name)s`` stay the same in a translation:
argparse fills them in). ``tests/cli/test_cli_i18n.py`` fails when the Python running it has a
text this list lacks.
"""

from __future__ import annotations

import argparse

from arbook.core import i18n
from arbook.core.i18n import N_

#: argparse's texts (Python 3.11), in the order argparse.py has them.
TEXTS = (
    N_("usage: "),
    N_("argument %(argument_name)s: %(message)s"),
    N_(".__call__() not defined"),
    N_("conflicting subparser: %s"),
    N_("conflicting subparser alias: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_('argument "-" with mode %r'),
    N_("can't open '%(filename)s': %(error)s"),
    N_("cannot merge actions - two groups are named %r"),
    N_("'required' is an invalid argument for positionals"),
    N_("invalid option string %(option)r: must start with a character %(prefix_chars)r"),
    N_("dest= is required for options like %r"),
    N_("invalid conflict_resolution value: %r"),
    N_("mutually exclusive arguments must be optional"),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("cannot have multiple subparser arguments"),
    N_("subcommands"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("%r is not callable"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
)


def _plural_texts(count: int) -> tuple[str, ...]:
    """argparse's texts with a count (singular and plural). Not called by arbook: the calls
    mark them for the catalogue (its extraction reads ``ngettext`` calls), and the tests read
    the pairs from here."""
    return (
        i18n.ngettext("conflicting option string: %s", "conflicting option strings: %s", count),
        i18n.ngettext("expected %s argument", "expected %s arguments", count),
    )


def _gettext(message: str) -> str:
    # argparse also passes None (a group without a description) and "" (no title): as given,
    # never the catalogue's header
    return i18n._(message) if message else message


def _ngettext(singular: str, plural: str, count: int) -> str:
    return i18n.ngettext(singular, plural, count)


def install() -> None:
    """Make argparse speak the interface language: its ``_`` and ``ngettext`` become the
    catalogue's (:mod:`arbook.core.i18n`), read each time a text is shown. Called by
    :func:`arbook.cli.commands.main` before it builds the parser (the groups' titles and the
    ``--help`` text are taken when a parser is made); harmless to call again. In English the
    texts are argparse's own."""
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
