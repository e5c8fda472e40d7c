"""An empty migrated report database per test, on MariaDB and on SQLite, and job rows written
straight through the repository (for tests that need hundreds of them, or old ones)."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitwall_report.migrate import migrate
from pitwall_report.models import ReportJob
from pitwall_report.repositories import reports as repo
from pitwall_shared.db import create_engine, create_session_factory, session_scope
from pitwall_shared.orm_types import utcnow
from pitwall_shared.testing import MigratedDatabase, mysql_available

PARAMS = {"year": 2024, "event": "Hungary", "session": "Q", "drivers": ["NOR", "PIA"],
          "laps": ["fastest", "fastest"], "style": "light"}
BACKENDS = ["mariadb", "sqlite"]


@contextlib.asynccontextmanager
async def report_sessions(backend: str, tmp: Path
                          ) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    if backend == "mariadb" and not mysql_available():
        import pytest

        # CI starts MariaDB, so there a missing one fails instead of quietly skipping.
        (pytest.fail if os.environ.get("CI") else pytest.skip)("no MariaDB on 127.0.0.1:3306")
    if backend == "mariadb":
        url = await asyncio.to_thread(_emptied_mariadb, tmp)
    else:
        url = f"sqlite:///{tmp / 'report.db'}"
        await asyncio.to_thread(migrate, url)
    engine = create_engine(url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


_MARIADB: list[MigratedDatabase] = []


def _emptied_mariadb(tmp: Path) -> str:
    """One MariaDB database per test process, migrated once and emptied for each test (the
    same empty migrated schema a new database would have, without a CREATE and migrations
    per test); dropped when the process ends."""
    if not _MARIADB:
        database = MigratedDatabase(tmp / "report-db", migrate).__enter__()
        atexit.register(database.__exit__)
        _MARIADB.append(database)
    return _MARIADB[0].emptied()


async def add_jobs(sessions: async_sessionmaker[AsyncSession], owner: str, count: int, *,
                   status: str = "queued", created_at: datetime | None = None,
                   **columns: Any) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    async with session_scope(sessions) as session:
        for job_id in ids:
            values = {"progress": 0, "attempts": 0, **columns}
            await repo.add(session, ReportJob(
                id=job_id, owner_id=owner, kind="lap_comparison", title="NOR vs PIA",
                params=PARAMS, status=status, stage=status,
                created_at=created_at or utcnow(), **values))
    return ids
