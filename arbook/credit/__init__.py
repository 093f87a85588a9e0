"""Credit (SPEC §5–6): payment-history scores, holds, the limit review, late charges,
early-payment discounts and the application scorecard. The names the old ``arbook.credit``
module held are here too."""

from arbook.credit.holds import credit_holds, not_vetted
from arbook.credit.limits import credit_review
from arbook.credit.scores import paydex, payment_scores

__all__ = ["credit_holds", "credit_review", "not_vetted", "paydex", "payment_scores"]
