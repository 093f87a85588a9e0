"""Work in progress (issue 5): being written."""
