"""The tool catalog: names, descriptions and input models, and one way to run a tool."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from pitwall_analysis.tools import analysis_tools, chart_tool, race_tools, session_tools
from pitwall_analysis.tools.base import (
    SessionArgs,
    ToolContext,
    ToolInputError,
    ToolSpec,
    UnknownTool,
    result,
)
from pitwall_shared.contracts.ask import ToolDescription, ToolResult

SESSION = "year, event and session code (FP1, FP2, FP3, SQ, SS, Q, S, R) name the session."

_SPECS = [
    ToolSpec("schedule", "The season's events in round order with their session codes.",
             session_tools.ScheduleArgs, session_tools.schedule),
    ToolSpec("session_info", f"A session's drivers (code, number, team), whether it has car "
             f"telemetry, data caveats and the analyses that apply. {SESSION}",
             SessionArgs, session_tools.session_info),
    ToolSpec("results", f"The classification: position, grid, status, points, race time or "
             f"qualifying times. {SESSION}", SessionArgs, session_tools.results),
    ToolSpec("laps", f"Lap times with sectors, compound, tyre life, stint and pit flags, "
             f"filtered by drivers, lap range and compound, or each driver's fastest only; at "
             f"most 200 rows. {SESSION}", session_tools.LapsArgs, session_tools.laps),
    ToolSpec("compare_laps", f"Two laps corner by corner: lap and sector deltas, braking "
             f"points, minimum speeds, where time was won and lost (laps default to each "
             f"driver's fastest). {SESSION}", analysis_tools.CompareLapsArgs,
             analysis_tools.compare_laps),
    ToolSpec("race_pace", f"Races and sprints: per driver clean-lap pace, stints with "
             f"degradation, fuel-corrected pace, consistency and pit-stop cost. {SESSION}",
             analysis_tools.DriversArgs, analysis_tools.race_pace),
    ToolSpec("race_trace", f"Races and sprints: position, gap to the leader and interval per "
             f"driver and lap (every n-th lap), retirements, pit laps and SC/VSC/red-flag "
             f"periods. {SESSION}", race_tools.RaceTraceArgs, race_tools.race_trace),
    ToolSpec("strategy", f"Races and sprints: stints with degradation fits, pit stops with "
             f"their time loss against cars that stayed out and positions through the stop, "
             f"undercut and overcut battles. {SESSION}", race_tools.RaceArgs,
             race_tools.strategy),
    ToolSpec("session_summary", f"Results and gaps, fastest laps, tyre usage, weather trend "
             f"and notable race-control events. {SESSION}", SessionArgs,
             analysis_tools.session_summary),
    ToolSpec("fastest_laps", f"Each driver's fastest lap with lap and sector deltas to the "
             f"session's fastest. {SESSION}", SessionArgs, analysis_tools.fastest_laps),
    ToolSpec("chart", f"A chart of the session as a PNG URL with a description of what it "
             f"shows. {SESSION}", chart_tool.ChartArgs, chart_tool.chart),
]
TOOLS: Mapping[str, ToolSpec] = {spec.name: spec for spec in _SPECS}


def describe_tools() -> list[ToolDescription]:
    return [ToolDescription(name=s.name, description=s.description,
                            input_schema=s.input_schema()) for s in TOOLS.values()]


def validate_arguments(name: str, arguments: Mapping[str, Any]) -> tuple[ToolSpec, Any]:
    """The tool and its validated input; raises UnknownTool or ToolInputError."""
    spec = TOOLS.get(name)
    if spec is None:
        raise UnknownTool(name, TOOLS)
    try:
        return spec, spec.input_model.model_validate(dict(arguments))
    except ValidationError as error:
        raise ToolInputError(name, error) from None


async def run_tool(name: str, arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
    """Validate the arguments, run the tool, wrap its answer. Errors: UnknownTool and
    ToolInputError (both ProblemError), and the ProblemErrors the reads raise (unknown
    driver, wrong session type, a session telemetry-svc does not know)."""
    spec, args = validate_arguments(name, arguments)
    answer = await spec.handler(args, ctx)
    return result(name, args.model_dump(mode="json"), answer)
