"""Background report jobs: the database is the queue, so a restart loses nothing.

Workers claim the oldest queued job with a conditional UPDATE (safe with several workers or
replicas), build it stage by stage, and record success or a failure with its reason. On
startup, jobs a stopped process left queued or running are put back in the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitwall_report.config import Settings
from pitwall_report.rendering.document import ReportDocument
from pitwall_report.rendering.pdf import render_pdf
from pitwall_report.rendering.renderer import render_chart
from pitwall_report.repositories import reports as repo
from pitwall_report.services.render_pool import RenderPool
from pitwall_report.services.report_common import JobContext
from pitwall_report.services.report_lap_comparison import build_lap_comparison
from pitwall_report.services.report_session import build_race_pace, build_session_summary
from pitwall_report.services.storage import ReportFiles
from pitwall_report.services.upstreams import (
    SERVICE_TOKEN_REFUSED,
    SERVICE_TOKEN_UNAVAILABLE,
    SessionKey,
    Upstreams,
)
from pitwall_shared.db import session_scope
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

    async def start(self) -> int:
        async with session_scope(self._sessions) as session:
            resumed = await repo.requeue_unfinished(session)
        if resumed:
            log.info("resuming %d unfinished report job(s)", resumed)
        self._tasks = [
            asyncio.create_task(self._work(), name=f"report-worker-{i}")
            for i in range(self._settings.job_concurrency)
        ]
        return resumed

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        """Cancel running jobs; their rows stay 'running' and resume at the next start."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    async def _work(self) -> None:
        while True:
            self._wake.clear()
            try:
                job_id = await self._claim()
            except Exception:  # database down: keep the worker alive and try again later
                log.exception("could not claim a report job")
                job_id = None
            if job_id is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._settings.job_poll_seconds)
                continue
            await self._run(job_id)

    async def _claim(self) -> str | None:
        async with session_scope(self._sessions) as session:
            job_id = await repo.next_queued_id(session)
            if job_id is None or not await repo.claim(session, job_id):
                return None
            return job_id

    async def _progress(self, job_id: str, percent: int, stage: str) -> None:
        async with session_scope(self._sessions) as session:
            if not await repo.set_progress(session, job_id, percent, stage):
                raise JobGone(job_id)

    async def _run(self, job_id: str) -> None:
        stage = "starting"
        try:
            async with session_scope(self._sessions) as session:
                job = await repo.get(session, job_id)
            if job is None:
                return
            stage = "fetching data"
            await self._progress(job_id, 10, stage)
            params = job.params
            context = JobContext(
                key=SessionKey(int(params["year"]), str(params["event"]), str(params["session"])),
                drivers=list(params.get("drivers") or []),
                laps=list(params.get("laps") or []),
                style=str(params.get("style") or "light"),
                token=await self._upstreams.auth.service_token(),
                upstreams=self._upstreams,
                title=params.get("title"),
            )
            document = await BUILDERS[job.kind](context)
            stage = "drawing charts"
            await self._progress(job_id, 40, stage)
            timeout = self._settings.chart_timeout_seconds
            # One chart per task, so the render workers draw a report's charts in parallel.
            drawn = await asyncio.gather(*(
                self._pool.run(render_chart, request, timeout=timeout)
                for request in document.charts.values()))
            charts = dict(zip(document.charts, drawn, strict=True))
            stage = "rendering PDF"
            await self._progress(job_id, 70, stage)
            pdf = await self._pool.run(render_pdf, document, charts, timeout=timeout)
            stage = "saving"
            await self._progress(job_id, 92, stage)
            await self._save(job_id, pdf.content, pdf.pages)
        except JobGone:
            log.info("report job %s was deleted while it ran", job_id)
        except ProblemError as exc:
            await self._failed(job_id, stage, exc)
        except Exception as exc:
            log.exception("report job %s failed while %s", job_id, stage)
            await self._fail(job_id, f"Internal error while {stage} ({type(exc).__name__}).",
                             stage)

    async def _save(self, job_id: str, content: bytes, pages: int) -> None:
        name = ReportFiles.name_for(job_id)
        size = await asyncio.to_thread(self._files.write, name, content)
        async with session_scope(self._sessions) as session:
            saved = await repo.mark_succeeded(
                session, job_id, file_name=name, file_size=size, page_count=pages
            )
        if not saved:  # deleted while rendering: do not leave an orphan file behind
            await asyncio.to_thread(self._files.remove, [name])

    async def _failed(self, job_id: str, stage: str, exc: ProblemError) -> None:
        transient = (exc.status >= 500 or exc.status == 429) and exc.slug not in PERMANENT
        async with session_scope(self._sessions) as session:
            job = await repo.get(session, job_id)
        attempts = job.attempts if job else self._settings.job_max_attempts
        if transient and attempts < self._settings.job_max_attempts:
            await asyncio.sleep(self._settings.job_retry_backoff_seconds * attempts)
            async with session_scope(self._sessions) as session:
                await repo.requeue_running(session, job_id, f"waiting to retry: {exc.detail}")
            self.wake()
            return
        await self._fail(job_id, exc.detail, stage)

    async def _fail(self, job_id: str, reason: str, stage: str) -> None:
        async with session_scope(self._sessions) as session:
            await repo.mark_failed(session, job_id, reason, stage=f"failed while {stage}")
