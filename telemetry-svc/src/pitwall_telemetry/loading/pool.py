"""Runs FastF1 loads in a process pool: single-flight per session, bounded by the pool size.

A load never runs on the event loop (FastF1 is blocking, CPU and memory heavy). Concurrent
requests for one session share one load; a failed load is remembered for the status endpoint
(how soon it is retried is the catalog's backoff). The loader reports the stage it is in
through a progress file under ``<store>/.loading/``. A worker that dies (BrokenProcessPool) is
replaced by a fresh pool instead of failing every later request.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pitwall_telemetry import metrics
from pitwall_telemetry.loading import worker
from pitwall_telemetry.loading.errors import LoadError
from pitwall_telemetry.loading.progress import now_iso, read_progress
from pitwall_telemetry.snapshots.store import SessionId

log = logging.getLogger("pitwall.telemetry.pool")


@dataclass(frozen=True)
class PoolConfig:
    store_root: Path
    fastf1_cache_dir: Path
    offline: bool
    frozen_dir: Path | None
    hungary_raw_dir: Path | None
    workers: int
    timeout_s: float
    # The loader processes' log level (None: leave their logging alone, as in tests).
    log_level: str | None = None


PROGRESS_DIR = ".loading"
# Stopping the pool terminates its processes, which the multiprocessing resource tracker (a
# process of its own, started with our -W options) reports at exit as leaked semaphores, in
# plain text on the service's log; it cleans them up either way.
_QUIET_RESOURCE_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"


@dataclass
class LoadState:
    state: str  # "loading" | "failed"
    reason: str | None = None
    started_at: str = field(default_factory=now_iso)


class LoaderPool:
    def __init__(self, config: PoolConfig) -> None:
        self.config = config
        self._executor: ProcessPoolExecutor | None = None
        self._inflight: dict[str, asyncio.Future[Any]] = {}
        self.states: dict[str, LoadState] = {}
        self.load_counts: Counter[str] = Counter()

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            cfg = self.config
            if _QUIET_RESOURCE_TRACKER not in sys.warnoptions:
                sys.warnoptions.append(_QUIET_RESOURCE_TRACKER)
            self._executor = ProcessPoolExecutor(
                max_workers=cfg.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=worker.init_worker,
                initargs=(str(cfg.fastf1_cache_dir), cfg.offline,
                          str(cfg.frozen_dir) if cfg.frozen_dir else None, cfg.log_level),
            )
        return self._executor

    def warm(self) -> None:
        """Start one worker in the background so the first load does not wait for imports."""
        self._pool().submit(worker.warm_up)

    def shutdown(self) -> None:
        """Stop the pool and its processes now.

        ``shutdown(wait=False)`` alone leaves a worker that is still importing FastF1 running
        after the service exits (an orphan); a load in progress is abandoned either way.
        """
        if self._executor is None:
            return
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None
        workers = multiprocessing.active_children()
        for process in workers:
            process.terminate()
        for process in workers:
            process.join(timeout=5)

    async def _run(self, func: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(self._pool(), func, *args)
            return await asyncio.wait_for(future, self.config.timeout_s)
        except BrokenProcessPool:
            log.error("a loader process died; starting a fresh pool")
            self.shutdown()
            raise LoadError("failed", "The loader process stopped unexpectedly; "
                            "the request can be retried.", cause="killed") from None
        except TimeoutError:
            raise LoadError("unreachable", f"Loading took longer than "
                            f"{self.config.timeout_s:.0f} s.", 30, cause="timeout") from None

    async def _single_flight(self, key: str, func: Callable[..., Any], *args: Any,
                             kind: str = "session") -> Any:
        existing = self._inflight.get(key)
        if existing is not None:
            return await asyncio.shield(existing)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        self.load_counts[key] += 1
        self.states[key] = LoadState("loading")
        metrics.LOADS.labels(kind).inc()
        in_progress = metrics.LOADS_IN_PROGRESS.labels(kind)
        in_progress.inc()
        started = time.perf_counter()
        try:
            result = await self._run(func, *args)
        except BaseException as error:
            _count_failure(kind, error, time.perf_counter() - started)
            reason = error.detail if isinstance(error, LoadError) else type(error).__name__
            self.states[key] = LoadState("failed", reason, self.states[key].started_at)
            future.set_exception(error)
            future.exception()  # mark retrieved: waiters may be none
            raise
        else:
            metrics.LOAD_DURATION.labels(kind, "ok").observe(time.perf_counter() - started)
            self.states.pop(key, None)
            future.set_result(result)
            return result
        finally:
            in_progress.dec()
            del self._inflight[key]

    def progress_path(self, session: SessionId) -> Path:
        return self.config.store_root / PROGRESS_DIR / f"{session.key}.json"

    async def ingest(self, session: SessionId) -> dict[str, Any]:
        cfg = self.config
        progress = self.progress_path(session)
        if session.key not in self._inflight:  # a stale file of a load that died with its process
            progress.unlink(missing_ok=True)
        try:
            return await self._single_flight(
                session.key, worker.ingest_session, str(cfg.store_root), session.year,
                session.round, session.code,
                str(cfg.hungary_raw_dir) if cfg.hungary_raw_dir else None, str(progress))
        finally:
            if session.key not in self._inflight:
                progress.unlink(missing_ok=True)

    def progress_of(self, session: SessionId) -> dict[str, Any]:
        """Stage, progress (0..1) and start of a load in flight; ``queued`` until the loader
        process has begun it."""
        state = self.states.get(session.key)
        found = read_progress(self.progress_path(session)) or {}
        return {"stage": found.get("stage", "queued"), "progress": found.get("progress", 0.0),
                "started_at": state.started_at if state else None}

    async def schedule(self, year: int) -> list[dict[str, Any]]:
        return await self._single_flight(
            f"schedule-{year}", worker.fetch_schedule, str(self.config.store_root), year,
            kind="schedule")

    def state_of(self, session: SessionId) -> LoadState | None:
        return self.states.get(session.key)


def _count_failure(kind: str, error: BaseException, seconds: float) -> None:
    if isinstance(error, LoadError):
        reason = error.cause or error.kind
    elif isinstance(error, asyncio.CancelledError):
        reason = "cancelled"
    else:
        reason = "failed"
    metrics.LOAD_DURATION.labels(kind, "failed").observe(seconds)
    metrics.LOAD_FAILURES.labels(kind, metrics.failure_reason(reason)).inc()
