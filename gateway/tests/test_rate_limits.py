"""Per-address, per-user and credential-endpoint limits, in memory and in Redis."""

from __future__ import annotations

import uuid

import pytest
import redis

from pitwall_shared.testing import LOCAL_REDIS_URL, redis_key_prefix

REDIS_URL = LOCAL_REDIS_URL


@pytest.fixture(params=["memory", "redis"])
def backend(request):
    """Settings selecting the counter store; Redis keys get a unique prefix, removed after."""
    if request.param == "memory":
        yield {"redis_url": None}
        return
    with redis_key_prefix("pitwall-gw-test") as prefix:
        yield {"redis_url": REDIS_URL, "rate_limit_key_prefix": prefix}


async def test_per_ip_limit(make_gateway, backend, auth_header, expect_problem):
    async with make_gateway(rate_limit_per_ip="3/minute", **backend) as client:
        for _ in range(3):
            response = await client.get("/api/v1/telemetry/x", headers=auth_header)
            assert response.status_code == 200
        body = expect_problem(await client.get("/api/v1/telemetry/x", headers=auth_header), 429)
        assert body["type"].endswith("/rate-limited")
    async with make_gateway(
        client_ip="192.0.2.77", rate_limit_per_ip="3/minute", **backend
    ) as other:
        # Another address has its own budget (same store, same prefix for Redis).
        assert (await other.get("/api/v1/telemetry/x", headers=auth_header)).status_code == 200


async def test_per_user_limit(make_gateway, backend, signer, expect_problem):
    alice = {"Authorization": f"Bearer {signer.token(sub=f'alice-{uuid.uuid4().hex}')}"}
    bob = {"Authorization": f"Bearer {signer.token(sub=f'bob-{uuid.uuid4().hex}')}"}
    async with make_gateway(rate_limit_per_user="2/minute", **backend) as client:
        for _ in range(2):
            assert (await client.get("/api/v1/reports", headers=alice)).status_code == 200
        response = await client.get("/api/v1/reports", headers=alice)
        expect_problem(response, 429)
        assert int(response.headers["retry-after"]) >= 1
        assert (await client.get("/api/v1/reports", headers=bob)).status_code == 200


async def test_login_has_a_stricter_limit(make_gateway, backend, expect_problem):
    async with make_gateway(rate_limit_login="2/minute", **backend) as client:
        for _ in range(2):
            assert (await client.post("/api/v1/auth/login", json={})).status_code == 200
        expect_problem(await client.post("/api/v1/auth/login", json={}), 429)
        expect_problem(await client.post("/api/v1/auth/register", json={}), 429)
        # The general per-address budget is untouched by the login one.
        assert (await client.post("/api/v1/auth/refresh", json={})).status_code == 200


async def test_redis_counters_are_shared_between_gateways(
    make_gateway, auth_header, expect_problem
):
    with redis_key_prefix("pitwall-gw-test") as prefix:
        settings = {
            "redis_url": REDIS_URL,
            "rate_limit_key_prefix": prefix,
            "rate_limit_per_ip": "2/minute",
        }
        async with make_gateway(**settings) as first, make_gateway(**settings) as second:
            assert (await first.get("/api/v1/telemetry/x", headers=auth_header)).status_code == 200
            assert (await second.get("/api/v1/telemetry/x", headers=auth_header)).status_code == 200
            expect_problem(await first.get("/api/v1/telemetry/x", headers=auth_header), 429)
        stored = redis.Redis.from_url(REDIS_URL)
        assert list(stored.scan_iter(match=f"{prefix}*"))
        stored.close()


async def test_unreachable_redis_fails_open(make_gateway, auth_header, unreachable_url):
    port = unreachable_url.rsplit(":", 1)[1]
    async with make_gateway(
        redis_url=f"redis://127.0.0.1:{port}/0", rate_limit_per_ip="1/minute"
    ) as client:
        for _ in range(2):
            response = await client.get("/api/v1/telemetry/x", headers=auth_header)
            assert response.status_code == 200
        metrics = (await client.get("/metrics")).text
    assert "pitwall_gateway_rate_limit_storage_errors_total" in metrics


@pytest.mark.parametrize("strategy", ["fixed-window", "sliding-window-counter", "moving-window"])
async def test_every_strategy_enforces_the_limit(
    make_gateway, auth_header, expect_problem, strategy
):
    async with make_gateway(rate_limit_per_ip="2/minute", rate_limit_strategy=strategy) as client:
        for _ in range(2):
            assert (await client.get("/api/v1/reports", headers=auth_header)).status_code == 200
        expect_problem(await client.get("/api/v1/reports", headers=auth_header), 429)


async def test_unknown_strategy_is_refused_at_start(make_gateway):
    with pytest.raises(ValueError, match="GATEWAY_RATE_LIMIT_STRATEGY"):
        async with make_gateway(rate_limit_strategy="leaky-bucket"):
            pass
