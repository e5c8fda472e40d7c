"""Upstream failures: 503 fast when down, 504 on timeouts, circuit breaker, safe retries."""

from __future__ import annotations

import asyncio
import time

import pytest


async def test_upstream_down_is_503_problem_quickly(
    make_gateway, auth_header, expect_problem, unreachable_url
):
    async with make_gateway(telemetry_url=unreachable_url) as client:
        started = time.monotonic()
        response = await client.get("/api/v1/telemetry/sessions", headers=auth_header)
        elapsed = time.monotonic() - started
    body = expect_problem(response, 503)
    assert body["upstream"] == "telemetry"
    assert response.headers["retry-after"]
    assert elapsed < 2.0


async def test_slow_upstream_is_504_within_the_route_timeout(
    make_gateway, auth_header, expect_problem
):
    async with make_gateway(telemetry_timeout_seconds=0.3) as client:
        started = time.monotonic()
        response = await client.get(
            "/api/v1/telemetry/slow", params={"seconds": 3}, headers=auth_header
        )
        elapsed = time.monotonic() - started
    expect_problem(response, 504)
    assert elapsed < 2.0


async def test_analysis_has_its_own_longer_timeout(make_gateway, auth_header):
    async with make_gateway(timeout_seconds=0.2, analysis_timeout_seconds=5) as client:
        response = await client.get(
            "/api/v1/analysis/slow", params={"seconds": 0.5}, headers=auth_header
        )
    assert response.status_code == 200


async def test_breaker_opens_then_half_opens_and_closes(
    make_gateway, auth_header, expect_problem, upstreams
):
    """Open after the threshold of failures; after the reset time one trial call goes through
    and, when it succeeds, the circuit closes again."""
    async with make_gateway(breaker_failure_threshold=2, breaker_reset_seconds=0.5) as client:
        gateway = client._transport.app.state.gateway
        telemetry = gateway.upstreams["telemetry"]
        working_url = telemetry.base_url
        telemetry.base_url = f"http://127.0.0.1:{_free_port()}"
        for _ in range(2):
            expect_problem(await client.get("/api/v1/telemetry/x", headers=auth_header), 503)
        assert await telemetry.breaker_state() == "opened"

        # Even with the service back, the open circuit answers at once without calling it.
        telemetry.base_url = working_url
        body = expect_problem(await client.get("/api/v1/telemetry/x", headers=auth_header), 503)
        assert "paused" in body["detail"]
        # Other upstreams have their own breakers.
        assert (await client.get("/api/v1/analysis/x", headers=auth_header)).status_code == 200

        await asyncio.sleep(0.6)
        response = await client.get("/api/v1/telemetry/x", headers=auth_header)
        assert response.status_code == 200
        assert await telemetry.breaker_state() == "closed"


async def test_failed_half_open_trial_reopens(
    make_gateway, auth_header, expect_problem, unreachable_url
):
    async with make_gateway(
        telemetry_url=unreachable_url, breaker_failure_threshold=1, breaker_reset_seconds=0.3
    ) as client:
        telemetry = client._transport.app.state.gateway.upstreams["telemetry"]
        expect_problem(await client.get("/api/v1/telemetry/x", headers=auth_header), 503)
        assert await telemetry.breaker_state() == "opened"
        await asyncio.sleep(0.4)
        expect_problem(await client.get("/api/v1/telemetry/x", headers=auth_header), 503)
        assert await telemetry.breaker_state() == "opened"


def _free_port() -> int:
    from pitwall_shared.testing import free_port

    return free_port()


class DropFirstConnection:
    """A raw HTTP server that hangs up on its first connection without answering, then
    answers 200 on later ones: a connection error the gateway may or may not retry."""

    def __init__(self) -> None:
        self.connections = 0
        self.server: asyncio.AbstractServer | None = None
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        await reader.readuntil(b"\r\n\r\n")
        if self.connections == 1:
            writer.close()
            return
        body = b'{"ok":true}'
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            + f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        writer.close()

    async def __aenter__(self) -> DropFirstConnection:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


@pytest.fixture
async def flaky():
    async with DropFirstConnection() as server:
        yield server


async def test_get_is_retried_once_on_a_connection_error(make_gateway, auth_header, flaky):
    async with make_gateway(telemetry_url=f"http://127.0.0.1:{flaky.port}") as client:
        response = await client.get("/api/v1/telemetry/x", headers=auth_header)
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert flaky.connections == 2


async def test_post_is_not_retried_on_a_connection_error(
    make_gateway, auth_header, expect_problem, flaky
):
    async with make_gateway(telemetry_url=f"http://127.0.0.1:{flaky.port}") as client:
        response = await client.post(
            "/api/v1/telemetry/prewarm", json={"year": 2024}, headers=auth_header
        )
    expect_problem(response, 503)
    assert flaky.connections == 1


async def test_retries_can_be_turned_off(make_gateway, auth_header, expect_problem, flaky):
    async with make_gateway(
        telemetry_url=f"http://127.0.0.1:{flaky.port}", connect_retries=0
    ) as client:
        response = await client.get("/api/v1/telemetry/x", headers=auth_header)
    expect_problem(response, 503)
    assert flaky.connections == 1
