"""Fetch what each analysis needs from telemetry-svc and compute its facts."""

from __future__ import annotations

import asyncio
from typing import Any

from pitwall_analysis.facts.fastest_laps import fastest_laps
from pitwall_analysis.facts.lap_comparison import CornerMark, compare_laps
from pitwall_analysis.facts.laps import rows
from pitwall_analysis.facts.race_pace import race_pace
from pitwall_analysis.facts.summary import session_summary
from pitwall_analysis.facts.traces import trace_from_contract
from pitwall_analysis.services import race_weekend
from pitwall_analysis.services.race_weekend import require_session_type, session_dict
from pitwall_analysis.services.telemetry_source import SessionKey, TelemetrySource
from pitwall_shared.contracts.telemetry import LapTable, SessionInfo
from pitwall_shared.problem_types import unknown_driver
from pitwall_shared.problems import ProblemError

MAX_PACE_DRIVERS = 10
TRAP_COLUMNS = ("speed_i1", "speed_i2", "speed_fl", "speed_st")

Facts = tuple[dict[str, Any], dict[str, Any]]


def _check_drivers(info: SessionInfo, drivers: list[str]) -> None:
    known = [d.abbreviation for d in info.drivers]
    unknown = [d for d in drivers if d not in known]
    if unknown:
        raise unknown_driver(unknown, known, f"{info.session.year} {info.session.event_name} "
                             f"{info.session.session_name}")


def lap_param(value: str) -> str:
    if value == "fastest" or (value.isdigit() and 0 < int(value) < 200):
        return value
    raise ProblemError(422, f"Lap must be 'fastest' or a lap number, not '{value}'.",
                       slug="invalid-lap")


def _speed_traps(table: LapTable, driver: str, lap_number: int) -> dict[str, float | None]:
    for row in rows(table.laps):
        if row.get("driver") == driver and row.get("lap_number") == lap_number:
            return {key: row.get(key) for key in TRAP_COLUMNS}
    return {}


async def lap_comparison(source: TelemetrySource, key: SessionKey, driver_a: str,
                         driver_b: str, lap_a: str, lap_b: str) -> Facts:
    lap_a, lap_b = lap_param(lap_a), lap_param(lap_b)
    info = await source.session_info(key)
    _check_drivers(info, [driver_a, driver_b])
    if not info.has_telemetry:
        raise ProblemError(
            422, f"{info.session.event_name} {info.session.session_name} has lap times but no "
            "car telemetry (speed, throttle, brake, gear, DRS samples) or position data, which "
            "a lap comparison needs. The fastest-laps and summary analyses work without it.",
            slug="telemetry-unavailable",
            missing=sorted({"car_telemetry", "position_data", *info.missing}))
    tel_a, tel_b, circuit, laps = await asyncio.gather(
        source.lap_telemetry(key, driver_a, lap_a),
        source.lap_telemetry(key, driver_b, lap_b),
        source.circuit(key),
        source.laps(key),
    )
    trace_a, trace_b = trace_from_contract(tel_a), trace_from_contract(tel_b)
    for trace in (trace_a, trace_b):
        if trace.distance.size < 10:
            raise ProblemError(
                422, f"{trace.driver}'s lap {trace.lap_number} has too few telemetry samples "
                f"({trace.distance.size}) with distance, time and speed to compare.",
                slug="telemetry-incomplete", missing=["car_telemetry"])
    corners = [CornerMark(c.number, c.letter, c.distance_m)
               for c in (circuit.corners if circuit else [])]
    traps = {trace_a.driver: _speed_traps(laps, trace_a.driver, trace_a.lap_number),
             trace_b.driver: _speed_traps(laps, trace_b.driver, trace_b.lap_number)}
    facts = compare_laps(trace_a, trace_b, corners, speed_traps=traps,
                         track_length_m=circuit.track_length_m if circuit else None)
    if not corners:
        facts["missing"] = ["circuit_corners"]
        facts["notes"] = ["The session has no corner positions, so there are no per-corner "
                          "facts; sectors, speeds and the lap delta are complete."]
    return session_dict(info), facts


def pace_drivers(drivers: list[str]) -> list[str]:
    drivers = list(dict.fromkeys(drivers))  # repeated names count once, order kept
    if not drivers or len(drivers) > MAX_PACE_DRIVERS:
        raise ProblemError(422, f"Name 1 to {MAX_PACE_DRIVERS} drivers, e.g. drivers=VER,HAM.",
                           slug="validation-error")
    return drivers


async def race_pace_facts(source: TelemetrySource, key: SessionKey, drivers: list[str]) -> Facts:
    drivers = pace_drivers(drivers)
    info = await source.session_info(key)
    require_session_type("race-pace", info)
    _check_drivers(info, drivers)
    laps = await source.laps(key)
    facts = race_pace(laps.laps, drivers)
    return session_dict(info), facts


async def fastest_laps_facts(source: TelemetrySource, key: SessionKey) -> Facts:
    info, laps = await asyncio.gather(source.session_info(key), source.laps(key))
    if not laps.count:
        raise ProblemError(422, f"{key.describe()} has no lap times to rank.",
                           slug="laps-unavailable", missing=["laps"])
    return session_dict(info), fastest_laps(laps.laps)


async def summary_facts(source: TelemetrySource, key: SessionKey) -> Facts:
    info, laps, weather, race_control = await asyncio.gather(
        source.session_info(key), source.laps(key),
        source.optional_table(key, "weather"), source.optional_table(key, "race-control"),
    )
    facts = session_summary(info.session.session, info.results, laps.laps,
                            weather.rows if weather else {},
                            race_control.rows if race_control else {})
    missing = [name for name, table in (("weather", weather), ("race_control", race_control))
               if table is None or not table.count]
    if missing:
        facts["missing"] = missing
    return session_dict(info), facts


def _require(value: str | None, name: str) -> str:
    if not value:
        raise ProblemError(422, f"This analysis needs the '{name}' query parameter.",
                           slug="validation-error")
    return value.upper()


async def compute(
    name: str, source: TelemetrySource, key: SessionKey, *, driver_a: str | None = None,
    driver_b: str | None = None, lap_a: str = "fastest", lap_b: str = "fastest",
    drivers: str | None = None,
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Run an analysis by its route name; returns (kind, session, facts)."""
    if name == "lap-comparison":
        session, facts = await lap_comparison(
            source, key, _require(driver_a, "driver_a"), _require(driver_b, "driver_b"),
            lap_a, lap_b)
        return "lap_comparison", session, facts
    if name == "race-pace":
        names = [d.strip().upper() for d in _require(drivers, "drivers").split(",") if d.strip()]
        session, facts = await race_pace_facts(source, key, names)
        return "race_pace", session, facts
    if name == "summary":
        return "session_summary", *await summary_facts(source, key)
    if name in race_weekend.FACTS:
        session, typed = await race_weekend.FACTS[name](source, key)
        return name.replace("-", "_"), session, typed.model_dump(mode="json")
    return "fastest_laps", *await fastest_laps_facts(source, key)
