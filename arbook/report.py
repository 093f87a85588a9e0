"""Run the monthly review notebook with papermill (work in progress: being written)."""
