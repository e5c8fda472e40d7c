"""Retention and leftovers: deletes finished reports past ``REPORT_RETENTION_DAYS`` (file and
row), and files no row refers to any more.

Order for expired reports: the FILE goes first, then the row. A crash in between leaves a row
whose file is gone; the row is still expired, so the next sweep deletes it, and until then a
download answers 410 (``report-file-missing``), never a broken file. The other order would
leave a file no row names, found only by the leftover scan below.

Reports may share a file (``services.results``): an expired report's file is removed only when
no report outside the batch names it, decided under the lock of its result row, which is held
until the rows are gone, so no request can start reusing a file being removed.

Leftovers come from crashes elsewhere: a user's delete removes the row before the file (so a
report is never listed without its file), and a write interrupted mid-way leaves a temp file.
Files untouched for ``LEFTOVER_AGE_S`` that no job or result row names are removed; the age
keeps a running job's fresh file safe. Every replica may sweep: each step is idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitwall_report.repositories import reports as repo
from pitwall_report.repositories import results as results_repo
from pitwall_report.services.storage import ReportFiles
from pitwall_shared.db import session_scope
from pitwall_shared.orm_types import utcnow

log = logging.getLogger("pitwall.report.sweeper")

BATCH = 200
LEFTOVER_AGE_S = 3600.0


@dataclass(frozen=True)
class Swept:
    expired: int
    leftover_files: int


class Sweeper:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], files: ReportFiles, *,
                 retention: timedelta, interval_s: float,
                 leftover_age_s: float = LEFTOVER_AGE_S) -> None:
        self._sessions = sessions
        self._files = files
        self._retention = retention
        self._interval_s = interval_s
        self._leftover_age_s = leftover_age_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="report-sweeper")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            try:
                swept = await self.sweep()
                if swept.expired or swept.leftover_files:
                    log.info("swept %d expired report(s) and %d leftover file(s)",
                             swept.expired, swept.leftover_files)
            except Exception:  # the database may be down: try again next time
                log.exception("report sweep failed")
            await asyncio.sleep(self._interval_s)

    async def sweep(self) -> Swept:
        return Swept(await self.purge_expired(), await self.remove_leftovers())

    async def purge_expired(self) -> int:
        cutoff = utcnow() - self._retention
        purged = 0
        while True:
            async with session_scope(self._sessions) as session:
                batch = await repo.expired(session, cutoff, BATCH)
            if not batch:
                return purged
            async with session_scope(self._sessions) as session:
                purged += await self._purge(session, batch, cutoff)
            if len(batch) < BATCH:
                return purged

    async def _purge(self, session: AsyncSession, batch: list[tuple[str, str | None, str | None]],
                     cutoff: datetime) -> int:
        """Files first, then rows, in one transaction holding the batch's result keys."""
        locked = await results_repo.lock_all(session, [key for _, _, key in batch if key])
        job_ids = [job for job, _, _ in batch]
        names = {name for _, name, _ in batch if name}
        unused = names - await results_repo.named_by_jobs_except(session, names, job_ids)
        await asyncio.to_thread(self._files.remove, sorted(unused))
        deleted = await repo.delete_expired(session, job_ids, cutoff)
        await results_repo.remove(session, [key for key, row in locked.items()
                                            if row.file_name in unused])
        return deleted

    async def remove_leftovers(self) -> int:
        reports, other = await asyncio.to_thread(self._files.stale_entries,
                                                 self._leftover_age_s)
        known: set[str] = set()
        for start in range(0, len(reports), BATCH):
            async with session_scope(self._sessions) as session:
                known |= await results_repo.named_files(session, reports[start:start + BATCH])
        doomed = other + [name for name in reports if name not in known]
        await asyncio.to_thread(self._files.remove, doomed)
        return len(doomed)
