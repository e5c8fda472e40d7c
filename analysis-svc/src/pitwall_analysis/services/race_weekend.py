"""Race-weekend analyses: fetch the session from telemetry-svc and compute typed facts."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

from pitwall_analysis.facts.pace_distribution import pace_distribution
from pitwall_analysis.facts.qualifying import qualifying_overview
from pitwall_analysis.facts.race_laps import RaceLaps, finishing_order, index_laps
from pitwall_analysis.facts.race_trace import race_trace
from pitwall_analysis.facts.strategy import strategy
from pitwall_analysis.services.telemetry_source import SessionKey, TelemetrySource
from pitwall_shared.contracts.race import (
    PaceDistributionFacts,
    QualifyingOverviewFacts,
    RaceTraceFacts,
    StrategyFacts,
)
from pitwall_shared.contracts.telemetry import LapTable, SessionInfo
from pitwall_shared.problem_types import (
    QUALIFYING_SESSION_CODES,
    RACE_SESSION_CODES,
    wrong_session_type,
)
from pitwall_shared.problems import ProblemError

RACE_ANALYSES = ("race-trace", "strategy", "pace-distribution", "race-pace")
QUALIFYING_ANALYSES = ("qualifying-overview",)
ANY_SESSION_ANALYSES = ("summary", "fastest-laps", "lap-comparison")
ANALYSIS_LABELS = {
    "race-trace": "The race trace", "strategy": "The strategy analysis",
    "pace-distribution": "The pace distribution", "race-pace": "Race pace",
    "qualifying-overview": "The qualifying overview",
}


def applicable_analyses(session_code: str) -> list[str]:
    if session_code in RACE_SESSION_CODES:
        return [*RACE_ANALYSES, *ANY_SESSION_ANALYSES]
    if session_code in QUALIFYING_SESSION_CODES:
        return [*QUALIFYING_ANALYSES, *ANY_SESSION_ANALYSES]
    return list(ANY_SESSION_ANALYSES)


def require_session_type(analysis: str, info: SessionInfo) -> None:
    """422 wrong-session-type unless ``analysis`` applies to this session's type."""
    code = info.session.session
    codes = QUALIFYING_SESSION_CODES if analysis in QUALIFYING_ANALYSES else RACE_SESSION_CODES
    if code not in codes:
        label = f"{info.session.year} {info.session.event_name} {info.session.session_name}"
        raise wrong_session_type(ANALYSIS_LABELS[analysis], code, label, codes,
                                 applicable_analyses(code))


def session_dict(info: SessionInfo) -> dict[str, Any]:
    return info.session.model_dump(mode="json")


async def _race(source: TelemetrySource, key: SessionKey,
                analysis: str) -> tuple[SessionInfo, RaceLaps]:
    info, laps = await asyncio.gather(source.session_info(key), source.laps(key))
    require_session_type(analysis, info)
    _require_laps(laps, key)
    return info, index_laps(laps.laps)


def _require_laps(laps: LapTable, key: SessionKey) -> None:
    if not laps.count:
        raise ProblemError(422, f"{key.describe()} has no lap times to analyse.",
                           slug="laps-unavailable", missing=["laps"])


async def race_trace_facts(source: TelemetrySource,
                           key: SessionKey) -> tuple[dict[str, Any], RaceTraceFacts]:
    info, race = await _race(source, key, "race-trace")
    return session_dict(info), race_trace(race, finishing_order(info), info.results)


async def strategy_facts(source: TelemetrySource,
                         key: SessionKey) -> tuple[dict[str, Any], StrategyFacts]:
    info, race = await _race(source, key, "strategy")
    return session_dict(info), strategy(race, finishing_order(info))


async def pace_distribution_facts(
    source: TelemetrySource, key: SessionKey,
) -> tuple[dict[str, Any], PaceDistributionFacts]:
    info, race = await _race(source, key, "pace-distribution")
    return session_dict(info), pace_distribution(race, finishing_order(info))


async def qualifying_overview_facts(
    source: TelemetrySource, key: SessionKey,
) -> tuple[dict[str, Any], QualifyingOverviewFacts]:
    info, laps = await asyncio.gather(source.session_info(key), source.laps(key))
    require_session_type("qualifying-overview", info)
    facts = qualifying_overview(info.session.session, finishing_order(info), info.results,
                                laps.laps)
    return session_dict(info), facts


FACTS: dict[str, Callable[[TelemetrySource, SessionKey],
                          Awaitable[tuple[dict[str, Any], BaseModel]]]] = {
    "race-trace": race_trace_facts, "strategy": strategy_facts,
    "pace-distribution": pace_distribution_facts,
    "qualifying-overview": qualifying_overview_facts,
}
