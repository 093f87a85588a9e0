"""Credit (SPEC §5–7): payment-history scores, holds, the credit check ("may I ship?"), the
limit review, late charges, early-payment discounts and the application scorecard. The names
the old ``arbook.credit`` module held are here too."""

from arbook.credit.check import CreditCheck, credit_check
from arbook.credit.holds import credit_holds, not_vetted
from arbook.credit.limits import credit_review
from arbook.credit.scores import paydex, payment_scores

__all__ = [
    "CreditCheck",
    "credit_check",
    "credit_holds",
    "credit_review",
    "not_vetted",
    "paydex",
    "payment_scores",
]
