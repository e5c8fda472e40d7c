"""Analyses as typed facts plus tables, charts as bytes, and a PDF report end to end."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pitwall_client import AsyncPitwall, NotFound, Pitwall
from pitwall_shared.contracts.facts import LapComparisonFacts, RacePaceFacts
from pitwall_shared.contracts.race import QualifyingOverviewFacts, StrategyFacts

Account = Any  # tests/conftest.py's Account: email, password, url


def test_lap_comparison_is_typed(pitwall: Pitwall) -> None:
    analysis = pitwall.lap_comparison(2024, "Hungary", "Q", "NOR", "PIA")
    assert analysis.kind == "lap_comparison"
    assert isinstance(analysis.facts, LapComparisonFacts)
    assert analysis.facts.a.driver == "NOR" and analysis.facts.a.lap_time_s == 75.227
    assert analysis.insights[0].startswith("NOR's lap 17 (75.227 s) beat PIA's lap 18")


def test_race_analyses_and_their_tables(pitwall: Pitwall) -> None:
    pace = pitwall.race_pace(2018, "Azerbaijan", "R", ["HAM", "VET"])
    assert isinstance(pace.facts, RacePaceFacts)
    assert pace.facts.race_laps == 51
    strategy = pitwall.strategy(2018, "Azerbaijan", "R")
    assert isinstance(strategy.facts, StrategyFacts)
    stints = pitwall.strategy_table(2018, "Azerbaijan", "R", "stints")
    assert "HAM" in set(stints["Driver"]) and len(stints) >= 20
    trace = pitwall.race_trace_table(2018, "Azerbaijan", "R", names="pitwall")
    ham = trace[trace["driver"] == "HAM"]
    assert ham["lap_number"].tolist() == list(range(1, 52))
    assert ham["gap_to_leader_s"].iloc[0] == 1.852
    trace_fastf1 = pitwall.race_trace_table(2018, "Azerbaijan", "R")
    assert trace_fastf1["Interval"].iloc[0] == pd.Timedelta(seconds=1.852)
    drivers = pitwall.pace_table(2018, "Azerbaijan", "R", "drivers")
    assert drivers["Driver"].iloc[0] == "HAM"
    assert pd.api.types.is_timedelta64_dtype(drivers["MeanLapTime"])
    kinds = {getattr(pitwall, name)(2018, "Azerbaijan", "R").kind
             for name in ("summary", "fastest_laps", "race_trace", "pace_distribution")}
    assert kinds == {"session_summary", "fastest_laps", "race_trace", "pace_distribution"}


def test_qualifying_overview(pitwall: Pitwall) -> None:
    overview = pitwall.qualifying_overview(2024, "Hungary", "Q")
    assert isinstance(overview.facts, QualifyingOverviewFacts)
    table = pitwall.qualifying_table(2024, "Hungary", "Q")
    assert isinstance(table, pd.DataFrame) and len(table) == 20


def test_chart_bytes(pitwall: Pitwall) -> None:
    png = pitwall.chart(2024, "Hungary", "Q", "speed-trace", drivers=["NOR", "PIA"])
    assert png.startswith(b"\x89PNG")
    svg = pitwall.chart(2024, "Hungary", "Q", "speed-trace", fmt="svg", drivers="NOR,PIA")
    assert b"<svg" in svg[:500]


def test_report_created_waited_and_downloaded(pitwall: Pitwall, tmp_path: Path) -> None:
    job = pitwall.create_report(2024, "Hungary", "Q", ["NOR", "PIA"])
    assert job["status"] in ("queued", "running")
    done = pitwall.wait_report(job["id"], timeout_s=240, progress=True)
    assert done["status"] == "succeeded" and done["page_count"] >= 1
    target = tmp_path / "report.pdf"
    body = pitwall.download_report(job["id"], target)
    assert body.startswith(b"%PDF") and target.read_bytes() == body
    assert any(item["id"] == job["id"] for item in pitwall.reports()["items"])
    pitwall.delete_report(job["id"])
    with pytest.raises(NotFound):
        pitwall.report(job["id"])


def test_async_client_runs_the_same_endpoints(account: Account) -> None:
    async def scenario() -> tuple[pd.DataFrame, pd.DataFrame, str]:
        async with AsyncPitwall(account.url, email=account.email,
                                password=account.password) as client:
            laps, car = await asyncio.gather(
                client.laps(2024, "Hungary", "Q", driver="PIA"),
                client.lap_telemetry(2024, "Hungary", "Q", "PIA", "fastest", points=100))
            analysis = await client.lap_comparison(2024, "Hungary", "Q", "NOR", "PIA")
            return laps, car, analysis.insights[0]

    laps, car, first_insight = asyncio.run(scenario())
    assert laps["LapTime"].iloc[0] == pd.Timedelta("0 days 00:01:15.249")
    assert len(car) == 100 and "nGear" in car.columns
    assert "beat PIA" in first_insight
