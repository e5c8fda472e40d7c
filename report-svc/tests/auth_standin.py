"""A small real HTTP stand-in for auth-svc on 127.0.0.1, for report-svc's own tests.

It serves the two auth-svc routes report-svc calls (``GET /api/v1/auth/me`` for the plot
style preference and ``POST /internal/service-token``), signing with the same ``TestSigner``
the in-process upstreams trust. auth-svc itself is not under test here; the end-to-end test
(tests/e2e/test_report_authz.py) runs the real one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator

import uvicorn
from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse

from pitwall_shared.problems import ProblemError
from pitwall_shared.testing import TestSigner, free_port
from pitwall_shared.tokens import bearer_token

SERVICE_SECRET = "report-test-secret"
SERVICE_TOKEN_TTL = 300


class AuthStandIn:
    def __init__(self, signer: TestSigner) -> None:
        self.signer = signer
        self.port = free_port()
        self.styles: dict[str, str] = {}
        self.calls: Counter[str] = Counter()
        self.available = True
        # Set to make auth-svc refuse report-svc's secret (as after a secret rotation).
        self.service_secret: str | None = None
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _app(self) -> FastAPI:
        app = FastAPI()
        verifier = self.signer.verifier()

        @app.get("/api/v1/auth/me")
        async def me(authorization: str = Header("")) -> JSONResponse:
            self.calls["me"] += 1
            if not self.available:
                return JSONResponse({"detail": "down"}, status_code=503)
            try:
                identity = await verifier.verify(bearer_token(authorization))
            except ProblemError as exc:
                return JSONResponse({"detail": exc.detail}, status_code=401)
            style = self.styles.get(identity.user_id, "light")
            return JSONResponse({"id": identity.user_id, "email": "u@example.com",
                                 "display_name": "U", "role": identity.role,
                                 "preferences": {"plot_style": style, "favourite_drivers": []},
                                 "created_at": "2026-01-01T00:00:00Z"})

        @app.post("/internal/service-token")
        async def service_token(request: Request) -> JSONResponse:
            self.calls["service-token"] += 1
            body = await request.json()
            if body.get("client_id") != "report" or body.get("client_secret") != (
                self.service_secret or SERVICE_SECRET
            ):
                return JSONResponse({"detail": "bad client"}, status_code=401)
            token = self.signer.token(sub="service:report", role="service",
                                      ttl=SERVICE_TOKEN_TTL)
            return JSONResponse({"access_token": token, "token_type": "bearer",
                                 "expires_in": SERVICE_TOKEN_TTL})

        return app

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[AuthStandIn]:
        config = uvicorn.Config(self._app(), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        for _ in range(200):
            if self._server.started:
                break
            await asyncio.sleep(0.02)
        try:
            yield self
        finally:
            self._server.should_exit = True
            await self._task
