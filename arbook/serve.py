"""Serve the dashboard notebook with Voilà (work in progress: the launcher is being written)."""
