"""(b) Cold ingest (FastF1 load + normalize + Parquet snapshot) against a plain FastF1
``session.load`` of the same session, in one run, with the same warm FastF1 cache.

Both sides run the same FastF1 configuration over the sample pack's frozen responses
(offline). "ingest" is the exact function the loader pool runs; "via pool" is the same
through a warmed loader process (process hop and pickling included).
Target: ingest / load <= 1.3. Run: .venv/bin/python bench/telemetry_cold_ingest.py
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pitwall_telemetry.loading import worker  # noqa: E402
from pitwall_telemetry.loading.pool import LoaderPool, PoolConfig  # noqa: E402
from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR, frozen_http_dir  # noqa: E402
from pitwall_telemetry.snapshots.store import SessionId  # noqa: E402

SESSIONS = [(SessionId(2024, 10, "Q"), "2024 Spain Q"), (SessionId(2018, 4, "R"),
                                                       "2018 Azerbaijan R")]
ROUNDS = 3


def plain_load(session: SessionId) -> float:
    fastf1 = worker._fastf1()
    started = time.perf_counter()
    loaded = fastf1.get_session(session.year, session.round, session.code)
    loaded.load(laps=True, telemetry=True, weather=True, messages=True)
    return time.perf_counter() - started


def ingest(session: SessionId, store: Path) -> float:
    shutil.rmtree(store, ignore_errors=True)
    started = time.perf_counter()
    worker.ingest_session(str(store), session.year, session.round, session.code, None)
    return time.perf_counter() - started


async def via_pool(session: SessionId, config: PoolConfig) -> list[float]:
    pool = LoaderPool(config)
    pool.warm()
    await pool._run(worker.warm_up)
    samples = []
    for _ in range(ROUNDS):
        shutil.rmtree(config.store_root, ignore_errors=True)
        started = time.perf_counter()
        await pool.ingest(session)
        samples.append(time.perf_counter() - started)
    pool.shutdown()
    return samples


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "fastf1-cache"
        frozen = frozen_http_dir(SAMPLE_DATA_DIR)
        worker.init_worker(str(cache), True, str(frozen))
        for session, name in SESSIONS:
            plain_load(session)  # first load fills FastF1's own caches for both sides
            loads, ingests = [], []
            for _ in range(ROUNDS):  # interleaved so machine load hits both alike
                loads.append(plain_load(session))
                ingests.append(ingest(session, Path(tmp) / "store"))
            config = PoolConfig(Path(tmp) / "pool-store", cache, True, frozen, None, 1, 600)
            pooled = asyncio.run(via_pool(session, config))
            load, done, pool_done = (statistics.median(x) for x in (loads, ingests, pooled))
            print(f"{name}: load {load:.2f} s  ingest {done:.2f} s  ratio {done / load:.2f}  "
                  f"| via pool {pool_done:.2f} s  ratio {pool_done / load:.2f}")
    print("target: ingest / load <= 1.3")


if __name__ == "__main__":
    main()
