"""Engines for what does not fit in memory: arbook's aging, aging summary and monthly metrics
(SPEC §2–3) as Ibis expressions run on DuckDB, PostgreSQL or Spark.

``source(engine, data, db=...)`` makes a :class:`Source`; give it to
:func:`arbook.measures.aging.aging`, :func:`~arbook.measures.aging.aging_summary` or
:func:`~arbook.measures.metrics.monthly_metrics` in place of a ledger, or pass ``engine=`` with
a ledger. See :mod:`arbook.engines.backends`.
"""

from arbook.engines.backends import ENGINES, Source, check_engine, source

__all__ = ["ENGINES", "Source", "check_engine", "source"]
