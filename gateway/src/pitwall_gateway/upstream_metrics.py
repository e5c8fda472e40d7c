"""Prometheus metrics of the gateway's upstream calls and of each upstream's circuit breaker.

Labels stay bounded: the ``upstream`` (the four service names of the routing table), an error
``kind`` and a breaker ``state`` from fixed sets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from prometheus_client import Counter, Gauge
from purgatory import AsyncCircuitBreakerFactory

UPSTREAM_ERRORS = Counter(
    "pitwall_gateway_upstream_errors_total",
    "Upstream calls that failed, by upstream and kind (connect, connect_timeout, timeout, 5xx, "
    "circuit_open)",
    ["upstream", "kind"],
)
BREAKER_STATE = Gauge(
    "pitwall_gateway_breaker_state",
    "Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open",
    ["upstream"],
)
BREAKER_TRANSITIONS = Counter(
    "pitwall_gateway_breaker_transitions_total",
    "Circuit breaker state changes per upstream, by the state entered",
    ["upstream", "state"],
)

# purgatory's state names -> (gauge value, label)
_STATES = {"closed": (0, "closed"), "half-opened": (1, "half_open"), "opened": (2, "open")}


def watch_breakers(breakers: AsyncCircuitBreakerFactory, upstreams: Iterable[str]) -> None:
    """Start every upstream's gauge at closed and follow the breakers' state changes."""
    for name in upstreams:
        BREAKER_STATE.labels(name).set(0)

    def on_event(name: str, event_type: str, event: Any) -> None:
        if event_type != "state_changed" or event.state not in _STATES:
            return
        value, label = _STATES[event.state]
        BREAKER_STATE.labels(name).set(value)
        BREAKER_TRANSITIONS.labels(name, label).inc()

    breakers.add_listener(on_event)
