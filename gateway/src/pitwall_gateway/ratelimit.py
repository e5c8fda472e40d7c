"""Per-address and per-user request limits, in memory or in Redis (shared by replicas)."""

from __future__ import annotations

import logging
import math
import time
from typing import NoReturn

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import STRATEGIES, RateLimiter
from prometheus_client import Counter

from pitwall_gateway.config import Settings
from pitwall_gateway.local_counters import LocalFixedWindows
from pitwall_shared.limit_storage import close_limit_storage
from pitwall_shared.problems import ProblemError

log = logging.getLogger("pitwall.gateway.ratelimit")

REJECTED = Counter(
    "pitwall_gateway_rate_limited_total", "Requests refused by a rate limit", ["limit"]
)
STORAGE_ERRORS = Counter(
    "pitwall_gateway_rate_limit_storage_errors_total",
    "Rate-limit checks skipped because the counter store failed",
)


class RateLimits:
    """Counters keyed by client address, user, and credential endpoint.

    The strategy is one of the ``limits`` library's (``fixed-window`` by default: half the
    cost per check of ``sliding-window-counter``, at the price of bursts at window edges).
    Fixed windows in memory (no Redis) are counted by ``LocalFixedWindows``, same semantics.
    """

    def __init__(self, storage: Storage, settings: Settings) -> None:
        self.storage = storage
        strategy: type[RateLimiter] | None = STRATEGIES.get(settings.rate_limit_strategy)
        if strategy is None:
            raise ValueError(f"GATEWAY_RATE_LIMIT_STRATEGY must be one of {sorted(STRATEGIES)}")
        self._limiter: RateLimiter = strategy(storage)
        self.per_ip: RateLimitItem = parse(settings.rate_limit_per_ip)
        self.per_user: RateLimitItem = parse(settings.rate_limit_per_user)
        self.login: RateLimitItem = parse(settings.rate_limit_login)
        self._local = (
            LocalFixedWindows()
            if isinstance(storage, MemoryStorage) and settings.rate_limit_strategy == "fixed-window"
            else None
        )

    async def check_ip(self, address: str) -> None:
        await self._check(self.per_ip, "ip", address)

    async def check_user(self, user_id: str) -> None:
        await self._check(self.per_user, "user", user_id)

    async def check_login(self, address: str) -> None:
        await self._check(self.login, "login", address)

    async def _check(self, item: RateLimitItem, kind: str, identifier: str) -> None:
        local = self._local
        if local is not None:
            if not local.hit(item, kind, identifier):
                self._refuse(item, kind, local.retry_after(kind, identifier) or item.get_expiry())
            return
        try:
            allowed = await self._limiter.hit(item, kind, identifier)
        except Exception:
            # The counter store being down must not take the API down with it; fail open and
            # let the metric and the log say so.
            STORAGE_ERRORS.inc()
            log.warning("rate-limit storage failed; request allowed", exc_info=True)
            return
        if allowed:
            return
        self._refuse(item, kind, await self._retry_after(item, kind, identifier))

    @staticmethod
    def _refuse(item: RateLimitItem, kind: str, retry_after: int) -> NoReturn:
        REJECTED.labels(kind).inc()
        raise ProblemError(
            429,
            f"Too many requests: the limit is {item} per {kind}. Retry in {retry_after} s.",
            slug="rate-limited",
            headers={"Retry-After": str(retry_after)},
        )

    async def _retry_after(self, item: RateLimitItem, kind: str, identifier: str) -> int:
        try:
            stats = await self._limiter.get_window_stats(item, kind, identifier)
            return max(1, math.ceil(stats.reset_time - time.time()))
        except Exception:
            return max(1, item.get_expiry())

    async def close(self) -> None:
        if self._local is not None:
            self._local.clear()
        await close_limit_storage(self.storage)
