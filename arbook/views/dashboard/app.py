"""The receivables dashboard: one ipywidgets tree, built once and updated in place.

``Dashboard(ledger)`` shows a header with the language picker and the data-issues banner, the
controls (as-of month, aging basis, bucket edges, cost of capital), a status line and seven tabs:
Overview, Who owes what, Drill-down (clicking a bar fills it), Credit, Collections, Cash forecast
(``credit_tab.py``, ``collections_tab.py``, ``forecast_tab.py``) and Load your data.

Every text is in the interface language (:mod:`arbook.core.i18n`). The page starts in the
language of ``arbook dashboard --lang`` (it reaches the kernel as ``$ARBOOK_LANG_FLAG``, see
:mod:`arbook.workbook.serve`), else the one last chosen with the picker (remembered in the
user's configuration, :func:`~arbook.views.dashboard.language.remembered_language`), else
``$ARBOOK_LANG``, the policy's ``language``, the system's, English. Choosing another with the
picker draws the whole dashboard again in it, inside the same displayed box (the tabs build
their texts when they are made): same ledger, settings, tab and drill-down.
Every value a control sends is checked; a bad one is reported in the status line and the last
good views stay. Reviews are cached by their settings; only the visible tab is recomputed.
What is in dispute is the one rule's (SPEC §7) everywhere: the reviews count the disputes of
the contact log the Collections tab writes (when one has been started), and each record there
makes them read the log again, so the drill-downs never show a stale dispute."""

from __future__ import annotations

import dataclasses
import logging
import os
from contextlib import contextmanager

import altair as alt
import ipywidgets as w
import pandas as pd
from traitlets import Bool, HasTraits, Unicode

from arbook.core import i18n
from arbook.core.config import check_basis, edges_text
from arbook.core.errors import ArbookError, ParameterError
from arbook.core.i18n import N_, _
from arbook.core.ledger import Ledger, read_ledger
from arbook.core.numbers import percent_text
from arbook.measures.aging import UNAPPLIED
from arbook.views import charts
from arbook.views.dashboard import drill, language, parts
from arbook.views.dashboard.caches import ChartSet, ReviewCache, neighbours
from arbook.views.dashboard.collections_tab import CollectionsTab
from arbook.views.dashboard.credit_tab import CreditTab
from arbook.views.dashboard.forecast_tab import ForecastTab
from arbook.views.dashboard.language import start_language
from arbook.views.dashboard.load_data import LoadData, show_dashboard, with_loader
from arbook.views.dashboard.parts import LoadFailure, html_box
from arbook.views.format import bucket_text, format_date
from arbook.views.html import CSS, issues_banner, table_html
from arbook.workbook import paths
from arbook.workbook.review import Review, settings

log = logging.getLogger(__name__)

OVERVIEW, CUSTOMERS, DRILL, CREDIT, COLLECTIONS, FORECAST, LOAD = range(7)
TABS = (
    N_("Overview"),
    N_("Who owes what"),
    N_("Drill-down"),
    N_("Credit"),
    N_("Collections"),
    N_("Cash forecast"),
    N_("Load your data"),
)
#: The aging basis in the status line.
AGING_BY = {"due": N_("aging by due date"), "invoice": N_("aging by invoice date")}


class Dashboard(parts.Quiet, HasTraits):
    """The dashboard of one ledger; ``widget`` is the root to display. State: the checked
    settings of the current review, the selected ``customer`` or ``bucket`` for the drill-down,
    and the ``status`` line (``status_is_error`` when it reports a refused value)."""

    status = Unicode("")
    status_is_error = Bool(False)
    customer = Unicode("")
    bucket = Unicode("")

    def __init__(self, ledger: Ledger, *, as_of=None):
        super().__init__()
        self.ledger = ledger
        i18n.set_policy_language(ledger.policy.language)  # when nothing nearer chose
        self._settings = settings(ledger, as_of)
        self._month_ends = parts.as_of_options(ledger)
        self._quiet = self._guarding = False
        # the displayed root and, inside it, the box the dashboard is drawn in: a box that
        # stays when it is drawn again in another language (show_dashboard moves it whole)
        self._board = w.VBox()
        self._board.add_class("arbook-board")
        self.widget = w.VBox([self._board])
        self.widget.add_class("arbook-dashboard")
        self.observe(
            lambda change: setattr(
                self._status, "value", parts.status_html(self.status, self.status_is_error)
            ),
            ["status", "status_is_error"],
        )
        self._start()
        folder, policy = self.load_data.folder, self.ledger.policy  # a save shows the mapped data
        self.load_data.on_saved = lambda: show_dashboard(self.widget, folder, policy=policy)
        self._redraw()
        self._say_ok()

    def _start(self) -> None:
        """Build every view afresh in the language spoken: reviews and charts included (they
        hold texts drawn in the language they were made in)."""
        # the Collections tab's log, asked when a review is made (the tab is built below)
        self._reviews = ReviewCache(self.ledger, log=lambda: self.collections.existing_log)
        self._dirty = set(range(len(TABS)))
        self._charts = ChartSet()
        self._table = pd.DataFrame()
        self._drawn_in = i18n.language()
        self._build()
        self._wire()

    # -- construction ----------------------------------------------------------------------------

    @classmethod
    def from_environment(cls, data: str = "", as_of: str = ""):
        """The dashboard of ``data`` (else ``$ARBOOK_DATA``, else the sample), with the policy
        in ``$ARBOOK_POLICY`` if set, read with the preset in ``$ARBOOK_PRESET`` if set, as of
        ``as_of`` (else ``$ARBOOK_AS_OF``, else the last month end), in the language of
        :func:`start_language`. A problem gives a :class:`LoadFailure` whose widget explains
        it."""
        start_language()
        try:
            folder = data or os.environ.get("ARBOOK_DATA") or paths.sample_folder()
            policy = os.environ.get("ARBOOK_POLICY") or None
            preset = os.environ.get("ARBOOK_PRESET") or None
            ledger = read_ledger(folder, policy=policy, preset=preset)
            return cls(ledger, as_of=as_of or os.environ.get("ARBOOK_AS_OF") or None)
        except ArbookError as exc:  # with "Load your data" when it is a folder to map a file in
            folder = data or os.environ.get("ARBOOK_DATA") or ""
            return with_loader(
                LoadFailure(str(exc)), folder, policy=os.environ.get("ARBOOK_POLICY")
            )
        except Exception as exc:  # the user's boundary: log the traceback, show a sentence
            log.exception("the dashboard could not be built")
            return LoadFailure(
                _("The dashboard could not be built: {kind}: {error}").format(
                    kind=type(exc).__name__, error=exc
                )
            )

    def _build(self) -> None:
        s = self._settings
        self._header = html_box("arbook-header")
        self._picker = language.language_picker()
        header = w.HBox(
            [self._header, self._picker],
            layout={"justify_content": "space-between", "align_items": "flex-start"},
        )
        self._banner = html_box("arbook-banner-line", issues_banner(self.ledger.issues))
        self._issues_toggle = w.ToggleButton(
            description=_("Show issues"),
            icon="list",
            tooltip=_("List every problem found in the data"),
        )
        self._issues_toggle.add_class("arbook-issues-toggle")
        self._issues = html_box("arbook-issues", parts.issues_html(self.ledger.issues))
        self._issues.layout.display = "none"
        banner_box = w.VBox([w.HBox([self._banner, self._issues_toggle]), self._issues])
        banner_box.add_class("arbook-banner-box")
        self._asof, self._basis, self._edges, self._cost = parts.setting_controls(
            s, self._month_ends
        )
        self._status = html_box("arbook-status")
        controls = parts.row([self._asof, self._basis, self._edges, self._cost], "arbook-controls")
        self._drill, self._credit = html_box("arbook-drill", drill.drill_hint()), CreditTab()
        self.collections = CollectionsTab(self.ledger)  # opens the contact log on first render
        self.collections.on_record = self._log_changed
        self.forecast = ForecastTab(guard=self._guard, ok=self._say_ok)
        self.load_data = LoadData(self.ledger.folder, policy=self.ledger.policy)
        self._tabs = w.Tab(
            children=[
                self._build_overview(),
                self._build_customers(),
                w.VBox([self._drill]),
                self._credit.widget,
                self.collections.widget,
                self.forecast.widget,
                self.load_data.widget,
            ],
            titles=[_(title) for title in TABS],
        )
        self._board.children = [
            html_box("arbook-css", CSS + parts.DASHBOARD_CSS),
            header,
            banner_box,
            controls,
            self._status,
            self._tabs,
        ]

    def _build_overview(self) -> w.Widget:
        self._kpi = html_box("arbook-kpis")
        self._overview_charts = parts.row([], "arbook-charts")
        self._carrying = html_box("arbook-carrying-line")
        return w.VBox([self._kpi, self._overview_charts, self._carrying])

    def _build_customers(self) -> w.Widget:
        self._customers_chart = w.VBox()
        (self._search, self._bucket_filter, self._sort, self._ascending, self._customer_pick) = (
            parts.table_controls()
        )
        self._customer_table = html_box("arbook-customers")
        filters = parts.row(
            [self._search, self._bucket_filter, self._sort, self._ascending, self._customer_pick],
            "arbook-filters",
        )
        return w.VBox([self._customers_chart, filters, self._customer_table])

    def _wire(self) -> None:
        for control in (
            self._asof,
            self._basis,
            self._bucket_filter,
            self._sort,
            self._customer_pick,
            self._picker,
        ):
            control.on_invalid = self._refuse

        on = self._on
        on(self._asof, self.set_as_of)
        on(self._basis, self.set_basis)
        on(self._edges, self.set_edges)
        on(self._cost, self.set_cost)
        on(self._search, self.set_search)
        on(self._bucket_filter, self.set_bucket_filter)
        on(self._sort, lambda column: self.set_sort(column, self._ascending.value))
        on(self._ascending, lambda up: self.set_sort(self._sort.value, up))
        on(self._customer_pick, lambda cid: cid and self.select_customer(cid))
        on(self._picker, self.set_language)
        self._issues_toggle.observe(self._toggle_issues, "value")
        self._tabs.observe(lambda change: self._redraw(), "selected_index")

    # -- readable state ------------------------------------------------------------------------

    @property
    def review(self) -> Review:
        """The review the views show (cached by its settings)."""
        return self._reviews.get(self._settings)

    @property
    def kpi_html(self) -> str:
        self._ensure(OVERVIEW)
        return self._kpi.value

    @property
    def table_frame(self) -> pd.DataFrame:
        """The per-customer table as shown: searched, filtered and sorted."""
        self._ensure(CUSTOMERS)
        return self._table

    @property
    def drill_html(self) -> str:
        self._ensure(DRILL)
        return self._drill.value

    @property
    def customers_html(self) -> str:
        self._ensure(CUSTOMERS)
        return self._customer_table.value

    @property
    def controls(self) -> dict[str, w.Widget]:
        """The input widgets by name, as a user (or a test posing as the browser) sees them."""
        return {
            "as_of": self._asof,
            "basis": self._basis,
            "edges": self._edges,
            "cost": self._cost,
            "search": self._search,
            "bucket_filter": self._bucket_filter,
            "sort": self._sort,
            "ascending": self._ascending,
            "customer": self._customer_pick,
            "issues_toggle": self._issues_toggle,
            "tabs": self._tabs,
            "language": self._picker,
        }

    @property
    def chart_widgets(self) -> dict[str, alt.JupyterChart]:
        """The JupyterCharts made so far, by name (``buckets``, ``trend``, ``customers``,
        ``scores``, ``utilisation``, ``forecast``)."""
        return self._charts.widgets()

    # -- settings: each checks its value, then redraws what depends on it ------------------

    def set_as_of(self, value) -> None:
        with self._guard():
            day = parts.check_as_of(value, self._month_ends)
            self._apply(self._asof, day, as_of=pd.Timestamp(day))

    def set_basis(self, value) -> None:
        with self._guard():
            basis = check_basis(value)
            self._apply(self._basis, basis, basis=basis)

    def set_edges(self, text) -> None:
        with self._guard():
            edges = parts.parse_edges(text)
            self._apply(self._edges, edges_text(edges), edges=edges)

    def set_cost(self, percent) -> None:
        with self._guard():
            try:
                rate = parts.check_cost(percent)
            except ParameterError:  # the box goes back to the rate in use; the status says why
                self._set_quietly(self._cost, parts.cost_percent(self._settings))
                raise
            self._apply(self._cost, float(percent), cost_of_capital=rate)

    def set_language(self, lang) -> None:
        """Speak ``lang`` (``en``, ``es``, ``ru``), remember it as the user's choice and draw the
        whole dashboard again in it: same settings, tab, table choices and drill-down."""
        with self._guard():
            try:
                lang = i18n.check(lang)
            except ValueError:
                self._set_quietly(self._picker, i18n.language())
                raise ParameterError(
                    _("language {value} is not one of the choices").format(
                        value=repr(str(lang)[:20])
                    )
                ) from None
            if lang == self._drawn_in == i18n.language():
                return
            i18n.set_language(lang)
            language.remember_language(lang)
            self._redraw_in_language()

    def _redraw_in_language(self) -> None:
        """Build every view again in the language now spoken, in the same displayed box."""
        kept = {
            "tab": self._tabs.selected_index or OVERVIEW,
            "search": self._search.value,
            "bucket_filter": self._bucket_filter.value,
            "sort": [value for _label, value in self._sort.options],
            "sort_by": self._sort.value,
            "ascending": self._ascending.value,
            "issues": self._issues_toggle.value,
            "on_saved": self.load_data.on_saved,  # show_dashboard's, when it built this one
        }
        drawn = self._board.children
        self._start()
        for widget in drawn:  # the views of the language left: their comms closed too
            _close(widget)
        self.load_data.on_saved = kept["on_saved"]
        with self._quietly():
            self._tabs.selected_index = kept["tab"]
            self._search.value = kept["search"]
            self._ascending.value = kept["ascending"]
            self._issues_toggle.value = kept["issues"]
            self._restore(
                self._sort, parts.sort_options(pd.DataFrame(columns=kept["sort"])), kept["sort_by"]
            )
            self._restore(
                self._bucket_filter,
                parts.bucket_filter_options(self._settings.labels),
                kept["bucket_filter"],
            )
        self._toggle_issues({"new": kept["issues"]})
        self._redraw()
        self._say_ok()
        self._status.value = parts.status_html(self.status, self.status_is_error)

    def _apply(self, control, shown, **changes) -> None:
        new = dataclasses.replace(self._settings, **changes)
        self._set_quietly(control, shown)
        if new != self._settings:
            old, self._settings = self._settings, new
            self._dirty = set(range(len(TABS)))
            try:
                self._redraw()
            except Exception:
                self._settings = old  # the views drawn so far are redrawn on the next change
                raise
        self._say_ok()

    # -- the customer table --------------------------------------------------------------------

    def set_search(self, text) -> None:
        self._refilter(self._search, text, parts.check_search)

    def set_bucket_filter(self, label) -> None:
        self._refilter(
            self._bucket_filter,
            label,
            lambda value: parts.check_choice(
                value, parts.values_of(self._bucket_filter.options), _("bucket filter")
            ),
        )

    def set_sort(self, column, ascending: bool = False) -> None:
        def check(value):
            parts.check_choice(value, parts.values_of(self._sort.options), _("sort column"))
            if not isinstance(ascending, bool):
                raise ParameterError(
                    _("ascending must be true or false, not {value}").format(value=repr(ascending))
                )
            self._set_quietly(self._ascending, ascending)

        self._refilter(self._sort, column, check)

    def _refilter(self, control, value, check) -> None:
        with self._guard():
            check(value)
            self._set_quietly(control, value)
            self._render_table()
            self._say_ok()

    # -- drill-down ----------------------------------------------------------------------------

    def select_customer(self, customer_id) -> None:
        """Show a customer's items, payments and behaviour in the drill-down tab."""
        with self._guard():
            ids = [cid for _label, cid in parts.customer_options(self.review)[1:]]
            parts.check_choice(customer_id, ids, _("customer"))
            self._show_drill(customer=customer_id)

    def select_bucket(self, label) -> None:
        """Show a bucket's open items in the drill-down tab."""
        with self._guard():
            parts.check_choice(label, self._settings.labels + [UNAPPLIED], _("bucket"))
            self._show_drill(bucket=label)

    def _show_drill(self, customer: str = "", bucket: str = "") -> None:
        self.customer, self.bucket = customer, bucket
        self._set_quietly(
            self._customer_pick,
            customer if customer in parts.values_of(self._customer_pick.options) else "",
        )
        self._dirty.add(DRILL)
        self._tabs.selected_index = DRILL
        self._ensure(DRILL)
        self._say_ok()

    def _on_pick(self, change) -> None:
        pick = parts.picked(change["new"])
        if pick.get("customer_id") is not None:
            self.select_customer(pick["customer_id"])
        elif pick.get("bucket") is not None:
            self.select_bucket(pick["bucket"])
        elif pick.get("week") is not None:  # a bar of the cash forecast
            self.forecast.select_week(pick["week"])

    # -- drawing -------------------------------------------------------------------------------

    def _redraw(self) -> None:
        with self._guard():
            self._header.value = parts.header_html(self.review)
            self._ensure(self._tabs.selected_index or OVERVIEW)
            self._reviews.warm(
                neighbours(self._settings, self._month_ends), also=self._prefetch_charts
            )

    def _ensure(self, tab: int) -> None:
        if tab in self._dirty:
            {
                OVERVIEW: self._render_overview,
                CUSTOMERS: self._render_customers,
                DRILL: self._render_drill,
                COLLECTIONS: lambda: self.collections.render(self.review),
                CREDIT: lambda: self._credit.render(self.review, self._chart),
                FORECAST: lambda: self.forecast.render(self.review, self._chart),
                LOAD: self.load_data.render,
            }[tab]()
            self._dirty.discard(tab)

    def _log_changed(self) -> None:
        """A record in the contact log: the reviews read its disputes again, and every other
        tab is drawn again when next seen (the Collections tab redraws itself)."""
        self._reviews.reread_log()
        self._dirty |= set(range(len(TABS))) - {COLLECTIONS, LOAD}

    def _render_overview(self) -> None:
        review = self.review
        self._kpi.value = parts.kpi_html(review)
        self._chart("buckets", lambda: _buckets_chart(review), self._overview_charts)
        self._chart("trend", lambda: _trend_chart(review), self._overview_charts, as_of_only=True)
        self._carrying.value = parts.carrying_html(review)

    def _render_customers(self) -> None:
        review, labels = self.review, self._settings.labels
        self._chart(
            "customers",
            lambda: charts.aging_by_customer(
                review.summary,
                labels,
                basis=review.settings.basis,
                currency=review.ledger.currency,
            ),
            self._customers_chart,
        )
        self._set_options(self._bucket_filter, parts.bucket_filter_options(labels), parts.ALL)
        self._set_options(self._sort, parts.sort_options(review.summary), "total_cents")
        self._set_options(self._customer_pick, parts.customer_options(review), "")
        self._render_table()

    def _render_table(self) -> None:
        self._table = parts.customer_table(
            self.review.summary,
            search=parts.check_search(self._search.value),
            bucket=self._bucket_filter.value,
            sort=self._sort.value,
            ascending=self._ascending.value,
        )
        self._customer_table.value = table_html(
            self._table, total=True, max_rows=200, titles=parts.titles(self._settings.basis)
        )

    def _render_drill(self) -> None:
        review = self.review
        if self.customer:
            self._drill.value = drill.drill_customer_html(review, self.customer)
        elif self.bucket in review.settings.labels + [UNAPPLIED]:
            self._drill.value = drill.drill_bucket_html(review, self.bucket)
        else:
            self.bucket = ""
            self._drill.value = drill.drill_hint()

    def _chart(self, name: str, make, box: w.Box, *, as_of_only: bool = False) -> None:
        if self._charts.show(name, make, box, self._settings, as_of_only=as_of_only):
            self._charts[name].observe(self._on_pick, "_vl_selections")

    def _prefetch_charts(self, review: Review) -> None:
        """Build the overview charts of a prefetched review (runs in the prefetch thread)."""
        self._charts.prefetch("buckets", review.settings, lambda: _buckets_chart(review))
        self._charts.prefetch(
            "trend", review.settings, lambda: _trend_chart(review), as_of_only=True
        )

    # -- small helpers -------------------------------------------------------------------------

    @staticmethod
    def _restore(control, options, value) -> None:
        """``options`` for a new dropdown, at ``value`` when it is one of them."""
        control.options = options
        if value in parts.values_of(options):
            control.value = value

    def _set_options(self, control, options, default) -> None:
        """New options for a dropdown, keeping its value when it is still one of them."""
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        keep = control.value if control.value in values else default
        if list(control.options) != list(options) or control.value != keep:
            with self._quietly():
                control.options, control.value = options, keep

    def _toggle_issues(self, change) -> None:
        self._issues.layout.display = None if change["new"] else "none"
        self._issues_toggle.description = _("Hide issues") if change["new"] else _("Show issues")

    def _say_ok(self) -> None:
        s = self._settings
        self.status_is_error = False
        self.status = _(
            "As of {day} · {aging} · buckets {buckets} · cost of capital {rate}"
        ).format(
            day=format_date(s.as_of),
            aging=_(AGING_BY[s.basis]),
            buckets=", ".join(bucket_text(label) for label in s.labels),
            rate=percent_text(s.cost_of_capital, None),
        )

    def _refuse(self, message: str) -> None:
        self.status_is_error = True
        self.status = _("{message}. The views still show the last good choice.").format(
            message=message
        )

    @contextmanager
    def _guard(self):
        """Turn any failure of a callback into a status message; the last views stay. Only the
        outermost guard reports, so a nested step that fails is not followed by "all fine"."""
        if self._guarding:
            yield
            return
        self._guarding = True
        try:
            yield
        except ArbookError as exc:
            self._refuse(str(exc).rstrip("."))
        except Exception as exc:  # the user's boundary: log the traceback, show a sentence
            log.exception("dashboard update failed")
            self._refuse(
                _("Something went wrong: {kind}: {error}").format(
                    kind=type(exc).__name__, error=exc
                )
            )
        finally:
            self._guarding = False


def _close(widget: w.Widget) -> None:
    """Close ``widget`` and every widget inside it (a view no page shows any more)."""
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()


def _buckets_chart(review: Review):
    s = review.settings
    return charts.aging_by_bucket(
        review.buckets, s.labels, basis=s.basis, currency=review.ledger.currency
    )


def _trend_chart(review: Review):
    return charts.trend(review.trend, currency=review.ledger.currency)


__all__ = ["Dashboard", "LoadFailure", "start_language"]
