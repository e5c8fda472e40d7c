"""The rule-based answerer's reading of a question: its shape and the drivers it names,
resolved against a session's drivers (as telemetry-svc lists them)."""

from __future__ import annotations

import pytest

from pitwall_analysis.ask.questions import parse, resolve_drivers
from pitwall_shared.contracts.telemetry import Driver

ROSTER = [Driver(abbreviation="PER", number="11", full_name="Sergio Pérez"),
          Driver(abbreviation="HAM", number="44", full_name="Lewis Hamilton"),
          Driver(abbreviation="VER", number="1", full_name="Max Verstappen"),
          Driver(abbreviation="NOR", number="4", full_name="Lando Norris")]


@pytest.mark.parametrize("question, drivers", [
    ("How did the pace fade per stint?", ()),          # "per" is a word, not Perez
    ("How did PER's pace fade per stint?", ("PER",)),
    ("what did perez's pit stops cost", ("PER",)),      # accents and case ignored
    ("Compare #44 and car 1", ("HAM", "VER")),
    ("Norris vs Hamilton", ("NOR", "HAM")),             # in the order named
    ("Who was fastest in sector 1?", ()),               # a sector is not car 1
])
def test_drivers_by_code_name_or_number(question: str, drivers: tuple[str, ...]) -> None:
    assert resolve_drivers(question, ROSTER) == drivers


@pytest.mark.parametrize("question, shape, sector", [
    ("Who was fastest?", "fastest", None),
    ("Who set the quickest lap", "fastest", None),
    ("Who was fastest in sector 2?", "fastest_sector", 2),
    ("fastest in the third sector", "fastest_sector", 3),
    ("Compare VER and HAM", "compare", None),
    ("VER or HAM, who was faster?", "compare", None),
    ("What did VER's pit stops cost?", "pit_stops", None),
    ("Who gained the most places?", "places_gained", None),
    ("How did HAM's pace fade per stint?", "stint_fade", None),
    ("What was the weather like?", "unknown", None),
])
def test_question_shapes(question: str, shape: str, sector: int | None) -> None:
    parsed = parse(question, ROSTER)
    assert (parsed.shape, parsed.sector) == (shape, sector)


def test_the_page_drivers_fill_in_when_the_question_names_none() -> None:
    assert parse("compare them", ROSTER, ["ver", "nor"]).drivers == ("VER", "NOR")
    assert parse("compare HAM and them", ROSTER, ["VER"]).drivers == ("HAM",)
    assert parse("compare them", ROSTER, ["XYZ"]).drivers == ()
