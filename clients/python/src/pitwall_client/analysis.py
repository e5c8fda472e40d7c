"""Every analysis (facts + insights) and the tables some of them export.

Facts are the typed pydantic models of ``pitwall_shared.contracts`` when that package is
importable (the Pitwall workspace, or any environment with pitwall-shared installed); the
client does not depend on it, so a plain install gets the same JSON as dicts.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pandas as pd

from pitwall_client.calls import (
    ANALYSIS,
    SessionRead,
    get,
    joined,
    read_table,
    reading,
    session_params,
)
from pitwall_client.endpoint import endpoint
from pitwall_client.flows import Call
from pitwall_client.frames import Names, PaceTable, StrategyTable


@dataclass
class Analysis:
    """One analysis: ``facts`` computed by Pitwall and ``insights`` written from them."""

    kind: str
    session: dict[str, Any]
    facts: Any  # a pitwall_shared.contracts model when available, else the JSON dict
    narrative: dict[str, Any]
    raw: dict[str, Any] = field(repr=False)

    @property
    def insights(self) -> list[str]:
        return [insight["text"] for insight in self.narrative.get("insights", [])]


def _typed_facts(body: dict[str, Any]) -> Any:
    try:
        from pydantic import TypeAdapter

        from pitwall_shared.contracts.analysis import TypedAnalysisResponse
    except ImportError:
        return body["facts"]
    return TypeAdapter(TypedAnalysisResponse).validate_python(body).facts


@reading("kind", "session", "facts", "insights")
def read_analysis(response: httpx.Response) -> Analysis:
    body = response.json()
    return Analysis(kind=body["kind"], session=body["session"], facts=_typed_facts(body),
                    narrative=body["insights"], raw=body)


def _read_csv(response: httpx.Response) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(response.content))


def _table_call(route: str, year: int, event: str, session: str, table: str | None,
                names: Names) -> Call[pd.DataFrame]:
    """An analysis's table. Under Pitwall's names the API sends a table only as CSV (its JSON
    is then the analysis itself), so that is what is asked for."""
    if names == "pitwall":
        return get(ANALYSIS + route, _read_csv, session_params(year, event, session),
                   table=table, format="csv")
    return get(ANALYSIS + route, read_table("rows", names), session_params(year, event, session),
               table=table, names=names)


def _session_analysis(route: str, doc: str) -> SessionRead[Analysis]:
    def describe(client: Any, /, year: int, event: str, session: str) -> Call[Analysis]:
        return get(ANALYSIS + route, read_analysis, session_params(year, event, session))

    describe.__doc__ = doc
    return describe


class AnalysisEndpoints:
    @endpoint
    def lap_comparison(self, year: int, event: str, session: str, driver_a: str, driver_b: str,
                       *, lap_a: int | str = "fastest",
                       lap_b: int | str = "fastest") -> Call[Analysis]:
        """Where one lap gains on the other: sectors, corners, speeds, driving shares."""
        return get(ANALYSIS + "/lap-comparison", read_analysis,
                   session_params(year, event, session), driver_a=driver_a,
                   driver_b=driver_b, lap_a=lap_a, lap_b=lap_b)

    @endpoint
    def race_pace(self, year: int, event: str, session: str,
                  drivers: str | Iterable[str]) -> Call[Analysis]:
        """Clean-lap pace, stints, degradation and pit losses per driver."""
        return get(ANALYSIS + "/race-pace", read_analysis,
                   session_params(year, event, session), drivers=joined(drivers))

    # the analyses that take only the session
    summary = endpoint(_session_analysis(
        "/summary", "Results and gaps, fastest laps, tyre usage, weather, race-control events."))
    fastest_laps = endpoint(_session_analysis(
        "/fastest-laps", "Fastest lap per driver with lap and sector deltas, ideal lap."))
    race_trace = endpoint(_session_analysis(
        "/race-trace", "Position and gap to the leader per driver and lap (race or sprint)."))
    strategy = endpoint(_session_analysis(
        "/strategy", "Stints with degradation fits, pit stops with their cost (race or sprint)."))
    pace_distribution = endpoint(_session_analysis(
        "/pace-distribution", "Clean-lap quantiles per driver and team (race or sprint)."))
    qualifying_overview = endpoint(_session_analysis(
        "/qualifying-overview", "Gap to pole, best time per segment, cut-offs, ideal laps."))

    # -- the analyses' tables, as the web app's CSV downloads hold them ---------------------

    @endpoint
    def race_trace_table(self, year: int, event: str, session: str,
                         names: Names = "fastf1") -> Call[pd.DataFrame]:
        """Gap to the leader and position per driver and lap."""
        return _table_call("/race-trace", year, event, session, None, names)

    @endpoint
    def strategy_table(self, year: int, event: str, session: str,
                       table: StrategyTable = "stints",
                       names: Names = "fastf1") -> Call[pd.DataFrame]:
        """Stints, or every pit stop with its measured cost."""
        return _table_call("/strategy", year, event, session, table, names)

    @endpoint
    def pace_table(self, year: int, event: str, session: str, table: PaceTable = "drivers",
                   names: Names = "fastf1") -> Call[pd.DataFrame]:
        """Clean-lap pace by driver or team, or every clean lap."""
        return _table_call("/pace-distribution", year, event, session, table, names)

    @endpoint
    def qualifying_table(self, year: int, event: str, session: str,
                         names: Names = "fastf1") -> Call[pd.DataFrame]:
        """Each driver's best time per segment and gap to pole."""
        return _table_call("/qualifying-overview", year, event, session, None, names)
