"""CSV and FastF1-named exports of the race-weekend tables, read back with the csv module and
pandas and compared with the JSON facts of the same analysis."""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson
import pandas as pd
import pytest

from .upstream import Services

pytestmark = pytest.mark.asyncio(loop_scope="module")

BAKU = "/api/v1/analysis/sessions/2018/Azerbaijan/R"
SPAIN = "/api/v1/analysis/sessions/2024/Spain/Q"


@pytest.fixture(scope="module")
def services(deterministic_services: Services) -> Services:
    return deterministic_services


async def download(services: Services, path: str, **params: str) -> list[dict[str, str]]:
    response = await services.analysis.get(path, params={"format": "csv", **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert response.headers["content-disposition"].endswith('.csv"')
    return list(csv.DictReader(io.StringIO(response.text)))


async def facts(services: Services, path: str) -> dict[str, Any]:
    response = await services.analysis.get(path)
    assert response.status_code == 200, response.text
    return response.json()["facts"]  # type: ignore[no-any-return]


async def test_race_trace_csv_holds_every_row(services: Services) -> None:
    trace = (await facts(services, f"{BAKU}/race-trace"))["trace"]
    rows = await download(services, f"{BAKU}/race-trace")
    assert len(rows) == len(trace["driver"]) == 841
    assert [r["driver"] for r in rows] == trace["driver"]
    assert [float(r["gap_to_leader_s"]) if r["gap_to_leader_s"] else None for r in rows] == \
        trace["gap_to_leader_s"]
    named = await download(services, f"{BAKU}/race-trace", names="fastf1")
    assert list(named[0])[:4] == ["Driver", "LapNumber", "Position", "GapToLeader"]
    gaps = [pd.Timedelta(r["GapToLeader"]).total_seconds() if r["GapToLeader"] else None
            for r in named]
    assert gaps == pytest.approx(trace["gap_to_leader_s"], abs=1e-6)


async def test_strategy_tables(services: Services) -> None:
    strategy = await facts(services, f"{BAKU}/strategy")
    stops = await download(services, f"{BAKU}/strategy", table="pit-stops")
    assert len(stops) == len(strategy["pit_stops"])
    ham = next(r for r in stops if r["driver"] == "HAM" and r["in_lap"] == "40")
    assert ham["time_loss_s"] == "" and "too few" in ham["note"]
    stints = await download(services, f"{BAKU}/strategy", table="stints", names="fastf1")
    assert len(stints) == len(strategy["stints"])
    assert {"Driver", "Stint", "Compound", "FirstLapNumber", "DegradationSecondsPerLap"} <= set(
        stints[0])
    response = await services.analysis.get(f"{BAKU}/strategy",
                                           params={"table": "pit-stops", "names": "fastf1"})
    table = response.json()
    assert table["count"] == len(strategy["pit_stops"]) and "TimeLoss" in table["rows"]
    assert table["rows"]["LapNumber"] == [s["in_lap"] for s in strategy["pit_stops"]]


async def test_pace_tables(services: Services) -> None:
    pace = await facts(services, f"{BAKU}/pace-distribution")
    drivers = await download(services, f"{BAKU}/pace-distribution")
    assert [r["driver"] for r in drivers] == [d["driver"] for d in pace["drivers"]]
    ham = next(d for d in pace["drivers"] if d["driver"] == "HAM")
    assert float(next(r for r in drivers if r["driver"] == "HAM")["median_s"]) == \
        ham["quantiles"]["median_s"]
    teams = await download(services, f"{BAKU}/pace-distribution", table="teams")
    assert [r["team"] for r in teams] == [t["team"] for t in pace["teams"]]
    laps = await download(services, f"{BAKU}/pace-distribution", table="laps", names="fastf1")
    assert len(laps) == sum(d["clean_laps"] for d in pace["drivers"])
    assert set(laps[0]) == {"Driver", "Team", "LapNumber", "LapTime", "Compound"}
    pd.to_timedelta([r["LapTime"] for r in laps])  # FastF1's Timedelta strings read back


async def test_qualifying_csv_and_bad_table(services: Services) -> None:
    overview = await facts(services, f"{SPAIN}/qualifying-overview")
    rows = await download(services, f"{SPAIN}/qualifying-overview", names="fastf1")
    assert [r["Abbreviation"] for r in rows] == [d["driver"] for d in overview["drivers"]]
    assert pd.Timedelta(rows[0]["Q3"]).total_seconds() == pytest.approx(
        overview["pole_time_s"], abs=1e-6)
    bad = await services.analysis.get(f"{BAKU}/strategy", params={"table": "wheels"})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    wrong = await services.analysis.get(f"{SPAIN}/race-trace", params={"format": "csv"})
    assert wrong.status_code == 422 and wrong.json()["type"].endswith("/wrong-session-type")


async def test_narrative_stream_of_a_race_weekend_analysis(services: Services) -> None:
    response = await services.analysis.get(f"{BAKU}/narrative-stream",
                                           params={"analysis": "strategy"})
    assert response.status_code == 200
    blocks = response.text.strip().split("\n\n")
    events = [block.split("\n")[0].removeprefix("event: ") for block in blocks]
    assert events[0] == "facts" and events[-2:] == ["narrative", "done"]
    assert events.count("insight") >= 3
    first = orjson.loads(blocks[0].split("\ndata: ", 1)[1])
    assert first["kind"] == "strategy"
    assert first["facts"] == await facts(services, f"{BAKU}/strategy")
