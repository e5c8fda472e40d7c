"""Metrics of real loads: a FastF1 load of the frozen Hungary data, the snapshot it writes,
the cache reads after it, an offline session that cannot load, a loader process that dies."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pitwall_shared.testing import TestSigner
from pitwall_shared.testing_metrics import MetricMoves, sample
from pitwall_telemetry.loading.errors import LoadError
from pitwall_telemetry.loading.pool import LoaderPool

from .conftest import make_settings, running_client

HUNGARY = "/api/v1/telemetry/sessions/2024/Hungary/Q"
MONACO = "/api/v1/telemetry/sessions/2024/Monaco/R"  # in the schedule, not in the sample pack


async def test_loads_failures_and_cache_reads_are_counted(
        tmp_path: Path, unbuilt_sample: Path, signer: TestSigner):
    settings = make_settings(tmp_path / "data", sample_dir=unbuilt_sample)
    async with running_client(settings, signer) as (client, app):
        moved = MetricMoves()
        assert (await client.get(f"{HUNGARY}/laps")).status_code == 200
        assert moved("pitwall_telemetry_fastf1_loads_total", kind="session") == 1
        assert moved("pitwall_telemetry_fastf1_load_duration_seconds_count",
                     kind="session", outcome="ok") == 1
        assert moved("pitwall_telemetry_fastf1_load_duration_seconds_sum",
                     kind="session", outcome="ok") > 0
        assert moved("pitwall_telemetry_snapshot_lookups_total", result="miss") == 1
        assert moved("pitwall_telemetry_snapshot_writes_total") == 1
        written = moved("pitwall_telemetry_snapshot_written_bytes_total")
        snapshot = settings.snapshot_dir / "sessions" / "v1" / "2024" / "13" / "Q"
        assert written == sum(f.stat().st_size for f in snapshot.rglob("*") if f.is_file())
        laps_file = (snapshot / "laps.parquet").stat().st_size
        assert moved("pitwall_telemetry_snapshot_read_bytes_total") >= laps_file
        assert moved("pitwall_telemetry_memory_cache_requests_total", result="miss") >= 1
        assert sample("pitwall_telemetry_memory_cache_bytes") == app.state.catalog.cache.used_bytes

        again = MetricMoves()
        # Another query than before: not an answer the fast path has rendered already.
        assert (await client.get(f"{HUNGARY}/laps", params={"driver": "NOR"})).status_code == 200
        assert again("pitwall_telemetry_snapshot_lookups_total", result="hit") == 1
        assert again("pitwall_telemetry_memory_cache_requests_total", result="hit") >= 1
        assert again("pitwall_telemetry_snapshot_read_bytes_total") == 0
        assert again("pitwall_telemetry_fastf1_loads_total", kind="session") == 0

        failing = MetricMoves()
        assert (await client.get(f"{MONACO}/laps")).status_code == 404
        assert failing("pitwall_telemetry_fastf1_load_failures_total",
                       kind="session", reason="not_available") == 1
        assert failing("pitwall_telemetry_fastf1_load_duration_seconds_count",
                       kind="session", outcome="failed") == 1

        pool: LoaderPool = app.state.catalog.pool
        with pytest.raises(LoadError):
            await pool._single_flight("crash", os._exit, 3)
        assert failing("pitwall_telemetry_fastf1_load_failures_total",
                       kind="session", reason="killed") == 1
        assert sample("pitwall_telemetry_fastf1_loads_in_progress", kind="session") == 0

        scraped = (await client.get("/metrics")).text
        assert 'pitwall_telemetry_fastf1_load_failures_total{kind="session",reason="killed"}' \
            in scraped


async def test_a_load_in_flight_shows_in_the_gauge(tmp_path: Path, unbuilt_sample: Path,
                                                   signer: TestSigner):
    settings = make_settings(tmp_path / "data", sample_dir=unbuilt_sample)
    async with running_client(settings, signer) as (client, _app):
        assert (await client.post(f"{HUNGARY}/prewarm")).status_code == 202
        assert sample("pitwall_telemetry_fastf1_loads_in_progress", kind="session") == 1
        # The snapshot reads as ready a moment before the loader's answer arrives.
        assert await _eventually(lambda: sample("pitwall_telemetry_fastf1_loads_in_progress",
                                                kind="session") == 0)
        assert (await client.get(f"{HUNGARY}/status")).json()["state"] == "ready"
        assert sample("pitwall_telemetry_fastf1_load_duration_seconds_count",
                      kind="session", outcome="ok") >= 1


async def _eventually(condition: Callable[[], bool], seconds: float = 120) -> bool:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def test_a_load_over_its_time_limit_is_counted_as_a_timeout(tmp_path: Path,
                                                                  signer: TestSigner):
    settings = make_settings(tmp_path / "data", load_timeout_s=1.0)
    async with running_client(settings, signer) as (_client, app):
        moved = MetricMoves()
        pool: LoaderPool = app.state.catalog.pool
        with pytest.raises(LoadError) as failure:
            await pool._single_flight("slow", time.sleep, 3)  # a load that takes too long
        assert failure.value.kind == "unreachable" and "longer than" in failure.value.detail
        assert moved("pitwall_telemetry_fastf1_load_failures_total",
                     kind="session", reason="timeout") == 1
        assert sample("pitwall_telemetry_fastf1_loads_in_progress", kind="session") == 0
