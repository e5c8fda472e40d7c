"""Fetch what a chart needs from telemetry-svc and shape it into ``ChartData``."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from pitwall_report.rendering.chart_data import (
    ChartData,
    ChartKind,
    ColourBy,
    CornerMark,
    DriverLap,
)
from pitwall_report.services.upstreams import AnalysisApi, SessionKey, TelemetryApi
from pitwall_shared.contracts.telemetry import Circuit, LapComparison, LapTelemetry, SessionInfo
from pitwall_shared.problem_types import (
    QUALIFYING_SESSION_CODES,
    RACE_SESSION_CODES,
    unknown_driver,
    wrong_session_type,
)
from pitwall_shared.problems import ProblemError

LAP_KINDS: tuple[ChartKind, ...] = ("speed-trace", "delta", "inputs", "track-map")
# Kept for the report builders, which branch on the same session codes.
RACE_SESSIONS = RACE_SESSION_CODES
RACE_KINDS: tuple[ChartKind, ...] = (
    "race-trace", "positions", "race-pace", "team-pace", "degradation")
QUALIFYING_KINDS: tuple[ChartKind, ...] = ("quali-gaps",)
# The channels each lap chart draws from. A report's chart task carries only these: the
# laps' other channels would be pickled to a render worker for nothing.
LAP_CHART_CHANNELS: dict[ChartKind, tuple[str, ...]] = {
    "speed-trace": ("distance", "speed"),
    "delta": ("distance",),
    "inputs": ("distance", "throttle", "brake"),
    "track-map": ("distance", "x", "y", "speed", "gear"),
}
ANY_SESSION_KINDS: tuple[ChartKind, ...] = (*LAP_KINDS, "lap-times", "tyre-strategy")
MAX_TRACE_DRIVERS = 6
MAX_DEGRADATION_DRIVERS = 6
TITLES: dict[ChartKind, str] = {
    "speed-trace": "Speed trace",
    "delta": "Delta time",
    "inputs": "Throttle and brake",
    "track-map": "Track map",
    "lap-times": "Lap times by compound",
    "tyre-strategy": "Tyre strategy",
    "positions": "Race positions",
    "race-pace": "Race pace: clean laps per driver",
    "team-pace": "Team pace ranking",
    "degradation": "Tyre degradation",
    "race-trace": "Race trace: gap to the leader",
    "quali-gaps": "Qualifying: gap to pole",
}


def charts_for(session: str) -> list[ChartKind]:
    """The chart kinds that apply to a session type."""
    code = session.upper()
    extra = RACE_KINDS if code in RACE_SESSION_CODES else (
        QUALIFYING_KINDS if code in QUALIFYING_SESSION_CODES else ())
    return [*ANY_SESSION_KINDS, *extra]


def _check_session_type(query: ChartQuery) -> None:
    code = query.key.session.upper()
    applies_to = (RACE_SESSION_CODES if query.kind in RACE_KINDS
                  else QUALIFYING_SESSION_CODES if query.kind in QUALIFYING_KINDS else None)
    if applies_to is not None and code not in applies_to:
        key = query.key
        raise wrong_session_type(f"The {query.kind} chart", code,
                                 f"{key.year} {key.event} {key.session}", applies_to,
                                 charts_for(code))


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


def lap_for_chart(lap: DriverLap, kind: ChartKind) -> DriverLap:
    """The lap with only the channels a chart of ``kind`` reads."""
    keep = LAP_CHART_CHANNELS[kind]
    return replace(lap, channels={name: lap.channels[name] for name in keep
                                  if name in lap.channels})


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
    if query.kind == "degradation" and count > MAX_DEGRADATION_DRIVERS:
        raise ProblemError(422, f"At most {MAX_DEGRADATION_DRIVERS} drivers fit on one "
                           "degradation chart.", slug="validation-error")
    _check_session_type(query)


def check_drivers(query: ChartQuery, info: SessionInfo) -> None:
    known = [driver.abbreviation for driver in info.drivers]
    unknown = [code for code in query.drivers if code not in set(known)]
    if unknown:
        raise unknown_driver(unknown, known, session_label(info))


def _comparison_delta(comparison: LapComparison) -> dict[str, list[float]]:
    return {"delta_distance": comparison.distance, "delta_s": comparison.delta_s,
            "sector_boundaries_m": comparison.sector_boundaries_m}


async def _session_chart_data(
    api: TelemetryApi, analysis: AnalysisApi, query: ChartQuery, token: str,
    info: SessionInfo,
) -> ChartData:
    """Whole-session charts: race-weekend facts from analysis-svc, else the lap table."""
    key, kind = query.key, query.kind
    title = TITLES[kind] + (f" · {', '.join(query.drivers)}" if query.drivers else "")
    subtitle = session_label(info)
    base = ChartData(kind, title, subtitle, drivers=query.drivers,
                     team_colours=team_colours(info), session_label=subtitle,
                     year=info.session.year)
    is_race = key.session.upper() in RACE_SESSION_CODES
    if kind in ("race-trace", "positions"):
        return replace(base, race_trace=(await analysis.race_trace(key, token)).facts)
    if kind in ("race-pace", "team-pace"):
        return replace(base, pace=(await analysis.pace_distribution(key, token)).facts)
    if kind == "degradation" or (kind == "tyre-strategy" and is_race):
        return replace(base, strategy=(await analysis.strategy(key, token)).facts)
    if kind == "quali-gaps":
        return replace(base, qualifying=(await analysis.qualifying_overview(key, token)).facts)
    return replace(base, lap_table=(await api.laps(key, token)).laps)


async def build_chart_data(
    api: TelemetryApi, analysis: AnalysisApi, query: ChartQuery, token: str
) -> ChartData:
    check_query(query)
    key = query.key
    laps = query.laps or ["fastest"] * len(query.drivers)
    pairs = list(zip(query.drivers, laps, strict=True))
    info = await api.session_info(key, token)
    check_drivers(query, info)
    if query.kind not in LAP_KINDS:
        return await _session_chart_data(api, analysis, query, token, info)
    subtitle = session_label(info)
    title = TITLES[query.kind]
    colours = team_colours(info)

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
