"""Runs report-svc in-process against the REAL telemetry-svc and analysis-svc apps.

Both upstreams run in-process (their lifespans running, ``TestSigner`` verifiers injected);
auth-svc is the small HTTP stand-in from ``auth_standin`` (see its docstring).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from pitwall_analysis.config import Settings as AnalysisSettings
from pitwall_analysis.main import create_app as create_analysis_app
from pitwall_analysis.migrate import migrate as migrate_analysis
from pitwall_report.config import Settings
from pitwall_report.main import create_app
from pitwall_report.migrate import migrate
from pitwall_shared.testing import TestSigner
from pitwall_telemetry.config import Settings as TelemetrySettings
from pitwall_telemetry.main import create_app as create_telemetry_app

from .auth_standin import SERVICE_SECRET, AuthStandIn

STARTUP_TIMEOUT = 90


class Gate(httpx.AsyncBaseTransport):
    """Wraps a transport; while closed, requests whose path matches wait at the gate.

    Lets a test freeze a job mid-flight (to restart the service under it) deterministically.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, matches: Callable[[str], bool]) -> None:
        self.inner = inner
        self.matches = matches
        self.open = asyncio.Event()
        self.open.set()
        self.waiting = 0
        # Set, it changes every ETag passed on: what clients see once telemetry-svc has
        # published a newer snapshot of a session.
        self.snapshot_tag = ""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.matches(request.url.path) and not self.open.is_set():
            self.waiting += 1
            try:
                await self.open.wait()
            finally:
                self.waiting -= 1
        response = await self.inner.handle_async_request(request)
        if self.snapshot_tag and "etag" in response.headers:
            response.headers["etag"] = f'{response.headers["etag"]}-{self.snapshot_tag}'
        return response


@dataclass
class UpstreamApps:
    telemetry: FastAPI
    analysis: FastAPI
    telemetry_gate: Gate
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def telemetry_http(self) -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=self.telemetry_gate, base_url="http://telemetry",
                                   timeout=60)
        self.clients.append(client)
        return client

    def analysis_http(self) -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(self.analysis),
                                   base_url="http://analysis", timeout=60)
        self.clients.append(client)
        return client


@contextlib.asynccontextmanager
async def running_upstreams(
    tmp: Path, signer: TestSigner, analysis_database_url: str, **analysis_settings: Any
) -> AsyncIterator[UpstreamApps]:
    """``analysis_settings`` override analysis-svc's (e.g. a model to write narratives)."""
    telemetry = create_telemetry_app(TelemetrySettings(
        PITWALL_DATA_DIR=tmp / "telemetry", offline=True, load_workers=1, environment="test",
        warm_pool=False))
    telemetry.state.token_verifier = signer.verifier()
    async with LifespanManager(telemetry, startup_timeout=STARTUP_TIMEOUT):
        gate = Gate(httpx.ASGITransport(telemetry), lambda path: False)
        analysis_http = httpx.AsyncClient(transport=gate, base_url="http://telemetry", timeout=60)
        await asyncio.to_thread(migrate_analysis, analysis_database_url)
        analysis = create_analysis_app(
            AnalysisSettings(**{"database_url_override": analysis_database_url,
                                "data_dir": tmp / "analysis", "openai_api_key": None,
                                **analysis_settings}),
            telemetry_http=analysis_http,
        )
        analysis.state.token_verifier = signer.verifier()
        async with LifespanManager(analysis, startup_timeout=STARTUP_TIMEOUT):
            apps = UpstreamApps(telemetry, analysis, gate, [analysis_http])
            try:
                yield apps
            finally:
                for client in apps.clients:
                    await client.aclose()


def report_settings(database_url: str, output_dir: Path, auth: AuthStandIn,
                    **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "output_dir": output_dir,
        "auth_url": auth.url,
        "service_client_secret": SERVICE_SECRET,
        "render_workers": 2,
        "job_concurrency": 2,
        "job_poll_seconds": 0.2,
        "job_retry_backoff_seconds": 0.1,
        "upstream_timeout_seconds": 60,
        # A busy test machine can take a while to start the render workers, and to render
        # (suites run two at a time); the render timeout itself is tested on the pool.
        "chart_timeout_seconds": 300,
        "render_timeout_seconds": 300,
    }
    values.update(overrides)
    return Settings(**values)


@contextlib.asynccontextmanager
async def running_report(
    settings: Settings, upstreams: UpstreamApps, signer: TestSigner
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    await asyncio.to_thread(migrate, settings.resolved_database_url)
    app = create_app(settings, telemetry_http=upstreams.telemetry_http(),
                     analysis_http=upstreams.analysis_http())
    app.state.token_verifier = signer.verifier()
    async with (
        LifespanManager(app, startup_timeout=STARTUP_TIMEOUT, shutdown_timeout=60),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://report",
                          timeout=120) as client,
    ):
        yield app, client


def bearer(signer: TestSigner, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {signer.token(sub=user, ttl=3600)}"}


async def wait_for_job(client: httpx.AsyncClient, job_id: str, headers: dict[str, str],
                       *, until: tuple[str, ...] = ("succeeded", "failed"),
                       timeout: float = 120.0) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await client.get(f"/api/v1/reports/{job_id}", headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] in until:
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"job {job_id} still {body['status']} ({body['stage']})")
        await asyncio.sleep(0.2)


async def counted(check: Callable[[], bool], within_seconds: float = 5.0) -> bool:
    """A job's outcome is counted when its runner task ends, just after the status it
    committed can already be read; so wait (bounded) for the count instead of racing it."""
    deadline = time.monotonic() + within_seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True
