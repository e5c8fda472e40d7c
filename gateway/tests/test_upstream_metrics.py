"""Gateway metrics against real upstream servers on loopback ports: an upstream that stops
answering opens its breaker (state gauge and transitions), 5xx answers and timeouts are
counted by kind, and rate-limit refusals by limit."""

from __future__ import annotations

import asyncio

from pitwall_shared.testing import free_port
from pitwall_shared.testing_metrics import MetricMoves, sample


async def test_breaker_state_and_transitions_follow_a_dead_upstream(
    make_gateway, auth_header, expect_problem
):
    async with make_gateway(breaker_failure_threshold=2, breaker_reset_seconds=0.5,
                            connect_retries=0) as client:
        assert sample("pitwall_gateway_breaker_state", upstream="telemetry") == 0
        moved = MetricMoves()
        telemetry = client._transport.app.state.gateway.upstreams["telemetry"]
        working_url = telemetry.base_url
        telemetry.base_url = f"http://127.0.0.1:{free_port()}"  # nothing listens: it is down
        for _ in range(2):
            expect_problem(await client.get("/api/v1/telemetry/x", headers=auth_header), 503)
        assert moved("pitwall_gateway_upstream_errors_total", upstream="telemetry",
                     kind="connect") == 2
        assert sample("pitwall_gateway_breaker_state", upstream="telemetry") == 2
        assert moved("pitwall_gateway_breaker_transitions_total", upstream="telemetry",
                     state="open") == 1

        telemetry.base_url = working_url
        expect_problem(await client.get("/api/v1/telemetry/x", headers=auth_header), 503)
        assert moved("pitwall_gateway_upstream_errors_total", upstream="telemetry",
                     kind="circuit_open") == 1
        assert sample("pitwall_gateway_breaker_state", upstream="analysis") == 0

        await asyncio.sleep(0.6)
        assert (await client.get("/api/v1/telemetry/x", headers=auth_header)).status_code == 200
        assert moved("pitwall_gateway_breaker_transitions_total", upstream="telemetry",
                     state="half_open") == 1
        assert moved("pitwall_gateway_breaker_transitions_total", upstream="telemetry",
                     state="closed") == 1
        assert sample("pitwall_gateway_breaker_state", upstream="telemetry") == 0


async def test_5xx_answers_and_timeouts_are_counted_by_kind(
    make_gateway, auth_header, expect_problem
):
    async with make_gateway(telemetry_timeout_seconds=0.3) as client:
        moved = MetricMoves()
        answer = await client.get("/api/v1/telemetry/status/503", headers=auth_header)
        assert answer.status_code == 503  # relayed as the upstream sent it
        fine = await client.get("/api/v1/telemetry/status/404", headers=auth_header)
        assert fine.status_code == 404
        assert moved("pitwall_gateway_upstream_errors_total", upstream="telemetry",
                     kind="5xx") == 1
        slow = await client.get("/api/v1/telemetry/slow", params={"seconds": 3},
                                headers=auth_header)
        expect_problem(slow, 504)
        assert moved("pitwall_gateway_upstream_errors_total", upstream="telemetry",
                     kind="timeout") == 1


async def test_rate_limit_refusals_are_counted_by_limit(make_gateway, auth_header):
    async with make_gateway(rate_limit_per_ip="2/minute", client_ip="198.51.100.7") as client:
        moved = MetricMoves()
        statuses = [(await client.get("/api/v1/telemetry/x", headers=auth_header)).status_code
                    for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert moved("pitwall_gateway_rate_limited_total", limit="ip") == 1
