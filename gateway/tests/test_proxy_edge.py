"""The proxied path served whole by ``ProxyEdge``: the same edges as the framework's stack."""

from __future__ import annotations

import pytest
from limits import parse

from pitwall_gateway.local_counters import LocalFixedWindows
from pitwall_shared.testing_metrics import MetricMoves

SECURITY_HEADERS = ("x-content-type-options", "x-frame-options", "content-security-policy",
                    "strict-transport-security", "referrer-policy")


async def test_a_proxied_answer_carries_one_request_id_and_the_security_headers(
    gateway, auth_header
):
    response = await gateway.get(
        "/api/v1/telemetry/x", headers={**auth_header, "X-Request-ID": "trace-17"}
    )
    assert response.status_code == 200
    assert response.headers.get_list("x-request-id") == ["trace-17"]
    for name in SECURITY_HEADERS:
        assert len(response.headers.get_list(name)) == 1, name
    assert response.headers["content-security-policy"].startswith("default-src 'none'")


async def test_an_edge_problem_has_the_request_id_in_body_and_header(gateway, expect_problem):
    response = await gateway.get("/api/v1/analysis/x")
    body = expect_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers.get_list("x-request-id") == [body["request_id"]]
    assert body["instance"] == "/api/v1/analysis/x"
    assert response.headers["x-frame-options"] == "DENY"


async def test_a_preflight_on_a_proxied_path_gets_the_security_headers(gateway):
    response = await gateway.options(
        "/api/v1/reports",
        headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 200
    for name in SECURITY_HEADERS:
        assert len(response.headers.get_list(name)) == 1, name


async def test_proxied_requests_and_refusals_are_counted_under_their_route(gateway, auth_header):
    moves = MetricMoves()
    assert (await gateway.get("/api/v1/telemetry/x", headers=auth_header)).status_code == 200
    assert (await gateway.get("/api/v1/telemetry/y")).status_code == 401
    labels = {"service": "gateway", "method": "GET", "route": "/api/v1/telemetry/{path:path}"}
    assert moves("pitwall_http_requests_total", **labels, status="200") == 1
    assert moves("pitwall_http_requests_total", **labels, status="401") == 1
    assert moves("pitwall_http_request_duration_seconds_count", **labels) == 2


@pytest.mark.parametrize(
    "path", ["/api/v1/telemetry/a%5cb", "/api/v1/telemetry/a%2fb", "/api/v1/reports/%2e%2e/x"]
)
async def test_a_tricked_proxied_path_is_left_to_the_path_guard(
    gateway, auth_header, expect_problem, path
):
    body = expect_problem(await gateway.get(path, headers=auth_header), 422)
    assert body["type"].endswith("/bad-path")


async def test_an_unexpected_error_on_the_proxied_path_is_a_500_problem(
    gateway, auth_header, expect_problem, monkeypatch
):
    from pitwall_gateway import proxy

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(proxy, "client_address", broken)
    body = expect_problem(await gateway.get("/api/v1/telemetry/x", headers=auth_header), 500)
    assert body["type"].endswith("/internal-error") and "a bug" not in body["detail"]


def test_local_fixed_windows_count_per_key_and_start_again_after_the_period(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("pitwall_gateway.local_counters.time.time", lambda: now[0])
    windows, item = LocalFixedWindows(), parse("2/minute")
    assert [windows.hit(item, "ip", "a") for _ in range(3)] == [True, True, False]
    assert windows.hit(item, "ip", "b") and windows.hit(item, "user", "a")
    now[0] += 45
    assert not windows.hit(item, "ip", "a")
    assert windows.retry_after("ip", "a") == 15
    now[0] += 15
    assert windows.hit(item, "ip", "a")  # the window that started at 1000 s has ended
    assert windows.retry_after("ip", "a") == 60
