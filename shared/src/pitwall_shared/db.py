"""Async SQLAlchemy engine and request-scoped sessions.

SQLite by default, MySQL/MariaDB in deployment.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from pitwall_shared.problems import ProblemError


def async_database_url(url: str) -> str:
    """Accept plain ``sqlite://``/``mysql://`` URLs and pick the async driver for them."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.drivername != "sqlite+aiosqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif backend in ("mysql", "mariadb") and parsed.drivername not in (
        "mysql+aiomysql",
        "mariadb+aiomysql",
    ):
        parsed = parsed.set(drivername="mysql+aiomysql")
    return parsed.render_as_string(hide_password=False)


def create_engine(url: str, *, echo: bool = False, pool_timeout: float = 5) -> AsyncEngine:
    """``pool_timeout``: seconds a request waits for a free pooled connection (MariaDB) before
    the pool gives up and the request gets a 503 problem."""
    url = async_database_url(url)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": 15})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # WAL lets readers proceed during a write; foreign keys are off by default in SQLite.
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_async_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_recycle=1800,
        pool_size=10,
        max_overflow=10,
        pool_timeout=pool_timeout,
        connect_args={"connect_timeout": 5},
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@contextlib.asynccontextmanager
async def session_scope(
    factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """Yield a session that commits when the request succeeds and rolls back when it fails.

    A database that cannot be reached becomes a 503 problem, never a bare 500: the
    client may retry, and nothing was acknowledged.
    """
    try:
        async with factory() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
    except (OperationalError, DBAPIError) as exc:
        if (
            isinstance(exc, DBAPIError)
            and not exc.connection_invalidated
            and not isinstance(exc, OperationalError)
        ):
            raise
        raise ProblemError(
            503,
            "The database is unavailable; nothing was saved. Retry shortly.",
            slug="database-unavailable",
            headers={"Retry-After": "2"},
        ) from exc
    except (OSError, PoolTimeoutError) as exc:
        # PoolTimeoutError: every pooled connection stayed busy (a burst of slow requests);
        # the same answer as an unreachable database, not a 500.
        raise ProblemError(
            503,
            "The database is unavailable; nothing was saved. Retry shortly.",
            slug="database-unavailable",
            headers={"Retry-After": "2"},
        ) from exc


def request_session(get_factory: Callable[[Request], async_sessionmaker[AsyncSession]]) -> Any:
    """``Depends`` for a request-scoped session that commits *before* the response is sent.

    FastAPI runs the exit code of a yield dependency after the response by default, so a
    failed commit would follow a 2xx the client already received: an acknowledged write
    lost. ``scope="function"`` makes the commit part of producing the response.

    Usage: ``SessionDep = Annotated[AsyncSession, request_session(lambda r: r.app.state.sessions)]``
    """

    async def _session(request: Request) -> AsyncIterator[AsyncSession]:
        # ``async with`` (not ``async for``) so the endpoint's exception reaches the scope.
        async with session_scope(get_factory(request)) as session:
            yield session

    return Depends(_session, scope="function")
