"""A least-recently-used cache bounded by the bytes of what it holds."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from pitwall_telemetry import metrics


class MemoryCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used_bytes = 0
        self._entries: OrderedDict[Any, tuple[Any, int]] = OrderedDict()

    def get_or_load(self, key: Any, load: Callable[[], Any], size: Callable[[Any], int]) -> Any:
        entry = self._entries.get(key)
        if entry is not None:
            metrics.MEMORY_CACHE_HITS.inc()
            self._entries.move_to_end(key)
            return entry[0]
        metrics.MEMORY_CACHE_MISSES.inc()
        value = load()
        self.put(key, value, size(value))
        return value

    def peek(self, key: Any) -> Any | None:
        """The cached value, or None; never loads.

        Only hits are counted: a miss here falls through to ``get_or_load``, which counts it.
        """
        entry = self._entries.get(key)
        if entry is None:
            return None
        metrics.MEMORY_CACHE_HITS.inc()
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: Any, value: Any, nbytes: int) -> None:
        if key in self._entries:
            self.used_bytes -= self._entries.pop(key)[1]
        if nbytes > self.max_bytes:  # too big to keep: serve it once, do not evict everything
            metrics.MEMORY_CACHE_BYTES.set(self.used_bytes)
            return
        self._entries[key] = (value, nbytes)
        self.used_bytes += nbytes
        while self.used_bytes > self.max_bytes:
            _, (_, evicted) = self._entries.popitem(last=False)
            self.used_bytes -= evicted
            metrics.MEMORY_CACHE_EVICTIONS.inc()
        metrics.MEMORY_CACHE_BYTES.set(self.used_bytes)

    def drop_prefix(self, prefix: str) -> None:
        for key in [k for k in self._entries if isinstance(k, tuple) and k[0] == prefix]:
            self.used_bytes -= self._entries.pop(key)[1]
        metrics.MEMORY_CACHE_BYTES.set(self.used_bytes)

    def __len__(self) -> int:
        return len(self._entries)
