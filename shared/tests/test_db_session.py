"""The request session commits before the response: a failed commit is never acknowledged."""

import os
from typing import Annotated

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_shared.app import create_service_app
from pitwall_shared.db import create_engine, create_session_factory, request_session
from pitwall_shared.problems import ProblemError
from pitwall_shared.testing import temporary_database_url


def _app(url: str, *, pool_timeout: float = 5) -> FastAPI:
    engine = create_engine(url, pool_timeout=pool_timeout)
    factory = create_session_factory(engine)
    SessionDep = Annotated[AsyncSession, request_session(lambda _r: factory)]
    app = create_service_app(service="t", title="t", routers=[])

    @app.post("/rows/{value}", status_code=201)
    async def add(value: int, session: SessionDep, fail_commit: bool = False) -> dict[str, int]:
        await session.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": value})
        if fail_commit:

            @event.listens_for(session.sync_session, "before_commit")
            def _refuse(_session: object) -> None:
                raise ProblemError(409, "commit refused by the test")

        return {"value": value}

    @app.get("/rows")
    async def rows(session: SessionDep) -> list[int]:
        return list((await session.execute(text("SELECT v FROM t ORDER BY v"))).scalars())

    app.state.engine = engine
    return app


def _client(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def test_commit_happens_before_the_response(tmp_path):
    with temporary_database_url(tmp_path) as url:
        app = _app(url)
        try:
            async with app.state.engine.begin() as conn:
                await conn.execute(text("CREATE TABLE t (v INTEGER NOT NULL)"))
            async with _client(app) as client:
                assert (await client.post("/rows/1")).status_code == 201
                refused = await client.post("/rows/2", params={"fail_commit": "true"})
                # The commit failed, so the client must not see 201...
                assert refused.status_code == 409, refused.text
                assert refused.headers["content-type"].startswith("application/problem+json")
                # ...and nothing of that request was kept.
                assert (await client.get("/rows")).json() == [1]
        finally:
            await app.state.engine.dispose()


async def test_database_down_is_503_problem():
    app = _app("mysql://root@127.0.0.1:1/nowhere")
    try:
        async with _client(app) as client:
            response = await client.post("/rows/5")
        assert response.status_code == 503, response.text
        assert response.json()["type"].endswith("database-unavailable")
        assert response.headers["retry-after"] == "2"
    finally:
        await app.state.engine.dispose()


async def test_exhausted_connection_pool_is_503_problem(tmp_path):
    with temporary_database_url(tmp_path) as url:
        if url.startswith("sqlite"):
            # No MariaDB answered (SQLite has no bounded pool to exhaust); CI starts one.
            (pytest.fail if os.environ.get("CI") else pytest.skip)(
                "no MariaDB: only the MySQL engine has a bounded pool with a timeout")
        # A short wait for a pooled connection: how long the pool waits is not the subject.
        app = _app(url, pool_timeout=0.5)
        engine = app.state.engine
        # Every connection the pool may hand out (10 + 10 overflow), held elsewhere.
        held = [await engine.connect() for _ in range(20)]
        try:
            async with _client(app) as client:
                response = await client.get("/rows")
            assert response.status_code == 503, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["type"].endswith("database-unavailable")
        finally:
            for connection in held:
                await connection.close()
            await engine.dispose()
