"""The dashboard's review cache (:mod:`arbook.views.dashboard.caches`): the settings a user most
likely picks next, computed in the background."""

from __future__ import annotations

import pytest
from conftest import SAMPLE

import arbook


@pytest.mark.slow
def test_neighbouring_reviews_are_prefetched(tmp_path):
    """After a redraw the month ends either side and the other basis are computed in the
    background, so the next likely change finds its numbers ready."""
    from arbook.views.dashboard.caches import ReviewCache, neighbours
    from arbook.workbook.review import settings as review_settings

    ledger = arbook.read_ledger(SAMPLE)
    ends = ["2026-08-31", "2026-09-30", "2026-10-31"]
    current = review_settings(ledger, "2026-09-30")
    wanted = neighbours(current, ends)
    assert [(str(s.as_of.date()), s.basis) for s in wanted] == [
        ("2026-08-31", "due"),
        ("2026-10-31", "due"),
        ("2026-09-30", "invoice"),
    ]
    cache = ReviewCache(ledger)
    cache.warm(wanted)
    cache._worker.join(timeout=60)
    for s in wanted:
        # computed already, kept by the cache (the KPIs' figures come from the history)
        assert {"history", "buckets", "trend"} <= set(vars(cache.get(s)))
