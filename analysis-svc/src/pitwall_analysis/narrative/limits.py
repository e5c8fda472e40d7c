"""Per-user limit on model calls: a moving one-hour window, counted in this process's memory
or, when ``REDIS_URL`` is set, in Redis so that every replica draws on the same budget.

The limit guards spending, so it fails closed: when the counter store cannot be reached, no
model call is made and the narrative comes from the deterministic writer instead. Cache hits
never count.
"""

from __future__ import annotations

import logging

from limits import RateLimitItemPerSecond
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from prometheus_client import Counter

from pitwall_shared.limit_storage import close_limit_storage, create_limit_storage

log = logging.getLogger("pitwall.analysis.limits")

LIMIT_REACHED = "this user's model call limit was reached"
LIMIT_UNCHECKED = "the model call limit could not be checked"
STORAGE_ERRORS = Counter(
    "pitwall_analysis_model_limit_storage_errors_total",
    "Model calls not made because the limit's counter store failed",
)


class ModelCallLimiter:
    def __init__(self, limit: int, storage: Storage | None = None,
                 window_s: int = 3600) -> None:
        self.limit = limit
        self.storage = storage or create_limit_storage(None, "")
        self._item = RateLimitItemPerSecond(max(limit, 1), window_s)
        self._limiter = MovingWindowRateLimiter(self.storage)

    async def refusal(self, user_id: str) -> str | None:
        """Counts one model call for ``user_id``; returns why it may not be made, or None."""
        if self.limit <= 0:
            return LIMIT_REACHED
        try:
            allowed = await self._limiter.hit(self._item, "model-calls", user_id)
        except Exception:
            STORAGE_ERRORS.inc()
            log.warning("model-call limit store failed; no model call", exc_info=True)
            return LIMIT_UNCHECKED
        return None if allowed else LIMIT_REACHED

    async def close(self) -> None:
        await close_limit_storage(self.storage)
