"""How much argon2id work runs at once, derived from a memory budget.

Every argon2id hash or verification holds ``memory_kib`` for its whole run, so memory grows
with the number running at once, not with the number of requests. The work runs on this
object's own thread pool, sized from the budget: that pool is the hard bound (a request
cancelled while its hash runs cannot start another beside it). In front of the pool a
bounded number of callers may wait; beyond that, or when the wait it can expect from
recent hash times is longer than ``max_wait_seconds``, a caller is refused at once with 503
and a ``Retry-After``; work that still waited longer than that for a thread (a burst comes
faster than the estimate follows) is refused the same way when its turn comes. So a burst
costs waiting, never the process, and a caller is never kept waiting past the gateway's
timeout: a timeout there counts against auth-svc in the
gateway's circuit breaker, which would then refuse everyone's sign-ins for a while.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from prometheus_client import Counter, Gauge

from pitwall_shared.problem_types import ProblemType
from pitwall_shared.problems import ProblemError

T = TypeVar("T")

REFUSED = Counter(
    "pitwall_auth_password_checks_refused_total",
    "Password hashes and checks refused because the hashing queue was full",
)
ADMITTED = Gauge(
    "pitwall_auth_password_checks_admitted",
    "Requests holding or waiting for a hashing slot",
)


class _WaitedTooLong(Exception):
    """Raised on a hashing thread for work that waited past the bound before it started."""


def slots_for_budget(budget_mb: int, memory_kib: int) -> int:
    """How many hashes fit in the budget at once; at least one, or nobody could sign in."""
    return max(1, (budget_mb * 1024) // memory_kib)


class HashSlots:
    def __init__(self, *, slots: int, queue_limit: int, max_wait_seconds: float = 4.0) -> None:
        self.slots = slots
        self._capacity = slots + queue_limit
        self._max_wait_seconds = max_wait_seconds
        self._admitted = 0
        self._pool = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="argon2")
        self._recent_seconds = 0.25  # replaced by measurements as hashes run

    @contextlib.contextmanager
    def admission(self) -> Iterator[None]:
        """Hold a place in the line for the hashing this request will do, or 503."""
        if self._admitted >= self._capacity or self.expected_wait() > self._max_wait_seconds:
            raise self._busy()
        self._admitted += 1
        ADMITTED.inc()
        try:
            yield
        finally:
            self._admitted -= 1
            ADMITTED.dec()

    def expected_wait(self) -> float:
        """Seconds a newcomer would wait for a slot: the hashes ahead of it, ``slots`` at a
        time, at the recent pace."""
        ahead = max(0, self._admitted - self.slots + 1)
        return math.ceil(ahead / self.slots) * self._recent_seconds

    def _busy(self) -> ProblemError:
        REFUSED.inc()
        return ProblemError(
            503,
            "Too many password checks are in progress; try again in a moment.",
            slug=ProblemType.AUTH_BUSY,
            headers={"Retry-After": str(self._retry_after())},
        )

    def _retry_after(self) -> int:
        return max(1, math.ceil(self._admitted / self.slots * self._recent_seconds))

    async def run(self, work: Callable[..., T], *args: object) -> T:
        """``work(*args)`` on a hashing thread; 503 instead if it waited for one longer than
        ``max_wait_seconds`` (a burst arrives faster than the pace estimate can follow)."""
        queued = time.perf_counter()

        def timed() -> tuple[T, float]:
            started = time.perf_counter()
            if started - queued > self._max_wait_seconds:
                raise _WaitedTooLong
            return work(*args), time.perf_counter() - started

        try:
            result, seconds = await asyncio.get_running_loop().run_in_executor(self._pool, timed)
        except _WaitedTooLong:
            raise self._busy() from None
        self._recent_seconds = 0.8 * self._recent_seconds + 0.2 * seconds
        return result

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
