"""Worker processes that draw charts and PDFs, so the event loop never runs CPU-heavy work.

Processes rather than threads: matplotlib and WeasyPrint hold the GIL for most of a render,
and a thread pool would stall request handling (health checks included) while they run.

Our own processes rather than a ``ProcessPoolExecutor``: an executor cannot stop one task,
so a render that never ends would keep its worker drawing for good. Here each worker takes
one task at a time over its own pipe; a render that outlives ``render_timeout`` has its
process killed and a fresh one started in its place. The deadline belongs to the render, not
to whoever asked for it: a caller that gives up (a client that went away) leaves the render
to finish or be killed on its own schedule, so it cannot make us respawn workers at will.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from pitwall_report import metrics
from pitwall_report.rendering.renderer import ChartDataError, init_worker
from pitwall_shared.problems import ProblemError

T = TypeVar("T")
log = logging.getLogger("pitwall.report.render_pool")

# "forkserver": a fork of a process running an event loop and threads can deadlock, so
# workers are forked from a small single-threaded server process instead. The server
# imports matplotlib and WeasyPrint once; a worker (a replacement after a kill included) is
# then ready in milliseconds rather than seconds of imports in each fresh interpreter.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["pitwall_report.rendering.renderer"])
# Wait before starting a replacement again when one died while starting (e.g. out of memory).
RESPAWN_BACKOFF_S = 1.0


def _serve(conn: Connection, log_level: str | None = None) -> None:
    """A worker's life: set up matplotlib, say ready, then run one task per message.

    With ``log_level`` it logs JSON lines like the service (WeasyPrint's warnings included)."""
    if log_level is not None:
        from pitwall_shared.logs import configure_logging

        configure_logging("report", log_level)
    init_worker()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the service went away
            return
        if message is None:
            return
        function, args = message
        try:
            reply: tuple[str, Any] = ("ok", function(*args))
        except Exception as exc:
            reply = ("error", exc)
        try:
            conn.send(reply)
        except Exception as exc:  # an unpicklable result or exception: say what it was
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class WorkerLost(Exception):
    """The worker process ended (or was killed) before it answered."""


@dataclass(eq=False)  # one per process: compared and hashed by identity
class _Worker:
    process: BaseProcess
    conn: Connection

    @property
    def pid(self) -> int | None:
        return self.process.pid


class RenderPool:
    def __init__(self, workers: int, *, render_timeout: float,
                 log_level: str | None = None) -> None:
        self._size = workers
        self._log_level = log_level
        # Pipe reads and writes block until the other side has moved every byte, and a
        # worker under CPU pressure moves them slowly: never on the event loop. Own threads,
        # so busy workers cannot exhaust the loop's default executor.
        self._threads = ThreadPoolExecutor(max_workers=2 * workers + 1,
                                           thread_name_prefix="render-pipe")
        self._render_timeout = render_timeout
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._live: set[_Worker] = set()
        self._starting: set[asyncio.Task[None]] = set()
        self._ready_once = 0
        self._closed = False
        metrics.RENDER_WORKERS.set(workers)

    async def _receive(self, conn: Connection) -> Any:
        """The next message from a worker; ``WorkerLost`` if it ended first."""
        try:
            return await asyncio.get_running_loop().run_in_executor(self._threads, conn.recv)
        except (EOFError, OSError) as exc:
            raise WorkerLost from exc

    async def _send(self, conn: Connection, message: Any) -> None:
        await asyncio.get_running_loop().run_in_executor(self._threads, conn.send, message)

    def warm_up(self) -> None:
        """Start the worker processes now rather than on the first request (call in lifespan).

        Importing matplotlib and WeasyPrint takes seconds; readiness waits for it.
        """
        for _ in range(self._size):
            self._start_replacement(backoff=0.0)

    @property
    def warm(self) -> bool:
        """Every worker of the first set has started. Replacements later do not make the
        service unready: it still renders with the others while one restarts."""
        return self._ready_once >= self._size

    @property
    def worker_pids(self) -> list[int]:
        return sorted(w.pid for w in self._live if w.pid is not None)

    def _start_replacement(self, *, backoff: float) -> None:
        if self._closed:
            return
        task = asyncio.get_running_loop().create_task(self._start_worker(backoff))
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def _start_worker(self, backoff: float) -> None:
        await asyncio.sleep(backoff)
        ours, theirs = _CONTEXT.Pipe(duplex=True)
        process = _CONTEXT.Process(target=_serve, args=(theirs, self._log_level),
                                   name="report-render",
                                   daemon=True)
        worker = _Worker(process, ours)
        try:
            await asyncio.to_thread(process.start)
            theirs.close()  # only the child holds its end, so its death reads as end-of-file
            self._live.add(worker)
            await self._receive(ours)  # ("ready", pid)
        except asyncio.CancelledError:
            theirs.close()
            await self._discard(worker)
            raise
        except Exception:  # died while starting (out of memory?): keep the pool full
            log.warning("a render worker could not start; starting another", exc_info=True)
            theirs.close()
            await self._discard(worker)
            self._start_replacement(backoff=RESPAWN_BACKOFF_S)
            return
        self._ready_once += 1
        self._idle.put_nowait(worker)

    async def _discard(self, worker: _Worker) -> None:
        """Kill the process if it still runs, reap it and close our end of its pipe."""
        self._live.discard(worker)
        if worker.process.pid is not None:  # it was started
            if worker.process.is_alive():
                worker.process.kill()
            await asyncio.to_thread(worker.process.join, 5)
        worker.conn.close()

    async def _replace(self, worker: _Worker) -> None:
        await self._discard(worker)
        self._start_replacement(backoff=0.0)

    async def _idle_worker(self) -> _Worker:
        while True:
            worker = await self._idle.get()
            if worker.process.is_alive():
                return worker
            # It died while idle (out of memory, killed from outside).
            log.warning("render worker %s died while idle; replacing it", worker.pid)
            await self._replace(worker)

    async def _execute(self, worker: _Worker, function: Callable[..., Any],
                       args: tuple[Any, ...]) -> tuple[str, Any]:
        """Run one task on ``worker``; the worker goes back to the pool or is replaced."""
        started = time.monotonic()
        metrics.RENDER_WORKERS_BUSY.inc()
        try:
            await self._send(worker.conn, (function, args))
            reply: tuple[str, Any] = await asyncio.wait_for(
                self._receive(worker.conn), self._render_timeout)
        except TimeoutError:
            log.warning("render %s ran over %.1f s in worker %s; killing it",
                        getattr(function, "__name__", function), self._render_timeout,
                        worker.pid)
            await self._replace(worker)
            return "timeout", time.monotonic() - started
        except (WorkerLost, BrokenPipeError, EOFError, OSError):
            log.warning("render worker %s stopped unexpectedly; replacing it", worker.pid)
            await self._replace(worker)
            return "lost", None
        except BaseException:
            await self._replace(worker)  # the loop is stopping: its state is unknown
            raise
        finally:
            metrics.RENDER_WORKERS_BUSY.dec()
        self._idle.put_nowait(worker)
        return reply

    async def run(self, function: Callable[..., T], *args: Any, timeout: float) -> T:
        """Run ``function(*args)`` in a worker. ``timeout`` bounds the caller's wait, a free
        worker included; the pool's ``render_timeout`` bounds the render itself."""
        try:
            async with asyncio.timeout(timeout):
                worker = await self._idle_worker()
                execution = asyncio.create_task(self._execute(worker, function, args))
                # Shielded: a caller that stops waiting does not stop the render's deadline.
                kind, value = await asyncio.shield(execution)
        except TimeoutError as exc:
            raise _too_long() from exc
        if kind == "ok":
            return value
        if kind == "timeout":
            raise _too_long()
        if kind == "lost":
            raise ProblemError(503, "A render worker stopped unexpectedly; retry shortly.",
                               slug="render-worker-lost", headers={"Retry-After": "2"})
        if isinstance(value, ChartDataError):
            raise ProblemError(422, f"This chart cannot be drawn: {value}",
                               slug="chart-not-drawable") from value
        raise value

    async def shutdown(self) -> None:
        self._closed = True
        for task in list(self._starting):
            task.cancel()
        await asyncio.gather(*self._starting, return_exceptions=True)
        idle: list[_Worker] = []
        while not self._idle.empty():  # idle workers are asked to leave
            worker = self._idle.get_nowait()
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            idle.append(worker)
        for worker in idle:
            await asyncio.to_thread(worker.process.join, 5)
        for worker in list(self._live):  # busy ones (and any that would not leave) are killed
            await self._discard(worker)
        self._threads.shutdown(wait=False, cancel_futures=True)


def _too_long() -> ProblemError:
    return ProblemError(503, "Rendering took too long; try a smaller chart or retry.",
                        slug="render-timeout", headers={"Retry-After": "5"})
