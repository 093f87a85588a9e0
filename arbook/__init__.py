"""arbook: an accounts-receivable workbook.

Read a client's ledger, age it as of any date, and measure it::

    import arbook
    ledger = arbook.read_ledger("data/sample")
    arbook.aging_summary(ledger, "2026-10-31")
    arbook.monthly_metrics(ledger, "2025-11", "2026-10")
"""

from arbook.aging import aging, aging_summary, bucket_labels
from arbook.behaviour import carrying_cost, experiences, payment_behaviour
from arbook.config import Policy, load_policy
from arbook.errors import ArbookError, DataError, ParameterError, PolicyError
from arbook.ledger import Ledger, ledger_from_frames, read_ledger
from arbook.metrics import allowance, monthly_metrics, roll_rates

__all__ = [
    "ArbookError", "DataError", "Ledger", "ParameterError", "Policy", "PolicyError",
    "aging", "aging_summary", "allowance", "bucket_labels", "carrying_cost", "experiences",
    "ledger_from_frames", "load_policy", "monthly_metrics", "payment_behaviour", "read_ledger",
    "roll_rates",
]
__version__ = "0.1.0"
