"""One answer per question shape, written from tool results with fixed sentences.

Times are printed with three decimals as the tools give them; a tool that refuses (a race-
only tool on a qualifying session, a lap comparison without car telemetry) is reported in
the answer with its reason.
"""

from __future__ import annotations

from math import ceil
from typing import Any

from pitwall_analysis.ask.questions import Question
from pitwall_analysis.ask.toolbox import ToolBox
from pitwall_analysis.tools.base import MAX_ROWS

Args = dict[str, Any]


def _s(value: float) -> str:
    return f"{value:.3f}"


def _rows(content: Any, key: str | None = None) -> list[dict[str, Any]]:
    table = content.get(key) if key else content
    return list(table.get("rows", [])) if isinstance(table, dict) else []


async def fastest(box: ToolBox, session: Args, question: Question) -> str:
    result = await box.call("fastest_laps", session)
    if isinstance(result, str):
        return f"I could not rank the laps: {result}"
    laps = [lap for lap in _rows(result.content, "laps") if lap.get("lap_time_s") is not None]
    if not laps:
        return "This session has no timed laps to rank."
    top = laps[0]
    behind = ", ".join(f"{lap['driver']} +{_s(lap['gap_to_fastest_s'])} s" for lap in laps[1:3]
                       if lap.get("gap_to_fastest_s") is not None)
    text = (f"{top['driver']} set the fastest lap: {_s(top['lap_time_s'])} s on lap "
            f"{top['lap_number']}.")
    return f"{text} Next: {behind}." if behind else text


async def _all_laps(box: ToolBox, session: Args, drivers: list[str]) -> list[dict[str, Any]] | str:
    """Every lap of the drivers, in as few calls as the tool's row cap allows."""
    first = await box.call("laps", {**session, "limit": MAX_ROWS})
    if isinstance(first, str):
        return first
    if not first.content.get("truncated"):
        return _rows(first.content)
    per_driver = first.content["count"] / max(len(drivers), 1)
    size = max(1, int(MAX_ROWS // (per_driver * 1.5)))
    laps: list[dict[str, Any]] = []
    for index in range(ceil(len(drivers) / size)):
        group = drivers[index * size:(index + 1) * size]
        result = await box.call("laps", {**session, "drivers": group, "limit": MAX_ROWS})
        if isinstance(result, str):
            return result
        laps += _rows(result.content)
    return laps


async def fastest_sector(box: ToolBox, session: Args, question: Question,
                         drivers: list[str]) -> str:
    sector = question.sector or 1
    laps = await _all_laps(box, session, drivers)
    if isinstance(laps, str):
        return f"I could not read the laps: {laps}"
    column = f"sector{sector}_s"
    best: dict[str, dict[str, Any]] = {}
    for lap in laps:
        time, driver = lap.get(column), lap.get("driver")
        if time is None or lap.get("deleted") or driver is None:
            continue
        if driver not in best or time < best[driver][column]:
            best[driver] = lap
    ranked = sorted(best.values(), key=lambda lap: lap[column])
    if not ranked:
        return f"No lap of this session has a sector {sector} time."
    top = ranked[0]
    others = ", ".join(f"{lap['driver']} {_s(lap[column])} s" for lap in ranked[1:3])
    text = (f"Fastest in sector {sector}: {top['driver']} with {_s(top[column])} s "
            f"(lap {top['lap_number']}), each driver's best sector {sector} over laps that "
            "were not deleted.")
    return f"{text} Next: {others}." if others else text


def _sector_lines(sectors: list[dict[str, Any]], a: str, b: str) -> str:
    parts = []
    for sector in sectors:
        a_s, b_s = sector.get("a_s"), sector.get("b_s")
        if a_s is None or b_s is None:
            continue
        faster = a if a_s < b_s else b
        parts.append(f"sector {sector['sector']} {faster} by {_s(abs(b_s - a_s))} s")
        if a_s == b_s:
            parts[-1] = f"sector {sector['sector']} level"
    return "; ".join(parts)


async def compare(box: ToolBox, session: Args, question: Question) -> str:
    a, b = question.drivers[:2]
    result = await box.call("compare_laps", {**session, "driver_a": a, "driver_b": b})
    if isinstance(result, str):
        return f"I could not compare {a} and {b}: {result}"
    facts = result.content
    side_a, side_b = facts["a"], facts["b"]
    ta, tb = side_a.get("lap_time_s"), side_b.get("lap_time_s")
    text = (f"{a}'s lap {side_a['lap_number']} against {b}'s lap {side_b['lap_number']}")
    if ta is None or tb is None:
        return f"{text}: a lap time is missing, so there is no lap-time gap."
    faster = a if ta < tb else b
    text = (f"{text}: {a} {_s(ta)} s, {b} {_s(tb)} s; {faster} faster by {_s(abs(tb - ta))} s"
            if ta != tb else f"{text}: both {_s(ta)} s")
    sectors = _sector_lines(facts.get("sectors", []), a, b)
    text = f"{text}. By sector: {sectors}." if sectors else f"{text}."
    won = facts.get("won_and_lost", {})
    for side, driver in (("a_gained", a), ("b_gained", b)):
        places = [p for p in won.get(side, []) if p.get("time_delta_s") is not None]
        if places:
            text += (f" {driver} gained most at {places[0]['place']} "
                     f"({_s(abs(places[0]['time_delta_s']))} s).")
    return text


def _stop_line(stop: dict[str, Any]) -> str:
    change = f"{stop.get('compound_before') or '?'} to {stop.get('compound_after') or '?'}"
    loss = stop.get("time_loss_s")
    cost = (f"{_s(loss)} s against cars that stayed out" if loss is not None
            else f"cost not measured ({stop.get('note') or 'too few comparison cars'})")
    return f"lap {stop['in_lap']} ({change}): {cost}"


async def pit_stops(box: ToolBox, session: Args, question: Question) -> str:
    drivers = list(question.drivers[:1])
    result = await box.call("strategy", {**session, "drivers": drivers})
    if isinstance(result, str):
        return f"I could not read the pit stops: {result}"
    stops = _rows(result.content, "pit_stops")
    if not drivers:
        costed = sorted((s for s in stops if s.get("time_loss_s") is not None),
                        key=lambda s: -s["time_loss_s"])[:3]
        if not costed:
            return "No pit stop of this session has a measured cost."
        return "The costliest pit stops: " + "; ".join(
            f"{s['driver']} {_stop_line(s)}" for s in costed) + "."
    who = drivers[0]
    if not stops:
        return f"{who} made no pit stop."
    total = sum(s["time_loss_s"] for s in stops if s.get("time_loss_s") is not None)
    lines = "; ".join(_stop_line(s) for s in stops)
    return (f"{who} made {len(stops)} pit stop{'s' if len(stops) > 1 else ''}: {lines}. "
            f"Measured cost in all: {_s(total)} s (in-lap + out-lap against the median of "
            "cars that pitted on neither lap).")


async def places_gained(box: ToolBox, session: Args, question: Question) -> str:
    result = await box.call("results", session)
    if isinstance(result, str):
        return f"I could not read the results: {result}"
    moves = [(row["grid"] - row["position"], row) for row in _rows(result.content)
             if row.get("grid") and row.get("position")]
    if not moves:
        return ("This session has no starting grid to compare with (places gained is for "
                "races and sprints).")
    moves.sort(key=lambda move: (-move[0], move[1]["position"]))
    gained, top = moves[0]
    if gained <= 0:
        return "Nobody finished ahead of their grid position."
    line = (f"{top['abbreviation']} gained the most places: from grid {int(top['grid'])} to "
            f"P{int(top['position'])}, {int(gained)} places.")
    others = ", ".join(f"{row['abbreviation']} {int(n)} (P{int(row['grid'])} to "
                       f"P{int(row['position'])})" for n, row in moves[1:3] if n > 0)
    return f"{line} Next: {others}." if others else line


async def stint_fade(box: ToolBox, session: Args, question: Question) -> str:
    who = question.drivers[0]
    result = await box.call("race_pace", {**session, "drivers": [who]})
    if isinstance(result, str):
        return f"I could not read {who}'s race pace: {result}"
    stints = result.content["drivers"][who]["stints"]
    lines = []
    for stint in stints:
        head = (f"stint {stint['stint']} ({stint.get('compound') or '?'}, laps "
                f"{stint['first_lap']}-{stint['last_lap']})")
        slope, fuel = stint.get("degradation_s_per_lap"), stint.get(
            "fuel_corrected_degradation_s_per_lap")
        if slope is None:
            lines.append(f"{head}: {stint['clean_laps']} clean laps, too few for a slope")
        else:
            corrected = f", {fuel:+.3f} s fuel-corrected" if fuel is not None else ""
            lines.append(f"{head}: {slope:+.3f} s per lap of tyre age{corrected} over "
                         f"{stint['clean_laps']} clean laps")
    return (f"{who}'s pace per stint (Theil-Sen slope of clean lap times against tyre age): "
            + "; ".join(lines) + ".")
