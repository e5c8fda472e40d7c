"""The tool catalog over HTTP, against the real telemetry-svc on the frozen sample pack
(2024 Hungary Q with car telemetry, 2018 Azerbaijan R for the race tools)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from pitwall_shared.contracts.ask import ToolResult

from .upstream import Services, running_services

pytestmark = pytest.mark.asyncio(loop_scope="module")

HUNGARY = {"year": 2024, "event": "Hungary", "session": "Q"}
BAKU = {"year": 2018, "event": "Azerbaijan", "session": "R"}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(telemetry_data_dir: Path, module_database: str) -> AsyncIterator[Services]:
    async with running_services(telemetry_data_dir, module_database,
                                openai_api_key=None) as running:
        yield running


async def call(services: Services, name: str, **arguments: Any) -> ToolResult:
    response = await services.analysis.post(f"/api/v1/analysis/tools/{name}", json=arguments)
    assert response.status_code == 200, response.text
    return ToolResult.model_validate(response.json())


async def test_catalog_lists_every_tool_with_its_schema(services: Services) -> None:
    response = await services.analysis.get("/api/v1/analysis/tools")
    assert response.status_code == 200
    tools = {t["name"]: t for t in response.json()["tools"]}
    assert {"schedule", "session_info", "results", "laps", "compare_laps", "race_pace",
            "race_trace", "strategy", "session_summary", "fastest_laps", "chart"} <= set(tools)
    laps = tools["laps"]["input_schema"]
    assert set(laps["required"]) == {"year", "event", "session"}
    assert laps["properties"]["limit"]["maximum"] == 200


async def test_session_info_lists_the_drivers_telemetry_svc_has(services: Services) -> None:
    result = await call(services, "session_info", **HUNGARY)
    info = (await services.telemetry.get("/api/v1/telemetry/sessions/2024/Hungary/Q")).json()
    assert [d["driver"] for d in result.content["drivers"]] == [
        d["abbreviation"] for d in info["drivers"]]
    assert result.content["has_telemetry"] is True
    assert result.link == "/sessions/2024/Hungary/Q"
    assert "20 drivers" in result.summary


async def test_laps_filters_and_caps_rows(services: Services) -> None:
    table = (await services.telemetry.get(
        "/api/v1/telemetry/sessions/2018/Azerbaijan/R/laps")).json()["laps"]
    vettel = [n for d, n in zip(table["driver"], table["lap_number"], strict=True)
              if d == "VET" and 10 <= n <= 20]
    result = await call(services, "laps", **BAKU, drivers=["vet"], lap_from=10, lap_to=20)
    assert [r["lap_number"] for r in result.content["rows"]] == sorted(vettel)
    assert result.content["truncated"] is False
    everything = await call(services, "laps", **BAKU, limit=200)
    assert len(everything.content["rows"]) == 200
    assert everything.content["truncated"] is True
    assert everything.content["count"] == len(table["driver"])


async def test_fastest_only_gives_each_drivers_best_lap(services: Services) -> None:
    result = await call(services, "laps", **HUNGARY, drivers=["NOR", "PIA"], fastest_only=True)
    rows = result.content["rows"]
    assert [r["driver"] for r in rows] and len(rows) == 2
    assert rows[0]["lap_time_s"] <= rows[1]["lap_time_s"]
    fastest = await call(services, "fastest_laps", **HUNGARY)
    by_driver = {lap["driver"]: lap["lap_time_s"] for lap in fastest.content["laps"]["rows"]}
    assert {r["driver"]: r["lap_time_s"] for r in rows} == {
        d: by_driver[d] for d in ("NOR", "PIA")}


async def test_compare_laps_matches_the_analysis_route_and_links_the_compare_page(
        services: Services) -> None:
    result = await call(services, "compare_laps", **HUNGARY, driver_a="nor", driver_b="PIA")
    route = (await services.analysis.get(
        "/api/v1/analysis/sessions/2024/Hungary/Q/lap-comparison",
        params={"driver_a": "NOR", "driver_b": "PIA"})).json()["facts"]
    assert result.content["lap_time_delta_s"] == route["lap_time_delta_s"]
    assert result.content["corners"] == route["corners"]
    assert "definitions" not in result.content
    assert result.link == "/sessions/2024/Hungary/Q/compare?a=NOR&la=fastest&b=PIA&lb=fastest"
    assert route["lap_time_delta_s"] in result.numbers


async def test_race_tools_on_baku(services: Services) -> None:
    pace = await call(services, "race_pace", **BAKU, drivers=["VET", "HAM"])
    assert set(pace.content["drivers"]) == {"VET", "HAM"}
    trace = await call(services, "race_trace", **BAKU, drivers=["VET"], every=10)
    laps = [r["lap_number"] for r in trace.content["trace"]["rows"]]
    assert laps == [10, 20, 30, 40, 50, 51]
    strategy = await call(services, "strategy", **BAKU, drivers=["HAM"])
    assert {s["driver"] for s in strategy.content["stints"]["rows"]} == {"HAM"}
    assert all("clean_lap_time_s" not in s for s in strategy.content["stints"]["rows"])
    assert strategy.content["pit_stops"]["rows"]


async def test_chart_gives_the_report_route_and_checks_drivers(services: Services) -> None:
    result = await call(services, "chart", **HUNGARY, chart="speed-trace",
                        drivers=["NOR", "PIA"])
    assert result.chart_url == (
        "/api/v1/charts/sessions/2024/Hungary/Q/speed-trace.png?drivers=NOR,PIA")
    response = await services.analysis.post("/api/v1/analysis/tools/chart", json={
        **HUNGARY, "chart": "delta", "drivers": ["NOR"]})
    assert response.status_code == 422
    assert "delta takes 2 to 2 drivers" in response.json()["detail"]


async def test_bad_arguments_are_clear_problems(services: Services) -> None:
    response = await services.analysis.post("/api/v1/analysis/tools/laps",
                                            json={**HUNGARY, "session": "QQ", "colour": 1})
    assert response.status_code == 422
    body = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    locations = {e["location"] for e in body["errors"]}
    assert locations == {"session", "colour"}
    assert "'FP1'" in body["detail"] and "'R'" in body["detail"]
    unknown = await services.analysis.post("/api/v1/analysis/tools/compare_laps",
                                           json={**HUNGARY, "driver_a": "XYZ", "driver_b": "NOR"})
    assert unknown.status_code == 404
    assert "NOR" in unknown.json()["valid_values"]
    missing = await services.analysis.post("/api/v1/analysis/tools/nope", json={})
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("unknown-tool")
    assert "compare_laps" in missing.json()["valid_values"]


async def test_tools_need_a_token(services: Services) -> None:
    response = await services.analysis.get("/api/v1/analysis/tools",
                                           headers={"Authorization": ""})
    assert response.status_code == 401


async def test_schedule_and_results_come_from_telemetry_svc(services: Services) -> None:
    schedule = await call(services, "schedule", year=2024)
    events = (await services.telemetry.get("/api/v1/telemetry/seasons/2024/schedule")).json()
    assert [e["event"] for e in schedule.content["events"]] == [e["event_name"] for e in events]
    assert "R" in schedule.content["events"][0]["sessions"]
    results = await call(services, "results", **BAKU)
    rows = results.content["rows"]
    assert [r["position"] for r in rows] == sorted(r["position"] for r in rows)
    assert results.summary.startswith(f"2018 Azerbaijan Grand Prix Race: {rows[0]['abbreviation']}")
    summary = await call(services, "session_summary", **BAKU)
    assert summary.content["results"]["rows"][0]["driver"] == rows[0]["abbreviation"]


async def test_race_tools_refuse_a_qualifying_session(services: Services) -> None:
    response = await services.analysis.post("/api/v1/analysis/tools/race_trace", json=HUNGARY)
    assert response.status_code == 422
    assert response.json()["type"].endswith("wrong-session-type")


async def test_laps_by_compound_and_unknown_driver(services: Services) -> None:
    table = (await services.telemetry.get(
        "/api/v1/telemetry/sessions/2018/Azerbaijan/R/laps")).json()["laps"]
    expected = sum(1 for d, c in zip(table["driver"], table["compound"], strict=True)
                   if d == "HAM" and c == "SUPERSOFT")
    result = await call(services, "laps", **BAKU, drivers=["HAM"], compound="SUPERSOFT",
                        limit=200)
    assert expected and len(result.content["rows"]) == expected
    assert {r["compound"] for r in result.content["rows"]} == {"SUPERSOFT"}
    unknown = await services.analysis.post("/api/v1/analysis/tools/laps",
                                           json={**BAKU, "drivers": ["XYZ"]})
    assert unknown.status_code == 404
    assert "VET" in unknown.json()["valid_values"]
