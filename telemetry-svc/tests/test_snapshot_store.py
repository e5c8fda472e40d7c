"""Publishing snapshots into a store that several replicas share: the first current snapshot
of a session stays; only a stale one (older schema) is replaced."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from pitwall_telemetry.snapshots.store import SCHEMA_VERSION, SessionId, SnapshotStore

SESSION = SessionId(2024, 10, "Q")


def write(store: SnapshotStore, created_at: str, fastest: float, *, replace: bool = False
          ) -> Path:
    laps = pd.DataFrame({"driver": ["VER", "NOR"], "lap_time_s": [fastest, fastest + 0.5]})
    telemetry = {"VER": pd.DataFrame({"lap_number": [1, 1], "speed": [280.0, 290.0]})}
    meta = {"session": {"year": 2024, "round": 10}, "created_at": created_at}
    return store.write_session(SESSION, {"laps": laps}, telemetry, meta, replace=replace)


def on_disk(path: Path) -> tuple[str, float]:
    meta = json.loads((path / "meta.json").read_text())
    return meta["created_at"], float(pd.read_parquet(path / "laps.parquet")["lap_time_s"][0])


def test_a_later_writer_keeps_the_current_snapshot_in_place(tmp_path: Path):
    store = SnapshotStore(tmp_path)
    first = write(store, "2026-01-01T00:00:00+00:00", 71.383)
    mtime = (first / "meta.json").stat().st_mtime_ns
    second = write(store, "2026-01-01T00:00:05+00:00", 99.0)  # e.g. another replica's load
    assert second == first == store.locate(SESSION)
    assert on_disk(first) == ("2026-01-01T00:00:00+00:00", 71.383)
    assert (first / "meta.json").stat().st_mtime_ns == mtime
    # the loser's staging directory is gone: only the published snapshot remains
    assert [p.name for p in first.parent.iterdir()] == [SESSION.code]


def test_a_stale_snapshot_is_replaced(tmp_path: Path):
    store = SnapshotStore(tmp_path)
    path = write(store, "2025-01-01T00:00:00+00:00", 80.0)
    meta = json.loads((path / "meta.json").read_text())
    meta["schema_version"] = SCHEMA_VERSION - 1
    (path / "meta.json").write_text(json.dumps(meta))
    assert store.locate(SESSION) is None  # not served: an older schema

    assert write(store, "2026-01-01T00:00:00+00:00", 71.383) == path
    assert on_disk(path) == ("2026-01-01T00:00:00+00:00", 71.383)
    assert store.locate(SESSION) == path
    assert [p.name for p in path.parent.iterdir()] == [SESSION.code]


def test_an_explicit_rebuild_replaces_even_a_current_snapshot(tmp_path: Path):
    store = SnapshotStore(tmp_path)
    path = write(store, "2025-01-01T00:00:00+00:00", 80.0)
    assert write(store, "2026-01-01T00:00:00+00:00", 71.383, replace=True) == path
    assert on_disk(path) == ("2026-01-01T00:00:00+00:00", 71.383)


def test_each_schema_version_keeps_its_own_tree(tmp_path: Path):
    path = write(SnapshotStore(tmp_path), "2026-01-01T00:00:00+00:00", 71.383)
    assert path == tmp_path / "sessions" / f"v{SCHEMA_VERSION}" / "2024" / "10" / "Q"
    # what a replica on another schema left in the same store is neither read nor replaced
    other = tmp_path / "sessions" / f"v{SCHEMA_VERSION + 1}" / "2024" / "10" / "Q"
    shutil.copytree(path, other)
    meta = json.loads((other / "meta.json").read_text())
    (other / "meta.json").write_text(json.dumps({**meta, "schema_version": SCHEMA_VERSION + 1}))
    store = SnapshotStore(tmp_path)
    assert store.locate(SESSION) == path
    assert write(store, "2026-01-02T00:00:00+00:00", 70.0, replace=True) == path
    assert json.loads((other / "meta.json").read_text())["schema_version"] == SCHEMA_VERSION + 1
    listed = {entry["path"]: entry["current"] for entry in store.list_sessions()}
    assert listed == {str(path): True, str(other): False}
