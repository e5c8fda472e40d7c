"""A running load tells its stage: the loader process writes it, /status reads it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from pitwall_shared.testing import TestSigner
from pitwall_telemetry.loading import worker
from pitwall_telemetry.loading.progress import STAGES
from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR, frozen_http_dir

from .conftest import make_settings, running_client

MONZA = "/api/v1/telemetry/sessions/2021/Monza/FP2"


def test_loader_passes_every_stage_in_order(tmp_path: Path):
    # the loader function itself, in this process, on the frozen responses (offline)
    worker.init_worker(str(tmp_path / "cache"), True, str(frozen_http_dir(SAMPLE_DATA_DIR)))
    progress = tmp_path / "progress.json"
    worker.ingest_session(str(tmp_path / "store"), 2021, 14, "FP2", None, str(progress))
    last = json.loads(progress.read_text())
    assert last["stages"] == ["schedule", "session", "results", "laps", "telemetry",
                              "weather", "messages", "writing"]
    assert last["stage"] == "writing" and last["progress"] == STAGES["writing"]


async def test_status_reports_stage_and_progress_of_a_real_load(tmp_path: Path,
                                                                signer: TestSigner):
    async with running_client(make_settings(tmp_path), signer) as (client, app):
        started = await client.post(f"{MONZA}/prewarm")
        assert started.status_code == 202
        first = started.json()
        assert first["state"] == "loading" and first["started_at"]
        assert first["stage"] in STAGES and first["status_url"] == f"{MONZA}/status"
        seen = [first]
        for _ in range(6000):  # at most 60 s; a load takes a few seconds
            status = (await client.get(f"{MONZA}/status")).json()
            seen.append(status)
            if status["state"] != "loading":
                break
            await asyncio.sleep(0.01)
        assert status["state"] == "ready" and status["progress"] == 1.0
        loading = [s for s in seen if s["state"] == "loading"]
        assert {s["started_at"] for s in loading} == {first["started_at"]}
        progress = [s["progress"] for s in loading]
        assert progress == sorted(progress)  # only ever forward
        assert all(s["stage"] in STAGES and STAGES[s["stage"]] == s["progress"]
                   for s in loading)
        stages = {s["stage"] for s in loading}
        assert len(stages - {"queued"}) >= 2, stages  # the loader's own stages came through
        await asyncio.gather(*app.state.background)  # the prewarm task returns after the write
        pool = app.state.catalog.pool
        assert not any(pool.progress_path(sid).exists() for sid in app.state.catalog
                       ._resolved.values())  # the progress file is gone with the load
