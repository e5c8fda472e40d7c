"""Retention: the sweeper deletes finished reports past the retention period, file and row
together, leaves recent and unfinished ones alone, finishes a purge a crash interrupted, and
removes files no row refers to once they are old enough."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitwall_report.repositories import reports as repo
from pitwall_report.services.storage import ReportFiles
from pitwall_report.services.sweeper import Sweeper
from pitwall_shared.db import session_scope
from pitwall_shared.orm_types import utcnow

from .db_fixtures import BACKENDS, add_jobs, report_sessions

RETENTION = timedelta(days=30)


async def stored_report(sessions: async_sessionmaker[AsyncSession], files: ReportFiles,
                        owner: str, age: timedelta) -> tuple[str, Path]:
    finished = utcnow() - age
    [job_id] = await add_jobs(sessions, owner, 1, status="succeeded", attempts=1,
                              created_at=finished - timedelta(minutes=1), finished_at=finished,
                              file_name=None)
    name = ReportFiles.name_for(job_id, 1)
    files.write(name, b"%PDF-1.7 stand-in content")
    async with session_scope(sessions) as session:
        job = await repo.get(session, job_id)
        assert job is not None
        job.file_name = name
    return job_id, files.path(name)


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path
                ) -> AsyncIterator[tuple[async_sessionmaker[AsyncSession], ReportFiles]]:
    """A migrated database (MariaDB, then SQLite) and an output directory."""
    files = ReportFiles(tmp_path / "reports")
    files.ensure()
    async with report_sessions(request.param, tmp_path) as sessions:
        yield sessions, files


async def row_exists(sessions: async_sessionmaker[AsyncSession], job_id: str) -> bool:
    async with session_scope(sessions) as session:
        return await repo.get(session, job_id) is not None


async def test_expired_reports_go_file_and_row_and_nothing_else_does(
    store: tuple[async_sessionmaker[AsyncSession], ReportFiles],
) -> None:
    sessions, files = store
    sweeper = Sweeper(sessions, files, retention=RETENTION, interval_s=3600)
    old_id, old_file = await stored_report(sessions, files, "u-1", timedelta(days=31))
    new_id, new_file = await stored_report(sessions, files, "u-1", timedelta(days=29))
    [old_failed] = await add_jobs(sessions, "u-2", 1, status="failed",
                                  finished_at=utcnow() - timedelta(days=40))
    # Created long ago but still waiting its turn: not finished, so not expired.
    [old_queued] = await add_jobs(sessions, "u-2", 1,
                                  created_at=utcnow() - timedelta(days=40))

    swept = await sweeper.sweep()

    assert swept.expired == 2
    assert not old_file.exists() and not await row_exists(sessions, old_id)
    assert not await row_exists(sessions, old_failed)
    assert new_file.exists() and await row_exists(sessions, new_id)
    assert await row_exists(sessions, old_queued)


async def test_a_purge_cut_short_after_the_file_is_finished_next_time(
    store: tuple[async_sessionmaker[AsyncSession], ReportFiles],
) -> None:
    sessions, files = store
    sweeper = Sweeper(sessions, files, retention=RETENTION, interval_s=3600)
    job_id, path = await stored_report(sessions, files, "u-1", timedelta(days=45))
    path.unlink()  # the state a crash between the two steps leaves: file gone, row kept
    assert (await sweeper.sweep()).expired == 1
    assert not await row_exists(sessions, job_id)


async def test_leftover_files_are_removed_once_old(
    store: tuple[async_sessionmaker[AsyncSession], ReportFiles],
) -> None:
    sessions, files = store
    sweeper = Sweeper(sessions, files, retention=RETENTION, interval_s=3600,
                      leftover_age_s=600)
    kept_id, kept = await stored_report(sessions, files, "u-1", timedelta(days=1))
    orphan = files.path(ReportFiles.name_for("0f0e0d0c-0000-4000-8000-000000000001", 1))
    fresh_orphan = files.path(ReportFiles.name_for("0f0e0d0c-0000-4000-8000-000000000002",
                                                   1))
    temp = files.directory / ".tmp-interrupted.pdf"
    for path in (orphan, fresh_orphan, temp):
        path.write_bytes(b"left behind")
    an_hour_ago = time.time() - 3600
    for path in (orphan, temp, kept):
        os.utime(path, (an_hour_ago, an_hour_ago))

    swept = await sweeper.sweep()

    assert swept.leftover_files == 2
    assert not orphan.exists() and not temp.exists()
    assert fresh_orphan.exists()  # might be a run about to record it: too young to judge
    assert kept.exists() and await row_exists(sessions, kept_id)
