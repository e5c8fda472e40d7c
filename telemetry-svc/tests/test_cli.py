"""``python -m pitwall_telemetry ingest`` and ``list`` against a store of their own, offline."""

from __future__ import annotations

import io
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pitwall_telemetry.cli_progress import IngestProgress, human_age, human_size
from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR

STAGE_LINE = re.compile(r"^\S+ \S+ \S+: \[\s*(\d+)%\] (.+)$")
STEP_LINE = re.compile(r"^\S+ \S+ \S+:\s+fastf1: (.+)$")


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pitwall_telemetry", *args], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def offline_env(tmp_path: Path, sample_dir: Path = SAMPLE_DATA_DIR) -> dict[str, str]:
    return {**os.environ, "PITWALL_DATA_DIR": str(tmp_path / "data"),
            "TELEMETRY_OFFLINE": "true", "TELEMETRY_SAMPLE_DIR": str(sample_dir),
            "TELEMETRY_WARM_POOL": "false"}


def hungary_only_env(tmp_path: Path) -> dict[str, str]:
    """The Hungary raw data and the schedules, but not its stored snapshot: it gets built."""
    sample = tmp_path / "sample"
    (sample / "snapshots").mkdir(parents=True)
    (sample / "raw").symlink_to(SAMPLE_DATA_DIR / "raw")
    shutil.copytree(SAMPLE_DATA_DIR / "snapshots" / "schedules", sample / "snapshots" / "schedules")
    return offline_env(tmp_path, sample)


def test_ingest_then_list_with_size_and_age(tmp_path: Path):
    env = hungary_only_env(tmp_path)
    ingest = run(["ingest", "2024", "Hungary", "Q"], env)
    assert ingest.returncode == 0, ingest.stderr
    assert "Hungarian Grand Prix Qualifying: written" in ingest.stdout
    lines = ingest.stderr.splitlines()
    assert "\r" not in ingest.stderr  # not a terminal: plain lines, no redrawing
    stages = [m.groups() for m in map(STAGE_LINE.match, lines) if m]
    assert [name for _, name in stages][:1] == ["resolving"]
    assert ("90", "writing") in stages and ("95", "checking") in stages
    assert stages[-1][0] == "100" and "written in" in stages[-1][1]
    percents = [int(p) for p, _ in stages]
    assert percents == sorted(percents)
    assert (tmp_path / "data" / "snapshots" / "sessions" / "v1" / "2024" / "13" / "Q"
            / "laps.parquet").exists()

    listing = run(["list"], env)
    assert listing.returncode == 0, listing.stderr
    row = re.search(r"^2024\s+Hungarian Grand Prix\s+Q\s+current\s+(\d+(?:\.\d)? (?:kB|MB))"
                    r"\s+(\d+ (?:s|min))\s+(\S+)$", listing.stdout, re.MULTILINE)
    assert row, listing.stdout
    written = Path(row.group(3))
    on_disk = sum(p.stat().st_size for p in written.rglob("*") if p.is_file())
    assert row.group(1) == human_size(on_disk)
    assert listing.stdout.rstrip().endswith(f"1 snapshots, {human_size(on_disk)}")

    unknown = run(["ingest", "2024", "Atlantis", "Q"], env)
    assert unknown.returncode == 1 and "No 2024 event matches 'Atlantis'" in unknown.stderr


def test_ingest_through_fastf1_shows_its_steps_within_their_stages(tmp_path: Path):
    ingest = run(["ingest", "2021", "Monza", "FP2"], offline_env(tmp_path))
    assert ingest.returncode == 0, ingest.stderr
    lines = ingest.stderr.splitlines()
    unexpected = [ln for ln in lines if not (STAGE_LINE.match(ln) or STEP_LINE.match(ln))]
    assert unexpected == []  # no loader log lines in between: they log errors only here
    order = [m.group(2) if (m := STAGE_LINE.match(ln)) else f"step: {STEP_LINE.match(ln)[1]}"
             for ln in lines]  # type: ignore[index]
    assert order[:2] == ["resolving", "schedule"]
    assert "step: Loading data for Italian Grand Prix - Practice 2 [v" in "\n".join(order)
    laps, telemetry = order.index("laps"), order.index("telemetry")
    assert "step: Fetching timing data..." in order[laps:telemetry]
    assert any(s.startswith("step: Finished loading data for 20 drivers") for s in order)
    assert order.index("writing") > max(i for i, s in enumerate(order) if s.startswith("step:"))


def test_on_a_terminal_progress_is_one_line_redrawn(tmp_path: Path):
    env = hungary_only_env(tmp_path)
    controller, terminal = pty.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "pitwall_telemetry", "ingest", "2024", "Hungary", "Q"],
            env=env, stdout=subprocess.PIPE, stderr=terminal, timeout=300, check=False)
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    assert process.returncode == 0
    text = shown.decode()
    redraws = text.split("\r\x1b[2K")
    assert len(redraws) >= 4  # resolving, stages, checking, done: each redraws the line
    assert f"[{'#' * 20}] 100%" in redraws[-1]
    assert text.rstrip("\r\n").count("\n") == 0  # one line only, ended once


def test_live_line_shows_bar_stage_and_fastf1_step():
    shown = io.StringIO()
    progress = IngestProgress(shown, "2021 Monza FP2", live=True)
    progress.stage("resolving", 0.0)
    progress.update({"stages": ["schedule", "session", "laps"],
                     "steps": [["session", "Fetching session info data..."],
                               ["laps", "Fetching timing data..."]]})
    last = shown.getvalue().split("\r\x1b[2K")[-1]
    assert last.startswith("2021 Monza FP2 [######--------------]  30% laps")
    assert last.endswith(": Fetching timing data...")
    progress.update({"stages": ["schedule", "session", "laps"],
                     "steps": [["session", "Fetching session info data..."],
                               ["laps", "Fetching timing data..."]]})
    assert shown.getvalue().split("\r\x1b[2K")[-1] == last  # nothing new, nothing redrawn


@pytest.mark.parametrize(("size", "text"), [(0, "0 B"), (1023, "1023 B"), (1536, "1.5 kB"),
                                            (443_000, "433 kB"), (5 * 1024**3, "5.0 GB")])
def test_human_size(size: int, text: str):
    assert human_size(size) == text


@pytest.mark.parametrize(("seconds", "text"), [(-3, "0 s"), (59, "59 s"), (90, "1 min"),
                                               (7200, "2 h"), (3 * 86400 + 5, "3 d")])
def test_human_age(seconds: float, text: str):
    assert human_age(seconds) == text
