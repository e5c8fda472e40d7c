"""report-svc: charts as SVG/PNG and PDF reports as durable background jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from pitwall_report.api.charts import router as charts_router
from pitwall_report.api.reports import router as reports_router
from pitwall_report.config import Settings, get_settings
from pitwall_report.services.jobs import JobRunner
from pitwall_report.services.render_pool import RenderPool
from pitwall_report.services.storage import ReportFiles
from pitwall_report.services.sweeper import Sweeper
from pitwall_report.services.upstreams import AnalysisApi, AuthApi, TelemetryApi, Upstreams
from pitwall_shared.app import create_service_app
from pitwall_shared.db import create_engine, create_session_factory
from pitwall_shared.http import ServiceClient, create_pooled_client
from pitwall_shared.logs import configure_logging
from pitwall_shared.tokens import JwksKeyStore, TokenVerifier


def create_app(
    settings: Settings | None = None,
    *,
    telemetry_http: httpx.AsyncClient | None = None,
    analysis_http: httpx.AsyncClient | None = None,
    auth_http: httpx.AsyncClient | None = None,
) -> FastAPI:
    """The ``*_http`` clients let tests route upstream calls to in-process services."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("report", settings.log_level, access_log=settings.access_log)
        timeout = settings.upstream_timeout_seconds
        owned: list[httpx.AsyncClient] = []

        def client(given: httpx.AsyncClient | None, url: str) -> httpx.AsyncClient:
            if given is not None:
                return given
            created = create_pooled_client(url, timeout=timeout)
            owned.append(created)
            return created

        engine = create_engine(settings.resolved_database_url)
        files = ReportFiles(settings.resolved_output_dir)
        files.ensure()
        pool = RenderPool(settings.render_workers,
                          render_timeout=settings.render_timeout_seconds,
                          log_level=settings.log_level)
        pool.warm_up()
        upstreams = Upstreams(
            telemetry=TelemetryApi(
                ServiceClient("telemetry", client(telemetry_http, settings.telemetry_url))),
            analysis=AnalysisApi(
                ServiceClient("analysis", client(analysis_http, settings.analysis_url))),
            auth=AuthApi(ServiceClient("auth", client(auth_http, settings.auth_url)),
                         settings.service_client_id,
                         settings.service_client_secret.get_secret_value()),
        )
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessions = create_session_factory(engine)
        app.state.files = files
        app.state.render_pool = pool
        app.state.upstreams = upstreams
        jwks_http = httpx.AsyncClient()
        if getattr(app.state, "token_verifier", None) is None:
            keys = JwksKeyStore(settings.jwks_url, jwks_http, settings.jwks_cache_seconds)
            app.state.token_verifier = TokenVerifier(
                keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
        app.state.jobs = JobRunner(app.state.sessions, upstreams, pool, files, settings)
        await app.state.jobs.start()
        app.state.sweeper = Sweeper(app.state.sessions, files,
                                    retention=timedelta(days=settings.retention_days),
                                    interval_s=settings.sweep_interval_seconds)
        app.state.sweeper.start()
        try:
            yield
        finally:
            await app.state.sweeper.stop()
            await app.state.jobs.stop()
            await pool.shutdown()
            await jwks_http.aclose()
            for created in owned:
                await created.aclose()
            await engine.dispose()

    async def readiness(app: FastAPI) -> dict[str, Any]:
        async with app.state.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        if not app.state.render_pool.warm:
            raise RuntimeError("render workers are still starting")
        return {"database": "ok", "render_workers": settings.render_workers}

    return create_service_app(
        service="report",
        title="Pitwall reports",
        description="Charts (SVG/PNG) with style presets, and PDF reports built as jobs.",
        lifespan=lifespan,
        routers=[charts_router, reports_router],
        readiness=readiness,
    )
