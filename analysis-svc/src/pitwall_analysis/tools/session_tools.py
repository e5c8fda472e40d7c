"""Tools over a session's own tables: the schedule, session info, results and laps."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from pitwall_analysis.facts.laps import rows
from pitwall_analysis.services.race_weekend import applicable_analyses
from pitwall_analysis.tools.base import (
    MAX_ROWS,
    Answer,
    DriverCode,
    SessionArgs,
    ToolContext,
    ToolInput,
    capped,
    session_path,
)
from pitwall_shared.contracts.telemetry import SessionInfo

LAP_FIELDS = ("driver", "lap_number", "lap_time_s", "sector1_s", "sector2_s", "sector3_s",
              "compound", "tyre_life", "stint", "pit_in", "pit_out", "track_status", "position",
              "deleted")
RESULT_FIELDS = ("position", "classified_position", "abbreviation", "team", "grid", "status",
                 "points", "q1_s", "q2_s", "q3_s", "time_s", "laps")
Compound = Literal["SOFT", "MEDIUM", "HARD", "INTERMEDIATE", "WET", "HYPERSOFT", "ULTRASOFT",
                   "SUPERSOFT", "UNKNOWN", "TEST_UNKNOWN"]


def label(info: SessionInfo) -> str:
    return f"{info.session.year} {info.session.event_name} {info.session.session_name}"


class ScheduleArgs(ToolInput):
    year: int = Field(ge=2018, le=2100, examples=[2024])


async def schedule(args: ScheduleArgs, ctx: ToolContext) -> Answer:
    events = await ctx.source.schedule(args.year)
    content = {"year": args.year, "events": [
        {"round": e.round, "event": e.event_name, "country": e.country,
         "date": e.event_date.date().isoformat() if e.event_date else None,
         "sessions": [s.get("code") for s in e.sessions]} for e in events]}
    return Answer(content, f"The {args.year} season has {len(events)} events.", "/")


async def session_info(args: SessionArgs, ctx: ToolContext) -> Answer:
    info = await ctx.source.session_info(args.key)
    content = {
        "session": info.session.model_dump(mode="json"),
        "drivers": [{"driver": d.abbreviation, "number": d.number, "name": d.full_name,
                     "team": d.team} for d in info.drivers],
        "has_telemetry": info.has_telemetry, "missing": info.missing, "notes": info.notes,
        "analyses": applicable_analyses(info.session.session),
    }
    return Answer(content, f"{label(info)}: {len(info.drivers)} drivers, car telemetry "
                  f"{'available' if info.has_telemetry else 'not available'}.",
                  session_path(args.key))


async def results(args: SessionArgs, ctx: ToolContext) -> Answer:
    info = await ctx.source.session_info(args.key)
    ordered = sorted(rows(info.results), key=lambda row: row.get("position") or 999)
    table = [{k: row.get(k) for k in RESULT_FIELDS if k in row} for row in ordered]
    first = table[0].get("abbreviation") if table else None
    summary = (f"{label(info)}: {first} classified first of {len(table)}." if first
               else f"{label(info)} has no results.")
    return Answer(capped(table), summary, session_path(args.key))


class LapsArgs(SessionArgs):
    drivers: list[DriverCode] = Field(default_factory=list, max_length=20,
                                      description="Only these drivers (default all)")
    lap_from: int | None = Field(None, ge=1, le=200)
    lap_to: int | None = Field(None, ge=1, le=200)
    compound: Compound | None = None
    fastest_only: bool = Field(False, description="Each driver's fastest lap only")
    limit: int = Field(50, ge=1, le=MAX_ROWS, description="At most this many rows")

    @model_validator(mode="after")
    def _range(self) -> LapsArgs:
        self.drivers = [d.upper() for d in self.drivers]
        if self.lap_from and self.lap_to and self.lap_from > self.lap_to:
            raise ValueError("lap_from must not be after lap_to")
        return self


def _matching(columns: dict[str, list[Any]], args: LapsArgs) -> list[int]:
    """Row indexes that pass the filters, read column-wise (a race has ~1,000 laps)."""
    drivers, numbers = columns.get("driver", []), columns.get("lap_number", [])
    compounds = columns.get("compound") or [None] * len(drivers)
    low, high = args.lap_from or 0, args.lap_to or 10_000
    wanted = set(args.drivers)
    return [i for i, (driver, lap, compound) in enumerate(zip(drivers, numbers, compounds,
                                                               strict=True))
            if (not wanted or driver in wanted) and low <= (lap or 0) <= high
            and (args.compound is None or compound == args.compound)]


def _fastest_each(selected: list[dict[str, Any]]) -> list[dict[str, Any]]:
    best: dict[str, dict[str, Any]] = {}
    for row in selected:
        time, driver = row.get("lap_time_s"), row.get("driver")
        if time is not None and (driver not in best or time < best[driver]["lap_time_s"]):
            best[str(driver)] = row
    return sorted(best.values(), key=lambda r: r["lap_time_s"])


async def laps(args: LapsArgs, ctx: ToolContext) -> Answer:
    # One request: telemetry-svc filters drivers and compound (and names unknown drivers).
    table = await ctx.source.laps(args.key, drivers=args.drivers, compound=args.compound)
    columns = table.laps
    present = [k for k in LAP_FIELDS if k in columns]
    selected = [{k: columns[k][i] for k in present} for i in _matching(columns, args)]
    if args.fastest_only:
        selected = _fastest_each(selected)
    content = capped(selected, args.limit)
    who = ", ".join(args.drivers) or "all drivers"
    ref = table.session
    summary = (f"{ref.year} {ref.event_name} {ref.session_name}: {len(selected)} laps for {who}"
               f"{' (fastest each)' if args.fastest_only else ''}"
               f"{f', first {args.limit} shown' if content['truncated'] else ''}.")
    return Answer(content, summary, session_path(args.key))
