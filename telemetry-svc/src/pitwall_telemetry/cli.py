"""The store's command line: ``ingest YEAR EVENT SESSION`` (with progress) and ``list``."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from pitwall_shared.problems import ProblemError
from pitwall_telemetry.cli_progress import IngestProgress, human_age, human_size
from pitwall_telemetry.config import Settings
from pitwall_telemetry.loading.progress import STAGES, read_progress

# How often the loader's progress file is read while a load runs.
POLL_SECONDS = 0.1
# After the loader's last stage (writing, 0.9): reading the written laps back.
CHECKING_FRACTION = 0.95
# The loader processes write JSON lines to this command's stderr; only errors, since
# FastF1's warnings already show as steps of the progress.
LOADER_LOG_LEVEL = "ERROR"


async def _ingest(settings: Settings, year: int, event: str, session: str) -> int:
    from pitwall_telemetry.main import build_catalog

    catalog = build_catalog(settings, loader_log_level=LOADER_LOG_LEVEL)
    progress = IngestProgress(sys.stderr, f"{year} {event} {session}")
    try:
        progress.stage("resolving", 0.0)
        session_id = await catalog.resolve(year, event, session)
        started = time.perf_counter()
        existing = catalog.store.locate(session_id)
        progress_file = catalog.pool.progress_path(session_id)
        load = asyncio.ensure_future(catalog.snapshot(session_id, caller=None))  # the operator
        while not load.done():
            found = read_progress(progress_file)
            if found:
                progress.update(found)
            await asyncio.wait({load}, timeout=POLL_SECONDS)
        snap = load.result()
        if existing is None:
            # The loader wrote a new snapshot; a short write can start and end between two
            # polls, after which the progress file is gone, so its stage is shown from here.
            progress.stage("writing", STAGES["writing"])
        progress.stage("checking", CHECKING_FRACTION)
        catalog.table(snap, "laps")
        took = time.perf_counter() - started
        verb = "already present" if existing else f"written in {took:.1f} s"
        progress.finish(f"{snap.describe()}: {verb}")
        print(f"{snap.describe()}: {verb} at {snap.directory}")
        missing = snap.meta.get("missing") or []
        if missing:
            print(f"  not in the source data: {', '.join(missing)}")
        return 0
    except ProblemError as error:
        progress.abandon()
        print(f"error {error.status}: {error.detail}", file=sys.stderr)
        return 1
    finally:
        catalog.pool.shutdown()


def _directory_bytes(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def _age_seconds(entry: dict[str, Any]) -> float:
    created = entry.get("created_at")
    try:
        stamp = datetime.fromisoformat(str(created)).timestamp()
    except ValueError:  # an older snapshot without it: when its meta was written
        stamp = (Path(entry["path"]) / "meta.json").stat().st_mtime
    return time.time() - stamp


def _list(settings: Settings) -> int:
    from pitwall_telemetry.main import build_catalog

    catalog = build_catalog(settings)
    entries = catalog.store.list_sessions()
    print(f"{'year':<5} {'event':<28} {'sess':<4} {'state':<10} {'size':>8} {'age':>7}  path")
    for entry in entries:
        state = "current" if entry["current"] else f"stale (schema {entry['schema_version']})"
        path = Path(entry["path"])
        year = path.parts[-3]
        size = human_size(_directory_bytes(path))
        age = human_age(_age_seconds(entry))
        print(f"{year:<5} {entry['event_name']:<28} {entry['session']:<4} {state:<10} "
              f"{size:>8} {age:>7}  {path}")
    total = sum(_directory_bytes(Path(entry["path"])) for entry in entries)
    print(f"{len(entries)} snapshots, {human_size(total)}")
    return 0


def run_cli(argv: list[str], settings: Settings) -> int:
    if argv[0] == "list":
        return _list(settings)
    if len(argv) != 4 or not argv[1].isdigit():
        print("usage: python -m pitwall_telemetry ingest YEAR EVENT SESSION", file=sys.stderr)
        return 2
    return asyncio.run(_ingest(settings, int(argv[1]), argv[2], argv[3]))
