"""``python -m pitwall_telemetry ingest`` and ``list`` against a store of their own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pitwall_telemetry", *args], env=env,
                          capture_output=True, text=True, timeout=240, check=False)


def test_ingest_then_list(tmp_path: Path):
    sample = tmp_path / "sample"
    (sample / "snapshots").mkdir(parents=True)
    (sample / "raw").symlink_to(SAMPLE_DATA_DIR / "raw")
    shutil.copytree(SAMPLE_DATA_DIR / "snapshots" / "schedules", sample / "snapshots" / "schedules")
    env = {**os.environ, "PITWALL_DATA_DIR": str(tmp_path / "data"), "TELEMETRY_OFFLINE": "true",
           "TELEMETRY_SAMPLE_DIR": str(sample), "TELEMETRY_WARM_POOL": "false"}
    ingest = run(["ingest", "2024", "Hungary", "Q"], env)
    assert ingest.returncode == 0, ingest.stderr
    assert "Hungarian Grand Prix Qualifying: written" in ingest.stdout
    assert "3/3" in ingest.stderr  # the progress bar finished
    assert (tmp_path / "data" / "snapshots" / "sessions" / "v1" / "2024" / "13" / "Q"
            / "laps.parquet").exists()
    listing = run(["list"], env)
    assert listing.returncode == 0
    assert "Hungarian Grand Prix" in listing.stdout and "current" in listing.stdout
    unknown = run(["ingest", "2024", "Atlantis", "Q"], env)
    assert unknown.returncode == 1 and "No 2024 event matches 'Atlantis'" in unknown.stderr
