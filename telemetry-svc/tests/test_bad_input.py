"""Bad input gets a problem+json 4xx naming what was wrong and what is valid."""

from __future__ import annotations

import httpx
import pytest

BASE = "/api/v1/telemetry/sessions/2024/Hungary/Q"
PROBLEM = "application/problem+json"


async def problem(client: httpx.AsyncClient, path: str, status: int, **params: object) -> dict:
    response = await client.get(path, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail", "instance", "request_id"} <= set(body)
    return body  # type: ignore[no-any-return]


async def test_year_out_of_range(client: httpx.AsyncClient):
    body = await problem(client, "/api/v1/telemetry/sessions/2009/Hungary/Q", 422)
    assert "2009" in body["detail"] and body["valid_range"][0] == 2018
    await problem(client, "/api/v1/telemetry/seasons/1999/schedule", 422)


async def test_unknown_event_names_closest_matches(client: httpx.AsyncClient):
    body = await problem(client, "/api/v1/telemetry/sessions/2024/Hungry/Q", 404)
    assert "Hungry" in body["detail"] and "Hungarian Grand Prix" in body["closest_matches"]
    body = await problem(client, "/api/v1/telemetry/sessions/2024/99/Q", 404)
    assert "round 99" in body["detail"]


async def test_ambiguous_event_lists_candidates(client: httpx.AsyncClient):
    body = await problem(client, "/api/v1/telemetry/sessions/2024/Italy/Q", 404)
    assert set(body["closest_matches"]) >= {"Italian Grand Prix"}  # not guessed silently
    body = await problem(client, "/api/v1/telemetry/sessions/2024/United States/R", 404)
    assert len(body["closest_matches"]) > 1


async def test_unknown_session_lists_valid_codes(client: httpx.AsyncClient):
    body = await problem(client, "/api/v1/telemetry/sessions/2024/Hungary/S", 404)
    assert body["valid_values"] == ["FP1", "FP2", "FP3", "Q", "R"]


async def test_unknown_driver_is_the_shared_unknown_driver_problem(client: httpx.AsyncClient):
    body = await problem(client, f"{BASE}/laps/XYZ/fastest/telemetry", 404)
    assert body["type"] == "https://pitwall.dev/problems/unknown-driver"
    assert body["title"] == "Unknown driver"
    assert "XYZ" in body["detail"] and body["asked"] == ["XYZ"]
    assert len(body["valid_values"]) == 20 and "NOR" in body["valid_values"]
    assert body["valid_values"] == sorted(body["valid_values"])
    # every unknown name of a list in one problem; the known ones (and car numbers) are fine
    body = await problem(client, f"{BASE}/laps", 404, driver="HAM,SCH,NOR,99")
    assert body["type"].endswith("/unknown-driver") and body["asked"] == ["SCH", "99"]
    body = await problem(client, f"{BASE}/compare", 404, driver_a="NOR", driver_b="ZZZ")
    assert body["type"].endswith("/unknown-driver") and body["asked"] == ["ZZZ"]


async def test_unknown_channel_lists_channels(client: httpx.AsyncClient):
    body = await problem(client, f"{BASE}/laps/NOR/fastest/telemetry", 422,
                         channels="speed,boost")
    assert "boost" in body["detail"] and "throttle" in body["valid_values"]


async def test_missing_lap_lists_laps(client: httpx.AsyncClient):
    body = await problem(client, f"{BASE}/laps/NOR/3/telemetry", 404)
    assert body["valid_values"] == ["fastest", 17]
    await problem(client, f"{BASE}/laps/NOR/first/telemetry", 422)


@pytest.mark.parametrize("points", ["5", "5001", "-1", "many"])
async def test_points_out_of_range(client: httpx.AsyncClient, points: str):
    body = await problem(client, f"{BASE}/laps/NOR/fastest/telemetry", 422, points=points)
    assert body["valid_range"] == [10, 5000]


async def test_compare_and_lap_filters_validate(client: httpx.AsyncClient):
    await problem(client, f"{BASE}/compare", 422, driver_a="NOR")  # driver_b missing
    await problem(client, f"{BASE}/compare", 422, driver_a="NOR", driver_b="VER",
                  points="raw")
    await problem(client, f"{BASE}/laps", 422, compound="WET")
    await problem(client, f"{BASE}/laps", 422, min_lap_time_s=80, max_lap_time_s=70)
    await problem(client, f"{BASE}/laps", 422, format="xml")


async def test_every_data_route_requires_a_token(client: httpx.AsyncClient):
    for path in ("/api/v1/telemetry/seasons/2024/schedule", BASE, f"{BASE}/laps",
                 f"{BASE}/laps/NOR/fastest/telemetry", f"{BASE}/circuit", f"{BASE}/status",
                 f"{BASE}/compare?driver_a=NOR&driver_b=VER", f"{BASE}/weather"):
        response = await client.get(path, headers={"Authorization": ""})
        assert response.status_code == 401, path
        assert response.headers["content-type"] == PROBLEM
    response = await client.post(f"{BASE}/prewarm", headers={"Authorization": "Bearer x.y.z"})
    assert response.status_code == 401


async def test_schedule_lists_rounds_and_sessions(client: httpx.AsyncClient):
    events = (await client.get("/api/v1/telemetry/seasons/2024/schedule")).json()
    assert len(events) == 24
    hungary = next(e for e in events if e["round"] == 13)
    assert hungary["event_name"] == "Hungarian Grand Prix"
    assert [s["code"] for s in hungary["sessions"]] == ["FP1", "FP2", "FP3", "Q", "R"]
    miami = (await client.get("/api/v1/telemetry/seasons/2025/schedule")).json()
    assert any(s["code"] == "SQ" for e in miami for s in e["sessions"])
