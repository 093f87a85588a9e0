"""The dashboard's parts that need no dashboard (:mod:`arbook.views.dashboard.parts`): what a
control sends, read and checked. (The Dashboard driving them is tested in test_app.py.)"""

from __future__ import annotations

import pytest

from arbook.core.errors import ParameterError
from arbook.views.dashboard.parts import (
    MAX_SEARCH,
    check_as_of,
    check_choice,
    check_cost,
    check_search,
    parse_edges,
)


def test_parse_edges_accepts_spaces_and_semicolons():
    assert parse_edges(" 30; 60 ,90 ") == (30, 60, 90)


def test_each_check_gives_the_clean_value_or_a_sentence():
    assert check_cost("12.5") == 0.125 and check_cost(0) == 0.0
    with pytest.raises(ParameterError, match="'ten' is not a number; write 10 for 10%"):
        check_cost("ten")
    with pytest.raises(ParameterError, match="between 0 and 100"):
        check_cost(101)
    assert check_search("  acme ") == "acme"
    with pytest.raises(ParameterError, match=f"{MAX_SEARCH + 1} characters long; at most"):
        check_search("x" * (MAX_SEARCH + 1))
    assert check_choice("due", ("due", "invoice"), "basis") == "due"
    with pytest.raises(ParameterError, match="basis 'paid' is not one of the choices"):
        check_choice("paid", ("due", "invoice"), "basis")
    ends = ["2026-10-31", "2026-09-30"]  # newest first, as the dropdown lists them
    assert check_as_of(" 2026-09-30 ", ends) == "2026-09-30"
    with pytest.raises(ParameterError, match="pick one from 2026-09-30 to 2026-10-31"):
        check_as_of("2026-10-15", ends)
