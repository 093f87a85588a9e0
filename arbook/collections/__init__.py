"""Collections (SPEC §7): the ladder and where a customer stands on it, the one chase ranking,
the daily worklist, the contact log and its promises, the month's collection activity, and the
customer documents (statements and ladder letters, the outbox). The names the old
``arbook.collections`` module held are here too."""

from arbook.collections.ranking import chase_ranking, positions
from arbook.collections.worklist import (
    previous_working_day,
    work_day,
    worklist,
    worklist_changes,
    write_worklist,
)

__all__ = [
    "chase_ranking",
    "positions",
    "previous_working_day",
    "work_day",
    "worklist",
    "worklist_changes",
    "write_worklist",
]
