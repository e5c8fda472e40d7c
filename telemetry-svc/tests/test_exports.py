"""Exports: every table route as a CSV download, and FastF1's column names and units, checked
against FastF1 itself loading the same frozen responses."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pandas as pd
import pytest
import pytest_asyncio
from fastapi import FastAPI

from pitwall_shared.testing import TestSigner

from .conftest import make_settings, running_client

HUNGARY = "/api/v1/telemetry/sessions/2024/Hungary/Q"
SPAIN = "/api/v1/telemetry/sessions/2024/Spain/Q"
BAKU = "/api/v1/telemetry/sessions/2018/Azerbaijan/R"
MONZA = "/api/v1/telemetry/sessions/2021/Monza/FP2"
CSV_TYPE = "text/csv; charset=utf-8"
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def served(shared_data_dir: Path, signer: TestSigner):  # type: ignore[no-untyped-def]
    async with running_client(make_settings(shared_data_dir), signer) as pair:
        yield pair


@pytest.fixture
def client(served: tuple[httpx.AsyncClient, FastAPI]) -> httpx.AsyncClient:
    return served[0]


def read_csv(response: httpx.Response) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(response.content), keep_default_na=False, na_values=[""])


def assert_same_column(from_csv: pd.Series, from_json: list[Any]) -> None:
    for got, expected in zip(from_csv.tolist(), from_json, strict=True):
        if expected is None or (isinstance(expected, float) and np.isnan(expected)):
            assert pd.isna(got)
        elif isinstance(expected, (bool, str)):
            assert got == expected or str(got) == str(expected)
        else:
            assert got == pytest.approx(expected, abs=1e-9)


# (route, key of the columns in the JSON body, table name in the download's filename)
TABLE_ROUTES = [
    (HUNGARY, "results", "results"), (f"{HUNGARY}/laps", "laps", "laps"),
    (f"{HUNGARY}/stints", "rows", "stints"), (f"{HUNGARY}/weather", "rows", "weather"),
    (f"{HUNGARY}/race-control", "rows", "race-control"),
    (f"{HUNGARY}/track-status", "rows", "track-status"),
    (f"{BAKU}/pitstops", "rows", "pitstops"),
]


@pytest.mark.parametrize(("path", "key", "table"), TABLE_ROUTES)
async def test_every_table_route_answers_a_csv_download_equal_to_its_json(
        client: httpx.AsyncClient, path: str, key: str, table: str):
    as_json = (await client.get(path)).json()[key]
    response = await client.get(path, params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == CSV_TYPE
    event = "Hungary" if "Hungary" in path else "Azerbaijan"
    year, code = ("2024", "Q") if "Hungary" in path else ("2018", "R")
    assert response.headers["content-disposition"] == \
        f'attachment; filename="{year}-{event}-{code}-{table}.csv"'
    frame = read_csv(response)
    assert list(frame.columns) == list(as_json)
    assert len(frame) == len(next(iter(as_json.values()))) > 0
    for name in as_json:
        assert_same_column(frame[name], as_json[name])


async def test_circuit_and_lap_telemetry_as_csv(client: httpx.AsyncClient):
    circuit = (await client.get(f"{HUNGARY}/circuit")).json()
    response = await client.get(f"{HUNGARY}/circuit", params={"format": "csv"})
    assert 'filename="2024-Hungary-Q-corners.csv"' in response.headers["content-disposition"]
    corners = read_csv(response)
    assert corners["number"].tolist() == [c["number"] for c in circuit["corners"]]
    assert corners["distance_m"].tolist() == \
        pytest.approx([c["distance_m"] for c in circuit["corners"]])

    named = (await client.get(f"{HUNGARY}/circuit", params={"names": "fastf1"})).json()
    assert [c["Number"] for c in named["corners"]] == [c["number"] for c in circuit["corners"]]
    assert set(named["corners"][0]) == {"Number", "Letter", "Distance", "X", "Y", "Angle"}
    assert named["outline"]["X"] == circuit["outline"]["x"]
    assert set(named["outline"]) == {"X", "Y", "Distance"}

    path = f"{HUNGARY}/laps/NOR/fastest/telemetry"
    params = {"channels": "distance,speed,gear,time", "points": "raw"}
    as_json = (await client.get(path, params=params)).json()["channels"]
    response = await client.get(path, params={**params, "format": "csv"})
    assert response.headers["content-type"] == CSV_TYPE
    assert response.headers["content-disposition"] == \
        'attachment; filename="2024-Hungary-Q-NOR-fastest-telemetry.csv"'
    frame = read_csv(response)
    assert list(frame.columns) == ["distance", "speed", "gear", "time"]
    for name in as_json:
        assert frame[name].tolist() == pytest.approx(as_json[name], abs=1e-9)


def timedeltas(values: Any) -> list[pd.Timedelta | None]:
    return [None if pd.isna(v) else pd.Timedelta(v) for v in values]


async def test_fastf1_names_and_units_equal_fastf1_itself(
        client: httpx.AsyncClient, fastf1_reference: Callable[..., Any]):
    reference = fastf1_reference(2024, "Spain", "Q")
    laps = (await client.get(f"{SPAIN}/laps", params={"names": "fastf1"})).json()["laps"]
    expected = reference.laps
    assert set(laps) <= set(expected.columns)
    assert {"Driver", "DriverNumber", "LapNumber", "LapTime", "Sector1Time", "Sector2Time",
            "Sector3Time", "Compound", "TyreLife", "Stint", "Position", "PitInTime",
            "PitOutTime", "IsAccurate", "TrackStatus", "SpeedI1"} <= set(laps)
    for name in ("Driver", "DriverNumber", "Compound", "TrackStatus"):
        assert laps[name] == [None if pd.isna(v) else v for v in expected[name]], name
    for name in ("LapTime", "Sector1Time", "Sector2Time", "Sector3Time", "PitInTime",
                 "PitOutTime", "LapStartTime"):
        assert timedeltas(laps[name]) == timedeltas(expected[name]), name
    timed = expected["LapTime"].notna().to_numpy().nonzero()[0]
    assert [laps["LapTime"][i] for i in timed] == \
        [str(t) for t in expected["LapTime"].iloc[timed]]  # pandas' own string form

    results = (await client.get(SPAIN, params={"names": "fastf1"})).json()["results"]
    assert set(results) <= set(reference.results.columns)
    assert results["Abbreviation"] == list(reference.results["Abbreviation"])
    for name in ("Q1", "Q2", "Q3"):
        assert timedeltas(results[name]) == timedeltas(reference.results[name]), name

    monza = fastf1_reference(2021, "Monza", "FP2")  # Spain's source recorded no weather
    tables = (("weather", monza.weather_data), ("race-control", monza.race_control_messages),
              ("track-status", monza.track_status))
    for path, frame in tables:
        rows = (await client.get(f"{MONZA}/{path}", params={"names": "fastf1"})).json()["rows"]
        assert set(rows) == set(frame.columns), path
    weather = (await client.get(f"{MONZA}/weather", params={"names": "fastf1"})).json()["rows"]
    assert timedeltas(weather["Time"]) == timedeltas(monza.weather_data["Time"])
    assert weather["AirTemp"] == list(monza.weather_data["AirTemp"])
    assert weather["Rainfall"] == [bool(v) for v in monza.weather_data["Rainfall"]]
    status = (await client.get(f"{MONZA}/track-status", params={"names": "fastf1"})).json()
    assert timedeltas(status["rows"]["Time"]) == timedeltas(monza.track_status["Time"])


async def test_fastf1_csv_reads_back_losslessly_with_pandas(
        client: httpx.AsyncClient, fastf1_reference: Callable[..., Any]):
    expected = fastf1_reference(2024, "Spain", "Q").laps
    response = await client.get(f"{SPAIN}/laps", params={"names": "fastf1", "format": "csv"})
    frame = pd.read_csv(io.BytesIO(response.content), dtype={"DriverNumber": str})
    for name in ("LapTime", "Sector1Time", "PitOutTime", "LapStartTime"):
        parsed = pd.to_timedelta(frame[name])
        assert parsed.equals(expected[name].reset_index(drop=True).rename(name)), name
    assert frame["DriverNumber"].tolist() == list(expected["DriverNumber"])
    assert frame["LapNumber"].tolist() == list(expected["LapNumber"])


async def test_lap_telemetry_under_fastf1_names(client: httpx.AsyncClient):
    path = f"{HUNGARY}/laps/NOR/fastest/telemetry"
    params = {"channels": "distance,time,speed,throttle,brake,gear,rpm,drs,x,y", "points": "raw"}
    ours = (await client.get(path, params=params)).json()
    theirs = (await client.get(path, params={**params, "names": "fastf1"})).json()
    channels = theirs["channels"]
    assert list(channels) == ["Distance", "Time", "SessionTime", "Speed", "Throttle", "Brake",
                              "nGear", "RPM", "DRS", "X", "Y"]
    import fastf1.core

    assert set(channels) <= set(fastf1.core.Telemetry._COLUMNS)
    assert channels["Speed"] == ours["channels"]["speed"]
    assert channels["nGear"] == [int(g) for g in ours["channels"]["gear"]]
    assert channels["Brake"] == [b > 0 for b in ours["channels"]["brake"]]
    lap_start = (await client.get(f"{HUNGARY}/laps", params={"driver": "NOR"})).json()
    start = lap_start["laps"]["lap_start_s"][0]
    session_time = [t.total_seconds() for t in pd.to_timedelta(channels["SessionTime"])]
    assert session_time == pytest.approx([start + t for t in ours["channels"]["time"]],
                                         abs=1.5e-3)
    csv = await client.get(path, params={**params, "names": "fastf1", "format": "csv"})
    assert csv.text.splitlines()[0] == ",".join(channels)


async def test_pitwall_names_stay_the_default(client: httpx.AsyncClient):
    default = (await client.get(f"{HUNGARY}/laps")).json()
    named = (await client.get(f"{HUNGARY}/laps", params={"names": "pitwall"})).json()
    assert default["laps"] == named["laps"]
    assert list(default["laps"])[:3] == ["driver", "lap_number", "lap_time_s"]
    assert "driver_number" not in default["laps"]


async def test_csv_repeats_come_from_the_fast_path_with_the_same_download_headers(
        served: tuple[httpx.AsyncClient, FastAPI]):
    client, app = served
    path = f"{HUNGARY}/race-control"
    first = await client.get(path, params={"format": "csv", "names": "fastf1"})
    indexed = len(app.state.response_index)
    again = await client.get(path, params={"format": "csv", "names": "fastf1"})
    assert again.content == first.content
    for header in ("content-type", "content-disposition", "etag"):
        assert again.headers[header] == first.headers[header]
    assert len(app.state.response_index) == indexed
    assert app.state.response_index.lookup(path, b"format=csv&names=fastf1") is not None
    as_json = await client.get(path, params={"names": "fastf1"})
    assert as_json.headers["content-type"] == "application/json"
    assert "content-disposition" not in as_json.headers
    assert as_json.headers["etag"] != first.headers["etag"]


@pytest.mark.parametrize("params", [{"names": "ergast"}, {"format": "xlsx"}])
async def test_unknown_format_or_names_is_a_problem(client: httpx.AsyncClient,
                                                    params: dict[str, str]):
    response = await client.get(f"{HUNGARY}/weather", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
