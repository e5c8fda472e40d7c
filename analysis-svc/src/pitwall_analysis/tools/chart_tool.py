"""The ``chart`` tool: where report-svc draws a chart of the session, and what it shows.

analysis-svc never calls report-svc; the caller (the MCP server, the web app) fetches the
PNG from the gateway with the user's token."""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from pydantic import Field, model_validator

from pitwall_analysis.tools.base import (
    Answer,
    DriverCode,
    SessionArgs,
    ToolContext,
    check_drivers,
    session_path,
    with_query,
)

# Kept in step with report-svc's chart kinds by the end-to-end MCP test, which draws them.
ChartKind = Literal["speed-trace", "delta", "inputs", "track-map", "lap-times", "tyre-strategy",
                    "positions", "race-pace", "team-pace", "degradation", "race-trace",
                    "quali-gaps"]
CHARTS: dict[str, tuple[str, tuple[int, int]]] = {
    # kind: (what it shows, (fewest, most) drivers)
    "speed-trace": ("speed along the lap with corner markers; two drivers add a delta panel",
                    (1, 6)),
    "delta": ("the gap of the second driver to the first along the lap", (2, 2)),
    "inputs": ("throttle (%) and brake along the lap", (1, 6)),
    "track-map": ("the circuit coloured by speed (one driver) or by who is faster (two)",
                  (1, 2)),
    "lap-times": ("lap time against lap, coloured by compound", (0, 20)),
    "tyre-strategy": ("stints per driver in finishing order with pit stops and SC/VSC",
                      (0, 20)),
    "positions": ("position per lap, the named drivers highlighted", (0, 20)),
    "race-pace": ("a violin of clean lap times per driver in finishing order", (0, 20)),
    "team-pace": ("a box of clean lap times per team, fastest first", (0, 0)),
    "degradation": ("lap time against tyre age with the fitted slope per stint", (0, 6)),
    "race-trace": ("gap to the leader per lap, SC/VSC/red flag shaded", (0, 20)),
    "quali-gaps": ("gap to pole per driver, knockout zones and ideal laps", (0, 20)),
}


class ChartArgs(SessionArgs):
    chart: ChartKind = Field(description="; ".join(f"{k}: {v[0]}" for k, v in CHARTS.items()))
    drivers: list[DriverCode] = Field(default_factory=list, max_length=20)
    laps: list[str] = Field(default_factory=list, max_length=6,
                            description="One lap per driver: 'fastest' or a lap number")

    @model_validator(mode="after")
    def _fits_chart(self) -> ChartArgs:
        self.drivers = [d.upper() for d in self.drivers]
        fewest, most = CHARTS[self.chart][1]
        if not fewest <= len(self.drivers) <= most:
            raise ValueError(f"{self.chart} takes {fewest} to {most} drivers, "
                             f"not {len(self.drivers)}")
        if len(set(self.drivers)) != len(self.drivers):
            raise ValueError("drivers must not repeat")
        bad = [lap for lap in self.laps if lap != "fastest" and not lap.isdigit()]
        if bad or (self.laps and len(self.laps) != len(self.drivers)):
            raise ValueError("laps: one per driver, each 'fastest' or a lap number")
        return self


async def chart(args: ChartArgs, ctx: ToolContext) -> Answer:
    info = await ctx.source.session_info(args.key)
    label = f"{info.session.year} {info.session.event_name} {info.session.session_name}"
    check_drivers((d.abbreviation for d in info.drivers), args.drivers, label)
    key = args.key
    path = (f"/api/v1/charts/sessions/{key.year}/{quote(key.event, safe='')}/"
            f"{quote(key.session, safe='')}/{args.chart}.png")
    url = with_query(path, {"drivers": ",".join(args.drivers), "laps": ",".join(args.laps)})
    who = f" for {', '.join(args.drivers)}" if args.drivers else ""
    description = f"{label}: {CHARTS[args.chart][0]}{who}."
    return Answer({"chart": args.chart, "description": description}, description,
                  session_path(key), chart_url=url)
