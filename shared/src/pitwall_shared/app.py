"""The one way every service builds its FastAPI app, so all behave alike at the edges."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import Response

from pitwall_shared.logs import flush_access_lines
from pitwall_shared.middleware import RequestContextMiddleware
from pitwall_shared.path_safety import PathGuardMiddleware
from pitwall_shared.problems import install_problem_handlers
from pitwall_shared.responses import FastJSONResponse

ReadinessCheck = Callable[[FastAPI], Awaitable[dict[str, Any]]]

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {
        "description": "Client error (RFC 9457 problem)",
        "content": {"application/problem+json": {}},
    },
}


# A GET handler named after what it returns ("laps") reads as a noun in generated clients;
# these prefixes already say what the call does.
_READ_VERBS = ("get_", "list_", "download_", "stream_")


def operation_id_for(service: str) -> Callable[[APIRoute], str]:
    """Operation ids like ``telemetry_get_laps``: the service, then the handler's name, with
    ``get_`` in front of a read whose name is only a noun. Unique across the merged document
    as long as handler names are unique within a service (FastAPI warns when they are not)."""

    def operation_id(route: APIRoute) -> str:
        name = route.name
        if route.methods == {"GET"} and not name.startswith(_READ_VERBS):
            name = f"get_{name}"
        return f"{service}_{name}"

    return operation_id


def frozen_after_startup(lifespan: Any) -> Callable[[FastAPI], Any]:
    """Runs ``lifespan`` and then moves everything allocated so far out of the collector's view.

    Modules, routes, schemas and pools live for the whole process, yet every full collection
    walked them: 40-75 ms stalls here, several times a minute under load, which set the
    99th-percentile latency. Frozen, a full collection only walks what requests left behind.
    """

    @asynccontextmanager
    async def wrapped(app: FastAPI) -> AsyncIterator[Any]:
        try:
            if lifespan is None:
                gc.collect()
                gc.freeze()
                yield None
                return
            async with lifespan(app) as state:
                gc.collect()
                gc.freeze()
                yield state
        finally:
            flush_access_lines()  # the last requests' lines, before the process ends

    return wrapped


def create_service_app(
    *,
    service: str,
    title: str,
    version: str = "0.1.0",
    lifespan: Any = None,
    routers: list[APIRouter],
    readiness: ReadinessCheck | None = None,
    description: str = "",
    app_class: type[FastAPI] = FastAPI,
) -> FastAPI:
    """Build a service app with problem handlers, request ids, metrics and health probes.

    ``/healthz`` says the process is up; ``/readyz`` runs ``readiness`` (database, upstreams)
    and answers 503 when it raises. ``app_class`` is FastAPI or a subclass (the gateway's takes
    proxied requests ahead of the middleware).
    """
    app = app_class(
        title=title,
        version=version,
        description=description,
        lifespan=frozen_after_startup(lifespan),
        default_response_class=FastJSONResponse,
        responses=PROBLEM_RESPONSES,
        generate_unique_id_function=operation_id_for(service),
    )
    install_problem_handlers(app)
    # Added first, so it runs inside the request id: its 422 problems carry one.
    app.add_middleware(PathGuardMiddleware)
    app.add_middleware(RequestContextMiddleware, service=service)
    for router in routers:
        app.include_router(router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        try:
            checks = await readiness(app) if readiness else {}
        except Exception as exc:  # readiness must report, not raise
            return FastJSONResponse(
                {"status": "unavailable", "service": service, "reason": str(exc)[:200]},
                status_code=503,
            )
        return FastJSONResponse({"status": "ready", "service": service, "checks": checks})

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app
