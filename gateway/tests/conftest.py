"""Gateway test fixtures.

The four upstream services are not under test here, so each is stood in for by a tiny
Starlette app served by a real uvicorn server on a loopback port (the gateway talks real HTTP
to them). The stand-ins echo what they received, stream large bodies, answer slowly on request,
publish a per-service OpenAPI document, and the auth stand-in serves a test signer's JWKS.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from pitwall_gateway.config import Settings
from pitwall_gateway.main import create_app
from pitwall_shared.testing import TestSigner, free_port

AREAS = {
    "auth": ["auth"],
    "telemetry": ["telemetry"],
    "analysis": ["analysis"],
    "report": ["reports", "charts"],
}
BIG_BODY_BYTES = 5 * 1024 * 1024


def upstream_app(service: str, signer: TestSigner) -> Starlette:
    async def echo(request: Request) -> Response:
        body = await request.body()
        return JSONResponse(
            {
                "service": service,
                "method": request.method,
                "path": request.url.path,
                "query": request.url.query,
                "headers": {k: v for k, v in request.headers.items()},
                "body_bytes": len(body),
            }
        )

    async def big(request: Request) -> Response:
        chunk = b"x" * 65536

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(BIG_BODY_BYTES // len(chunk)):
                yield chunk

        return StreamingResponse(chunks(), media_type="application/pdf")

    async def slow(request: Request) -> Response:
        await asyncio.sleep(float(request.query_params.get("seconds", "2")))
        return JSONResponse({"slow": True})

    async def jwks(request: Request) -> Response:
        return JSONResponse(signer.jwks())

    async def openapi(request: Request) -> Response:
        area = AREAS[service][0]
        return JSONResponse(
            {
                "openapi": "3.1.0",
                "info": {"title": service, "version": "1"},
                "paths": {
                    f"/api/v1/{area}/things": {
                        "get": {
                            "security": [{"OAuth2PasswordBearer": []}],
                            "responses": {
                                "200": {
                                    "content": {
                                        "application/json": {
                                            "schema": {"$ref": "#/components/schemas/Thing"}
                                        }
                                    }
                                }
                            }
                        }
                    },
                    f"/api/v1/{area}/open-things": {"get": {"responses": {"200": {}}}},
                    "/internal/secret": {"get": {"responses": {"200": {}}}},
                },
                "components": {
                    "schemas": {"Thing": {"type": "object", "title": f"{service} thing"}}
                },
            }
        )

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def redirect_internal(request: Request) -> Response:
        # As a service's own redirect would: absolute, built from the Host it was called with.
        return RedirectResponse(f"{request.base_url}api/v1/{AREAS[service][0]}/things?page=2")

    async def failing(request: Request) -> Response:
        return JSONResponse({"failed": True}, status_code=int(request.path_params["code"]))

    async def redirect_away(request: Request) -> Response:
        return RedirectResponse("https://elsewhere.example/phish", status_code=302)

    routes = [
        Route("/healthz", healthz),
        Route("/openapi.json", openapi),
        Route("/.well-known/jwks.json", jwks),
        Route("/internal/{rest:path}", echo, methods=["GET", "POST"]),
    ]
    for area in AREAS[service]:
        routes += [
            Route(f"/api/v1/{area}/big", big),
            Route(f"/api/v1/{area}/slow", slow),
            Route(f"/api/v1/{area}/status/{{code:int}}", failing),
            Route(f"/api/v1/{area}/redirect-internal", redirect_internal),
            Route(f"/api/v1/{area}/redirect-away", redirect_away),
            Route(f"/api/v1/{area}", echo, methods=["GET", "POST", "PUT", "DELETE"]),
            Route(
                f"/api/v1/{area}/{{rest:path}}",
                echo,
                methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            ),
        ]
    return Starlette(routes=routes)


class ThreadedServer:
    """A real uvicorn server on a loopback port, run in a thread with its own event loop."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.port = port or free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("upstream stand-in did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


@dataclass
class Upstreams:
    signer: TestSigner
    servers: dict[str, ThreadedServer]

    def url(self, name: str) -> str:
        return self.servers[name].url


@pytest.fixture(scope="session")
def upstreams() -> Iterator[Upstreams]:
    signer = TestSigner()
    servers = {name: ThreadedServer(upstream_app(name, signer)).start() for name in AREAS}
    try:
        yield Upstreams(signer, servers)
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture
def signer(upstreams: Upstreams) -> TestSigner:
    return upstreams.signer


def dead_url() -> str:
    """A loopback port with nothing listening: connections are refused at once."""
    return f"http://127.0.0.1:{free_port()}"


def gateway_settings(upstreams: Upstreams, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "auth_url": upstreams.url("auth"),
        "telemetry_url": upstreams.url("telemetry"),
        "analysis_url": upstreams.url("analysis"),
        "report_url": upstreams.url("report"),
        "jwks_url": upstreams.url("auth") + "/.well-known/jwks.json",
        "redis_url": None,
        "rate_limit_per_ip": "10000/minute",
        "rate_limit_per_user": "10000/minute",
        "rate_limit_login": "10000/minute",
        "environment": "test",
    }
    values.update(overrides)
    return Settings(**values)


@contextlib.asynccontextmanager
async def running_gateway(
    settings: Settings, client_ip: str = "127.0.0.1"
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=(client_ip, 40000))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://gateway.test", timeout=30
        ) as client:
            yield client


@pytest.fixture
async def gateway(upstreams: Upstreams) -> AsyncIterator[httpx.AsyncClient]:
    async with running_gateway(gateway_settings(upstreams)) as client:
        yield client


@pytest.fixture
def auth_header(signer: TestSigner) -> dict[str, str]:
    return {"Authorization": f"Bearer {signer.token(sub='user-42')}"}


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


@pytest.fixture
def expect_problem() -> Any:
    return assert_problem


@pytest.fixture
def make_gateway(upstreams: Upstreams) -> Any:
    """``async with make_gateway(client_ip=..., **settings) as client``: a configured gateway."""

    def factory(
        client_ip: str = "127.0.0.1", **overrides: Any
    ) -> contextlib.AbstractAsyncContextManager[httpx.AsyncClient]:
        return running_gateway(gateway_settings(upstreams, **overrides), client_ip)

    return factory


@pytest.fixture
def unreachable_url() -> str:
    return dead_url()


@pytest.fixture
def served_gateway(upstreams: Upstreams) -> Iterator[str]:
    """The gateway behind a real uvicorn server (for what ASGITransport would buffer)."""
    server = ThreadedServer(create_app(gateway_settings(upstreams))).start()
    try:
        yield server.url
    finally:
        server.stop()
