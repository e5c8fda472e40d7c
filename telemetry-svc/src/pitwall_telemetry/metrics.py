"""Prometheus metrics of FastF1 loads, the in-memory cache and the snapshot store.

Labels stay bounded: the load ``kind`` (session, schedule), a failure ``reason`` from a fixed
set, a cache ``result`` (hit, miss). Never a session key, a driver or a path.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

LOADS = Counter(
    "pitwall_telemetry_fastf1_loads_total",
    "FastF1 loads started, by kind (session, schedule)",
    ["kind"],
)
LOAD_DURATION = Histogram(
    "pitwall_telemetry_fastf1_load_duration_seconds",
    "Time a FastF1 load took, successful or not, by kind and outcome (ok, failed)",
    ["kind", "outcome"],
    buckets=(0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600),
)
LOAD_FAILURES = Counter(
    "pitwall_telemetry_fastf1_load_failures_total",
    "FastF1 loads that failed, by kind and reason (not_found, not_available, rate_limited, "
    "unreachable, timeout, killed, failed, cancelled)",
    ["kind", "reason"],
)
LOADS_IN_PROGRESS = Gauge(
    "pitwall_telemetry_fastf1_loads_in_progress",
    "FastF1 loads running now, by kind",
    ["kind"],
)
MEMORY_CACHE_REQUESTS = Counter(
    "pitwall_telemetry_memory_cache_requests_total",
    "Lookups in the in-memory table cache, by result (hit, miss)",
    ["result"],
)
# Bound once: a cache lookup sits on the fast path, where ``labels()`` per call would show.
MEMORY_CACHE_HITS = MEMORY_CACHE_REQUESTS.labels("hit")
MEMORY_CACHE_MISSES = MEMORY_CACHE_REQUESTS.labels("miss")
MEMORY_CACHE_BYTES = Gauge(
    "pitwall_telemetry_memory_cache_bytes",
    "Bytes held by the in-memory table cache",
)
MEMORY_CACHE_EVICTIONS = Counter(
    "pitwall_telemetry_memory_cache_evictions_total",
    "Entries the in-memory table cache dropped to stay within its bound",
)
SNAPSHOT_LOOKUPS = Counter(
    "pitwall_telemetry_snapshot_lookups_total",
    "Session snapshots asked of the store, by result (hit: present, miss: must be loaded)",
    ["result"],
)
SNAPSHOT_READ_BYTES = Counter(
    "pitwall_telemetry_snapshot_read_bytes_total",
    "Bytes of Parquet read from the snapshot store (cache misses)",
)
SNAPSHOT_WRITTEN_BYTES = Counter(
    "pitwall_telemetry_snapshot_written_bytes_total",
    "Bytes of the session snapshots the loads wrote to the store",
)
SNAPSHOT_WRITES = Counter(
    "pitwall_telemetry_snapshot_writes_total",
    "Session snapshots the loads wrote to the store",
)

# The ``kind`` of the LoadError a failed load raised, plus the pool's own reasons.
FAILURE_REASONS = frozenset({"not_found", "not_available", "rate_limited", "unreachable",
                             "timeout", "killed", "failed", "cancelled"})


def failure_reason(reason: str) -> str:
    return reason if reason in FAILURE_REASONS else "failed"
