"""Race pace on the real 2018 Azerbaijan race laps, and a session without car telemetry
(2024 Spain Q), both through the real telemetry-svc loading frozen FastF1 responses.

Expected values are computed here from telemetry-svc's laps table with the documented
clean-lap rule and a plain least-squares fit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from itertools import groupby
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import pytest_asyncio

from .upstream import Services, running_services

pytestmark = pytest.mark.asyncio(loop_scope="module")

BAKU = "2018/Azerbaijan/R"
DRIVERS = ["VET", "HAM", "RAI", "BOT"]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(telemetry_data_dir: Path, module_database: str) -> AsyncIterator[Services]:
    async with running_services(telemetry_data_dir, module_database,
                                openai_api_key=None) as running:
        yield running


def expected_clean_laps(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rule as documented: time present, not lap 1, no pit flag, not deleted, no
    SC/VSC/red status, and within 2 % of the stint's median candidate lap."""
    clean = []
    for _, stint in groupby(rows, key=lambda r: r["stint"]):
        candidates = [r for r in stint if r["lap_time_s"] is not None and r["lap_number"] > 1
                      and not r["pit_in"] and not r["pit_out"] and not r.get("deleted")
                      and not set(str(r["track_status"] or "")) & set("4567")]
        if candidates:
            median = np.median([r["lap_time_s"] for r in candidates])
            clean += [r for r in candidates if r["lap_time_s"] <= 1.02 * median]
    return clean


async def test_race_pace_matches_an_independent_computation(services: Services) -> None:
    response = await services.analysis.get(f"/api/v1/analysis/sessions/{BAKU}/race-pace",
                                           params={"drivers": ",".join(DRIVERS)})
    assert response.status_code == 200, response.text
    facts = response.json()["facts"]
    table = (await services.telemetry.get(f"/api/v1/telemetry/sessions/{BAKU}/laps")).json()
    laps = [dict(zip(table["laps"], values, strict=True))
            for values in zip(*table["laps"].values(), strict=True)]
    slopes_checked = 0
    for driver in DRIVERS:
        rows = sorted((r for r in laps if r["driver"] == driver), key=lambda r: r["lap_number"])
        clean = expected_clean_laps(rows)
        got = facts["drivers"][driver]
        times = np.array([r["lap_time_s"] for r in clean])
        assert got["laps"] == len(rows) and got["clean_laps"] == len(clean)
        assert got["median_clean_lap_s"] == pytest.approx(np.median(times), abs=1e-3)
        assert got["std_s"] == pytest.approx(np.std(times, ddof=1), abs=1e-3)
        assert got["iqr_s"] == pytest.approx(np.subtract(*np.percentile(times, [75, 25])),
                                             abs=1e-3)
        assert [s["in_lap"] for s in got["pit_stops"]] == [
            r["lap_number"] for r in rows if r["pit_in"]
            and any(o["lap_number"] == r["lap_number"] + 1 and o["pit_out"] for o in rows)]
        for stint in got["stints"]:
            members = [r for r in clean if r["stint"] == stint["stint"]]
            assert stint["clean_laps"] == len(members)
            if len(members) < 4:
                assert stint["degradation_s_per_lap"] is None
                continue
            plain = np.polyfit([r["tyre_life"] for r in members],
                               [r["lap_time_s"] for r in members], 1)[0]
            assert stint["degradation_ls_s_per_lap"] == pytest.approx(plain, abs=1e-3)
            # Theil-Sen resists outliers but on clean laps it stays close to the plain fit.
            assert abs(stint["degradation_s_per_lap"] - plain) < 0.15
            slopes_checked += 1
    assert slopes_checked >= 3
    assert facts["fuel_effect_s_per_lap"] > 0 and "fuel" in facts["rules"]["fuel_correction"]
    gap = facts["comparison"][0]
    assert gap["median_clean_lap_gap_s"] == pytest.approx(
        facts["drivers"]["HAM"]["median_clean_lap_s"]
        - facts["drivers"]["VET"]["median_clean_lap_s"], abs=1e-3)


async def test_summary_of_a_race_names_the_missing_parts(services: Services) -> None:
    response = await services.analysis.get(f"/api/v1/analysis/sessions/{BAKU}/summary")
    assert response.status_code == 200, response.text
    facts = response.json()["facts"]
    info = (await services.telemetry.get(f"/api/v1/telemetry/sessions/{BAKU}")).json()
    winner = info["results"]["abbreviation"][info["results"]["position"].index(1)]
    assert facts["results"][0]["driver"] == winner
    assert "weather" in facts.get("missing", [])
    assert any("SAFETY CAR" in e["message"].upper() for e in facts["race_control"])
    assert facts["tyres"]["laps_per_compound"]


async def test_lap_comparison_without_car_telemetry_explains_what_is_missing(
    services: Services,
) -> None:
    response = await services.analysis.get(
        "/api/v1/analysis/sessions/2024/Spain/Q/lap-comparison",
        params={"driver_a": "NOR", "driver_b": "VER"})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["type"].endswith("/telemetry-unavailable")
    assert "car_telemetry" in body["missing"] and "telemetry" in body["detail"]
    fastest = await services.analysis.get("/api/v1/analysis/sessions/2024/Spain/Q/fastest-laps")
    assert fastest.status_code == 200, fastest.text
