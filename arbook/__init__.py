"""arbook: an accounts-receivable workbook.

Read a client's ledger, age it as of any date, and measure it::

    import arbook
    ledger = arbook.read_ledger("data/sample")
    arbook.aging_summary(ledger, "2026-10-31")
    arbook.monthly_metrics(ledger, "2025-11", "2026-10")
    arbook.build_review(ledger, "2026-10-31").kpis
"""

import sys

# altair, nbformat and papermill import jsonschema, which compiles an RFC 3987 grammar at import
# time when the optional rfc3987-syntax package is installed (jupyter-events pulls it in): 3-7 s
# in every dashboard and report kernel, for "iri" format checks that none of them makes. Unless
# something imported it already, it is kept out (jsonschema then skips only those checks).
sys.modules.setdefault("rfc3987_syntax", None)

from arbook._moved import install as _install_moved  # noqa: E402

_install_moved()

from arbook.collections.ranking import chase_ranking  # noqa: E402
from arbook.collections.worklist import worklist, worklist_changes, write_worklist  # noqa: E402
from arbook.core.config import Policy, load_policy  # noqa: E402
from arbook.core.errors import ArbookError, DataError, ParameterError, PolicyError  # noqa: E402
from arbook.core.ledger import Ledger, ledger_from_frames, read_ledger  # noqa: E402
from arbook.credit.application import CreditDecision, score_application  # noqa: E402
from arbook.credit.check import CreditCheck, credit_check  # noqa: E402
from arbook.credit.discounts import discount_cost, discount_cost_compound, simulate_discount  # noqa: E402
from arbook.credit.holds import credit_holds, not_vetted  # noqa: E402
from arbook.credit.limits import credit_review  # noqa: E402
from arbook.credit.penalties import late_charge_totals, late_charges  # noqa: E402
from arbook.credit.scores import payment_scores  # noqa: E402
from arbook.measures.aging import Totals, aging, aging_summary, bucket_labels, receivable_totals  # noqa: E402
from arbook.measures.backtest import Backtest, backtest  # noqa: E402
from arbook.measures.behaviour import experiences, payment_behaviour  # noqa: E402
from arbook.measures.carrying import carrying_cost  # noqa: E402
from arbook.measures.forecast import cash_forecast, predict_payments  # noqa: E402
from arbook.measures.metrics import allowance, monthly_metrics, roll_rates  # noqa: E402
from arbook.workbook.review import Review, build_review  # noqa: E402

__all__ = [
    "ArbookError",
    "Backtest",
    "ContactLog",
    "CreditCheck",
    "CreditDecision",
    "DataError",
    "Ledger",
    "ParameterError",
    "Policy",
    "PolicyError",
    "Review",
    "Totals",
    "aging",
    "aging_summary",
    "allowance",
    "backtest",
    "bucket_labels",
    "build_review",
    "carrying_cost",
    "cash_forecast",
    "chase_ranking",
    "credit_check",
    "credit_holds",
    "credit_review",
    "discount_cost",
    "discount_cost_compound",
    "experiences",
    "late_charge_totals",
    "late_charges",
    "ledger_from_frames",
    "letter",
    "load_policy",
    "make_sample",
    "monthly_metrics",
    "not_vetted",
    "open_log",
    "payment_behaviour",
    "payment_scores",
    "predict_payments",
    "read_ledger",
    "receivable_totals",
    "roll_rates",
    "run_batch",
    "run_review",
    "score_application",
    "send_email",
    "send_to_outbox",
    "simulate_discount",
    "statement",
    "worklist",
    "worklist_changes",
    "write_worklist",
]
__version__ = "0.1.0"

#: Loaded on first use: the contact log needs SQLAlchemy, documents Babel, Jinja2 and
#: WeasyPrint, the report runner papermill, which the dashboard and report kernels would
#: otherwise import for nothing.
_LAZY = {
    "ContactLog": "arbook.collections.contacts",
    "open_log": "arbook.collections.contacts",
    "statement": "arbook.collections.documents",
    "letter": "arbook.collections.documents",
    "send_to_outbox": "arbook.collections.documents",
    "send_email": "arbook.collections.documents",
    "run_review": "arbook.workbook.report",
    "run_batch": "arbook.workbook.report",
    "make_sample": "arbook.workbook.sample",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'arbook' has no attribute {name!r}")
