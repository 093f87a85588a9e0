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

#: Every public name, loaded on first use (``arbook.read_ledger`` imports the ledger's modules
#: then): ``import arbook.cli`` or a kernel that only needs the report's sections does not pay
#: for pandas' and every room's imports it does not use; the contact log needs SQLAlchemy,
#: documents Babel, Jinja2 and WeasyPrint, the report runner papermill.
_LAZY = {
    "chase_ranking": "arbook.collections.ranking",
    "worklist": "arbook.collections.worklist",
    "worklist_changes": "arbook.collections.worklist",
    "write_worklist": "arbook.collections.worklist",
    "Policy": "arbook.core.config",
    "load_policy": "arbook.core.config",
    "ArbookError": "arbook.core.errors",
    "DataError": "arbook.core.errors",
    "ParameterError": "arbook.core.errors",
    "PolicyError": "arbook.core.errors",
    "Ledger": "arbook.core.ledger",
    "ledger_from_frames": "arbook.core.ledger",
    "read_ledger": "arbook.core.ledger",
    "CreditDecision": "arbook.credit.application",
    "score_application": "arbook.credit.application",
    "CreditCheck": "arbook.credit.check",
    "credit_check": "arbook.credit.check",
    "discount_cost": "arbook.credit.discounts",
    "discount_cost_compound": "arbook.credit.discounts",
    "simulate_discount": "arbook.credit.discounts",
    "credit_holds": "arbook.credit.holds",
    "not_vetted": "arbook.credit.holds",
    "credit_review": "arbook.credit.limits",
    "late_charge_totals": "arbook.credit.penalties",
    "late_charges": "arbook.credit.penalties",
    "payment_scores": "arbook.credit.scores",
    "Totals": "arbook.measures.aging",
    "aging": "arbook.measures.aging",
    "aging_summary": "arbook.measures.aging",
    "bucket_labels": "arbook.measures.aging",
    "receivable_totals": "arbook.measures.aging",
    "Backtest": "arbook.measures.backtest",
    "backtest": "arbook.measures.backtest",
    "experiences": "arbook.measures.behaviour",
    "payment_behaviour": "arbook.measures.behaviour",
    "carrying_cost": "arbook.measures.carrying",
    "cash_forecast": "arbook.measures.forecast",
    "predict_payments": "arbook.measures.forecast",
    "allowance": "arbook.measures.metrics",
    "monthly_metrics": "arbook.measures.metrics",
    "roll_rates": "arbook.measures.metrics",
    "Review": "arbook.workbook.review",
    "build_review": "arbook.workbook.review",
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

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # asked once
        return value
    raise AttributeError(f"module 'arbook' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
