"""What the rule-based answerer understands: a question's shape and the drivers it names.

Drivers are resolved against the session's own drivers: a three-letter code written in
capitals (``PER``, so the word "per" is not Perez), a surname or full name in any case and
with or without accents, or a car number written as ``#11``, ``car 11`` or ``number 11``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pitwall_shared.contracts.telemetry import Driver

Shape = Literal["fastest", "fastest_sector", "compare", "pit_stops", "places_gained",
                "stint_fade", "unknown"]

SHAPES: dict[str, str] = {
    "fastest": "Who was fastest? (the session's fastest lap and the gaps behind it)",
    "fastest_sector": "Who was fastest in sector 1, 2 or 3?",
    "compare": "Compare NOR and PIA (their fastest laps: lap time, sectors, where each "
               "gained)",
    "pit_stops": "What did VER's pit stops cost? (race or sprint)",
    "places_gained": "Who gained the most places? (grid to finish, race or sprint)",
    "stint_fade": "How did HAM's pace fade per stint? (degradation per stint, race or sprint)",
}

_SECTOR = re.compile(r"\bsector\s*([123])\b|\bs([123])\b|\b(first|second|third)\s+sector\b")
_ORDINALS = {"first": 1, "second": 2, "third": 3}
_CAR_NUMBER = re.compile(r"(?:#|\bcar\s+|\bnumber\s+|\bno\.?\s*)(\d{1,2})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Question:
    shape: Shape
    drivers: tuple[str, ...] = ()
    sector: int | None = None


def _plain(text: str) -> str:
    """Lower case without accents, so 'Pérez' and 'perez' are the same name."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _mentions(question: str, drivers: Sequence[Driver]) -> list[tuple[int, str]]:
    plain = _plain(question)
    found: list[tuple[int, str]] = []
    for driver in drivers:
        code = driver.abbreviation
        names = [n for n in {_plain(driver.full_name),
                             _plain(driver.full_name.split()[-1]) if driver.full_name else ""}
                 if len(n) >= 3]
        spots = [m.start() for m in re.finditer(rf"\b{re.escape(code)}\b", question)]
        spots += [m.start() for name in names
                  for m in re.finditer(rf"\b{re.escape(name)}\b", plain)]
        spots += [m.start() for m in _CAR_NUMBER.finditer(question)
                  if driver.number and m.group(1) == driver.number]
        if spots:
            found.append((min(spots), code))
    return found


def resolve_drivers(question: str, drivers: Sequence[Driver]) -> tuple[str, ...]:
    """The session's drivers the question names, in the order it names them."""
    return tuple(code for _, code in sorted(_mentions(question, drivers)))


def _has(text: str, words: Iterable[str]) -> bool:
    return any(word in text for word in words)


def _sector(text: str) -> int | None:
    match = _SECTOR.search(text)
    if match is None:
        return None
    number, short, ordinal = match.groups()
    return int(number or short) if (number or short) else _ORDINALS[ordinal]


def _shape(text: str, named: int) -> Shape:
    if _has(text, ("compare", " vs", "versus")) or (named >= 2 and _has(
            text, ("against", "difference", "faster than", "slower than", " or "))):
        return "compare"
    if "pit" in text and _has(text, ("stop", "cost", "lose", "lost", "time")):
        return "pit_stops"
    if _has(text, ("gain", "made up", "moved up", "climb")) and _has(
            text, ("place", "position", "spot")):
        return "places_gained"
    if _has(text, ("fade", "degrad", "drop off", "drop-off", "tyre wear", "tire wear",
                   "per stint", "each stint", "stint")):
        return "stint_fade"
    if _has(text, ("fastest", "quickest", "best lap", "best time", "pole", "top time")):
        return "fastest_sector" if _sector(text) else "fastest"
    # Two drivers and nothing else asked of them: "NOR and PIA?"
    return "compare" if named >= 2 else "unknown"


def parse(question: str, drivers: Sequence[Driver],
          context_drivers: Sequence[str] = ()) -> Question:
    """The question's shape and drivers; drivers the page has chosen fill in when the
    question names none (e.g. "compare them" on a page with two drivers selected)."""
    named = resolve_drivers(question, drivers)
    known = {d.abbreviation for d in drivers}
    chosen = named or tuple(d.upper() for d in context_drivers if d.upper() in known)
    text = " " + _plain(question) + " "
    shape = _shape(text, len(chosen))
    return Question(shape=shape, drivers=chosen,
                    sector=_sector(text) if shape == "fastest_sector" else None)
