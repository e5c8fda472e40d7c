"""Finds sessions, makes sure their snapshot exists, and reads its tables through the cache."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pitwall_shared.problems import ProblemError
from pitwall_shared.tokens import Identity
from pitwall_telemetry import metrics
from pitwall_telemetry.loading.errors import LoadError
from pitwall_telemetry.loading.pool import LoaderPool
from pitwall_telemetry.services.ingest import IngestPolicy, LoadBackoff
from pitwall_telemetry.services.memory_cache import MemoryCache
from pitwall_telemetry.services.resolve import FIRST_YEAR, find_event, last_year, session_code
from pitwall_telemetry.snapshots.store import SessionId, SnapshotStore
from pitwall_telemetry.snapshots.tables import Table, read_table, table_nbytes

RESOLVED_MEMO_SIZE = 4096
PART_NAMES = {
    "pitstops": "pit stops", "weather": "weather data", "race_control": "race control messages",
    "track_status": "track status", "corners": "circuit corners", "outline": "track outline",
    "telemetry": "car telemetry", "stints": "stints",
}


def problem_from_load_error(error: LoadError) -> ProblemError:
    if error.kind in ("not_found", "not_available"):
        return ProblemError(404, error.detail, slug=f"data-{error.kind.replace('_', '-')}")
    headers = {"Retry-After": str(error.retry_after or 5)}
    slug = {"rate_limited": "upstream-rate-limited", "unreachable": "upstream-unreachable"}
    return ProblemError(503, error.detail, slug=slug.get(error.kind, "load-failed"),
                        headers=headers)


def read_counted(path: Path) -> Table:
    """A table read from the store (a memory-cache miss), its bytes counted."""
    table = read_table(path)
    metrics.SNAPSHOT_READ_BYTES.inc(path.stat().st_size)
    return table


def count_snapshot_written(directory: Path) -> None:
    """The loader process wrote it; its metrics are not ours, so the size is taken here."""
    metrics.SNAPSHOT_WRITES.inc()
    metrics.SNAPSHOT_WRITTEN_BYTES.inc(
        sum(f.stat().st_size for f in directory.rglob("*") if f.is_file()))


@dataclass(frozen=True)
class Snapshot:
    id: SessionId
    directory: Path
    meta: dict[str, Any]

    @property
    def etag(self) -> str:
        stamp = f"{self.id.key}|{self.meta.get('schema_version')}|{self.meta.get('created_at')}"
        return hashlib.blake2b(stamp.encode(), digest_size=10).hexdigest()[:20]

    @property
    def ref(self) -> dict[str, Any]:
        return dict(self.meta["session"])

    def describe(self) -> str:
        s = self.meta["session"]
        return f"{s['year']} {s['event_name']} {s['session_name']}"


class Catalog:
    def __init__(self, store: SnapshotStore, pool: LoaderPool, cache: MemoryCache,
                 policy: IngestPolicy | None = None) -> None:
        self.store = store
        self.pool = pool
        self.cache = cache
        self.policy = policy or IngestPolicy("any", FIRST_YEAR, None)
        self.backoff = LoadBackoff()
        self._schedules: dict[int, list[dict[str, Any]]] = {}
        self._resolved: dict[tuple[int, str, str], SessionId] = {}

    @staticmethod
    def check_year(year: int) -> None:
        if not FIRST_YEAR <= year <= last_year():
            raise ProblemError(422, f"Year {year} is out of range: sessions are available "
                               f"from {FIRST_YEAR} to {last_year()}.", slug="year-out-of-range",
                               valid_range=[FIRST_YEAR, last_year()])

    async def schedule(self, year: int) -> list[dict[str, Any]]:
        self.check_year(year)
        events = self._schedules.get(year) or self.store.read_schedule(year)
        if events is None:
            try:
                events = await self.pool.schedule(year)
            except LoadError as error:
                raise problem_from_load_error(error) from None
        self._schedules[year] = events
        return events

    async def resolve(self, year: int, event: str, session: str) -> SessionId:
        asked = (year, event, session)
        known = self._resolved.get(asked)
        if known is not None:
            return known
        events = await self.schedule(year)
        found = find_event(events, event, year)
        resolved = SessionId(year, found["round"], session_code(found, session, year))
        if len(self._resolved) < RESOLVED_MEMO_SIZE:  # names clients actually use: few
            self._resolved[asked] = resolved
        return resolved

    def describe(self, session: SessionId) -> str:
        """``2024 Hungarian Grand Prix Q`` from the cached schedule (resolve() read it)."""
        events = self._schedules.get(session.year, [])
        name = next((e["event_name"] for e in events if e["round"] == session.round),
                    f"round {session.round}")
        return f"{session.year} {name} {session.code}"

    def admit_load(self, session: SessionId, caller: Identity | None) -> None:
        """Raise unless ``caller`` may start a load of ``session`` now (policy, backoff)."""
        label = self.describe(session)
        self.policy.check(session, caller, label)
        self.backoff.check(session, label)

    async def snapshot(self, session: SessionId, *, caller: Identity | None) -> Snapshot:
        """The session's snapshot, loaded first when the store lacks it and ``caller`` may
        (``None``: the operator's own ingest command)."""
        directory = self.store.locate(session)
        metrics.SNAPSHOT_LOOKUPS.labels("miss" if directory is None else "hit").inc()
        if directory is None:
            self.admit_load(session, caller)
            try:
                await self.pool.ingest(session)
            except LoadError as error:
                self.backoff.record_failure(session, error)
                raise problem_from_load_error(error) from None
            self.backoff.forget(session)
            self.cache.drop_prefix(session.key)
            directory = self.store.locate(session)
            if directory is None:  # the loader said it wrote it: a store fault, not the client's
                raise ProblemError(503, "The snapshot was written but cannot be read back.",
                                   slug="snapshot-unreadable", headers={"Retry-After": "5"})
            count_snapshot_written(directory)
        meta = self.cache.get_or_load(
            (session.key, "meta", str(directory)), lambda: self.store.read_meta(directory),
            lambda _m: 4096)
        return Snapshot(session, directory, meta)

    async def open(self, year: int, event: str, session: str, *,
                   caller: Identity | None) -> Snapshot:
        return await self.snapshot(await self.resolve(year, event, session), caller=caller)

    def table(self, snap: Snapshot, name: str) -> Table:
        path = snap.directory / f"{name}.parquet"
        if not path.exists():
            part = PART_NAMES.get(name, name)
            raise ProblemError(404, f"{part.capitalize()} are not available for "
                               f"{snap.describe()}.", slug="data-not-available", missing=name)
        return self.cache.get_or_load(
            (snap.id.key, name, str(snap.directory)), lambda: read_counted(path), table_nbytes)

    def driver_telemetry(self, snap: Snapshot, driver: str) -> Table:
        path = snap.directory / "telemetry" / f"{driver}.parquet"
        if not path.exists():
            if not snap.meta.get("has_telemetry"):
                raise ProblemError(404, f"Car telemetry is not available for {snap.describe()}"
                                   " (the data source has none for this session).",
                                   slug="data-not-available", missing="telemetry")
            raise ProblemError(404, f"There is no telemetry for driver {driver} in "
                               f"{snap.describe()}.", slug="data-not-available",
                               missing="telemetry",
                               valid_values=snap.meta.get("telemetry_drivers", []))
        return self.cache.get_or_load(
            (snap.id.key, f"tel-{driver}", str(snap.directory)), lambda: read_counted(path),
            table_nbytes)

    def status(self, session: SessionId) -> dict[str, Any]:
        """``state`` ready / loading (with ``stage``, ``progress`` 0..1, ``started_at``) /
        failed (with ``reason`` and, while backing off, ``retry_after_s``) / not_loaded."""
        directory = self.store.locate(session)
        if directory is not None:
            return {"state": "ready", "reason": None, "progress": 1.0,
                    "snapshot_created_at": self.store.read_meta(directory).get("created_at")}
        state = self.pool.state_of(session)
        if state is not None and state.state == "loading":
            return {"state": "loading", "reason": None, "snapshot_created_at": None,
                    **self.pool.progress_of(session)}
        if state is not None:
            return {"state": state.state, "reason": state.reason, "snapshot_created_at": None,
                    "started_at": state.started_at,
                    "retry_after_s": self.backoff.retry_after_s(session)}
        return {"state": "not_loaded", "reason": None, "snapshot_created_at": None}
