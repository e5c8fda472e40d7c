"""Fixtures: an empty migrated database per test, the app with its lifespan, a report stand-in.

The report stand-in is a tiny real HTTP server on 127.0.0.1 that plays report-svc's
``DELETE /api/v1/reports/mine``: report-svc is not what these tests are about, only that
auth-svc calls it with the user's own token and stops when it cannot.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import func, select

from pitwall_auth.config import Settings
from pitwall_auth.main import create_app
from pitwall_auth.migrate import migrate
from pitwall_shared.testing import MigratedDatabase

PASSWORD = "Grid-Walk-2024"
REPORT_SECRET = "report-client-secret-for-tests"


@dataclass
class ReportStandIn:
    url: str
    calls: list[dict[str, str]] = field(default_factory=list)
    status: int = 200
    # Per-path answers overriding ``status`` (e.g. only the conversations' DELETE fails).
    statuses: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def report_stand_in() -> Iterator[ReportStandIn]:
    stand_in = ReportStandIn(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_DELETE(self) -> None:
            stand_in.calls.append(
                {"path": self.path, "authorization": self.headers.get("Authorization", "")}
            )
            # report-svc answers 200 {"deleted": n}; errors as problem+json.
            status = stand_in.statuses.get(self.path, stand_in.status)
            if status < 400:
                body, media = b'{"deleted": 2}', "application/json"
            else:
                body = b'{"type": "x/%d", "status": %d, "detail": "stand-in refused"}' % (
                    status,
                    status,
                )
                media = "application/problem+json"
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}"
    # shutdown() waits for the serving loop's next poll: half a second per test by default.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()


def make_settings(tmp_path: Path, database_url: str, report_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "data_dir": tmp_path,
        "database_url": database_url,
        "keys_dir": tmp_path / "keys",
        "report_url": report_url,
        # The stand-in answers analysis-svc's DELETE .../conversations/mine as well.
        "analysis_url": report_url,
        "report_timeout_seconds": 3.0,
        "redis_url": None,  # token revocation through Redis is tested in shared and e2e
        "service_clients": SecretStr(f"report:{REPORT_SECRET},analysis:other-secret-value"),
        "login_max_failures": 3,
        # argon2id at lower cost than production so each test takes milliseconds; the code
        # path (argon2id hash and verify, dummy hash) is the real one.
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8192,
        "argon2_parallelism": 1,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings_for_server(tmp_path: Path, report_stand_in: ReportStandIn) -> Any:
    """Settings for a given database URL, for tests that manage the database themselves."""
    return lambda url: make_settings(tmp_path, url, report_stand_in.url)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedDatabase]:
    """Created and migrated once per test process; each test gets it emptied."""
    with MigratedDatabase(tmp_path_factory.mktemp("auth-db"), migrate) as database:
        yield database


@pytest.fixture
def database_url(migrated_database: MigratedDatabase) -> str:
    """The migrated schema with no rows, as a freshly created and migrated database has."""
    return migrated_database.emptied()


@pytest.fixture
def settings(tmp_path: Path, database_url: str, report_stand_in: ReportStandIn) -> Settings:
    return make_settings(tmp_path, database_url, report_stand_in.url)


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://auth") as client:
            yield app, client


@pytest.fixture
def start_app() -> Any:
    """``async with start_app(settings) as (app, client)`` for tests that tune settings."""
    return running


@pytest.fixture
async def app_client(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    async with running(settings) as pair:
        yield pair


@pytest.fixture
def client(app_client: tuple[FastAPI, httpx.AsyncClient]) -> httpx.AsyncClient:
    return app_client[1]


@dataclass
class AuthApi:
    """The app under test plus the few calls most tests repeat."""

    app: FastAPI
    client: httpx.AsyncClient
    password: str = PASSWORD

    async def register(
        self, email: str = "lena@example.com", password: str = PASSWORD
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": password, "display_name": "Lena"},
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def login(
        self, email: str = "lena@example.com", password: str = PASSWORD
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    @staticmethod
    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    @staticmethod
    def problem(response: httpx.Response, status: int, slug: str | None = None) -> dict[str, Any]:
        """Assert ``response`` is a problem+json with ``status`` (and ``slug``); return it."""
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        assert body["status"] == status and body["detail"] and body["request_id"]
        if slug is not None:
            assert body["type"].endswith("/" + slug), body
        return dict(body)

    async def count(self, model: Any) -> int:
        async with self.app.state.sessions() as session:
            rows = await session.execute(select(func.count()).select_from(model))
            return int(rows.scalar_one())


@pytest.fixture
def api(app_client: tuple[FastAPI, httpx.AsyncClient]) -> AuthApi:
    return AuthApi(*app_client)


@pytest.fixture
def tuned_api(settings: Settings) -> Any:
    """``async with tuned_api(setting=value) as api`` for tests that change a setting."""

    @contextlib.asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[AuthApi]:
        async with running(settings.model_copy(update=overrides)) as (app, client):
            yield AuthApi(app, client)

    return start
