"""The app's edges that need no upstream data: identity, upstream down, bad parameters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from pitwall_analysis.config import Settings
from pitwall_analysis.main import create_app
from pitwall_shared.testing import TestSigner, free_port

BASE = "/api/v1/analysis/sessions/2024/Hungary/Q"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    # Nothing listens on this port: telemetry-svc is down for these tests. No request here
    # reaches the insight cache, so an unmigrated SQLite file is enough.
    settings = Settings(telemetry_url=f"http://127.0.0.1:{free_port()}",
                        database_url_override=f"sqlite:///{tmp_path / 'edges.db'}",
                        openai_api_key=None)
    app = create_app(settings)
    signer = TestSigner()
    app.state.token_verifier = signer.verifier()
    async with LifespanManager(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app), base_url="http://analysis",
        headers={"Authorization": f"Bearer {signer.token()}"},
    ) as http:
        yield http


@pytest.mark.parametrize("path", ["/lap-comparison?driver_a=NOR&driver_b=VER",
                                  "/race-pace?drivers=VER", "/summary", "/fastest-laps",
                                  "/narrative-stream?analysis=summary"])
async def test_every_route_needs_a_token(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(BASE + path, headers={"Authorization": ""})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 401


async def test_telemetry_down_is_a_503_problem_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{BASE}/fastest-laps")
    assert response.status_code == 503
    body = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert "telemetry" in body["detail"] and body["request_id"]
    ready = await client.get("/readyz")
    assert ready.status_code == 503


@pytest.mark.parametrize(("path", "location"), [
    ("/lap-comparison?driver_a=NOR", "query.driver_b"),
    ("/lap-comparison?driver_a=N0R&driver_b=VER", "query.driver_a"),
    ("/race-pace", "query.drivers"),
    ("/narrative-stream?analysis=everything", "query.analysis"),
])
async def test_bad_parameters_are_422_problems(client: httpx.AsyncClient, path: str,
                                               location: str) -> None:
    response = await client.get(BASE + path)
    assert response.status_code == 422
    assert location in [e["location"] for e in response.json()["errors"]]


async def test_too_many_pace_drivers_is_rejected_before_any_upstream_call(
    client: httpx.AsyncClient,
) -> None:
    drivers = ",".join(f"D{chr(65 + i)}" for i in range(11))
    response = await client.get(f"{BASE}/race-pace", params={"drivers": drivers})
    assert response.status_code == 422
    assert "1 to 10 drivers" in response.json()["detail"]


async def test_bad_lap_is_rejected_before_any_upstream_call(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{BASE}/lap-comparison",
                                params={"driver_a": "NOR", "driver_b": "VER", "lap_a": "best"})
    assert response.status_code == 422
    assert response.json()["type"].endswith("/invalid-lap")


async def test_openapi_documents_every_route(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for name in ("lap-comparison", "race-pace", "summary", "fastest-laps", "narrative-stream"):
        assert f"/api/v1/analysis/sessions/{{year}}/{{event}}/{{session}}/{name}" in paths
