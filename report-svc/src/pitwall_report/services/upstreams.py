"""Typed calls to telemetry-svc, analysis-svc and auth-svc (contracts from pitwall_shared)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel

from pitwall_shared.auth_dependency import ON_BEHALF_OF_HEADER
from pitwall_shared.contracts.analysis import (
    LapComparisonResponse,
    PaceDistributionResponse,
    QualifyingOverviewResponse,
    RacePaceResponse,
    RaceTraceResponse,
    SessionSummaryResponse,
    StrategyResponse,
)
from pitwall_shared.contracts.telemetry import (
    Circuit,
    LapComparison,
    LapTable,
    LapTelemetry,
    SessionInfo,
)
from pitwall_shared.contracts.user import Preferences, TokenPair
from pitwall_shared.http import ServiceClient
from pitwall_shared.problems import ProblemError

M = TypeVar("M", bound=BaseModel)
# Decoding and validating a telemetry payload (tens of thousands of floats) takes long
# enough to stall other requests, so it runs in a thread.
OFF_LOOP_BYTES = 64 * 1024

TRACE_CHANNELS = "distance,time,speed,throttle,brake,gear,x,y"
TRACE_POINTS = 800


@dataclass(frozen=True)
class SessionKey:
    year: int
    event: str
    session: str

    @property
    def path(self) -> str:
        return f"{self.year}/{quote(self.event, safe='')}/{quote(self.session, safe='')}"


async def fetch_model(
    client: ServiceClient, model: type[M], path: str, *, token: str, params: Any = None,
    headers: dict[str, str] | None = None,
) -> M:
    response = await client.request("GET", path, token=token, params=params, headers=headers)
    if len(response.content) < OFF_LOOP_BYTES:
        return model.model_validate_json(response.content)
    return await asyncio.to_thread(model.model_validate_json, response.content)


class TelemetryApi:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    def _base(self, key: SessionKey) -> str:
        return f"/api/v1/telemetry/sessions/{key.path}"

    async def session_info(self, key: SessionKey, token: str) -> SessionInfo:
        return await fetch_model(self._client, SessionInfo, self._base(key), token=token)

    async def versioned_session_info(self, key: SessionKey, token: str
                                     ) -> tuple[SessionInfo, str | None]:
        """The session info and its ETag, which names the snapshot it was read from (a newer
        snapshot of the session has another)."""
        response = await self._client.request("GET", self._base(key), token=token)
        return SessionInfo.model_validate_json(response.content), response.headers.get("etag")

    async def laps(self, key: SessionKey, token: str) -> LapTable:
        return await fetch_model(self._client, LapTable, f"{self._base(key)}/laps", token=token)

    async def lap_telemetry(
        self, key: SessionKey, driver: str, lap: str, token: str, *, points: int = TRACE_POINTS
    ) -> LapTelemetry:
        return await fetch_model(
            self._client, LapTelemetry,
            f"{self._base(key)}/laps/{quote(driver, safe='')}/{quote(lap, safe='')}/telemetry",
            params={"channels": TRACE_CHANNELS, "points": points}, token=token,
        )

    async def compare(
        self, key: SessionKey, a: tuple[str, str], b: tuple[str, str], token: str,
        *, points: int = TRACE_POINTS,
    ) -> LapComparison:
        return await fetch_model(
            self._client, LapComparison, f"{self._base(key)}/compare",
            params={"driver_a": a[0], "lap_a": a[1], "driver_b": b[0], "lap_b": b[1],
                    "points": points},
            token=token,
        )

    async def circuit(self, key: SessionKey, token: str) -> Circuit:
        return await fetch_model(self._client, Circuit, f"{self._base(key)}/circuit",
                                 token=token)


class AnalysisApi:
    def __init__(self, client: ServiceClient, on_behalf_of: str | None = None) -> None:
        self._client = client
        self._headers = {ON_BEHALF_OF_HEADER: on_behalf_of} if on_behalf_of else None

    def acting_for(self, user_id: str) -> AnalysisApi:
        """The same API, calls made for ``user_id``: a report job calls with the service
        token, and analysis-svc counts the model calls against the report's owner."""
        return AnalysisApi(self._client, user_id)

    def _base(self, key: SessionKey) -> str:
        return f"/api/v1/analysis/sessions/{key.path}"

    async def _fetch(self, model: type[M], key: SessionKey, analysis: str, token: str,
                     params: dict[str, str] | None = None) -> M:
        return await fetch_model(self._client, model, f"{self._base(key)}/{analysis}",
                                 params=params, token=token, headers=self._headers)

    async def lap_comparison(
        self, key: SessionKey, a: tuple[str, str], b: tuple[str, str], token: str
    ) -> LapComparisonResponse:
        return await self._fetch(LapComparisonResponse, key, "lap-comparison", token, {
            "driver_a": a[0], "lap_a": a[1], "driver_b": b[0], "lap_b": b[1]})

    async def race_pace(self, key: SessionKey, drivers: list[str], token: str) -> RacePaceResponse:
        return await self._fetch(RacePaceResponse, key, "race-pace", token,
                                 {"drivers": ",".join(drivers)})

    async def summary(self, key: SessionKey, token: str) -> SessionSummaryResponse:
        return await self._fetch(SessionSummaryResponse, key, "summary", token)

    # The race-weekend analyses answer for the whole field; charts pick drivers from them.
    async def race_trace(self, key: SessionKey, token: str) -> RaceTraceResponse:
        return await self._fetch(RaceTraceResponse, key, "race-trace", token)

    async def strategy(self, key: SessionKey, token: str) -> StrategyResponse:
        return await self._fetch(StrategyResponse, key, "strategy", token)

    async def pace_distribution(self, key: SessionKey, token: str) -> PaceDistributionResponse:
        return await self._fetch(PaceDistributionResponse, key, "pace-distribution", token)

    async def qualifying_overview(
        self, key: SessionKey, token: str
    ) -> QualifyingOverviewResponse:
        return await self._fetch(QualifyingOverviewResponse, key, "qualifying-overview", token)


# Renew a service token this long before it expires, so a job never starts with a stale one.
TOKEN_RENEW_MARGIN_S = 30.0
# Problem slugs (not secrets).
SERVICE_TOKEN_REFUSED = "service-token-refused"  # noqa: S105
SERVICE_TOKEN_UNAVAILABLE = "service-token-unavailable"  # noqa: S105


class AuthApi:
    """The user's saved preferences, and this service's own short-lived service token."""

    def __init__(self, client: ServiceClient, client_id: str, client_secret: str) -> None:
        self._client = client
        self._client_id = client_id
        self._client_secret = client_secret
        self._token: str | None = None
        self._token_expires = 0.0
        self._lock = asyncio.Lock()

    async def preferences(self, token: str) -> Preferences:
        body: dict[str, Any] = await self._client.get_json(
            "/api/v1/auth/me", token=token, timeout=3.0
        )
        return Preferences.model_validate(body.get("preferences") or {})

    def forget_token(self) -> None:
        """Drop the cached service token (e.g. after auth-svc rejected it)."""
        self._token = None
        self._token_expires = 0.0

    async def service_token(self) -> str:
        async with self._lock:
            if self._token and time.monotonic() < self._token_expires - TOKEN_RENEW_MARGIN_S:
                return self._token
            if not self._client_secret:
                raise ProblemError(
                    503,
                    "The report service has no service client secret configured, so it cannot "
                    "fetch data for background jobs.",
                    slug=SERVICE_TOKEN_UNAVAILABLE,
                )
            try:
                body = await self._client.post_json(
                    "/internal/service-token",
                    {"client_id": self._client_id, "client_secret": self._client_secret},
                    timeout=5.0,
                )
            except ProblemError as exc:
                if exc.status >= 500:
                    raise
                # A refusal is our configuration's fault, not the caller's request.
                raise ProblemError(
                    502,
                    f"The auth service refused the report service's credentials: {exc.detail}",
                    slug=SERVICE_TOKEN_REFUSED,
                ) from exc
            pair = TokenPair.model_validate(body)
            self._token = pair.access_token
            self._token_expires = time.monotonic() + pair.expires_in
            return self._token


@dataclass(frozen=True)
class Upstreams:
    telemetry: TelemetryApi
    analysis: AnalysisApi
    auth: AuthApi
