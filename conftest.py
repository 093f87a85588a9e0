"""Where pytest collects: nbval runs the notebooks of arbook/notebooks/ top to bottom, except the
two whose users run them another way and whose suite runs them that way, once: the dashboard is
served by Voilà (tests/test_browser.py) and the monthly review is executed by `arbook review`
(the ``sample_report`` fixture of tests/conftest.py)."""

collect_ignore = ["arbook/notebooks/dashboard.ipynb", "arbook/notebooks/monthly_review.ipynb"]
