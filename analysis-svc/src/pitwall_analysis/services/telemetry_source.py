"""Reads session data from telemetry-svc over HTTP, with the caller's token."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from pitwall_shared.contracts.telemetry import (
    Circuit,
    LapTable,
    LapTelemetry,
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

    async def _get(self, path: str, params: dict[str, str] | None = None) -> object:
        return await self.client.get_json(path, token=self.token, params=params)

    async def session_info(self, key: SessionKey) -> SessionInfo:
        return SessionInfo.model_validate(await self._get(key.path))

    async def laps(self, key: SessionKey) -> LapTable:
        return LapTable.model_validate(await self._get(f"{key.path}/laps"))

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
