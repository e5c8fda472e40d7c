"""Limits on model calls: per user, and for the whole deployment. Both are moving one-hour
windows, counted in this process's memory or, when ``REDIS_URL`` is set, in Redis so that
every replica draws on the same budgets.

The limits guard spending, so they fail closed: when the counter store cannot be reached, no
model call is made and the narrative comes from the deterministic writer instead. Cache hits
never count. A call the user's limit refuses does not draw on the deployment's budget.
"""

from __future__ import annotations

import logging

from limits import RateLimitItemPerSecond
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from prometheus_client import Counter

from pitwall_analysis import metrics
from pitwall_shared.limit_storage import close_limit_storage, create_limit_storage

log = logging.getLogger("pitwall.analysis.limits")

LIMIT_REACHED = "this user's model call limit was reached"
BUDGET_SPENT = "the service's hourly model budget is spent"
LIMIT_UNCHECKED = "the model call limit could not be checked"
# Each refusal's metrics label, and the narrative fallback's.
REFUSAL_SCOPES = {LIMIT_REACHED: "user", BUDGET_SPENT: "global", LIMIT_UNCHECKED: "unchecked"}
FALLBACK_REASONS = {LIMIT_REACHED: "user_limit", BUDGET_SPENT: "global_budget",
                    LIMIT_UNCHECKED: "limit_unchecked"}
STORAGE_ERRORS = Counter(
    "pitwall_analysis_model_limit_storage_errors_total",
    "Model calls not made because the limit's counter store failed",
)


class ModelCallLimiter:
    def __init__(self, limit: int, storage: Storage | None = None,
                 window_s: int = 3600, *, total_limit: int | None = None) -> None:
        """``limit`` per user; ``total_limit`` for everyone together (None: no such budget)."""
        self.limit = limit
        self.total_limit = total_limit
        self.storage = storage or create_limit_storage(None, "")
        self._item = RateLimitItemPerSecond(max(limit, 1), window_s)
        self._total_item = RateLimitItemPerSecond(max(total_limit or 0, 1), window_s)
        self._limiter = MovingWindowRateLimiter(self.storage)

    async def refusal(self, user_id: str) -> str | None:
        """Counts one model call for ``user_id``; returns why it may not be made, or None."""
        reason = await self._refusal(user_id)
        if reason is not None:
            metrics.BUDGET_REFUSALS.labels(REFUSAL_SCOPES[reason]).inc()
        return reason

    async def _refusal(self, user_id: str) -> str | None:
        if self.limit <= 0:
            return LIMIT_REACHED
        if self.total_limit is not None and self.total_limit <= 0:
            return BUDGET_SPENT
        try:
            return await self._count(user_id)
        except Exception:
            STORAGE_ERRORS.inc()
            log.warning("model-call limit store failed; no model call", exc_info=True)
            return LIMIT_UNCHECKED

    async def _count(self, user_id: str) -> str | None:
        total = self.total_limit is not None
        # Looked at first, so a spent budget does not also use up the user's own calls.
        if total and not await self._limiter.test(self._total_item, "model-calls-total"):
            return BUDGET_SPENT
        if not await self._limiter.hit(self._item, "model-calls", user_id):
            return LIMIT_REACHED
        # Replicas racing for the last calls of the hour: the hit decides.
        if total and not await self._limiter.hit(self._total_item, "model-calls-total"):
            return BUDGET_SPENT
        return None

    async def close(self) -> None:
        await close_limit_storage(self.storage)
