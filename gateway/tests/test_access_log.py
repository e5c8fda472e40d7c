"""The gateway's access line: one per request, with the upstream's name, status and time."""

from __future__ import annotations

import logging
from typing import Any

import orjson
import pytest

from pitwall_shared.logs import ACCESS_LOGGER, JsonFormatter


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    formatter = JsonFormatter("gateway")
    return [
        orjson.loads(formatter.format(record))
        for record in caplog.records
        if record.name == ACCESS_LOGGER
    ]


async def test_a_proxied_request_logs_route_path_user_and_upstream(
    gateway, auth_header, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        response = await gateway.get(
            "/api/v1/telemetry/sessions/2024/Hungary/Q/laps",
            params={"driver": "VER", "token": "query-secret-value"},
            headers=auth_header,
        )
    assert response.status_code == 200
    [line] = access_lines(caplog)
    assert line["service"] == "gateway" and line["msg"] == "access"
    assert line["request_id"] == response.headers["x-request-id"]
    assert (line["method"], line["status"]) == ("GET", 200)
    assert line["route"] == "/api/v1/telemetry/{path:path}"
    assert line["path"] == "/api/v1/telemetry/sessions/2024/Hungary/Q/laps"  # no query
    assert line["user_id"] == "user-42" and line["client"] == "127.0.0.1"
    assert line["upstream"] == "telemetry" and line["upstream_status"] == 200
    assert 0 <= line["upstream_ms"] <= line["duration_ms"]
    text = orjson.dumps(line).decode()
    assert "query-secret-value" not in text
    assert auth_header["Authorization"].split()[1] not in text


async def test_a_refused_token_logs_the_refusal_without_user_or_upstream_status(
    gateway, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        response = await gateway.get(
            "/api/v1/reports", headers={"Authorization": "Bearer not-a-real-token-at-all"}
        )
    assert response.status_code == 401
    [line] = access_lines(caplog)
    assert (line["status"], line["user_id"], line["upstream"]) == (401, None, "report")
    assert "upstream_status" not in line
    assert "not-a-real-token-at-all" not in orjson.dumps(line).decode()


async def test_an_unreachable_upstream_logs_its_name_and_time_not_a_status(
    make_gateway, auth_header, unreachable_url, caplog: pytest.LogCaptureFixture
):
    async with make_gateway(analysis_url=unreachable_url) as client:
        with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
            response = await client.get("/api/v1/analysis/anything", headers=auth_header)
    assert response.status_code == 503
    [line] = access_lines(caplog)
    assert (line["status"], line["upstream"], line["user_id"]) == (503, "analysis", "user-42")
    assert "upstream_status" not in line and line["upstream_ms"] >= 0


async def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(
    make_gateway, auth_header, caplog: pytest.LogCaptureFixture
):
    async with make_gateway(client_ip="10.0.0.5", trusted_proxies="10.0.0.0/8") as client:
        with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
            await client.get(
                "/api/v1/telemetry/x",
                headers={**auth_header, "X-Forwarded-For": "203.0.113.9"},
            )
    [line] = access_lines(caplog)
    assert line["client"] == "203.0.113.9"


async def test_the_gateways_own_routes_log_their_template(
    gateway, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        await gateway.get("/healthz")
    [line] = access_lines(caplog)
    assert (line["route"], line["status"], line["user_id"]) == ("/healthz", 200, None)
    assert "upstream" not in line
