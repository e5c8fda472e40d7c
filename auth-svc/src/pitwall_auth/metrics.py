"""Security-relevant counters, exported on ``/metrics`` with the request metrics."""

from __future__ import annotations

from prometheus_client import Counter

LOGINS = Counter(
    "pitwall_auth_logins_total",
    "Sign-in attempts by outcome (success, invalid, locked)",
    ["outcome"],
)
REFRESHES = Counter(
    "pitwall_auth_refreshes_total",
    "Refresh attempts by outcome (rotated, invalid, reused)",
    ["outcome"],
)
