"""Fixed-window counters in this process's memory: what ``limits`` does with its in-memory
storage and fixed-window strategy, without its per-hit cost.

``limits`` spends about 13-25 us per hit here (key string building, an asyncio lock, an
expiry timer), three hits per proxied request. The semantics are the same: a window starts
at a key's first hit and lasts the limit's period; a hit is allowed while the window's count
(this hit included) is within the limit. Expired windows are swept at most once a period.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem


class LocalFixedWindows:
    def __init__(self) -> None:
        # (kind, identifier) -> [window end (epoch seconds), hits]
        self._windows: dict[tuple[str, str], list[float]] = {}
        self._next_sweep = 0.0

    def hit(self, item: RateLimitItem, kind: str, identifier: str) -> bool:
        now = time.time()
        key = (kind, identifier)
        window = self._windows.get(key)
        if window is None or window[0] <= now:
            if now >= self._next_sweep:
                self._sweep(now, item.get_expiry())
            self._windows[key] = [now + item.get_expiry(), 1.0]
            return item.amount >= 1
        window[1] += 1
        return window[1] <= item.amount

    def retry_after(self, kind: str, identifier: str) -> int | None:
        """Whole seconds until the window of ``(kind, identifier)`` ends, at least 1."""
        window = self._windows.get((kind, identifier))
        if window is None:
            return None
        return max(1, math.ceil(window[0] - time.time()))

    def _sweep(self, now: float, period: float) -> None:
        self._windows = {key: w for key, w in self._windows.items() if w[0] > now}
        self._next_sweep = now + period

    def clear(self) -> None:
        self._windows.clear()
