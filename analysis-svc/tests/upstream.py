"""The real telemetry-svc app, in process, as analysis-svc's upstream (no fakes): tests reach
it through ``httpx.ASGITransport`` wrapped in analysis-svc's own ``ServiceClient``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from pitwall_analysis.config import Settings
from pitwall_analysis.main import create_app
from pitwall_shared.testing import TestSigner
from pitwall_telemetry.config import Settings as TelemetrySettings
from pitwall_telemetry.main import create_app as create_telemetry_app
from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR


@dataclass
class Services:
    analysis: httpx.AsyncClient
    telemetry: httpx.AsyncClient
    signer: TestSigner
    app: FastAPI
    # What analysis-svc asked telemetry-svc: (path, If-None-Match or None), in order.
    upstream_requests: list[tuple[str, str | None]] = field(default_factory=list)


@asynccontextmanager
async def running_services(
    data_dir: Path, database_url: str, *,
    upstream_transport: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport]
    | None = None,
    **analysis_settings: object,
) -> AsyncIterator[Services]:
    """``upstream_transport`` wraps the way to telemetry-svc (a test that alters what
    telemetry-svc answers, e.g. race-control text, says so)."""
    # TestSigner stands in for auth-svc (not under test): both apps verify its tokens.
    signer = TestSigner()
    # No warm loader process: most tests read sessions already in the store, and a loader
    # spawned at every start (importing FastF1) only to be stopped costs CPU, not coverage.
    telemetry_app = create_telemetry_app(TelemetrySettings(**{
        "PITWALL_DATA_DIR": data_dir, "offline": True, "sample_dir": SAMPLE_DATA_DIR,
        "load_workers": 1, "environment": "test", "warm_pool": False}))
    telemetry_app.state.token_verifier = signer.verifier()
    headers = {"Authorization": f"Bearer {signer.token()}"}
    asked: list[tuple[str, str | None]] = []

    async def record(request: httpx.Request) -> None:
        asked.append((request.url.path, request.headers.get("if-none-match")))

    async with LifespanManager(telemetry_app):
        transport: httpx.AsyncBaseTransport = httpx.ASGITransport(app=telemetry_app)
        if upstream_transport is not None:
            transport = upstream_transport(transport)
        upstream = httpx.AsyncClient(transport=transport,
                                     base_url="http://telemetry", timeout=120,
                                     event_hooks={"request": [record]})
        settings = Settings(database_url_override=database_url, **analysis_settings)
        app = create_app(settings, telemetry_http=upstream)
        app.state.token_verifier = signer.verifier()
        async with LifespanManager(app), upstream, httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://analysis",
            headers=headers, timeout=120,
        ) as analysis, httpx.AsyncClient(
            transport=httpx.ASGITransport(app=telemetry_app), base_url="http://telemetry",
            headers=headers, timeout=120,
        ) as telemetry:
            yield Services(analysis, telemetry, signer, app, asked)
