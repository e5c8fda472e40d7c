"""The store's command line: ``ingest YEAR EVENT SESSION`` (with a progress bar) and ``list``."""

from __future__ import annotations

import asyncio
import sys
import time

from pitwall_shared.problems import ProblemError
from pitwall_telemetry.config import Settings


async def _ingest(settings: Settings, year: int, event: str, session: str) -> int:
    from tqdm import tqdm

    from pitwall_telemetry.main import build_catalog

    catalog = build_catalog(settings)
    steps = tqdm(total=3, desc=f"{year} {event} {session}", unit="step")
    try:
        steps.set_postfix_str("resolving")
        session_id = await catalog.resolve(year, event, session)
        steps.update(1)
        steps.set_postfix_str("loading")
        started = time.perf_counter()
        existing = catalog.store.locate(session_id)
        snap = await catalog.snapshot(session_id, caller=None)  # the operator: no policy
        steps.update(1)
        steps.set_postfix_str("checking")
        catalog.table(snap, "laps")
        steps.update(1)
        steps.close()
        took = time.perf_counter() - started
        verb = "already present" if existing else f"written in {took:.1f} s"
        print(f"{snap.describe()}: {verb} at {snap.directory}")
        missing = snap.meta.get("missing") or []
        if missing:
            print(f"  not in the source data: {', '.join(missing)}")
        return 0
    except ProblemError as error:
        steps.close()
        print(f"error {error.status}: {error.detail}", file=sys.stderr)
        return 1
    finally:
        catalog.pool.shutdown()


def _list(settings: Settings) -> int:
    from pitwall_telemetry.main import build_catalog

    catalog = build_catalog(settings)
    for entry in catalog.store.list_sessions():
        state = "current" if entry["current"] else f"stale (schema {entry['schema_version']})"
        print(f"{entry['event_name']:<28} {entry['session']:<4} {state:<10} {entry['path']}")
    return 0


def run_cli(argv: list[str], settings: Settings) -> int:
    if argv[0] == "list":
        return _list(settings)
    if len(argv) != 4 or not argv[1].isdigit():
        print("usage: python -m pitwall_telemetry ingest YEAR EVENT SESSION", file=sys.stderr)
        return 2
    return asyncio.run(_ingest(settings, int(argv[1]), argv[2], argv[3]))
