"""Measures (SPEC §2–4): aging and the receivable's totals, the monthly metrics (DSO, CEI, roll
rates, allowance), payment behaviour and the carrying cost, and what a ledger without its history
cannot give (history). Read a ledger; import only the core."""
