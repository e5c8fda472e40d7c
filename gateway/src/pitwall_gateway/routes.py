"""The routing table: which upstream serves a path, and which paths need no token."""

from __future__ import annotations

from dataclasses import dataclass

from pitwall_gateway.config import Settings

API_PREFIX = "/api/v1"
JWKS_PATH = "/.well-known/jwks.json"

# Auth endpoints a caller uses before it has an access token (or to give one up).
PUBLIC_PATHS = frozenset(
    f"{API_PREFIX}/auth/{name}" for name in ("register", "login", "token", "refresh", "logout")
)
# Credential endpoints get the stricter per-address limit against guessing and spam.
CREDENTIAL_PATHS = frozenset(f"{API_PREFIX}/auth/{name}" for name in ("register", "login", "token"))


@dataclass(frozen=True)
class RouteRule:
    prefix: str
    upstream: str
    timeout: float


def routing_table(settings: Settings) -> list[RouteRule]:
    """Services serve their own ``/api/v1/<area>`` paths, so paths are forwarded unchanged."""
    default = settings.timeout_seconds
    return [
        RouteRule(f"{API_PREFIX}/auth", "auth", default),
        RouteRule(f"{API_PREFIX}/telemetry", "telemetry", settings.telemetry_timeout_seconds),
        RouteRule(f"{API_PREFIX}/analysis", "analysis", settings.analysis_timeout_seconds),
        RouteRule(f"{API_PREFIX}/reports", "report", settings.report_timeout_seconds),
        RouteRule(f"{API_PREFIX}/charts", "report", settings.report_timeout_seconds),
    ]


def upstream_urls(settings: Settings) -> dict[str, str]:
    return {
        "auth": settings.auth_url,
        "telemetry": settings.telemetry_url,
        "analysis": settings.analysis_url,
        "report": settings.report_url,
    }


def is_public(path: str) -> bool:
    return path == JWKS_PATH or path in PUBLIC_PATHS or path.rstrip("/") in PUBLIC_PATHS


def is_credential_path(path: str) -> bool:
    return path.rstrip("/") in CREDENTIAL_PATHS
