"""Tools over the race-weekend analyses: race trace and strategy (races and sprints)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from pitwall_analysis.facts.laps import rows as column_rows
from pitwall_analysis.services import race_weekend
from pitwall_analysis.services.facts_memo import MemoEntry, memoized
from pitwall_analysis.tools.base import (
    Answer,
    DriverCode,
    SessionArgs,
    ToolContext,
    capped,
    check_drivers,
    session_path,
)

# Per-lap point lists of the degradation fit: the web app plots them, an answer needs the fit.
STINT_POINT_LISTS = {"clean_tyre_age", "clean_lap_time_s"}


class RaceArgs(SessionArgs):
    drivers: list[DriverCode] = Field(default_factory=list, max_length=20,
                                      description="Only these drivers (default all)")

    @model_validator(mode="after")
    def _unique_upper(self) -> RaceArgs:
        self.drivers = list(dict.fromkeys(d.upper() for d in self.drivers))
        return self


async def _facts(name: str, args: RaceArgs, ctx: ToolContext) -> MemoEntry:
    entry = await memoized(ctx.memo, ctx.source, args.key, name, (),
                           lambda: race_weekend.FACTS[name](ctx.source, args.key))
    s = entry.session
    check_drivers((d["driver"] for d in entry.facts["drivers"]), args.drivers,
                  f"{s.get('year')} {s.get('event_name')} {s.get('session_name')}")
    return entry


def _mine(items: list[dict[str, Any]], drivers: list[str]) -> list[dict[str, Any]]:
    return [item for item in items if not drivers or item.get("driver") in drivers]


class RaceTraceArgs(RaceArgs):
    every: int = Field(1, ge=1, le=20, description="Every n-th lap of the trace (the last lap "
                       "always included)")


async def race_trace(args: RaceTraceArgs, ctx: ToolContext) -> Answer:
    entry = await _facts("race-trace", args, ctx)
    facts, total = entry.facts, entry.facts["total_laps"]
    trace = [row for row in _mine(column_rows(facts["trace"]), args.drivers)
             if row["lap_number"] % args.every == 0 or row["lap_number"] == total]
    drivers = _mine(facts["drivers"], args.drivers)
    content = {"total_laps": total, "drivers": drivers, "trace": capped(trace),
               "neutralisations": facts["neutralisations"], "notes": facts["notes"]}
    leader = facts["drivers"][0]["driver"] if facts["drivers"] else "nobody"
    summary = (f"{total} laps, {leader} finished first, {len(facts['neutralisations'])} "
               "neutralised periods.")
    return Answer(content, summary, session_path(args.key))


async def strategy(args: RaceArgs, ctx: ToolContext) -> Answer:
    entry = await _facts("strategy", args, ctx)
    facts = entry.facts
    stints = [{k: v for k, v in stint.items() if k not in STINT_POINT_LISTS}
              for stint in _mine(facts["stints"], args.drivers)]
    stops = _mine(facts["pit_stops"], args.drivers)
    battles = [b for b in facts["battles"] if not args.drivers
               or {b["first_to_pit"], b["other"]} & set(args.drivers)]
    content = {"total_laps": facts["total_laps"], "stints": capped(stints),
               "pit_stops": capped(stops), "battles": capped(battles),
               "neutralisations": facts["neutralisations"]}
    costs = [s["time_loss_s"] for s in stops if s.get("time_loss_s") is not None]
    cost = f", median time loss {sorted(costs)[len(costs) // 2]:.1f} s" if costs else ""
    summary = f"{len(stints)} stints and {len(stops)} pit stops{cost}."
    return Answer(content, summary, session_path(args.key))
