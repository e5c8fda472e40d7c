"""analysis-svc over the real telemetry-svc on 2024 Hungary qualifying: facts checked
against values computed here from telemetry-svc's laps table and recorded samples."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest
import pytest_asyncio

from pitwall_analysis.narrative.grounding import ground
from pitwall_shared.contracts.analysis import AnalysisResponse, Insight

from .upstream import Services, running_services

pytestmark = pytest.mark.asyncio(loop_scope="module")

ANALYSIS = "/api/v1/analysis/sessions/2024/Hungary/Q"
TELEMETRY = "/api/v1/telemetry/sessions/2024/Hungary/Q"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(telemetry_data_dir: Path, module_database: str) -> AsyncIterator[Services]:
    async with running_services(telemetry_data_dir, module_database,
                                openai_api_key=None) as running:
        yield running


def zone_minimums(distance: np.ndarray, speed: np.ndarray, corner: dict) -> tuple[float, float]:
    start, end = corner["zone_start_m"], corner["zone_end_m"]
    wide = (distance >= start - 0.5) & (distance <= end + 0.5)
    narrow = (distance >= start + 0.5) & (distance <= end - 0.5)
    return float(speed[wide].min()), float(speed[narrow].min())


async def laps_table(services: Services) -> dict[str, list]:
    response = await services.telemetry.get(f"{TELEMETRY}/laps")
    assert response.status_code == 200, response.text
    return response.json()["laps"]


async def test_lap_comparison_facts_match_the_laps_table_and_samples(services: Services) -> None:
    response = await services.analysis.get(f"{ANALYSIS}/lap-comparison",
                                           params={"driver_a": "NOR", "driver_b": "VER"})
    assert response.status_code == 200, response.text
    body = AnalysisResponse.model_validate(response.json())
    facts = body.facts
    assert body.kind == "lap_comparison" and body.session["event_name"] == "Hungarian Grand Prix"

    laps = await laps_table(services)
    fastest: dict[str, int] = {}
    times = laps["lap_time_s"]
    for i, driver in enumerate(laps["driver"]):
        if times[i] is not None and (driver not in fastest or times[i] < times[fastest[driver]]):
            fastest[driver] = i
    a, b = fastest["NOR"], fastest["VER"]
    assert facts["a"]["lap_number"] == laps["lap_number"][a]
    for n in (1, 2, 3):
        column = laps[f"sector{n}_s"]
        assert facts["sectors"][n - 1]["delta_s"] == pytest.approx(column[b] - column[a], abs=1e-3)
    assert facts["lap_time_delta_s"] == pytest.approx(
        laps["lap_time_s"][b] - laps["lap_time_s"][a], abs=1e-3)
    assert facts["integrated_delta_s"] == pytest.approx(facts["lap_time_delta_s"], abs=0.01)
    assert facts["speed"]["a"]["speed_st_kmh"] == laps["speed_st"][a]

    samples = await services.telemetry.get(
        f"{TELEMETRY}/laps/NOR/fastest/telemetry",
        params={"channels": "distance,time,speed,gear", "points": "raw"})
    channels = {k: np.array(v, dtype=float) for k, v in samples.json()["channels"].items()}
    assert facts["speed"]["a"]["top_speed_kmh"] == channels["speed"].max()
    assert len(facts["corners"]) >= 14
    lead_m = channels["speed"][0] / 3.6 * channels["time"][0] - channels["distance"][0]
    distance = channels["distance"] + lead_m  # the facts measure from the line
    for corner in facts["corners"]:
        # Zone edges are reported to the metre: the true minimum lies between the minimum
        # over the zone shrunk and grown by half a metre.
        wide, narrow = zone_minimums(distance, channels["speed"], corner)
        assert wide <= corner["a"]["min_speed_kmh"] <= narrow

    assert body.insights.source == "deterministic" and body.insights.model is None
    assert "OPENAI_API_KEY" in (body.insights.fallback_reason or "")
    assert ground(body.insights.insights, facts)[1] == []
    assert any(i.text.startswith(("NOR gained", "VER gained")) for i in body.insights.insights)


async def test_lap_comparison_of_chosen_laps(services: Services) -> None:
    laps = await laps_table(services)
    nor_lap = laps["lap_number"][laps["driver"].index("NOR")]
    response = await services.analysis.get(
        f"{ANALYSIS}/lap-comparison",
        params={"driver_a": "PIA", "driver_b": "NOR", "lap_b": str(nor_lap)})
    assert response.status_code == 200, response.text
    assert response.json()["facts"]["b"]["lap_number"] == nor_lap


async def test_fastest_laps_sector_deltas_to_pole(services: Services) -> None:
    response = await services.analysis.get(f"{ANALYSIS}/fastest-laps")
    assert response.status_code == 200, response.text
    facts = response.json()["facts"]
    laps = await laps_table(services)
    best = {}
    for i, driver in enumerate(laps["driver"]):
        t = laps["lap_time_s"][i]
        if t is not None and not laps["deleted"][i] and (driver not in best or t < best[driver][0]):
            best[driver] = (t, i)
    pole_driver = min(best, key=lambda d: best[d][0])
    pole = best[pole_driver][1]
    assert facts["fastest"]["driver"] == pole_driver
    assert len(facts["laps"]) == len(best)
    for row in facts["laps"]:
        i = best[row["driver"]][1]
        for n in (1, 2, 3):
            column = laps[f"sector{n}_s"]
            assert row["sector_deltas_s"][n - 1] == pytest.approx(column[i] - column[pole],
                                                                  abs=1e-3)
    narrative = [Insight.model_validate(i) for i in response.json()["insights"]["insights"]]
    assert narrative[0].text.startswith(pole_driver)


async def test_summary_results_weather_and_race_control(services: Services) -> None:
    response = await services.analysis.get(f"{ANALYSIS}/summary")
    assert response.status_code == 200, response.text
    facts = response.json()["facts"]
    info = (await services.telemetry.get(TELEMETRY)).json()
    results = info["results"]
    order = [d for _, d in sorted(zip(results["position"], results["abbreviation"],
                                      strict=True))]
    assert [r["driver"] for r in facts["results"]] == order
    assert facts["results"][0]["gap_s"] == 0
    weather = (await services.telemetry.get(f"{TELEMETRY}/weather")).json()["rows"]
    assert facts["weather"]["track_temp_c"]["start"] == pytest.approx(weather["track_temp"][0],
                                                                      abs=0.05)
    assert facts["weather"]["track_temp_c"]["max"] == pytest.approx(max(weather["track_temp"]),
                                                                    abs=0.05)
    assert any("RED" in (e["message"] or "").upper() for e in facts["race_control"])
    assert "missing" not in facts


@pytest.mark.parametrize(("path", "params", "status", "slug"), [
    ("lap-comparison", {"driver_a": "NOR", "driver_b": "XYZ"}, 404, "unknown-driver"),
    ("race-pace", {"drivers": "NOR"}, 422, "wrong-session-type"),
    ("race-trace", {}, 422, "wrong-session-type"),
    ("strategy", {}, 422, "wrong-session-type"),
    ("pace-distribution", {}, 422, "wrong-session-type"),
])
async def test_bad_input_is_a_problem(services: Services, path: str, params: dict[str, str],
                                      status: int, slug: str) -> None:
    response = await services.analysis.get(f"{ANALYSIS}/{path}", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/" + slug)


async def test_unknown_driver_lists_the_valid_ones(services: Services) -> None:
    response = await services.analysis.get(f"{ANALYSIS}/lap-comparison",
                                           params={"driver_a": "NOR", "driver_b": "XYZ"})
    body = response.json()
    assert "XYZ" in body["detail"] and "VER" in body["valid_values"]


async def test_unknown_lap_and_session_pass_through_as_404(services: Services) -> None:
    lap = await services.analysis.get(f"{ANALYSIS}/lap-comparison",
                                      params={"driver_a": "NOR", "driver_b": "VER",
                                              "lap_a": "3"})
    assert lap.status_code == 404, lap.text
    assert lap.headers["content-type"] == "application/problem+json"
    session = await services.analysis.get(
        "/api/v1/analysis/sessions/2024/Atlantis/Q/fastest-laps")
    assert session.status_code == 404, session.text
    assert session.headers["content-type"] == "application/problem+json"


async def test_narrative_stream_sends_facts_then_insights(services: Services) -> None:
    response = await services.analysis.get(f"{ANALYSIS}/narrative-stream",
                                           params={"analysis": "fastest-laps"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [block.split("\n")[0].removeprefix("event: ")
              for block in response.text.strip().split("\n\n")]
    assert events[0] == "facts" and events[-2:] == ["narrative", "done"]
    assert events.count("insight") >= 2
