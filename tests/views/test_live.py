"""LiveHTML (:mod:`arbook.views.live`): a live widget in Voilà whose value the package keeps up to
date, which also leaves its value as plain text/html for a notebook run headless or read
without a kernel."""

from __future__ import annotations

import ipywidgets as w
from IPython.core.formatters import DisplayFormatter

from arbook.views.live import LiveHTML

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_the_bundle_carries_the_widget_and_its_value_as_html():
    live = LiveHTML(value="<b>Saved: 3 contacts</b>")
    bundle = live._repr_mimebundle_()
    assert bundle["text/html"] == "<b>Saved: 3 contacts</b>"
    assert bundle[WIDGET_VIEW]["model_id"] == live.model_id  # still a live widget in Voilà
    assert isinstance(live, w.HTML)
    # a plain HTML widget leaves nothing to read without a kernel: why LiveHTML exists
    assert "text/html" not in w.HTML(value="<b>x</b>")._repr_mimebundle_()


def test_the_html_follows_the_value():
    live = LiveHTML()
    assert live._repr_mimebundle_()["text/html"] == ""
    seen = []
    live.observe(lambda change: seen.append(change["new"]), names="value")
    live.value = "<p>first</p>"
    live.value = "<p>second</p>"
    assert seen == ["<p>first</p>", "<p>second</p>"]  # the page updates as the form changes
    assert live._repr_mimebundle_()["text/html"] == "<p>second</p>"


def test_a_headless_run_records_the_value():
    # what IPython stores as the cell's output when papermill or nbval runs the notebook
    live = LiveHTML(value="<table><tr><td>A</td></tr></table>")
    data, _ = DisplayFormatter().format(live)
    assert data["text/html"] == "<table><tr><td>A</td></tr></table>"
    assert WIDGET_VIEW in data
    live.value = "<p>changed</p>"
    assert DisplayFormatter().format(live)[0]["text/html"] == "<p>changed</p>"
