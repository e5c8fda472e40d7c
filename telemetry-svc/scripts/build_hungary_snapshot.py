"""Rebuild the shipped sample snapshots in ``telemetry-svc/sample-data/snapshots``.

Usage: python telemetry-svc/scripts/build_hungary_snapshot.py

- 2024 Hungarian GP qualifying, from the raw FastF1 export in
  ``sample-data/raw/2024-hungary-q`` (best lap of each of the 20 drivers);
- the season schedules 2018-2026, loaded through FastF1 from the frozen responses in
  ``sample-data/fastf1-http`` (offline), so event names resolve without a load.
"""

from __future__ import annotations

import tempfile

from pitwall_telemetry.loading import worker
from pitwall_telemetry.loading.hungary import build_hungary_bundle
from pitwall_telemetry.sample_pack import (
    SAMPLE_DATA_DIR,
    SCHEDULE_YEARS,
    frozen_http_dir,
    hungary_raw_dir,
    sample_snapshots_dir,
)
from pitwall_telemetry.snapshots.store import SnapshotStore


def main() -> None:
    store = SnapshotStore(sample_snapshots_dir(SAMPLE_DATA_DIR))
    bundle = build_hungary_bundle(hungary_raw_dir(SAMPLE_DATA_DIR))
    path = store.write_session(bundle.session, bundle.tables, bundle.telemetry, bundle.meta,
                               replace=True)
    print(f"Hungary 2024 Q snapshot: {path}")
    with tempfile.TemporaryDirectory() as cache_dir:
        worker.init_worker(cache_dir, True, str(frozen_http_dir(SAMPLE_DATA_DIR)))
        for year in SCHEDULE_YEARS:
            events = worker.fetch_schedule(str(store.root), year)
            print(f"{year} schedule: {len(events)} events")


if __name__ == "__main__":
    main()
