"""Attacks on a real gateway process (``python -m pitwall_gateway`` on a free loopback port).

The upstreams are the echoing stand-ins from conftest (not under test here). What is under
test is the gateway as deployed: uvicorn's socket, its proxy-header handling switched off,
the settings read from the environment.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from pitwall_shared.testing import free_port
from scripts.stack import stop_process

START_TIMEOUT_SECONDS = 60


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


def _free_port(host: str) -> int:
    if host == "127.0.0.1":
        return free_port()
    with socket.socket(socket.AF_INET6) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def gateway_process(upstreams, host: str = "127.0.0.1", **settings: str) -> Iterator[str]:
    port = _free_port(host)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env.update(
        {
            "PITWALL_ENV": "test",
            "GATEWAY_HOST": host,
            "GATEWAY_PORT": str(port),
            "GATEWAY_AUTH_URL": upstreams.url("auth"),
            "GATEWAY_TELEMETRY_URL": upstreams.url("telemetry"),
            "GATEWAY_ANALYSIS_URL": upstreams.url("analysis"),
            "GATEWAY_REPORT_URL": upstreams.url("report"),
            "JWKS_URL": upstreams.url("auth") + "/.well-known/jwks.json",
            "GATEWAY_REDIS_URL": "",
            "REDIS_URL": "",
            "GATEWAY_RATE_LIMIT_PER_IP": "10000/minute",
            "GATEWAY_RATE_LIMIT_PER_USER": "10000/minute",
            "GATEWAY_RATE_LIMIT_LOGIN": "10000/minute",
        }
    )
    env.update({f"GATEWAY_{name.upper()}": value for name, value in settings.items()})
    process = subprocess.Popen(
        [sys.executable, "-m", "pitwall_gateway"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the gateway did not start")
            time.sleep(0.1)
        yield base
    finally:
        stop_process(process, timeout=10)


def _login(client: httpx.Client, forwarded_for: str | None = None) -> httpx.Response:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/api/v1/auth/login", json={}, headers=headers)


def test_spoofed_forwarded_for_from_an_untrusted_peer_does_not_change_the_key(upstreams):
    with (
        gateway_process(upstreams, rate_limit_login="3/minute") as base,
        httpx.Client(base_url=base, timeout=10) as client,
    ):
        for n in range(3):
            answer = _login(client, f"198.51.100.{n + 1}")
            assert answer.status_code == 200
            # The upstream hears the real peer, not the claim.
            assert answer.json()["headers"]["x-forwarded-for"] == "127.0.0.1"
        refused = _login(client, "198.51.100.99")
        assert refused.status_code == 429, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")


def test_forwarded_for_from_a_configured_proxy_is_the_key(upstreams):
    with (
        gateway_process(
            upstreams, rate_limit_login="3/minute", trusted_proxies="127.0.0.1/32"
        ) as base,
        httpx.Client(base_url=base, timeout=10) as client,
    ):
        # Five clients behind the proxy, each within its own budget.
        for n in range(5):
            answer = _login(client, f"203.0.113.{n + 1}")
            assert answer.status_code == 200, answer.text
            assert answer.json()["headers"]["x-forwarded-for"] == f"203.0.113.{n + 1}"
        # One of them spends its budget; only that one is refused.
        for _ in range(2):
            assert _login(client, "203.0.113.1").status_code == 200
        assert _login(client, "203.0.113.1").status_code == 429
        assert _login(client, "203.0.113.2").status_code == 200


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback here")
def test_ipv6_clients_share_a_budget_per_64(upstreams):
    with (
        gateway_process(
            upstreams, host="::1", rate_limit_login="2/minute", trusted_proxies="::1/128"
        ) as base,
        httpx.Client(base_url=base, timeout=10) as client,
    ):
        # Two addresses of one /64 (one subscriber rotating addresses) ...
        assert _login(client, "2001:db8:1:2::a").status_code == 200
        assert _login(client, "2001:db8:1:2:ffff::b").status_code == 200
        # ... and a third from the same /64 is over the shared budget.
        assert _login(client, "2001:db8:1:2::c").status_code == 429
        # The neighbouring /64 is another subscriber.
        assert _login(client, "2001:db8:1:3::a").status_code == 200


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback here")
def test_an_ipv6_peer_is_counted_by_its_64(upstreams):
    with (
        gateway_process(upstreams, host="::1", rate_limit_login="2/minute") as base,
        httpx.Client(base_url=base, timeout=10) as client,
    ):
        # No trusted proxy: the claims are ignored and the peer [::1] is the key.
        assert _login(client, "2001:db8::1").status_code == 200
        answer = _login(client, "2001:db8:9::1")
        assert answer.json()["headers"]["x-forwarded-for"] == "::1"
        assert _login(client, "2001:db8:7::1").status_code == 429


@pytest.fixture(scope="module")
def metrics_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def deployed_gateway(upstreams, metrics_port) -> Iterator[str]:
    """Configured as in a deployment: metrics on their own port, no trusted proxy."""
    with gateway_process(upstreams, metrics_port=str(metrics_port)) as base:
        yield base


def test_redirects_never_leak_an_internal_address(upstreams, deployed_gateway, auth_header):
    internal = [upstreams.url(name).removeprefix("http://") for name in upstreams.servers]
    with httpx.Client(base_url=deployed_gateway, timeout=10, follow_redirects=False) as client:
        moved = client.get("/api/v1/auth/redirect-internal", headers=auth_header)
        assert moved.status_code == 307
        assert moved.headers["location"] == "/api/v1/auth/things?page=2"
        away = client.get("/api/v1/reports/redirect-away", headers=auth_header)
        assert away.status_code == 302
        assert "location" not in away.headers
        # A trailing slash reaches the route itself: no redirect to the upstream's address.
        slashed = client.post("/api/v1/auth/register/", json={})
        assert slashed.status_code == 200
        assert slashed.json()["path"] == "/api/v1/auth/register"
    for answer in (moved, away, slashed):
        text = " ".join(f"{k}: {v}" for k, v in answer.headers.items())
        assert not any(address in text for address in internal), text


def test_metrics_only_on_their_own_port(deployed_gateway, metrics_port):
    public = httpx.get(f"{deployed_gateway}/metrics", timeout=10)
    assert public.status_code == 404
    assert "pitwall_" not in public.text
    private = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5)
    assert private.status_code == 200
    assert "pitwall_gateway_rate_limited_total" in private.text
