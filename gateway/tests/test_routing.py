"""Routing by prefix, identity and request-id forwarding, public and unknown routes."""

from __future__ import annotations

import pytest

ROUTES = [
    ("/api/v1/auth/me", "auth"),
    ("/api/v1/telemetry/sessions/2024/Hungary/Q", "telemetry"),
    ("/api/v1/analysis/lap-comparison", "analysis"),
    ("/api/v1/reports", "report"),
    ("/api/v1/reports/abc/download", "report"),
    ("/api/v1/charts/speed-trace.png", "report"),
]


@pytest.mark.parametrize(("path", "service"), ROUTES)
async def test_prefix_routes_to_its_service_with_path_unchanged(
    gateway, auth_header, path, service
):
    response = await gateway.get(path, params={"driver": "VER"}, headers=auth_header)
    assert response.status_code == 200, response.text
    echoed = response.json()
    assert echoed["service"] == service
    assert echoed["path"] == path
    assert echoed["query"] == "driver=VER"


async def test_authorization_and_request_id_are_forwarded(gateway, auth_header):
    response = await gateway.get(
        "/api/v1/telemetry/x", headers={**auth_header, "X-Request-ID": "trace-123"}
    )
    headers = response.json()["headers"]
    assert headers["authorization"] == auth_header["Authorization"]
    assert headers["x-request-id"] == "trace-123"
    assert response.headers["x-request-id"] == "trace-123"
    assert headers["x-forwarded-for"] == "127.0.0.1"


async def test_a_client_cannot_send_the_services_acting_for_header(gateway, auth_header):
    response = await gateway.get(
        "/api/v1/analysis/x", headers={**auth_header, "X-On-Behalf-Of": "someone-else"})
    assert response.status_code == 200
    assert "x-on-behalf-of" not in response.json()["headers"]


async def test_request_id_is_assigned_when_missing_or_unsafe(gateway, auth_header):
    response = await gateway.get(
        "/api/v1/telemetry/x", headers={**auth_header, "X-Request-ID": "bad id\r\nx"}
    )
    forwarded = response.json()["headers"]["x-request-id"]
    assert forwarded != "bad id\r\nx"
    assert forwarded == response.headers["x-request-id"]
    assert len(forwarded) == 32


async def test_body_and_method_pass_through(gateway, auth_header):
    response = await gateway.post(
        "/api/v1/reports", json={"kind": "lap-comparison"}, headers=auth_header
    )
    echoed = response.json()
    assert echoed["method"] == "POST"
    assert echoed["body_bytes"] == len(b'{"kind":"lap-comparison"}')
    assert echoed["headers"]["content-type"] == "application/json"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/token",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
    ],
)
async def test_public_auth_routes_need_no_token(gateway, path):
    response = await gateway.post(path, json={"email": "a@b.c"})
    assert response.status_code == 200
    assert response.json()["path"] == path


async def test_jwks_is_proxied_publicly(gateway, signer):
    response = await gateway.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response.json() == signer.jwks()


@pytest.mark.parametrize("path", ["/api/v1/auth/me", "/api/v1/telemetry/x", "/api/v1/reports"])
async def test_protected_routes_need_a_token(gateway, expect_problem, path):
    response = await gateway.get(path)
    body = expect_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert body["instance"] == path


@pytest.mark.parametrize(
    "path",
    ["/api/v1/unknown", "/api/v2/telemetry/x", "/internal/service-token", "/api/v1/telemetryx"],
)
async def test_unknown_and_internal_paths_are_404_problems(
    gateway, auth_header, expect_problem, path
):
    response = await gateway.get(path, headers=auth_header)
    expect_problem(response, 404)


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/%2e%2e/%2e%2e/internal/x", "/api/v1/auth/..%2F..%2Finternal/x"]
)
async def test_dot_segments_cannot_escape_a_prefix(gateway, auth_header, expect_problem, path):
    response = await gateway.get(path, headers=auth_header)
    assert expect_problem(response, 422)["type"].endswith("/bad-path")


async def test_health_probes(gateway, upstreams):
    assert (await gateway.get("/healthz")).json()["status"] == "ok"
    ready = await gateway.get("/readyz")
    assert ready.status_code == 200
    assert set(ready.json()["checks"]["upstreams"].values()) == {"up"}


async def test_readyz_reports_a_down_upstream(make_gateway, unreachable_url):
    async with make_gateway(analysis_url=unreachable_url) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert "analysis" in response.json()["reason"]


async def test_metrics_are_exposed(gateway, auth_header):
    await gateway.get("/api/v1/telemetry/x", headers=auth_header)
    text = (await gateway.get("/metrics")).text
    assert 'route="/api/v1/telemetry/{path:path}"' in text
    assert 'service="gateway"' in text
