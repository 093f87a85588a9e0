"""What the walkthrough's forms that save a file into the client's folder share: the status line
(``status``, ``status_is_error``, drawn into the form's ``message``), the path last written
(``saved``) and the user's boundary around a save: a refusal becomes "Not saved: ..." (in the
language spoken) in ``status`` (an unexpected failure is logged with its traceback too), never a
traceback on screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w
from traitlets import Bool, HasTraits, Unicode

from arbook.core.errors import ArbookError
from arbook.core.i18n import _
from arbook.views.html import status_line

log = logging.getLogger(__name__)


class SavingForm(HasTraits):
    """A form with a status line; a subclass builds its widgets around ``self.message``."""

    status = Unicode("")
    status_is_error = Bool(False)
    saved = Unicode("")

    def __init__(self) -> None:
        super().__init__()
        self.message = w.HTML()
        self.observe(self._on_status, ["status", "status_is_error"])

    def _save(self, write: Callable[[], Path], what: str) -> Path | None:
        """Call ``write`` (it returns the path written); on a refusal report it and return None.
        ``what`` names the file in the log ("the client's ladder")."""
        try:
            path = write()
        except Exception as exc:  # the user's boundary: a sentence, never a traceback
            if not isinstance(exc, ArbookError):
                log.exception("%s could not be saved", what)
            reason = str(exc) if isinstance(exc, ArbookError) else f"{type(exc).__name__}: {exc}"
            self.status_is_error = True
            self.status = _("Not saved: {reason}").format(reason=reason)
            return None
        self.saved = str(path)
        return path

    def _say(self, text: str) -> None:
        self.status_is_error = False
        self.status = text

    def _on_status(self, _change=None) -> None:
        self.message.value = status_line(self.status, self.status_is_error)
