"""Fair scheduling: owners take turns at the queue. One user's 300 queued jobs delay another
user's single job by at most one claim, with one worker or several replicas, on MariaDB and
SQLite; claims stay exclusive (every job claimed once, attempt 1)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitwall_report.repositories import reports as repo
from pitwall_shared.db import session_scope

from .db_fixtures import BACKENDS, add_jobs, report_sessions


async def claim_one(sessions: async_sessionmaker[AsyncSession]) -> str | None:
    """One claim as a worker makes it (a lost race picks again)."""
    for _ in range(10):
        async with session_scope(sessions) as session:
            claimed = await repo.claim_next(session)
        if claimed is None:
            return None
        if claimed[1] is not None:
            return claimed[0]
    raise AssertionError("lost the race for a job ten times in a row")


async def finish(sessions: async_sessionmaker[AsyncSession], job_id: str) -> None:
    async with session_scope(sessions) as session:
        assert await repo.mark_succeeded(session, job_id, 1, file_name=f"{job_id}-1.pdf",
                                         file_size=1, page_count=1)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_one_worker_serves_a_newcomer_next(backend: str, tmp_path: Path) -> None:
    async with report_sessions(backend, tmp_path) as sessions:
        flood = await add_jobs(sessions, "u-flood", 300)
        # The flooder has been served and its job is done: nothing of theirs is running.
        first = await claim_one(sessions)
        assert first == flood[0]
        await finish(sessions, first)
        [single] = await add_jobs(sessions, "u-single", 1)
        claimed = [await claim_one(sessions), await claim_one(sessions)]
        assert single in claimed, claimed
        assert claimed[0] == single  # never served before, so first
        # Then the flood goes on in its own order.
        assert claimed[1] == flood[1]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_owner_with_fewest_running_goes_first(backend: str, tmp_path: Path) -> None:
    async with report_sessions(backend, tmp_path) as sessions:
        flood = await add_jobs(sessions, "u-flood", 300)
        assert [await claim_one(sessions) for _ in range(2)] == flood[:2]  # both running
        [single] = await add_jobs(sessions, "u-single", 1)
        [late] = await add_jobs(sessions, "u-late", 1)
        claimed = [await claim_one(sessions) for _ in range(3)]
        # Two owners with nothing running come first, in the order their jobs waited.
        assert claimed == [single, late, flood[2]]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_replicas_claiming_at_once_share_fairly_and_exclusively(
    backend: str, tmp_path: Path
) -> None:
    async with report_sessions(backend, tmp_path) as sessions:
        await add_jobs(sessions, "u-flood", 300)
        [single] = await add_jobs(sessions, "u-single", 1)
        # Four replicas' workers claim at once, twice each.
        rounds = [await asyncio.gather(*(claim_one(sessions) for _ in range(4)))
                  for _ in range(2)]
        claimed = [job for batch in rounds for job in batch]
        assert single in rounds[0], rounds  # among the very first claims
        assert None not in claimed and len(set(claimed)) == len(claimed) == 8
        async with session_scope(sessions) as session:
            for job_id in claimed:
                job = await repo.get(session, job_id)
                assert job is not None and (job.status, job.attempts) == ("running", 1)
