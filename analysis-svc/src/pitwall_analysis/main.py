"""analysis-svc: facts engine and grounded narratives over telemetry-svc's data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import openai
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitwall_analysis.api.ask_routes import router as ask_router
from pitwall_analysis.api.conversation_routes import router as conversation_router
from pitwall_analysis.api.race_routes import router as race_router
from pitwall_analysis.api.routes import router
from pitwall_analysis.api.stream import router as stream_router
from pitwall_analysis.api.tool_routes import router as tool_router
from pitwall_analysis.ask.model_answerer import AskLimits, ModelAnswerer
from pitwall_analysis.ask.service import AskService
from pitwall_analysis.config import Settings, get_settings
from pitwall_analysis.narrative.limits import ModelCallLimiter
from pitwall_analysis.narrative.model_writer import ModelWriter
from pitwall_analysis.services.conversations import Retention
from pitwall_analysis.services.facts_memo import FactsMemo
from pitwall_analysis.services.narrator import Narrator
from pitwall_shared.app import create_service_app
from pitwall_shared.db import create_engine, create_session_factory
from pitwall_shared.http import ServiceClient, create_pooled_client
from pitwall_shared.limit_storage import create_limit_storage
from pitwall_shared.logs import configure_logging
from pitwall_shared.tokens import JwksKeyStore, TokenVerifier


def _model_writer(settings: Settings) -> tuple[ModelWriter | None, openai.AsyncOpenAI | None]:
    if not settings.model_configured or settings.openai_api_key is None:
        return None, None
    client = openai.AsyncOpenAI(
        api_key=settings.openai_api_key.get_secret_value(),
        base_url=settings.openai_base_url,
        timeout=settings.model_timeout_s,
        max_retries=0,  # ModelWriter retries with its own bounded backoff
    )
    writer = ModelWriter(client, settings.model, timeout_s=settings.model_timeout_s,
                         retries=settings.model_retries, backoff_s=settings.model_backoff_s,
                         deadline_s=settings.model_deadline_s)
    return writer, client


def _ask_service(settings: Settings, client: openai.AsyncOpenAI | None,
                 limiter: ModelCallLimiter, sessions: async_sessionmaker[AsyncSession]
                 ) -> AskService:
    """The model answers with tools when configured; the same budgets as the narrative."""
    answerer = None if client is None else ModelAnswerer(
        client, settings.model, AskLimits(
            max_tool_calls=settings.ask_max_tool_calls, max_tokens=settings.ask_max_tokens,
            answer_max_tokens=settings.ask_answer_max_tokens,
            deadline_s=settings.ask_deadline_s, call_timeout_s=settings.model_timeout_s),
        limiter)
    retention = Retention(settings.ask_conversations_per_user,
                          settings.ask_answers_per_conversation)
    return AskService(answerer, sessions, retention, log_text=settings.ask_log_text)


def create_app(
    settings: Settings | None = None, *, telemetry_http: httpx.AsyncClient | None = None
) -> FastAPI:
    """``telemetry_http`` lets tests route calls to an in-process telemetry-svc."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("analysis", settings.log_level, access_log=settings.access_log)
        engine = create_engine(settings.database_url)
        http = telemetry_http or create_pooled_client(
            settings.telemetry_url, timeout=settings.telemetry_timeout_s)
        jwks_http = httpx.AsyncClient()
        writer, model_client = _model_writer(settings)
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessions = create_session_factory(engine)
        app.state.telemetry = ServiceClient("telemetry", http)
        app.state.facts_memo = FactsMemo(settings.facts_memo_entries,
                                         int(settings.facts_memo_mb * 1024 * 1024))
        limiter = ModelCallLimiter(
            settings.model_calls_per_hour,
            create_limit_storage(settings.redis_url, settings.model_limit_key_prefix),
            total_limit=settings.model_calls_per_hour_total)
        app.state.on_behalf_of_subjects = settings.on_behalf_of_subjects
        app.state.narrator = Narrator(writer, limiter, app.state.sessions)
        app.state.ask = _ask_service(settings, model_client, limiter, app.state.sessions)
        if getattr(app.state, "token_verifier", None) is None:
            keys = JwksKeyStore(settings.jwks_url, jwks_http, settings.jwks_cache_seconds)
            app.state.token_verifier = TokenVerifier(
                keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
        try:
            yield
        finally:
            await limiter.close()
            if model_client is not None:
                await model_client.close()
            await jwks_http.aclose()
            if telemetry_http is None:
                await http.aclose()
            await engine.dispose()

    async def readiness(app: FastAPI) -> dict[str, Any]:
        async with app.state.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        await app.state.telemetry.request("GET", "/healthz", timeout=2.0)
        return {"database": "ok", "telemetry": "ok",
                "narrative": "model" if app.state.narrator.writer else "deterministic"}

    return create_service_app(
        service="analysis",
        title="Pitwall analysis",
        description="Facts computed from telemetry, with a narrative grounded on them.",
        lifespan=lifespan,
        routers=[router, race_router, stream_router, tool_router, ask_router,
                 conversation_router],
        readiness=readiness,
    )
