"""The dashboard's reviews and charts: reviews cached by their settings and prefetched in the
background; chart widgets made once and updated in place from cached Vega-Lite specs."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import OrderedDict

import altair as alt
import ipywidgets as w
import pandas as pd

from arbook.core.i18n import language
from arbook.views import chart_bundle
from arbook.workbook.review import Review, Settings

log = logging.getLogger(__name__)

#: How many reviews the dashboard keeps: the user's last choices and the prefetched guesses.
CACHE_SIZE = 12


class ReviewCache:
    """The last :data:`CACHE_SIZE` reviews, by their settings (least recently used goes first).

    :meth:`warm` computes, in one background thread, the overview of the reviews the user is
    likely to ask for next (the neighbouring month ends, the other basis), so that a control
    change usually finds its numbers ready. A lock keeps the two threads off the dict; a Review
    part asked for by both waits for the first to finish it (``cached_property`` locks).

    ``log`` is the contact log whose disputes the reviews count (SPEC §7), or a callable giving
    it (None while there is none): asked when a review is made. A review keeps what it read
    from the log, so when the log changes (a contact logged, a dispute opened or resolved)
    :meth:`reread_log` must be called: every cached review then drops its log parts
    (:meth:`Review.reread_log`) and reads the log again on next use; the rest is kept."""

    def __init__(self, ledger, size: int = CACHE_SIZE, *, log=None):
        self.ledger, self.size, self._log = ledger, size, log
        self._reviews: OrderedDict[Settings, Review] = OrderedDict()
        self._lock = threading.Lock()
        self._wanted: list[Settings] = []
        self._worker: threading.Thread | None = None
        self._also = None

    def contact_log(self):
        """The contact log now (None when there is none)."""
        return self._log() if callable(self._log) else self._log

    def get(self, settings: Settings) -> Review:
        with self._lock:
            review = self._reviews.pop(settings, None) or Review(
                self.ledger, settings, log=self.contact_log()
            )
            self._reviews[settings] = review
            while len(self._reviews) > self.size:
                self._reviews.popitem(last=False)
            return review

    def reread_log(self) -> None:
        """The contact log has changed: every cached review reads it again on next use."""
        with self._lock:
            log, reviews = self.contact_log(), list(self._reviews.values())
        for review in reviews:
            review.reread_log(log)

    def warm(self, wanted: list[Settings], *, also=None) -> None:
        """Compute the overview parts of ``wanted`` in the background (newest wish wins), then
        call ``also(review)`` on each (the dashboard builds its charts there)."""
        with self._lock:
            self._wanted = list(wanted)
            self._also = also
            if self._worker is not None and self._worker.is_alive():
                return
            self._worker = threading.Thread(target=self._work, name="arbook-prefetch", daemon=True)
            self._worker.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    return
                settings, also = self._wanted.pop(0), self._also
            try:
                review = self.get(settings)
                review.kpis, review.buckets, review.trend  # noqa: B018 (computes and keeps them)
                if also is not None:
                    also(review)
            except Exception:  # a guess that fails costs nothing: the user never asked for it
                log.debug("prefetching %s failed", settings, exc_info=True)


def neighbours(current: Settings, month_ends: list[str]) -> list[Settings]:
    """The settings a user most likely picks next: the month end before and after, then the
    other aging basis (``month_ends`` as ISO text, any order)."""
    iso = current.as_of.strftime("%Y-%m-%d")
    ordered = sorted(month_ends)
    at = ordered.index(iso) if iso in ordered else -1
    near = [ordered[k] for k in (at - 1, at + 1) if at >= 0 and 0 <= k < len(ordered)]
    wanted = [dataclasses.replace(current, as_of=pd.Timestamp(day)) for day in near]
    other = "invoice" if current.basis == "due" else "due"
    return wanted + [dataclasses.replace(current, basis=other)]


class SpecCache:
    """Checked Vega-Lite specs of the dashboard's charts by (chart name, settings key), so a
    chart shown before, or prefetched, is sent without being built and validated again. The key
    holds the language the chart was drawn in (:func:`chart_key`): a spec is never sent in
    another language than the one spoken."""

    def __init__(self, size: int = 4 * CACHE_SIZE):
        self.size = size
        self._specs: OrderedDict[tuple, dict] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str, key: tuple, make) -> dict:
        """The spec of chart ``name`` for ``key``; ``make()`` builds the Altair chart if new."""
        with self._lock:
            spec = self._specs.get((name, key))
        if spec is None:
            spec = make().to_dict()  # validated against the Vega-Lite schema once
            with self._lock:
                self._specs[(name, key)] = spec
                while len(self._specs) > self.size:
                    self._specs.popitem(last=False)
        return spec


def chart_key(s: Settings, as_of_only: bool = False) -> tuple:
    """What a chart depends on: the language spoken and the as-of date alone, or with the
    basis and the edges."""
    lang = language()
    return (lang, s.as_of) if as_of_only else (lang, s.as_of, s.basis, s.edges)


class ChartSet:
    """The dashboard's ``alt.JupyterChart`` widgets by name. Each is made once (its JavaScript
    bundle travels once) and then updated in place by sending a new spec from a
    :class:`SpecCache`; a chart already showing the settings it depends on is left alone."""

    def __init__(self):
        self._widgets: dict[str, alt.JupyterChart] = {}
        self._keys: dict[str, tuple] = {}
        self._empty: dict[str, dict] = {}
        self._specs = SpecCache()

    def __getitem__(self, name: str) -> alt.JupyterChart:
        return self._widgets[name]

    def widgets(self) -> dict[str, alt.JupyterChart]:
        return dict(self._widgets)

    def show(self, name: str, make, box: w.Box, s: Settings, *, as_of_only: bool = False) -> bool:
        """Draw chart ``name`` (``make()`` builds it) for settings ``s``; a new widget is
        appended to ``box``. Return True when the widget was just made."""
        key = chart_key(s, as_of_only)
        widget = self._widgets.get(name)
        if widget is not None:
            if self._keys[name] != key:
                with widget.hold_sync():
                    widget.spec = self._specs.get(name, key, make)
                    # a new chart starts with nothing selected, so the next click always counts
                    widget._vl_selections = self._empty[name]
                self._keys[name] = key
            return False
        chart_bundle.enable_offline()
        widget = alt.JupyterChart(make(), embed_options={"actions": False, "renderer": "svg"})
        widget.add_class(f"arbook-chart-{name}")
        self._widgets[name], self._keys[name] = widget, key
        self._empty[name] = dict(widget._vl_selections)
        box.children = (*box.children, widget)
        return True

    def prefetch(self, name: str, s: Settings, make, *, as_of_only: bool = False) -> None:
        """Build and keep the spec of chart ``name`` for settings ``s`` (any thread)."""
        self._specs.get(name, chart_key(s, as_of_only), make)
