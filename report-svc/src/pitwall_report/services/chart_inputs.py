"""Fetch what a chart needs from telemetry-svc and shape it into ``ChartData``."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from pitwall_report.rendering.chart_data import (
    ChartData,
    ChartKind,
    ColourBy,
    CornerMark,
    DriverLap,
)
from pitwall_report.services.upstreams import SessionKey, TelemetryApi
from pitwall_shared.contracts.telemetry import Circuit, LapComparison, LapTelemetry, SessionInfo
from pitwall_shared.problems import ProblemError

LAP_KINDS: tuple[ChartKind, ...] = ("speed-trace", "delta", "inputs", "track-map")
RACE_SESSIONS = ("R", "S")
MAX_TRACE_DRIVERS = 6
TITLES: dict[ChartKind, str] = {
    "speed-trace": "Speed trace",
    "delta": "Delta time",
    "inputs": "Throttle and brake",
    "track-map": "Track map",
    "lap-times": "Lap times by compound",
    "tyre-strategy": "Tyre strategy",
    "positions": "Race positions",
}


@dataclass(frozen=True)
class ChartQuery:
    kind: ChartKind
    key: SessionKey
    drivers: list[str]
    laps: list[str]
    colour_by: ColourBy = "speed"


def session_label(info: SessionInfo) -> str:
    ref = info.session
    return f"{ref.year} {ref.event_name} · {ref.session_name}"


def team_colours(info: SessionInfo) -> dict[str, str]:
    return {d.abbreviation: d.team_colour for d in info.drivers if d.team_colour}


def corner_marks(circuit: Circuit) -> list[CornerMark]:
    return [CornerMark(f"T{c.number}{c.letter}", c.distance_m, c.x, c.y)
            for c in sorted(circuit.corners, key=lambda c: c.distance_m)]


def driver_lap(telemetry: LapTelemetry) -> DriverLap:
    return DriverLap(telemetry.lap.driver, telemetry.lap.lap_number, telemetry.lap.lap_time_s,
                     dict(telemetry.channels))


def check_query(query: ChartQuery) -> None:
    """Reject what cannot be drawn before any upstream call."""
    count = len(query.drivers)
    if query.kind in LAP_KINDS and count == 0:
        raise ProblemError(422, f"A {query.kind} chart needs drivers, e.g. drivers=NOR,PIA.",
                           slug="validation-error")
    if query.kind in ("speed-trace", "inputs") and count > MAX_TRACE_DRIVERS:
        raise ProblemError(422, f"At most {MAX_TRACE_DRIVERS} drivers fit on one trace.",
                           slug="validation-error")
    needs_two = query.kind == "delta" or (
        query.kind == "track-map" and query.colour_by == "delta")
    if needs_two and count != 2:
        raise ProblemError(422, "Delta time compares exactly two drivers, e.g. drivers=NOR,PIA.",
                           slug="validation-error")
    if query.kind == "track-map" and query.colour_by != "delta" and count != 1:
        raise ProblemError(422, "A track map coloured by speed or gear shows one driver's lap.",
                           slug="validation-error")
    if query.laps and len(query.laps) != count:
        raise ProblemError(422, "Give one lap per driver (laps=fastest,17) or none.",
                           slug="validation-error")
    if query.kind == "positions" and query.key.session.upper() not in RACE_SESSIONS:
        raise ProblemError(422, "Lap-by-lap positions exist only for races and sprints (R, S).",
                           slug="chart-not-drawable")


def _comparison_delta(comparison: LapComparison) -> dict[str, list[float]]:
    return {"delta_distance": comparison.distance, "delta_s": comparison.delta_s,
            "sector_boundaries_m": comparison.sector_boundaries_m}


async def build_chart_data(api: TelemetryApi, query: ChartQuery, token: str) -> ChartData:
    check_query(query)
    key = query.key
    laps = query.laps or ["fastest"] * len(query.drivers)
    pairs = list(zip(query.drivers, laps, strict=True))
    info = await api.session_info(key, token)
    subtitle = session_label(info)
    title = TITLES[query.kind]
    colours = team_colours(info)
    if query.kind not in LAP_KINDS:
        table = await api.laps(key, token)
        drivers = query.drivers
        if drivers:
            title = f"{title} · {', '.join(drivers)}"
        return ChartData(query.kind, title, subtitle, lap_table=table.laps, drivers=drivers,
                         team_colours=colours, session_label=subtitle,
                         year=info.session.year)

    wants_delta = query.kind == "delta" or (
        query.kind == "speed-trace" and len(pairs) == 2) or query.colour_by == "delta"
    async def comparison() -> LapComparison | None:
        return await api.compare(key, pairs[0], pairs[1], token) if wants_delta else None

    circuit, telemetry, compared = await asyncio.gather(
        api.circuit(key, token),
        asyncio.gather(*(api.lap_telemetry(key, driver, lap, token) for driver, lap in pairs)),
        comparison(),
    )
    lap_data = [driver_lap(t) for t in telemetry]
    delta = _comparison_delta(compared) if compared else {}
    title = f"{title} · {' vs '.join(lap.driver for lap in lap_data)}"
    if query.kind == "track-map":
        title = f"{TITLES['track-map']} by {query.colour_by} · " + " vs ".join(
            lap.driver for lap in lap_data)
    return ChartData(
        query.kind, title, subtitle, laps=lap_data, corners=corner_marks(circuit),
        rotation_deg=circuit.rotation_deg, colour_by=query.colour_by, team_colours=colours,
        session_label=subtitle, **delta,  # type: ignore[arg-type]
    )
