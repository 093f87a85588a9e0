"""The core (SPEC §1): errors and issue codes, exact money, dates, files, the policy and the
ladder, parsing and validating a client's files into a :class:`~arbook.core.ledger.Ledger`.
Imports nothing else of arbook."""
