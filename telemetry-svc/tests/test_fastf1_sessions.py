"""Sessions loaded through FastF1 for real from the frozen responses in the sample pack."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pandas as pd
import pytest
import pytest_asyncio

from pitwall_shared.testing import TestSigner

from .conftest import make_settings, running_client

SPAIN = "/api/v1/telemetry/sessions/2024/Spain/Q"
# one app (one loader pool) for the module: each frozen session is loaded once
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def client(shared_data_dir: Path, signer: TestSigner):  # type: ignore[no-untyped-def]
    async with running_client(make_settings(shared_data_dir), signer) as (http, _app):
        yield http


@pytest.fixture(scope="module")
def fastf1_spain(fastf1_reference: Callable[..., Any]) -> Any:
    return fastf1_reference(2024, "Spain", "Q")


def seconds(value: object) -> float | None:
    return None if pd.isna(value) else round(pd.Timedelta(value).total_seconds(), 3)


def same(a: object, b: object) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return a == b


async def test_spain_results_equal_fastf1(client: httpx.AsyncClient, fastf1_spain):
    body = (await client.get(SPAIN)).json()
    assert body["session"]["event_name"] == "Spanish Grand Prix"
    assert body["has_telemetry"] is False and "telemetry" in body["missing"]
    expected = fastf1_spain.results
    got = body["results"]
    assert got["abbreviation"] == list(expected["Abbreviation"])
    assert got["team_colour"] == list(expected["TeamColor"])
    for column, ours in (("Q1", "q1_s"), ("Q2", "q2_s"), ("Q3", "q3_s")):
        assert all(same(seconds(e), g) for e, g in zip(expected[column], got[ours], strict=True))
    assert [d["team_colour"] for d in body["drivers"]] == list(expected["TeamColor"])


async def test_spain_laps_equal_fastf1(client: httpx.AsyncClient, fastf1_spain):
    body = (await client.get(f"{SPAIN}/laps")).json()
    laps = fastf1_spain.laps
    assert body["count"] == len(laps) == 257
    got = body["laps"]
    assert got["driver"] == list(laps["Driver"])
    assert got["lap_number"] == [int(n) for n in laps["LapNumber"]]
    for column, ours in (("LapTime", "lap_time_s"), ("Sector1Time", "sector1_s"),
                         ("Sector2Time", "sector2_s"), ("Sector3Time", "sector3_s")):
        assert all(same(seconds(e), g) for e, g in zip(laps[column], got[ours], strict=True))
    assert got["compound"] == list(laps["Compound"])
    assert got["is_accurate"] == [bool(v) for v in laps["IsAccurate"]]


async def test_spain_filters_equal_fastf1_picks(client: httpx.AsyncClient, fastf1_spain):
    laps = fastf1_spain.laps
    ver = (await client.get(f"{SPAIN}/laps", params={"driver": "VER"})).json()
    assert ver["count"] == len(laps.pick_drivers("VER"))
    quick = (await client.get(f"{SPAIN}/laps", params={"quick_only": True})).json()
    assert quick["count"] == len(laps.pick_quicklaps())
    accurate = (await client.get(f"{SPAIN}/laps", params={"accurate_only": True})).json()
    assert accurate["count"] == len(laps.pick_accurate())
    soft = (await client.get(f"{SPAIN}/laps", params={"compound": "SOFT", "stint": 2})).json()
    expected = laps[(laps["Compound"] == "SOFT") & (laps["Stint"] == 2)]
    assert soft["count"] == len(expected) > 0


async def test_spain_telemetry_and_circuit_say_what_is_missing(client: httpx.AsyncClient):
    telemetry = await client.get(f"{SPAIN}/laps/NOR/fastest/telemetry")
    assert telemetry.status_code == 404
    assert "Car telemetry is not available" in telemetry.json()["detail"]
    circuit = await client.get(f"{SPAIN}/circuit")
    assert circuit.status_code == 404 and "not available" in circuit.json()["detail"]
    race_control = (await client.get(f"{SPAIN}/race-control")).json()
    assert race_control["count"] == len(race_control["rows"]["message"]) > 0


async def test_azerbaijan_2018_race_stints_and_pitstops(client: httpx.AsyncClient):
    base = "/api/v1/telemetry/sessions/2018/Azerbaijan/R"
    stints = (await client.get(f"{base}/stints")).json()["rows"]
    laps = (await client.get(f"{base}/laps", params={"driver": "HAM"})).json()["laps"]
    ham = [i for i, d in enumerate(stints["driver"]) if d == "HAM"]
    with_stint = [n for n, st in zip(laps["lap_number"], laps["stint"], strict=True) if st]
    assert sum(stints["laps"][i] for i in ham) == len(with_stint) > 40
    pits = (await client.get(f"{base}/pitstops")).json()["rows"]
    ham_pits = [i for i, d in enumerate(pits["driver"]) if d == "HAM"]
    assert len(ham_pits) == len(ham) - 1
    in_laps = [n for n, flag in zip(laps["lap_number"], laps["pit_in"], strict=True) if flag]
    assert [pits["lap_number"][i] for i in ham_pits] == in_laps[: len(ham_pits)]
    assert all(15 < pits["pit_lane_s"][i] < 40 for i in ham_pits)


@pytest.mark.parametrize(("year", "event", "code", "laps"), [
    (2021, "Monza", "FP2", 482), (2023, "Azerbaijan", "S", 308), (2025, "Miami", "S", 331)])
async def test_other_sample_sessions_load(client: httpx.AsyncClient, year, event, code, laps):
    body = (await client.get(f"/api/v1/telemetry/sessions/{year}/{event}/{code}/laps")).json()
    assert body["count"] == laps
    assert np.isfinite([t for t in body["laps"]["lap_time_s"] if t is not None]).all()


# lap counts as the data set's README gives them for FastF1 3.9.0
@pytest.mark.parametrize(("year", "event", "code", "laps", "event_name"), [
    (2019, "Monza", "Q", 275, "Italian Grand Prix"),
    (2020, "Hungary", "FP2", 109, "Hungarian Grand Prix"),
    (2022, "Silverstone", "FP1", 80, "British Grand Prix"),
    (2024, "Silverstone", "FP1", 459, "British Grand Prix")])
async def test_added_sample_sessions_equal_fastf1(
        client: httpx.AsyncClient, fastf1_reference: Callable[..., Any],
        year: int, event: str, code: str, laps: int, event_name: str):
    reference = fastf1_reference(year, event, code)
    base = f"/api/v1/telemetry/sessions/{year}/{event}/{code}"
    info = (await client.get(base)).json()
    assert info["session"]["event_name"] == event_name and info["session"]["session"] == code
    assert info["results"]["abbreviation"] == list(reference.results["Abbreviation"])
    assert len(info["drivers"]) == len(reference.results) > 0
    body = (await client.get(f"{base}/laps")).json()
    assert body["count"] == len(reference.laps) == laps
    assert body["laps"]["driver"] == list(reference.laps["Driver"])
    assert all(same(seconds(e), g) for e, g in
               zip(reference.laps["LapTime"], body["laps"]["lap_time_s"], strict=True))


async def test_snapshot_written_as_versioned_parquet(client: httpx.AsyncClient,
                                                     shared_data_dir: Path):
    await client.get(SPAIN)
    directory = shared_data_dir / "snapshots" / "sessions" / "v1" / "2024" / "10" / "Q"
    assert (directory / "laps.parquet").exists() and (directory / "meta.json").exists()
    assert '"schema_version": 1' in (directory / "meta.json").read_text()
    assert not list(directory.parent.glob(".*tmp-*"))
