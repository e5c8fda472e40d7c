"""Tools over the facts engine: lap comparison, race pace, session summary, fastest laps.

Facts come through the same memo the analysis routes use, so a warm call costs one
conditional request to telemetry-svc."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from pitwall_analysis.services import analyses
from pitwall_analysis.services.facts_memo import Computation, MemoEntry, memoized
from pitwall_analysis.tools.base import (
    Answer,
    DriverCode,
    SessionArgs,
    ToolContext,
    capped,
    session_path,
    with_query,
)


def _lap(value: str | int) -> str:
    text = str(value).strip().lower()
    if text == "fastest" or (text.isdigit() and 0 < int(text) < 200):
        return text
    raise ValueError("a lap is 'fastest' or a lap number from 1 to 199")


def _label(entry: MemoEntry) -> str:
    s = entry.session
    return f"{s.get('year')} {s.get('event_name')} {s.get('session_name')}"


class CompareLapsArgs(SessionArgs):
    driver_a: DriverCode
    driver_b: DriverCode
    lap_a: str | int = Field("fastest", description="'fastest' or a lap number")
    lap_b: str | int = Field("fastest", description="'fastest' or a lap number")

    @field_validator("lap_a", "lap_b")
    @classmethod
    def _lap_choice(cls, value: str | int) -> str:
        return _lap(value)

    @field_validator("driver_a", "driver_b")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


async def compare_laps(args: CompareLapsArgs, ctx: ToolContext) -> Answer:
    a, b, lap_a, lap_b = args.driver_a, args.driver_b, str(args.lap_a), str(args.lap_b)
    entry = await memoized(
        ctx.memo, ctx.source, args.key, "lap_comparison", (a, b, lap_a, lap_b),
        lambda: analyses.lap_comparison(ctx.source, args.key, a, b, lap_a, lap_b))
    facts = {k: v for k, v in entry.facts.items() if k != "definitions"}
    side_a, side_b, delta = facts["a"], facts["b"], facts.get("lap_time_delta_s")
    if delta is None:
        verdict = "no lap-time delta (a lap time is missing)"
    else:
        faster = side_a["driver"] if delta > 0 else side_b["driver"]
        verdict = f"{faster} faster by {abs(delta):.3f} s" if delta else "identical lap times"
    summary = (f"{_label(entry)}: {side_a['driver']} lap {side_a['lap_number']} against "
               f"{side_b['driver']} lap {side_b['lap_number']}, {verdict}.")
    link = with_query(f"{session_path(args.key)}/compare",
                      {"a": a, "la": lap_a, "b": b, "lb": lap_b})
    return Answer(facts, summary, link)


class DriversArgs(SessionArgs):
    drivers: list[DriverCode] = Field(min_length=1, max_length=analyses.MAX_PACE_DRIVERS,
                                      examples=[["VET", "HAM"]])

    @model_validator(mode="after")
    def _unique_upper(self) -> DriversArgs:
        self.drivers = list(dict.fromkeys(d.upper() for d in self.drivers))
        return self


async def race_pace(args: DriversArgs, ctx: ToolContext) -> Answer:
    names = args.drivers
    entry = await memoized(ctx.memo, ctx.source, args.key, "race_pace", tuple(names),
                           lambda: analyses.race_pace_facts(ctx.source, args.key, names))
    facts = {k: v for k, v in entry.facts.items() if k != "rules"}
    medians = [(d, p.get("median_clean_lap_s")) for d, p in facts["drivers"].items()]
    ranked = sorted((m, d) for d, m in medians if m is not None)
    best = f"; best median clean lap {ranked[0][1]} {ranked[0][0]:.3f} s" if ranked else ""
    summary = f"{_label(entry)} race pace for {', '.join(names)}{best}."
    return Answer(facts, summary, session_path(args.key))


async def _with_capped_table(kind: str, table: str, compute: Computation, args: SessionArgs,
                             ctx: ToolContext) -> tuple[str, dict[str, Any], list[Any]]:
    """The memoised facts with their one long list capped; also the label and that list."""
    entry = await memoized(ctx.memo, ctx.source, args.key, kind, (), compute)
    facts: dict[str, Any] = dict(entry.facts)
    rows = list(facts.get(table) or [])
    facts[table] = capped(rows)
    return _label(entry), facts, rows


async def session_summary(args: SessionArgs, ctx: ToolContext) -> Answer:
    label, facts, results = await _with_capped_table(
        "session_summary", "results", lambda: analyses.summary_facts(ctx.source, args.key),
        args, ctx)
    first = results[0].get("driver") if results else None
    summary = f"{label} summary: {first or 'no classified driver'} first."
    return Answer(facts, summary, session_path(args.key))


async def fastest_laps(args: SessionArgs, ctx: ToolContext) -> Answer:
    label, facts, laps = await _with_capped_table(
        "fastest_laps", "laps", lambda: analyses.fastest_laps_facts(ctx.source, args.key),
        args, ctx)
    top = laps[0] if laps else None
    summary = (f"{label}: fastest lap {top['driver']} {top['lap_time_s']:.3f} s "
               f"(lap {top['lap_number']})." if top and top.get("lap_time_s") is not None
               else f"{label}: no timed laps.")
    return Answer(facts, summary, session_path(args.key))
