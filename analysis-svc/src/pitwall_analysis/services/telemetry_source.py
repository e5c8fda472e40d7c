"""Reads session data from telemetry-svc over HTTP, with the caller's token."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import orjson

from pitwall_shared.contracts.telemetry import (
    Circuit,
    LapTable,
    LapTelemetry,
    ScheduleEvent,
    SessionInfo,
    TableResponse,
)
from pitwall_shared.http import ServiceClient
from pitwall_shared.problems import ProblemError

COMPARISON_CHANNELS = "distance,time,speed,throttle,brake,gear,drs"


@dataclass(frozen=True)
class SessionKey:
    year: int
    event: str
    session: str

    @property
    def path(self) -> str:
        return (f"/api/v1/telemetry/sessions/{self.year}/{quote(self.event, safe='')}/"
                f"{quote(self.session, safe='')}")

    def describe(self) -> str:
        return f"{self.year} {self.event} {self.session}"


class TelemetrySource:
    def __init__(self, client: ServiceClient, token: str) -> None:
        self.client = client
        self.token = token
        # Session info read while revalidating, reused by the computation that follows.
        self._info: dict[SessionKey, SessionInfo] = {}

    async def _get(self, path: str, params: dict[str, str] | None = None) -> object:
        return await self.client.get_json(path, token=self.token, params=params)

    async def session_info(self, key: SessionKey) -> SessionInfo:
        known = self._info.get(key)
        if known is not None:
            return known
        return SessionInfo.model_validate(await self._get(key.path))

    async def revalidate(self, key: SessionKey, etag: str | None) -> str | None:
        """The session's current ETag; asks with ``If-None-Match`` so an unchanged snapshot
        costs telemetry-svc a 304 from its fast path."""
        headers = {"If-None-Match": etag} if etag else None
        response = await self.client.request("GET", key.path, token=self.token,
                                             headers=headers)
        if response.status_code != 304:
            self._info[key] = SessionInfo.model_validate(orjson.loads(response.content))
        return response.headers.get("etag")

    async def schedule(self, year: int) -> list[ScheduleEvent]:
        events = await self._get(f"/api/v1/telemetry/seasons/{year}/schedule")
        assert isinstance(events, list)
        return [ScheduleEvent.model_validate(event) for event in events]

    async def laps(self, key: SessionKey, *, drivers: list[str] | None = None,
                   compound: str | None = None) -> LapTable:
        """The laps table; filtered by telemetry-svc (unknown drivers answer its 404) when
        drivers or a compound are named."""
        params = {"driver": ",".join(drivers)} if drivers else {}
        if compound:
            params["compound"] = compound
        return LapTable.model_validate(await self._get(f"{key.path}/laps", params or None))

    async def lap_telemetry(self, key: SessionKey, driver: str, lap: str) -> LapTelemetry:
        path = f"{key.path}/laps/{quote(driver, safe='')}/{quote(lap, safe='')}/telemetry"
        return LapTelemetry.model_validate(
            # The recorded samples: resampling would smear minimum speeds and brake onsets.
            await self._get(path, {"channels": COMPARISON_CHANNELS, "points": "raw"})
        )

    async def circuit(self, key: SessionKey) -> Circuit | None:
        """Corners are optional: without them a comparison still has sectors and speeds."""
        try:
            return Circuit.model_validate(await self._get(f"{key.path}/circuit"))
        except ProblemError as error:
            if error.status == 404:
                return None
            raise

    async def optional_table(self, key: SessionKey, name: str) -> TableResponse | None:
        """Weather and race control are extras: a session without them still summarises."""
        try:
            return TableResponse.model_validate(await self._get(f"{key.path}/{name}"))
        except ProblemError as error:
            if error.status in (404, 422):
                return None
            raise
