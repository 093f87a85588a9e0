"""The morning dashboard served by Voilà: :class:`Dashboard` (``app``), its tabs and parts."""

from arbook.views.dashboard.app import Dashboard

__all__ = ["Dashboard"]
