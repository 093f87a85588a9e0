"""Work in progress (issue 6): being written."""
