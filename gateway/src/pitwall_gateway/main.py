"""The gateway app: routing table, edge checks, merged API docs and the web app."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount, Route

from pitwall_gateway.config import Settings, get_settings
from pitwall_gateway.docs import docs_router
from pitwall_gateway.edge import GatewayApp, ProxyEdge, cors_options
from pitwall_gateway.mcp_edge import MCP_PATH, McpEndpoint, create_session_manager
from pitwall_gateway.metrics_listener import MetricsListener, metrics_on_main_port
from pitwall_gateway.openapi import OpenApiAggregator
from pitwall_gateway.security_headers import SecurityHeadersMiddleware
from pitwall_gateway.state import GatewayState
from pitwall_gateway.static import SinglePageApp
from pitwall_shared.app import create_service_app

log = logging.getLogger("pitwall.gateway")
# FastAPI documents the gateway's own few routes there; ours are replaced by the merged ones.
_FASTAPI_DOC_PATHS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}

async def readiness(app: FastAPI) -> dict[str, Any]:
    """Ready when every upstream answers its own health probe."""
    gateway: GatewayState = app.state.gateway

    async def probe(name: str, base_url: str) -> tuple[str, str]:
        try:
            response = await gateway.control.get(f"{base_url}/healthz", timeout=1.0)
            return name, "up" if response.status_code == 200 else f"status {response.status_code}"
        except Exception as exc:  # any failure means "not up", reported by name
            return name, f"down ({type(exc).__name__})"

    results = dict(
        await asyncio.gather(*(probe(u.name, u.base_url) for u in gateway.upstreams.values()))
    )
    down = {name: state for name, state in results.items() if state != "up"}
    if down:
        raise RuntimeError("upstreams not ready: " + ", ".join(f"{n} {s}" for n, s in down.items()))
    return {"upstreams": results}


def create_app(settings: Settings | None = None) -> GatewayApp:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        gateway = await GatewayState.create(settings)
        app.state.gateway = gateway
        app.state.openapi = OpenApiAggregator(
            gateway.control,
            {name: up.base_url for name, up in gateway.upstreams.items()},
            settings.openapi_cache_seconds,
        )
        metrics = (
            MetricsListener.start(settings.host, settings.metrics_port)
            if settings.metrics_port is not None
            else None
        )
        app.state.mcp = create_session_manager(gateway)
        try:
            async with app.state.mcp.run():
                yield
        finally:
            if metrics is not None:
                metrics.close()
            await gateway.close()

    app = create_service_app(
        service="gateway",
        title="Pitwall gateway",
        lifespan=lifespan,
        routers=[docs_router],
        readiness=readiness,
        app_class=GatewayApp,
    )
    assert isinstance(app, GatewayApp)
    # Proxied paths are served whole by the edge, ahead of everything below.
    app.proxy_edge = ProxyEdge(app, settings)
    hidden = (
        _FASTAPI_DOC_PATHS if metrics_on_main_port(settings) else _FASTAPI_DOC_PATHS | {"/metrics"}
    )
    app.router.routes[:] = [
        route for route in app.router.routes if getattr(route, "path", None) not in hidden
    ]
    app.router.routes.append(
        Route(MCP_PATH, McpEndpoint(), methods=["GET", "POST", "DELETE"], include_in_schema=False)
    )
    if settings.static_dir is not None:
        if (settings.static_dir / "index.html").is_file():
            app.router.routes.append(
                Mount("/", app=SinglePageApp(directory=settings.static_dir, html=True))
            )
        else:
            log.warning(
                "GATEWAY_STATIC_DIR %s has no index.html; not serving the web app",
                settings.static_dir,
            )
    app.add_middleware(CORSMiddleware, **cors_options(settings))
    app.add_middleware(SecurityHeadersMiddleware)
    return app
