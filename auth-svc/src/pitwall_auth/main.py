"""auth-svc application: accounts, sessions and the keys every service verifies with."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from pitwall_auth.api import admin, auth, keys, me
from pitwall_auth.config import Settings, get_settings
from pitwall_auth.runtime import build_runtime
from pitwall_auth.services.housekeeping import purge_forever
from pitwall_shared.app import create_service_app
from pitwall_shared.db import create_engine, create_session_factory


async def _database_ready(app: FastAPI) -> dict[str, Any]:
    async with app.state.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    return {"database": "ok", "signing_key": app.state.auth.keys.signing_key().kid}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime, verifier = build_runtime(settings)
        engine = create_engine(settings.resolved_database_url)
        app.state.settings = settings
        app.state.auth = runtime
        app.state.token_verifier = verifier
        app.state.engine = engine
        app.state.sessions = create_session_factory(engine)
        housekeeping = asyncio.create_task(
            purge_forever(app.state.sessions, runtime.throttle, settings.purge_interval_seconds)
        )
        try:
            yield
        finally:
            housekeeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await housekeeping
            await runtime.aclose()
            await engine.dispose()

    return create_service_app(
        service="auth",
        title="Pitwall auth",
        description="Accounts, sign-in, refresh tokens and the JWKS other services verify with.",
        lifespan=lifespan,
        routers=[auth.router, me.router, admin.router, keys.router],
        readiness=_database_ready,
    )
