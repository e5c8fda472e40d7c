"""The snapshot store: one directory per session of Parquet tables plus ``meta.json``.

Layout under a root: ``sessions/v<schema>/<year>/<round>/<CODE>/`` holding ``meta.json``,
``<table>.parquet`` and ``telemetry/<DRIVER>.parquet``; ``schedules/<year>.json``.
Writes go to a temporary sibling directory that is renamed into place, so a reader sees a
whole snapshot or none. Reads look in the writable root first, then in the read-only sample
pack. Each schema version has its own tree, so during a rolling upgrade old and new replicas
sharing one store each read and write their own snapshots instead of rebuilding each other's
(the old tree can be deleted afterwards; ``list`` shows it as stale). A snapshot whose
``schema_version`` differs from ``SCHEMA_VERSION`` counts as absent, so it gets rebuilt.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
SESSION_TABLES = (
    "results", "laps", "stints", "pitstops", "weather", "race_control", "track_status",
    "corners", "outline",
)


@dataclass(frozen=True, order=True)
class SessionId:
    year: int
    round: int
    code: str

    @property
    def key(self) -> str:
        return f"{self.year}-{self.round:02d}-{self.code}"

    @property
    def relative_dir(self) -> Path:
        return (Path("sessions") / f"v{SCHEMA_VERSION}" / str(self.year) / f"{self.round:02d}"
                / self.code)


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


class SnapshotStore:
    def __init__(self, root: Path, fallback_roots: tuple[Path, ...] = ()) -> None:
        self.root = root
        self.fallback_roots = fallback_roots
        # session -> (directory, meta.json mtime): a stat per request instead of a parse
        self._located: dict[SessionId, tuple[Path, str, int]] = {}

    @property
    def roots(self) -> tuple[Path, ...]:
        return (self.root, *self.fallback_roots)

    # sessions -----------------------------------------------------------------------------
    def locate(self, session: SessionId) -> Path | None:
        """The directory of a current snapshot of ``session``, or None."""
        known = self._located.get(session)
        if known is not None:
            directory, meta_path, mtime = known
            try:
                if os.stat(meta_path).st_mtime_ns == mtime:
                    return directory
            except OSError:
                pass
            del self._located[session]
        for root in self.roots:
            directory = root / session.relative_dir
            meta = self._read_meta_file(directory)
            if meta is not None and meta.get("schema_version") == SCHEMA_VERSION:
                with contextlib.suppress(OSError):
                    meta_path = str(directory / "meta.json")
                    self._located[session] = (directory, meta_path, os.stat(meta_path).st_mtime_ns)
                return directory
        return None

    @staticmethod
    def _read_meta_file(directory: Path) -> dict[str, Any] | None:
        try:
            return json.loads((directory / "meta.json").read_text())
        except (OSError, ValueError):
            return None

    def read_meta(self, directory: Path) -> dict[str, Any]:
        meta = self._read_meta_file(directory)
        if meta is None:
            raise FileNotFoundError(directory / "meta.json")
        return meta

    def write_session(
        self,
        session: SessionId,
        tables: dict[str, Any],
        telemetry: dict[str, Any],
        meta: dict[str, Any],
        *,
        replace: bool = False,
    ) -> Path:
        """Write pandas DataFrames as Parquet into a temp dir, then rename it into place.

        ``replace`` swaps out even a current snapshot (rebuilding the shipped sample pack);
        otherwise a current snapshot already in place is kept.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        final = self.root / session.relative_dir
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{session.code}.tmp-"))
        try:
            for name, frame in tables.items():
                pq.write_table(pa.Table.from_pandas(frame, preserve_index=False),
                               staging / f"{name}.parquet")
            (staging / "telemetry").mkdir()
            for driver, frame in telemetry.items():
                pq.write_table(pa.Table.from_pandas(frame, preserve_index=False),
                               staging / "telemetry" / f"{driver}.parquet")
            full_meta = {**meta, "schema_version": SCHEMA_VERSION,
                         "telemetry_drivers": sorted(telemetry)}
            (staging / "meta.json").write_text(json.dumps(full_meta, indent=1, default=str))
            self._swap_into_place(staging, final, replace=replace)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return final

    def _swap_into_place(self, staging: Path, final: Path, *, replace: bool) -> None:
        """Publish ``staging`` as ``final``; a current snapshot already there wins.

        Replicas share the store and may load the same session at once. Whoever renames first
        publishes; a later writer keeps what is there, so a snapshot others already serve
        (and cache under its ETag) is never swapped underneath them. Only a stale one (an
        older schema) is replaced.
        """
        try:
            os.rename(staging, final)  # fails if final exists and is not empty
            return
        except OSError:
            if not final.exists():
                raise
        existing = self._read_meta_file(final)
        if not replace and existing is not None \
                and existing.get("schema_version") == SCHEMA_VERSION:
            shutil.rmtree(staging, ignore_errors=True)
            return
        retired = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
        os.rename(final, retired)
        os.rename(staging, final)
        shutil.rmtree(retired, ignore_errors=True)

    def list_sessions(self) -> list[dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for root in reversed(self.roots):  # the writable root wins
            for meta_path in sorted(root.glob("sessions/v*/*/*/*/meta.json")):
                meta = self._read_meta_file(meta_path.parent) or {}
                key = "/".join(meta_path.parent.parts[-4:])
                found[key] = {
                    "path": str(meta_path.parent),
                    "event_name": meta.get("session", {}).get("event_name", "?"),
                    "session": meta.get("session", {}).get("session", "?"),
                    "schema_version": meta.get("schema_version"),
                    "current": meta.get("schema_version") == SCHEMA_VERSION,
                    "created_at": meta.get("created_at"),
                }
        return [found[k] for k in sorted(found)]

    # schedules ----------------------------------------------------------------------------
    def read_schedule(self, year: int) -> list[dict[str, Any]] | None:
        for root in self.roots:
            path = root / "schedules" / f"{year}.json"
            try:
                body = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            if body.get("schema_version") == SCHEMA_VERSION:
                return body["events"]
        return None

    def write_schedule(self, year: int, events: list[dict[str, Any]]) -> None:
        body = {"schema_version": SCHEMA_VERSION, "year": year, "events": events}
        _atomic_write_text(self.root / "schedules" / f"{year}.json",
                           json.dumps(body, indent=1, default=str))
