"""Worker processes that draw charts and PDFs, so the event loop never runs CPU-heavy work.

Processes rather than threads: matplotlib and WeasyPrint hold the GIL for most of a render,
and a thread pool would stall request handling (health checks included) while they run.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from pitwall_report.rendering.renderer import ChartDataError, init_worker
from pitwall_shared.problems import ProblemError

T = TypeVar("T")


class RenderPool:
    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._executor = self._new_executor()
        self._warming: list[Future[None]] = []

    def _new_executor(self) -> ProcessPoolExecutor:
        # "spawn": a fork of a process running an event loop and threads can deadlock.
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
        )

    def warm_up(self) -> None:
        """Start the worker processes now rather than on the first request.

        Importing matplotlib and WeasyPrint takes seconds; readiness waits for it.
        """
        self._warming = [self._executor.submit(init_worker) for _ in range(self._workers)]

    @property
    def warm(self) -> bool:
        return all(future.done() for future in self._warming)

    async def run(self, function: Callable[..., T], *args: Any, timeout: float) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(
                loop.run_in_executor(self._executor, function, *args), timeout
            )
        except ChartDataError as exc:
            raise ProblemError(422, f"This chart cannot be drawn: {exc}",
                               slug="chart-not-drawable") from exc
        except TimeoutError as exc:
            raise ProblemError(503, "Rendering took too long; try a smaller chart or retry.",
                               slug="render-timeout", headers={"Retry-After": "5"}) from exc
        except BrokenProcessPool as exc:
            # A worker died (out of memory, killed): replace the pool so later renders work.
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new_executor()
            raise ProblemError(503, "A render worker stopped unexpectedly; retry shortly.",
                               slug="render-worker-lost", headers={"Retry-After": "2"}) from exc

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
