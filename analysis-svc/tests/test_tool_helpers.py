"""The pieces every tool answer goes through: the grounding numbers and the row cap."""

from __future__ import annotations

import math

from pitwall_analysis.tools.base import MAX_ROWS, capped, numbers_in


def test_numbers_are_every_finite_number_once_in_order() -> None:
    content = {"a": 1, "b": [2.5, {"c": 1.0, "d": True}], "e": (math.nan, math.inf, -3),
               "f": "4", "g": None}
    assert numbers_in(content) == [1.0, 2.5, -3.0]


def test_rows_are_capped_at_the_limit_and_never_above_the_maximum() -> None:
    rows = [{"n": i} for i in range(250)]
    small = capped(rows, 10)
    assert small == {"rows": rows[:10], "count": 250, "truncated": True}
    assert len(capped(rows, 1000)["rows"]) == MAX_ROWS
    assert capped(rows[:3])["truncated"] is False
