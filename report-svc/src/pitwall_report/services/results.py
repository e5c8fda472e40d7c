"""Content-addressed results: an identical request is answered with the PDF already made.

The key hashes everything that decides a report's bytes: its kind, session, drivers, laps,
style and title, the version of the data (telemetry-svc's ETag for the session, which
changes with every new snapshot; analysis-svc computes its facts from that same snapshot and
memoises them under it) and ``RENDERER_VERSION``. A newer snapshot or another style is
another key, so it is rendered anew and never answered with an older file.

Results are shared between users: the bytes depend only on public session data and the
request, never on who asked. Every job row still belongs to one user (another user's report
is a 404, quotas count rows) and names the file it uses. A file is removed only when no job
row names it any more, decided under the lock of its result row (``repositories.results``),
so deleting one of two sharers keeps the other's file.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_report import metrics
from pitwall_report.models import ReportJob, ReportResult, utcnow
from pitwall_report.repositories import results as repo
from pitwall_report.services.storage import ReportFiles

# Bump whenever templates, charts or the document builders change what a PDF looks like:
# results made by an older renderer are then no longer found.
RENDERER_VERSION = "2026-12-01.2"
REUSED_STAGE = "done (an identical report was reused)"


def result_key(kind: str, params: dict[str, Any], data_version: str) -> str:
    """``params`` as stored on the job (session, drivers, laps, style, title)."""
    decided_by = {"kind": kind, "params": params, "data": data_version,
                  "renderer": RENDERER_VERSION}
    canonical = json.dumps(decided_by, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def reuse(session: AsyncSession, files: ReportFiles, job: ReportJob) -> bool:
    """Make ``job`` (new, not yet added) a finished copy of its key's result, when that
    result exists and its file is on disk. The lock taken holds until the caller commits."""
    if job.result_key is None or await repo.find(session, job.result_key) is None:
        return False
    found = await repo.lock(session, job.result_key)
    if found is None or not await asyncio.to_thread(files.path(found.file_name).is_file):
        return False
    now = utcnow()
    job.status, job.stage, job.progress = "succeeded", REUSED_STAGE, 100
    job.file_name, job.file_size, job.page_count = (found.file_name, found.file_size,
                                                     found.page_count)
    job.started_at = job.finished_at = now
    metrics.RESULTS.labels("reused").inc()
    return True


async def adopt(session: AsyncSession, files: ReportFiles, key: str, written: ReportResult
                ) -> ReportResult:
    """Store the file a run has just written as the key's result, or, when an identical run
    stored one first and its file is still there, the one to use instead (the caller then
    removes its own after committing). Holds the key's lock until the caller commits."""
    for _ in range(2):
        found = await repo.lock(session, key)
        if found is not None:
            if await asyncio.to_thread(files.path(found.file_name).is_file):
                metrics.RESULTS.labels("joined").inc()
                return found
            # Its file was lost: this run's file becomes the result (no job can read the old).
            found.file_name, found.file_size, found.page_count = (
                written.file_name, written.file_size, written.page_count)
            metrics.RESULTS.labels("rendered").inc()
            return found
        try:
            await repo.add(session, written)
        except IntegrityError:  # stored by an identical run a moment ago: lock that one
            continue
        metrics.RESULTS.labels("rendered").inc()
        return written
    raise RuntimeError(f"result {key} kept appearing and vanishing while being stored")


async def release(session: AsyncSession, jobs: list[tuple[str | None, str | None]],
                  delete_rows: Any) -> list[str]:
    """Delete job rows and say which files no row names any more (remove them after commit).

    ``jobs`` are the (result key, file name) of the rows ``delete_rows()`` deletes. Their keys
    are locked first, so no reuse can start naming a file between the count and the delete.
    """
    locked = await repo.lock_all(session, [key for key, _ in jobs if key])
    await delete_rows()
    names = {name for _, name in jobs if name}
    still_named = await repo.named_by_jobs(session, names)
    unused = names - still_named
    await repo.remove(session, [key for key, row in locked.items() if row.file_name in unused])
    return sorted(unused)
