"""Background report jobs: the database is the queue, so a restart loses nothing.

Workers claim a queued job with a conditional UPDATE (safe with several workers or replicas),
taking owners in turn (``repositories.reports.next_owner``) so one user's long queue cannot
hold up everyone else's; they build it stage by stage and record success or a failure with
its reason.

Replicas share the queue, so a running job is leased, not owned: its runner renews the lease
(``updated_at``) every third of ``REPORT_JOB_LEASE_SECONDS``. A job whose lease lapsed (its
process died) is put back in the queue by whichever replica notices first, and its claim
number fences the old runner's writes. A process that stops cleanly hands its running jobs
back to the queue at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitwall_report import metrics
from pitwall_report.config import Settings
from pitwall_report.models import ReportResult
from pitwall_report.rendering.document import ReportDocument
from pitwall_report.rendering.pdf import finish_report
from pitwall_report.repositories import queue_depth
from pitwall_report.repositories import reports as repo
from pitwall_report.services import results
from pitwall_report.services.render_pool import RenderPool
from pitwall_report.services.report_common import JobContext
from pitwall_report.services.report_lap_comparison import build_lap_comparison
from pitwall_report.services.report_render import beside, draw_and_lay_out
from pitwall_report.services.report_session import build_race_pace, build_session_summary
from pitwall_report.services.storage import ReportFiles
from pitwall_report.services.upstreams import (
    SERVICE_TOKEN_REFUSED,
    SERVICE_TOKEN_UNAVAILABLE,
    SessionKey,
    Upstreams,
)
from pitwall_shared.db import session_scope
from pitwall_shared.orm_types import utcnow
from pitwall_shared.problems import ProblemError

log = logging.getLogger("pitwall.report.jobs")

Builder = Callable[[JobContext], Awaitable[ReportDocument]]
BUILDERS: dict[str, Builder] = {
    "lap_comparison": build_lap_comparison,
    "race_pace": build_race_pace,
    "session_summary": build_session_summary,
}

# Failures a retry cannot fix without someone changing the configuration first.
PERMANENT = {SERVICE_TOKEN_REFUSED, SERVICE_TOKEN_UNAVAILABLE}
# Another worker may win the race for the job we picked; pick again rather than sleep.
CLAIM_TRIES = 3
# The queue-depth gauges are counted at most this often per process (one indexed COUNT).
QUEUE_COUNT_INTERVAL_S = 5.0


@dataclass
class _RunLabels:
    """What one run's metrics are labelled with, filled in as the run learns it."""

    kind: str = "unknown"
    outcome: str = "interrupted"  # stays so when the run is cancelled


class JobGone(Exception):
    """The job was deleted (or changed state) while it ran: stop quietly."""


class JobRunner:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        upstreams: Upstreams,
        pool: RenderPool,
        files: ReportFiles,
        settings: Settings,
    ) -> None:
        self._sessions = sessions
        self._upstreams = upstreams
        self._pool = pool
        self._files = files
        self._settings = settings
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._lease = timedelta(seconds=settings.job_lease_seconds)
        self._next_sweep = 0.0
        self._next_count = 0.0

    async def start(self) -> int:
        resumed = await self.requeue_abandoned()
        await self.count_queue()
        self._tasks = [
            asyncio.create_task(self._work(), name=f"report-worker-{i}")
            for i in range(self._settings.job_concurrency)
        ]
        return resumed

    async def requeue_abandoned(self) -> int:
        """Queue again the running jobs whose runner has been silent for a whole lease."""
        self._next_sweep = time.monotonic() + self._lease.total_seconds() / 2
        async with session_scope(self._sessions) as session:
            resumed = await repo.requeue_abandoned(session, utcnow() - self._lease)
        if resumed:
            log.info("resuming %d report job(s) whose worker stopped", resumed)
            self.wake()
        return resumed

    async def count_queue(self) -> dict[str, int]:
        """Refresh the queue-depth gauges from the shared table (every replica sees all)."""
        self._next_count = time.monotonic() + QUEUE_COUNT_INTERVAL_S
        async with session_scope(self._sessions) as session:
            counts = await queue_depth.active_counts(session)
        for status, count in counts.items():
            metrics.QUEUE_JOBS.labels(status).set(count)
        return counts

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        """Cancel running jobs; each hands its job back to the queue on the way out."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    async def _work(self) -> None:
        while True:
            self._wake.clear()
            try:
                claimed = await self._claim()
                if claimed is None and time.monotonic() >= self._next_sweep:
                    await self.requeue_abandoned()
                if time.monotonic() >= self._next_count:
                    await self.count_queue()
            except Exception:  # database down: keep the worker alive and try again later
                log.exception("could not claim a report job")
                claimed = None
            if claimed is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._settings.job_poll_seconds)
                continue
            await self._run_leased(*claimed)

    async def _claim(self) -> tuple[str, int] | None:
        for _ in range(CLAIM_TRIES):
            async with session_scope(self._sessions) as session:
                claimed = await repo.claim_next(session)
            if claimed is None:
                return None
            job_id, attempt = claimed
            if attempt is not None:
                return job_id, attempt
        return None

    async def _run_leased(self, job_id: str, attempt: int) -> None:
        """Run the job while renewing its lease; hand it back if this process stops."""
        run = asyncio.create_task(self._run(job_id, attempt), name=f"report-job-{job_id}")
        renew_every = self._lease.total_seconds() / 3
        try:
            while not run.done():
                await asyncio.wait({run}, timeout=renew_every)
                if not run.done() and not await self._renew(job_id, attempt):
                    log.info("report job %s is no longer this run's; stopping it", job_id)
                    run.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await run
        except asyncio.CancelledError:  # this process is stopping
            run.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await run
            with contextlib.suppress(Exception):
                async with session_scope(self._sessions) as session:
                    await repo.requeue_running(session, job_id, attempt,
                                               "queued (its worker stopped)")
            raise

    async def _renew(self, job_id: str, attempt: int) -> bool:
        try:
            async with session_scope(self._sessions) as session:
                return await repo.heartbeat(session, job_id, attempt)
        except Exception:  # a database blip: keep working; the lease has slack for it
            log.warning("could not renew the lease of report job %s", job_id, exc_info=True)
            return True

    async def _progress(self, job_id: str, attempt: int, percent: int, stage: str) -> None:
        async with session_scope(self._sessions) as session:
            if not await repo.set_progress(session, job_id, attempt, percent, stage):
                raise JobGone(job_id)

    async def _run(self, job_id: str, attempt: int) -> None:
        started = time.perf_counter()
        run = _RunLabels()
        try:
            run.outcome = await self._build(job_id, attempt, run)
        finally:
            metrics.JOBS.labels(run.kind, run.outcome).inc()
            metrics.JOB_DURATION.labels(run.kind, run.outcome).observe(
                time.perf_counter() - started)

    async def _build(self, job_id: str, attempt: int, run: _RunLabels) -> str:
        """Build, draw, render and save one job; returns how the run ended."""
        stage = "starting"
        try:
            async with session_scope(self._sessions) as session:  # one commit for both
                job = await repo.get(session, job_id)
                started = job is not None and await repo.set_progress(
                    session, job_id, attempt, 10, "fetching data")
            if job is None:
                return "gone"
            run.kind = job.kind
            stage = "fetching data"
            if not started:
                raise JobGone(job_id)
            params = job.params
            context = JobContext(
                key=SessionKey(int(params["year"]), str(params["event"]), str(params["session"])),
                drivers=list(params.get("drivers") or []),
                laps=list(params.get("laps") or []),
                style=str(params.get("style") or "light"),
                token=await self._upstreams.auth.service_token(),
                # The owner's model-call limits apply to the report's narrative.
                upstreams=replace(self._upstreams,
                                  analysis=self._upstreams.analysis.acting_for(job.owner_id)),
                title=params.get("title"),
            )
            document = await BUILDERS[job.kind](context)
            stage = "drawing charts"  # and laying out the pages, in parallel
            timeout = self._settings.chart_timeout_seconds
            # Each stage is recorded while its work runs: its commit need not hold it up.
            laid_out, charts = await beside(draw_and_lay_out(self._pool, document, timeout=timeout),
                                            self._progress(job_id, attempt, 40, stage))
            stage = "rendering PDF"
            pdf = await beside(self._pool.run(finish_report, laid_out, charts, timeout=timeout),
                               self._progress(job_id, attempt, 70, stage))
            stage = "saving"
            await self._progress(job_id, attempt, 92, stage)
            return await self._save(job_id, attempt, pdf.content, pdf.pages, job.result_key)
        except JobGone:
            log.info("report job %s was deleted or taken over while it ran", job_id)
            return "gone"
        except ProblemError as exc:
            metrics.JOB_FAILURES.labels(run.kind, metrics.failure_reason(exc)).inc()
            return await self._failed(job_id, attempt, stage, exc)
        except Exception as exc:
            log.exception("report job %s failed while %s", job_id, stage)
            metrics.JOB_FAILURES.labels(run.kind, metrics.failure_reason(exc)).inc()
            await self._fail(job_id, attempt,
                             f"Internal error while {stage} ({type(exc).__name__}).", stage)
            return "failed"

    async def _save(self, job_id: str, attempt: int, content: bytes, pages: int,
                    key: str | None) -> str:
        # One file per attempt: a run that was taken over never overwrites its successor's.
        name = ReportFiles.name_for(job_id, attempt)
        size = await asyncio.to_thread(self._files.write, name, content)
        async with session_scope(self._sessions) as session:
            used = ReportResult(result_key=key, file_name=name, file_size=size, page_count=pages)
            if key is not None:  # an identical run may have stored its file first
                used = await results.adopt(session, self._files, key, used)
            used_name = used.file_name
            saved = await repo.mark_succeeded(session, job_id, attempt, file_name=used_name,
                                              file_size=used.file_size, page_count=used.page_count)
            if not saved:  # deleted or taken over while rendering: store nothing
                await session.rollback()
        if not saved or used_name != name:  # leave no orphan file behind
            await asyncio.to_thread(self._files.remove, [name])
        return "succeeded" if saved else "gone"

    async def _failed(self, job_id: str, attempt: int, stage: str, exc: ProblemError) -> str:
        transient = (exc.status >= 500 or exc.status == 429) and exc.slug not in PERMANENT
        async with session_scope(self._sessions) as session:
            job = await repo.get(session, job_id)
        attempts = job.attempts if job else self._settings.job_max_attempts
        if transient and attempts < self._settings.job_max_attempts:
            await asyncio.sleep(self._settings.job_retry_backoff_seconds * attempts)
            async with session_scope(self._sessions) as session:
                await repo.requeue_running(session, job_id, attempt,
                                           f"waiting to retry: {exc.detail}")
            self.wake()
            return "retried"
        await self._fail(job_id, attempt, exc.detail, stage)
        return "failed"

    async def _fail(self, job_id: str, attempt: int, reason: str, stage: str) -> None:
        async with session_scope(self._sessions) as session:
            await repo.mark_failed(session, job_id, attempt, reason,
                                   stage=f"failed while {stage}")
