"""telemetry-svc: F1 session data from FastF1, served from a Parquet snapshot store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from starlette.middleware import Middleware

from pitwall_shared.app import create_service_app
from pitwall_shared.logs import configure_logging
from pitwall_shared.token_memo import MemoizedVerifier
from pitwall_shared.tokens import JwksKeyStore, TokenVerifier
from pitwall_telemetry.api.fast_path import MemoizedResponseFastPath, ResponseIndex
from pitwall_telemetry.api.laps import router as laps_router
from pitwall_telemetry.api.sessions import router as sessions_router
from pitwall_telemetry.config import Settings, get_settings
from pitwall_telemetry.loading.pool import LoaderPool, PoolConfig
from pitwall_telemetry.sample_pack import frozen_http_dir, hungary_raw_dir, sample_snapshots_dir
from pitwall_telemetry.services.catalog import Catalog
from pitwall_telemetry.services.ingest import IngestPolicy
from pitwall_telemetry.services.memory_cache import MemoryCache
from pitwall_telemetry.snapshots.store import SnapshotStore

# A verified token is accepted again until its exp, at most this long (failures never are).
TOKEN_MEMO_SECONDS = 300.0


def build_catalog(settings: Settings, *, loader_log_level: str | None = None) -> Catalog:
    """The store reads the writable snapshot dir first, then the sample pack (read-only).

    The loader processes log at ``loader_log_level`` (default: the service's level)."""
    settings.snapshot_dir.mkdir(parents=True, exist_ok=True)
    store = SnapshotStore(settings.snapshot_dir, (sample_snapshots_dir(settings.sample_dir),))
    frozen = frozen_http_dir(settings.sample_dir)
    raw = hungary_raw_dir(settings.sample_dir)
    pool = LoaderPool(PoolConfig(
        store_root=settings.snapshot_dir, fastf1_cache_dir=settings.fastf1_cache_dir,
        # online, FastF1 fetches fresh data: seeding frozen (never-expiring) responses
        # would pin e.g. the current season's schedule to the day it was recorded
        offline=settings.offline,
        frozen_dir=frozen if settings.offline and frozen.is_dir() else None,
        hungary_raw_dir=raw if raw.is_dir() else None, workers=settings.load_workers,
        timeout_s=settings.load_timeout_s, log_level=loader_log_level or settings.log_level))
    policy = IngestPolicy(settings.ingest_policy, settings.ingest_min_year,
                          settings.ingest_max_year)
    return Catalog(store, pool, MemoryCache(settings.cache_max_mb * 1024 * 1024), policy)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("telemetry", settings.log_level, access_log=settings.access_log)
        catalog = build_catalog(settings)
        jwks_http = httpx.AsyncClient()
        app.state.settings = settings
        app.state.catalog = catalog
        app.state.background = set()
        app.state.response_index = ResponseIndex()
        if settings.warm_pool:
            catalog.pool.warm()
        verifier = getattr(app.state, "token_verifier", None)  # tests inject their own
        if verifier is None:
            keys = JwksKeyStore(settings.jwks_url, jwks_http, settings.jwks_cache_seconds)
            verifier = TokenVerifier(
                keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
        if not isinstance(verifier, MemoizedVerifier):
            app.state.token_verifier = MemoizedVerifier(verifier, TOKEN_MEMO_SECONDS)
        try:
            yield
        finally:
            for task in list(app.state.background):
                task.cancel()
            await asyncio.gather(*app.state.background, return_exceptions=True)
            catalog.pool.shutdown()
            await jwks_http.aclose()

    async def readiness(app: FastAPI) -> dict[str, Any]:
        catalog: Catalog = app.state.catalog
        if not catalog.store.root.is_dir():
            raise RuntimeError("snapshot directory is missing")
        return {"snapshots": str(catalog.store.root), "offline": settings.offline,
                "cached_bytes": catalog.cache.used_bytes}

    app = create_service_app(
        service="telemetry",
        title="Pitwall telemetry",
        description="F1 session data (FastF1) served from versioned Parquet snapshots: "
        "schedule, session info, laps, lap telemetry, lap comparison with delta time, "
        "stints, pit stops, weather, race control, track status and circuit.",
        lifespan=lifespan,
        routers=[sessions_router, laps_router],
        readiness=readiness,
    )
    # Innermost, inside request ids and metrics: repeated URLs skip routing and validation.
    app.user_middleware.append(Middleware(MemoizedResponseFastPath))
    return app
