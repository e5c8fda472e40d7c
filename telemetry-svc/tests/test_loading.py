"""Loads: single flight, snapshots reused across restarts, stale schemas rebuilt, failures
reported and retryable, a dead loader process replaced."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from pitwall_shared.testing import TestSigner
from pitwall_telemetry.loading.errors import LoadError
from pitwall_telemetry.loading.pool import LoaderPool

from .conftest import make_settings, running_client

HUNGARY = "/api/v1/telemetry/sessions/2024/Hungary/Q"
HUNGARY_KEY = "2024-13-Q"


async def test_one_load_for_concurrent_requests_rebuilds_stale_survives_crash_and_restart(
        tmp_path: Path, unbuilt_sample: Path, signer: TestSigner,
        monkeypatch: pytest.MonkeyPatch):
    # one app for several properties: every loader process start costs seconds
    settings = make_settings(tmp_path / "data", sample_dir=unbuilt_sample)
    meta_path = settings.snapshot_dir / "sessions" / "v1" / "2024" / "13" / "Q" / "meta.json"
    async with running_client(settings, signer) as (client, app):
        pool: LoaderPool = app.state.catalog.pool
        assert (await client.get(f"{HUNGARY}/status")).json()["state"] == "not_loaded"
        responses = await asyncio.gather(*(client.get(f"{HUNGARY}/laps") for _ in range(8)),
                                         client.get(f"{HUNGARY}/laps/NOR/fastest/telemetry"))
        assert [r.status_code for r in responses] == [200] * 9
        assert pool.load_counts[HUNGARY_KEY] == 1
        assert (await client.get(f"{HUNGARY}/status")).json()["state"] == "ready"
        first = responses[0].json()

        # a snapshot written with another schema version counts as absent and is rebuilt
        meta = json.loads(meta_path.read_text())
        meta["schema_version"] = 0
        meta_path.write_text(json.dumps(meta))
        assert (await client.get(f"{HUNGARY}/status")).json()["state"] == "not_loaded"
        assert (await client.get(HUNGARY)).status_code == 200
        assert pool.load_counts[HUNGARY_KEY] == 2
        assert json.loads(meta_path.read_text())["schema_version"] == 1

        # a loader process that dies fails that one call and the pool is replaced
        with pytest.raises(LoadError) as failure:
            await pool._single_flight("crash", os._exit, 3)
        assert failure.value.kind == "failed" and "retried" in failure.value.detail
        assert pool.states["crash"].state == "failed"
        meta_path.write_text(json.dumps({**meta, "schema_version": 0}))
        assert (await client.get(f"{HUNGARY}/laps")).status_code == 200
        assert pool.load_counts[HUNGARY_KEY] == 3

    async def no_loads(self: LoaderPool, *args: object) -> None:
        raise AssertionError("a restart must serve from the snapshot, not load again")

    monkeypatch.setattr(LoaderPool, "_run", no_loads)
    async with running_client(settings, signer) as (client, app):
        again = await client.get(f"{HUNGARY}/laps")
        assert again.status_code == 200 and again.json()["laps"] == first["laps"]
        compare = await client.get(f"{HUNGARY}/compare",
                                   params={"driver_a": "NOR", "driver_b": "LEC"})
        assert compare.status_code == 200
        assert app.state.catalog.pool.load_counts[HUNGARY_KEY] == 0
