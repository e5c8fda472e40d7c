"""Path tricks in event and session names are 422 problems at every service that takes them,
called directly and through the gateway (real processes; raw requests, so nothing on the
client side normalises the path first)."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from scripts.stack import Stack, new_account_token

# What a name may be turned into on its way into a URL path, as sent on the wire.
TRICKS = [
    "..",
    ".",
    "%2e%2e",
    "%2E",
    ".%2e",
    "..%2F..%2Finternal",
    "a%2Fb",
    "a%5Cb",
    "a\\b",
    "%00",
    "Hun%00gary",
    "Hun%0Agary",
    "%252e%252e",
    "%252F",
    "%C0%AE%C0%AE",  # overlong UTF-8 dots
]
ROUTES = {
    "telemetry": "/api/v1/telemetry/sessions/2024/{event}/{session}/status",
    "analysis": "/api/v1/analysis/sessions/2024/{event}/{session}/summary",
    "report": "/api/v1/charts/sessions/2024/{event}/{session}/speed-trace.svg?drivers=NOR",
}
BODY_TRICKS = ["..", ".", "../../internal", "a/b", "a\\b", "Hun\x00gary", "%2e%2e", "  "]


@pytest.fixture(scope="module")
def token(stack: Stack) -> str:
    return new_account_token(stack.url("gateway"), "tricks")


def raw_request(
    port: int, method: str, target: str, token: str, body: dict[str, Any] | None = None
) -> tuple[int, str, dict[str, Any]]:
    """One request with ``target`` sent byte for byte as written."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {token}"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        connection.request(method, target, body=payload, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        content_type = response.getheader("content-type", "")
        return response.status, content_type, json.loads(text) if text.startswith("{") else {}
    finally:
        connection.close()


def targets(stack: Stack, service: str) -> Iterator[tuple[str, int]]:
    yield service, stack.ports[service]
    yield "gateway", stack.ports["gateway"]


@pytest.mark.parametrize("service", sorted(ROUTES))
@pytest.mark.parametrize("field", ["event", "session"])
def test_path_tricks_are_422_everywhere(stack: Stack, token: str, service: str, field: str):
    for via, port in targets(stack, service):
        for trick in TRICKS:
            values = {"event": "Hungary", "session": "Q", field: trick}
            target = ROUTES[service].format(**values)
            status, content_type, body = raw_request(port, "GET", target, token)
            where = f"{via} {target}"
            assert status == 422, f"{where}: {status} {body}"
            assert content_type.startswith("application/problem+json"), where
            assert body["type"].rsplit("/", 1)[1] in ("bad-path", "validation-error"), where
            assert body["request_id"], where


@pytest.mark.parametrize("service", sorted(ROUTES))
def test_the_same_routes_accept_a_plain_name(stack: Stack, token: str, service: str):
    target = ROUTES[service].format(event="Hungary", session="Q")
    for via, port in targets(stack, service):
        status, _, body = raw_request(port, "GET", target, token)
        assert status == 200, f"{via} {target}: {status} {body}"


def test_literal_dot_segments_are_422_everywhere(stack: Stack, token: str):
    for name in ("gateway", "auth", "telemetry", "analysis", "report"):
        for target in ("/api/v1/telemetry/sessions/2024/../../../internal/x", "/api/v1/./auth/me"):
            status, content_type, body = raw_request(stack.ports[name], "GET", target, token)
            assert status == 422, f"{name} {target}: {status} {body}"
            assert content_type.startswith("application/problem+json")
            assert body["type"].endswith("/bad-path")


@pytest.mark.parametrize("event", BODY_TRICKS)
def test_report_bodies_refuse_tricked_events(stack: Stack, token: str, event: str):
    body = {
        "kind": "lap_comparison",
        "year": 2024,
        "event": event,
        "session": "Q",
        "drivers": ["NOR", "PIA"],
    }
    for via, port in targets(stack, "report"):
        status, content_type, problem = raw_request(port, "POST", "/api/v1/reports", token, body)
        assert status == 422, f"{via}: {status} {problem}"
        assert content_type.startswith("application/problem+json")
        assert "event" in problem["detail"]
    # Nothing was queued for this user.
    listed = httpx.get(
        f"{stack.url('gateway')}/api/v1/reports",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert listed.status_code == 200
    assert listed.json()["items"] == []
