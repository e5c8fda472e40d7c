"""Pure ASGI middleware: request id propagation and Prometheus request metrics."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pitwall_shared.access_log import log_access
from pitwall_shared.request_context import (
    REQUEST_ID_HEADER,
    accept_or_new_request_id,
    set_request_id,
)

REQUESTS = Counter(
    "pitwall_http_requests_total", "HTTP requests", ["service", "method", "route", "status"]
)
LATENCY = Histogram(
    "pitwall_http_request_duration_seconds",
    "HTTP request duration, by route template",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
_HEADER_BYTES = REQUEST_ID_HEADER.lower().encode()
# Label lookups cost more than the observation itself; a service has a few dozen series.
_series: dict[tuple[str, str, str, int], tuple[Any, Any]] = {}


def observe_request(service: str, method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its duration under its route template."""
    key = (service, method, route, status)
    series = _series.get(key)
    if series is None:
        series = _series[key] = (
            LATENCY.labels(service, method, route),
            REQUESTS.labels(service, method, route, str(status)),
        )
    series[0].observe(seconds)
    series[1].inc()


class RequestContextMiddleware:
    """Reads or assigns ``X-Request-ID``, echoes it, and records metrics per route template."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope.get("headers", []):
            if name == _HEADER_BYTES:
                incoming = value.decode("latin-1")
                break
        request_id = accept_or_new_request_id(incoming)
        set_request_id(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        status_holder = [500]
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((_HEADER_BYTES, request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = scope.get("method", "GET")
            observe_request(
                self.service, method, template, status_holder[0], time.perf_counter() - started
            )
            # The access line (pitwall_shared.access_log), once the answer is out.
            log_access(scope, status_holder[0], started)
