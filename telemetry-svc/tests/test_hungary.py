"""Every endpoint on the shipped 2024 Hungary Q snapshot, checked against the raw export."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from . import raw_hungary as raw

BASE = "/api/v1/telemetry/sessions/2024/Hungary/Q"


async def test_session_info_lists_all_drivers_with_team_colours(client: httpx.AsyncClient):
    response = await client.get(BASE)
    assert response.status_code == 200
    body = response.json()
    assert body["session"]["event_name"] == "Hungarian Grand Prix"
    assert body["session"]["round"] == 13
    expected = {r["Abbreviation"]: r["TeamColor"]
                for r in raw.session()["session_data"]["session_results"]["records"]}
    assert {d["abbreviation"]: d["team_colour"] for d in body["drivers"]} == expected
    assert len(expected) == 20
    results = body["results"]
    assert results["abbreviation"][:3] == ["NOR", "PIA", "VER"]
    nor = raw.driver("NOR")["session_result"]
    assert results["q3_s"][0] == pytest.approx(raw.td(nor["q3_time"]), abs=1e-9)
    assert body["has_telemetry"] is True
    assert any("one lap per driver" in note for note in body["notes"])
    assert "ETag" in response.headers and "max-age" in response.headers["Cache-Control"]


@pytest.mark.parametrize("event", ["Hungary", "hungarian grand prix", "13", "Budapest"])
async def test_event_accepts_names_and_round(client: httpx.AsyncClient, event: str):
    response = await client.get(f"/api/v1/telemetry/sessions/2024/{event}/q")
    assert response.status_code == 200
    assert response.json()["session"]["round"] == 13


async def test_laps_match_the_raw_summary(client: httpx.AsyncClient):
    body = (await client.get(f"{BASE}/laps")).json()
    laps = body["laps"]
    assert body["count"] == 20
    summary = raw.summary()
    expected = dict(zip(summary["driver"], summary["lap_time_seconds"], strict=True))
    got = dict(zip(laps["driver"], laps["lap_time_s"], strict=True))
    assert got == pytest.approx(expected, abs=1e-9)
    for i, abbr in enumerate(laps["driver"]):
        sectors = [raw.td(s) for s in raw.driver(abbr)["sector_times"]]
        assert [laps["sector1_s"][i], laps["sector2_s"][i], laps["sector3_s"][i]] == \
            pytest.approx(sectors, abs=1e-9)
        assert laps["lap_number"][i] == int(raw.driver(abbr)["lap_number"])


async def test_lap_filters_and_csv(client: httpx.AsyncClient):
    some = (await client.get(f"{BASE}/laps", params={"driver": ["nor", "VER,1"]})).json()
    assert sorted(some["laps"]["driver"]) == ["NOR", "VER"]  # "1" is VER's number
    quick = (await client.get(f"{BASE}/laps", params={"quick_only": True})).json()
    fastest = min(raw.summary()["lap_time_seconds"])
    assert quick["count"] == int((raw.summary()["lap_time_seconds"] <= fastest * 1.07).sum())
    window = (await client.get(f"{BASE}/laps", params={"min_lap_time_s": 75.3,
                                                       "max_lap_time_s": 76.1})).json()
    assert all(75.3 <= t <= 76.1 for t in window["laps"]["lap_time_s"])
    assert window["count"] == int(raw.summary()["lap_time_seconds"].between(75.3, 76.1).sum())
    soft = (await client.get(f"{BASE}/laps", params={"compound": "soft"})).json()
    assert soft["count"] == 20
    csv = await client.get(f"{BASE}/laps", params={"format": "csv", "driver": "PIA"})
    assert csv.headers["content-type"].startswith("text/csv")
    header, row = csv.text.strip().splitlines()
    assert header.startswith("driver,lap_number,lap_time_s") and row.startswith("PIA,18,75.249")


async def test_fastest_lap_telemetry_resampled_along_distance(client: httpx.AsyncClient):
    response = await client.get(f"{BASE}/laps/NOR/fastest/telemetry",
                                params={"channels": "distance,speed,gear,time", "points": 200})
    body = response.json()
    assert body["lap"]["lap_number"] == 17 and body["lap"]["lap_time_s"] == 75.227
    channels = body["channels"]
    assert set(channels) == {"distance", "speed", "gear", "time"}
    assert body["points"] == 200 and all(len(v) == 200 for v in channels.values())
    distance = np.array(channels["distance"])
    assert distance[0] == 0 and np.all(np.diff(distance) > 0)
    tel = raw.driver("NOR")["telemetry"]
    assert max(channels["speed"]) <= max(tel["Speed"]) and min(channels["speed"]) >= min(
        tel["Speed"])
    assert set(channels["gear"]) <= set(tel["nGear"])
    assert channels["time"][-1] == pytest.approx(raw.td(tel["Time"][-1]), abs=0.001)


async def test_raw_points_return_the_recorded_samples(client: httpx.AsyncClient):
    body = (await client.get(f"{BASE}/laps/VER/20/telemetry",
                             params={"points": "raw", "channels": "speed,rpm,x"})).json()
    tel = raw.driver("VER")["telemetry"]
    assert body["resampled"] is False and body["points"] == len(tel["Speed"])
    assert body["channels"]["speed"] == tel["Speed"]
    assert body["channels"]["rpm"] == tel["RPM"]


async def test_default_telemetry_is_chart_sized(client: httpx.AsyncClient):
    body = (await client.get(f"{BASE}/laps/LEC/fastest/telemetry")).json()
    assert set(body["channels"]) == {"distance", "speed", "throttle", "brake", "gear"}
    assert body["points"] == 300 and body["resampled"] is True


async def test_circuit_has_corners_and_outline(client: httpx.AsyncClient):
    body = (await client.get(f"{BASE}/circuit")).json()
    corners = raw.session()["session_data"]["circuit_info"]["corners"]
    assert len(body["corners"]) == len(corners) == 16
    assert [c["number"] for c in body["corners"]] == [int(c["Number"]) for c in corners]
    assert body["corners"][1]["letter"] == "A"
    assert len(body["outline"]["x"]) == len(body["outline"]["y"]) > 200
    assert 4300 < body["track_length_m"] < 4450  # Hungaroring: 4381 m


@pytest.mark.parametrize(("path", "records"), [
    ("weather", "weather_data"), ("race-control", "race_control_messages"),
    ("track-status", "track_status")])
async def test_event_tables(client: httpx.AsyncClient, path: str, records: str):
    body = (await client.get(f"{BASE}/{path}")).json()
    assert body["count"] == len(raw.session()["session_data"][records]["records"])
    assert body["count"] > 0


async def test_stints_derived_and_pitstops_absent(client: httpx.AsyncClient):
    stints = (await client.get(f"{BASE}/stints")).json()
    assert stints["count"] == 20
    pits = await client.get(f"{BASE}/pitstops")
    assert pits.status_code == 404
    assert pits.headers["content-type"] == "application/problem+json"
    assert "Pit stops are not available" in pits.json()["detail"]


async def test_etag_revalidation(client: httpx.AsyncClient):
    first = await client.get(f"{BASE}/laps")
    again = await client.get(f"{BASE}/laps", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    other = await client.get(f"{BASE}/laps", params={"driver": "NOR"})
    assert other.headers["ETag"] != first.headers["ETag"]


async def test_openapi_documents_every_route_with_examples(client: httpx.AsyncClient):
    spec = (await client.get("/openapi.json")).json()
    paths = spec["paths"]
    session = "/api/v1/telemetry/sessions/{year}/{event}/{session}"
    for suffix in ("", "/laps", "/laps/{driver}/{lap}/telemetry", "/compare", "/circuit",
                   "/stints", "/pitstops", "/weather", "/race-control", "/track-status",
                   "/status", "/prewarm"):
        assert session + suffix in paths, suffix
    assert "/api/v1/telemetry/seasons/{year}/schedule" in paths
    telemetry = paths[session + "/laps/{driver}/{lap}/telemetry"]["get"]
    params = {p["name"]: p for p in telemetry["parameters"]}
    for name in ("event", "lap", "points"):
        assert params[name].get("examples") or params[name]["schema"].get("examples"), name
    assert "LapTelemetry" in str(telemetry["responses"]["200"])
