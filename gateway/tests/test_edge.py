"""Edge hardening: body limits, streaming, CORS, security headers, client address rules."""

from __future__ import annotations

import httpx
import pytest

from pitwall_gateway.client_address import client_address, parse_networks, rate_limit_key
from pitwall_gateway.redirects import origins, public_location

BIG = 5 * 1024 * 1024


async def test_body_over_the_limit_is_413_and_not_forwarded(
    make_gateway, auth_header, expect_problem
):
    async with make_gateway(max_body_bytes=1000) as client:
        response = await client.post("/api/v1/reports", content=b"x" * 1001, headers=auth_header)
        expect_problem(response, 413)
        ok = await client.post("/api/v1/reports", content=b"x" * 1000, headers=auth_header)
        assert ok.json()["body_bytes"] == 1000


async def test_chunked_body_over_the_limit_is_413(make_gateway, auth_header, expect_problem):
    async def chunks():
        for _ in range(5):
            yield b"y" * 400

    async with make_gateway(max_body_bytes=1000) as client:
        response = await client.post("/api/v1/reports", content=chunks(), headers=auth_header)
    expect_problem(response, 413)


async def test_large_download_streams_through_intact(served_gateway, auth_header):
    async with (
        httpx.AsyncClient(base_url=served_gateway) as client,
        client.stream("GET", "/api/v1/reports/big", headers=auth_header) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        received = 0
        chunks = 0
        async for chunk in response.aiter_raw():
            assert set(chunk) == {ord("x")}
            received += len(chunk)
            chunks += 1
    assert received == BIG
    # Passed on piece by piece, not as one buffered blob.
    assert chunks > 1


async def test_cors_preflight_allows_the_frontend_origin(gateway):
    response = await gateway.options(
        "/api/v1/telemetry/sessions",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


async def test_cors_refuses_other_origins(gateway, auth_header):
    preflight = await gateway.options(
        "/api/v1/telemetry/sessions",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    simple = await gateway.get(
        "/api/v1/telemetry/x", headers={**auth_header, "Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in simple.headers


async def test_cors_headers_on_errors_too(gateway):
    response = await gateway.get("/api/v1/telemetry/x", headers={"Origin": "http://127.0.0.1:5173"})
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == "http://127.0.0.1:5173"
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()


async def test_cors_origins_are_configurable(make_gateway):
    async with make_gateway(cors_origins="https://app.pitwall.dev") as client:
        response = await client.options(
            "/api/v1/reports",
            headers={"Origin": "https://app.pitwall.dev", "Access-Control-Request-Method": "POST"},
        )
    assert response.headers["access-control-allow-origin"] == "https://app.pitwall.dev"


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/telemetry/x", "/api/v1/nowhere"])
async def test_security_headers_on_every_response(gateway, auth_header, path):
    response = await gateway.get(path, headers=auth_header)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_hop_by_hop_and_duplicate_headers_are_not_passed_on(gateway, auth_header):
    response = await gateway.get(
        "/api/v1/telemetry/x",
        headers={**auth_header, "Connection": "keep-alive, X-Secret", "Proxy-Authorization": "x"},
    )
    forwarded = response.json()["headers"]
    assert "proxy-authorization" not in forwarded
    assert response.headers.get_list("x-request-id") == [response.headers["x-request-id"]]


async def test_the_callers_user_agent_and_accept_encoding_pass_through_and_none_are_added(
    gateway, auth_header
):
    sent = await gateway.get(
        "/api/v1/telemetry/x",
        headers={**auth_header, "User-Agent": "pitwall-client/1", "Accept-Encoding": "identity"},
    )
    forwarded = sent.json()["headers"]
    assert forwarded["user-agent"] == "pitwall-client/1"
    assert forwarded["accept-encoding"] == "identity"

    bare = gateway.build_request("GET", "/api/v1/telemetry/x", headers=auth_header)
    for name in ("user-agent", "accept-encoding", "accept"):
        del bare.headers[name]
    forwarded = (await gateway.send(bare)).json()["headers"]
    assert "user-agent" not in forwarded and "accept-encoding" not in forwarded
    assert forwarded["accept"] == "*/*"


def test_forwarded_for_is_ignored_from_untrusted_peers():
    scope = {"client": ("203.0.113.9", 5000)}
    assert client_address(scope, b"1.2.3.4", parse_networks([])) == "203.0.113.9"
    assert client_address(scope, b"1.2.3.4", parse_networks(["10.0.0.0/8"])) == "203.0.113.9"


def test_forwarded_for_is_believed_from_trusted_proxies():
    trusted = parse_networks(["10.0.0.0/8"])
    scope = {"client": ("10.1.2.3", 5000)}
    # A client may prepend anything; only the hop our proxy appended is believed.
    assert client_address(scope, b"6.6.6.6, 198.51.100.7, 10.0.0.2", trusted) == "198.51.100.7"
    assert client_address(scope, None, trusted) == "10.1.2.3"


@pytest.mark.parametrize(
    "address, key",
    [
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::ffff", "2001:db8:1:2::/64"),
        ("[2001:db8:1:3::1]", "2001:db8:1:3::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("198.51.100.7", "198.51.100.7"),
        ("::1", "::/64"),
    ],
)
def test_rate_limit_key_is_the_ipv6_64_or_the_ipv4_address(address, key):
    assert rate_limit_key(address) == key


@pytest.mark.parametrize(
    "location, public",
    [
        (b"/api/v1/reports/7", b"/api/v1/reports/7"),
        (b"http://10.0.0.5:8004/api/v1/reports/7?x=1", b"/api/v1/reports/7?x=1"),
        (b"HTTP://AUTH-SVC:8001/api/v1/auth/register", b"/api/v1/auth/register"),
        (b"http://auth-svc/api/v1/auth/me", None),  # port 80: not the upstream's origin
        (b"https://elsewhere.example/x", None),
        (b"//elsewhere.example/x", None),
        (b"http://[::1:bad", None),
    ],
)
def test_upstream_locations_become_relative_or_are_dropped(location, public):
    internal = origins(["http://10.0.0.5:8004", "http://auth-svc:8001"])
    assert public_location(location, internal) == public


async def test_prod_gateway_without_a_metrics_port_serves_no_metrics(make_gateway):
    async with make_gateway(environment="prod") as client:
        response = await client.get("/metrics")
    assert response.status_code == 404
    assert "pitwall_" not in response.text
