"""Per-user limit on model calls (sliding window, in this process's memory).

Each replica keeps its own window, so N replicas allow up to N times the limit; the cost
this guards against is bounded either way, and cache hits never count.
"""

from __future__ import annotations

import time
from collections import deque


class ModelCallLimiter:
    def __init__(self, limit: int, window_s: float = 3600.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._calls: dict[str, deque[float]] = {}

    def try_acquire(self, user_id: str) -> bool:
        now = time.monotonic()
        calls = self._calls.setdefault(user_id, deque())
        while calls and now - calls[0] >= self.window_s:
            calls.popleft()
        if len(calls) >= self.limit:
            return False
        calls.append(now)
        return True
