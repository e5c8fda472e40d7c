"""The rule-based answerer: a documented set of question shapes answered from the same
tools the model uses, with fixed sentences (no model involved). Other questions get an
answer listing what it can do."""

from __future__ import annotations

import re
from typing import Any

from pitwall_analysis.ask import rule_shapes
from pitwall_analysis.ask.questions import SHAPES, Question, parse
from pitwall_analysis.ask.toolbox import ToolBox
from pitwall_shared.contracts.ask import AskContext
from pitwall_shared.contracts.telemetry import Driver

_CODE_LIKE = re.compile(r"\b[A-Z]{3}\b")
# Capitalised words a question may hold that are not drivers.
_NOT_DRIVERS = {"DRS", "VSC", "DNF", "FIA", "RPM", "KPH", "MPH"}


def capabilities() -> str:
    return "I can answer: " + "; ".join(SHAPES.values()) + "."


def _roster(content: dict[str, Any]) -> list[Driver]:
    return [Driver(abbreviation=d["driver"], number=str(d.get("number") or ""),
                   full_name=d.get("name") or "", team=d.get("team") or "")
            for d in content.get("drivers", [])]


def _unknown_codes(question: str, roster: list[Driver]) -> list[str]:
    known = {d.abbreviation for d in roster}
    return sorted({c for c in _CODE_LIKE.findall(question) if c not in known | _NOT_DRIVERS})


def _needs_drivers(question: str, roster: list[Driver], count: int) -> str:
    unknown = _unknown_codes(question, roster)
    asked = f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not in this session. " \
        if unknown else ""
    codes = ", ".join(d.abbreviation for d in roster)
    return (f"{asked}Name {'two drivers' if count == 2 else 'a driver'} of this session "
            f"(code, surname or car number): {codes}.")


async def answer(question: str, context: AskContext | None, box: ToolBox) -> str:
    if context is None:
        return ("Open a session (or send its year, event and session as the context) and ask "
                "again. " + capabilities())
    session = {"year": context.year, "event": context.event, "session": context.session}
    info = await box.call("session_info", session)
    if isinstance(info, str):
        return f"I could not read the session: {info}"
    roster = _roster(info.content)
    parsed = parse(question, roster, context.drivers or ())
    if parsed.shape == "unknown":
        return "The rule-based answerer does not understand that question. " + capabilities()
    if parsed.shape == "compare" and len(parsed.drivers) < 2:
        return _needs_drivers(question, roster, 2)
    if parsed.shape == "stint_fade" and not parsed.drivers:
        return _needs_drivers(question, roster, 1)
    return await _shape_answer(parsed, box, session, roster)


async def _shape_answer(parsed: Question, box: ToolBox, session: dict[str, Any],
                        roster: list[Driver]) -> str:
    if parsed.shape == "fastest":
        return await rule_shapes.fastest(box, session, parsed)
    if parsed.shape == "fastest_sector":
        return await rule_shapes.fastest_sector(box, session, parsed,
                                                [d.abbreviation for d in roster])
    if parsed.shape == "compare":
        return await rule_shapes.compare(box, session, parsed)
    if parsed.shape == "pit_stops":
        return await rule_shapes.pit_stops(box, session, parsed)
    if parsed.shape == "places_gained":
        return await rule_shapes.places_gained(box, session, parsed)
    return await rule_shapes.stint_fade(box, session, parsed)
