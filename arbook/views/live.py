"""A widget that stays right in Voilà and reads right without a kernel.

:class:`LiveHTML` is an HTML widget whose value the package keeps up to date as the user
changes a form (so a served page never asks anyone to "run this cell again"), and which also
offers that value as plain ``text/html``: a notebook run headless (papermill, nbval) or viewed
without a kernel still shows what it held when the cell ran.
"""

from __future__ import annotations

import ipywidgets as w


class LiveHTML(w.HTML):
    """An ``ipywidgets.HTML`` that also renders as static HTML outside a live kernel."""

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/html"] = self.value
        return bundle
